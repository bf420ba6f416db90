use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Home Page"/>
        <h1>"Home Page"</h1>
        <p>"Welcome to our store."</p>
    }
}

/// Where `Close Session` (and signing out) lands.
#[component]
pub fn SignedOutPage() -> impl IntoView {
    let code = super::store_code();
    view! {
        <Title text="You are signed out"/>
        <h1>"You are signed out"</h1>
        <p>"You have signed out. The assistance session has ended."</p>
        <a href=move || super::store_href(&code.get(), "/")>"Continue shopping"</a>
    }
}
