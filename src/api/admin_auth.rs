//! Admin sign-in, sign-out and "who am I".

use crate::domain::error::AppError;
use crate::domain::forms::SignInForm;
use crate::domain::model::AdminMe;
use leptos::prelude::*;

/// The signed-in admin, or `None`. Public: the admin layout asks before showing the sign-in form.
#[server(prefix = "/admin/api", endpoint = "me")]
pub async fn get_admin_me() -> Result<Option<AdminMe>, AppError> {
    use crate::server::guard;
    Ok(guard::current_admin().await?.map(|a| AdminMe {
        id: a.id,
        username: a.username,
        first_name: a.first_name,
        last_name: a.last_name,
        resources: a.grant.resources(),
    }))
}

/// Signs an admin in. Wrong user name and wrong password answer alike and take the same
/// time; after too many failures the account is locked for a while. The session id is
/// replaced on success.
#[server(prefix = "/admin/api", endpoint = "sign_in")]
pub async fn admin_sign_in(#[server(default)] form: SignInForm) -> Result<(), AppError> {
    use crate::domain::config::{ADMIN_LOCKOUT_FAILURES, ADMIN_LOCKOUT_MINUTES, ADMIN_SESSION_LIFETIME};
    use crate::server::db::audit::{self, Actor, Entry};
    use crate::server::db::lockout::{self, Accounts};
    use crate::server::db::{admins, config as cfg};
    use crate::server::guard;

    let state = guard::state()?;
    let session = guard::admin_session()?;
    let username = form.username.trim().to_string();
    if username.is_empty() || form.password.is_empty() || username.len() > 255 || form.password.len() > 1024 {
        return Err(AppError::invalid("Please enter your user name and password."));
    }
    let pool = &state.db.pool;
    let max_failures = cfg::default_number(pool, ADMIN_LOCKOUT_FAILURES).await?;
    let lock_minutes = cfg::default_number(pool, ADMIN_LOCKOUT_MINUTES).await?;
    let lifetime = cfg::default_number(pool, ADMIN_SESSION_LIFETIME).await?;

    let creds = admins::credentials(pool, &username).await?;
    let verified = state.hasher.verify(form.password.clone(), creds.as_ref().map(|c| c.password_hash.clone())).await?;
    let locked = lockout::is_locked(creds.as_ref().and_then(|c| c.lock_expires_at));
    let active = creds.as_ref().is_some_and(|c| c.is_active);
    let refused = || {
        AppError::Unauthenticated(
            "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
                .into(),
        )
    };

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
    audit::write(&mut tx, &guard::origin(actor), entry).await?;
    tx.commit().await?;

    session.sign_in(outcome?, lifetime).await
}

/// Ends the admin's session.
#[server(prefix = "/admin/api", endpoint = "sign_out")]
pub async fn admin_sign_out() -> Result<(), AppError> {
    use crate::server::guard;
    let admin = guard::signed_in_admin().await?;
    admin.session.sign_out().await
}
