//! `Account Setting`: the signed-in admin's own name, email and `Interface Locale` (the
//! language the admin panel speaks to them), confirmed with their password. The page reloads
//! after a save so the whole panel follows the new language at once.

use crate::api::admin_auth::{get_my_account, SaveMyAccount};
use crate::components::form::{provide_outcome, SelectField, TextField};
use crate::components::{loaded_deferred, Outcome};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{fields::account_setting as f, FieldName};
use crate::domain::model::AdminUserRow;
use crate::l10n::{code, current, locale_name, LOCALES};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

/// The `Interface Locale` choice: every locale, named in the reader's language.
#[component]
pub fn LocaleField(field: FieldName, #[prop(into)] selected: String) -> impl IntoView {
    let locale = current();
    let options = LOCALES.iter().map(|l| (code(*l).to_string(), locale_name(locale, *l))).collect();
    view! { <SelectField field label=tr!(admin.users.interface_locale) options selected required=true/> }
}

pub struct AccountPage {
    me: Resource<Result<Deferred<AdminUserRow>, AppError>>,
}

#[lazy_route]
impl LazyRoute for AccountPage {
    fn data() -> Self {
        AccountPage { me: crate::api::load(|| (), |_| get_my_account()) }
    }

    fn view(this: Self) -> AnyView {
        let save = ServerAction::<SaveMyAccount>::new();
        let value = Signal::derive(move || save.value().get());
        provide_outcome(value);
        Effect::new(move |_| {
            if let Some(Ok(())) = save.value().get() {
                // The language may have changed: the panel is rendered again in it.
                let _ = window().location().reload();
            }
        });
        view! {
            <Title text=tr!(admin.account.title)/>
            <h1>{tr!(admin.account.title)}</h1>
            <Outcome value success=tr!(admin.account.saved)/>
            {loaded_deferred(this.me, move |me| view! {
                <ActionForm action=save attr:class="form">
                    <fieldset>
                        <legend>{tr!(admin.account.information)}</legend>
                        <div class="field">
                            <label for="account-username">{tr!(admin.users.username)}</label>
                            <input id="account-username" type="text" value=me.username.clone() disabled/>
                        </div>
                        <TextField field=f::first_name label=tr!(admin.users.first_name) value=me.first_name.clone() required=true/>
                        <TextField field=f::last_name label=tr!(admin.users.last_name) value=me.last_name.clone() required=true/>
                        <TextField field=f::email label=tr!(admin.users.email) kind="email" value=me.email.clone() required=true/>
                        <LocaleField field=f::interface_locale selected=me.interface_locale.clone()/>
                    </fieldset>
                    <fieldset>
                        <legend>{tr!(admin.users.verification)}</legend>
                        <TextField field=f::current_password label=tr!(admin.users.your_password) kind="password" required=true
                            autocomplete="current-password"/>
                    </fieldset>
                    <button type="submit" class="primary">{tr!(admin.account.save)}</button>
                </ActionForm>
            })}
        }
        .into_any()
    }
}
