//! Signing in, for admins and shoppers: the password check, the failure count and lock, and
//! (for admins) the log entry. The caller starts the session with the id returned.
//!
//! Wrong names and wrong passwords answer alike and take the same time (a dummy hash is
//! checked for unknown names); hashing happens before the transaction that records the outcome.

use crate::domain::config::{
    ADMIN_LOCKOUT_FAILURES, ADMIN_LOCKOUT_MINUTES, CUSTOMER_LOCKOUT_FAILURES, CUSTOMER_LOCKOUT_MINUTES, SHARE_SCOPE,
};
use crate::domain::error::AppError;
use crate::domain::forms::{fields, CustomerSignInForm, SignInForm};
use crate::domain::input::Email;
use crate::domain::model::StoreView;
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::lockout::{self, Accounts};
use crate::server::db::{admins, config as cfg, customers};
use crate::server::state::AppState;

fn refused() -> AppError {
    AppError::Unauthenticated(
        "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
            .into(),
    )
}

/// Checks an admin's user name and password; logs the attempt whatever its outcome. Returns
/// the admin's id.
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn admin(state: &AppState, client: (String, String), form: &SignInForm) -> Result<i64, AppError> {
    let username = form.username.trim().to_string();
    if username.is_empty() || form.password.is_empty() || username.len() > 255 || form.password.len() > 1024 {
        return Err(AppError::invalid("Please enter your user name and password."));
    }
    let pool = &state.db.pool;
    let max_failures = cfg::default_number(pool, ADMIN_LOCKOUT_FAILURES).await?;
    let lock_minutes = cfg::default_number(pool, ADMIN_LOCKOUT_MINUTES).await?;

    let creds = admins::credentials(pool, &username).await?;
    let verified = state.hasher.verify(form.password.clone(), creds.as_ref().map(|c| c.password_hash.clone())).await?;
    let locked = lockout::is_locked(creds.as_ref().and_then(|c| c.lock_expires_at));
    let active = creds.as_ref().is_some_and(|c| c.is_active);

    let mut tx = state.db.begin().await?;
    let (result, outcome) = match (&creds, verified, locked, active) {
        (Some(_), _, true, _) => (
            "locked",
            Err(AppError::Locked(
                "Your account is temporarily locked. Please try again later or contact the store owner.".into(),
            )),
        ),
        (Some(c), true, false, true) => {
            lockout::record_success(&mut tx, Accounts::Admins, c.id).await?;
            admins::record_login(&mut tx, c.id).await?;
            ("success", Ok(c.id))
        }
        (Some(_), true, false, false) => ("inactive", Err(refused())),
        (Some(c), false, false, _) => {
            let now_locked =
                lockout::record_failure(&mut tx, Accounts::Admins, c.id, max_failures, lock_minutes * 60_000).await?;
            (if now_locked { "failure, account locked" } else { "failure" }, Err(refused()))
        }
        (None, _, _, _) => ("failure, unknown user", Err(refused())),
    };
    let actor = match (&creds, &outcome) {
        (Some(c), Ok(_)) => Actor::Admin { id: c.id, username: c.username.clone() },
        _ => Actor::Anonymous { claimed: username.clone(), admin_id: creds.as_ref().map(|c| c.id) },
    };
    let entry = Entry {
        group: audit::group::ADMIN_SIGN_IN,
        action: "Sign in",
        target_type: "admin_user",
        target_id: creds.as_ref().map(|c| c.id.to_string()).unwrap_or_default(),
        old: None,
        new: None,
        result,
    };
    let origin = Origin { actor, ip: client.0, user_agent: client.1 };
    audit::write(&mut tx, &origin, entry).await?;
    tx.commit().await?;
    outcome
}

/// Checks a shopper's email and password on the store view's website (any website under
/// Global sharing). Too many failures lock the account for a while. Returns the customer's id.
#[tracing::instrument(skip_all, fields(store = %view.code), err(level = "warn"))]
pub async fn customer(state: &AppState, view: &StoreView, form: &CustomerSignInForm) -> Result<i64, AppError> {
    use fields::customer_sign_in as f;
    if form.password.is_empty() || form.password.len() > 1024 {
        return Err(AppError::field(f::password.key, "This is a required field."));
    }
    let email = Email::parse(&form.email, f::email.key)?;
    let pool = &state.db.pool;
    let shared_globally = cfg::default_value(pool, SHARE_SCOPE).await? == "global";
    let scope = (!shared_globally).then_some(view.website_id);
    let creds = customers::credentials(pool, &email.normalized(), scope).await?;
    let ok = state.hasher.verify(form.password.clone(), creds.as_ref().map(|c| c.password_hash.clone())).await?;
    let Some(creds) = creds else { return Err(refused()) };
    if lockout::is_locked(creds.lock_expires_at) {
        return Err(AppError::Locked("The account is locked. Please wait and try again or contact the store.".into()));
    }
    let mut tx = state.db.begin().await?;
    if !ok {
        let max = cfg::default_number(pool, CUSTOMER_LOCKOUT_FAILURES).await?;
        let minutes = cfg::default_number(pool, CUSTOMER_LOCKOUT_MINUTES).await?;
        lockout::record_failure(&mut tx, Accounts::Customers, creds.id, max, minutes * 60_000).await?;
        tx.commit().await?;
        return Err(refused());
    }
    if !creds.is_active {
        return Err(refused());
    }
    lockout::record_success(&mut tx, Accounts::Customers, creds.id).await?;
    tx.commit().await?;
    Ok(creds.id)
}
