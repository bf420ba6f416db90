//! System > Permissions: All Users and User Roles.

pub use crate::domain::authority::{RoleLimits, UserLimits};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{AdminUserForm, RoleForm};
use crate::domain::grid::{GridPage, GridQuery};
use crate::domain::model::{AdminUserRow, RoleDetail, RoleSummary};
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEditData {
    pub user: Option<AdminUserRow>,
    pub roles: Vec<RoleSummary>,
    pub limits: UserLimits,
}

/// The role edit page: the role (`None` for a new one) and what the viewer may not change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePageData {
    pub role: Option<RoleDetail>,
    pub limits: RoleLimits,
    /// Every website, for Role Scopes.
    #[serde(default)]
    pub websites: Vec<crate::domain::model::Website>,
}

/// All Users (and, filtered by `role`, the Role Users tab).
#[server(prefix = "/admin/api", endpoint = "users_list")]
pub async fn list_admin_users(
    #[server(default)] query: GridQuery,
) -> Result<Deferred<GridPage<AdminUserRow>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemUsers).await;
            if admin.is_err() {
                // The Role Users tab lists users to whoever may edit roles.
                guard::admin(Resource::SystemRoles).await?;
            }
            let state = guard::state()?;
            crate::server::db::admins::USERS_GRID.page(&state.db.pool, query).await
        }
        .await,
    )
}

#[server(prefix = "/admin/api", endpoint = "users_get")]
pub async fn admin_user_edit_data(#[server(default)] id: String) -> Result<Deferred<UserEditData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::input::parse_id;
            use crate::server::db::admins;
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemUsers).await?;
            let state = guard::state()?;
            let user = if id == "new" || id.is_empty() {
                None
            } else {
                let id = parse_id(&id, Msg::UserNotFound)?;
                Some(admins::user(&state.db.pool, id).await?.ok_or(AppError::not_found(Msg::UserNotFound))?)
            };
            let roles = admins::roles(&state.db.pool).await?;
            let limits = crate::server::actions::admin_users::limits(
                &state.db.pool,
                (&admin.grant, &admin.scope),
                admin.id,
                user.as_ref(),
            )
            .await?;
            Ok(UserEditData { user, roles, limits })
        }
        .await,
    )
}

/// Creates or edits an admin user. Needs the acting admin's own password.
#[server(prefix = "/admin/api", endpoint = "users_save")]
pub async fn save_admin_user(#[server(default)] form: AdminUserForm) -> Result<i64, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::actions::{self, admin_users::AdminUserInput};
    use crate::server::guard;
    use crate::server::password::Requester;

    let admin = guard::admin(Resource::SystemUsers).await?;
    let input =
        actions::reauthenticated(AdminUserInput::try_from(&form), &form.current_password, Msg::OwnPasswordUser)?;
    let state = guard::state()?;
    let origin = admin.origin();
    actions::sign_in::confirm_admin(&state, admin.id, &origin.ip, &form.current_password).await?;
    let hash = match &input.password {
        Some(p) => Some(actions::hash_new_password(&state.hasher, &Requester::admin(&origin.ip), p).await?),
        None => None,
    };
    let mut tx = state.db.begin().await?;
    let saved = actions::admin_users::save_admin_user(&mut tx, &origin, &input, hash.as_ref()).await?;
    tx.commit().await?;
    if saved == admin.id && hash.is_some() {
        // The admin changed their own password: their other sessions have ended, this one stays.
        if let Some(me) = crate::server::db::admins::active_admin(&state.db.pool, admin.id).await? {
            admin.session.renew(me.session_epoch).await?;
        }
    }
    Ok(saved)
}

#[server(prefix = "/admin/api", endpoint = "roles_list")]
pub async fn list_roles(#[server(default)] query: GridQuery) -> Result<Deferred<GridPage<RoleSummary>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            guard::admin(Resource::SystemRoles).await?;
            let state = guard::state()?;
            crate::server::db::admins::ROLES_GRID.page(&state.db.pool, query).await
        }
        .await,
    )
}

#[server(prefix = "/admin/api", endpoint = "roles_get")]
pub async fn role_edit_data(#[server(default)] id: String) -> Result<Deferred<RolePageData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::input::parse_id;
            use crate::server::db::admins;
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemRoles).await?;
            let state = guard::state()?;
            let role = if id == "new" || id.is_empty() {
                None
            } else {
                let id = parse_id(&id, Msg::RoleNotFound)?;
                Some(admins::role(&state.db.pool, id).await?.ok_or(AppError::not_found(Msg::RoleNotFound))?)
            };
            let limits = crate::server::actions::roles::limits(
                &state.db.pool,
                (&admin.grant, &admin.scope),
                admin.id,
                role.as_ref(),
            )
            .await?;
            let websites = crate::server::db::stores::websites(&state.db.pool).await?;
            Ok(RolePageData { role, limits, websites })
        }
        .await,
    )
}

/// Creates or saves a role: `All` resources, or `Custom` with the ticked nodes (and,
/// always, their ancestors), and moves the users ticked on Role Users into it. Unknown
/// resource or user ids are refused; the acting admin's own password is required.
#[server(prefix = "/admin/api", endpoint = "roles_save")]
pub async fn save_role(#[server(default)] form: RoleForm) -> Result<i64, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::actions::{self, roles::RoleInput};
    use crate::server::guard;

    let admin = guard::admin(Resource::SystemRoles).await?;
    let input = actions::reauthenticated(RoleInput::try_from(&form), &form.current_password, Msg::OwnPasswordRole)?;
    let state = guard::state()?;
    let origin = admin.origin();
    actions::sign_in::confirm_admin(&state, admin.id, &origin.ip, &form.current_password).await?;
    let mut tx = state.db.begin().await?;
    let saved = actions::roles::save_role(&mut tx, &origin, &input).await?;
    tx.commit().await?;
    Ok(saved)
}
