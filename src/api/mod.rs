//! Server functions, one file per area. Each is a public endpoint: its first statement
//! authorizes on the server; then it converts the form into its typed input and calls the
//! action in `server::actions` (or a repository, for reads). Admin functions live under
//! `/admin/api` (where the admin cookie is sent), storefront ones under `/api/store`.
//! A missing form argument reads as an empty form, so an unauthorized caller is refused
//! before anything is validated; a form with unknown or missing fields is a 400.

pub mod admin_auth;
pub mod assist;
pub mod audit;
pub mod config;
pub mod customers;
pub mod dashboard;
pub mod integrations;
pub mod permissions;
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
pub const PUBLIC_STORE_ENDPOINTS: &[&str] =
    &["/api/store/store", "/api/store/context", "/api/store/register", "/api/store/sign_in", "/api/store/sign_out"];

/// The endpoints of Login as Customer: while the feature is disabled each refuses every caller
/// with `Login as Customer is disabled.` before anything else.
pub const ASSIST_ENDPOINTS: &[&str] =
    &["/admin/api/assist_dialog", "/admin/api/assist_start", "/api/store/assist_close"];

/// Admin endpoints of screens that do not exist for an admin without their resource (the Login
/// as Customer Log, SPEC §3.7): they answer 404 rather than 403.
pub const HIDDEN_ADMIN_ENDPOINTS: &[&str] =
    &["/admin/api/assist_log", "/admin/api/assist_log_chart", "/admin/api/assist_log_filters"];
