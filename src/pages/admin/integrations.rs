//! System > `Integrations`: the JSON API's tokens. A new token's secret is shown once, right
//! after it is made; the grid shows name, user, created, expires, last used and status, and
//! an active token can be revoked.

use crate::api::integrations::{integrations_screen, CreateIntegrationToken, RevokeIntegrationToken};
use crate::components::form::{provide_outcome, HiddenField, SelectField, TextField};
use crate::components::{count_successes, loaded_deferred, Outcome};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{revoke_token_form as rf, token_form as tf};
use crate::domain::integrations::{IntegrationsData, TokenRow, LIFETIMES};
use crate::l10n::{current, datetime};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

pub struct IntegrationsPage {
    data: Resource<Result<Deferred<IntegrationsData>, AppError>>,
    saved: RwSignal<u32>,
}

fn row(t: TokenRow, now: i64, revoke: ServerAction<RevokeIntegrationToken>) -> impl IntoView {
    let locale = current();
    let status = t.status(now);
    let shown_status = match status {
        "Active" => tr!(admin.integrations.active),
        "Expired" => tr!(admin.integrations.expired),
        _ => tr!(admin.integrations.revoked),
    };
    let id = t.id.to_string();
    let label = tr!(admin.integrations.revoke_named, name = t.name.clone());
    view! {
        <tr>
            <td>{t.name.clone()}</td>
            <td>{t.username.clone()}</td>
            <td><code>{format!("{}…", t.prefix)}</code></td>
            <td>{datetime(locale, t.created_at)}</td>
            <td>{datetime(locale, t.expires_at)}</td>
            <td>{t.last_used_at.map(|at| datetime(locale, at)).unwrap_or_else(|| tr!(admin.integrations.never))}</td>
            <td>{shown_status}</td>
            <td>
                {(status == "Active").then(|| view! {
                    <ActionForm action=revoke>
                        <HiddenField field=rf::id value=id.clone()/>
                        <button type="submit" aria-label=label.clone()>{tr!(admin.integrations.revoke)}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[lazy_route]
impl LazyRoute for IntegrationsPage {
    fn data() -> Self {
        let saved = RwSignal::new(0u32);
        IntegrationsPage { data: crate::api::load(move || saved.get(), |_| integrations_screen()), saved }
    }

    fn view(this: Self) -> AnyView {
        let IntegrationsPage { data, saved } = this;
        let create = ServerAction::<CreateIntegrationToken>::new();
        let revoke = ServerAction::<RevokeIntegrationToken>::new();
        count_successes(saved, move || create.value().get());
        count_successes(saved, move || revoke.value().get());
        let created = Signal::derive(move || create.value().get());
        provide_outcome(created);
        let revoked = Signal::derive(move || revoke.value().get());
        let secret = move || create.value().get().and_then(|r| r.ok()).map(|t| t.secret);
        view! {
            <Title text=tr!(admin.integrations.title)/>
            <h1>{tr!(admin.integrations.title)}</h1>
            <p class="hint">{tr!(admin.integrations.intro)}</p>
            <Outcome value=revoked success=tr!(admin.integrations.revoked_message)/>
            {move || secret().map(|s| view! {
                <div class="message success" role="status">
                    <p>{tr!(admin.integrations.copy_now)}</p>
                    <p><code aria-label=tr!(admin.integrations.new_token_label)>{s}</code></p>
                </div>
            })}
            {loaded_deferred(data, move |d| {
                let users: Vec<(String, String)> = d.users.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
                let lifetimes: Vec<(String, String)> = LIFETIMES
                    .iter()
                    .map(|(v, days)| {
                        let label = if *days == 365 { tr!(admin.integrations.one_year) } else { tr!(admin.integrations.days, count = *days) };
                        (v.to_string(), label)
                    })
                    .collect();
                let now = d.now;
                let rows = d.tokens.clone().into_iter().map(|t| row(t, now, revoke)).collect_view();
                view! {
                    <section aria-labelledby="new-token">
                        <h2 id="new-token">{tr!(admin.integrations.new_token)}</h2>
                        <Outcome value=created/>
                        <ActionForm action=create attr:class="form">
                            <TextField field=tf::name label=tr!(admin.integrations.token_name) required=true maxlength=100/>
                            <SelectField field=tf::admin_user_id label=tr!(admin.integrations.admin_user) options=users placeholder=tr!(admin.integrations.choose_user) required=true/>
                            <SelectField field=tf::expires label=tr!(admin.integrations.expires_after) options=lifetimes selected="90d".to_string() required=true/>
                            <TextField field=tf::current_password label=tr!(admin.integrations.your_password) kind="password" required=true autocomplete="current-password"/>
                            <button type="submit" class="primary">{tr!(admin.integrations.create)}</button>
                        </ActionForm>
                    </section>
                    <table class="grid" aria-label=tr!(admin.integrations.tokens)>
                        <thead><tr>
                            <th scope="col">{tr!(admin.integrations.name)}</th><th scope="col">{tr!(admin.integrations.user)}</th><th scope="col">{tr!(admin.integrations.token)}</th>
                            <th scope="col">{tr!(admin.integrations.created)}</th><th scope="col">{tr!(admin.integrations.expires)}</th><th scope="col">{tr!(admin.integrations.last_used)}</th>
                            <th scope="col">{tr!(admin.integrations.status)}</th><th scope="col">{tr!(admin.integrations.action)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
        }
        .into_any()
    }
}
