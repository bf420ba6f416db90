//! Starts the whole app on port 0 with a fresh database (a SQLite file, or a new PostgreSQL
//! database) and talks to it over HTTP like a browser would.

use shopassist::domain::acl::Grant;
use shopassist::server::app;
use shopassist::server::db::{admins, Db};
use shopassist::server::settings::Settings;
use sqlx::Row;
use std::net::SocketAddr;

pub const ADMIN_PASSWORD: &str = "Admin-Passw0rd";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Whether the PostgreSQL variants run: always in CI, never when told to skip, otherwise
/// when a server answers.
pub async fn postgres_available() -> bool {
    let mode = std::env::var("SHOPASSIST_POSTGRES_TESTS").unwrap_or_default();
    if std::env::var("CI").as_deref() == Ok("true") || mode == "run" {
        return true;
    }
    if mode == "skip" {
        return false;
    }
    let ok = sqlx::postgres::PgPool::connect(&pg_admin_url()).await.is_ok();
    if !ok {
        eprintln!("PostgreSQL not reachable: PostgreSQL variant SKIPPED");
    }
    ok
}

fn pg_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Test databases are named `shopassist_test_<process id>_<random>`; each is dropped when its
/// test passes, and those a failed or killed run left behind are dropped by the next run.
const PG_PREFIX: &str = "shopassist_test_";
static STALE_DATABASES_DROPPED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

async fn drop_stale_databases(admin: &sqlx::PgPool) {
    let own = format!("{PG_PREFIX}{}_", std::process::id());
    let stale: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'")
        .bind(PG_PREFIX)
        .fetch_all(admin)
        .await
        .expect("list test databases");
    for name in stale.into_iter().filter(|n| !n.starts_with(&own)) {
        // Another run may drop it at the same moment; that is fine.
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(admin).await;
    }
}

/// Drops a test's PostgreSQL database (after the test passed).
pub async fn drop_pg_database(name: Option<String>) {
    let Some(name) = name else { return };
    let admin = sqlx::postgres::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL reachable");
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&admin)
        .await
        .expect("drop test database");
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    pub backend: Backend,
    pub hasher: shopassist::server::password::Hasher,
    /// The PostgreSQL database made for this test.
    pub pg_database: Option<String>,
    _dir: Option<tempfile::TempDir>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with settings changed by `adjust` first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let (url, dir, pg_database) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                (format!("sqlite://{}/test.db", dir.path().display()), Some(dir), None)
            }
            Backend::Postgres => {
                let admin = sqlx::postgres::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL reachable");
                STALE_DATABASES_DROPPED.get_or_init(|| drop_stale_databases(&admin)).await;
                let name = format!("{PG_PREFIX}{}_{}", std::process::id(), rand::random::<u32>());
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create database");
                let base = pg_admin_url();
                let root = &base[..base.rfind('/').expect("url has a database")];
                (format!("{root}/{name}"), None, Some(name))
            }
        };
        let mut settings = Settings {
            database_url: url,
            secure_cookies: false,
            max_body_bytes: 64 * 1024,
            log_json: false,
            hash_concurrency: 2,
            customer_session_idle_secs: 3600,
        };
        adjust(&mut settings);
        let mut options = app::leptos_options().expect("leptos options");
        // No release build here, so no file of hashed asset names to read.
        options.hash_files = false;
        let state = app::state(settings, options).await.expect("state");
        let db = state.db.clone();
        let hasher = state.hasher.clone();
        shopassist::server::demo::load(
            &db,
            &shopassist::server::demo::Sizes { customers: 0, customers_only: false },
            false,
        )
        .await
        .expect("demo structure");
        shopassist::server::cli::create_admin(
            &db,
            "admin",
            "admin@example.com",
            "Ada",
            "Admin",
            "Administrators",
            ADMIN_PASSWORD,
        )
        .await
        .expect("first admin");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let _ = app::serve(state, listener).await;
        });
        TestApp { addr, db, backend, hasher, pg_database, _dir: dir, server }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Calls a server function with form fields, as an ActionForm does.
    pub async fn call(&self, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(path)).header("accept", "application/json").form(fields).send().await.expect("request")
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.expect("request")
    }

    /// A new browser-like client signed in as `username`.
    pub async fn admin_client(&self, username: &str, password: &str) -> reqwest::Client {
        let c = client();
        let res =
            self.call(&c, "/admin/api/sign_in", &[("form[username]", username), ("form[password]", password)]).await;
        assert_eq!(res.status(), 200, "sign in as {username}: {}", res.text().await.unwrap_or_default());
        c
    }

    /// Creates a role with `grant` and an active admin in it; returns the username.
    pub async fn admin_with(&self, name: &str, grant: Grant) -> String {
        let mut tx = self.db.begin().await.expect("tx");
        let role = admins::save_role(&mut tx, None, &format!("{name} role"), &grant).await.expect("role");
        tx.commit().await.expect("commit");
        let role_name: String = sqlx::query("SELECT name FROM admin_roles WHERE id = $1")
            .bind(role)
            .fetch_one(&self.db.pool)
            .await
            .expect("role row")
            .try_get("name")
            .expect("name");
        shopassist::server::cli::create_admin(
            &self.db,
            name,
            &format!("{name}@example.com"),
            "Limited",
            "Admin",
            &role_name,
            ADMIN_PASSWORD,
        )
        .await
        .expect("admin");
        name.to_string()
    }

    pub async fn log_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM action_log").fetch_one(&self.db.pool).await.expect("count")
    }

    /// Registers a shopper on the default store view; returns their signed-in client.
    pub async fn shopper(&self, first: &str, last: &str, email: &str) -> reqwest::Client {
        let c = client();
        let res = self
            .call(
                &c,
                "/api/store/register",
                &[
                    ("form[first_name]", first),
                    ("form[last_name]", last),
                    ("form[email]", email),
                    ("form[password]", "Shopper-Passw0rd"),
                    ("form[password_confirmation]", "Shopper-Passw0rd"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "register: {}", res.text().await.unwrap_or_default());
        c
    }
}

/// Runs each listed async test function against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::helpers::postgres_available().await {
                        let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await;
                        let database = app.pg_database.clone();
                        super::$name(app).await;
                        $crate::helpers::drop_pg_database(database).await;
                    }
                }
            )*
        }
    };
}
