//! Storefront customers.

use super::Executor;
use super::{flag, now_ms, Tx};
use crate::domain::model::{format_time, CustomerDetail, CustomerGroup, CustomerMe, CustomerRow};
use crate::server::grid::{Filter, FilterKind, GridSpec, Search, SortColumn};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// Fields of a new customer.
pub struct NewCustomer<'a> {
    pub website_id: i64,
    pub store_view_id: i64,
    pub group_id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password_hash: &'a str,
    pub assistance_allowed: bool,
}

/// Whether the email is taken where it must be unique: on `website_id`, or anywhere when `None`.
///
/// Call it in the transaction that then writes the email. Uniqueness across websites (Global
/// sharing) cannot be a unique index, so concurrent checks of one address are serialized until
/// the transaction ends: on PostgreSQL by an advisory lock on the address, on SQLite by the
/// write lock every transaction takes (`Db::begin`).
pub async fn email_taken(
    tx: &mut Tx<'_>,
    email_normalized: &str,
    website_id: Option<i64>,
    except_id: i64,
) -> Result<bool, sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
            .bind(email_normalized)
            .execute(&mut **tx)
            .await?;
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customers WHERE email_normalized = $1 AND ($2 < 0 OR website_id = $2) AND id <> $3",
    )
    .bind(email_normalized)
    .bind(website_id.unwrap_or(-1))
    .bind(except_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

pub async fn create(tx: &mut Tx<'_>, c: &NewCustomer<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO customers (website_id, store_view_id, group_id, email, email_normalized, first_name, last_name, \
         password_hash, is_active, assistance_allowed, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING id",
    )
    .bind(c.website_id)
    .bind(c.store_view_id)
    .bind(c.group_id)
    .bind(c.email)
    .bind(c.email.to_lowercase())
    .bind(c.first_name)
    .bind(c.last_name)
    .bind(c.password_hash)
    .bind(i64::from(c.assistance_allowed))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// What storefront sign-in needs.
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub is_active: bool,
    pub session_epoch: i64,
}

/// Finds a customer by email on a website (`Per Website` sharing) or anywhere (`Global`).
pub async fn credentials(
    pool: &AnyPool,
    email_normalized: &str,
    website_id: Option<i64>,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query(
        "SELECT id, password_hash, is_active, session_epoch FROM customers \
         WHERE email_normalized = $1 AND ($2 < 0 OR website_id = $2) ORDER BY id LIMIT 1",
    )
    .bind(email_normalized)
    .bind(website_id.unwrap_or(-1))
    .try_map(|r: AnyRow| {
        Ok(Credentials {
            id: r.try_get("id")?,
            password_hash: r.try_get("password_hash")?,
            is_active: flag(&r, "is_active")?,
            session_epoch: r.try_get("session_epoch")?,
        })
    })
    .fetch_optional(pool)
    .await
}

/// What re-authentication needs: the normalized email, the website and the password hash.
pub async fn own_credentials(pool: &AnyPool, id: i64) -> Result<Option<(String, i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT email_normalized, website_id, password_hash FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("email_normalized")?, r.try_get("website_id")?, r.try_get("password_hash")?))).transpose()
}

/// The session epoch and website of an active customer (`None`: gone or inactive). Read on
/// every storefront request of a signed-in shopper.
pub async fn active_session_epoch(pool: &AnyPool, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT session_epoch, website_id FROM customers WHERE id = $1 AND is_active = 1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// How many emails (normalized) more than one website has an account for: what `Global`
/// account sharing could not hold.
pub async fn emails_on_several_websites<'e>(ex: impl super::Executor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT email_normalized FROM customers GROUP BY email_normalized \
         HAVING COUNT(DISTINCT website_id) > 1) shared",
    )
    .fetch_one(ex)
    .await
}

/// The signed-in customer, if still present and active.
pub async fn me(pool: &AnyPool, id: i64) -> Result<Option<CustomerMe>, sqlx::Error> {
    sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email, w.name AS website_name FROM customers c \
         JOIN websites w ON w.id = c.website_id WHERE c.id = $1 AND c.is_active = 1",
    )
    .bind(id)
    .try_map(|r: AnyRow| {
        Ok(CustomerMe {
            id: r.try_get("id")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            email: r.try_get("email")?,
            website_name: r.try_get("website_name")?,
            consent: None,
        })
    })
    .fetch_optional(pool)
    .await
}

/// Saves Account Information; a new password also raises the session epoch, ending the
/// shopper's other sessions. Returns the epoch now in force.
pub async fn update_account(
    tx: &mut Tx<'_>,
    id: i64,
    first_name: &str,
    last_name: &str,
    email: &str,
    password_hash: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE customers SET first_name = $2, last_name = $3, email = $4, email_normalized = $5, \
         password_hash = COALESCE($6, password_hash), \
         session_epoch = session_epoch + CASE WHEN $6 IS NULL THEN 0 ELSE 1 END, updated_at = $7 \
         WHERE id = $1 RETURNING session_epoch",
    )
    .bind(id)
    .bind(first_name)
    .bind(last_name)
    .bind(email)
    .bind(email.to_lowercase())
    .bind(password_hash)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

