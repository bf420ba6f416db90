//! System > Action Logs > `Report`: every action-log entry, filtered, paged by cursor, with a
//! detail view. Read only: nothing in the app edits or deletes an entry.

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::{GridPage, GridQuery};
use crate::domain::model::{ActionLogEntry, ActionLogFilters, ActionLogRow};
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;

/// One page of the report.
#[server(prefix = "/admin/api", endpoint = "action_log")]
pub async fn list_action_log(
    #[server(default)] query: GridQuery,
) -> Result<Deferred<GridPage<ActionLogRow>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::db::audit::{ReportScope, REPORT_GRID};
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemActionLogReport).await?;
            let scope = ReportScope::of(admin.websites(), &admin.grant);
            REPORT_GRID.page_within(&guard::state()?.db.pool, query, scope.as_ref().map(ReportScope::within)).await
        }
        .await,
    )
}

/// One entry in full, with its old and new values.
#[server(prefix = "/admin/api", endpoint = "action_log_entry")]
pub async fn get_action_log_entry(#[server(default)] id: String) -> Result<Deferred<ActionLogEntry>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::db::audit::{self, ReportScope};
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemActionLogReport).await?;
            let id = crate::domain::input::parse_id(&id, Msg::LogEntryNotFound)?;
            let scope = ReportScope::of(admin.websites(), &admin.grant);
            audit::entry(&guard::state()?.db.pool, id, scope.as_ref().map(ReportScope::within))
                .await?
                .ok_or(AppError::not_found(Msg::LogEntryNotFound))
        }
        .await,
    )
}

/// The filter choices: action groups and admin user names.
#[server(prefix = "/admin/api", endpoint = "action_log_filters")]
pub async fn get_action_log_filters() -> Result<Deferred<ActionLogFilters>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::{db::audit, guard};
            guard::admin(Resource::SystemActionLogReport).await?;
            Ok(ActionLogFilters {
                groups: audit::ALL_GROUPS.iter().map(|g| g.to_string()).collect(),
                admins: audit::admin_names(&guard::state()?.db.pool).await?,
            })
        }
        .await,
    )
}
