//! Creating and saving roles (System > Permissions > User Roles), and moving users into them.

use super::optional_id;
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::EndReason;
use crate::domain::authority::RoleLimits;
use crate::domain::authority::{check, check_scope, Acting, Change, Refusal, RoleNow, UserNow};
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields::role as f, RoleForm};
use crate::domain::input::parse_id;
use crate::domain::model::RoleDetail;
use crate::domain::msg::Msg;
use crate::server::db::assist::Running;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::{admins, Tx};
use crate::server::error::OnUnique;
use serde::Serialize;

/// A valid role form.
#[derive(Debug)]
pub struct RoleInput {
    pub id: Option<i64>,
    pub name: String,
    pub grant: Grant,
    /// Role Scopes; `None` leaves it as it is (a new role covers all websites).
    pub scope: Option<Scope>,
    /// Admin users to move into this role.
    pub add_users: Vec<i64>,
}

impl TryFrom<&RoleForm> for RoleInput {
    type Error = AppError;

    fn try_from(form: &RoleForm) -> Result<Self, AppError> {
        let id = optional_id(&form.id, Msg::RoleNotFound)?;
        let mut errors = FieldErrors::default();
        let name = form.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            errors.add(f::name.key, Msg::RoleNameRequired);
        }
        let grant = match form.access.as_str() {
            "all" => Some(Grant::All),
            "custom" | "" => {
                let mut ticked = Vec::new();
                for raw in form.resources.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    match Resource::from_id(raw) {
                        Some(r) => ticked.push(r),
                        None => errors.add(f::resources.key, Msg::UnknownResource { value: raw.to_string() }),
                    }
                }
                Some(Grant::custom(ticked))
            }
            _ => {
                errors.add(f::access.key, Msg::ChooseAllOrCustom);
                None
            }
        };
        let scope = match form.scope.as_deref() {
            None => None,
            Some("all") => Some(Scope::All),
            Some("custom") => {
                let mut ids = std::collections::BTreeSet::new();
                for raw in form.websites.as_deref().unwrap_or_default().split(',').map(str::trim) {
                    if raw.is_empty() {
                        continue;
                    }
                    match parse_id(raw, Msg::UnknownWebsite { value: raw.to_string() }) {
                        Ok(id) => {
                            ids.insert(id);
                        }
                        Err(_) => errors.add(f::websites.key, Msg::UnknownWebsite { value: raw.to_string() }),
                    }
                }
                if ids.is_empty() {
                    errors.add(f::websites.key, Msg::ChooseWebsite);
                }
                Some(Scope::Websites(ids))
            }
            Some(_) => {
                errors.add(f::scope.key, Msg::ChooseAllOrCustom);
                None
            }
        };
        let mut add_users = Vec::new();
        for raw in form.add_users.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match parse_id(raw, Msg::UserNotFound) {
                Ok(user) if !add_users.contains(&user) => add_users.push(user),
                Ok(_) => {}
                Err(_) => errors.add(f::add_users.key, Msg::UnknownUser { value: raw.to_string() }),
            }
        }
        errors.finish()?;
        Ok(RoleInput { id, name, grant: grant.ok_or(AppError::Internal)?, scope, add_users })
    }
}

#[derive(Serialize)]
struct Snapshot<'a> {
    name: &'a str,
    all: bool,
    resources: Vec<&'a str>,
    /// The websites covered; absent for all.
    #[serde(skip_serializing_if = "Option::is_none")]
    websites: Option<Vec<i64>>,
}

#[derive(Serialize)]
struct Membership<'a> {
    username: &'a str,
    role: &'a str,
}

