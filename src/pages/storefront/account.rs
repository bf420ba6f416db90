use super::context::store_code;
use crate::api::storefront::{account_info, assistance_history};
use crate::components::loaded;
use crate::domain::store::store_href;
use crate::l10n::{action_name, current, datetime, full_name, list};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

/// My Account dashboard: Contact Information and the Assistance History.
#[component]
pub fn AccountPage() -> impl IntoView {
    let code = store_code();
    let me = crate::api::load(move || code.get(), account_info);
    let history = crate::api::load(move || code.get(), assistance_history);
    view! {
        <Title text=tr!(store.account.title)/>
        <h1>{tr!(store.account.title)}</h1>
        {loaded(me, move |me| {
            let code = code.get_untracked();
            let name = full_name(current(), &me.first_name, &me.last_name);
            view! {
                <p class="welcome">{tr!(store.account.welcome, name = name.clone())}</p>
                <section class="box" aria-labelledby="contact-info">
                    <h2 id="contact-info">{tr!(store.account.contact)}</h2>
                    <p>{name}</p>
                    <p class="email">{me.email.clone()}</p>
                    <a href=store_href(&code, "/customer/account/edit")>{tr!(store.account.edit)}</a>
                </section>
                <nav class="account-nav" aria-label=tr!(store.account.title)>
                    <a href=store_href(&code, "/sales/order/history")>{tr!(store.account.orders)}</a>
                    <a href=store_href(&code, "/customer/address")>{tr!(store.account.address_book)}</a>
                    <a href=store_href(&code, "/customer/account/delete")>{tr!(store.delete.title)}</a>
                </nav>
            }
        })}
        // Shown once there is a session to show; a refusal is already shown above.
        <Suspense fallback=|| ()>{move || Suspend::new(async move {
            history.await.ok().filter(|items| !items.is_empty()).map(|items| {
                let locale = current();
                view! {
                <section class="box history" aria-labelledby="assistance-history">
                    <h2 id="assistance-history">{tr!(store.account.history)}</h2>
                    <ul>
                        {items.into_iter().map(|h| {
                            let done = if h.changes.is_empty() {
                                tr!(store.account.nothing_changed)
                            } else {
                                let done: Vec<String> = h.changes.iter().map(|(a, n)| {
                                    let action = action_name(locale, a);
                                    if *n > 1 { tr!(store.account.times, action = action, count = *n) } else { action }
                                }).collect();
                                list(locale, &done)
                            };
                            let length = if h.ended_at.is_some() {
                                tr!(store.account.minutes, count = h.minutes)
                            } else {
                                tr!(store.account.in_progress)
                            };
                            let orders = h.orders.iter().map(|(id, number)| view! {
                                " "<a href=store_href(&code.get_untracked(), &format!("/sales/order/view/{id}"))>
                                    {tr!(store.orders.order_title, number = number.clone())}
                                </a>
                            }).collect_view();
                            view! {
                                <li>
                                    <strong>{datetime(locale, h.started_at)}</strong>
                                    {format!(" · {} · {} · {}", h.assistant, length, done)}
                                    {orders}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }})
        })}</Suspense>
    }
}
