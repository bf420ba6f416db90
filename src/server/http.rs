//! HTTP layers around the app: same-origin check on state changes, security headers,
//! error statuses for server functions, health endpoints.

use super::state::AppState;
use crate::domain::error::AppError;
use crate::domain::msg::Msg;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What the same-origin check and the headers need to know about how the app is served.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Served over HTTPS (secure cookies on): origins are `https://`, HSTS is sent.
    pub https: bool,
    /// The session cookies' names: a state change carrying one must say where it came from.
    pub cookies: [&'static str; 2],
}

/// Why a state change is refused, or `None` when it may go on. Pure, so it is table-tested.
///
/// - `Sec-Fetch-Site: cross-site` or `same-site` is refused whatever `Origin` says;
/// - `Origin`, when present, must be exactly this app's scheme, host and port;
/// - with neither header, a request that carries a session cookie is refused (a browser
///   always sends one of them on a cross-site POST; only scripts omit both, and those must
///   not ride a session), while one without a session cookie passes (API clients).
pub fn refusal(
    policy: &Policy,
    host: &str,
    origin: Option<&str>,
    fetch_site: Option<&str>,
    cookie: Option<&str>,
) -> Option<&'static str> {
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return Some("the browser says it came from another site");
    }
    if let Some(origin) = origin {
        let scheme = if policy.https { "https" } else { "http" };
        let expected = format!("{scheme}://{host}");
        if host.is_empty() || !origin.eq_ignore_ascii_case(&expected) {
            return Some("its Origin is not this site");
        }
        return None;
    }
    if fetch_site.is_some() {
        return None;
    }
    let has_session = cookie.is_some_and(|c| {
        c.split(';').filter_map(|kv| kv.trim().split_once('=')).any(|(name, _)| policy.cookies.contains(&name))
    });
    has_session.then_some("it carries a session cookie but says neither where it came from")
}

/// Refuses a state-changing request that did not come from this site (see [`refusal`]).
pub async fn same_origin(State(policy): State<Policy>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let get = |name: header::HeaderName| headers.get(name).map(|v| v.to_str().unwrap_or("null"));
    let host = get(header::HOST).unwrap_or_default();
    let why = refusal(
        &policy,
        host,
        get(header::ORIGIN),
        headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        get(header::COOKIE),
    );
    if let Some(why) = why {
        tracing::warn!(host, why, "cross-origin state change refused");
        // Nothing of a refused request is trusted, its session included: the browser's
        // language decides.
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        return error_response(AppError::forbidden(Msg::CrossSiteRefused), crate::l10n::negotiate(accept));
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
/// Nothing private is stored by a browser or a proxy: admin pages, server functions and any
/// response to a request with a session cookie are `no-store` (only the built assets and the
/// health checks are not).
pub async fn security_headers(State(policy): State<Policy>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let public = path.starts_with("/pkg/") || path == "/health" || path == "/ready";
    let has_session = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|c| policy.cookies.iter().any(|name| c.contains(&format!("{name}=")))));
    let private = !public && (has_session || path.starts_with("/admin") || path.starts_with("/api/"));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
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
    headers: axum::http::HeaderMap,
) -> Response {
    use super::db::{admins, customers, stores};
    use crate::domain::acl::Resource;
    use crate::domain::grid::GridQuery;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
    let query = GridQuery::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // A refusal is written in the admin panel's language for this reader.
    let locale = super::locale::for_admin(&state, Some(session.clone()), &headers).await;
    let admin = match super::guard::load_admin(&state, session).await {
        Ok(admin) => admin,
        Err(e) => return error_response(e, locale),
    };
    let name = file.strip_suffix(".csv").unwrap_or(&file);
    let body = match name {
        "products" => super::guard::require(admin, Resource::CatalogProducts)
            .and_then(|_| super::db::catalog_admin::PRODUCTS_GRID.csv_within(state.db.pool.clone(), &query, None)),
        "customers" => super::guard::require(admin, Resource::CustomersManage).and_then(|admin| {
            let sites = admin.websites();
            customers::GRID.csv_within(
                state.db.pool.clone(),
                &query,
                sites.as_deref().map(|w| crate::server::grid::Scoped::column(customers::GRID_SCOPE, w)),
            )
        }),
        // Like `users_list`: the Role Users tab shows the same grid to those who edit roles.
        "users" => super::guard::require(admin.clone(), Resource::SystemUsers)
            .or_else(|_| super::guard::require(admin, Resource::SystemRoles))
            .and_then(|_| admins::USERS_GRID.csv(state.db.pool.clone(), &query)),
        "roles" => super::guard::require(admin, Resource::SystemRoles)
            .and_then(|_| admins::ROLES_GRID.csv(state.db.pool.clone(), &query)),
        "stores" => super::guard::require(admin, Resource::StoresAllStores)
            .and_then(|_| stores::GRID.csv(state.db.pool.clone(), &query)),
        "action_log" => super::guard::require(admin, Resource::SystemActionLogReport).and_then(|admin| {
            use super::db::audit::{ReportScope, REPORT_GRID};
            let scope = ReportScope::of(admin.websites(), &admin.grant);
            REPORT_GRID.csv_within(state.db.pool.clone(), &query, scope.as_ref().map(ReportScope::within))
        }),
        "assist_log" => match super::assist::enabled(&state.db.pool).await {
            Ok(true) if admin.as_ref().is_some_and(|a| a.grant.allows(Resource::AssistViewLog)) => {
                let sites = admin.as_ref().and_then(|a| a.websites());
                let within =
                    sites.as_deref().map(|w| crate::server::grid::Scoped::column(super::db::assist::LOG_SCOPE, w));
                Ok(super::db::assist::LOG_GRID.csv_within(state.db.pool.clone(), &query, within))
            }
            Ok(_) if admin.is_none() => Err(AppError::unauthenticated(Msg::AdminSignInNeeded)),
            Ok(_) => Err(AppError::not_found(Msg::ExportNotFound)),
            Err(e) => Err(e.into()),
        }
        .and_then(|body| body),
        _ => Err(AppError::not_found(Msg::ExportNotFound)),
    };
    match body {
        Ok(body) => Response::builder()
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\""))
            .header(header::CACHE_CONTROL, "no-store")
            .body(body)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(e) => error_response(e, locale),
    }
}

