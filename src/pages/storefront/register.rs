use super::{bump_auth, store_code};
use crate::api::storefront::Register;
use crate::components::form::{provide_outcome, HiddenField, TextField};
use crate::components::Outcome;
use crate::domain::forms::fields::register as f;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let code = store_code();
    let register = ServerAction::<Register>::new();
    let value = Signal::derive(move || register.value().get());
    provide_outcome(value);
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
            <HiddenField field=f::store value=code/>
            <fieldset>
                <legend>"Personal Information"</legend>
                <TextField field=f::first_name label="First Name" required=true maxlength=255 autocomplete="given-name"/>
                <TextField field=f::last_name label="Last Name" required=true maxlength=255 autocomplete="family-name"/>
            </fieldset>
            <fieldset>
                <legend>"Sign-in Information"</legend>
                <TextField field=f::email label="Email" kind="email" required=true autocomplete="email"/>
                <TextField field=f::password label="Password" kind="password" required=true minlength=8 autocomplete="new-password"/>
                <TextField field=f::password_confirmation label="Confirm Password" kind="password" required=true autocomplete="new-password"/>
            </fieldset>
            <Outcome value/>
            <button type="submit" class="primary">"Create an Account"</button>
        </ActionForm>
    }
}
