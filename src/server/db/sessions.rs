//! Sessions live beside everything else: in the same PostgreSQL database, or, on SQLite, in a
//! file of their own next to the store's (`shop.db` keeps them in `shop-sessions.db`). SQLite
//! lets one writer at a time into a file and makes the others wait in growing sleeps, so a
//! sign-in that cycled its session id used to wait up to a tenth of a second behind the
//! action log's sealer; in their own file, session writes only queue behind each other.
//! tower-sessions' sqlx store has a SQLite and a PostgreSQL store but no `Any` one, so this
//! enum delegates to whichever fits.

use super::Backend;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Result, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// Expired sessions removed per statement: each DELETE holds the write lock only briefly.
const DELETE_BATCH: i64 = 500;

/// The store, with its pool for the batched expiry deletion and the index it relies on.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteStore, SqlitePool),
    Postgres(PostgresStore, PgPool),
}

impl Store {
    pub async fn connect(url: &str, backend: Backend) -> anyhow::Result<Store> {
        Ok(match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(&sqlite_sessions_url(url))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
                Store::Sqlite(SqliteStore::new(pool.clone()), pool)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
                Store::Postgres(PostgresStore::new(pool.clone()), pool)
            }
        })
    }

    /// Creates the store's table, and an index on its expiry so that finding expired
    /// sessions does not scan every session.
    pub async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            Store::Sqlite(s, pool) => {
                s.migrate().await?;
                sqlx::query("CREATE INDEX IF NOT EXISTS tower_sessions_expiry ON tower_sessions (expiry_date)")
                    .execute(pool)
                    .await?;
            }
            Store::Postgres(s, pool) => {
                s.migrate().await?;
                sqlx::query(r#"CREATE INDEX IF NOT EXISTS session_expiry ON "tower_sessions"."session" (expiry_date)"#)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Removes expired sessions every `period`, forever; a failed round is logged and retried.
    pub async fn delete_expired_forever(self, period: Duration) {
        // The first round runs one period after start, not at once: start-up stays quick.
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match self.delete_expired_in_batches().await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "expired sessions removed"),
                Err(err) => tracing::warn!(%err, "removing expired sessions failed; will retry"),
            }
        }
    }

    /// Deletes expired sessions [`DELETE_BATCH`] at a time, each batch its own short statement
    /// found through the expiry index, yielding between batches so that sign-ins and page
    /// requests get the write lock in between. Returns how many were removed.
    pub async fn delete_expired_in_batches(&self) -> sqlx::Result<u64> {
        let mut removed = 0;
        loop {
            // The comparison is the one the store's own `load` uses, with the same encoding.
            let now = time::OffsetDateTime::now_utc();
            let done = match self {
                Store::Sqlite(_, pool) => sqlx::query(
                    "DELETE FROM tower_sessions WHERE id IN \
                     (SELECT id FROM tower_sessions WHERE expiry_date < $1 LIMIT $2)",
                )
                .bind(now)
                .bind(DELETE_BATCH)
                .execute(pool)
                .await?
                .rows_affected(),
                Store::Postgres(_, pool) => sqlx::query(
                    r#"DELETE FROM "tower_sessions"."session" WHERE id IN
                       (SELECT id FROM "tower_sessions"."session" WHERE expiry_date < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)"#,
                )
                .bind(now)
                .bind(DELETE_BATCH)
                .execute(pool)
                .await?
                .rows_affected(),
            };
            removed += done;
            if done < DELETE_BATCH as u64 {
                return Ok(removed);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// The SQLite URL of the sessions' own file: the store's file name with `-sessions` before its
/// extension, the same options after it. An in-memory database keeps them in itself.
pub fn sqlite_sessions_url(url: &str) -> String {
    let (path, options) = url.split_once('?').map_or((url, None), |(p, o)| (p, Some(o)));
    if path.contains(":memory:") {
        return url.to_string();
    }
    let file_start = path.rfind('/').map_or(0, |i| i + 1);
    let name = &path[file_start..];
    let renamed = match name.rfind('.') {
        Some(dot) if dot > 0 => format!("{}-sessions{}", &name[..dot], &name[dot..]),
        _ => format!("{name}-sessions"),
    };
    let mut out = format!("{}{renamed}", &path[..file_start]);
    if let Some(options) = options {
        out.push('?');
        out.push_str(options);
    }
    out
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> Result<()> {
        match self {
            Store::Sqlite(s, _) => s.create(record).await,
            Store::Postgres(s, _) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self {
            Store::Sqlite(s, _) => s.save(record).await,
            Store::Postgres(s, _) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self {
            Store::Sqlite(s, _) => s.load(id).await,
            Store::Postgres(s, _) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        match self {
            Store::Sqlite(s, _) => s.delete(id).await,
            Store::Postgres(s, _) => s.delete(id).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_sessions_url;

    #[test]
    fn sessions_get_a_file_beside_the_stores() {
        assert_eq!(sqlite_sessions_url("sqlite://data/shopassist.db"), "sqlite://data/shopassist-sessions.db");
        assert_eq!(sqlite_sessions_url("sqlite:///tmp/x/t.db?mode=rwc"), "sqlite:///tmp/x/t-sessions.db?mode=rwc");
        assert_eq!(sqlite_sessions_url("sqlite:shop"), "sqlite:shop-sessions");
        assert_eq!(sqlite_sessions_url("sqlite://./.hidden"), "sqlite://./.hidden-sessions");
        assert_eq!(sqlite_sessions_url("sqlite::memory:"), "sqlite::memory:");
    }
}
