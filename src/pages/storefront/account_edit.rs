use super::context::{bump_auth, store_code};
use crate::api::storefront::{account_info, SaveAccountInfo};
use crate::components::form::{provide_outcome, CheckboxField, TextField};
use crate::components::{loaded, successes, Outcome};
use crate::domain::forms::fields::account as f;
use crate::domain::store::store_href;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

/// The consent checkbox with the store view's title, and its tooltip as a hint under it.
#[component]
pub fn ConsentField(
    field: crate::domain::forms::FieldName,
    consent: crate::domain::consent::ConsentBox,
) -> impl IntoView {
    view! {
        <CheckboxField field label=consent.title checked=consent.allowed/>
        <p class="hint consent-tooltip">{consent.tooltip}</p>
    }
}

/// Edit Account Information: name always; email or password only with the current password.
#[component]
pub fn AccountEditPage() -> impl IntoView {
    let code = store_code();
    let save = ServerAction::<SaveAccountInfo>::new();
    let value = Signal::derive(move || save.value().get());
    provide_outcome(value);
    let saved = successes(move || save.value().get());
    let me = crate::api::load(move || (code.get(), saved.get()), |(store, _)| account_info(store));
    let change_email = RwSignal::new(false);
    let change_password = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            bump_auth();
            change_email.set(false);
            change_password.set(false);
        }
    });
    view! {
        <Title text=tr!(store.edit.title)/>
        <h1>{tr!(store.edit.title)}</h1>
        <Outcome value success=tr!(store.edit.saved)/>
        {loaded(me, move |me| {
            let email = me.email.clone();
            let neither = move || !(change_email.get() || change_password.get());
            let (both, email_only, password_only) =
                (tr!(store.edit.change_both), tr!(store.edit.change_email), tr!(store.edit.change_password));
            view! {
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="store" value=code.get_untracked()/>
                <fieldset>
                    <legend>{tr!(store.edit.legend)}</legend>
                    <TextField field=f::first_name label=tr!(store.fields.first_name) value=me.first_name.clone() required=true maxlength=255/>
                    <TextField field=f::last_name label=tr!(store.fields.last_name) value=me.last_name.clone() required=true maxlength=255/>
                    <CheckboxField field=f::change_email label=tr!(store.edit.change_email) checked=change_email
                        on_toggle=Callback::new(move |on| change_email.set(on))/>
                    <CheckboxField field=f::change_password label=tr!(store.edit.change_password) checked=change_password
                        on_toggle=Callback::new(move |on| change_password.set(on))/>
                    {me.consent.clone().map(|c| view! { <ConsentField field=f::assistance_allowed consent=c/> })}
                </fieldset>
                <fieldset hidden=neither>
                    <legend>{move || match (change_email.get(), change_password.get()) {
                        (true, true) => both.clone(),
                        (true, false) => email_only.clone(),
                        _ => password_only.clone(),
                    }}</legend>
                    <TextField field=f::email label=tr!(store.fields.email) kind="email" value=email required=true
                        hidden=Signal::derive(move || !change_email.get()) disabled=Signal::derive(move || !change_email.get())/>
                    <TextField field=f::current_password label=tr!(store.fields.current_password) kind="password" required=true autocomplete="current-password"
                        disabled=Signal::derive(neither)/>
                    <TextField field=f::password label=tr!(store.fields.new_password) kind="password" required=true minlength=8 autocomplete="new-password"
                        hidden=Signal::derive(move || !change_password.get()) disabled=Signal::derive(move || !change_password.get())/>
                    <TextField field=f::password_confirmation label=tr!(store.fields.confirm_new_password) kind="password" required=true autocomplete="new-password"
                        hidden=Signal::derive(move || !change_password.get()) disabled=Signal::derive(move || !change_password.get())/>
                </fieldset>
                <button type="submit" class="primary">{tr!(store.edit.save)}</button>
                <a href=store_href(&code.get_untracked(), "/customer/account")>{tr!(store.edit.back)}</a>
            </ActionForm>
        }})}
    }
}

/// `Delete Account`: the shopper's password, then the account is erased and the browser
/// signed out.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    use crate::api::storefront::DeleteAccount;
    use crate::domain::forms::fields::delete_account as d;
    let code = store_code();
    let delete = ServerAction::<DeleteAccount>::new();
    let value = Signal::derive(move || delete.value().get());
    provide_outcome(value);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(to)) = delete.value().get() {
            bump_auth();
            navigate(crate::domain::store::on_this_site(&to), Default::default());
        }
    });
    view! {
        <Title text=tr!(store.delete.title)/>
        <h1>{tr!(store.delete.title)}</h1>
        <Outcome value/>
        <p class="notice">{tr!(store.delete.warning)}</p>
        <ActionForm action=delete attr:class="form">
            <input type="hidden" name="store" value=move || code.get()/>
            <TextField field=d::password label=tr!(store.fields.current_password) kind="password" required=true autocomplete="current-password"/>
            <button type="submit" class="primary danger">{tr!(store.delete.submit)}</button>
            <a href=move || store_href(&code.get(), "/customer/account")>{tr!(store.edit.back)}</a>
        </ActionForm>
    }
}
