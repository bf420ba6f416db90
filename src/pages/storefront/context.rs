//! What the storefront's pages share: the store code in the path, the layout's context, and
//! the signal that reloads who is signed in.

use crate::l10n::{current, money};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The store code in the path, or empty for the default store view.
pub fn store_code() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("store").unwrap_or_default()))
}

/// The layout's storefront context (store view, shopper, consent checkbox), for pages to await
/// rather than fetch again.
#[derive(Clone, Copy)]
pub struct StoreContext(pub Resource<Result<crate::domain::model::StorefrontContext, crate::domain::error::AppError>>);

/// Bumped after sign-in, sign-out and account changes so the header reloads who is signed in.
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<u32>);

pub fn bump_auth() {
    if let Some(AuthVersion(v)) = use_context::<AuthVersion>() {
        v.update(|n| *n += 1);
    }
}

/// Bumped after each cart change, so the mini cart (and a page showing the cart) reloads.
#[derive(Clone, Copy)]
pub struct CartVersion(pub RwSignal<u32>);

pub fn bump_cart() {
    if let Some(CartVersion(v)) = use_context::<CartVersion>() {
        v.update(|n| *n += 1);
    }
}

/// The cart's version, as a load's source (0 outside the layout).
pub fn cart_version() -> u32 {
    use_context::<CartVersion>().map(|CartVersion(v)| v.get()).unwrap_or_default()
}

/// Who is signed in, as a load's source: signing in or out reprices what is shown.
pub fn auth_version() -> u32 {
    use_context::<AuthVersion>().map(|AuthVersion(v)| v.get()).unwrap_or_default()
}

/// A price as the store view writes it.
pub(super) fn price(currency: &str, minor: i64) -> String {
    money(current(), currency, minor)
}
