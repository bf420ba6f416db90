//! Admin users and roles.

use super::Executor;
use super::{flag, now_ms, Tx};
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::model::{AdminUserRow, RoleDetail, RoleSummary};
use crate::server::grid::{Filter, FilterKind, GridSpec, Search, SortColumn};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// What sign-in needs about an admin. The hash never leaves the server.
#[derive(Clone)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub is_active: bool,
    pub session_epoch: i64,
}

pub async fn credentials(pool: &AnyPool, username: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query("SELECT id, username, password_hash, is_active, session_epoch FROM admin_users WHERE username = $1")
        .bind(username)
        .try_map(|r: AnyRow| {
            Ok(Credentials {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                password_hash: r.try_get("password_hash")?,
                is_active: flag(&r, "is_active")?,
                session_epoch: r.try_get("session_epoch")?,
            })
        })
        .fetch_optional(pool)
        .await
}

/// The user name and password hash of an admin, for re-authentication.
pub async fn own_credentials(pool: &AnyPool, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT username, password_hash FROM admin_users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("username")?, r.try_get("password_hash")?))).transpose()
}

/// Notes the time of a successful sign-in (the lock itself is cleared by `lockout`).
pub async fn record_login(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_users SET last_login_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A signed-in admin as every request sees them.
pub struct ActiveAdmin {
    pub user: AdminUserRow,
    pub grant: Grant,
    /// The websites the role covers.
    pub scope: Scope,
    /// Raised by each password change: sessions signed in under an older value end.
    pub session_epoch: i64,
}

/// The admin with their current grant, or `None` when the admin is gone or inactive.
pub async fn active_admin(pool: &AnyPool, admin_id: i64) -> Result<Option<ActiveAdmin>, sqlx::Error> {
    let sql = format!("{} WHERE u.id = $1", USER_SQL.replacen(" FROM", ", u.session_epoch FROM", 1));
    let row = sqlx::query(&sql).bind(admin_id).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let session_epoch = row.try_get("session_epoch")?;
    let user = user_row(row)?;
    if !user.is_active {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    let grant = role_grant_on(&mut conn, user.role_id).await?;
    let scope = role_scope_on(&mut conn, user.role_id).await?;
    Ok(Some(ActiveAdmin { user, grant, scope, session_epoch }))
}

pub async fn role_grant(pool: &AnyPool, role_id: i64) -> Result<Grant, sqlx::Error> {
    role_grant_on(&mut *pool.acquire().await?, role_id).await
}

/// A role's grant, on a connection or inside a transaction (`&mut **tx`).
pub async fn role_grant_on(conn: &mut sqlx::AnyConnection, role_id: i64) -> Result<Grant, sqlx::Error> {
    let all: Option<i64> = sqlx::query_scalar("SELECT all_resources FROM admin_roles WHERE id = $1")
        .bind(role_id)
        .fetch_optional(&mut *conn)
        .await?;
    if all == Some(1) {
        return Ok(Grant::All);
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT resource FROM admin_role_resources WHERE role_id = $1")
        .bind(role_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Grant::custom(ids.iter().filter_map(|id| Resource::from_id(id))))
}

/// A role's scope: all websites, or those listed.
pub async fn role_scope_on(conn: &mut sqlx::AnyConnection, role_id: i64) -> Result<Scope, sqlx::Error> {
    let all: Option<i64> = sqlx::query_scalar("SELECT all_websites FROM admin_roles WHERE id = $1")
        .bind(role_id)
        .fetch_optional(&mut *conn)
        .await?;
    if all != Some(0) {
        return Ok(Scope::All);
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT website_id FROM admin_role_websites WHERE role_id = $1")
        .bind(role_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Scope::Websites(ids.into_iter().collect()))
}

pub async fn role_scope(pool: &AnyPool, role_id: i64) -> Result<Scope, sqlx::Error> {
    role_scope_on(&mut *pool.acquire().await?, role_id).await
}

/// Every role's id with its scope, for the edit screens' limits.
pub async fn role_scopes(pool: &AnyPool) -> Result<Vec<(i64, Scope)>, sqlx::Error> {
    let mut scopes = Vec::new();
    let mut conn = pool.acquire().await?;
    for role in roles(pool).await? {
        scopes.push((role.id, role_scope_on(&mut conn, role.id).await?));
    }
    Ok(scopes)
}

/// Sets a role's scope.
pub async fn set_role_scope(tx: &mut Tx<'_>, role_id: i64, scope: &Scope) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_roles SET all_websites = $2 WHERE id = $1")
        .bind(role_id)
        .bind(i64::from(matches!(scope, Scope::All)))
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM admin_role_websites WHERE role_id = $1").bind(role_id).execute(&mut **tx).await?;
    for website in scope.websites().unwrap_or_default() {
        sqlx::query("INSERT INTO admin_role_websites (role_id, website_id) VALUES ($1, $2)")
            .bind(role_id)
            .bind(website)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Every role's id with its grant, for the edit screens' limits.
pub async fn role_grants(pool: &AnyPool) -> Result<Vec<(i64, Grant)>, sqlx::Error> {
    let mut grants = Vec::new();
    for role in roles(pool).await? {
        grants.push((role.id, role_grant(pool, role.id).await?));
    }
    Ok(grants)
}

/// Serializes changes of privileges: every such change first takes the write lock on the
/// roles granting `All` (a no-op update), so two admins cannot each demote the other and
/// leave nobody with full access.
pub async fn lock_privileges(tx: &mut Tx<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_roles SET updated_at = updated_at WHERE all_resources = 1").execute(&mut **tx).await?;
    Ok(())
}

/// How many active admins hold `All`, overall or (with `role_id`) in one role.
pub async fn active_full_admins<'e>(
    ex: impl crate::server::db::Executor<'e>,
    role_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM admin_users u JOIN admin_roles r ON r.id = u.role_id \
         WHERE u.is_active = 1 AND r.all_resources = 1 AND ($1 IS NULL OR r.id = $1)",
    )
    .bind(role_id)
    .fetch_one(ex)
    .await
}

const USER_SQL: &str = "SELECT u.id, u.username, u.first_name, u.last_name, u.email, u.role_id, r.name AS role_name, \
     u.is_active, u.display_name, u.interface_locale FROM admin_users u JOIN admin_roles r ON r.id = u.role_id";

fn user_row(r: AnyRow) -> Result<AdminUserRow, sqlx::Error> {
    Ok(AdminUserRow {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        email: r.try_get("email")?,
        role_id: r.try_get("role_id")?,
        role_name: r.try_get("role_name")?,
        is_active: flag(&r, "is_active")?,
        display_name: r.try_get("display_name")?,
        interface_locale: r.try_get("interface_locale")?,
    })
}

pub async fn user<'e>(ex: impl Executor<'e>, id: i64) -> Result<Option<AdminUserRow>, sqlx::Error> {
    sqlx::query(&format!("{USER_SQL} WHERE u.id = $1")).bind(id).try_map(user_row).fetch_optional(ex).await
}

pub async fn users(pool: &AnyPool) -> Result<Vec<AdminUserRow>, sqlx::Error> {
    sqlx::query(&format!("{USER_SQL} ORDER BY u.id")).try_map(user_row).fetch_all(pool).await
}

/// Fields of a new or edited admin user.
pub struct UserInput<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role_id: i64,
    pub is_active: bool,
    /// `Name Shown to Customers`; `None` keeps it (empty for a new user).
    pub display_name: Option<&'a str>,
    /// `Interface Locale`; `None` keeps it (English for a new user).
    pub interface_locale: Option<&'a str>,
}

pub async fn create_user(tx: &mut Tx<'_>, u: &UserInput<'_>, password_hash: &str) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO admin_users (username, email, email_normalized, first_name, last_name, password_hash, role_id, \
         is_active, display_name, interface_locale, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $9, $9) RETURNING id",
    )
    .bind(u.username)
    .bind(u.email)
    .bind(u.email.to_lowercase())
    .bind(u.first_name)
    .bind(u.last_name)
    .bind(password_hash)
    .bind(u.role_id)
    .bind(i64::from(u.is_active))
    .bind(now)
    .bind(u.display_name.unwrap_or_default())
    .bind(u.interface_locale.unwrap_or("en-US"))
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_user(tx: &mut Tx<'_>, id: i64, u: &UserInput<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE admin_users SET username = $2, email = $3, email_normalized = $4, first_name = $5, last_name = $6, \
         role_id = $7, is_active = $8, updated_at = $9, display_name = COALESCE($10, display_name), \
         interface_locale = COALESCE($11, interface_locale) WHERE id = $1",
    )
    .bind(id)
    .bind(u.username)
    .bind(u.email)
    .bind(u.email.to_lowercase())
    .bind(u.first_name)
    .bind(u.last_name)
    .bind(u.role_id)
    .bind(i64::from(u.is_active))
    .bind(now_ms())
    .bind(u.display_name)
    .bind(u.interface_locale)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets a new password and ends the admin's sessions (by raising the session epoch); returns
/// the new epoch, for the session that made the change to carry on under.
pub async fn set_password(tx: &mut Tx<'_>, id: i64, hash: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE admin_users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = $3 \
         WHERE id = $1 RETURNING session_epoch",
    )
    .bind(id)
    .bind(hash)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

pub async fn count_users(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM admin_users").fetch_one(pool).await
}

pub async fn roles(pool: &AnyPool) -> Result<Vec<RoleSummary>, sqlx::Error> {
    sqlx::query(
        "SELECT r.id, r.name, r.all_resources, (SELECT COUNT(*) FROM admin_users u WHERE u.role_id = r.id) AS users \
         FROM admin_roles r ORDER BY r.id",
    )
    .try_map(|r: AnyRow| {
        Ok(RoleSummary {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            all_resources: flag(&r, "all_resources")?,
            users: r.try_get("users")?,
        })
    })
    .fetch_all(pool)
    .await
}

pub async fn role(pool: &AnyPool, id: i64) -> Result<Option<RoleDetail>, sqlx::Error> {
    let head = sqlx::query("SELECT id, name, all_resources FROM admin_roles WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(head) = head else { return Ok(None) };
    let grant = role_grant(pool, id).await?;
    let users = sqlx::query(&format!("{USER_SQL} WHERE u.role_id = $1 ORDER BY u.id"))
        .bind(id)
        .try_map(user_row)
        .fetch_all(pool)
        .await?;
    let all = flag(&head, "all_resources")?;
    Ok(Some(RoleDetail {
        id: head.try_get("id")?,
        name: head.try_get("name")?,
        all_resources: all,
        resources: if all { Vec::new() } else { grant.resources() },
        users,
        scope: role_scope(pool, id).await?,
    }))
}

/// The role's grant as stored now, for the audit "old value".
pub async fn role_snapshot(tx: &mut Tx<'_>, id: i64) -> Result<Option<(String, bool, Vec<String>)>, sqlx::Error> {
    let head = sqlx::query("SELECT name, all_resources FROM admin_roles WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(head) = head else { return Ok(None) };
    let resources: Vec<String> =
        sqlx::query_scalar("SELECT resource FROM admin_role_resources WHERE role_id = $1 ORDER BY resource")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(Some((head.try_get("name")?, flag(&head, "all_resources")?, resources)))
}

/// Creates (`id = None`) or replaces a role's name and grant; returns its id.
pub async fn save_role(tx: &mut Tx<'_>, id: Option<i64>, name: &str, grant: &Grant) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let all = i64::from(matches!(grant, Grant::All));
    let id = match id {
        Some(id) => {
            sqlx::query("UPDATE admin_roles SET name = $2, all_resources = $3, updated_at = $4 WHERE id = $1")
                .bind(id)
                .bind(name)
                .bind(all)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM admin_role_resources WHERE role_id = $1").bind(id).execute(&mut **tx).await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO admin_roles (name, all_resources, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(name)
            .bind(all)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    if let Grant::Custom(set) = grant {
        for r in set {
            sqlx::query("INSERT INTO admin_role_resources (role_id, resource, created_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(r.id())
                .bind(now)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(id)
}

/// Takes an admin user's row lock for the rest of `tx` (a no-op update).
pub async fn lock_user(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_users SET updated_at = updated_at WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Moves an admin user into a role.
pub async fn set_user_role(tx: &mut Tx<'_>, user_id: i64, role_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_users SET role_id = $2, updated_at = $3 WHERE id = $1")
        .bind(user_id)
        .bind(role_id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn role_id_by_name<'e>(ex: impl Executor<'e>, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM admin_roles WHERE name = $1").bind(name).fetch_optional(ex).await
}

/// A role's name, inside a transaction (`None` when there is no such role).
pub async fn role_name<'e>(ex: impl Executor<'e>, role_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM admin_roles WHERE id = $1").bind(role_id).fetch_optional(ex).await
}

pub async fn id_by_username<'e>(ex: impl Executor<'e>, username: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM admin_users WHERE username = $1").bind(username).fetch_optional(ex).await
}

/// System > Permissions > All Users, and the Role Users tab (filtered by `role`).
pub static USERS_GRID: GridSpec<AdminUserRow> = GridSpec {
    from: "FROM admin_users u JOIN admin_roles r ON r.id = u.role_id",
    base: None,
    select: "u.id, u.username, u.first_name, u.last_name, u.email, u.role_id, r.name AS role_name, u.is_active, \
             u.display_name, u.interface_locale",
    id: "u.id",
    sorts: &[
        SortColumn { key: "id", sql: "u.id", text: false },
        SortColumn { key: "username", sql: "u.username", text: true },
    ],
    default_sort: "id",
    default_desc: false,
    filters: &[
        Filter { key: "role", kind: FilterKind::Id("u.role_id") },
        Filter { key: "active", kind: FilterKind::Flag("u.is_active") },
    ],
    search: Some(Search {
        sql: "u.id = {id} OR LOWER(u.username) LIKE {prefix} ESCAPE '\\' OR u.email_normalized LIKE {prefix} ESCAPE '\\' \
              OR LOWER(u.first_name) LIKE {prefix} ESCAPE '\\' OR LOWER(u.last_name) LIKE {prefix} ESCAPE '\\'",
    }),
    row: user_row,
    csv_header: &["ID", "User Name", "First Name", "Last Name", "Email", "Role", "Status"],
    csv_row: |u| {
        vec![
            u.id.to_string(),
            u.username.clone(),
            u.first_name.clone(),
            u.last_name.clone(),
            u.email.clone(),
            u.role_name.clone(),
            if u.is_active { "Active" } else { "Inactive" }.to_string(),
        ]
    },
};

/// System > Permissions > User Roles.
pub static ROLES_GRID: GridSpec<RoleSummary> = GridSpec {
    from: "FROM admin_roles r",
    base: None,
    select: "r.id, r.name, r.all_resources, (SELECT COUNT(*) FROM admin_users u WHERE u.role_id = r.id) AS users",
    id: "r.id",
    sorts: &[SortColumn { key: "id", sql: "r.id", text: false }, SortColumn { key: "name", sql: "r.name", text: true }],
    default_sort: "id",
    default_desc: false,
    filters: &[],
    search: Some(Search { sql: "r.id = {id} OR LOWER(r.name) LIKE {prefix} ESCAPE '\\'" }),
    row: |r| {
        Ok(RoleSummary {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            all_resources: flag(&r, "all_resources")?,
            users: r.try_get("users")?,
        })
    },
    csv_header: &["ID", "Role", "Resources", "Users"],
    csv_row: |r| {
        vec![
            r.id.to_string(),
            r.name.clone(),
            if r.all_resources { "All" } else { "Custom" }.into(),
            r.users.to_string(),
        ]
    },
};

/// An active admin's `Interface Locale`.
pub async fn interface_locale(pool: &AnyPool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT interface_locale FROM admin_users WHERE id = $1 AND is_active = 1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// An admin's own name, email and `Interface Locale` (`Account Setting`).
pub async fn update_own(
    tx: &mut Tx<'_>,
    id: i64,
    first_name: &str,
    last_name: &str,
    email: &str,
    interface_locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE admin_users SET first_name = $2, last_name = $3, email = $4, email_normalized = $5, \
         interface_locale = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(first_name)
    .bind(last_name)
    .bind(email)
    .bind(email.to_lowercase())
    .bind(interface_locale)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
