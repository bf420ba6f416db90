//! The full-page cache: storefront pages with nothing private on them (home, category, product,
//! search) are kept, keyed by the customer group whose prices they show and the address (which
//! names the store view), in the process or in Redis when `REDIS_URL` is set (so that several
//! app instances share one cache and each sees an invalidation).
//!
//! A page rendered for the cache is rendered *public* ([`PublicRender`]): the greeting, the mini
//! cart, the consent state and the assistance banner are left out, and the browser asks the
//! private storefront context (`/api/store/context`, `no-store`) for them after hydration. While
//! an admin assists with `Disable Page Cache for Admin User` = Yes, nothing comes from the cache:
//! the page is rendered whole, with the banner, and is `no-store` (`BYPASS`).
//!
//! Each page is tagged with what it shows (`product:<id>`, and `catalog:listing` for pages that
//! list products); a change invalidates its tags after its transaction commits.

use super::page_store::{now_secs, CacheSettings, Stored, ALL, MAX_BODY};
pub use super::page_store::{product_tag, PageCache, HEADER, LISTING};
use super::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Marks a request rendered for the cache: the storefront context leaves out everything
/// private, and the catalog's loads add the tags of what they show.
#[derive(Clone, Debug, Default)]
pub struct PublicRender(Arc<Mutex<BTreeSet<String>>>);

impl PublicRender {
    fn tags(&self) -> Vec<String> {
        self.0.lock().map(|t| t.iter().cloned().collect()).unwrap_or_default()
    }
}

/// Whether this request is rendered for the cache.
pub fn public_render() -> bool {
    super::guard::parts().is_ok_and(|p| p.extensions.get::<PublicRender>().is_some())
}

/// Tags the page being rendered for the cache with `tags` (nothing otherwise).
pub fn tag(tags: impl IntoIterator<Item = String>) {
    let Ok(parts) = super::guard::parts() else { return };
    if let Some(PublicRender(set)) = parts.extensions.get::<PublicRender>() {
        if let Ok(mut set) = set.lock() {
            set.extend(tags);
        }
    }
}

/// Whether `path` is a page the cache may keep: the home page, a category, a product or a
/// search, under the default store view or a store code.
pub fn cacheable(path: &str) -> bool {
    let mut segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    let page = match segments.first() {
        Some(&"category" | &"product" | &"search") => &segments[..],
        None => &segments[..],
        // A store code first (anything that is not a known first segment of another page).
        Some(first)
            if !first.contains('.')
                && !matches!(
                    *first,
                    "customer" | "checkout" | "sales" | "admin" | "api" | "pkg" | "health" | "ready"
                ) =>
        {
            &segments[1..]
        }
        Some(_) => return false,
    };
    matches!(page, [] | ["search"] | ["category", _] | ["product", _])
}

/// What the cache does with one request.
enum Decision {
    /// Rendered whole, never kept, `no-store`.
    Bypass,
    /// Served from the cache or rendered public and kept under `key`.
    Cache { key: String, ttl: i64 },
}

/// The request's parts without its body, for [`decide`] (a body cannot be shared).
fn snapshot(req: &Request) -> Option<axum::http::request::Parts> {
    let mut builder = axum::http::Request::builder().method(req.method()).uri(req.uri().clone());
    for (k, v) in req.headers() {
        builder = builder.header(k, v);
    }
    let (mut parts, ()) = builder.body(()).ok()?.into_parts();
    parts.extensions = req.extensions().clone();
    Some(parts)
}

/// The group and the assistance state of the request's shopper, on the page's store view.
async fn decide(
    state: &AppState,
    parts: axum::http::request::Parts,
) -> Result<Decision, crate::domain::error::AppError> {
    let uri = parts.uri.clone();
    let context = super::guard::RequestContext::new(state.clone(), parts);
    context
        .scope(async move {
            let path = uri.path();
            let code = super::locale::store_code(path).unwrap_or_default();
            let view = crate::server::guard::store_view(code).await?;
            let pool = &state.db.pool;
            let shopper = super::guard::shopper_on(&view).await?;
            let settings = match state.page_cache.settings() {
                Some(kept) => kept,
                None => {
                    use crate::domain::config::{ASSIST_DISABLE_PAGE_CACHE, FPC_TTL};
                    let v = super::db::config::default_values(pool, &[FPC_TTL, ASSIST_DISABLE_PAGE_CACHE]).await?;
                    let read = CacheSettings {
                        ttl: v[0].parse::<i64>().unwrap_or(86_400),
                        disable_while_assisting: v[1] == "1",
                        guest_group: super::db::catalog::guest_group(pool).await?,
                    };
                    state.page_cache.keep_settings(read);
                    read
                }
            };
            let ttl = settings.ttl;
            if shopper.as_ref().is_some_and(|s| s.assisted.is_some()) && settings.disable_while_assisting {
                return Ok(Decision::Bypass);
            }
            let group = match &shopper {
                Some(s) => super::db::catalog::customer_group(pool, s.id).await?,
                None => None,
            };
            let group = group.unwrap_or(settings.guest_group);
            let member = if shopper.is_some() { "m" } else { "g" };
            let address = uri.path_and_query().map(|p| p.as_str()).unwrap_or(path);
            // The view's language and currency as read now: a change made where this process
            // cannot see it (the command line) still reaches every page at once.
            let key = format!("{}|{}|{group}|{member}|{address}", view.locale, view.currency);
            Ok(Decision::Cache { key, ttl })
        })
        .await
}

