//! The catalog's storefront reads: products visible on a website (enabled, assigned to it),
//! each priced for one customer group (its `Advanced Pricing` price, else the product's).

use super::{now_ms, Backend, Executor, Tx};
use crate::domain::catalog::{CategoryLink, Listing, ProductCard, ProductPage, SortBy, PAGE_SIZE};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// The code of the guests' customer group.
pub const GUEST_GROUP: &str = "NOT LOGGED IN";

/// A card's columns, with `final_price` for the group bound as `$2` (the website is `$1`).
const CARD: &str = "p.id, p.sku, p.name, p.url_key, p.qty, p.image_svg, COALESCE(gp.price, p.price) AS final_price";

/// Products sold on website `$1`, priced for group `$2`.
const VISIBLE: &str = "catalog_products p \
     JOIN catalog_product_websites pw ON pw.product_id = p.id AND pw.website_id = $1 \
     LEFT JOIN catalog_product_group_prices gp ON gp.product_id = p.id AND gp.group_id = $2";

fn card(r: &AnyRow) -> Result<ProductCard, sqlx::Error> {
    Ok(ProductCard {
        id: r.try_get("id")?,
        sku: r.try_get("sku")?,
        name: r.try_get("name")?,
        url_key: r.try_get("url_key")?,
        price: r.try_get("final_price")?,
        in_stock: r.try_get::<i64, _>("qty")? > 0,
        image_svg: r.try_get("image_svg")?,
    })
}

fn listing(products: Vec<ProductCard>, page: i64, total: i64) -> Listing {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Listing { currency: String::new(), products, page, pages, total }
}

/// The id of the guests' group.
pub async fn guest_group(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM customer_groups WHERE code = $1").bind(GUEST_GROUP).fetch_one(pool).await
}

/// The group of customer `id` (`None`: no such customer).
pub async fn customer_group(pool: &AnyPool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT group_id FROM customers WHERE id = $1").bind(id).fetch_optional(pool).await
}

/// The home page's featured products (newest first), at most one page.
pub async fn featured(pool: &AnyPool, website: i64, group: i64) -> Result<Listing, sqlx::Error> {
    let sql = format!(
        "SELECT {CARD} FROM {VISIBLE} WHERE p.is_enabled = 1 AND p.is_featured = 1 ORDER BY p.id DESC LIMIT $3"
    );
    let products: Vec<ProductCard> =
        sqlx::query(&sql).bind(website).bind(group).bind(PAGE_SIZE).try_map(|r| card(&r)).fetch_all(pool).await?;
    let total = products.len() as i64;
    Ok(listing(products, 1, total))
}

/// An active category by its URL key, with its id and parent.
async fn category(pool: &AnyPool, url_key: &str) -> Result<Option<(i64, Option<i64>, CategoryLink)>, sqlx::Error> {
    sqlx::query("SELECT id, parent_id, name, url_key FROM catalog_categories WHERE url_key = $1 AND is_active = 1")
        .bind(url_key)
        .try_map(|r: AnyRow| {
            Ok((
                r.try_get("id")?,
                r.try_get("parent_id")?,
                CategoryLink { name: r.try_get("name")?, url_key: r.try_get("url_key")? },
            ))
        })
        .fetch_optional(pool)
        .await
}

async fn category_by_id(pool: &AnyPool, id: i64) -> Result<Option<(Option<i64>, CategoryLink)>, sqlx::Error> {
    sqlx::query("SELECT parent_id, name, url_key FROM catalog_categories WHERE id = $1")
        .bind(id)
        .try_map(|r: AnyRow| {
            Ok((r.try_get("parent_id")?, CategoryLink { name: r.try_get("name")?, url_key: r.try_get("url_key")? }))
        })
        .fetch_optional(pool)
        .await
}

