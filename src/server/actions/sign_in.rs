//! Signing in and re-authenticating, for admins and shoppers: the password check, the failure
//! count per account name and client address (`db::lockout`), and (for admins) the log entry.
//! The caller starts the session with what is returned.
//!
//! A locked, unknown or wrong-password attempt (and an inactive account) gets the same answer
//! and status, so the answer does not tell which accounts exist. Unknown names are checked
//! against a dummy hash and counted like known ones. Hashing happens before the transaction
//! that decides; the decision re-reads the count under its row lock, so parallel attempts
//! cannot slip a right password past failures counted a moment before.

use crate::domain::config::{
    ADMIN_LOCKOUT_FAILURES, ADMIN_LOCKOUT_MINUTES, CUSTOMER_LOCKOUT_FAILURES, CUSTOMER_LOCKOUT_MINUTES, SHARE_SCOPE,
};
use crate::domain::error::AppError;
use crate::domain::forms::{fields, CustomerSignInForm, SignInForm};
use crate::domain::input::Email;
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::lockout::{self, Attempt, Failure, Policy};
use crate::server::db::{admins, config as cfg, customers, Tx};
use crate::server::password::Requester;
use crate::server::state::AppState;

fn refused() -> AppError {
    AppError::unauthenticated(Msg::SignInRefused)
}

/// Who signed in, and the account's session epoch for the new session to carry.
#[derive(Clone, Copy, Debug)]
pub struct SignedIn {
    pub id: i64,
    pub epoch: i64,
}

/// How a password check ended for one account name and address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Refused before any hashing: the pair was already locked. Not written to the action log
    /// (it costs the sender nothing, so it could flood the log), only to the server log.
    LockedBeforeCheck,
    Admitted,
    Wrong,
    NowLocked,
    Locked,
}

async fn policy(state: &AppState, failures: &str, minutes: &str) -> Result<Policy, AppError> {
    let pool = &state.db.pool;
    Ok(Policy {
        max_failures: cfg::default_number(pool, failures).await?,
        lock_minutes: cfg::default_number(pool, minutes).await?,
    })
}

/// Checks `password` against `hash` (`None`: no such account) for `attempt`. A locked pair is
/// refused before any hashing. Returns the transaction the verdict was taken in, for the
/// caller's own writes and log entry.
async fn decide(
    state: &AppState,
    attempt: &Attempt,
    policy: Policy,
    who: &Requester,
    password: &str,
    hash: Option<String>,
) -> Result<(Tx<'static>, Verdict), AppError> {
    if lockout::is_locked(&state.db.pool, attempt).await? {
        tracing::warn!(kind = ?attempt.kind, ip = %attempt.ip, "sign-in refused: locked");
        return Ok((state.db.begin().await?, Verdict::LockedBeforeCheck));
    }
    let ok = state.hasher.verify(who, password.to_string(), hash).await?;
    let mut tx = state.db.begin().await?;
    let verdict = if ok {
        if lockout::admit(&mut tx, attempt).await? {
            Verdict::Admitted
        } else {
            Verdict::Locked
        }
    } else {
        match lockout::record_failure(&mut tx, attempt, policy).await? {
            Failure::Counted => Verdict::Wrong,
            Failure::NowLocked => Verdict::NowLocked,
            Failure::Locked => Verdict::Locked,
        }
    };
    Ok((tx, verdict))
}

