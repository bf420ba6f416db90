use super::context::{bump_auth, store_code, StoreContext};
use crate::api::storefront::Register;
use crate::components::form::{provide_outcome, HiddenField, TextField};
use crate::components::{loaded, Outcome};
use crate::domain::forms::fields::register as f;
use crate::tr;
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
            navigate(crate::domain::store::on_this_site(&url), Default::default());
        }
    });
    view! {
        <Title text=tr!(store.register.title)/>
        <h1>{tr!(store.register.title)}</h1>
        // The consent checkbox (shown while Login as Customer is enabled) comes with the
        // layout's context; the form waits for it, so server and browser render the same form.
        {loaded(context, move |ctx| view! {
        <ActionForm action=register attr:class="form">
            <HiddenField field=f::store value=code/>
            <fieldset>
                <legend>{tr!(store.register.personal)}</legend>
                <TextField field=f::first_name label=tr!(store.fields.first_name) required=true maxlength=255 autocomplete="given-name"/>
                <TextField field=f::last_name label=tr!(store.fields.last_name) required=true maxlength=255 autocomplete="family-name"/>
            </fieldset>
            <fieldset>
                <legend>{tr!(store.register.sign_in_info)}</legend>
                <TextField field=f::email label=tr!(store.fields.email) kind="email" required=true autocomplete="email"/>
                <TextField field=f::password label=tr!(store.fields.password) kind="password" required=true minlength=8 autocomplete="new-password"/>
                <TextField field=f::password_confirmation label=tr!(store.fields.confirm_password) kind="password" required=true autocomplete="new-password"/>
            </fieldset>
            {ctx.consent.map(|c| view! {
                <fieldset>
                    <legend>{tr!(store.register.assistance)}</legend>
                    <super::account_edit::ConsentField field=f::assistance_allowed consent=c/>
                </fieldset>
            })}
            <Outcome value/>
            <button type="submit" class="primary">{tr!(store.register.submit)}</button>
        </ActionForm>
        })}
    }
}
