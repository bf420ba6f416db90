//! Login as Customer sessions and their handoff tickets.

use super::{flag, Tx};
use crate::domain::assist::{DayCount, HistoryItem, LogRow};
use crate::domain::error::AppError;
use crate::domain::grid::GridQuery;
use crate::domain::model::format_time;
use crate::server::grid::{Filter, FilterKind, GridSpec, SortColumn};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// A session about to start.
pub struct NewSession<'a> {
    pub admin_id: i64,
    pub admin_name: &'a str,
    pub shown_name: &'a str,
    pub customer_id: i64,
    pub customer_email: &'a str,
    pub store_view_id: i64,
    pub reason: Option<&'a str>,
    pub admin_session: &'a str,
    pub ticket_hash: &'a str,
    pub ticket_expires_at: i64,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx<'_>, s: &NewSession<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO assistance_sessions (admin_id, admin_name, customer_id, customer_email, store_view_id, reason, \
         admin_session, ticket_hash, ticket_expires_at, started_at, last_seen_at, shown_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(s.admin_id)
    .bind(s.admin_name)
    .bind(s.customer_id)
    .bind(s.customer_email)
    .bind(s.store_view_id)
    .bind(s.reason)
    .bind(s.admin_session)
    .bind(s.ticket_hash)
    .bind(s.ticket_expires_at)
    .bind(s.now)
    .bind(s.shown_name)
    .fetch_one(&mut **tx)
    .await
}

/// Which running sessions a cascade ends.
#[derive(Clone, Copy, Debug)]
pub enum Running {
    One(i64),
    OfAdmin(i64),
    OfCustomer(i64),
    /// Every admin in this role.
    OfRole(i64),
    /// Those of this role's admins assisting a customer of a website the role does not cover.
    OutOfScope(i64),
    All,
}

/// The ids of the running sessions `which` names, locked for the rest of `tx` on PostgreSQL.
pub async fn running(tx: &mut Tx<'_>, which: Running) -> Result<Vec<i64>, sqlx::Error> {
    let (filter, id) = match which {
        Running::One(id) => ("id = $1", id),
        Running::OfAdmin(id) => ("admin_id = $1", id),
        Running::OfCustomer(id) => ("customer_id = $1", id),
        Running::OfRole(id) => ("admin_id IN (SELECT id FROM admin_users WHERE role_id = $1)", id),
        Running::OutOfScope(id) => (
            "admin_id IN (SELECT id FROM admin_users WHERE role_id = $1) \
             AND EXISTS (SELECT 1 FROM admin_roles r WHERE r.id = $1 AND r.all_websites = 0) \
             AND customer_id NOT IN (SELECT c.id FROM customers c JOIN admin_role_websites w \
                 ON w.website_id = c.website_id AND w.role_id = $1)",
            id,
        ),
        Running::All => ("$1 = $1", 0),
    };
    let sql = format!("SELECT id FROM assistance_sessions WHERE ended_at IS NULL AND {filter} ORDER BY id");
    sqlx::query_scalar(&sql).bind(id).fetch_all(&mut **tx).await
}

