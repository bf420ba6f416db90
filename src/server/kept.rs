//! What every storefront page needs and seldom changes, kept in memory: the active store views,
//! each with its locale and currency. A page (or a page from the cache) then reads no database
//! to learn which store view, language and currency its address names.
//!
//! Kept data is forgotten at once when this process changes configuration (through
//! [`Kept::forget`]), and within [`WATCH_EVERY`] when anyone else does (another instance on the
//! same database, the command line): every such change moves a number in the database by
//! trigger (`config_version`), and [`watch_forever`] reads that number.

use super::db::{config, stores};
use crate::domain::model::StoreView;
use sqlx::AnyPool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often [`watch_forever`] reads the configuration's version.
pub const WATCH_EVERY: Duration = Duration::from_millis(200);

#[derive(Debug, Default)]
struct Inner {
    /// Moves at each [`Kept::forget`]: a read that began before it is not kept.
    generation: u64,
    views: Option<Arc<Vec<StoreView>>>,
}

/// The process's kept configuration.
#[derive(Debug, Default)]
pub struct Kept(Mutex<Inner>);

impl Kept {
    /// Forgets everything kept; the next request reads it again.
    pub fn forget(&self) {
        if let Ok(mut inner) = self.0.lock() {
            inner.generation += 1;
            inner.views = None;
        }
    }

    /// The active store views, the default one first.
    pub async fn views(&self, pool: &AnyPool) -> Result<Arc<Vec<StoreView>>, sqlx::Error> {
        let generation = {
            let Ok(inner) = self.0.lock() else { return Ok(Arc::new(stores::active_views(pool).await?)) };
            match &inner.views {
                Some(views) => return Ok(views.clone()),
                None => inner.generation,
            }
        };
        let views = Arc::new(stores::active_views(pool).await?);
        if let Ok(mut inner) = self.0.lock() {
            // A change seen while reading may have been missed by the read: keep nothing then.
            if inner.generation == generation {
                inner.views = Some(views.clone());
            }
        }
        Ok(views)
    }

    /// The active store view `code` names (`None`: the default one), as
    /// [`stores::view_by_code`] finds it. A code not among those kept is looked up in the
    /// database (a view made a moment ago elsewhere).
    pub async fn view_by_code(&self, pool: &AnyPool, code: Option<&str>) -> Result<Option<StoreView>, sqlx::Error> {
        let views = self.views(pool).await?;
        let found = match code {
            None => views.first(),
            Some(code) => views.iter().find(|v| v.code == code),
        };
        match found {
            Some(view) => Ok(Some(view.clone())),
            None => stores::view_by_code(pool, code).await,
        }
    }
}

/// Reads the configuration's version every [`WATCH_EVERY`] and calls `changed` when it moves
/// (and after a failed read, when a change may have gone unseen). Runs until dropped.
pub async fn watch_forever(pool: AnyPool, changed: impl Fn()) {
    let mut seen: Option<i64> = None;
    loop {
        match config::version(&pool).await {
            Ok(version) if seen == Some(version) => {}
            Ok(version) => {
                // The first reading too: something may have been kept before it.
                seen = Some(version);
                changed();
            }
            Err(err) => {
                tracing::warn!(%err, "reading the configuration's version failed; forgetting what is kept");
                seen = None;
                changed();
            }
        }
        tokio::time::sleep(WATCH_EVERY).await;
    }
}
