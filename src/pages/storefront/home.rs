use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where `Close Session` (and signing out) lands.
#[component]
pub fn SignedOutPage() -> impl IntoView {
    let code = super::context::store_code();
    view! {
        <Title text=tr!(store.signed_out.title)/>
        <h1>{tr!(store.signed_out.title)}</h1>
        <p>{tr!(store.signed_out.text)}</p>
        <a href=move || crate::domain::store::store_href(&code.get(), "/")>{tr!(store.signed_out.continue_shopping)}</a>
    }
}
