//! Chooses the language each page is answered in, before it renders (see `crate::l10n`):
//! on the storefront the store view's `general/locale/code`, in the admin the signed-in
//! admin's `Interface Locale`, and on the admin's sign-in page the browser's
//! `Accept-Language`.

use super::session::AdminSession;
use super::state::AppState;
use crate::domain::model::StoreView;
use crate::l10n::{self, Locale, RequestLocale};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The first segments of the storefront's own routes: a path that starts with one of them is
/// on the default store view.
const STORE_ROUTES: &[&str] = &["customer", "checkout", "sales", "category", "product", "search"];

/// The store view a storefront path addresses: `None` for the default one (the root, or a
/// path that starts with a route of its own), else the code in its first segment.
pub fn store_code(path: &str) -> Option<&str> {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    (!first.is_empty() && !STORE_ROUTES.contains(&first)).then_some(first)
}

/// Whether `path` renders a page (rather than answering a server function, an export, the
/// JSON API or a file).
fn renders_a_page(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path.starts_with("/admin/api/")
        || path.starts_with("/admin/export/")
        || path == "/health"
        || path == "/ready")
}

/// Puts this request's [`RequestLocale`] in its extensions (page requests only).
pub async fn choose(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if *req.method() == Method::GET && renders_a_page(path) {
        let locale = if path == "/admin" || path.starts_with("/admin/") {
            let session = req.extensions().get::<AdminSession>().cloned();
            for_admin(&state, session, req.headers()).await
        } else {
            let code = store_code(path).map(str::to_owned);
            let (locale, resolved) = store_locale(&state, code.as_deref()).await;
            if let Some(view) = resolved {
                req.extensions_mut().insert(ResolvedView { code, view });
            }
            locale
        };
        req.extensions_mut().insert(RequestLocale(locale));
    }
    next.run(req).await
}

/// The admin panel's locale for this request: the signed-in admin's `Interface Locale`, or
/// the browser's `Accept-Language` when nobody is signed in.
pub async fn for_admin(state: &AppState, session: Option<AdminSession>, headers: &HeaderMap) -> Locale {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    admin_locale(state, session).await.unwrap_or_else(|| l10n::negotiate(accept))
}

/// The signed-in admin's `Interface Locale`, if an admin is signed in.
async fn admin_locale(state: &AppState, session: Option<AdminSession>) -> Option<Locale> {
    let id = session?.admin_id().await.ok()??;
    let code = super::db::admins::interface_locale(&state.db.pool, id).await.ok()??;
    l10n::parse(&code)
}

/// The store view a storefront page's path named, as the locale's choice read it: the page's
/// own data loads reuse it instead of reading it again (see `api::storefront`). `view` is
/// `None` when no active store view has that code.
#[derive(Clone, Debug)]
pub struct ResolvedView {
    pub code: Option<String>,
    pub view: Option<StoreView>,
}

impl ResolvedView {
    /// The view for `code`, if this is the answer for that code.
    pub fn for_code(&self, code: Option<&str>) -> Option<Option<StoreView>> {
        (self.code.as_deref() == code).then(|| self.view.clone())
    }
}

/// The locale of the store view `code` names (an unknown code: the default store view's), and
/// what reading `code` found (none when the database could not be read).
async fn store_locale(state: &AppState, code: Option<&str>) -> (Locale, Option<Option<StoreView>>) {
    let pool = &state.db.pool;
    let found = state.kept.view_by_code(pool, code).await.ok();
    let view = match &found {
        Some(Some(view)) => Some(view.clone()),
        Some(None) if code.is_some() => state.kept.view_by_code(pool, None).await.ok().flatten(),
        _ => None,
    };
    (view.and_then(|v| l10n::parse(&v.locale)).unwrap_or_default(), found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_path_segment_names_the_store_view_unless_it_is_a_route() {
        assert_eq!(store_code("/"), None);
        assert_eq!(store_code("/customer/account"), None);
        assert_eq!(store_code("/category/gear"), None);
        assert_eq!(store_code("/product/tee"), None);
        assert_eq!(store_code("/search"), None);
        assert_eq!(store_code("/second_zh/category/gear"), Some("second_zh"));
        assert_eq!(store_code("/second_zh/customer/account"), Some("second_zh"));
        assert_eq!(store_code("/second_zh"), Some("second_zh"));
    }
}
