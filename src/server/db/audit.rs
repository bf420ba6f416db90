//! The append-only action log. Entries are written inside the caller's transaction, so a
//! change without its entry cannot be committed.

use super::{now_ms, Tx};
use crate::domain::acl::{Grant, Resource};
use crate::domain::error::AppError;
use crate::domain::grid::GridQuery;
use crate::domain::model::{format_time, ActionLogEntry, ActionLogRow};
use crate::server::grid::{Filter, FilterKind, GridSpec, Scoped, SortColumn, Within};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

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
    /// An integration calling the JSON API with a token that acts as an admin user.
    Integration {
        admin_id: i64,
        admin_username: String,
        token_id: i64,
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
        Actor::System { name: crate::domain::model::log_actor::COMMAND_LINE.into() }
    }

    /// The `actor_type` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Admin { .. } => "admin",
            Actor::Customer { .. } => "customer",
            Actor::AdminAsCustomer { .. } => "admin_as_customer",
            Actor::Integration { .. } => "integration",
            Actor::System { .. } => "system",
            Actor::Anonymous { .. } => "anonymous",
        }
    }

    fn admin_id(&self) -> Option<i64> {
        match self {
            Actor::Admin { id, .. } => Some(*id),
            Actor::AdminAsCustomer { admin_id, .. } | Actor::Integration { admin_id, .. } => Some(*admin_id),
            Actor::Anonymous { admin_id, .. } => *admin_id,
            _ => None,
        }
    }

    /// The `admin_username` column: the admin's user name, or who else it was.
    fn name(&self) -> String {
        match self {
            Actor::Admin { username, .. }
            | Actor::AdminAsCustomer { admin_username: username, .. }
            | Actor::Integration { admin_username: username, .. } => username.clone(),
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
    pub const ASSIST: &str = "Login As Customer";
    pub const INTEGRATIONS: &str = "Integrations";
    pub const SALES: &str = "Sales";
    pub const CATALOG: &str = "Catalog";
}

/// Every action group the app writes, for the report's filter (no scan of the log for it).
pub const ALL_GROUPS: &[&str] = &[
    group::ADMIN_SIGN_IN,
    group::CONFIGURATION,
    group::CUSTOMERS,
    group::INTEGRATIONS,
    group::ASSIST,
    group::PERMISSIONS,
    group::SALES,
    group::CATALOG,
];

fn report_row(r: &AnyRow) -> Result<ActionLogRow, sqlx::Error> {
    let target_type: String = r.try_get("target_type")?;
    let target_id: String = r.try_get("target_id")?;
    Ok(ActionLogRow {
        id: r.try_get("id")?,
        created_at: r.try_get("created_at")?,
        actor: r.try_get("admin_username")?,
        actor_type: r.try_get("actor_type")?,
        action_group: r.try_get("action_group")?,
        action: r.try_get("action")?,
        target: ActionLogRow::target_text(&target_type, &target_id),
        result: r.try_get("result")?,
        ip: r.try_get("ip")?,
        assistance_session_id: r.try_get("assistance_session_id")?,
    })
}

/// Role Scopes on the log (with [`Scoped::condition`]: `{ids}` are the role's websites, `{texts}`
/// the groups [`groups_readable`] gives): an entry about a customer (who acted, whose record
/// changed, or whose assistance session it was) is read by a role covering that customer's
/// website; an entry about no customer, by a role whose resources cover its group.
pub const REPORT_SCOPE: &str = "al.customer_id IN (SELECT id FROM customers WHERE website_id IN ({ids})) \
     OR (al.target_type = 'customer' AND al.target_id IN \
         (SELECT CAST(id AS TEXT) FROM customers WHERE website_id IN ({ids}))) \
     OR (al.target_type = 'assistance_session' AND al.target_id IN \
         (SELECT CAST(s.id AS TEXT) FROM assistance_sessions s JOIN customers c ON c.id = s.customer_id \
          WHERE c.website_id IN ({ids}))) \
     OR (al.customer_id IS NULL AND al.target_type NOT IN ('customer', 'assistance_session') \
         AND al.action_group IN ({texts}))";

/// The resources whose screens show what a group's entries are about: an entry about no customer
/// is read by a scoped role that has any of them.
pub fn group_resources(group: &str) -> &'static [Resource] {
    match group {
        group::ADMIN_SIGN_IN => &[Resource::SystemUsers],
        group::CONFIGURATION => &[Resource::StoresConfig],
        group::PERMISSIONS => &[Resource::SystemUsers, Resource::SystemRoles],
        group::CUSTOMERS => &[Resource::CustomersManage],
        group::ASSIST => &[Resource::AssistViewLog],
        group::INTEGRATIONS => &[Resource::SystemIntegrations],
        group::SALES => &[Resource::SalesOrders],
        group::CATALOG => &[Resource::CatalogProducts, Resource::CatalogCategories],
        _ => &[],
    }
}

/// The groups whose entries about no customer `grant` may read (see [`REPORT_SCOPE`]).
pub fn groups_readable(grant: &Grant) -> Vec<&'static str> {
    ALL_GROUPS.iter().copied().filter(|g| group_resources(g).iter().any(|r| grant.allows(*r))).collect()
}

/// What a scoped role may read of the log: its websites and the groups of [`groups_readable`].
pub struct ReportScope {
    websites: Vec<i64>,
    groups: Vec<&'static str>,
}

impl ReportScope {
    /// The scope of a reader covering `websites` (`None`: all, so no scope) with `grant`.
    pub fn of(websites: Option<Vec<i64>>, grant: &Grant) -> Option<ReportScope> {
        websites.map(|websites| ReportScope { websites, groups: groups_readable(grant) })
    }