/// Erases an account at its owner's request (`Delete Account`): the name, email and password
/// are gone, the account is inactive and every session of it ends. The row stays, empty, so
/// the action log, the Login as Customer Log and orders still name the customer by id; the
/// email is free for a new account.
pub async fn erase(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    let placeholder = format!("deleted-{id}@deleted.invalid");
    sqlx::query(
        "UPDATE customers SET first_name = '', last_name = '', email = $2, email_normalized = $2, \
         password_hash = '!', is_active = 0, assistance_allowed = 0, \
         session_epoch = session_epoch + 1, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(placeholder)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM customer_addresses WHERE customer_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM carts WHERE customer_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Fields the admin edits under Account Information.
pub struct AdminEdit<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub group_id: i64,
    pub is_active: bool,
}

pub async fn admin_update(tx: &mut Tx<'_>, id: i64, e: &AdminEdit<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET first_name = $2, last_name = $3, email = $4, email_normalized = $5, group_id = $6, \
         is_active = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(e.first_name)
    .bind(e.last_name)
    .bind(e.email)
    .bind(e.email.to_lowercase())
    .bind(e.group_id)
    .bind(i64::from(e.is_active))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const DETAIL_SQL: &str = "SELECT c.id, c.first_name, c.last_name, c.email, c.group_id, c.website_id, \
     w.name AS website_name, v.name AS created_in, c.is_active, c.created_at FROM customers c \
     JOIN websites w ON w.id = c.website_id JOIN store_views v ON v.id = c.store_view_id WHERE c.id = $1";

fn detail_row(r: AnyRow) -> Result<CustomerDetail, sqlx::Error> {
    Ok(CustomerDetail {
        id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        email: r.try_get("email")?,
        group_id: r.try_get("group_id")?,
        website_id: r.try_get("website_id")?,
        website_name: r.try_get("website_name")?,
        created_in: r.try_get("created_in")?,
        is_active: flag(&r, "is_active")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn detail<'e>(ex: impl Executor<'e>, id: i64) -> Result<Option<CustomerDetail>, sqlx::Error> {
    sqlx::query(DETAIL_SQL).bind(id).try_map(detail_row).fetch_optional(ex).await
}

/// What a Login as Customer start needs to know about the customer.
pub struct AssistTarget {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub website_id: i64,
    pub store_view_id: i64,
    pub consent: bool,
    pub consent_at: Option<i64>,
}

pub async fn assist_target<'e>(ex: impl Executor<'e>, id: i64) -> Result<Option<AssistTarget>, sqlx::Error> {
    sqlx::query(
        "SELECT email, first_name, last_name, is_active, website_id, store_view_id, assistance_allowed, \
         assistance_allowed_at FROM customers WHERE id = $1",
    )
    .bind(id)
    .try_map(|r: sqlx::any::AnyRow| {
        Ok(AssistTarget {
            email: r.try_get("email")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            is_active: super::flag(&r, "is_active")?,
            website_id: r.try_get("website_id")?,
            store_view_id: r.try_get("store_view_id")?,
            consent: super::flag(&r, "assistance_allowed")?,
            consent_at: r.try_get("assistance_allowed_at")?,
        })
    })
    .fetch_optional(ex)
    .await
}

/// An account's session epoch (raised by each password change).
pub async fn session_epoch<'e>(ex: impl Executor<'e>, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT session_epoch FROM customers WHERE id = $1").bind(id).fetch_optional(ex).await
}

/// The groups an account may belong to (every group but `NOT LOGGED IN`, the guests').
pub async fn groups(pool: &AnyPool) -> Result<Vec<CustomerGroup>, sqlx::Error> {
    sqlx::query("SELECT id, code FROM customer_groups WHERE code <> 'NOT LOGGED IN' ORDER BY id")
        .try_map(|r: AnyRow| Ok(CustomerGroup { id: r.try_get("id")?, code: r.try_get("code")? }))
        .fetch_all(pool)
        .await
}

/// The group new accounts join: the first one.
pub async fn default_group(tx: &mut Tx<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM customer_groups WHERE code <> 'NOT LOGGED IN' ORDER BY id LIMIT 1")
        .fetch_one(&mut **tx)
        .await
}

pub async fn group_exists(tx: &mut Tx<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_groups WHERE id = $1 AND code <> 'NOT LOGGED IN'")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// Adds a customer group unless one with this code exists.
pub async fn ensure_group(tx: &mut Tx<'_>, code: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_groups (code, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT (code) DO NOTHING",
    )
    .bind(code)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn group_ids(pool: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM customer_groups WHERE code <> 'NOT LOGGED IN' ORDER BY id").fetch_all(pool).await
}

/// The website a customer belongs to (`None`: no such customer).
pub async fn website_of<'e>(ex: impl Executor<'e>, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT website_id FROM customers WHERE id = $1").bind(id).fetch_optional(ex).await
}

pub async fn max_id(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM customers").fetch_one(pool).await
}

/// All customers, and those created since `since_ms`, for the dashboard.
pub async fn counts(pool: &AnyPool, since_ms: i64) -> Result<(i64, i64), sqlx::Error> {
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(pool).await?;
    let recent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE created_at >= $1")
        .bind(since_ms)
        .fetch_one(pool)
        .await?;
    Ok((all, recent))
}

/// A generated demo shopper.
pub struct GeneratedCustomer {
    pub website_id: i64,
    pub store_view_id: i64,
    pub group_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub created_at: i64,
}

/// Inserts many customers in one statement, all with one password hash (demo data).
pub async fn insert_generated(
    pool: &AnyPool,
    rows: &[GeneratedCustomer],
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO customers (website_id, store_view_id, group_id, email, email_normalized, first_name, last_name, \
         password_hash, is_active, assistance_allowed, created_at, updated_at) VALUES ",
    );
    for i in 0..rows.len() {
        let b = i * 11;
        if i > 0 {
            sql.push(',');
        }
        let p: Vec<String> = (1..=11).map(|k| format!("${}", b + k)).collect();
        sql.push_str(&format!(
            "({},{},{},{},{},{},{},{},{},0,{},{})",
            p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]
        ));
    }
    let now = now_ms();
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.website_id)
            .bind(r.store_view_id)
            .bind(r.group_id)
            .bind(r.email.clone())
            .bind(r.email.to_lowercase())
            .bind(r.first_name.clone())
            .bind(r.last_name.clone())
            .bind(password_hash.to_string())
            .bind(i64::from(r.is_active))
            .bind(r.created_at)
            .bind(now);
    }
    q.execute(pool).await?;
    Ok(())
}

