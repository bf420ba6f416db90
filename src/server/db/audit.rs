//! The append-only action log. Entries are written inside the caller's transaction, so a
//! change without its entry cannot be committed.

use super::{now_ms, Tx};
use serde::Serialize;

/// Who did it: an admin, a shopper, an admin acting for a shopper (Login as Customer, with
/// the assistance session), or the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    Admin {
        id: i64,
        username: String,
    },
    Customer {
        id: i64,
    },
    AdminAsCustomer {
        admin_id: i64,
        admin_username: String,
        customer_id: i64,
        session_id: i64,
    },
    /// Someone at the server's console; `name` says which tool.
    System {
        name: String,
    },
    /// An attempt by someone not (yet) known, such as a failed sign-in: the name they gave.
    Anonymous {
        claimed: String,
        admin_id: Option<i64>,
    },
}

impl Actor {
    pub fn cli() -> Actor {
        Actor::System { name: "command line".into() }
    }

    /// The `actor_type` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Admin { .. } => "admin",
            Actor::Customer { .. } => "customer",
            Actor::AdminAsCustomer { .. } => "admin_as_customer",
            Actor::System { .. } => "system",
            Actor::Anonymous { .. } => "anonymous",
        }
    }

    fn admin_id(&self) -> Option<i64> {
        match self {
            Actor::Admin { id, .. } => Some(*id),
            Actor::AdminAsCustomer { admin_id, .. } => Some(*admin_id),
            Actor::Anonymous { admin_id, .. } => *admin_id,
            _ => None,
        }
    }

    /// The `admin_username` column: the admin's user name, or who else it was.
    fn name(&self) -> String {
        match self {
            Actor::Admin { username, .. } | Actor::AdminAsCustomer { admin_username: username, .. } => username.clone(),
            Actor::Customer { id } => format!("customer #{id}"),
            Actor::System { name } => name.clone(),
            Actor::Anonymous { claimed, .. } => claimed.clone(),
        }
    }

    fn customer_id(&self) -> Option<i64> {
        match self {
            Actor::Customer { id } => Some(*id),
            Actor::AdminAsCustomer { customer_id, .. } => Some(*customer_id),
            _ => None,
        }
    }

    fn session_id(&self) -> Option<i64> {
        match self {
            Actor::AdminAsCustomer { session_id, .. } => Some(*session_id),
            _ => None,
        }
    }
}

/// The actor and where the request came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub actor: Actor,
    pub ip: String,
    pub user_agent: String,
}

impl Origin {
    /// The command line, on this machine.
    pub fn cli() -> Origin {
        Origin { actor: Actor::cli(), ip: "local".into(), user_agent: "shopassist cli".into() }
    }
}

/// One entry. `old` and `new` are JSON snapshots of what changed; never secrets.
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

impl<'a> Entry<'a> {
    /// A successful change of `target`, with JSON snapshots before and after.
    pub fn change(
        group: &'a str,
        action: &'a str,
        target_type: &'a str,
        target_id: impl ToString,
        old: Option<&impl Serialize>,
        new: Option<&impl Serialize>,
    ) -> Entry<'a> {
        Entry {
            group,
            action,
            target_type,
            target_id: target_id.to_string(),
            old: old.map(snapshot),
            new: new.map(snapshot),
            result: "success",
        }
    }
}

/// A value as the log stores it.
pub fn snapshot(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub mod group {
    pub const ADMIN_SIGN_IN: &str = "Admin Sign In";
    pub const CONFIGURATION: &str = "Configuration";
    pub const PERMISSIONS: &str = "Permissions";
    pub const CUSTOMERS: &str = "Customers";
    pub const LOGIN_AS_CUSTOMER: &str = "Login As Customer";
}

#[tracing::instrument(skip_all, fields(group = entry.group, action = entry.action))]
pub async fn write(tx: &mut Tx<'_>, origin: &Origin, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    let actor = &origin.actor;
    sqlx::query(
        "INSERT INTO action_log (created_at, admin_id, admin_username, action_group, action, target_type, \
         target_id, old_value, new_value, result, ip, user_agent, actor_type, customer_id, assistance_session_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(now_ms())
    .bind(actor.admin_id())
    .bind(actor.name())
    .bind(entry.group)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(entry.target_id)
    .bind(entry.old)
    .bind(entry.new)
    .bind(entry.result)
    .bind(&origin.ip)
    .bind(&origin.user_agent)
    .bind(actor.kind())
    .bind(actor.customer_id())
    .bind(actor.session_id())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_actor_fills_the_columns_that_say_who_it_was() {
        let a = Actor::AdminAsCustomer { admin_id: 2, admin_username: "jane".into(), customer_id: 9, session_id: 4 };
        assert_eq!(
            (a.kind(), a.admin_id(), a.name(), a.customer_id(), a.session_id()),
            ("admin_as_customer", Some(2), "jane".into(), Some(9), Some(4))
        );
        let c = Actor::Customer { id: 9 };
        assert_eq!((c.kind(), c.admin_id(), c.customer_id()), ("customer", None, Some(9)));
        assert_eq!(Actor::cli().kind(), "system");
    }
}
