//! Server functions, one file per area. Each is a public endpoint: its first statement
//! authorizes on the server; then it converts the form into its typed input and calls the
//! action in `server::actions` (or a repository, for reads). Admin functions live under
//! `/admin/api` (where the admin cookie is sent), storefront ones under `/api/store`.
//! A missing form argument reads as an empty form, so an unauthorized caller is refused
//! before anything is validated; a form with unknown or missing fields is a 400.

use crate::domain::error::AppError;
use leptos::prelude::*;

pub mod admin_auth;
pub mod assist;
pub mod audit;
pub mod catalog;
pub mod catalog_admin;
pub mod config;
pub mod customers;
pub mod dashboard;
pub mod integrations;
pub mod permissions;
pub mod sales;
pub mod storefront;

/// Prefix of every admin server function.
pub const ADMIN_PREFIX: &str = "/admin/api";

/// Prefix of every storefront server function.
pub const STORE_PREFIX: &str = "/api/store";

/// Admin endpoints anyone may call (signing in, asking who is signed in).
pub const PUBLIC_ADMIN_ENDPOINTS: &[&str] = &["/admin/api/sign_in", "/admin/api/me"];

/// Admin endpoints any signed-in admin may call, whatever their role.
pub const SIGNED_IN_ADMIN_ENDPOINTS: &[&str] =
    &["/admin/api/sign_out", "/admin/api/account_get", "/admin/api/account_save"];

/// Storefront endpoints anyone may call; every other one needs a signed-in shopper.
pub const PUBLIC_STORE_ENDPOINTS: &[&str] = &[
    "/api/store/store",
    "/api/store/context",
    "/api/store/register",
    "/api/store/sign_in",
    "/api/store/sign_out",
    "/api/store/featured",
    "/api/store/categories",
    "/api/store/category",
    "/api/store/product",
    "/api/store/search",
    "/api/store/cart",
    "/api/store/cart_add",
    "/api/store/cart_update",
    "/api/store/cart_remove",
    "/api/store/checkout",
    "/api/store/place_order",
];

/// The endpoints of Login as Customer: while the feature is disabled each refuses every caller
/// with `Login as Customer is disabled.` before anything else.
pub const ASSIST_ENDPOINTS: &[&str] =
    &["/admin/api/assist_dialog", "/admin/api/assist_start", "/api/store/assist_close"];

/// Admin endpoints of screens that do not exist for an admin without their resource (the Login
/// as Customer Log, SPEC §3.7): they answer 404 rather than 403.
pub const HIDDEN_ADMIN_ENDPOINTS: &[&str] =
    &["/admin/api/assist_log", "/admin/api/assist_log_chart", "/admin/api/assist_log_filters"];

/// A page's data load: a `Resource` of `fetcher` over `source` (as `Resource::new`).
///
/// On the server each load runs with the request's context captured now, while the render is
/// alive ([`crate::server::guard::RequestContext`]), and stops when its render is gone (a
/// client that went away): it answers [`AppError::Unreachable`], which nobody reads, instead
/// of finishing work for nobody.
pub fn load<S, T, Fu>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fu + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fu: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    #[cfg(feature = "ssr")]
    {
        let context = crate::server::guard::RequestContext::capture();
        let (gone, watch) = tokio::sync::watch::channel(false);
        on_cleanup(move || {
            let _ = gone.send(true);
        });
        Resource::new(source, move |s| {
            let load = fetcher(s);
            let (context, mut watch) = (context.clone(), watch.clone());
            async move {
                let Some(context) = context else { return load.await };
                tokio::select! {
                    done = context.scope(load) => done,
                    _ = watch.wait_for(|gone| *gone) => Err(AppError::Unreachable),
                }
            }
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Resource::new(source, fetcher)
    }
}
