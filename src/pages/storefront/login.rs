use super::context::{bump_auth, store_code};
use crate::api::storefront::CustomerSignIn;
use crate::components::form::{provide_outcome, HiddenField, TextField};
use crate::components::Outcome;
use crate::domain::forms::fields::customer_sign_in as f;
use crate::domain::store::store_href;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let code = store_code();
    let sign_in = ServerAction::<CustomerSignIn>::new();
    let value = Signal::derive(move || sign_in.value().get());
    provide_outcome(value);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(url)) = sign_in.value().get() {
            bump_auth();
            navigate(crate::domain::store::on_this_site(&url), Default::default());
        }
    });
    view! {
        <Title text=tr!(store.login.title)/>
        <h1>{tr!(store.login.title)}</h1>
        <section class="columns">
            <ActionForm action=sign_in attr:class="form">
                <h2>{tr!(store.login.registered)}</h2>
                <HiddenField field=f::store value=code/>
                <TextField field=f::email label=tr!(store.fields.email) kind="email" required=true autocomplete="email"/>
                <TextField field=f::password label=tr!(store.fields.password) kind="password" required=true autocomplete="current-password"/>
                <Outcome value/>
                <button type="submit" class="primary">{tr!(store.login.sign_in)}</button>
            </ActionForm>
            <div>
                <h2>{tr!(store.login.new_customers)}</h2>
                <p>{tr!(store.login.benefits)}</p>
                <a href=move || store_href(&code.get(), "/customer/account/create")>{tr!(store.login.create)}</a>
            </div>
        </section>
    }
}
