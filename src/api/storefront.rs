//! The shopper's side: which store view a page is on, registration, sign-in, sign-out and
//! Account Information.

use crate::domain::error::AppError;
use crate::domain::model::{CustomerMe, StorefrontContext};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub store: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerSignInForm {
    pub store: String,
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub first_name: String,
    pub last_name: String,
    pub change_email: String,
    pub email: String,
    pub change_password: String,
    pub current_password: String,
    pub password: String,
    pub password_confirmation: String,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::error::AppError;
    use crate::domain::model::StoreView;
    use crate::server::db::stores;
    use crate::server::guard::{internal, state};

    /// The store view named by the path prefix (empty for the default one); unknown codes are 404.
    pub async fn store_view(code: &str) -> Result<StoreView, AppError> {
        let state = state()?;
        let code = (!code.is_empty()).then_some(code);
        stores::view_by_code(&state.db.pool, code)
            .await
            .map_err(internal("store view"))?
            .ok_or_else(|| AppError::NotFound("This store does not exist.".into()))
    }

    pub use crate::api::storefront_sharing as sharing_website;

    /// A storefront path on the store view addressed by `code` (empty: the default one).
    pub fn home(code: &str, path: &str) -> String {
        if code.is_empty() {
            path.to_string()
        } else {
            format!("/{code}{path}")
        }
    }
}

/// The store view a path addresses; unknown codes answer 404. Public.
#[server(prefix = "/api/store", endpoint = "store")]
pub async fn get_store_view(#[server(default)] store: String) -> Result<crate::domain::model::StoreView, AppError> {
    ssr::store_view(&store).await
}

/// The store view and the signed-in shopper, for the header. Public.
#[server(prefix = "/api/store", endpoint = "context")]
pub async fn get_storefront_context(#[server(default)] store: String) -> Result<StorefrontContext, AppError> {
    use crate::server::db::customers;
    use crate::server::guard::{self, internal};
    let view = ssr::store_view(&store).await?;
    let state = guard::state()?;
    let customer = match guard::current_customer_id().await? {
        Some(id) => customers::me(&state.db.pool, id).await.map_err(internal("customer"))?,
        None => None,
    };
    Ok(StorefrontContext { store: view, customer })
}

/// Creates an account on the store's website and signs the shopper in. Returns where to go next.
#[server(prefix = "/api/store", endpoint = "register")]
pub async fn register(#[server(default)] form: RegisterForm) -> Result<String, AppError> {
    use crate::domain::input::{Email, NewPassword, PersonName};
    use crate::server::db::customers::{self, NewCustomer};
    use crate::server::guard::{self, internal};
    use crate::server::session::CustomerSession;

    let view = ssr::store_view(&form.store).await?;
    let first = PersonName::parse(&form.first_name, "first_name", "First Name")?;
    let last = PersonName::parse(&form.last_name, "last_name", "Last Name")?;
    let email = Email::parse(&form.email, "email")?;
    let password = NewPassword::parse(&form.password, "password")?;
    if form.password != form.password_confirmation {
        return Err(AppError::field("password_confirmation", "Please enter the same value again."));
    }
    let state = guard::state()?;
    let hash = state.hasher.hash(password.expose().to_string()).await.map_err(|_| AppError::Internal)?;
    let group = customers::default_group(&state.db.pool).await.map_err(internal("group"))?;
    let scope = ssr::sharing_website(view.website_id).await?;
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    if customers::email_taken(&mut tx, &email.normalized(), scope, 0).await.map_err(internal("email check"))? {
        return Err(AppError::conflict(
            "email",
            "There is already an account with this email address. If you are sure that it is your email address, sign in instead.",
        ));
    }
    let id = customers::create(
        &mut tx,
        &NewCustomer {
            website_id: view.website_id,
            store_view_id: view.id,
            group_id: group,
            email: email.as_str(),
            first_name: first.as_str(),
            last_name: last.as_str(),
            password_hash: &hash,
            assistance_allowed: false,
        },
    )
    .await
    .map_err(|e| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::conflict("email", "There is already an account with this email address.")
        } else {
            internal("create customer")(e)
        }
    })?;
    tx.commit().await.map_err(internal("commit"))?;
    let session = guard::customer_session()?;
    session.0.cycle_id().await.map_err(|_| AppError::Internal)?;
    session.0.insert(CustomerSession::CUSTOMER_ID, id).await.map_err(|_| AppError::Internal)?;
    Ok(ssr::home(&form.store, "/customer/account"))
}

