//! Creating and editing admin users (System > Permissions > All Users, `admin create`).

use super::{optional_id, PasswordHash};
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::EndReason;
use crate::domain::authority::UserLimits;
use crate::domain::authority::{check, check_scope, Acting, Change, Refusal, UserNow};
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields::admin_user as f, AdminUserForm};
use crate::domain::input::{Email, NewPassword, PersonName, Username};
use crate::domain::model::AdminUserRow;
use crate::domain::msg::Msg;
use crate::server::db::assist::Running;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::{admins, Tx};
use crate::server::error::OnUnique;
use serde::Serialize;

/// A valid admin user form.
#[derive(Debug)]
pub struct AdminUserInput {
    /// `None` creates a user.
    pub id: Option<i64>,
    pub username: Username,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub role_id: i64,
    pub is_active: bool,
    /// A new password; `None` keeps the current one (existing users only).
    pub password: Option<NewPassword>,
    /// `Name Shown to Customers`; `None` keeps it.
    pub display_name: Option<String>,
    /// `Interface Locale`; `None` keeps it (English for a new user).
    pub interface_locale: Option<crate::l10n::Locale>,
}

/// Every field is checked and every error reported at once. The acting admin's own password
/// (`current_password`) is the screen's re-authentication, checked by its caller
/// ([`super::reauthenticated`]); the command line has none.
impl TryFrom<&AdminUserForm> for AdminUserInput {
    type Error = AppError;