    /// The condition for the report's queries.
    pub fn within(&self) -> Scoped<'_> {
        Scoped::condition(REPORT_SCOPE, &self.websites, &self.groups)
    }
}

/// System > Action Logs > Report: every entry, newest first.
pub static REPORT_GRID: GridSpec<ActionLogRow> = GridSpec {
    from: "FROM action_log al",
    base: None,
    select: "al.id, al.created_at, al.admin_username, al.actor_type, al.action_group, al.action, al.target_type, \
             al.target_id, al.result, al.ip, al.assistance_session_id",
    id: "al.id",
    sorts: &[
        SortColumn { key: "time", sql: "al.created_at", text: false },
        SortColumn { key: "id", sql: "al.id", text: false },
    ],
    default_sort: "time",
    default_desc: true,
    filters: &[
        Filter { key: "group", kind: FilterKind::Text("al.action_group") },
        Filter { key: "admin", kind: FilterKind::Text("al.admin_username") },
        Filter { key: "result", kind: FilterKind::Code("al.result", &["success", "failure"]) },
        Filter {
            key: "actor",
            kind: FilterKind::Code(
                "al.actor_type",
                &["admin", "customer", "admin_as_customer", "integration", "system", "anonymous"],
            ),
        },
        Filter { key: "session", kind: FilterKind::Id("al.assistance_session_id") },
        Filter { key: "from", kind: FilterKind::Since("al.created_at") },
        Filter { key: "to", kind: FilterKind::Until("al.created_at") },
    ],
    search: None,
    row: |r| report_row(&r),
    csv_header: &["ID", "Time", "Admin", "Actor", "Action Group", "Action", "Target", "Result", "IP", "Session"],
    csv_row: |l| {
        vec![
            l.id.to_string(),
            format_time(l.created_at),
            l.actor.clone(),
            l.actor_type.clone(),
            l.action_group.clone(),
            l.action.clone(),
            l.target.clone(),
            l.result.clone(),
            l.ip.clone(),
            l.assistance_session_id.map(|s| s.to_string()).unwrap_or_default(),
        ]
    },
};

/// One entry in full, if `within` lets the reader see it (out of scope reads as missing).
pub async fn entry(pool: &AnyPool, id: i64, within: Within<'_>) -> Result<Option<ActionLogEntry>, AppError> {
    let (where_sql, binds) = REPORT_GRID.filter_sql(pool, &GridQuery::default(), within)?;
    let id_mark = format!("${}", binds.len() + 1);
    let sql = format!(
        "SELECT al.id, al.created_at, al.admin_username, al.actor_type, al.action_group, al.action, al.target_type, \
         al.target_id, al.result, al.ip, al.assistance_session_id, al.user_agent, al.customer_id, al.old_value, \
         al.new_value FROM action_log al {} al.id = {id_mark}",
        if where_sql.is_empty() { "WHERE".to_string() } else { format!("{where_sql} AND") }
    );
    let row = GridSpec::<ActionLogRow>::bound(&sql, &binds).bind(id).fetch_optional(pool).await?;
    row.map(|r| {
        Ok(ActionLogEntry {
            row: report_row(&r)?,
            user_agent: r.try_get("user_agent")?,
            customer_id: r.try_get("customer_id")?,
            old_value: r.try_get("old_value")?,
            new_value: r.try_get("new_value")?,
        })
    })
    .transpose()
}

/// A made-up entry for demo data and benchmarks.
pub struct GeneratedEntry {
    pub created_at: i64,
    pub admin_id: Option<i64>,
    pub actor: String,
    pub actor_type: &'static str,
    pub group: &'static str,
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: String,
    pub new_value: Option<String>,
    pub result: &'static str,
}

/// Inserts generated entries in one statement.
pub async fn insert_generated(pool: &AnyPool, rows: &[GeneratedEntry]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    const COLS: usize = 12;
    let mut sql = String::from(
        "INSERT INTO action_log (created_at, admin_id, admin_username, actor_type, action_group, action, target_type, \
         target_id, new_value, result, ip, user_agent) VALUES ",
    );
    for i in 0..rows.len() {
        let marks: Vec<String> = (1..=COLS).map(|k| format!("${}", i * COLS + k)).collect();
        sql.push_str(if i > 0 { ",(" } else { "(" });
        sql.push_str(&marks.join(","));
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.created_at)
            .bind(r.admin_id)
            .bind(r.actor.clone())
            .bind(r.actor_type)
            .bind(r.group)
            .bind(r.action)
            .bind(r.target_type)
            .bind(r.target_id.clone())
            .bind(r.new_value.clone())
            .bind(r.result)
            .bind("127.0.0.1")
            .bind("demo-data");
    }
    q.execute(pool).await?;
    Ok(())
}

/// The user names of admins, for the report's Admin filter.
pub async fn admin_names(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT username FROM admin_users ORDER BY username").fetch_all(pool).await
}

#[tracing::instrument(skip_all, fields(group = entry.group, action = entry.action))]
pub async fn write(tx: &mut Tx<'_>, origin: &Origin, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    let actor = &origin.actor;
    // Everything done while assisting is in the `Login As Customer` group (with its session),
    // so the report's group filter shows all of it; the action still says what it was.
    let group = match actor {
        Actor::AdminAsCustomer { .. } => group::ASSIST,
        _ => entry.group,
    };
    sqlx::query(
        "INSERT INTO action_log (created_at, admin_id, admin_username, action_group, action, target_type, \
         target_id, old_value, new_value, result, ip, user_agent, actor_type, customer_id, assistance_session_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(now_ms())
    .bind(actor.admin_id())
    .bind(actor.name())
    .bind(group)
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
