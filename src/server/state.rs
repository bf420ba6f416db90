//! Application state, provided to every server function through Leptos context.

use super::db::Db;
use super::password::Hasher;
use super::settings::Settings;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Shared by every request: cloning it (each middleware, handler and server function takes
/// one) is one reference count, not a copy of the settings' and options' strings.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares.
#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub hasher: Hasher,
    pub settings: Settings,
    pub leptos: LeptosOptions,
    /// The full-page cache (in this process, or Redis with `REDIS_URL`).
    pub page_cache: super::page_store::PageCache,
    /// Store views with their locale and currency, kept in memory (see [`super::kept`]).
    pub kept: super::kept::Kept,
}

impl AppState {
    pub fn new(db: Db, hasher: Hasher, settings: Settings, leptos: LeptosOptions) -> AppState {
        let page_cache = super::page_store::PageCache::new(settings.redis_url.as_deref(), &settings.database_url)
            .unwrap_or_else(|e| {
                tracing::error!(%e, "REDIS_URL is malformed; the page cache stays in this process");
                super::page_store::PageCache::new(None, "").expect("the built-in cache")
            });
        AppState(Arc::new(Shared { db, hasher, settings, leptos, page_cache, kept: Default::default() }))
    }

    /// The store's public address without a trailing slash (see
    /// [`Settings::public_url`](super::settings::Settings::public_url)): the setting, checked at
    /// start, or else the listening address (`localhost` for an unspecified one).
    pub fn public_url(&self) -> String {
        if let Some(url) = self.settings.public_url.as_deref().and_then(|u| super::settings::parse_public_url(u).ok()) {
            return url;
        }
        let scheme = if self.settings.secure_cookies { "https" } else { "http" };
        let addr = self.leptos.site_addr;
        if addr.ip().is_unspecified() {
            format!("{scheme}://localhost:{}", addr.port())
        } else {
            format!("{scheme}://{addr}")
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
