//! Server functions, one file per area. Each is a public endpoint: its first statement
//! authorizes on the server. Admin functions live under `/admin/api` (where the admin
//! cookie is sent), storefront ones under `/api/store`. Inputs are one struct whose fields
//! all default, so a request reaches the authorization check before any validation.

pub mod admin_auth;
pub mod config;
pub mod customers;
pub mod dashboard;
pub mod permissions;
pub mod storefront;

/// Prefix of every admin server function.
pub const ADMIN_PREFIX: &str = "/admin/api";

/// Admin endpoints anyone may call (signing in, asking who is signed in).
pub const PUBLIC_ADMIN_ENDPOINTS: &[&str] = &["/admin/api/sign_in", "/admin/api/me"];

/// Admin endpoints any signed-in admin may call, whatever their role.
pub const SIGNED_IN_ADMIN_ENDPOINTS: &[&str] = &["/admin/api/sign_out"];

/// The website an email must be unique on: `Some(website)` under `Per Website` sharing,
/// `None` (every website) under `Global`.
#[cfg(feature = "ssr")]
pub async fn storefront_sharing(website_id: i64) -> Result<Option<i64>, crate::domain::error::AppError> {
    use crate::server::db::config as cfg;
    use crate::server::guard::{internal, state};
    let state = state()?;
    let scope =
        cfg::default_value(&state.db.pool, crate::domain::config::SHARE_SCOPE).await.map_err(internal("config"))?;
    Ok((scope != "global").then_some(website_id))
}
