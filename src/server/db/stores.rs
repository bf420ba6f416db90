//! Websites, store groups and store views.

use super::{now_ms, Tx};
use crate::domain::model::{StoreView, Website};
use crate::server::grid::{Filter, FilterKind, GridSpec, Search, SortColumn};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// A store view's locale: the most specific `general/locale/code` set for it (store view,
/// then website, then default), else English.
macro_rules! locale_sql {
    () => {
        "COALESCE((SELECT c.value FROM config_values c \
           WHERE c.path = 'general/locale/code' AND ((c.scope = 'stores' AND c.scope_id = v.id) \
             OR (c.scope = 'websites' AND c.scope_id = v.website_id) OR (c.scope = 'default' AND c.scope_id = 0)) \
           ORDER BY CASE c.scope WHEN 'stores' THEN 0 WHEN 'websites' THEN 1 ELSE 2 END LIMIT 1), 'en-US') AS locale"
    };
}

/// The website's `Base Currency` (website or default scope), for a store view `v`.
macro_rules! currency_sql {
    () => {
        "COALESCE((SELECT c.value FROM config_values c \
           WHERE c.path = 'currency/options/base' AND ((c.scope = 'websites' AND c.scope_id = v.website_id) \
             OR (c.scope = 'default' AND c.scope_id = 0)) \
           ORDER BY CASE c.scope WHEN 'websites' THEN 0 ELSE 1 END LIMIT 1), 'USD') AS currency"
    };
}

/// A store view with its names, its locale and its currency.
const VIEW_SQL: &str = concat!(
    "SELECT v.id, v.code, v.name, v.group_id, g.name AS group_name, v.website_id, w.name AS website_name, \
     v.is_default, ",
    currency_sql!(),
    ", ",
    locale_sql!(),
    " FROM store_views v JOIN store_groups g ON g.id = v.group_id JOIN websites w ON w.id = v.website_id"
);

fn view(row: AnyRow) -> Result<StoreView, sqlx::Error> {
    Ok(StoreView {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        group_id: row.try_get("group_id")?,
        group_name: row.try_get("group_name")?,
        website_id: row.try_get("website_id")?,
        website_name: row.try_get("website_name")?,
        is_default: super::flag(&row, "is_default")?,
        locale: row.try_get("locale")?,
        currency: row.try_get("currency")?,
    })
}

/// Every active store view, grouped by website, in display order.
pub async fn views(pool: &AnyPool) -> Result<Vec<StoreView>, sqlx::Error> {
    let sql = format!("{VIEW_SQL} WHERE v.is_active = 1 ORDER BY w.sort_order, w.id, g.id, v.sort_order, v.id");
    sqlx::query(&sql).try_map(view).fetch_all(pool).await
}

/// The store view a request addresses: the default one, or the one whose code prefixes the path.
pub async fn view_by_code(pool: &AnyPool, code: Option<&str>) -> Result<Option<StoreView>, sqlx::Error> {
    match code {
        None => {
            let sql = format!(
                "{VIEW_SQL} WHERE v.is_active = 1 ORDER BY w.is_default DESC, v.is_default DESC, w.id, v.id LIMIT 1"
            );
            sqlx::query(&sql).try_map(view).fetch_optional(pool).await
        }
        Some(code) => {
            let sql = format!("{VIEW_SQL} WHERE v.is_active = 1 AND v.code = $1");
            sqlx::query(&sql).bind(code).try_map(view).fetch_optional(pool).await
        }
    }
}

/// Every active store view, the default one first (the order [`view_by_code`] picks it by).
pub async fn active_views(pool: &AnyPool) -> Result<Vec<StoreView>, sqlx::Error> {
    let sql = format!("{VIEW_SQL} WHERE v.is_active = 1 ORDER BY w.is_default DESC, v.is_default DESC, w.id, v.id");
    sqlx::query(&sql).try_map(view).fetch_all(pool).await
}

/// Store view `id` with its names and locale, on any executor.
pub async fn view_by_id<'e>(
    ex: impl crate::server::db::Executor<'e>,
    id: i64,
) -> Result<Option<StoreView>, sqlx::Error> {
    let sql = format!("{VIEW_SQL} WHERE v.id = $1");
    sqlx::query(&sql).bind(id).try_map(view).fetch_optional(ex).await
}

pub async fn websites(pool: &AnyPool) -> Result<Vec<Website>, sqlx::Error> {
    sqlx::query("SELECT id, code, name FROM websites ORDER BY sort_order, id")
        .try_map(|r: AnyRow| Ok(Website { id: r.try_get("id")?, code: r.try_get("code")?, name: r.try_get("name")? }))
        .fetch_all(pool)
        .await
}