/// Checks an admin's user name and password from `client` (address, user agent); logs the
/// attempt whatever its outcome.
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn admin(state: &AppState, client: (String, String), form: &SignInForm) -> Result<SignedIn, AppError> {
    let username = form.username.trim().to_string();
    if username.is_empty() || form.password.is_empty() || username.len() > 255 || form.password.len() > 1024 {
        return Err(AppError::invalid(Msg::CredentialsRequired));
    }
    let policy = policy(state, ADMIN_LOCKOUT_FAILURES, ADMIN_LOCKOUT_MINUTES).await?;
    let creds = admins::credentials(&state.db.pool, &username).await?;
    let attempt = Attempt::admin(&username, &client.0);
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    let (mut tx, verdict) = decide(state, &attempt, policy, &Requester::admin(&client.0), &form.password, hash).await?;
    if verdict == Verdict::LockedBeforeCheck {
        return Err(refused());
    }
    let (result, outcome) = match (&creds, verdict) {
        (Some(c), Verdict::Admitted) if c.is_active => {
            admins::record_login(&mut tx, c.id).await?;
            ("success", Ok(SignedIn { id: c.id, epoch: c.session_epoch }))
        }
        (Some(_), Verdict::Admitted) => ("inactive", Err(refused())),
        (_, Verdict::Locked | Verdict::LockedBeforeCheck) => ("locked", Err(refused())),
        (_, Verdict::NowLocked) => ("failure, now locked", Err(refused())),
        (Some(_), Verdict::Wrong) => ("failure", Err(refused())),
        (None, _) => ("failure, unknown user", Err(refused())),
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

/// The screens' re-authentication (`Your Password` on user and role saves): checks the acting
/// admin's own password, counted like a sign-in (a wrong one is a failure; a locked pair is
/// refused even with the right one). Call it before the change's transaction opens.
#[tracing::instrument(skip_all, fields(admin = admin_id), err(level = "warn"))]
pub async fn confirm_admin(state: &AppState, admin_id: i64, ip: &str, password: &str) -> Result<(), AppError> {
    let (username, hash) = admins::own_credentials(&state.db.pool, admin_id).await?.ok_or(AppError::Internal)?;
    let policy = policy(state, ADMIN_LOCKOUT_FAILURES, ADMIN_LOCKOUT_MINUTES).await?;
    let attempt = Attempt::admin(&username, ip);
    let (tx, verdict) = decide(state, &attempt, policy, &Requester::admin(ip), password, Some(hash)).await?;
    tx.commit().await?;
    match verdict {
        Verdict::Admitted => Ok(()),
        _ => Err(AppError::field("current_password", Msg::AdminPasswordWrong)),
    }
}

/// The website a shopper's email is unique on (`None`: accounts are shared globally).
async fn account_scope(state: &AppState, website_id: i64) -> Result<Option<i64>, AppError> {
    let shared_globally = cfg::default_value(&state.db.pool, SHARE_SCOPE).await? == "global";
    Ok((!shared_globally).then_some(website_id))
}

/// Checks a shopper's email and password on the store view's website (any website under
/// Global sharing), from client address `ip`.
#[tracing::instrument(skip_all, fields(store = %view.code), err(level = "warn"))]
pub async fn customer(
    state: &AppState,
    view: &StoreView,
    ip: &str,
    form: &CustomerSignInForm,
) -> Result<SignedIn, AppError> {
    use fields::customer_sign_in as f;
    if form.password.is_empty() || form.password.len() > 1024 {
        return Err(AppError::field(f::password.key, Msg::Required));
    }
    let email = Email::parse(&form.email, f::email.key)?;
    let scope = account_scope(state, view.website_id).await?;
    let policy = policy(state, CUSTOMER_LOCKOUT_FAILURES, CUSTOMER_LOCKOUT_MINUTES).await?;
    let creds = customers::credentials(&state.db.pool, &email.normalized(), scope).await?;
    let attempt = Attempt::customer(&email.normalized(), scope, ip);
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    let (tx, verdict) = decide(state, &attempt, policy, &Requester::shopper(ip), &form.password, hash).await?;
    tx.commit().await?;
    match (creds, verdict) {
        (Some(c), Verdict::Admitted) if c.is_active => Ok(SignedIn { id: c.id, epoch: c.session_epoch }),
        _ => Err(refused()),
    }
}

/// The storefront's re-authentication (the current password, to change the email or the
/// password), counted like a sign-in. Call it before the change's transaction opens.
#[tracing::instrument(skip_all, fields(customer = customer_id), err(level = "warn"))]
pub async fn confirm_customer(state: &AppState, customer_id: i64, ip: &str, password: &str) -> Result<(), AppError> {
    let (email, website_id, hash) =
        customers::own_credentials(&state.db.pool, customer_id).await?.ok_or(AppError::Internal)?;
    let scope = account_scope(state, website_id).await?;
    let policy = policy(state, CUSTOMER_LOCKOUT_FAILURES, CUSTOMER_LOCKOUT_MINUTES).await?;
    let attempt = Attempt::customer(&email, scope, ip);
    let (tx, verdict) = decide(state, &attempt, policy, &Requester::shopper(ip), password, Some(hash)).await?;
    tx.commit().await?;
    match verdict {
        Verdict::Admitted => Ok(()),
        _ => Err(AppError::field(fields::account::current_password.key, Msg::CustomerPasswordWrong)),
    }
}

/// Clears an admin's failure counts and locks from every address (`admin unlock`, and every
/// new password set for them). Returns how many addresses were locked.
pub async fn unlock_admin(tx: &mut Tx<'_>, username: &str) -> Result<u64, AppError> {
    Ok(lockout::clear_account(tx, lockout::Kind::Admin, &Attempt::admin(username, "").account).await?)
}