    fn try_from(form: &AdminUserForm) -> Result<Self, AppError> {
        let id = optional_id(&form.id, Msg::UserNotFound)?;
        let mut errors = FieldErrors::default();
        let username = errors.check(Username::parse(&form.username, f::username.key));
        let first_name = errors.check(PersonName::parse(&form.first_name, f::first_name.key));
        let last_name = errors.check(PersonName::parse(&form.last_name, f::last_name.key));
        let email = errors.check(Email::parse(&form.email, f::email.key));
        let role_id = form.role_id.trim().parse::<i64>().ok();
        if role_id.is_none() {
            errors.add(f::role_id.key, Msg::RoleRequired);
        }
        let password = if form.password.is_empty() && id.is_some() {
            None
        } else {
            errors.check(NewPassword::parse(&form.password, f::password.key))
        };
        if password.is_some() && form.password != form.password_confirmation {
            errors.add(f::password_confirmation.key, Msg::PasswordMismatch);
        }
        let display_name = form.display_name.as_deref().map(str::trim).map(str::to_string);
        if display_name.as_ref().is_some_and(|d| d.chars().count() > 100 || d.chars().any(char::is_control)) {
            errors.add(f::display_name.key, Msg::DisplayNameTooLong { max: 100 });
        }
        let interface_locale = match form.interface_locale.as_deref().map(str::trim) {
            None => None,
            Some(code) => {
                let parsed = crate::l10n::parse(code);
                if parsed.is_none() {
                    errors.add(f::interface_locale.key, Msg::LocaleUnknown);
                }
                parsed
            }
        };
        errors.finish()?;
        match (username, first_name, last_name, email, role_id) {
            (Some(username), Some(first_name), Some(last_name), Some(email), Some(role_id)) => Ok(AdminUserInput {
                id,
                username,
                first_name,
                last_name,
                email,
                role_id,
                is_active: form.is_active.get(),
                password,
                display_name,
                interface_locale,
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// What the log keeps of a user (never the password, only that it changed).
#[derive(Serialize)]
struct Snapshot<'a> {
    username: &'a str,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    role: &'a str,
    is_active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'static str>,
}

/// Creates or saves an admin user and logs it. `hash` is the new password's hash, made
/// before the transaction; it must be there when `input.password` is.
#[tracing::instrument(skip_all, fields(user = ?input.id), err(level = "warn"))]
pub async fn save_admin_user(
    tx: &mut Tx<'_>,
    origin: &Origin,
    input: &AdminUserInput,
    hash: Option<&PasswordHash>,
) -> Result<i64, AppError> {
    if input.password.is_some() != hash.is_some() {
        return Err(AppError::Internal);
    }
    let allowed = authorize_user_save(tx, origin, input).await?;
    let row = admins::UserInput {
        username: input.username.as_str(),
        email: input.email.as_str(),
        first_name: input.first_name.as_str(),
        last_name: input.last_name.as_str(),
        role_id: input.role_id,
        is_active: input.is_active,
        display_name: input.display_name.as_deref(),
        interface_locale: input.interface_locale.map(crate::l10n::code),
    };
    let (saved, old, action) = match &allowed.before {
        None => {
            let hash = hash.ok_or(AppError::Internal)?;
            let id =
                admins::create_user(tx, &row, hash.as_str()).await.on_unique(f::username.key, Msg::UserDuplicate)?;
            (id, None, "Create admin user")
        }
        Some(before) => {
            admins::update_user(tx, before.id, &row).await.on_unique(f::username.key, Msg::UserDuplicate)?;
            if let Some(hash) = hash {
                // A new password ends the user's other sessions and lifts any lock.
                admins::set_password(tx, before.id, hash.as_str()).await?;
                super::sign_in::unlock_admin(tx, &before.username).await?;
            }
            let old = audit::snapshot(&Snapshot {
                username: &before.username,
                email: &before.email,
                first_name: &before.first_name,
                last_name: &before.last_name,
                role: &before.role_name,
                is_active: before.is_active,
                password: None,
            });
            (before.id, Some(old), "Save admin user")
        }
    };
    let new = Snapshot {
        username: row.username,
        email: row.email,
        first_name: row.first_name,
        last_name: row.last_name,
        role: &allowed.role,
        is_active: row.is_active,
        password: hash.map(|_| "changed"),
    };
    let entry = Entry {
        old,
        new: Some(audit::snapshot(&new)),
        ..Entry::change(audit::group::PERMISSIONS, action, "admin_user", saved, None::<&()>, None::<&()>)
    };
    audit::write(tx, origin, entry).await?;
    if allowed.before.is_some() {
        end_assistance_after_save(tx, origin, saved, input, &allowed).await?;
    }
    Ok(saved)
}

/// What a user save may do, as checked: the role's name and grant, the user as stored
/// before (`None` for a new one), and whether the role changes.
struct UserSave {
    role: String,
    role_grant: Grant,
    before: Option<AdminUserRow>,
    role_changes: bool,
}

/// The checks of a user save, after taking the privilege lock: `System > All Users`, the
/// privilege rule ([`super::authorize_privileges`]) and the scope rule.
async fn authorize_user_save(tx: &mut Tx<'_>, origin: &Origin, input: &AdminUserInput) -> Result<UserSave, AppError> {
    admins::lock_privileges(tx).await?;
    let (me, my_grant) = super::acting_grant(tx, origin).await?;
    super::require(&my_grant, Resource::SystemUsers)?;
    let role = admins::role_name(&mut **tx, input.role_id)
        .await?
        .ok_or_else(|| AppError::field(f::role_id.key, Msg::RoleRequired))?;
    let role_grant = admins::role_grant_on(tx, input.role_id).await?;
    let before = match input.id {
        Some(id) => Some(admins::user(&mut **tx, id).await?.ok_or(AppError::not_found(Msg::UserNotFound))?),
        None => None,
    };
    let before_grant = match &before {
        Some(b) => Some(admins::role_grant_on(tx, b.role_id).await?),
        None => None,
    };
    let change = match (&before, &before_grant) {
        (Some(b), Some(grant)) => Change::EditUser {
            user: UserNow { id: b.id, grant, is_active: b.is_active },
            role: (b.role_id != input.role_id).then_some(&role_grant),
            active: input.is_active,
        },
        _ => Change::CreateUser { role: &role_grant },
    };
    let field = if input.is_active { f::role_id.key } else { f::is_active.key };
    super::authorize_privileges(tx, (me, &my_grant), change, field).await?;
    let my_scope = super::acting_scope(tx, me).await?;
    let their_scope = match &before {
        Some(b) => Some(admins::role_scope_on(tx, b.role_id).await?),
        None => None,
    };
    let role_changes = before.as_ref().is_none_or(|b| b.role_id != input.role_id);
    let new_scope = admins::role_scope_on(tx, input.role_id).await?;
    super::authorize_scope(&my_scope, their_scope.as_ref(), role_changes.then_some(&new_scope))?;
    Ok(UserSave { role, role_grant, before, role_changes })
}

/// An admin deactivated, or moved to a role that may not assist (or not these customers'
/// websites), stops assisting at once.
async fn end_assistance_after_save(
    tx: &mut Tx<'_>,
    origin: &Origin,
    saved: i64,
    input: &AdminUserInput,
    allowed: &UserSave,
) -> Result<(), AppError> {
    let end = if !input.is_active {
        Some((Running::OfAdmin(saved), EndReason::AdminInactive))
    } else if !crate::server::assist::may_assist_at_all(&allowed.role_grant) {
        Some((Running::OfAdmin(saved), EndReason::PermissionLost))
    } else if allowed.role_changes {
        Some((Running::OutOfScope(input.role_id), EndReason::PermissionLost))
    } else {
        None
    };
    if let Some((which, reason)) = end {
        crate::server::assist::end_running(tx, origin, which, reason).await?;
    }
    Ok(())
}

/// Sets an admin's password from the command line, logged: every session of theirs ends and
/// every lock on the account is lifted.
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn reset_password(
    tx: &mut Tx<'_>,
    origin: &Origin,
    username: &str,
    hash: &PasswordHash,
) -> Result<i64, AppError> {
    let id = admins::id_by_username(&mut **tx, username)
        .await?
        .ok_or_else(|| AppError::not_found(Msg::AdminUserUnknown { username: username.to_string() }))?;
    let user = admins::user(&mut **tx, id).await?.ok_or(AppError::Internal)?;
    let grant = admins::role_grant_on(tx, user.role_id).await?;
    let (me, my_grant) = super::acting_grant(tx, origin).await?;
    super::require(&my_grant, Resource::SystemUsers)?;
    let change = Change::ResetPassword { user: UserNow { id, grant: &grant, is_active: user.is_active } };
    super::authorize_privileges(tx, (me, &my_grant), change, "username").await?;
    let their_scope = admins::role_scope_on(tx, user.role_id).await?;
    super::authorize_scope(&super::acting_scope(tx, me).await?, Some(&their_scope), None)?;
    // Every session of the user ends; any lock on the account is lifted.
    admins::set_password(tx, id, hash.as_str()).await?;
    let unlocked = super::sign_in::unlock_admin(tx, &user.username).await?;
    let entry = Entry::change(
        audit::group::PERMISSIONS,
        "Reset admin password",
        "admin_user",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "password": "changed", "unlocked_addresses": unlocked })),
    );
    audit::write(tx, origin, entry).await?;
    Ok(id)
}

/// Lifts every lock on an admin account, from every address (`shopassist admin unlock`),
/// logged. Returns how many addresses were locked.
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn unlock(tx: &mut Tx<'_>, origin: &Origin, username: &str) -> Result<u64, AppError> {
    super::Rights::of(tx, origin).await?.require(Resource::SystemUsers)?;
    let id = admins::id_by_username(&mut **tx, username)
        .await?
        .ok_or_else(|| AppError::not_found(Msg::AdminUserUnknown { username: username.to_string() }))?;
    let unlocked = super::sign_in::unlock_admin(tx, username).await?;
    let entry = Entry::change(
        audit::group::PERMISSIONS,
        "Unlock admin user",
        "admin_user",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "unlocked_addresses": unlocked })),
    );
    audit::write(tx, origin, entry).await?;
    Ok(unlocked)
}

