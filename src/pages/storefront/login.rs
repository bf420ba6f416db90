use super::{bump_auth, store_code};
use crate::api::storefront::CustomerSignIn;
use crate::components::form::{provide_outcome, HiddenField, TextField};
use crate::components::Outcome;
use crate::domain::forms::fields::customer_sign_in as f;
use crate::domain::store::store_href;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
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
            navigate(&url, Default::default());
        }
    });
    view! {
        <Title text="Customer Login"/>
        <h1>"Customer Login"</h1>
        <section class="columns">
            <ActionForm action=sign_in attr:class="form">
                <h2>"Registered Customers"</h2>
                <HiddenField field=f::store value=code/>
                <TextField field=f::email label="Email" kind="email" required=true autocomplete="email"/>
                <TextField field=f::password label="Password" kind="password" required=true autocomplete="current-password"/>
                <Outcome value/>
                <button type="submit" class="primary">"Sign In"</button>
            </ActionForm>
            <div>
                <h2>"New Customers"</h2>
                <p>"Creating an account has many benefits: check out faster, keep more than one address, track orders and more."</p>
                <A href=move || store_href(&code.get(), "/customer/account/create")>"Create an Account"</A>
            </div>
        </section>
    }
}
