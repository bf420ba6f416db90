//! Where the full-page cache keeps pages: in the process, or in Redis when `REDIS_URL` is set
//! (so that several app instances share one cache and each sees an invalidation). What is kept
//! and when is decided by [`super::page_cache`].

use axum::http::HeaderName;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// `X-Page-Cache`: `HIT`, `MISS` or `BYPASS`.
pub const HEADER: HeaderName = HeaderName::from_static("x-page-cache");

/// Tags every page that lists products carries: a new or changed product may join any list.
pub const LISTING: &str = "catalog:listing";

/// The tag of one product's pages (and of the lists showing it).
pub fn product_tag(id: i64) -> String {
    format!("product:{id}")
}

/// The most pages the in-process cache holds; past it, the ones closest to expiry go first.
const MEMORY_PAGES: usize = 5_000;

/// Largest page body kept (bytes): anything bigger is served but not kept.
pub(crate) const MAX_BODY: usize = 2 * 1024 * 1024;

/// A stored page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// The script nonce the page was rendered with: each answer from the cache gets a fresh
    /// one, in the page and in its `Content-Security-Policy`.
    pub nonce: Option<String>,
    pub content_type: String,
    pub content_language: Option<String>,
    pub body: Vec<u8>,
    pub tags: Vec<String>,
    pub expires_at: i64,
}

pub(crate) fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Where pages are kept, and the cache's own settings as last read.
#[derive(Clone)]
pub struct PageCache(Arc<Backend>, Arc<Mutex<Option<(std::time::Instant, CacheSettings)>>>);

/// What every cacheable request needs to know besides its own shopper: the configured TTL,
/// `Disable Page Cache for Admin User`, and the `NOT LOGGED IN` group's id. Kept for
/// [`SETTINGS_FOR`] (a change made in this process forgets them at once, through
/// [`PageCache::clear`]; one made by another instance is seen within that time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    pub ttl: i64,
    pub disable_while_assisting: bool,
    pub guest_group: i64,
}

/// How long [`CacheSettings`] are kept before they are read again.
pub const SETTINGS_FOR: std::time::Duration = std::time::Duration::from_secs(2);

enum Backend {
    Memory(Mutex<HashMap<String, Stored>>),
    Redis {
        client: redis::Client,
        conn: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
        /// Every key starts with this: the instances of one store (one database) share it,
        /// other stores on the same Redis have their own.
        prefix: String,
    },
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.application())
    }
}

impl PageCache {
    /// The in-process cache, or Redis at `redis_url` (checked here; connected on first use),
    /// its keys named for the store's `database_url`.
    pub fn new(redis_url: Option<&str>, database_url: &str) -> anyhow::Result<PageCache> {
        Ok(PageCache(
            Arc::new(match redis_url {
                Some(url) => {
                    use sha2::Digest;
                    let digest = sha2::Sha256::digest(database_url.as_bytes());
                    let store: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
                    Backend::Redis {
                        client: redis::Client::open(url)?,
                        conn: tokio::sync::OnceCell::new(),
                        prefix: format!("shopassist:fpc:{store}:"),
                    }
                }
                None => Backend::Memory(Mutex::new(HashMap::new())),
            }),
            Arc::new(Mutex::new(None)),
        ))
    }

    /// The settings kept by [`Self::keep_settings`], if read less than [`SETTINGS_FOR`] ago.
    pub fn settings(&self) -> Option<CacheSettings> {
        let kept = *self.1.lock().ok()?;
        kept.filter(|(at, _)| at.elapsed() < SETTINGS_FOR).map(|(_, s)| s)
    }

    /// Forgets the settings kept (a configuration change seen in the database).
    pub fn forget_settings(&self) {
        if let Ok(mut kept) = self.1.lock() {
            *kept = None;
        }
    }

    /// Keeps settings just read.
    pub fn keep_settings(&self, settings: CacheSettings) {
        if let Ok(mut kept) = self.1.lock() {
            *kept = Some((std::time::Instant::now(), settings));
        }
    }

    /// The Redis key of a page, and of a tag's set.
    fn keys(&self) -> (String, String) {
        match &*self.0 {
            Backend::Redis { prefix, .. } => (format!("{prefix}page:"), format!("{prefix}tag:")),
            Backend::Memory(_) => (String::new(), String::new()),
        }
    }

