//! The admin dashboard's figures.

use crate::domain::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub customers: i64,
    pub customers_last_7_days: i64,
    pub websites: i64,
    pub store_views: i64,
}

#[server(prefix = "/admin/api", endpoint = "dashboard")]
pub async fn get_dashboard_stats() -> Result<DashboardStats, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::now_ms;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::Dashboard).await?;
    let state = guard::state()?;
    let pool = &state.db.pool;
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await };
    Ok(DashboardStats {
        customers: count("SELECT COUNT(*) FROM customers").await.map_err(internal("stats"))?,
        customers_last_7_days: sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE created_at >= $1")
            .bind(now_ms() - 7 * 86_400_000)
            .fetch_one(pool)
            .await
            .map_err(internal("stats"))?,
        websites: count("SELECT COUNT(*) FROM websites").await.map_err(internal("stats"))?,
        store_views: count("SELECT COUNT(*) FROM store_views").await.map_err(internal("stats"))?,
    })
}

/// Stores > All Stores: every store view with its store and website.
#[server(prefix = "/admin/api", endpoint = "stores_list")]
pub async fn list_store_views() -> Result<Vec<crate::domain::model::StoreView>, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::stores;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::StoresAllStores).await?;
    let state = guard::state()?;
    stores::views(&state.db.pool).await.map_err(internal("store views"))
}
