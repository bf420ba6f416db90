use super::{bump_auth, store_code, store_href};
use crate::api::storefront::{account_info, SaveAccountInfo};
use crate::components::{loaded, successes, ErrorMessage, SuccessMessage};
use leptos::prelude::*;
use leptos_meta::Title;

/// Edit Account Information: name always; email or password only with the current password.
#[component]
pub fn AccountEditPage() -> impl IntoView {
    let code = store_code();
    let save = ServerAction::<SaveAccountInfo>::new();
    let saved = successes(move || save.value().get());
    let me = Resource::new(move || saved.get(), |_| account_info());
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
        <Title text="Edit Account Information"/>
        <h1>"Edit Account Information"</h1>
        {move || match save.value().get() {
            Some(Ok(())) => view! { <SuccessMessage text="You saved the account information."/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {loaded(me, move |me| {
            let email = me.email.clone();
            view! {
            <ActionForm action=save attr:class="form">
                <fieldset>
                    <legend>"Account Information"</legend>
                    <label>"First Name"<input type="text" name="form[first_name]" required maxlength="255" value=me.first_name.clone() prop:value=me.first_name.clone()/></label>
                    <label>"Last Name"<input type="text" name="form[last_name]" required maxlength="255" value=me.last_name.clone() prop:value=me.last_name.clone()/></label>
                    <label class="check">
                        <input type="checkbox" name="form[change_email]" value="1"
                            prop:checked=change_email on:change=move |ev| change_email.set(event_target_checked(&ev))/>
                        "Change Email"
                    </label>
                    <label class="check">
                        <input type="checkbox" name="form[change_password]" value="1"
                            prop:checked=change_password on:change=move |ev| change_password.set(event_target_checked(&ev))/>
                        "Change Password"
                    </label>
                </fieldset>
                <fieldset hidden=move || !(change_email.get() || change_password.get())>
                    <legend>{move || match (change_email.get(), change_password.get()) {
                        (true, true) => "Change Email and Password",
                        (true, false) => "Change Email",
                        _ => "Change Password",
                    }}</legend>
                    <label hidden=move || !change_email.get()>"Email"
                        <input type="email" name="form[email]" required value=email.clone() prop:value=email disabled=move || !change_email.get()/>
                    </label>
                    <label>"Current Password"
                        <input type="password" name="form[current_password]" required autocomplete="current-password"
                            disabled=move || !(change_email.get() || change_password.get())/>
                    </label>
                    <label hidden=move || !change_password.get()>"New Password"
                        <input type="password" name="form[password]" required minlength="8" autocomplete="new-password"
                            disabled=move || !change_password.get()/>
                    </label>
                    <label hidden=move || !change_password.get()>"Confirm New Password"
                        <input type="password" name="form[password_confirmation]" required autocomplete="new-password"
                            disabled=move || !change_password.get()/>
                    </label>
                </fieldset>
                <button type="submit" class="primary">"Save"</button>
                <a href=store_href(&code.get_untracked(), "/customer/account")>"Go back"</a>
            </ActionForm>
        }})}
    }
}