/// A session's admin and its end reason (`None` while it runs).
pub async fn admin_and_end<'e>(
    ex: impl super::Executor<'e>,
    id: i64,
) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT admin_id, end_reason FROM assistance_sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// The customer a session assists, and their website.
pub async fn customer_of(tx: &mut Tx<'_>, id: i64) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT s.customer_id, c.website_id FROM assistance_sessions s JOIN customers c ON c.id = s.customer_id \
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// Ends a session unless it already ended; whether this call ended it. Its ticket goes with it.
pub async fn end(tx: &mut Tx<'_>, id: i64, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assistance_sessions SET ended_at = $2, end_reason = $3, ticket_hash = NULL \
         WHERE id = $1 AND ended_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A session redeemed from its ticket.
#[derive(Clone, Debug)]
pub struct Redeemed {
    pub id: i64,
    pub customer_id: i64,
    pub store_view_id: i64,
}

/// Redeems a ticket: only once, only before it expires, only by the admin session that started
/// it, only while the session runs. One statement, so of concurrent redemptions exactly one
/// matches; a ticket that does not match is left as it was.
pub async fn redeem(
    tx: &mut Tx<'_>,
    ticket_hash: &str,
    admin_id: i64,
    admin_session: &str,
    now: i64,
) -> Result<Option<Redeemed>, sqlx::Error> {
    sqlx::query(
        "UPDATE assistance_sessions SET ticket_hash = NULL, redeemed_at = $4, last_seen_at = $4 \
         , admin_session = $3 \
         WHERE ticket_hash = $1 AND admin_id = $2 AND (admin_session = $3 OR admin_session = '') AND redeemed_at IS NULL \
         AND ended_at IS NULL AND ticket_expires_at >= $4 \
         RETURNING id, customer_id, store_view_id",
    )
    .bind(ticket_hash)
    .bind(admin_id)
    .bind(admin_session)
    .bind(now)
    .try_map(|r: AnyRow| {
        Ok(Redeemed {
            id: r.try_get("id")?,
            customer_id: r.try_get("customer_id")?,
            store_view_id: r.try_get("store_view_id")?,
        })
    })
    .fetch_optional(&mut **tx)
    .await
}

/// Gives a session not yet opened a new ticket (an API start retried with its idempotency
/// key); false when it was opened or ended meanwhile, or is another admin's.
pub async fn reissue(
    tx: &mut Tx<'_>,
    id: i64,
    admin_id: i64,
    ticket_hash: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assistance_sessions SET ticket_hash = $3, ticket_expires_at = $4 \
         WHERE id = $1 AND admin_id = $2 AND redeemed_at IS NULL AND ended_at IS NULL",
    )
    .bind(id)
    .bind(admin_id)
    .bind(ticket_hash)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A session with what its validity depends on, read on every storefront request.
#[derive(Clone, Debug)]
pub struct Live {
    pub id: i64,
    pub admin_id: i64,
    pub admin_username: String,
    pub admin_active: bool,
    pub admin_role_id: i64,
    pub admin_epoch: i64,
    pub admin_session: String,
    pub customer_id: i64,
    pub customer_first_name: String,
    pub customer_last_name: String,
    pub customer_active: bool,
    pub consent: bool,
    pub consent_at: Option<i64>,
    pub website_id: i64,
    pub website_name: String,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub redeemed: bool,
    pub ticket_expires_at: i64,
    pub ended: Option<String>,
}

pub async fn live(pool: &AnyPool, id: i64) -> Result<Option<Live>, sqlx::Error> {
    sqlx::query(
        "SELECT s.id, s.admin_id, a.username, a.is_active AS admin_active, a.role_id, a.session_epoch, s.admin_session, \
         s.customer_id, c.first_name, c.last_name, c.is_active AS customer_active, c.assistance_allowed, \
         c.assistance_allowed_at, c.website_id, w.name AS website_name, s.started_at, s.last_seen_at, \
         s.redeemed_at, s.ticket_expires_at, s.end_reason, s.ended_at \
         FROM assistance_sessions s JOIN admin_users a ON a.id = s.admin_id \
         JOIN customers c ON c.id = s.customer_id JOIN websites w ON w.id = c.website_id WHERE s.id = $1",
    )
    .bind(id)
    .try_map(|r: AnyRow| {
        let ended_at: Option<i64> = r.try_get("ended_at")?;
        let reason: Option<String> = r.try_get("end_reason")?;
        Ok(Live {
            id: r.try_get("id")?,
            admin_id: r.try_get("admin_id")?,
            admin_username: r.try_get("username")?,
            admin_active: flag(&r, "admin_active")?,
            admin_role_id: r.try_get("role_id")?,
            admin_epoch: r.try_get("session_epoch")?,
            admin_session: r.try_get("admin_session")?,
            customer_id: r.try_get("customer_id")?,
            customer_first_name: r.try_get("first_name")?,
            customer_last_name: r.try_get("last_name")?,
            customer_active: flag(&r, "customer_active")?,
            consent: flag(&r, "assistance_allowed")?,
            consent_at: r.try_get("assistance_allowed_at")?,
            website_id: r.try_get("website_id")?,
            website_name: r.try_get("website_name")?,
            started_at: r.try_get("started_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            redeemed: r.try_get::<Option<i64>, _>("redeemed_at")?.is_some(),
            ticket_expires_at: r.try_get("ticket_expires_at")?,
            ended: ended_at.map(|_| reason.unwrap_or_default()),
        })
    })
    .fetch_optional(pool)
    .await
}

/// Records activity (at most once a minute per session, by the caller's choice).
pub async fn touch(pool: &AnyPool, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assistance_sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// The names (first, last) of admins other than `admin_id` assisting `customer_id` now.
pub async fn others_assisting(
    pool: &AnyPool,
    customer_id: i64,
    admin_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.first_name, u.last_name FROM assistance_sessions s JOIN admin_users u ON u.id = s.admin_id \
         WHERE s.customer_id = $1 AND s.admin_id <> $2 AND s.ended_at IS NULL ORDER BY s.id",
    )
    .bind(customer_id)
    .bind(admin_id)
    .fetch_all(pool)
    .await
}

/// Every running session's id (the sweeper checks each).
pub async fn all_running(pool: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM assistance_sessions WHERE ended_at IS NULL ORDER BY id").fetch_all(pool).await
}

const END_CODES: &[&str] = &[
    "closed",
    "admin_signed_out",
    "admin_session_ended",
    "replaced",
    "consent_revoked",
    "consent_lapsed",
    "customer_password_changed",
    "customer_email_changed",
    "customer_inactive",
    "permission_lost",
    "admin_inactive",
    "feature_disabled",
    "lifetime_passed",
    "idle",
    "never_opened",
];

/// The column Role Scopes restrict the log by: the customer's website.
pub const LOG_SCOPE: &str = "c.website_id";

/// Customers > Login as Customer Log: one row per session, newest first.
pub static LOG_GRID: GridSpec<LogRow> = GridSpec {
    from: "FROM assistance_sessions s JOIN store_views v ON v.id = s.store_view_id \
           JOIN customers c ON c.id = s.customer_id",
    base: None,
    select: "s.id, s.customer_id, s.customer_email, s.admin_id, s.admin_name, s.started_at, v.name AS store_view, \
             s.ended_at, s.end_reason, s.reason",
    id: "s.id",
    sorts: &[
        SortColumn { key: "id", sql: "s.id", text: false },
        SortColumn { key: "logged_in", sql: "s.started_at", text: false },
    ],
    default_sort: "id",
    default_desc: true,
    filters: &[
        Filter { key: "customer", kind: FilterKind::Id("s.customer_id") },
        Filter { key: "email", kind: FilterKind::Prefix("LOWER(s.customer_email)") },
        Filter { key: "admin", kind: FilterKind::Id("s.admin_id") },
        Filter { key: "admin_name", kind: FilterKind::Prefix("LOWER(s.admin_name)") },
        Filter { key: "store", kind: FilterKind::Id("s.store_view_id") },
        Filter { key: "end_reason", kind: FilterKind::Code("s.end_reason", END_CODES) },
        Filter { key: "reason", kind: FilterKind::Prefix("LOWER(s.reason)") },
        Filter { key: "from", kind: FilterKind::Since("s.started_at") },
        Filter { key: "to", kind: FilterKind::Until("s.started_at") },
    ],
    search: None,
    row: |r| {
        Ok(LogRow {
            id: r.try_get("id")?,
            customer_id: r.try_get("customer_id")?,
            customer_email: r.try_get("customer_email")?,
            admin_id: r.try_get("admin_id")?,
            admin_name: r.try_get("admin_name")?,
            logged_in: r.try_get("started_at")?,
            store_view: r.try_get("store_view")?,
            ended: r.try_get("ended_at")?,
            end_reason: r.try_get("end_reason")?,
            reason: r.try_get("reason")?,
        })
    },
    csv_header: &[
        "ID",
        "Customer ID",
        "Customer Email",
        "Admin ID",
        "Admin Name",
        "Logged In",
        "Store View",
        "Ended",
        "End Reason",
        "Reason",
    ],
    csv_row: |l| {
        vec![
            l.id.to_string(),
            l.customer_id.to_string(),
            l.customer_email.clone(),
            l.admin_id.to_string(),
            l.admin_name.clone(),
            format_time(l.logged_in),
            l.store_view.clone(),
            l.ended.map(format_time).unwrap_or_default(),
            crate::l10n::names::end_reason_code(crate::l10n::Locale::en_US, l.end_reason.as_deref()),
            l.reason.clone().unwrap_or_default(),
        ]
    },
};

/// Sessions per day over the log's filtered set (at most the last `days` days of it).
pub async fn sessions_per_day(
    pool: &AnyPool,
    query: &GridQuery,
    within: crate::server::grid::Within<'_>,
    days: i64,
) -> Result<Vec<DayCount>, AppError> {
    let (where_sql, binds) = LOG_GRID.filter_sql(pool, query, within)?;
    let sql = format!(
        "SELECT s.started_at / 86400000 AS day, COUNT(*) AS n {} {where_sql} GROUP BY s.started_at / 86400000 \
         ORDER BY day DESC LIMIT {days}",
        LOG_GRID.from
    );
    let mut rows: Vec<DayCount> = GridSpec::<LogRow>::bound(&sql, &binds)
        .try_map(|r: AnyRow| Ok(DayCount { day: r.try_get::<i64, _>("day")? * 86_400_000, sessions: r.try_get("n")? }))
        .fetch_all(pool)
        .await?;
    rows.reverse();
    Ok(rows)
}

/// A customer's opened sessions, newest first, with what was done in each (from the action
/// log, by session id), for their Assistance History.
pub async fn history(pool: &AnyPool, customer_id: i64, limit: i64) -> Result<Vec<HistoryItem>, sqlx::Error> {
    let sessions: Vec<(i64, i64, Option<i64>, String, String)> = sqlx::query(
        "SELECT s.id, s.redeemed_at, s.ended_at, s.shown_name, a.first_name FROM assistance_sessions s \
         JOIN admin_users a ON a.id = s.admin_id \
         WHERE s.customer_id = $1 AND s.redeemed_at IS NOT NULL ORDER BY s.id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .try_map(|r: AnyRow| {
        Ok((
            r.try_get("id")?,
            r.try_get("redeemed_at")?,
            r.try_get("ended_at")?,
            r.try_get("shown_name")?,
            r.try_get("first_name")?,
        ))
    })
    .fetch_all(pool)
    .await?;
    // What each session changed, in one query for all of them (oldest change first).
    let mut changes: std::collections::HashMap<i64, Vec<(String, i64)>> = std::collections::HashMap::new();
    if let Some(oldest) = sessions.last().map(|s| s.0) {
        let rows: Vec<(i64, String, i64)> = sqlx::query(
            "SELECT l.assistance_session_id AS sid, l.action, COUNT(*) AS n, MIN(l.id) AS first_id \
             FROM action_log l JOIN assistance_sessions s ON s.id = l.assistance_session_id \
             WHERE s.customer_id = $1 AND l.assistance_session_id >= $2 \
             AND l.action NOT IN ('Open storefront', 'End Login as Customer') \
             GROUP BY l.assistance_session_id, l.action ORDER BY first_id",
        )
        .bind(customer_id)
        .bind(oldest)
        .try_map(|r: AnyRow| Ok((r.try_get("sid")?, r.try_get("action")?, r.try_get("n")?)))
        .fetch_all(pool)
        .await?;
        for (sid, action, n) in rows {
            changes.entry(sid).or_default().push((action, n));
        }
    }
    let mut orders: std::collections::HashMap<i64, Vec<(i64, String)>> = std::collections::HashMap::new();
    if let Some(oldest) = sessions.last().map(|s| s.0) {
        let rows: Vec<(i64, i64, String)> = sqlx::query(
            "SELECT assistance_session_id AS sid, id, increment_id FROM sales_orders \
             WHERE customer_id = $1 AND assistance_session_id >= $2 ORDER BY id",
        )
        .bind(customer_id)
        .bind(oldest)
        .try_map(|r: AnyRow| Ok((r.try_get("sid")?, r.try_get("id")?, r.try_get("increment_id")?)))
        .fetch_all(pool)
        .await?;
        for (sid, id, number) in rows {
            orders.entry(sid).or_default().push((id, number));
        }
    }
    let now = super::now_ms();
    let mut items = Vec::with_capacity(sessions.len());
    for (id, started, ended, shown, first) in sessions {
        items.push(HistoryItem {
            started_at: started,
            ended_at: ended,
            minutes: ((ended.unwrap_or(now) - started).max(0) + 59_999) / 60_000,
            assistant: crate::domain::model::shown_name(&shown, &first),
            changes: changes.remove(&id).unwrap_or_default(),
            orders: orders.remove(&id).unwrap_or_default(),
        });
    }
    Ok(items)
}

/// The assisting admin's name as the session recorded it at its start (`First Last`).
pub async fn admin_full_name<'e>(ex: impl super::Executor<'e>, session_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT admin_name FROM assistance_sessions WHERE id = $1").bind(session_id).fetch_one(ex).await
}