/// What the admin `me` (holding `my_grant`) may not change on `user`'s edit page (`None`: a
/// new user), by the same rule the save applies.
pub async fn limits(
    pool: &sqlx::AnyPool,
    (my_grant, my_scope): (&Grant, &Scope),
    me: i64,
    user: Option<&AdminUserRow>,
) -> Result<UserLimits, AppError> {
    let acting = Acting { id: Some(me), grant: my_grant };
    let full = admins::active_full_admins(pool, None).await?;
    let grants = admins::role_grants(pool).await?;
    let scopes = admins::role_scopes(pool).await?;
    let scope_of = |role: i64| scopes.iter().find(|(id, _)| *id == role).map(|(_, s)| s.clone()).unwrap_or_default();
    let mut limits = UserLimits::default();
    let refusal = |change| check(acting, change, full).err().map(|r: Refusal| r.msg());
    let wider = |role: i64| check_scope(my_scope, None, Some(&scope_of(role))).err().map(|r: Refusal| r.msg());
    let Some(user) = user else {
        for (id, grant) in &grants {
            if let Some(why) = refusal(Change::CreateUser { role: grant }).or_else(|| wider(*id)) {
                limits.unavailable_roles.push((*id, why));
            }
        }
        return Ok(limits);
    };
    if let Err(r) = check_scope(my_scope, Some(&scope_of(user.role_id)), None) {
        limits.read_only = Some(r.msg());
        return Ok(limits);
    }
    let user_grant = grants.iter().find(|(id, _)| *id == user.role_id).map_or(Grant::custom([]), |(_, g)| g.clone());
    let now = UserNow { id: user.id, grant: &user_grant, is_active: user.is_active };
    limits.read_only = refusal(Change::EditUser { user: now, role: None, active: user.is_active });
    if limits.read_only.is_some() {
        return Ok(limits);
    }
    if user.is_active {
        limits.active_fixed = refusal(Change::EditUser { user: now, role: None, active: false });
    }
    if user.id == me {
        limits.role_fixed = Some(Refusal::OwnRole.msg());
    }
    for (id, grant) in grants.iter().filter(|(id, _)| *id != user.role_id) {
        let why =
            refusal(Change::EditUser { user: now, role: Some(grant), active: user.is_active }).or_else(|| wider(*id));
        if let Some(why) = why {
            limits.unavailable_roles.push((*id, why));
        }
    }
    Ok(limits)
}