/// The column Role Scopes restrict the customer grid by.
pub const GRID_SCOPE: &str = "c.website_id";

/// Customers > All Customers. The search matches the start of the email, first or last name
/// (case-insensitive), or an exact id; filters and sorts use indexed columns.
pub static GRID: GridSpec<CustomerRow> = GridSpec {
    from: "FROM customers c JOIN websites w ON w.id = c.website_id JOIN customer_groups g ON g.id = c.group_id",
    // Each customer has one website and one group (required references).
    base: Some("FROM customers c"),
    select: "c.id, c.first_name, c.last_name, c.email, g.code AS grp, w.name AS website, c.created_at, c.is_active",
    id: "c.id",
    sorts: &[
        SortColumn { key: "id", sql: "c.id", text: false },
        SortColumn { key: "name", sql: "c.last_name", text: true },
        SortColumn { key: "email", sql: "c.email_normalized", text: true },
        SortColumn { key: "created", sql: "c.created_at", text: false },
    ],
    default_sort: "id",
    default_desc: true,
    filters: &[
        Filter { key: "website", kind: FilterKind::Id("c.website_id") },
        Filter { key: "group", kind: FilterKind::Id("c.group_id") },
        Filter { key: "active", kind: FilterKind::Flag("c.is_active") },
    ],
    search: Some(Search {
        sql: "c.id = {id} OR (c.email_normalized{C} >= {from} AND c.email_normalized{C} < {to}) \
              OR (LOWER(c.first_name){C} >= {from} AND LOWER(c.first_name){C} < {to}) \
              OR (LOWER(c.last_name){C} >= {from} AND LOWER(c.last_name){C} < {to})",
    }),
    row: |r| {
        Ok(CustomerRow {
            id: r.try_get("id")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            email: r.try_get("email")?,
            group: r.try_get("grp")?,
            website: r.try_get("website")?,
            created_at: r.try_get("created_at")?,
            is_active: flag(&r, "is_active")?,
        })
    },
    csv_header: &["ID", "First Name", "Last Name", "Email", "Group", "Web Site", "Customer Since", "Status"],
    csv_row: |c| {
        vec![
            c.id.to_string(),
            c.first_name.clone(),
            c.last_name.clone(),
            c.email.clone(),
            c.group.clone(),
            c.website.clone(),
            format_time(c.created_at),
            if c.is_active { "Active" } else { "Inactive" }.to_string(),
        ]
    },
};

/// Takes the customer's row lock for the rest of `tx` (a no-op update), so two consent changes
/// of one customer at once are decided one after the other.
pub async fn lock(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET updated_at = updated_at WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// A customer's stored consent to remote shopping assistance: (given, when), or `None` when
/// there is no such customer. Whether it still holds is for `domain::consent::holds`.
pub async fn consent<'e>(
    ex: impl crate::server::db::Executor<'e>,
    id: i64,
) -> Result<Option<(bool, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query("SELECT assistance_allowed, assistance_allowed_at FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    row.map(|r| Ok((flag(&r, "assistance_allowed")?, r.try_get("assistance_allowed_at")?))).transpose()
}

/// Records consent given at `at` (or revoked, with `None`).
pub async fn set_consent(tx: &mut Tx<'_>, id: i64, at: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET assistance_allowed = $2, assistance_allowed_at = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(at.is_some()))
    .bind(at)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