/// The top-level active categories, for the header's menu.
pub async fn top_categories(pool: &AnyPool) -> Result<Vec<CategoryLink>, sqlx::Error> {
    sqlx::query(
        "SELECT name, url_key FROM catalog_categories WHERE parent_id IS NULL AND is_active = 1 ORDER BY position, id",
    )
    .try_map(|r: AnyRow| Ok(CategoryLink { name: r.try_get("name")?, url_key: r.try_get("url_key")? }))
    .fetch_all(pool)
    .await
}

/// A category's page: its path from the top, its active children, and page `page` of its
/// products sorted by `sort`. `None` when no active category has this key.
pub async fn category_page(
    pool: &AnyPool,
    url_key: &str,
    website: i64,
    group: i64,
    sort: SortBy,
    page: i64,
) -> Result<Option<crate::domain::catalog::CategoryPage>, sqlx::Error> {
    let Some((id, mut parent, link)) = category(pool, url_key).await? else { return Ok(None) };
    let mut breadcrumbs = Vec::new();
    // At most a few levels; a cycle (which the admin prevents) stops at 16.
    while let (Some(p), true) = (parent, breadcrumbs.len() < 16) {
        let Some((up, crumb)) = category_by_id(pool, p).await? else { break };
        breadcrumbs.insert(0, crumb);
        parent = up;
    }
    let children = sqlx::query(
        "SELECT name, url_key FROM catalog_categories WHERE parent_id = $1 AND is_active = 1 ORDER BY position, id",
    )
    .bind(id)
    .try_map(|r: AnyRow| Ok(CategoryLink { name: r.try_get("name")?, url_key: r.try_get("url_key")? }))
    .fetch_all(pool)
    .await?;
    let order = match sort {
        SortBy::Position => "cp.position, p.id",
        SortBy::Name => "p.name, p.id",
        SortBy::Price => "final_price, p.id",
    };
    let from = format!("catalog_category_products cp JOIN {} WHERE cp.category_id = $3 AND p.is_enabled = 1", VISIBLE)
        .replacen("JOIN catalog_products p", "JOIN catalog_products p ON p.id = cp.product_id", 1);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {from}"))
        .bind(website)
        .bind(group)
        .bind(id)
        .fetch_one(pool)
        .await?;
    let sql = format!("SELECT {CARD} FROM {from} ORDER BY {order} LIMIT $4 OFFSET $5");
    let products = sqlx::query(&sql)
        .bind(website)
        .bind(group)
        .bind(id)
        .bind(PAGE_SIZE)
        .bind((page - 1) * PAGE_SIZE)
        .try_map(|r| card(&r))
        .fetch_all(pool)
        .await?;
    Ok(Some(crate::domain::catalog::CategoryPage {
        category: link,
        breadcrumbs,
        children,
        sort,
        listing: listing(products, page, total),
    }))
}

/// A product page by URL key, for `group` on `website` (`None`: no such product sold there).
pub async fn product_page(
    pool: &AnyPool,
    url_key: &str,
    website: i64,
    group: i64,
) -> Result<Option<ProductPage>, sqlx::Error> {
    let sql = format!(
        "SELECT {CARD}, p.description, p.price AS regular_price, gp.price AS group_price FROM {VISIBLE} \
         WHERE p.url_key = $3 AND p.is_enabled = 1"
    );
    let Some((card, description, regular, group_price, id)) = sqlx::query(&sql)
        .bind(website)
        .bind(group)
        .bind(url_key)
        .try_map(|r: AnyRow| {
            let regular: i64 = r.try_get("regular_price")?;
            let group_price: Option<i64> = r.try_get("group_price")?;
            Ok((card(&r)?, r.try_get::<String, _>("description")?, regular, group_price, r.try_get::<i64, _>("id")?))
        })
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let categories = sqlx::query(
        "SELECT c.name, c.url_key FROM catalog_category_products cp JOIN catalog_categories c ON c.id = cp.category_id \
         WHERE cp.product_id = $1 AND c.is_active = 1 ORDER BY c.position, c.id",
    )
    .bind(id)
    .try_map(|r: AnyRow| Ok(CategoryLink { name: r.try_get("name")?, url_key: r.try_get("url_key")? }))
    .fetch_all(pool)
    .await?;
    let regular_price = group_price.filter(|g| *g != regular).map(|_| regular);
    Ok(Some(ProductPage { currency: String::new(), card, description, regular_price, categories }))
}