/// A signed-in admin's changes to their own account (`Account Setting`).
#[derive(Debug)]
pub struct OwnAccountInput {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub interface_locale: crate::l10n::Locale,
}

impl TryFrom<&crate::domain::forms::AccountSettingForm> for OwnAccountInput {
    type Error = AppError;

    fn try_from(form: &crate::domain::forms::AccountSettingForm) -> Result<Self, AppError> {
        use crate::domain::forms::fields::account_setting as a;
        let mut errors = FieldErrors::default();
        let first_name = errors.check(PersonName::parse(&form.first_name, a::first_name.key));
        let last_name = errors.check(PersonName::parse(&form.last_name, a::last_name.key));
        let email = errors.check(Email::parse(&form.email, a::email.key));
        let locale = crate::l10n::parse(form.interface_locale.trim());
        if locale.is_none() {
            errors.add(a::interface_locale.key, Msg::LocaleUnknown);
        }
        errors.finish()?;
        match (first_name, last_name, email, locale) {
            (Some(first_name), Some(last_name), Some(email), Some(interface_locale)) => {
                Ok(OwnAccountInput { first_name, last_name, email, interface_locale })
            }
            _ => Err(AppError::Internal),
        }
    }
}

#[derive(Serialize)]
struct OwnSnapshot<'a> {
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    interface_locale: &'a str,
}

/// Saves the acting admin's own name, email and `Interface Locale`, and logs it. Their role,
/// user name and status are not theirs to change here.
pub async fn save_own_account(
    tx: &mut Tx<'_>,
    origin: &Origin,
    id: i64,
    input: &OwnAccountInput,
) -> Result<(), AppError> {
    use crate::domain::forms::fields::account_setting as a;
    // One's own account only (the console may save anyone's).
    if super::Rights::of(tx, origin).await?.id.is_some_and(|me| me != id) {
        return Err(AppError::forbidden(Msg::AccountCannotChange));
    }
    let before = admins::user(&mut **tx, id).await?.ok_or(AppError::not_found(Msg::UserNotFound))?;
    let locale = crate::l10n::code(input.interface_locale);
    admins::update_own(tx, id, input.first_name.as_str(), input.last_name.as_str(), input.email.as_str(), locale)
        .await
        .on_unique(a::email.key, Msg::UserDuplicate)?;
    let old = OwnSnapshot {
        first_name: &before.first_name,
        last_name: &before.last_name,
        email: &before.email,
        interface_locale: &before.interface_locale,
    };
    let new = OwnSnapshot {
        first_name: input.first_name.as_str(),
        last_name: input.last_name.as_str(),
        email: input.email.as_str(),
        interface_locale: locale,
    };
    let entry = Entry::change(audit::group::PERMISSIONS, "Save own account", "admin_user", id, Some(&old), Some(&new));
    audit::write(tx, origin, entry).await?;
    Ok(())
}
