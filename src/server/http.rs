//! HTTP layers around the app: same-origin check on state changes, security headers,
//! error statuses for server functions, health endpoints.

use super::state::AppState;
use crate::domain::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a state-changing request that a browser says came from another site.
/// `Origin` must match `Host` when present; otherwise `Sec-Fetch-Site` must not be cross-site.
/// Requests with neither header come from non-browser clients, which cannot ride a
/// shopper's cookies, so they pass.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let refused = if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        origin == "null" || origin_host != host
    } else {
        matches!(headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()), Some("cross-site" | "same-site"))
    };
    if refused {
        tracing::warn!(host, "cross-origin state change refused");
        return (StatusCode::FORBIDDEN, "This request came from another site and was refused.").into_response();
    }
    next.run(req).await
}

const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy for HTML pages: scripts only from this origin or with this response's nonce,
/// WebAssembly allowed, no framing.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Security headers on every response. Pages set their own CSP (with a nonce) while rendering.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_CSP));
    }
    res
}

/// Server functions answer every error with 500; this sets the status the error names
/// (400 for bad input, 401, 403, 404, 409, 429), so clients and tests see the real cause.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Liveness: the process answers.
pub async fn health() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
pub async fn ready(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// `GET /admin/export/<grid>.csv?<the grid's query>`: the whole filtered set of a grid as CSV,
/// streamed. Guarded like the grid's own server function.
pub async fn export_csv(
    State(state): State<AppState>,
    session: super::session::AdminSession,
    axum::extract::Path(file): axum::extract::Path<String>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    use super::db::{admins, customers, stores};
    use crate::domain::acl::Resource;
    use crate::domain::grid::GridQuery;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
    let query = GridQuery::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let admin = match super::guard::load_admin(&state, session).await {
        Ok(admin) => admin,
        Err(e) => return error_response(e),
    };
    let name = file.strip_suffix(".csv").unwrap_or(&file);
    let body = match name {
        "customers" => super::guard::require(admin, Resource::CustomersManage)
            .and_then(|_| customers::GRID.csv(state.db.pool.clone(), &query)),
        // Like `users_list`: the Role Users tab shows the same grid to those who edit roles.
        "users" => super::guard::require(admin.clone(), Resource::SystemUsers)
            .or_else(|_| super::guard::require(admin, Resource::SystemRoles))
            .and_then(|_| admins::USERS_GRID.csv(state.db.pool.clone(), &query)),
        "roles" => super::guard::require(admin, Resource::SystemRoles)
            .and_then(|_| admins::ROLES_GRID.csv(state.db.pool.clone(), &query)),
        "stores" => super::guard::require(admin, Resource::StoresAllStores)
            .and_then(|_| stores::GRID.csv(state.db.pool.clone(), &query)),
        _ => Err(AppError::NotFound("There is no such export.".into())),
    };
    match body {
        Ok(body) => Response::builder()
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\""))
            .header(header::CACHE_CONTROL, "no-store")
            .body(body)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(e) => error_response(e),
    }
}

fn error_response(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "no-store")], err.message().to_string()).into_response()
}
