//! The storefront's pages that a first visit does not need (the cart, checkout, the account
//! with its orders and addresses, signing in and registering) as lazy routes: each is its own
//! chunk of the browser's code, fetched when the page is opened, so the main module holds the
//! layout and the catalog's pages (`benches/sizes.js` measures it). The catalog's pages stay in
//! the main module: made lazy (tried), a first visit fetched about a hundred small chunks
//! before its `Add to Cart` buttons worked, and the module shrank by only 62 KiB.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Marks `<body>` with `data-page-hydrated` once a lazy page has hydrated. The app marks
/// `data-hydrated` as soon as its own part has, which can be before a lazy page's chunk has
/// arrived: a box ticked in between was reset by hydration (browser tests wait for both).
fn mark_page_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-page-hydrated", "");
        }
    });
}

/// `$route`, a lazy route showing the component `$page`.
macro_rules! lazy_page {
    ($(#[$meta:meta])* $route:ident => $page:path) => {
        $(#[$meta])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                mark_page_hydrated();
                untrack($page).into_any()
            }
        }
    };
}

lazy_page!(/// `/checkout/cart`.
    CartRoute => super::sales::CartPage);
lazy_page!(/// `/checkout`.
    CheckoutRoute => super::sales::CheckoutPage);
lazy_page!(/// `/checkout/onepage/success`.
    SuccessRoute => super::sales::SuccessPage);
lazy_page!(/// `/sales/order/history`.
    OrdersRoute => super::orders::OrdersPage);
lazy_page!(/// `/sales/order/view/<id>`.
    OrderRoute => super::orders::OrderPage);
lazy_page!(/// `/customer/address`.
    AddressBookRoute => super::orders::AddressBookPage);
lazy_page!(/// `/customer/address/new` and `/customer/address/edit/<id>`.
    AddressEditRoute => super::orders::AddressEditPage);
lazy_page!(/// `/customer/account/create`.
    RegisterRoute => super::register::RegisterPage);
lazy_page!(/// `/customer/account/login`.
    LoginRoute => super::login::LoginPage);
lazy_page!(/// `/customer/account/edit`.
    AccountEditRoute => super::account_edit::AccountEditPage);
lazy_page!(/// `/customer/account/delete`.
    DeleteAccountRoute => super::account_edit::DeleteAccountPage);
lazy_page!(/// `/customer/account/logoutSuccess`.
    SignedOutRoute => super::home::SignedOutPage);
lazy_page!(/// `/customer/account`.
    AccountRoute => super::account::AccountPage);
