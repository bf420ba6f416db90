//! Catalog > Products and Catalog > Categories: the admin's grid, the edit data and writes.

use super::{flag, now_ms, Tx};
use crate::domain::catalog::{tree_order, CategoryEdit, CategoryNode, Choice, ProductEdit, ProductRow};
use crate::server::grid::{Filter, FilterKind, GridSpec, Search, SortColumn};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// Catalog > Products. The search box finds an id, or a SKU or name starting with the words
/// typed (each a range along its own lower-cased index, so it stays fast at 100,000 products).
pub static PRODUCTS_GRID: GridSpec<ProductRow> = GridSpec {
    from: "FROM catalog_products p",
    base: Some("FROM catalog_products p"),
    select: "p.id, p.sku, p.name, p.price, p.qty, p.is_enabled, p.is_featured",
    id: "p.id",
    sorts: &[
        SortColumn { key: "id", sql: "p.id", text: false },
        SortColumn { key: "sku", sql: "p.sku", text: true },
        SortColumn { key: "name", sql: "p.name", text: true },
        SortColumn { key: "price", sql: "p.price", text: false },
        SortColumn { key: "qty", sql: "p.qty", text: false },
    ],
    default_sort: "id",
    default_desc: true,
    filters: &[
        Filter { key: "enabled", kind: FilterKind::Flag("p.is_enabled") },
        Filter { key: "featured", kind: FilterKind::Flag("p.is_featured") },
    ],
    search: Some(Search {
        sql: "p.id = {id} OR (LOWER(p.sku){C} >= {from} AND LOWER(p.sku){C} < {to}) \
              OR (LOWER(p.name){C} >= {from} AND LOWER(p.name){C} < {to})",
    }),
    row: |r| {
        Ok(ProductRow {
            id: r.try_get("id")?,
            sku: r.try_get("sku")?,
            name: r.try_get("name")?,
            price: r.try_get("price")?,
            qty: r.try_get("qty")?,
            enabled: flag(&r, "is_enabled")?,
            featured: flag(&r, "is_featured")?,
        })
    },
    csv_header: &["ID", "SKU", "Name", "Price", "Quantity", "Status", "Featured"],
    csv_row: |p| {
        vec![
            p.id.to_string(),
            p.sku.clone(),
            p.name.clone(),
            crate::domain::catalog::price_text(p.price),
            p.qty.to_string(),
            if p.enabled { "Enabled" } else { "Disabled" }.to_string(),
            if p.featured { "Yes" } else { "No" }.to_string(),
        ]
    },
};

/// A product with its websites, categories and group prices (`None`: no such product).
pub async fn product_edit(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<ProductEdit>, sqlx::Error> {
    let Some(mut p) = sqlx::query(
        "SELECT id, sku, name, url_key, description, price, qty, is_enabled, is_featured FROM catalog_products WHERE id = $1",
    )
    .bind(id)
    .try_map(|r: AnyRow| {
        Ok(ProductEdit {
            id: r.try_get("id")?,
            sku: r.try_get("sku")?,
            name: r.try_get("name")?,
            url_key: r.try_get("url_key")?,
            description: r.try_get("description")?,
            price: r.try_get("price")?,
            qty: r.try_get("qty")?,
            enabled: flag(&r, "is_enabled")?,
            featured: flag(&r, "is_featured")?,
            ..ProductEdit::default()
        })
    })
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    p.websites =
        sqlx::query_scalar("SELECT website_id FROM catalog_product_websites WHERE product_id = $1 ORDER BY website_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    p.categories = sqlx::query_scalar(
        "SELECT category_id FROM catalog_category_products WHERE product_id = $1 ORDER BY category_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    p.group_prices =
        sqlx::query("SELECT group_id, price FROM catalog_product_group_prices WHERE product_id = $1 ORDER BY group_id")
            .bind(id)
            .try_map(|r: AnyRow| Ok((r.try_get("group_id")?, r.try_get("price")?)))
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(p))
}

/// Every customer group, `NOT LOGGED IN` (the guests') first.
pub async fn all_groups(pool: &AnyPool) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query("SELECT id, code FROM customer_groups ORDER BY CASE WHEN code = 'NOT LOGGED IN' THEN 0 ELSE 1 END, id")
        .try_map(|r: AnyRow| Ok(Choice { id: r.try_get("id")?, name: r.try_get("code")? }))
        .fetch_all(pool)
        .await
}

