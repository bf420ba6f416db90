//! Sessions live in the same database as everything else. tower-sessions' sqlx store has a
//! SQLite and a PostgreSQL store but no `Any` one, so this enum delegates to whichever fits.

use super::Backend;
use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, Result, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    pub async fn connect(url: &str, backend: Backend) -> anyhow::Result<Store> {
        Ok(match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
                Store::Sqlite(SqliteStore::new(pool))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
                Store::Postgres(PostgresStore::new(pool))
            }
        })
    }

    pub async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            Store::Sqlite(s) => s.migrate().await,
            Store::Postgres(s) => s.migrate().await,
        }
    }

    /// Removes expired sessions every `period`, forever; a failed round is logged and retried.
    /// Each round is one short DELETE by the indexed expiry, so no long lock is held.
    pub async fn delete_expired_forever(self, period: Duration) {
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(err) = self.delete_expired().await {
                tracing::warn!(%err, "removing expired sessions failed; will retry");
            }
        }
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.create(record).await,
            Store::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.save(record).await,
            Store::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self {
            Store::Sqlite(s) => s.load(id).await,
            Store::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.delete(id).await,
            Store::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.delete_expired().await,
            Store::Postgres(s) => s.delete_expired().await,
        }
    }
}
