//! Catalog > Products (the grid and the product's edit page; each needs `Catalog > Products`)
//! and Catalog > Categories (the tree and a category's form; `Catalog > Categories`).

use crate::domain::catalog::{CategoriesData, ProductEditData, ProductRow};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{CategoryForm, ProductForm};
use crate::domain::grid::{GridPage, GridQuery};
use leptos::prelude::*;

#[server(prefix = "/admin/api", endpoint = "products_list")]
pub async fn list_products(#[server(default)] query: GridQuery) -> Result<Deferred<GridPage<ProductRow>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            guard::admin(Resource::CatalogProducts).await?;
            let state = guard::state()?;
            crate::server::db::catalog_admin::PRODUCTS_GRID.page_within(&state.db.pool, query, None).await
        }
        .await,
    )
}

/// The edit page's data: the product (`new` for none) and the choices it offers.
#[server(prefix = "/admin/api", endpoint = "product_get")]
pub async fn get_product_edit_data(#[server(default)] id: String) -> Result<Deferred<ProductEditData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::catalog::Choice;
            use crate::domain::msg::Msg;
            use crate::server::db::{catalog_admin, stores};
            use crate::server::guard;
            guard::admin(Resource::CatalogProducts).await?;
            let pool = &guard::state()?.db.pool;
            let product = if id == "new" {
                None
            } else {
                let id = crate::domain::input::parse_id(&id, Msg::ProductNotFound)?;
                let mut conn = pool.acquire().await?;
                Some(
                    catalog_admin::product_edit(&mut conn, id)
                        .await?
                        .ok_or(AppError::not_found(Msg::ProductNotFound))?,
                )
            };
            let websites =
                stores::websites(pool).await?.into_iter().map(|w| Choice { id: w.id, name: w.name }).collect();
            Ok(ProductEditData {
                product,
                websites,
                categories: catalog_admin::category_paths(pool).await?,
                groups: catalog_admin::all_groups(pool).await?,
            })
        }
        .await,
    )
}

/// Saves a product; its id. The storefront pages showing it leave the page cache.
#[server(prefix = "/admin/api", endpoint = "product_save")]
pub async fn save_product(#[server(default)] form: ProductForm) -> Result<i64, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::actions::catalog::ProductInput;
    use crate::server::guard;
    use crate::server::page_cache::{product_tag, LISTING};
    let admin = guard::admin(Resource::CatalogProducts).await?;
    let input = ProductInput::try_from(&form)?;
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    let id = crate::server::actions::catalog::save_product(&mut tx, &admin.origin(), &input).await?;
    tx.commit().await?;
    state.page_cache.invalidate(&[product_tag(id), LISTING.to_string()]).await;
    Ok(id)
}

/// Catalog > Categories: the tree, and the category `id` (`new` or empty for none) with the
/// parents it may be moved under.
#[server(prefix = "/admin/api", endpoint = "categories")]
pub async fn get_categories(#[server(default)] id: String) -> Result<Deferred<CategoriesData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::catalog::{subtree, Choice};
            use crate::domain::msg::Msg;
            use crate::server::db::catalog_admin;
            use crate::server::guard;
            guard::admin(Resource::CatalogCategories).await?;
            let pool = &guard::state()?.db.pool;
            let mut conn = pool.acquire().await?;
            let tree = catalog_admin::category_tree(&mut conn).await?;
            let category = match id.as_str() {
                "" | "new" => None,
                raw => {
                    let id = crate::domain::input::parse_id(raw, Msg::CategoryNotFound)?;
                    Some(
                        catalog_admin::category_edit(&mut conn, id)
                            .await?
                            .ok_or(AppError::not_found(Msg::CategoryNotFound))?,
                    )
                }
            };
            let excluded = category.as_ref().map(|c| subtree(&tree, c.id)).unwrap_or_default();
            let parents = catalog_admin::category_paths(pool)
                .await?
                .into_iter()
                .filter(|c: &Choice| !excluded.contains(&c.id))
                .collect();
            Ok(CategoriesData { tree, category, parents })
        }
        .await,
    )
}

/// Adds or changes a category; its id. The store's pages leave the page cache (a category's
/// name and place show in every page's menu).
#[server(prefix = "/admin/api", endpoint = "category_save")]
pub async fn save_category(#[server(default)] form: CategoryForm) -> Result<i64, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::actions::catalog::CategoryInput;
    use crate::server::guard;
    let admin = guard::admin(Resource::CatalogCategories).await?;
    let input = CategoryInput::try_from(&form)?;
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    let id = crate::server::actions::catalog::save_category(&mut tx, &admin.origin(), &input).await?;
    tx.commit().await?;
    state.page_cache.clear().await;
    Ok(id)
}

/// Deletes a category without subcategories; its products stay in the catalog.
#[server(prefix = "/admin/api", endpoint = "category_delete")]
pub async fn delete_category(#[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::msg::Msg;
    use crate::server::guard;
    let admin = guard::admin(Resource::CatalogCategories).await?;
    let id = crate::domain::input::parse_id(&id, Msg::CategoryNotFound)?;
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    crate::server::actions::catalog::delete_category(&mut tx, &admin.origin(), id).await?;
    tx.commit().await?;
    state.page_cache.clear().await;
    Ok(())
}