/// `err` as a plain-text answer, its message in `locale`.
fn error_response(err: AppError, locale: crate::l10n::Locale) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = crate::l10n::message(locale, &err.msg());
    (status, [(header::CACHE_CONTROL, "no-store"), (header::CONTENT_LANGUAGE, crate::l10n::code(locale))], text)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Policy = Policy { https: false, cookies: ["sa_admin", "sa_store"] };
    const TLS: Policy = Policy { https: true, cookies: ["__Secure-sa_admin", "__Host-sa_store"] };

    #[test]
    fn only_this_exact_origin_may_change_state() {
        let host = "shop.example:3000";
        // (policy, Origin, Sec-Fetch-Site, Cookie, allowed)
        type Case<'a> = (&'a Policy, Option<&'a str>, Option<&'a str>, Option<&'a str>, bool);
        let cases: &[Case] = &[
            // (policy, Origin, Sec-Fetch-Site, Cookie, allowed)
            (&PLAIN, Some("http://shop.example:3000"), None, Some("sa_store=x"), true),
            (&PLAIN, Some("http://shop.example:3000"), Some("same-origin"), None, true),
            (&PLAIN, Some("https://shop.example:3000"), None, None, false),
            (&PLAIN, Some("http://shop.example:3001"), None, None, false),
            (&PLAIN, Some("http://shop.example"), None, None, false),
            (&PLAIN, Some("http://evil.example:3000"), None, None, false),
            (&PLAIN, Some("http://shop.example:3000.evil.example"), None, None, false),
            (&PLAIN, Some("null"), None, None, false),
            (&PLAIN, Some("http://shop.example:3000"), Some("cross-site"), None, false),
            (&PLAIN, None, Some("same-site"), None, false),
            (&PLAIN, None, Some("same-origin"), Some("sa_admin=x"), true),
            (&PLAIN, None, None, Some("sa_admin=x; theme=dark"), false),
            (&PLAIN, None, None, Some("theme=dark"), true),
            (&PLAIN, None, None, None, true),
            (&TLS, Some("https://shop.example:3000"), None, None, true),
            (&TLS, Some("http://shop.example:3000"), None, None, false),
            (&TLS, None, None, Some("__Host-sa_store=x"), false),
        ];
        for (policy, origin, site, cookie, allowed) in cases {
            let got = refusal(policy, host, *origin, *site, *cookie);
            assert_eq!(got.is_none(), *allowed, "{origin:?} {site:?} {cookie:?}: {got:?}");
        }
    }
}
