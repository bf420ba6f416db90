//! The append-only action log. Entries are written inside the caller's transaction, so a
//! change without its entry cannot be committed.

use super::{now_ms, Tx};

/// Who did it and from where.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub admin_id: Option<i64>,
    pub username: String,
    pub ip: String,
    pub user_agent: String,
}

/// One entry. `old` and `new` are short JSON or text descriptions; never secrets.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub group: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub result: &'a str,
}

pub mod group {
    pub const ADMIN_SIGN_IN: &str = "Admin Sign In";
    pub const CONFIGURATION: &str = "Configuration";
    pub const PERMISSIONS: &str = "Permissions";
    pub const CUSTOMERS: &str = "Customers";
}

#[tracing::instrument(skip_all, fields(group = entry.group, action = entry.action), err)]
pub async fn write(tx: &mut Tx<'_>, actor: &Actor, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO action_log (created_at, admin_id, admin_username, action_group, action, target_type, \
         target_id, old_value, new_value, result, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(now_ms())
    .bind(actor.admin_id)
    .bind(&actor.username)
    .bind(entry.group)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(entry.target_id)
    .bind(entry.old)
    .bind(entry.new)
    .bind(entry.result)
    .bind(&actor.ip)
    .bind(&actor.user_agent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
