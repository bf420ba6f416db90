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
