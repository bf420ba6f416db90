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
use crate::domain::model::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

pub struct IntegrationsPage {
    data: Resource<Result<Deferred<IntegrationsData>, AppError>>,
    saved: RwSignal<u32>,
}

fn row(t: TokenRow, now: i64, revoke: ServerAction<RevokeIntegrationToken>) -> impl IntoView {
    let status = t.status(now);
    let id = t.id.to_string();
    let label = format!("Revoke {}", t.name);
    view! {
        <tr>
            <td>{t.name.clone()}</td>
            <td>{t.username.clone()}</td>
            <td><code>{format!("{}…", t.prefix)}</code></td>
            <td>{format_time(t.created_at)}</td>
            <td>{format_time(t.expires_at)}</td>
            <td>{t.last_used_at.map(format_time).unwrap_or_else(|| "Never".into())}</td>
            <td>{status}</td>
            <td>
                {(status == "Active").then(|| view! {
                    <ActionForm action=revoke>
                        <HiddenField field=rf::id value=id.clone()/>
                        <button type="submit" aria-label=label.clone()>"Revoke"</button>
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
        IntegrationsPage { data: Resource::new(move || saved.get(), |_| integrations_screen()), saved }
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
            <Title text="Integrations"/>
            <h1>"Integrations"</h1>
            <p class="hint">"A token lets a helpdesk or CRM use the JSON API (/api/v1, described at /api/v1/openapi.json) as one admin user, with that user's role at the time of each call."</p>
            <Outcome value=revoked success="You revoked the token."/>
            {move || secret().map(|s| view! {
                <div class="message success" role="status">
                    <p>"Your new token is below. Copy it now: it is not shown again."</p>
                    <p><code aria-label="Your new token">{s}</code></p>
                </div>
            })}
            {loaded_deferred(data, move |d| {
                let users: Vec<(String, String)> = d.users.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
                let lifetimes: Vec<(String, String)> = LIFETIMES.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
                let now = d.now;
                let rows = d.tokens.clone().into_iter().map(|t| row(t, now, revoke)).collect_view();
                view! {
                    <section aria-labelledby="new-token">
                        <h2 id="new-token">"New Token"</h2>
                        <Outcome value=created/>
                        <ActionForm action=create attr:class="form">
                            <TextField field=tf::name label="Token Name" required=true maxlength=100/>
                            <SelectField field=tf::admin_user_id label="Admin User" options=users placeholder="Choose a user" required=true/>
                            <SelectField field=tf::expires label="Expires After" options=lifetimes selected="90d".to_string() required=true/>
                            <TextField field=tf::current_password label="Your Password" kind="password" required=true autocomplete="current-password"/>
                            <button type="submit" class="primary">"Create Token"</button>
                        </ActionForm>
                    </section>
                    <table class="grid" aria-label="Integration Tokens">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"User"</th><th scope="col">"Token"</th>
                            <th scope="col">"Created"</th><th scope="col">"Expires"</th><th scope="col">"Last Used"</th>
                            <th scope="col">"Status"</th><th scope="col">"Action"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
        }
        .into_any()
    }
}
