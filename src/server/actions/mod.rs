//! One function per change the app can make. Each takes a typed input (built from its form
//! with `TryFrom`, every field's error at once), who is acting (`Origin`) and a transaction,
//! and owns its rights check ([`Rights`]), the database checks, the action-log entry and the
//! cascades (such as the assistance sessions a change ends). Server functions, the command
//! line, the JSON API, the demo data and the tests call these; none can skip a check.
//!
//! Password hashing is slow on purpose, so it happens before the transaction opens: inputs
//! that set a password carry its hash (`PasswordHash`), made by [`hash_new_password`].

pub mod admin_users;
pub mod assist;
pub mod catalog;
pub mod config;
pub mod consent;
pub mod customers;
pub mod integrations;
pub mod roles;
pub mod sales;
pub mod sign_in;

use super::db::audit::{self, Origin};
use super::db::{admins, Tx};
use super::password::{Hasher, Requester};
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::authority::{self, Acting, Change, Refusal};
use crate::domain::error::AppError;
use crate::domain::input::NewPassword;
use crate::domain::msg::Msg;

/// An argon2id hash of a new password, made before the transaction that stores it.
#[derive(Clone)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// Hashes a new password in `who`'s hashing lane (see [`Hasher`]).
pub async fn hash_new_password(
    hasher: &Hasher,
    who: &Requester,
    password: &NewPassword,
) -> Result<PasswordHash, AppError> {
    Ok(PasswordHash(hasher.hash(who, password.expose().to_string()).await?))
}

/// Hashes on this thread, for the command line (no server is running).
pub fn hash_new_password_blocking(password: &NewPassword) -> Result<PasswordHash, AppError> {
    Ok(PasswordHash(super::password::hash_blocking(password.expose())?))
}

/// Merges the screen's re-authentication field (the acting admin's own password, which must
/// not be empty) into a form's parse, so one answer names every field that is wrong.
pub fn reauthenticated<T>(parsed: Result<T, AppError>, own_password: &str, msg: Msg) -> Result<T, AppError> {
    if !own_password.is_empty() {
        return parsed;
    }
    let mut errors = crate::domain::error::FieldErrors::default();
    if let Err(e) = parsed {
        errors.push(e);
    }
    errors.add("current_password", msg);
    errors.finish().and(Err(AppError::Internal))
}

/// An optional record id from a form: empty for a new record.
pub(crate) fn optional_id(raw: &str, missing: Msg) -> Result<Option<i64>, AppError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        crate::domain::input::parse_id(raw, missing).map(Some)
    }
}

/// Who acts, as a change's own checks see it, read inside its transaction: the admin's id
/// (`None` for the server's console), what their role grants now and the websites it covers.
/// Every action that an admin makes checks its rights through this, so no caller (screen,
/// command line, JSON API, test) can skip a check by calling the action directly.
#[derive(Clone, Debug)]
pub struct Rights {
    pub id: Option<i64>,
    pub grant: Grant,
    pub scope: Scope,
}

impl Rights {
    /// The acting admin of `origin`; a shopper (or an admin assisting one) holds no admin right.
    pub async fn of(tx: &mut Tx<'_>, origin: &Origin) -> Result<Rights, AppError> {
        let (id, grant) = acting_grant(tx, origin).await?;
        let scope = acting_scope(tx, id).await?;
        Ok(Rights { id, grant, scope })
    }

    /// Refuses unless the role grants `resource` (the refusal every admin endpoint gives).
    pub fn require(&self, resource: Resource) -> Result<(), AppError> {
        require(&self.grant, resource)
    }
}

/// Refuses unless `grant` allows `resource`.
pub(crate) fn require(grant: &Grant, resource: Resource) -> Result<(), AppError> {
    if grant.allows(resource) {
        Ok(())
    } else {
        tracing::warn!(resource = resource.id(), "permission refused");
        Err(AppError::forbidden(Msg::PermissionNeeded { resource }))
    }
}

/// What the acting admin's role grants, read inside the change's transaction (the console
/// holds everything). An admin who is gone or inactive by now holds nothing.
pub(crate) async fn acting_grant(tx: &mut Tx<'_>, origin: &Origin) -> Result<(Option<i64>, Grant), AppError> {
    match &origin.actor {
        audit::Actor::System { .. } => Ok((None, Grant::All)),
        audit::Actor::Admin { id, .. } | audit::Actor::Integration { admin_id: id, .. } => {
            match admins::user(&mut **tx, *id).await? {
                Some(user) if user.is_active => Ok((Some(*id), admins::role_grant_on(tx, user.role_id).await?)),
                _ => Err(AppError::forbidden(Msg::AccountCannotChange)),
            }
        }
        _ => Err(AppError::forbidden(Msg::OnlyAdminPrivileges)),
    }
}

/// Applies the privilege rule ([`authority::check`]) to `change` by the acting admin, after
/// taking the privilege lock, so the count of full admins it relies on cannot change under it.
/// `field` names the form field a refusal of one's own account or of the last full admin is
/// shown next to; attempts to reach beyond one's own role are refused outright (403).
pub(crate) async fn authorize_privileges(
    tx: &mut Tx<'_>,
    acting: (Option<i64>, &Grant),
    change: Change<'_>,
    field: &str,
) -> Result<(), AppError> {
    let full = admins::active_full_admins(&mut **tx, None).await?;
    authority::check(Acting { id: acting.0, grant: acting.1 }, change, full).map_err(|refusal| {
        tracing::warn!(?refusal, "privilege change refused");
        match refusal {
            Refusal::OwnAccount | Refusal::LastFullAdmin => AppError::field(field, refusal.msg()),
            Refusal::GrantsMore
            | Refusal::Outranked
            | Refusal::OwnRole
            | Refusal::WiderScope
            | Refusal::OutsideScope => AppError::forbidden(refusal.msg()),
        }
    })
}

/// The acting admin's role scope, read inside the change's transaction (the console covers
/// every website).
pub(crate) async fn acting_scope(tx: &mut Tx<'_>, me: Option<i64>) -> Result<Scope, AppError> {
    let Some(me) = me else { return Ok(Scope::All) };
    let role = admins::user(&mut **tx, me).await?.map(|u| u.role_id).ok_or(AppError::Internal)?;
    Ok(admins::role_scope_on(tx, role).await?)
}

/// The scope half of the privilege rule ([`authority::check_scope`]); refusals are 403.
pub(crate) fn authorize_scope(
    acting: &Scope,
    touched: Option<&Scope>,
    granting: Option<&Scope>,
) -> Result<(), AppError> {
    authority::check_scope(acting, touched, granting).map_err(|refusal| {
        tracing::warn!(?refusal, "scope change refused");
        AppError::forbidden(refusal.msg())
    })
}