/// Up to this many matches, search results are ordered by relevance (bm25 / ts_rank, with
/// the name and SKU weighing ten times the description); beyond it, by tier (every word in
/// the name or SKU first, then the others), newest first within a tier. Relevance costs about
/// 20 µs a match in FTS5 (each match's column sizes are read): 14,000 matches for "watch"
/// took 300 ms, 358 for "harbor tee" 7 ms; a tier costs a walk of the index.
pub const RANK_EVERY_MATCH_UP_TO: i64 = 200;

/// Page `page` of the products matching every word of `terms` (a word matches as a prefix),
/// best match first, through the search index (FTS5 on SQLite, `tsvector` on PostgreSQL):
/// by relevance up to `rank_up_to` matches ([`RANK_EVERY_MATCH_UP_TO`] in the store; tests
/// try both orders), by tier beyond.
pub async fn search(
    pool: &AnyPool,
    backend: Backend,
    terms: &[String],
    website: i64,
    group: i64,
    page: i64,
    rank_up_to: i64,
) -> Result<Listing, sqlx::Error> {
    if terms.is_empty() {
        return Ok(listing(Vec::new(), 1, 0));
    }
    let offset = (page - 1) * PAGE_SIZE;
    let (total, ids) = match backend {
        Backend::Sqlite => fts_page(pool, terms, website, offset, rank_up_to).await?,
        Backend::Postgres => {
            // Terms hold letters and digits only (`domain::catalog::search_terms`), so quoting is safe.
            let query = terms.iter().map(|t| format!("'{t}':*")).collect::<Vec<_>>().join(" & ");
            let from = format!("{VISIBLE} WHERE p.search @@ to_tsquery('simple', $3) AND p.is_enabled = 1");
            let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {from}"))
                .bind(website)
                .bind(group)
                .bind(&query)
                .fetch_one(pool)
                .await?;
            let order = if total <= rank_up_to {
                "ts_rank(p.search, to_tsquery('simple', $3)) DESC, p.id"
            } else {
                // Weight A (name and SKU) holds every word: the first tier.
                "(p.search @@ to_tsquery('simple', replace($3, ':*', ':*A'))) DESC, p.id DESC"
            };
            let ids: Vec<i64> =
                sqlx::query_scalar(&format!("SELECT p.id FROM {from} ORDER BY {order} LIMIT $4 OFFSET $5"))
                    .bind(website)
                    .bind(group)
                    .bind(&query)
                    .bind(PAGE_SIZE)
                    .bind(offset)
                    .fetch_all(pool)
                    .await?;
            (total, ids)
        }
    };
    let products = cards_in_order(pool, &ids, group).await?;
    Ok(listing(products, page, total))
}

/// SQLite: the count and the page's ids from the full-text index alone (its `scope` column
/// names the websites each enabled product is sold on).
async fn fts_page(
    pool: &AnyPool,
    terms: &[String],
    website: i64,
    offset: i64,
    rank_up_to: i64,
) -> Result<(i64, Vec<i64>), sqlx::Error> {
    // Terms hold letters and digits only (`domain::catalog::search_terms`), so quoting is safe.
    let words = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" AND ");
    let sold = format!("scope : \"w{website}\"");
    let all = format!("{sold} AND ({words})");
    let count = |query: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM catalog_product_search WHERE catalog_product_search MATCH $1",
        )
        .bind(query)
        .fetch_one(pool)
        .await
    };
    let ids = |query: String, order: &'static str, limit: i64, offset: i64| async move {
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT rowid FROM catalog_product_search WHERE catalog_product_search MATCH $1 ORDER BY {order} LIMIT $2 OFFSET $3"
        ))
        .bind(query)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
    };
    let total = count(all.clone()).await?;
    if total <= rank_up_to {
        let page = ids(all, "bm25(catalog_product_search, 10.0, 10.0, 1.0, 0.0), rowid", PAGE_SIZE, offset).await?;
        return Ok((total, page));
    }
    let named = format!("{sold} AND {{name sku}} : ({words})");
    let mut page = ids(named.clone(), "rowid DESC", PAGE_SIZE, offset).await?;
    let missing = PAGE_SIZE - page.len() as i64;
    if missing > 0 {
        // The first tier ends on this page (or before it): how many it holds says where the
        // second one starts.
        let first = if page.is_empty() { count(named).await? } else { offset + page.len() as i64 };
        let described = format!("{all} NOT {{name sku}} : ({words})");
        page.extend(ids(described, "rowid DESC", missing, (offset - first).max(0)).await?);
    }
    Ok((total, page))
}