fn mark(mut res: Response, value: &'static str) -> Response {
    res.headers_mut().insert(HEADER, HeaderValue::from_static(value));
    res
}

/// The storefront's cache layer (inside the session and locale layers).
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET || !cacheable(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(parts) = snapshot(&req) else { return next.run(req).await };
    let decision = match decide(&state, parts).await {
        Ok(d) => d,
        // An unknown store code, a database hiccup: the page says so itself, uncached.
        Err(_) => Decision::Bypass,
    };
    let (key, ttl) = match decision {
        Decision::Bypass => {
            let mut res = next.run(req).await;
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return mark(res, "BYPASS");
        }
        Decision::Cache { key, ttl } => (key, ttl),
    };
    if let Some(hit) = state.page_cache.get(&key).await {
        let (body, csp) = match &hit.nonce {
            Some(old) => {
                let fresh = super::db::sales::random_key();
                let page = String::from_utf8_lossy(&hit.body).replace(old.as_str(), &fresh);
                (page.into_bytes(), HeaderValue::from_str(&super::http::page_csp(&fresh)).ok())
            }
            None => (hit.body, None),
        };
        let mut res = (StatusCode::OK, Body::from(body)).into_response();
        let h = res.headers_mut();
        if let Some(csp) = csp {
            h.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        if let Ok(v) = HeaderValue::from_str(&hit.content_type) {
            h.insert(header::CONTENT_TYPE, v);
        }
        if let Some(v) = hit.content_language.as_deref().and_then(|l| HeaderValue::from_str(l).ok()) {
            h.insert(header::CONTENT_LANGUAGE, v);
        }
        return mark(res, "HIT");
    }
    let render = PublicRender::default();
    req.extensions_mut().insert(render.clone());
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return mark(res, "MISS");
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        // Too big to keep (or broken): nothing is left to send, so say so.
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let text = |name: HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut tags = render.tags();
    tags.push(ALL.to_string());
    // The page's own nonce, read back from its policy (`'nonce-…'`).
    let nonce = text(header::CONTENT_SECURITY_POLICY).and_then(|csp| {
        let at = csp.find("'nonce-")? + "'nonce-".len();
        let end = csp[at..].find('\'')?;
        Some(csp[at..at + end].to_string()).filter(|n| n.len() >= 16)
    });
    let stored = Stored {
        nonce,
        content_type: text(header::CONTENT_TYPE).unwrap_or_else(|| "text/html; charset=utf-8".into()),
        content_language: text(header::CONTENT_LANGUAGE),
        body: bytes.to_vec(),
        tags,
        expires_at: now_secs() + ttl,
    };
    state.page_cache.put(key, stored, ttl).await;
    mark(Response::from_parts(parts, Body::from(Bytes::from(bytes.to_vec()))), "MISS")
}

#[cfg(test)]
mod tests {
    use super::cacheable;

    #[test]
    fn only_the_public_catalog_pages_are_kept() {
        for path in
            ["/", "/category/tops", "/product/tee", "/search", "/second_en", "/second_en/", "/second_en/product/tee"]
        {
            assert!(cacheable(path), "{path}");
        }
        for path in [
            "/customer/account",
            "/checkout",
            "/checkout/cart",
            "/sales/order/history",
            "/second_en/customer/account",
            "/second_en/checkout/cart",
            "/admin",
            "/api/store/context",
            "/pkg/app.js",
            "/category/tops/extra",
            "/second_en/category",
            "/health",
            "/ready",
            "/favicon.ico",
        ] {
            assert!(!cacheable(path), "{path}");
        }
    }
}
