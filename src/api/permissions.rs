//! System > Permissions: All Users and User Roles.

use crate::domain::error::AppError;
use crate::domain::model::{AdminUserRow, RoleSummary, RoleWithUsers};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AdminUserForm {
    /// Empty for a new user.
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
    pub role_id: String,
    pub is_active: String,
    /// The acting admin's own password.
    pub current_password: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    /// Empty for a new role.
    pub id: String,
    pub name: String,
    /// `all` or `custom`.
    pub access: String,
    /// Comma-separated resource ids of the ticked nodes.
    pub resources: String,
    /// Comma-separated ids of admin users to move into this role (Role Users tab).
    pub add_users: String,
    /// The acting admin's own password: a role decides what its users may do.
    pub current_password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEditData {
    pub user: Option<AdminUserRow>,
    pub roles: Vec<RoleSummary>,
}

#[server(prefix = "/admin/api", endpoint = "users_list")]
pub async fn list_admin_users() -> Result<Vec<AdminUserRow>, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::admins;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::SystemUsers).await?;
    let state = guard::state()?;
    admins::users(&state.db.pool).await.map_err(internal("users"))
}

#[server(prefix = "/admin/api", endpoint = "users_get")]
pub async fn admin_user_edit_data(#[server(default)] id: String) -> Result<UserEditData, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::parse_id;
    use crate::server::db::admins;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::SystemUsers).await?;
    let state = guard::state()?;
    let user = if id == "new" || id.is_empty() {
        None
    } else {
        let id = parse_id(&id, "User")?;
        Some(
            admins::user(&state.db.pool, id)
                .await
                .map_err(internal("user"))?
                .ok_or_else(|| AppError::NotFound("This user no longer exists.".into()))?,
        )
    };
    Ok(UserEditData { user, roles: admins::roles(&state.db.pool).await.map_err(internal("roles"))? })
}

/// Creates or edits an admin user. Needs the acting admin's own password.
#[server(prefix = "/admin/api", endpoint = "users_save")]
pub async fn save_admin_user(#[server(default)] form: AdminUserForm) -> Result<i64, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::{parse_id, Email, NewPassword, PersonName, Username};
    use crate::server::db::admins::{self, UserInput};
    use crate::server::db::audit::{self, Entry};
    use crate::server::guard::{self, internal};

    let admin = guard::admin(Resource::SystemUsers).await?;
    let state = guard::state()?;
    let id = if form.id.trim().is_empty() { None } else { Some(parse_id(&form.id, "User")?) };
    let username = Username::parse(&form.username, "username")?;
    let first = PersonName::parse(&form.first_name, "first_name", "First Name")?;
    let last = PersonName::parse(&form.last_name, "last_name", "Last Name")?;
    let email = Email::parse(&form.email, "email")?;
    let role_id: i64 =
        form.role_id.trim().parse().map_err(|_| AppError::field("role_id", "Choose a role for this user."))?;
    let is_active = matches!(form.is_active.as_str(), "1" | "on" | "true");
    let password = if form.password.is_empty() && id.is_some() {
        None
    } else {
        Some(NewPassword::parse(&form.password, "password")?)
    };
    if password.is_some() && form.password != form.password_confirmation {
        return Err(AppError::field("password_confirmation", "Your password confirmation must match your password."));
    }
    if form.current_password.is_empty() {
        return Err(AppError::field("current_password", "Please enter your own password to save this user."));
    }
    if id == Some(admin.id) && !is_active {
        return Err(AppError::field("is_active", "You cannot deactivate your own account."));
    }
    let roles = admins::roles(&state.db.pool).await.map_err(internal("roles"))?;
    let role = roles
        .iter()
        .find(|r| r.id == role_id)
        .ok_or_else(|| AppError::field("role_id", "Choose a role for this user."))?;

    guard::confirm_own_password(&state, &admin, &form.current_password).await?;
    let hash = match &password {
        Some(p) => Some(state.hasher.hash(p.expose().to_string()).await.map_err(|_| AppError::Internal)?),
        None => None,
    };
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    let input = UserInput {
        username: username.as_str(),
        email: email.as_str(),
        first_name: first.as_str(),
        last_name: last.as_str(),
        role_id,
        is_active,
    };
    let duplicate = |e: sqlx::Error| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::conflict("username", "A user with the same user name or email already exists.")
        } else {
            internal("save user")(e)
        }
    };
    let describe = |u: &UserInput<'_>, role: &str| {
        serde_json::json!({"username": u.username, "email": u.email, "first_name": u.first_name,
            "last_name": u.last_name, "role": role, "is_active": u.is_active})
        .to_string()
    };
    let (saved, old, action) = match id {
        None => {
            let hash = hash.as_deref().ok_or(AppError::Internal)?;
            (admins::create_user(&mut tx, &input, hash).await.map_err(duplicate)?, None, "Create admin user")
        }
        Some(id) => {
            let before = admins::user_tx(&mut tx, id)
                .await
                .map_err(internal("user"))?
                .ok_or_else(|| AppError::NotFound("This user no longer exists.".into()))?;
            admins::update_user(&mut tx, id, &input).await.map_err(duplicate)?;
            if let Some(hash) = &hash {
                admins::set_password(&mut tx, id, hash).await.map_err(internal("password"))?;
            }
            let old = UserInput {
                username: &before.username,
                email: &before.email,
                first_name: &before.first_name,
                last_name: &before.last_name,
                role_id: before.role_id,
                is_active: before.is_active,
            };
            (id, Some(describe(&old, &before.role_name)), "Save admin user")
        }
    };
    let mut new = describe(&input, &role.name);
    if password.is_some() {
        new.pop();
        new.push_str(",\"password\":\"changed\"}");
    }
    audit::write(
        &mut tx,
        &admin.actor(),
        Entry {
            group: audit::group::PERMISSIONS,
            action,
            target_type: "admin_user",
            target_id: saved.to_string(),
            old,
            new: Some(new),
            result: "success",
        },
    )
    .await
    .map_err(internal("audit"))?;
    tx.commit().await.map_err(internal("commit"))?;
    Ok(saved)
}

