//! The shopper's side: which store view a page is on, registration, sign-in, sign-out and
//! Account Information.

use crate::domain::error::AppError;
use crate::domain::forms::{AccountForm, CustomerSignInForm, RegisterForm};
use crate::domain::model::{CustomerMe, StoreView, StorefrontContext};
use leptos::prelude::*;

/// The store view named by the path prefix (empty for the default one); unknown codes are 404.
#[cfg(feature = "ssr")]
async fn store_view(code: &str) -> Result<StoreView, AppError> {
    let state = crate::server::guard::state()?;
    let code = (!code.is_empty()).then_some(code);
    crate::server::db::stores::view_by_code(&state.db.pool, code)
        .await?
        .ok_or_else(|| AppError::NotFound("This store does not exist.".into()))
}

/// The store view a path addresses; unknown codes answer 404. Public.
#[server(prefix = "/api/store", endpoint = "store")]
pub async fn get_store_view(#[server(default)] store: String) -> Result<StoreView, AppError> {
    store_view(&store).await
}

/// The store view and the signed-in shopper, for the header. Public.
#[server(prefix = "/api/store", endpoint = "context")]
pub async fn get_storefront_context(#[server(default)] store: String) -> Result<StorefrontContext, AppError> {
    use crate::server::db::customers;
    use crate::server::guard;
    let view = store_view(&store).await?;
    let state = guard::state()?;
    let customer = match guard::current_customer_id().await? {
        Some(id) => customers::me(&state.db.pool, id).await?,
        None => None,
    };
    Ok(StorefrontContext { store: view, customer })
}

/// Creates an account on the store's website and signs the shopper in. Returns where to go next.
#[server(prefix = "/api/store", endpoint = "register")]
pub async fn register(#[server(default)] form: RegisterForm) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    use crate::server::actions::{self, customers::Registration};
    use crate::server::guard;

    let view = store_view(&form.store).await?;
    let input = Registration::try_from(&form)?;
    let state = guard::state()?;
    let hash = actions::hash_new_password(&state.hasher, &input.password).await?;
    let (ip, user_agent) = guard::client();
    let mut tx = state.db.begin().await?;
    let id = actions::customers::register(&mut tx, (&ip, &user_agent), &view, &input, &hash).await?;
    tx.commit().await?;
    guard::customer_session()?.sign_in(id).await?;
    Ok(store_href(&form.store, "/customer/account"))
}

/// Signs a shopper in on this store's website (or any website under Global sharing). Wrong
/// email and wrong password answer alike and take the same time; too many failures lock the
/// account for a while (Customer Configuration > Password Options).
#[server(prefix = "/api/store", endpoint = "sign_in")]
pub async fn customer_sign_in(#[server(default)] form: CustomerSignInForm) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    use crate::server::guard;
    let view = store_view(&form.store).await?;
    let state = guard::state()?;
    let id = crate::server::actions::sign_in::customer(&state, &view, &form).await?;
    guard::customer_session()?.sign_in(id).await?;
    Ok(store_href(&form.store, "/customer/account"))
}

/// Signs the shopper out.
#[server(prefix = "/api/store", endpoint = "sign_out")]
pub async fn customer_sign_out() -> Result<(), AppError> {
    crate::server::guard::customer_session()?.sign_out().await
}

/// The signed-in shopper's Account Information.
#[server(prefix = "/api/store", endpoint = "account")]
pub async fn account_info() -> Result<CustomerMe, AppError> {
    use crate::server::db::customers;
    use crate::server::guard;
    let id = guard::customer().await?;
    let state = guard::state()?;
    customers::me(&state.db.pool, id)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("Please sign in to your account.".into()))
}

/// Saves Account Information. Changing the email or the password needs the current password.
#[server(prefix = "/api/store", endpoint = "account_save")]
pub async fn save_account_info(#[server(default)] form: AccountForm) -> Result<(), AppError> {
    use crate::domain::forms::fields::account as f;
    use crate::server::actions::{self, customers::AccountChange};
    use crate::server::db::audit::Actor;
    use crate::server::db::customers;
    use crate::server::guard;

    let id = guard::customer().await?;
    let input = AccountChange::try_from(&form)?;
    let state = guard::state()?;
    // Passwords are checked and hashed before the transaction: no write lock waits on argon2.
    if let Some(current) = &input.current_password {
        let hash = customers::password_hash(&state.db.pool, id).await?;
        if !state.hasher.verify(current.clone(), hash).await? {
            return Err(AppError::field(
                f::current_password.key,
                "The password doesn't match this account. Verify the password and try again.",
            ));
        }
    }
    let new_hash = match &input.password {
        Some(p) => Some(actions::hash_new_password(&state.hasher, p).await?),
        None => None,
    };
    let mut tx = state.db.begin().await?;
    actions::customers::save_account(&mut tx, &guard::origin(Actor::Customer { id }), id, &input, new_hash.as_ref())
        .await?;
    tx.commit().await?;
    Ok(())
}
