//! The storefront: one file per screen, all under `StoreLayout`. A store view other than the
//! default is addressed by its code as the first path segment (`/second_en/customer/account`).

mod account;
mod account_edit;
mod catalog;
mod context;
mod home;
mod layout;
mod login;
mod orders;
mod register;
mod sales;

pub use account::AccountPage;
pub use account_edit::{AccountEditPage, DeleteAccountPage};
pub use catalog::{CategoryPage, HomePage, ProductPage, SearchBox, SearchPage};
pub use context::{store_code, StoreContext};
pub use home::SignedOutPage;
pub use layout::StoreLayout;
pub use login::LoginPage;
pub use orders::{AddressBookPage, AddressEditPage, OrderPage, OrdersPage};
pub use register::RegisterPage;
pub use sales::{CartPage, CheckoutPage, SuccessPage};
