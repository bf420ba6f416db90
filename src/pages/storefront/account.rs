use super::{store_code, store_href};
use crate::api::storefront::account_info;
use crate::components::loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// My Account dashboard.
#[component]
pub fn AccountPage() -> impl IntoView {
    let code = store_code();
    let me = Resource::new(move || code.get(), account_info);
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
    }
}
