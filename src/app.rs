//! The HTML shell and the router. Admin screens and the storefront's pages past the catalog
//! are lazy routes, so each one's code is a chunk of its own: shoppers never download the
//! admin's, and a shopper downloads the cart's, checkout's or the account's when opening it.

use crate::components::NotFound;
use crate::l10n::Localized;
use crate::pages::admin::{
    AccountPage, ActionLogEntryPage, ActionLogPage, AdminLayout, AssistLogPage, CategoriesPage, ConfigPage,
    CustomerEditPage, CustomersPage, DashboardPage, IntegrationsPage, ProductEditPage, ProductsPage, RoleEditPage,
    RolesPage, StoresPage, UserEditPage, UsersPage,
};
use crate::pages::storefront::{
    AccountEditRoute, AccountRoute, AddressBookRoute, AddressEditRoute, CartRoute, CategoryPage, CheckoutRoute,
    DeleteAccountRoute, HomePage, LoginRoute, OrderRoute, OrdersRoute, ProductPage, RegisterRoute, SearchPage,
    SignedOutRoute, StoreLayout, SuccessRoute,
};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, MatchNestedRoutes, ParamSegment, PossibleRouteMatch, SsrMode, StaticSegment};

/// The document around the app. Server only: it sets this response's script nonce and the
/// Content-Security-Policy that names it.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos::nonce::{provide_nonce, use_nonce};
    use leptos_meta::{HashedStylesheet, MetaTags};
    provide_nonce();
    if let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&crate::server::http::page_csp(&nonce.to_string())) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let lang = crate::l10n::code(crate::l10n::page_locale());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the page as interactive once hydrated (browser tests wait for it).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Localized>
        <Shell/>
        </Localized>
    }
}

/// Everything inside the translations provider: the title's default and the routes.
#[component]
fn Shell() -> impl IntoView {
    let shop = tr!(common.shop);
    view! {
        <Title formatter=move |t: String| if t.is_empty() { shop.clone() } else { t }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <ParentRoute path=StaticSegment("admin") view={Lazy::<AdminLayout>::new()}>
                    <Route path=StaticSegment("") view={Lazy::<DashboardPage>::new()}/>
                    <Route path=StaticSegment("dashboard") view={Lazy::<DashboardPage>::new()}/>
                    <Route path=(StaticSegment("catalog"), StaticSegment("products")) view={Lazy::<ProductsPage>::new()}/>
                    <Route path=(StaticSegment("catalog"), StaticSegment("products"), ParamSegment("id")) view={Lazy::<ProductEditPage>::new()}/>
                    <Route path=(StaticSegment("catalog"), StaticSegment("categories")) view={Lazy::<CategoriesPage>::new()}/>
                    <Route path=(StaticSegment("catalog"), StaticSegment("categories"), ParamSegment("id")) view={Lazy::<CategoriesPage>::new()}/>
                    <Route path=StaticSegment("customers") view={Lazy::<CustomersPage>::new()}/>
                    <Route path=(StaticSegment("customers"), ParamSegment("id")) view={Lazy::<CustomerEditPage>::new()}/>
                    <Route path=(StaticSegment("loginascustomer"), StaticSegment("log")) ssr=SsrMode::Async view={Lazy::<AssistLogPage>::new()}/>
                    <Route path=StaticSegment("stores") view={Lazy::<StoresPage>::new()}/>
                    <Route path=StaticSegment("config") view={Lazy::<ConfigPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("users")) view={Lazy::<UsersPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("users"), ParamSegment("id")) view={Lazy::<UserEditPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("roles")) view={Lazy::<RolesPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("action-logs")) view={Lazy::<ActionLogPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("integrations")) view={Lazy::<IntegrationsPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("account")) view={Lazy::<AccountPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("action-logs"), ParamSegment("id")) view={Lazy::<ActionLogEntryPage>::new()}/>
                    <Route path=(StaticSegment("system"), StaticSegment("roles"), ParamSegment("id")) view={Lazy::<RoleEditPage>::new()}/>
                </ParentRoute>
                <StorefrontRoutes path=StaticSegment("")/>
                <StorefrontRoutes path=ParamSegment("store")/>
            </Routes>
        </Router>
    }
}

/// The storefront's pages under `path`: the default store view at the root, any other under
/// its code (`/second_en/customer/account`). One list, mounted twice.
#[component(transparent)]
fn StorefrontRoutes<Segments>(path: Segments) -> impl MatchNestedRoutes + Clone
where
    Segments: PossibleRouteMatch + Clone + Send + Sync + 'static,
{
    view! {
        <ParentRoute path view=StoreLayout>
            <Route ssr=SsrMode::Async path=StaticSegment("") view=HomePage/>
            <Route ssr=SsrMode::Async path=(StaticSegment("category"), ParamSegment("key")) view=CategoryPage/>
            <Route ssr=SsrMode::Async path=(StaticSegment("product"), ParamSegment("key")) view=ProductPage/>
            <Route ssr=SsrMode::Async path=StaticSegment("search") view=SearchPage/>
            <Route ssr=SsrMode::Async path=(StaticSegment("checkout"), StaticSegment("cart")) view={Lazy::<CartRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("checkout"), StaticSegment("onepage"), StaticSegment("success")) view={Lazy::<SuccessRoute>::new()}/>
            <Route ssr=SsrMode::Async path=StaticSegment("checkout") view={Lazy::<CheckoutRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("sales"), StaticSegment("order"), StaticSegment("history")) view={Lazy::<OrdersRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("sales"), StaticSegment("order"), StaticSegment("view"), ParamSegment("id")) view={Lazy::<OrderRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("address"), StaticSegment("new")) view={Lazy::<AddressEditRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("address"), StaticSegment("edit"), ParamSegment("id")) view={Lazy::<AddressEditRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("address")) view={Lazy::<AddressBookRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account"), StaticSegment("create")) view={Lazy::<RegisterRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account"), StaticSegment("login")) view={Lazy::<LoginRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account"), StaticSegment("edit")) view={Lazy::<AccountEditRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account"), StaticSegment("delete")) view={Lazy::<DeleteAccountRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account"), StaticSegment("logoutSuccess")) view={Lazy::<SignedOutRoute>::new()}/>
            <Route ssr=SsrMode::Async path=(StaticSegment("customer"), StaticSegment("account")) view={Lazy::<AccountRoute>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}