/// Every category with its path from the top (`Women / Tops`), in tree order.
pub async fn category_paths(pool: &AnyPool) -> Result<Vec<Choice>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, String)> =
        sqlx::query("SELECT id, parent_id, name FROM catalog_categories ORDER BY position, id")
            .try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("parent_id")?, r.try_get("name")?)))
            .fetch_all(pool)
            .await?;
    let by_id: std::collections::HashMap<i64, (Option<i64>, String)> =
        rows.iter().map(|(id, parent, name)| (*id, (*parent, name.clone()))).collect();
    let mut out: Vec<Choice> = rows
        .iter()
        .map(|(id, _, _)| {
            let mut names = Vec::new();
            let mut at = Some(*id);
            while let (Some(here), true) = (at, names.len() < 16) {
                let Some((parent, name)) = by_id.get(&here) else { break };
                names.insert(0, name.clone());
                at = *parent;
            }
            Choice { id: *id, name: names.join(" / ") }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The websites' and the customer groups' ids.
pub async fn website_and_group_ids(tx: &mut Tx<'_>) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let sites = sqlx::query_scalar("SELECT id FROM websites").fetch_all(&mut **tx).await?;
    let groups = sqlx::query_scalar("SELECT id FROM customer_groups").fetch_all(&mut **tx).await?;
    Ok((sites, groups))
}

/// Which of `ids` are not categories.
pub async fn unknown_categories(tx: &mut Tx<'_>, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    let mut unknown = Vec::new();
    for id in ids {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_categories WHERE id = $1")
            .bind(*id)
            .fetch_optional(&mut **tx)
            .await?;
        if found.is_none() {
            unknown.push(*id);
        }
    }
    Ok(unknown)
}

/// Whether `column` (`sku` or `url_key`) holds `value` on another product than `except`.
pub async fn taken(tx: &mut Tx<'_>, column: &'static str, value: &str, except: i64) -> Result<bool, sqlx::Error> {
    let sql = match column {
        "sku" => "SELECT COUNT(*) FROM catalog_products WHERE sku = $1 AND id <> $2",
        _ => "SELECT COUNT(*) FROM catalog_products WHERE url_key = $1 AND id <> $2",
    };
    let n: i64 = sqlx::query_scalar(sql).bind(value).bind(except).fetch_one(&mut **tx).await?;
    Ok(n > 0)
}

/// A product's fields as the edit page writes them.
pub struct ProductWrite<'a> {
    pub sku: &'a str,
    pub name: &'a str,
    pub url_key: &'a str,
    pub description: &'a str,
    pub price: i64,
    pub qty: i64,
    pub enabled: bool,
    pub featured: bool,
}

/// Adds a product (no drawing: the storefront shows an empty tile); its id.
pub async fn insert_product(tx: &mut Tx<'_>, p: &ProductWrite<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO catalog_products (sku, name, url_key, description, price, is_enabled, is_featured, qty, image_svg, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $9) RETURNING id",
    )
    .bind(p.sku)
    .bind(p.name)
    .bind(p.url_key)
    .bind(p.description)
    .bind(p.price)
    .bind(i64::from(p.enabled))
    .bind(i64::from(p.featured))
    .bind(p.qty)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_product(tx: &mut Tx<'_>, id: i64, p: &ProductWrite<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE catalog_products SET sku = $2, name = $3, url_key = $4, description = $5, price = $6, is_enabled = $7, \
         is_featured = $8, qty = $9, updated_at = $10 WHERE id = $1",
    )
    .bind(id)
    .bind(p.sku)
    .bind(p.name)
    .bind(p.url_key)
    .bind(p.description)
    .bind(p.price)
    .bind(i64::from(p.enabled))
    .bind(i64::from(p.featured))
    .bind(p.qty)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces a product's websites, categories (a category it stays in keeps its position) and
/// group prices.
pub async fn replace_links(
    tx: &mut Tx<'_>,
    id: i64,
    websites: &[i64],
    categories: &[i64],
    group_prices: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM catalog_product_websites WHERE product_id = $1").bind(id).execute(&mut **tx).await?;
    for w in websites {
        sqlx::query("INSERT INTO catalog_product_websites (product_id, website_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*w)
            .execute(&mut **tx)
            .await?;
    }
    let kept: Vec<(i64, i64)> =
        sqlx::query("SELECT category_id, position FROM catalog_category_products WHERE product_id = $1")
            .bind(id)
            .try_map(|r: AnyRow| Ok((r.try_get("category_id")?, r.try_get("position")?)))
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM catalog_category_products WHERE product_id = $1").bind(id).execute(&mut **tx).await?;
    for c in categories {
        let position = kept.iter().find(|(k, _)| k == c).map_or(0, |(_, p)| *p);
        sqlx::query("INSERT INTO catalog_category_products (category_id, product_id, position) VALUES ($1, $2, $3)")
            .bind(*c)
            .bind(id)
            .bind(position)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM catalog_product_group_prices WHERE product_id = $1").bind(id).execute(&mut **tx).await?;
    for (g, price) in group_prices {
        sqlx::query("INSERT INTO catalog_product_group_prices (product_id, group_id, price) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(*g)
            .bind(*price)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A category with how many products it holds (`WHERE` and binds added by the caller).
const CATEGORY_SELECT: &str = "SELECT c.id, c.parent_id, c.name, c.url_key, c.position, c.is_active, \
     (SELECT COUNT(*) FROM catalog_category_products cp WHERE cp.category_id = c.id) AS products \
     FROM catalog_categories c";

fn category_row(r: &AnyRow) -> Result<CategoryNode, sqlx::Error> {
    Ok(CategoryNode {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        url_key: r.try_get("url_key")?,
        position: r.try_get("position")?,
        active: flag(r, "is_active")?,
        products: r.try_get("products")?,
        depth: 0,
    })
}

/// Every category in tree order, with how many products each holds.
pub async fn category_tree(conn: &mut sqlx::AnyConnection) -> Result<Vec<CategoryNode>, sqlx::Error> {
    let all = sqlx::query(CATEGORY_SELECT).try_map(|r: AnyRow| category_row(&r)).fetch_all(conn).await?;
    Ok(tree_order(all))
}

/// One category as its edit form shows it.
pub async fn category_edit(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<CategoryEdit>, sqlx::Error> {
    let found = sqlx::query(&format!("{CATEGORY_SELECT} WHERE c.id = $1"))
        .bind(id)
        .try_map(|r: AnyRow| category_row(&r))
        .fetch_optional(conn)
        .await?;
    Ok(found.map(|c| CategoryEdit {
        id: c.id,
        parent_id: c.parent_id,
        name: c.name,
        url_key: c.url_key,
        position: c.position,
        active: c.active,
        products: c.products,
    }))
}

/// Locks the category tree for a change of shape (PostgreSQL; SQLite's writer lock already
/// serialises writes), so two moves cannot make a loop between them.
pub async fn lock_categories(tx: &mut Tx<'_>) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("LOCK TABLE catalog_categories IN SHARE ROW EXCLUSIVE MODE").execute(&mut **tx).await?;
    }
    Ok(())
}

/// Whether another category than `except` has `url_key`.
pub async fn category_url_taken(tx: &mut Tx<'_>, url_key: &str, except: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalog_categories WHERE url_key = $1 AND id <> $2")
        .bind(url_key)
        .bind(except)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// A category's fields as its form writes them.
pub struct CategoryWrite<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub url_key: &'a str,
    pub position: i64,
    pub active: bool,
}

/// Adds a category; its id.
pub async fn insert_category(tx: &mut Tx<'_>, c: &CategoryWrite<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO catalog_categories (parent_id, name, url_key, position, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(c.parent_id)
    .bind(c.name)
    .bind(c.url_key)
    .bind(c.position)
    .bind(i64::from(c.active))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_category(tx: &mut Tx<'_>, id: i64, c: &CategoryWrite<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE catalog_categories SET parent_id = $2, name = $3, url_key = $4, position = $5, is_active = $6, \
         updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(c.parent_id)
    .bind(c.name)
    .bind(c.url_key)
    .bind(c.position)
    .bind(i64::from(c.active))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The products in a category, by id.
pub async fn category_products(tx: &mut Tx<'_>, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT product_id FROM catalog_category_products WHERE category_id = $1 ORDER BY product_id")
        .bind(id)
        .fetch_all(&mut **tx)
        .await
}

/// Removes a category with no subcategories (its product assignments go with it; the
/// products stay).
pub async fn delete_category(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM catalog_category_products WHERE category_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM catalog_categories WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