/// Websites and store views, for the dashboard.
pub async fn counts(pool: &AnyPool) -> Result<(i64, i64), sqlx::Error> {
    let websites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM websites").fetch_one(pool).await?;
    let views: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM store_views").fetch_one(pool).await?;
    Ok((websites, views))
}

/// The id of the website or store view with `code` (`views`: store views, else websites).
pub async fn id_by_code(pool: &AnyPool, views: bool, code: &str) -> Result<Option<i64>, sqlx::Error> {
    let sql =
        if views { "SELECT id FROM store_views WHERE code = $1" } else { "SELECT id FROM websites WHERE code = $1" };
    sqlx::query_scalar(sql).bind(code).fetch_optional(pool).await
}

/// Every store view's (id, website id), active or not.
pub async fn view_websites(pool: &AnyPool) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query("SELECT id, website_id FROM store_views ORDER BY id")
        .try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("website_id")?)))
        .fetch_all(pool)
        .await
}

pub async fn create_website(
    tx: &mut Tx<'_>,
    code: &str,
    name: &str,
    sort_order: i64,
    is_default: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO websites (code, name, sort_order, is_default, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(sort_order)
    .bind(i64::from(is_default))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

pub async fn create_group(tx: &mut Tx<'_>, website_id: i64, code: &str, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO store_groups (website_id, code, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(website_id)
    .bind(code)
    .bind(name)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

/// A new active store view.
pub struct NewView<'a> {
    pub group_id: i64,
    pub website_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub sort_order: i64,
    pub is_default: bool,
}

pub async fn create_view(tx: &mut Tx<'_>, v: &NewView<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO store_views (group_id, website_id, code, name, sort_order, is_active, is_default, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id",
    )
    .bind(v.group_id)
    .bind(v.website_id)
    .bind(v.code)
    .bind(v.name)
    .bind(v.sort_order)
    .bind(i64::from(v.is_default))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

/// Stores > All Stores: every active store view with its store and website.
pub static GRID: GridSpec<StoreView> = GridSpec {
    from: "FROM store_views v JOIN store_groups g ON g.id = v.group_id \
           JOIN websites w ON w.id = v.website_id AND v.is_active = 1",
    base: None,
    select: concat!(
        "v.id, v.code, v.name, v.group_id, g.name AS group_name, v.website_id, w.name AS website_name, v.is_default, ",
        currency_sql!(),
        ", ",
        locale_sql!()
    ),
    id: "v.id",
    sorts: &[
        SortColumn { key: "id", sql: "v.id", text: false },
        SortColumn { key: "name", sql: "v.name", text: true },
        SortColumn { key: "code", sql: "v.code", text: true },
    ],
    default_sort: "id",
    default_desc: false,
    filters: &[Filter { key: "website", kind: FilterKind::Id("v.website_id") }],
    search: Some(Search {
        sql: "v.id = {id} OR LOWER(v.name) LIKE {prefix} ESCAPE '\\' OR v.code LIKE {prefix} ESCAPE '\\'",
    }),
    row: view,
    csv_header: &["ID", "Web Site", "Store", "Store View", "Code"],
    csv_row: |v| vec![v.id.to_string(), v.website_name.clone(), v.group_name.clone(), v.name.clone(), v.code.clone()],
};

/// An active store view's (id, website id).
pub async fn active_view<'e>(ex: impl super::Executor<'e>, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query("SELECT id, website_id FROM store_views WHERE id = $1 AND is_active = 1")
        .bind(id)
        .try_map(|r: sqlx::any::AnyRow| Ok((r.try_get("id")?, r.try_get("website_id")?)))
        .fetch_optional(ex)
        .await
}

/// `Automatic` (Login as Customer): the account's own store view while it is active, else its
/// website's default.
pub async fn automatic_view(tx: &mut Tx<'_>, website_id: i64, own: i64) -> Result<Option<i64>, sqlx::Error> {
    if let Some((id, _)) = active_view(&mut **tx, own).await? {
        return Ok(Some(id));
    }
    sqlx::query_scalar(
        "SELECT id FROM store_views WHERE website_id = $1 AND is_active = 1 ORDER BY is_default DESC, sort_order, id LIMIT 1",
    )
    .bind(website_id)
    .fetch_optional(&mut **tx)
    .await
}

/// A website's name.
pub async fn website_name<'e>(ex: impl super::Executor<'e>, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM websites WHERE id = $1").bind(id).fetch_one(ex).await
}
