use super::{bump_auth, store_code};
use crate::api::storefront::Register;
use crate::components::ErrorMessage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let code = store_code();
    let register = ServerAction::<Register>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(url)) = register.value().get() {
            bump_auth();
            navigate(&url, Default::default());
        }
    });
    view! {
        <Title text="Create New Customer Account"/>
        <h1>"Create New Customer Account"</h1>
        <ActionForm action=register attr:class="form">
            <input type="hidden" name="form[store]" value=move || code.get()/>
            <fieldset>
                <legend>"Personal Information"</legend>
                <label>"First Name"<input type="text" name="form[first_name]" required maxlength="255" autocomplete="given-name"/></label>
                <label>"Last Name"<input type="text" name="form[last_name]" required maxlength="255" autocomplete="family-name"/></label>
            </fieldset>
            <fieldset>
                <legend>"Sign-in Information"</legend>
                <label>"Email"<input type="email" name="form[email]" required autocomplete="email"/></label>
                <label>"Password"<input type="password" name="form[password]" required minlength="8" autocomplete="new-password"/></label>
                <label>"Confirm Password"<input type="password" name="form[password_confirmation]" required autocomplete="new-password"/></label>
            </fieldset>
            {move || register.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
            <button type="submit" class="primary">"Create an Account"</button>
        </ActionForm>
    }
}
