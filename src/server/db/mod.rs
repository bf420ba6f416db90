//! One connection pool that speaks SQLite or PostgreSQL, chosen by `DATABASE_URL`, plus the
//! session store on the same database. Repositories take an executor so a change and its
//! audit entry share one transaction.

pub mod admins;
pub mod assist;
pub mod audit;
pub mod catalog;
pub mod catalog_admin;
pub mod chain;
pub mod config;
pub mod customers;
pub mod demo;
pub mod integrations;
pub mod lockout;
pub mod outbox;
pub mod sales;
pub mod sessions;
pub mod stores;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Row};
use std::str::FromStr;
use std::time::Duration;

pub type Tx<'a> = sqlx::Transaction<'a, Any>;

/// What a repository function runs on: the pool, or a transaction (`&mut **tx`).
pub trait Executor<'e>: sqlx::Executor<'e, Database = Any> {}
impl<'e, T: sqlx::Executor<'e, Database = Any>> Executor<'e> for T {}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database the URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:")
        }
    }

    pub fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The database handle shared by the whole app.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    /// Where [`Db::begin`] takes its connection: on SQLite a pool of one, so that writers wait
    /// their turn in a queue (woken the moment the one before commits) rather than in SQLite's
    /// busy handler, which sleeps up to 100 ms between tries (the tail of `Place Order` with
    /// 8 shoppers at once: 133 ms at p99, measured); on PostgreSQL the same pool as reads.
    writer: AnyPool,
    pub backend: Backend,
    pub sessions: sessions::Store,
}

impl Db {
    /// Connects (creating a SQLite file and its folder when missing).
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_parent(url)?;
        }
        let options = |max: u32| {
            AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(10)).after_connect(
                move |conn, _| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                            sqlx::query("PRAGMA busy_timeout = 5000").execute(&mut *conn).await?;
                            sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                            // Pages read through a memory map and a 16 MiB cache per connection
                            // (SQLite's default is 2 MiB read with a system call per page): a
                            // grid or catalog read at 100,000 rows stays in memory.
                            sqlx::query("PRAGMA cache_size = -16384").execute(&mut *conn).await?;
                            sqlx::query("PRAGMA mmap_size = 268435456").execute(&mut *conn).await?;
                        }
                        Ok(())
                    })
                },
            )
        };
        let max = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = options(max)
            .connect(&sqlite_create_url(url, backend))
            .await
            .with_context(|| format!("could not open the database {}", redact(url)))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await.context("enabling WAL")?;
        }
        // (An in-memory database is one per connection: there, writes stay on the pool.)
        let writer = if backend == Backend::Sqlite && !url.contains(":memory:") {
            options(1).connect(&sqlite_create_url(url, backend)).await.context("opening the writer's connection")?
        } else {
            pool.clone()
        };
        let sessions = sessions::Store::connect(url, backend).await?;
        Ok(Db { pool, writer, backend, sessions })
    }

    /// Applies pending migrations for this backend, and the session table.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.backend.migrator().run(&self.pool).await.context("applying migrations")?;
        self.sessions.migrate().await.context("creating the session table")?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads and then writes fails with
    /// SQLITE_BUSY when another writer committed in between, instead of waiting its turn.
    pub async fn begin(&self) -> Result<Tx<'static>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers (for `/ready`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

fn sqlite_create_url(url: &str, backend: Backend) -> String {
    if backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    }
}

fn create_sqlite_parent(url: &str) -> anyhow::Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
    }
    Ok(())
}

/// The URL with any password hidden, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::from_str(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Milliseconds since the Unix epoch: the one timestamp format on both databases.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Reads an INTEGER 0/1 column as a boolean on both databases.
pub fn flag(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// Whether an error is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() || db.code().is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}