/// The cards of products `ids` for `group`, in that order.
async fn cards_in_order(pool: &AnyPool, ids: &[i64], group: i64) -> Result<Vec<ProductCard>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (0..ids.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {CARD} FROM catalog_products p \
         LEFT JOIN catalog_product_group_prices gp ON gp.product_id = p.id AND gp.group_id = $1 WHERE p.id IN ({marks})"
    );
    let mut query = sqlx::query(&sql).bind(group);
    for id in ids {
        query = query.bind(*id);
    }
    let mut cards = query.try_map(|r| card(&r)).fetch_all(pool).await?;
    cards.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(cards)
}

/// A product to add (demo data, tests, and the admin's catalog screens to come).
pub struct NewProduct<'a> {
    pub sku: &'a str,
    pub name: &'a str,
    pub url_key: &'a str,
    pub description: &'a str,
    pub price: i64,
    pub qty: i64,
    pub featured: bool,
    pub image_svg: &'a str,
    pub websites: &'a [i64],
    /// (category id, position)
    pub categories: &'a [(i64, i64)],
    /// (customer group id, price)
    pub group_prices: &'a [(i64, i64)],
}

/// Adds a product with its websites, categories and group prices.
pub async fn create_product(tx: &mut Tx<'_>, p: &NewProduct<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO catalog_products (sku, name, url_key, description, price, is_enabled, is_featured, qty, image_svg, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(p.sku)
    .bind(p.name)
    .bind(p.url_key)
    .bind(p.description)
    .bind(p.price)
    .bind(i64::from(p.featured))
    .bind(p.qty)
    .bind(p.image_svg)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for website in p.websites {
        sqlx::query("INSERT INTO catalog_product_websites (product_id, website_id) VALUES ($1, $2)")
            .bind(id)
            .bind(website)
            .execute(&mut **tx)
            .await?;
    }
    for (category, position) in p.categories {
        sqlx::query("INSERT INTO catalog_category_products (category_id, product_id, position) VALUES ($1, $2, $3)")
            .bind(category)
            .bind(id)
            .bind(position)
            .execute(&mut **tx)
            .await?;
    }
    for (group, price) in p.group_prices {
        sqlx::query("INSERT INTO catalog_product_group_prices (product_id, group_id, price) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(group)
            .bind(price)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// Adds a category under `parent`.
pub async fn create_category(
    tx: &mut Tx<'_>,
    parent: Option<i64>,
    name: &str,
    url_key: &str,
    position: i64,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO catalog_categories (parent_id, name, url_key, position, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
    )
    .bind(parent)
    .bind(name)
    .bind(url_key)
    .bind(position)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Sets a product's stock quantity.
pub async fn set_qty<'e>(ex: impl Executor<'e>, product: i64, qty: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE catalog_products SET qty = $1, updated_at = $2 WHERE id = $3")
        .bind(qty)
        .bind(now_ms())
        .bind(product)
        .execute(ex)
        .await?;
    Ok(())
}

/// How many products the catalog has.
pub async fn count_products(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM catalog_products").fetch_one(pool).await
}

/// The id of the category with `url_key`, if any.
pub async fn category_id<'e>(ex: impl Executor<'e>, url_key: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM catalog_categories WHERE url_key = $1").bind(url_key).fetch_optional(ex).await
}