    /// `Caching Application` as the configuration screen shows it.
    pub fn application(&self) -> &'static str {
        match *self.0 {
            Backend::Memory(_) => "Built-in",
            Backend::Redis { .. } => "Redis",
        }
    }

    async fn redis(&self) -> Option<redis::aio::ConnectionManager> {
        let Backend::Redis { client, conn, .. } = &*self.0 else { return None };
        let made = conn
            .get_or_try_init(|| async {
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(std::time::Duration::from_secs(2)))
                    .set_response_timeout(Some(std::time::Duration::from_secs(2)));
                redis::aio::ConnectionManager::new_with_config(client.clone(), config).await
            })
            .await;
        match made {
            Ok(c) => Some(c.clone()),
            Err(e) => {
                tracing::warn!(%e, "the page cache cannot reach Redis; pages are rendered uncached");
                None
            }
        }
    }

    pub(crate) async fn get(&self, key: &str) -> Option<Stored> {
        match &*self.0 {
            Backend::Memory(pages) => {
                let pages = pages.lock().ok()?;
                pages.get(key).filter(|s| s.expires_at > now_secs()).cloned()
            }
            Backend::Redis { .. } => {
                use redis::AsyncCommands;
                let mut conn = self.redis().await?;
                let (page_key, _) = self.keys();
                let raw: Option<Vec<u8>> = conn.get(format!("{page_key}{key}")).await.ok()?;
                raw.and_then(|r| serde_json::from_slice(&r).ok())
            }
        }
    }

    pub(crate) async fn put(&self, key: String, stored: Stored, ttl: i64) {
        match &*self.0 {
            Backend::Memory(pages) => {
                let Ok(mut pages) = pages.lock() else { return };
                if pages.len() >= MEMORY_PAGES {
                    // Full: the expired pages go, and if that is not enough, the tenth of the
                    // pages closest to expiring, so that the next few hundred pages kept do not
                    // each walk the whole map again.
                    let now = now_secs();
                    pages.retain(|_, s| s.expires_at > now);
                    if pages.len() >= MEMORY_PAGES {
                        let mut ends: Vec<(i64, String)> =
                            pages.iter().map(|(k, s)| (s.expires_at, k.clone())).collect();
                        let nth = MEMORY_PAGES / 10;
                        ends.select_nth_unstable(nth);
                        for (_, key) in &ends[..nth] {
                            pages.remove(key);
                        }
                    }
                }
                pages.insert(key, stored);
            }
            Backend::Redis { .. } => {
                let Some(mut conn) = self.redis().await else { return };
                let Ok(body) = serde_json::to_vec(&stored) else { return };
                let (page_key, tag_key) = self.keys();
                let mut pipe = redis::pipe();
                pipe.set_ex(format!("{page_key}{key}"), body, ttl.max(1) as u64).ignore();
                for tag in &stored.tags {
                    pipe.sadd(format!("{tag_key}{tag}"), &key).ignore();
                    pipe.expire(format!("{tag_key}{tag}"), ttl.max(1)).ignore();
                }
                if let Err(e) = pipe.query_async::<()>(&mut conn).await {
                    tracing::warn!(%e, "keeping a page in Redis failed");
                }
            }
        }
    }

    /// Drops every page tagged with any of `tags`.
    pub async fn invalidate(&self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        match &*self.0 {
            Backend::Memory(pages) => {
                if let Ok(mut pages) = pages.lock() {
                    pages.retain(|_, s| !s.tags.iter().any(|t| tags.contains(t)));
                }
            }
            Backend::Redis { .. } => {
                use redis::AsyncCommands;
                let Some(mut conn) = self.redis().await else { return };
                let (page_key, tag_key) = self.keys();
                for tag in tags {
                    let set = format!("{tag_key}{tag}");
                    let keys: Vec<String> = conn.smembers(&set).await.unwrap_or_default();
                    let mut pipe = redis::pipe();
                    for k in keys {
                        pipe.del(format!("{page_key}{k}")).ignore();
                    }
                    pipe.del(&set).ignore();
                    if let Err(e) = pipe.query_async::<()>(&mut conn).await {
                        tracing::warn!(%e, tag, "invalidating pages in Redis failed");
                    }
                }
            }
        }
    }

    /// Drops every page (a configuration change may change any of them) and the settings kept.
    pub async fn clear(&self) {
        if let Ok(mut kept) = self.1.lock() {
            *kept = None;
        }
        match &*self.0 {
            Backend::Memory(pages) => {
                if let Ok(mut pages) = pages.lock() {
                    pages.clear();
                }
            }
            Backend::Redis { prefix, .. } => {
                let Some(mut conn) = self.redis().await else { return };
                let keys: Vec<String> =
                    redis::cmd("KEYS").arg(format!("{prefix}*")).query_async(&mut conn).await.unwrap_or_default();
                if !keys.is_empty() {
                    let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
                }
            }
        }
    }
}

/// Every page carries this tag.
pub const ALL: &str = "all";

#[cfg(test)]
mod tests {
    use super::*;

    fn page(expires_at: i64) -> Stored {
        Stored {
            nonce: None,
            content_type: "text/html".into(),
            content_language: None,
            body: b"<p>page</p>".to_vec(),
            tags: vec![ALL.to_string()],
            expires_at,
        }
    }

    #[tokio::test]
    async fn a_full_memory_cache_drops_the_tenth_closest_to_expiring() {
        let cache = PageCache::new(None, "").unwrap();
        let later = now_secs() + 1_000;
        for n in 0..MEMORY_PAGES as i64 {
            cache.put(format!("page{n}"), page(later + n), 1_000).await;
        }
        assert!(cache.get("page0").await.is_some(), "not full yet: nothing dropped");
        cache.put("newest".into(), page(later + 10_000), 1_000).await;
        assert!(cache.get("newest").await.is_some());
        assert!(cache.get("page0").await.is_none(), "the closest to expiring went");
        assert!(cache.get(&format!("page{}", MEMORY_PAGES / 10 - 1)).await.is_none());
        assert!(cache.get(&format!("page{}", MEMORY_PAGES / 10 + 1)).await.is_some(), "only a tenth went");
        // The next pages kept drop nothing more until the cache is full again.
        cache.put("another".into(), page(later + 10_001), 1_000).await;
        assert!(cache.get(&format!("page{}", MEMORY_PAGES / 10 + 1)).await.is_some());
    }
}