/// Creates or saves a role (`All`, or `Custom` with the ticked nodes and their ancestors) and
/// moves the listed users into it; one log entry for the role and one per user moved.
#[tracing::instrument(skip_all, fields(role = ?input.id), err(level = "warn"))]
pub async fn save_role(tx: &mut Tx<'_>, origin: &Origin, input: &RoleInput) -> Result<i64, AppError> {
    admins::lock_privileges(tx).await?;
    let (me, my_grant) = super::acting_grant(tx, origin).await?;
    super::require(&my_grant, Resource::SystemRoles)?;
    let mut old = None;
    let mut before_grant = None;
    let mut before_scope = None;
    if let Some(id) = input.id {
        let (name, all, resources) =
            admins::role_snapshot(tx, id).await?.ok_or(AppError::not_found(Msg::RoleNotFound))?;
        let scope = admins::role_scope_on(tx, id).await?;
        old = Some(audit::snapshot(&Snapshot {
            name: &name,
            all,
            resources: resources.iter().map(String::as_str).collect(),
            websites: scope.websites(),
        }));
        before_grant = Some(admins::role_grant_on(tx, id).await?);
        before_scope = Some(scope);
    }
    let my_role = match me {
        Some(me) => admins::user(&mut **tx, me).await?.map(|u| u.role_id),
        None => None,
    };
    let role_now = match (input.id, &before_grant) {
        (Some(id), Some(grant)) => Some(RoleNow {
            grant,
            has_acting: my_role == Some(id),
            active_members: admins::active_full_admins(&mut **tx, Some(id)).await?,
        }),
        _ => None,
    };
    let grant_changes = before_grant.as_ref() != Some(&input.grant);
    let change = Change::SaveRole { role: role_now, grant: &input.grant, grant_changes };
    super::authorize_privileges(tx, (me, &my_grant), change, f::access.key).await?;
    let my_scope = super::acting_scope(tx, me).await?;
    let scope = input.scope.clone().or_else(|| before_scope.clone()).unwrap_or_default();
    // A new role always sets a scope (all websites when none is given).
    let scope_changes = input.id.is_none() || (input.scope.is_some() && input.scope != before_scope);
    super::authorize_scope(&my_scope, before_scope.as_ref(), scope_changes.then_some(&scope))?;
    let saved =
        admins::save_role(tx, input.id, &input.name, &input.grant).await.on_unique(f::name.key, Msg::RoleNameTaken)?;
    admins::set_role_scope(tx, saved, &scope).await?;
    let resources = match &input.grant {
        Grant::All => Vec::new(),
        Grant::Custom(set) => set.iter().map(|r| r.id()).collect(),
    };
    let new =
        Snapshot { name: &input.name, all: matches!(input.grant, Grant::All), resources, websites: scope.websites() };
    let action = if input.id.is_some() { "Save role" } else { "Create role" };
    let entry =
        Entry { old, ..Entry::change(audit::group::PERMISSIONS, action, "admin_role", saved, None::<&()>, Some(&new)) };
    audit::write(tx, origin, entry).await?;
    let may_assist = crate::server::assist::may_assist_at_all(&input.grant);
    if !may_assist {
        // Everyone in a role that can no longer assist stops assisting at once.
        crate::server::assist::end_running(tx, origin, Running::OfRole(saved), EndReason::PermissionLost).await?;
    } else if scope_changes {
        // ... and whoever assists a customer of a website the role no longer covers.
        crate::server::assist::end_running(tx, origin, Running::OutOfScope(saved), EndReason::PermissionLost).await?;
    }
    // Every listed user must exist before anyone moves.
    let mut moving = Vec::new();
    for &user_id in &input.add_users {
        let before = admins::user(&mut **tx, user_id)
            .await?
            .ok_or_else(|| AppError::field(f::add_users.key, Msg::UnknownUser { value: user_id.to_string() }))?;
        moving.push(before);
    }
    for before in moving {
        let user_id = before.id;
        if before.role_id == saved {
            continue;
        }
        let grant = admins::role_grant_on(tx, before.role_id).await?;
        let user = UserNow { id: user_id, grant: &grant, is_active: before.is_active };
        let change = Change::MoveUser { user, to: &input.grant };
        super::authorize_privileges(tx, (me, &my_grant), change, f::add_users.key).await?;
        let their_scope = admins::role_scope_on(tx, before.role_id).await?;
        super::authorize_scope(&my_scope, Some(&their_scope), Some(&scope))?;
        admins::set_user_role(tx, user_id, saved).await?;
        let old = Membership { username: &before.username, role: &before.role_name };
        let new = Membership { username: &before.username, role: &input.name };
        let entry =
            Entry::change(audit::group::PERMISSIONS, "Assign role", "admin_user", user_id, Some(&old), Some(&new));
        audit::write(tx, origin, entry).await?;
        let which = if may_assist { Running::OutOfScope(saved) } else { Running::OfAdmin(user_id) };
        crate::server::assist::end_running(tx, origin, which, EndReason::PermissionLost).await?;
    }
    Ok(saved)
}

/// What the admin `me` (holding `my_grant`) may not change on `role`'s edit page (`None`: a
/// new role), by the same rule the save applies.
pub async fn limits(
    pool: &sqlx::AnyPool,
    (my_grant, my_scope): (&Grant, &Scope),
    me: i64,
    role: Option<&RoleDetail>,
) -> Result<RoleLimits, AppError> {
    let acting = Acting { id: Some(me), grant: my_grant };
    let full = admins::active_full_admins(pool, None).await?;
    let refusal = |change| check(acting, change, full).err().map(|r: Refusal| r.msg());
    let mut limits = RoleLimits {
        all_allowed: matches!(my_grant, Grant::All),
        grantable: my_grant.resources(),
        grantable_websites: my_scope.websites(),
        ..Default::default()
    };
    if let Some(Err(r)) = role.map(|r| check_scope(my_scope, Some(&r.scope), None)) {
        limits.read_only = Some(r.msg());
        return Ok(limits);
    }
    let scopes = admins::role_scopes(pool).await?;
    let my_role = admins::user(pool, me).await?.map(|u| u.role_id);
    let grant = match role {
        Some(r) => admins::role_grant(pool, r.id).await?,
        None => Grant::custom([]),
    };
    if let Some(role) = role {
        let now = RoleNow {
            grant: &grant,
            has_acting: my_role == Some(role.id),
            active_members: admins::active_full_admins(pool, Some(role.id)).await?,
        };
        limits.read_only = refusal(Change::SaveRole { role: Some(now), grant: &grant, grant_changes: false });
        if limits.read_only.is_some() {
            return Ok(limits);
        }
        limits.grant_fixed = if now.has_acting {
            Some(Refusal::OwnRole.msg())
        } else if matches!(grant, Grant::All) && now.active_members >= full {
            Some(Refusal::LastFullAdmin.msg())
        } else {
            None
        };
    }
    let grants = admins::role_grants(pool).await?;
    for user in admins::users(pool).await? {
        if Some(user.role_id) == role.map(|r| r.id) {
            continue;
        }
        let user_grant = &grants.iter().find(|(id, _)| *id == user.role_id).ok_or(AppError::Internal)?.1;
        let now = UserNow { id: user.id, grant: user_grant, is_active: user.is_active };
        let their_scope = scopes.iter().find(|(id, _)| *id == user.role_id).map(|(_, s)| s.clone()).unwrap_or_default();
        let outside = check_scope(my_scope, Some(&their_scope), None).err().map(|r| r.msg());
        if let Some(why) = refusal(Change::MoveUser { user: now, to: &grant }).or(outside) {
            limits.unmovable.push((user.id, why));
        }
    }
    Ok(limits)
}
