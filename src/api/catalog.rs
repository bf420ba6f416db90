//! The storefront's catalog: featured products, category pages, product pages and search,
//! each priced for the viewer's customer group on the store view's website. Public.

use crate::domain::catalog::{CategoryLink, CategoryPage, Listing, ProductPage};
use crate::domain::error::AppError;
use leptos::prelude::*;

/// The store view at `store` and the customer group whose prices its viewer sees: the signed-in
/// shopper's (an assisted one's too), else the guests' `NOT LOGGED IN`.
#[cfg(feature = "ssr")]
async fn viewer(store: &str) -> Result<(crate::domain::model::StoreView, i64), AppError> {
    use crate::server::db::catalog;
    use crate::server::guard;
    let view = crate::server::guard::store_view(store).await?;
    let pool = &guard::state()?.db.pool;
    let group = match guard::shopper_on(&view).await? {
        Some(shopper) => catalog::customer_group(pool, shopper.id).await?,
        None => None,
    };
    let group = match group {
        Some(g) => g,
        None => catalog::guest_group(pool).await?,
    };
    Ok((view, group))
}

/// The home page's featured products.
#[server(prefix = "/api/store", endpoint = "featured")]
pub async fn featured_products(#[server(default)] store: String) -> Result<Listing, AppError> {
    let (view, group) = viewer(&store).await?;
    let pool = &crate::server::guard::state()?.db.pool;
    let mut listing = crate::server::db::catalog::featured(pool, view.website_id, group).await?;
    listing.currency = view.currency;
    tag_listing(&listing);
    Ok(listing)
}

/// The top-level categories, for the storefront's menu.
#[server(prefix = "/api/store", endpoint = "categories")]
pub async fn top_categories(#[server(default)] store: String) -> Result<Vec<CategoryLink>, AppError> {
    crate::server::guard::store_view(&store).await?;
    crate::server::page_cache::tag([crate::server::page_cache::LISTING.to_string()]);
    Ok(crate::server::db::catalog::top_categories(&crate::server::guard::state()?.db.pool).await?)
}

/// A category's page: `sort` is `position`, `name` or `price`; `page` counts from 1 (anything
/// else reads as the default). An unknown or inactive category is 404.
#[server(prefix = "/api/store", endpoint = "category")]
pub async fn get_category(
    #[server(default)] store: String,
    #[server(default)] key: String,
    #[server(default)] sort: String,
    #[server(default)] page: String,
) -> Result<CategoryPage, AppError> {
    use crate::domain::catalog::{page_number, SortBy};
    use crate::domain::msg::Msg;
    let (view, group) = viewer(&store).await?;
    let pool = &crate::server::guard::state()?.db.pool;
    let found = crate::server::db::catalog::category_page(
        pool,
        &key,
        view.website_id,
        group,
        SortBy::parse(&sort),
        page_number(&page),
    )
    .await?;
    let mut found = found.ok_or(AppError::not_found(Msg::CategoryNotFound))?;
    found.listing.currency = view.currency;
    tag_listing(&found.listing);
    Ok(found)
}

/// A product's page by its URL key; a product not sold on this website (or disabled) is 404.
#[server(prefix = "/api/store", endpoint = "product")]
pub async fn get_product(
    #[server(default)] store: String,
    #[server(default)] key: String,
) -> Result<ProductPage, AppError> {
    use crate::domain::msg::Msg;
    let (view, group) = viewer(&store).await?;
    let pool = &crate::server::guard::state()?.db.pool;
    let found = crate::server::db::catalog::product_page(pool, &key, view.website_id, group).await?;
    let mut found = found.ok_or(AppError::not_found(Msg::ProductNotFound))?;
    found.currency = view.currency;
    crate::server::page_cache::tag([crate::server::page_cache::product_tag(found.card.id)]);
    Ok(found)
}

/// Search over name, SKU and description (every word, each as a prefix), best match first.
#[server(prefix = "/api/store", endpoint = "search")]
pub async fn search_products(
    #[server(default)] store: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<Listing, AppError> {
    use crate::domain::catalog::{page_number, search_terms};
    let (view, group) = viewer(&store).await?;
    let state = crate::server::guard::state()?;
    let terms = search_terms(&q);
    let mut listing = crate::server::db::catalog::search(
        &state.db.pool,
        state.db.backend,
        &terms,
        view.website_id,
        group,
        page_number(&page),
        crate::server::db::catalog::RANK_EVERY_MATCH_UP_TO,
    )
    .await?;
    listing.currency = view.currency;
    tag_listing(&listing);
    Ok(listing)
}

/// Tags the page being kept by the page cache with the products a list shows (and as a list).
#[cfg(feature = "ssr")]
fn tag_listing(listing: &Listing) {
    use crate::server::page_cache::{product_tag, tag, LISTING};
    tag(std::iter::once(LISTING.to_string()).chain(listing.products.iter().map(|p| product_tag(p.id))));
}
