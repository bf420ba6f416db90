//! The admin dashboard's figures and Stores > All Stores.

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::{GridPage, GridQuery};
use crate::domain::model::{DashboardStats, StoreView};
use leptos::prelude::*;

#[server(prefix = "/admin/api", endpoint = "dashboard")]
pub async fn get_dashboard_stats() -> Result<Deferred<DashboardStats>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::db::{customers, now_ms, stores};
            use crate::server::guard;
            guard::admin(Resource::Dashboard).await?;
            let state = guard::state()?;
            let (all, recent) = customers::counts(&state.db.pool, now_ms() - 7 * 86_400_000).await?;
            let (websites, store_views) = stores::counts(&state.db.pool).await?;
            Ok(DashboardStats { customers: all, customers_last_7_days: recent, websites, store_views })
        }
        .await,
    )
}

/// Stores > All Stores: every store view with its store and website.
#[server(prefix = "/admin/api", endpoint = "stores_list")]
pub async fn list_store_views(#[server(default)] query: GridQuery) -> Result<Deferred<GridPage<StoreView>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            guard::admin(Resource::StoresAllStores).await?;
            let state = guard::state()?;
            crate::server::db::stores::GRID.page(&state.db.pool, query).await
        }
        .await,
    )
}
