use super::{bump_auth, store_code, StoreContext};
use crate::api::storefront::Register;
use crate::components::form::{provide_outcome, HiddenField, TextField};
use crate::components::{loaded, Outcome};
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
    let context = use_context::<StoreContext>().expect("the store layout provides its context").0;
    Effect::new(move |_| {
        if let Some(Ok(url)) = register.value().get() {
            bump_auth();
            navigate(&url, Default::default());
        }
    });
    view! {
        <Title text="Create New Customer Account"/>
        <h1>"Create New Customer Account"</h1>
        // The consent checkbox (shown while Login as Customer is enabled) comes with the
        // layout's context; the form waits for it, so server and browser render the same form.
        {loaded(context, move |ctx| view! {
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
            {ctx.consent.map(|c| view! {
                <fieldset>
                    <legend>"Remote Shopping Assistance"</legend>
                    <super::account_edit::ConsentField field=f::assistance_allowed consent=c/>
                </fieldset>
            })}
            <Outcome value/>
            <button type="submit" class="primary">"Create an Account"</button>
        </ActionForm>
        })}
    }
}
