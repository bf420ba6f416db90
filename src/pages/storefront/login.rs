use super::{bump_auth, store_code, store_href};
use crate::api::storefront::CustomerSignIn;
use crate::components::ErrorMessage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let code = store_code();
    let sign_in = ServerAction::<CustomerSignIn>::new();
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
                <input type="hidden" name="form[store]" value=move || code.get()/>
                <label>"Email"<input type="email" name="form[email]" required autocomplete="email"/></label>
                <label>"Password"<input type="password" name="form[password]" required autocomplete="current-password"/></label>
                {move || sign_in.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
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