#[server(prefix = "/admin/api", endpoint = "roles_list")]
pub async fn list_roles() -> Result<Vec<RoleSummary>, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::admins;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::SystemRoles).await?;
    let state = guard::state()?;
    admins::roles(&state.db.pool).await.map_err(internal("roles"))
}

#[server(prefix = "/admin/api", endpoint = "roles_get")]
pub async fn role_edit_data(#[server(default)] id: String) -> Result<RoleWithUsers, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::parse_id;
    use crate::server::db::admins;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::SystemRoles).await?;
    let state = guard::state()?;
    let role = if id == "new" || id.is_empty() {
        None
    } else {
        let id = parse_id(&id, "Role")?;
        Some(
            admins::role(&state.db.pool, id)
                .await
                .map_err(internal("role"))?
                .ok_or_else(|| AppError::NotFound("This role no longer exists.".into()))?,
        )
    };
    let users = admins::users(&state.db.pool).await.map_err(internal("users"))?;
    Ok(RoleWithUsers { role, users })
}

/// Creates or saves a role: `All` resources, or `Custom` with the ticked nodes (and,
/// always, their ancestors), and moves the users ticked on Role Users into it. Unknown
/// resource or user ids are refused; the acting admin's own password is required.
#[server(prefix = "/admin/api", endpoint = "roles_save")]
pub async fn save_role(#[server(default)] form: RoleForm) -> Result<i64, AppError> {
    use crate::domain::acl::{Grant, Resource};
    use crate::domain::input::parse_id;
    use crate::server::db::admins;
    use crate::server::db::audit::{self, Entry};
    use crate::server::guard::{self, internal};

    let admin = guard::admin(Resource::SystemRoles).await?;
    let id = if form.id.trim().is_empty() { None } else { Some(parse_id(&form.id, "Role")?) };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::field("name", "Role Name is a required field (at most 100 characters)."));
    }
    let grant = match form.access.as_str() {
        "all" => Grant::All,
        "custom" | "" => {
            let mut ticked = Vec::new();
            for raw in form.resources.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                ticked.push(
                    Resource::from_id(raw)
                        .ok_or_else(|| AppError::field("resources", format!("Unknown resource: {raw}")))?,
                );
            }
            Grant::custom(ticked)
        }
        _ => return Err(AppError::field("access", "Choose All or Custom.")),
    };
    let mut add_users = Vec::new();
    for raw in form.add_users.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let user = parse_id(raw, "User").map_err(|_| AppError::field("add_users", format!("Unknown user: {raw}")))?;
        if !add_users.contains(&user) {
            add_users.push(user);
        }
    }
    if form.current_password.is_empty() {
        return Err(AppError::field("current_password", "Please enter your own password to save this role."));
    }
    let state = guard::state()?;
    guard::confirm_own_password(&state, &admin, &form.current_password).await?;
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    let old = match id {
        Some(id) => {
            let (old_name, all, resources) = admins::role_snapshot(&mut tx, id)
                .await
                .map_err(internal("role"))?
                .ok_or_else(|| AppError::NotFound("This role no longer exists.".into()))?;
            Some(serde_json::json!({"name": old_name, "all": all, "resources": resources}).to_string())
        }
        None => None,
    };
    let saved = admins::save_role(&mut tx, id, name, &grant).await.map_err(|e| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::conflict("name", "A role with this name already exists.")
        } else {
            internal("save role")(e)
        }
    })?;
    let resources: Vec<&str> = match &grant {
        Grant::All => Vec::new(),
        Grant::Custom(set) => set.iter().map(|r| r.id()).collect(),
    };
    audit::write(
        &mut tx,
        &admin.actor(),
        Entry {
            group: audit::group::PERMISSIONS,
            action: if id.is_some() { "Save role" } else { "Create role" },
            target_type: "admin_role",
            target_id: saved.to_string(),
            old,
            new: Some(
                serde_json::json!({"name": name, "all": matches!(grant, Grant::All), "resources": resources})
                    .to_string(),
            ),
            result: "success",
        },
    )
    .await
    .map_err(internal("audit"))?;
    for user_id in add_users {
        let before = admins::user_tx(&mut tx, user_id)
            .await
            .map_err(internal("user"))?
            .ok_or_else(|| AppError::field("add_users", format!("Unknown user: {user_id}")))?;
        if before.role_id == saved {
            continue;
        }
        admins::set_user_role(&mut tx, user_id, saved).await.map_err(internal("assign role"))?;
        audit::write(
            &mut tx,
            &admin.actor(),
            Entry {
                group: audit::group::PERMISSIONS,
                action: "Assign role",
                target_type: "admin_user",
                target_id: user_id.to_string(),
                old: Some(serde_json::json!({"username": before.username, "role": before.role_name}).to_string()),
                new: Some(serde_json::json!({"username": before.username, "role": name}).to_string()),
                result: "success",
            },
        )
        .await
        .map_err(internal("audit"))?;
    }
    tx.commit().await.map_err(internal("commit"))?;
    Ok(saved)
}
