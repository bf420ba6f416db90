//! What the demo data generator reads and backdates (see `crate::server::demo_sales`).

use super::Tx;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// An active customer to give an address and orders to.
pub struct DemoCustomer {
    pub id: i64,
    pub store_view_id: i64,
    pub group_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// The first `limit` active customers by id.
pub async fn customers(pool: &AnyPool, limit: i64) -> Result<Vec<DemoCustomer>, sqlx::Error> {
    sqlx::query(
        "SELECT c.id, c.store_view_id, c.group_id, c.email, c.first_name, c.last_name FROM customers c \
         WHERE c.is_active = 1 ORDER BY c.id LIMIT $1",
    )
    .bind(limit)
    .try_map(|r: AnyRow| {
        Ok(DemoCustomer {
            id: r.try_get("id")?,
            store_view_id: r.try_get("store_view_id")?,
            group_id: r.try_get("group_id")?,
            email: r.try_get("email")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
        })
    })
    .fetch_all(pool)
    .await
}

/// Up to 500 enabled products: id, SKU, name, base price.
pub async fn products(pool: &AnyPool) -> Result<Vec<(i64, String, String, i64)>, sqlx::Error> {
    sqlx::query("SELECT id, sku, name, price FROM catalog_products WHERE is_enabled = 1 ORDER BY id LIMIT 500")
        .try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("sku")?, r.try_get("name")?, r.try_get("price")?)))
        .fetch_all(pool)
        .await
}

/// Each store view's website and base currency (the website's, else the default's, else USD).
pub async fn view_currencies(pool: &AnyPool) -> Result<HashMap<i64, (i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT v.id, v.website_id, COALESCE((SELECT c.value FROM config_values c WHERE c.path = 'currency/options/base' \
         AND ((c.scope = 'websites' AND c.scope_id = v.website_id) OR (c.scope = 'default' AND c.scope_id = 0)) \
         ORDER BY CASE c.scope WHEN 'websites' THEN 0 ELSE 1 END LIMIT 1), 'USD') AS currency FROM store_views v",
    )
    .try_map(|r: AnyRow| Ok((r.try_get("id")?, (r.try_get("website_id")?, r.try_get("currency")?))))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Dates an order `at` (ms) instead of now.
pub async fn backdate_order(tx: &mut Tx<'_>, order: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sales_orders SET created_at = $2, updated_at = $2 WHERE id = $1")
        .bind(order)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
