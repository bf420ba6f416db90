use super::{store_code, store_href};
use crate::api::storefront::{account_info, assistance_history};
use crate::components::loaded;
use crate::domain::model::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// My Account dashboard: Contact Information and the Assistance History.
#[component]
pub fn AccountPage() -> impl IntoView {
    let code = store_code();
    let me = Resource::new(move || code.get(), account_info);
    let history = Resource::new(|| (), |_| assistance_history());
    view! {
        <Title text="My Account"/>
        <h1>"My Account"</h1>
        {loaded(me, move |me| {
            let code = code.get_untracked();
            view! {
                <p class="welcome">{format!("Welcome, {} {}!", me.first_name, me.last_name)}</p>
                <section class="box" aria-labelledby="contact-info">
                    <h2 id="contact-info">"Contact Information"</h2>
                    <p>{format!("{} {}", me.first_name, me.last_name)}</p>
                    <p class="email">{me.email.clone()}</p>
                    <A href=store_href(&code, "/customer/account/edit")>"Edit"</A>
                </section>
            }
        })}
        // Shown once there is a session to show; a refusal is already shown above.
        <Suspense fallback=|| ()>{move || Suspend::new(async move {
            history.await.ok().filter(|items| !items.is_empty()).map(|items| view! {
                <section class="box history" aria-labelledby="assistance-history">
                    <h2 id="assistance-history">"Assistance History"</h2>
                    <ul>
                        {items.into_iter().map(|h| {
                            let done = if h.changes.is_empty() {
                                "Nothing was changed.".to_string()
                            } else {
                                h.changes.iter().map(|(a, n)| if *n > 1 { format!("{a} ({n}×)") } else { a.clone() }).collect::<Vec<_>>().join(", ")
                            };
                            let length = if h.ended_at.is_some() { format!("{} min", h.minutes) } else { "in progress".to_string() };
                            view! {
                                <li>
                                    <strong>{format_time(h.started_at)}</strong>
                                    {format!(" · {} · {} · {}", h.assistant, length, done)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })
        })}</Suspense>
    }
}