/// Signs a shopper in on this store's website (or any website under Global sharing). Wrong
/// email and wrong password answer alike and take the same time; too many failures lock the
/// account for a while (Customer Configuration > Password Options).
#[server(prefix = "/api/store", endpoint = "sign_in")]
pub async fn customer_sign_in(#[server(default)] form: CustomerSignInForm) -> Result<String, AppError> {
    use crate::domain::config::{CUSTOMER_LOCKOUT_FAILURES, CUSTOMER_LOCKOUT_MINUTES};
    use crate::domain::input::Email;
    use crate::server::db::lockout::{self, Accounts};
    use crate::server::db::{config as cfg, customers};
    use crate::server::guard::{self, internal};
    use crate::server::session::CustomerSession;

    let view = ssr::store_view(&form.store).await?;
    if form.password.is_empty() || form.password.len() > 1024 {
        return Err(AppError::field("password", "This is a required field."));
    }
    let email = Email::parse(&form.email, "email")?;
    let state = guard::state()?;
    let pool = &state.db.pool;
    let scope = ssr::sharing_website(view.website_id).await?;
    let creds = customers::credentials(pool, &email.normalized(), scope).await.map_err(internal("credentials"))?;
    let ok =
        state.hasher.verify(form.password.clone(), creds.as_ref().map(|c| c.password_hash.clone())).await.map_err(
            |_| AppError::Locked("Too many sign-in attempts right now. Please try again in a moment.".into()),
        )?;
    let refused = || {
        AppError::Unauthenticated(
            "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
                .into(),
        )
    };
    let Some(creds) = creds else { return Err(refused()) };
    if lockout::is_locked(creds.lock_expires_at) {
        return Err(AppError::Locked("The account is locked. Please wait and try again or contact the store.".into()));
    }
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    if !ok {
        let max = cfg::default_number(pool, CUSTOMER_LOCKOUT_FAILURES).await.map_err(internal("config"))?;
        let minutes = cfg::default_number(pool, CUSTOMER_LOCKOUT_MINUTES).await.map_err(internal("config"))?;
        lockout::record_failure(&mut tx, Accounts::Customers, creds.id, max, minutes * 60_000)
            .await
            .map_err(internal("record failure"))?;
        tx.commit().await.map_err(internal("commit"))?;
        return Err(refused());
    }
    if !creds.is_active {
        return Err(refused());
    }
    lockout::record_success(&mut tx, Accounts::Customers, creds.id).await.map_err(internal("record success"))?;
    tx.commit().await.map_err(internal("commit"))?;
    let session = guard::customer_session()?;
    session.0.cycle_id().await.map_err(|_| AppError::Internal)?;
    session.0.insert(CustomerSession::CUSTOMER_ID, creds.id).await.map_err(|_| AppError::Internal)?;
    Ok(ssr::home(&form.store, "/customer/account"))
}

/// Signs the shopper out.
#[server(prefix = "/api/store", endpoint = "sign_out")]
pub async fn customer_sign_out() -> Result<(), AppError> {
    use crate::server::guard;
    let session = guard::customer_session()?;
    session.0.flush().await.map_err(|_| AppError::Internal)?;
    Ok(())
}

/// The signed-in shopper's Account Information.
#[server(prefix = "/api/store", endpoint = "account")]
pub async fn account_info() -> Result<CustomerMe, AppError> {
    use crate::server::db::customers;
    use crate::server::guard::{self, internal};
    let id = guard::customer().await?;
    let state = guard::state()?;
    customers::me(&state.db.pool, id)
        .await
        .map_err(internal("customer"))?
        .ok_or_else(|| AppError::Unauthenticated("Please sign in to your account.".into()))
}

/// Saves Account Information. Changing the email or the password needs the current password.
#[server(prefix = "/api/store", endpoint = "account_save")]
pub async fn save_account_info(#[server(default)] form: AccountForm) -> Result<(), AppError> {
    use crate::domain::input::{Email, NewPassword, PersonName};
    use crate::server::db::customers;
    use crate::server::guard::{self, internal};

    let id = guard::customer().await?;
    let state = guard::state()?;
    let first = PersonName::parse(&form.first_name, "first_name", "First Name")?;
    let last = PersonName::parse(&form.last_name, "last_name", "Last Name")?;
    let change_email = !form.change_email.is_empty();
    let change_password = !form.change_password.is_empty();
    let current = customers::me(&state.db.pool, id).await.map_err(internal("customer"))?.ok_or(AppError::Internal)?;
    let detail =
        customers::detail(&state.db.pool, id).await.map_err(internal("customer"))?.ok_or(AppError::Internal)?;
    let email = if change_email { Email::parse(&form.email, "email")? } else { Email::parse(&current.email, "email")? };
    let new_password = if change_password { Some(NewPassword::parse(&form.password, "password")?) } else { None };
    if change_password && form.password != form.password_confirmation {
        return Err(AppError::field("password_confirmation", "Please enter the same value again."));
    }
    // Passwords are checked and hashed before the transaction: no write lock waits on argon2.
    if change_email || change_password {
        if form.current_password.is_empty() {
            return Err(AppError::field("current_password", "Please enter your current password."));
        }
        let hash = customers::password_hash(&state.db.pool, id).await.map_err(internal("hash"))?;
        let ok = state.hasher.verify(form.current_password.clone(), hash).await.map_err(|_| AppError::Internal)?;
        if !ok {
            return Err(AppError::field(
                "current_password",
                "The password doesn't match this account. Verify the password and try again.",
            ));
        }
    }
    let new_hash = match new_password {
        Some(p) => Some(state.hasher.hash(p.expose().to_string()).await.map_err(|_| AppError::Internal)?),
        None => None,
    };
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    if change_email {
        let scope = ssr::sharing_website(detail.website_id).await?;
        if customers::email_taken(&mut tx, &email.normalized(), scope, id).await.map_err(internal("email check"))? {
            return Err(AppError::conflict(
                "email",
                "A customer with the same email address already exists in an associated website.",
            ));
        }
    }
    customers::update_account(&mut tx, id, first.as_str(), last.as_str(), email.as_str(), new_hash.as_deref())
        .await
        .map_err(|e| {
            if crate::server::db::is_unique_violation(&e) {
                AppError::conflict(
                    "email",
                    "A customer with the same email address already exists in an associated website.",
                )
            } else {
                internal("update account")(e)
            }
        })?;
    tx.commit().await.map_err(internal("commit"))?;
    Ok(())
}
