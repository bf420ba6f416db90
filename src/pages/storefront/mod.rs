//! The storefront: one file per screen, all under `StoreLayout`. A store view other than the
//! default is addressed by its code as the first path segment (`/second_en/customer/account`).

mod account;
mod account_edit;
mod catalog;
mod context;
mod home;
mod layout;
mod lazy;
mod login;
mod orders;
mod register;
mod sales;

pub use catalog::{CategoryPage, HomePage, ProductPage, SearchBox, SearchPage};
pub use context::{store_code, StoreContext};
pub use layout::StoreLayout;
pub use lazy::{
    AccountEditRoute, AccountRoute, AddressBookRoute, AddressEditRoute, CartRoute, CheckoutRoute, DeleteAccountRoute,
    LoginRoute, OrderRoute, OrdersRoute, RegisterRoute, SignedOutRoute, SuccessRoute,
};
