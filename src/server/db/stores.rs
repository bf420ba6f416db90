//! Websites, store groups and store views.

use crate::domain::model::{StoreView, Website};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

const VIEW_SQL: &str = "SELECT v.id, v.code, v.name, v.group_id, g.name AS group_name, v.website_id, \
     w.name AS website_name, v.is_default FROM store_views v \
     JOIN store_groups g ON g.id = v.group_id JOIN websites w ON w.id = v.website_id";

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

pub async fn view_by_id(pool: &AnyPool, id: i64) -> Result<Option<StoreView>, sqlx::Error> {
    let sql = format!("{VIEW_SQL} WHERE v.id = $1");
    sqlx::query(&sql).bind(id).try_map(view).fetch_optional(pool).await
}

pub async fn websites(pool: &AnyPool) -> Result<Vec<Website>, sqlx::Error> {
    sqlx::query("SELECT id, code, name FROM websites ORDER BY sort_order, id")
        .try_map(|r: AnyRow| Ok(Website { id: r.try_get("id")?, code: r.try_get("code")?, name: r.try_get("name")? }))
        .fetch_all(pool)
        .await
}
