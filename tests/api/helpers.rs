//! Starts the whole app on port 0 with a fresh database (a SQLite file, or a new PostgreSQL
//! database) and talks to it over HTTP like a browser would.
//!
//! Every server function is called through the argument struct `#[server]` generates for it
//! (`SaveAdminUser { form }`, `ListCustomers { query }`): its path, its fields and the type
//! of its answer come from the app itself, and the struct is encoded with serde_qs exactly as
//! the browser's client encodes it (`form[username]=…`, `query[filters][role]=…`). A server
//! function answers `Ok` with its JSON value, or an `AppError` as JSON with the status the
//! error names; both are read into an [`Answer`].
//!
//! Requests that are malformed on purpose go through [`TestApp::post_raw`].

use serde::de::DeserializeOwned;
use serde::Serialize;
use server_fn::ServerFn;
use shopassist::api::admin_auth::{AdminSignIn, AdminSignOut, GetAdminMe};
use shopassist::api::config::{GetConfigScreen, SaveConfig};
use shopassist::api::customers::{CustomerEditData, GetCustomerEditData, ListCustomers, SaveCustomer};
use shopassist::api::dashboard::ListStoreViews;
use shopassist::api::permissions::{
    AdminUserEditData, ListAdminUsers, ListRoles, RoleEditData, RolePageData, SaveAdminUser, SaveRole, UserEditData,
};
use shopassist::api::storefront::{AccountInfo, CustomerSignIn, CustomerSignOut, Register, SaveAccountInfo};
use shopassist::domain::acl::Grant;
use shopassist::domain::deferred::Deferred;
use shopassist::domain::error::AppError;
use shopassist::domain::forms::{
    AccountForm, AdminUserForm, Checkbox, ConfigForm, CustomerForm, CustomerSignInForm, RegisterForm, RoleForm,
    SignInForm,
};
use shopassist::domain::grid::{GridPage, GridQuery};
use shopassist::domain::model::{
    format_time, AdminMe, AdminUserRow, ConfigScreen, CustomerDetail, CustomerMe, CustomerRow, RoleDetail, RoleSummary,
    StoreView,
};
use shopassist::server::app;
use shopassist::server::db::{admins, Db};
use shopassist::server::settings::Settings;
use sqlx::Row;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::net::SocketAddr;

pub const ADMIN_PASSWORD: &str = "Admin-Passw0rd";
pub const SHOPPER_PASSWORD: &str = "Shopper-Passw0rd";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Whether the PostgreSQL variants run: always in CI, never when told to skip, otherwise
/// when a server answers.
pub async fn postgres_available() -> bool {
    let mode = std::env::var("SHOPASSIST_POSTGRES_TESTS").unwrap_or_default();
    if matches!(std::env::var("CI").as_deref(), Ok("true" | "1")) || mode == "run" {
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

/// Whether the test process `pid` is gone. Where `/proc` is missing, every other process
/// counts as gone. (A run that dropped the databases of a run still going made that run's
/// requests fail with 500: seen when two suites ran at once on one PostgreSQL.)
fn process_gone(pid: u32) -> bool {
    pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

async fn drop_stale_databases(admin: &sqlx::PgPool) {
    let stale: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'")
        .bind(PG_PREFIX)
        .fetch_all(admin)
        .await
        .expect("list test databases");
    let owner = |name: &str| name.strip_prefix(PG_PREFIX)?.split('_').next()?.parse::<u32>().ok();
    for name in stale.into_iter().filter(|n| owner(n).is_some_and(process_gone)) {
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
    /// The database both this app and any sibling serve from.
    pub database_url: String,
    /// Served as if behind HTTPS (`secure_cookies`): the origin browsers would send is https.
    pub https: bool,
    _dir: Option<tempfile::TempDir>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A new browser-like client: it keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// A client whose requests come from another loopback address (`127.0.0.x`), as a second
/// machine's would: sign-in counts and hashing turns are kept per address.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().expect("an IP address"))
        .build()
        .expect("client")
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// A server function's refusal: the HTTP status and the error sent with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub error: AppError,
}

/// What a server function answered: its value, or a refusal.
pub type Answer<T> = Result<T, Refusal>;

/// Reading an [`Answer`] in a test.
pub trait AnswerExt {
    /// The refusal; the test fails when the call succeeded.
    fn refused(self) -> Refusal;
    /// 200 when the call succeeded, else the refusal's status.
    fn status(&self) -> u16;
}

impl<T: Debug> AnswerExt for Answer<T> {
    #[track_caller]
    fn refused(self) -> Refusal {
        match self {
            Ok(value) => panic!("expected a refusal, got {value:?}"),
            Err(refusal) => refusal,
        }
    }

    fn status(&self) -> u16 {
        match self {
            Ok(_) => 200,
            Err(refusal) => refusal.status,
        }
    }
}

/// A response as it came: for cookies, and for requests that are malformed on purpose.
#[derive(Debug)]
pub struct Reply {
    pub path: String,
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    async fn read(path: &str, res: reqwest::Response) -> Reply {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().await.unwrap_or_else(|e| panic!("{path}: the body did not arrive: {e}"));
        Reply { path: path.to_string(), status, headers, body }
    }

    /// The body read as a server function's answer: `T` on success, else the `AppError` sent
    /// (whose own status must be the response's).
    #[track_caller]
    pub fn answer<T: DeserializeOwned>(&self) -> Answer<T> {
        let (path, status, body) = (&self.path, self.status, &self.body);
        if (200..300).contains(&status) {
            return Ok(serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{path}: {status} with an answer of another type ({e}): {body}")));
        }
        let error: AppError = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{path}: {status} without an AppError as JSON ({e}): {body}"));
        assert_eq!(status, error.status(), "{path}: answered with another status than its error's: {body}");
        Err(Refusal { status, error })
    }

    /// The `Set-Cookie` header that sets `name`, if any.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
}

/// A server function's arguments as the browser posts them.
pub fn encode(args: &impl Serialize) -> String {
    serde_qs::to_string(args).expect("arguments encode as a query string")
}

// ---------------------------------------------------------------------------------------------
// Grids
// ---------------------------------------------------------------------------------------------

/// An admin grid: its server function (taking a `GridQuery`), its row type and its CSV export.
pub trait Grid: ServerFn + Serialize {
    type Row: DeserializeOwned + Debug + Clone + PartialEq;
    /// The export's name: `/admin/export/<EXPORT>.csv`.
    const EXPORT: &'static str;
    /// The export's header row.
    const CSV_HEADER: &'static [&'static str];
    fn ask(query: GridQuery) -> Self;
    /// The export's record for a row, as the grid shows it.
    fn csv_record(row: &Self::Row) -> Vec<String>;
}

fn status_label(active: bool) -> String {
    if active { "Active" } else { "Inactive" }.to_string()
}

impl Grid for ListCustomers {
    type Row = CustomerRow;
    const EXPORT: &'static str = "customers";
    const CSV_HEADER: &'static [&'static str] =
        &["ID", "First Name", "Last Name", "Email", "Group", "Web Site", "Customer Since", "Status"];
    fn ask(query: GridQuery) -> Self {
        ListCustomers { query }
    }
    fn csv_record(c: &CustomerRow) -> Vec<String> {
        vec![
            c.id.to_string(),
            c.first_name.clone(),
            c.last_name.clone(),
            c.email.clone(),
            c.group.clone(),
            c.website.clone(),
            format_time(c.created_at),
            status_label(c.is_active),
        ]
    }
}

impl Grid for shopassist::api::catalog_admin::ListProducts {
    type Row = shopassist::domain::catalog::ProductRow;
    const EXPORT: &'static str = "products";
    const CSV_HEADER: &'static [&'static str] = &["ID", "SKU", "Name", "Price", "Quantity", "Status", "Featured"];
    fn ask(query: GridQuery) -> Self {
        shopassist::api::catalog_admin::ListProducts { query }
    }
    fn csv_record(p: &Self::Row) -> Vec<String> {
        vec![
            p.id.to_string(),
            p.sku.clone(),
            p.name.clone(),
            shopassist::domain::catalog::price_text(p.price),
            p.qty.to_string(),
            if p.enabled { "Enabled" } else { "Disabled" }.to_string(),
            if p.featured { "Yes" } else { "No" }.to_string(),
        ]
    }
}

impl Grid for ListAdminUsers {
    type Row = AdminUserRow;
    const EXPORT: &'static str = "users";
    const CSV_HEADER: &'static [&'static str] =
        &["ID", "User Name", "First Name", "Last Name", "Email", "Role", "Status"];
    fn ask(query: GridQuery) -> Self {
        ListAdminUsers { query }
    }
    fn csv_record(u: &AdminUserRow) -> Vec<String> {
        vec![
            u.id.to_string(),
            u.username.clone(),
            u.first_name.clone(),
            u.last_name.clone(),
            u.email.clone(),
            u.role_name.clone(),
            status_label(u.is_active),
        ]
    }
}

impl Grid for ListRoles {
    type Row = RoleSummary;
    const EXPORT: &'static str = "roles";
    const CSV_HEADER: &'static [&'static str] = &["ID", "Role", "Resources", "Users"];
    fn ask(query: GridQuery) -> Self {
        ListRoles { query }
    }
    fn csv_record(r: &RoleSummary) -> Vec<String> {
        let resources = if r.all_resources { "All" } else { "Custom" };
        vec![r.id.to_string(), r.name.clone(), resources.to_string(), r.users.to_string()]
    }
}

impl Grid for ListStoreViews {
    type Row = StoreView;
    const EXPORT: &'static str = "stores";
    const CSV_HEADER: &'static [&'static str] = &["ID", "Web Site", "Store", "Store View", "Code"];
    fn ask(query: GridQuery) -> Self {
        ListStoreViews { query }
    }
    fn csv_record(v: &StoreView) -> Vec<String> {
        vec![v.id.to_string(), v.website_name.clone(), v.group_name.clone(), v.name.clone(), v.code.clone()]
    }
}

/// A CSV export as it came.
#[derive(Debug)]
pub struct Csv {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Csv {
    /// Every record, the header row first.
    pub fn records(&self) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(self.body.as_bytes())
            .records()
            .map(|r| r.expect("a CSV record").iter().map(str::to_string).collect())
            .collect()
    }
}

/// A query for one page of a grid, sorted by `sort` in `dir`.
pub fn sorted(sort: &str, dir: &str) -> GridQuery {
    GridQuery { sort: sort.into(), dir: dir.into(), ..Default::default() }
}

/// A query with a search text.
pub fn searching(text: &str) -> GridQuery {
    GridQuery { search: text.into(), ..Default::default() }
}

/// A query with one filter.
pub fn filtered(key: &str, value: impl ToString) -> GridQuery {
    GridQuery { filters: BTreeMap::from([(key.to_string(), value.to_string())]), ..Default::default() }
}

/// The same query on the page after `page` (its `next` cursor).
pub fn next_of<R>(page: &GridPage<R>) -> Option<GridQuery> {
    page.next.as_ref().map(|c| GridQuery { after: c.clone(), before: String::new(), ..page.query.clone() })
}

/// The same query on the page before `page` (its `prev` cursor).
pub fn prev_of<R>(page: &GridPage<R>) -> Option<GridQuery> {
    page.prev.as_ref().map(|c| GridQuery { before: c.clone(), after: String::new(), ..page.query.clone() })
}

/// `html` with the content of each `<script>` element left out (the tags stay).
pub fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let Some(tag_end) = rest[open..].find('>').map(|e| open + e + 1) else { break };
        out.push_str(&rest[..tag_end]);
        rest = &rest[tag_end..];
        let close = rest.find("</script>").unwrap_or(rest.len());
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Complete, valid forms
// ---------------------------------------------------------------------------------------------

pub fn sign_in_form(username: &str, password: &str) -> SignInForm {
    SignInForm { username: username.into(), password: password.into() }
}

/// A new, active admin user in `role_id`, saved with the acting admin's password.
pub fn user_form(username: &str, role_id: i64) -> AdminUserForm {
    AdminUserForm {
        id: String::new(),
        username: username.into(),
        first_name: "Test".into(),
        last_name: "User".into(),
        email: format!("{username}@example.com"),
        password: "User-Passw0rd".into(),
        password_confirmation: "User-Passw0rd".into(),
        role_id: role_id.to_string(),
        is_active: Checkbox(true),
        display_name: None,
        interface_locale: None,
        current_password: ADMIN_PASSWORD.into(),
    }
}

/// The user edit form of an existing user as it stands (no new password).
pub fn edit_user_form(u: AdminUserRow) -> AdminUserForm {
    AdminUserForm {
        id: u.id.to_string(),
        username: u.username,
        first_name: u.first_name,
        last_name: u.last_name,
        email: u.email,
        password: String::new(),
        password_confirmation: String::new(),
        role_id: u.role_id.to_string(),
        is_active: Checkbox(u.is_active),
        display_name: None,
        interface_locale: None,
        current_password: ADMIN_PASSWORD.into(),
    }
}

/// A new role with Custom access to `resources` (comma-separated ids), moving nobody, saved
/// with the acting admin's password.
pub fn role_form(name: &str, resources: &str) -> RoleForm {
    RoleForm {
        id: String::new(),
        name: name.into(),
        access: "custom".into(),
        resources: resources.into(),
        add_users: String::new(),
        scope: None,
        websites: None,
        current_password: ADMIN_PASSWORD.into(),
    }
}

/// One configuration section at one scope with `values` (form keys: the path with dots) and
/// no field returned to inheriting.
pub fn config_form(scope: &str, section: &str, values: &[(&str, &str)]) -> ConfigForm {
    ConfigForm {
        scope: scope.into(),
        section: section.into(),
        fields: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        inherit: BTreeMap::new(),
    }
}

/// Account Information in the admin as it stands: saving it changes nothing.
pub fn customer_form(c: &CustomerDetail) -> CustomerForm {
    CustomerForm {
        id: c.id.to_string(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        group_id: c.group_id.to_string(),
        is_active: Checkbox(c.is_active),
        assistance_allowed: None,
    }
}

/// Registration on the default store view with [`SHOPPER_PASSWORD`].
pub fn register_form(first: &str, last: &str, email: &str) -> RegisterForm {
    RegisterForm {
        store: String::new(),
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        password: SHOPPER_PASSWORD.into(),
        password_confirmation: SHOPPER_PASSWORD.into(),
        assistance_allowed: None,
    }
}

/// Shopper sign-in on the default store view.
pub fn customer_sign_in_form(email: &str, password: &str) -> CustomerSignInForm {
    CustomerSignInForm { store: String::new(), email: email.into(), password: password.into() }
}

/// Account Information on the storefront with new names and neither box ticked, so the email
/// and password inputs stay disabled and are not posted.
pub fn account_form(first: &str, last: &str) -> AccountForm {
    AccountForm {
        first_name: first.into(),
        last_name: last.into(),
        change_email: Checkbox(false),
        change_password: Checkbox(false),
        email: None,
        current_password: None,
        password: None,
        password_confirmation: None,
        assistance_allowed: None,
    }
}

// ---------------------------------------------------------------------------------------------
// The action log
// ---------------------------------------------------------------------------------------------

/// One action log entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LogEntry {
    pub action_group: String,
    pub action: String,
    pub actor_type: String,
    pub admin_id: Option<i64>,
    pub admin_username: String,
    pub customer_id: Option<i64>,
    pub assistance_session_id: Option<i64>,
    pub target_type: String,
    pub target_id: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub result: String,
}

/// The settings every test app starts from.
fn test_settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_string(),
        secure_cookies: false,
        max_body_bytes: 64 * 1024,
        log_json: false,
        hash_concurrency: 2,
        hash_wait_ms: 10_000,
        customer_session_idle_secs: 3600,
        smtp_url: None,
        mail_from: "store@example.com".into(),
        api_calls_per_minute: 600,
        api_refusals_log_ms: 200,
        webhook_timeout_ms: 2_000,
        webhook_retry_base_ms: 200,
        webhook_poll_ms: 50,
        webhook_allow_local: true,
        public_url: None,
        redis_url: None,
    }
}

/// The server log of every app this test process runs (the newest 16 MiB), spans included:
/// each request's span names its host, so [`TestApp::server_log`] finds an app's own lines.
static SERVER_LOG: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut log = SERVER_LOG.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() + bytes.len() > 16 << 20 {
            let keep = log.len() / 2;
            log.drain(..keep);
        }
        log.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends the apps' log to [`SERVER_LOG`] (and, with SHOPASSIST_TEST_LOG=<file>, to that file
/// instead), at RUST_LOG's level or `info`.
fn capture_server_log() {
    use tracing_subscriber::fmt::format::FmtSpan;
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_sessions=warn"))
    };
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_ansi(false)
        .with_thread_ids(true)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE);
    let _ = match std::env::var("SHOPASSIST_TEST_LOG") {
        Ok(path) => subscriber.with_writer(std::sync::Mutex::new(std::fs::File::create(path).unwrap())).try_init(),
        Err(_) => subscriber.with_writer(|| LogWriter).try_init(),
    };
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with settings changed by `adjust` first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        capture_server_log();
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
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut settings = test_settings(&url);
        // Links the store writes point at this app (a test may say otherwise in `adjust`).
        settings.public_url = Some(format!("http://{addr}"));
        adjust(&mut settings);
        let database_url = settings.database_url.clone();
        let https = settings.secure_cookies;
        let mut options = app::leptos_options().expect("leptos options");
        // No release build here, so no file of hashed asset names to read.
        options.hash_files = false;
        let state = app::state(settings, options).await.expect("state");
        let db = state.db.clone();
        let hasher = state.hasher.clone();
        shopassist::server::demo::load(
            &db,
            &shopassist::server::demo::Sizes {
                customers: 0,
                customers_only: false,
                log_entries: 0,
                products: Some(0),
                orders: Some(0),
            },
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
        let server = tokio::spawn(async move {
            let _ = app::serve(state, listener).await;
        });
        TestApp { addr, db, backend, hasher, pg_database, database_url, https, _dir: dir, server }
    }

    /// An app state over this app's database, for calling server-side work directly (such as
    /// the session sweeper) as the server's background tasks do.
    pub async fn state(&self) -> shopassist::server::state::AppState {
        let mut options = app::leptos_options().expect("leptos options");
        options.hash_files = false;
        shopassist::server::state::AppState::new(
            self.db.clone(),
            self.hasher.clone(),
            test_settings(&self.database_url),
            options,
        )
    }

    /// A second app process on the same database (as two servers behind a load balancer): its
    /// own state, pools and background work; same cookies, since they live in the database.
    /// Returns its address; it stops when the handle is dropped... or aborted by the caller.
    pub async fn sibling(&self) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        self.sibling_with(|_| {}).await
    }

    /// [`TestApp::sibling`] with its settings changed by `adjust` first.
    pub async fn sibling_with(&self, adjust: impl FnOnce(&mut Settings)) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        let mut settings = test_settings(&self.database_url);
        adjust(&mut settings);
        let mut options = app::leptos_options().expect("leptos options");
        options.hash_files = false;
        let state = app::state(settings, options).await.expect("sibling state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let _ = app::serve(state, listener).await;
        });
        (addr, server)
    }

    /// Stops serving, and the background work that goes with it, keeping the database: for
    /// what the command line does while no server runs.
    pub async fn stop_server(&self) {
        self.server.abort();
        while !self.server.is_finished() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// The `Origin` a browser on this app sends.
    pub fn origin(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    // -- Requests ------------------------------------------------------------------------------

    /// Posts `body` to `path` as a form, as the browser's client does (urlencoded, asking for
    /// JSON), with `headers` added. For requests that are malformed on purpose.
    pub async fn post_raw_with(
        &self,
        c: &reqwest::Client,
        path: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = c
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body);
        // A browser says where a POST came from; tests that forge it pass their own `origin`.
        if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("origin")) {
            req = req.header("origin", self.origin());
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        // Given 30 seconds: a request the server never answers fails its test, naming the path.
        let res = req.timeout(std::time::Duration::from_secs(30)).send().await;
        Reply::read(path, res.unwrap_or_else(|e| panic!("POST {path}: {e}\n{}", self.server_log()))).await
    }

    /// Posts `body` to `path` as a form. For requests that are malformed on purpose.
    pub async fn post_raw(&self, c: &reqwest::Client, path: &str, body: impl Into<reqwest::Body>) -> Reply {
        self.post_raw_with(c, path, body, &[]).await
    }

    /// Calls a server function with its arguments and keeps the whole response.
    pub async fn send<F: ServerFn + Serialize>(&self, c: &reqwest::Client, args: &F) -> Reply {
        self.post_raw(c, F::PATH, encode(args)).await
    }

    /// Calls a server function with its arguments.
    pub async fn call<F>(&self, c: &reqwest::Client, args: &F) -> Answer<F::Output>
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        self.send(c, args).await.answer()
    }

    /// Calls a server function whose answer the admin pages decode in their views
    /// ([`Deferred`]): on the wire it is the value itself, read here as its type.
    pub async fn load<F, T>(&self, c: &reqwest::Client, args: &F) -> Answer<T>
    where
        F: ServerFn<Output = Deferred<T>> + Serialize,
        T: DeserializeOwned,
    {
        self.send(c, args).await.answer()
    }

    /// A GET, given 20 seconds: a request that stalls fails the test with its path and what
    /// this app's server logged. There is no second try, so a hang cannot pass unseen.
    pub async fn get(&self, c: &reqwest::Client, path: &str) -> reqwest::Response {
        match c.get(self.url(path)).timeout(std::time::Duration::from_secs(20)).send().await {
            Ok(res) => res,
            Err(e) if e.is_timeout() => panic!("STALL: GET {path} gave no answer in 20 s\n{}", self.server_log()),
            Err(e) => panic!("GET {path}: {e}\n{}", self.server_log()),
        }
    }

    /// A page's HTML; a body that stalls fails the test, like [`Self::get`].
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        match self.get(c, path).await.text().await {
            Ok(body) => body,
            Err(e) if e.is_timeout() => panic!("STALL: GET {path}: the body stalled\n{}", self.server_log()),
            Err(e) => panic!("GET {path}: the body did not arrive: {e}\n{}", self.server_log()),
        }
    }

    /// What this app's server logged (its requests name its port), for a failing test to show.
    pub fn server_log(&self) -> String {
        server_log_of(self.addr)
    }
}

/// What the app listening on `addr` logged (see [`TestApp::server_log`]).
pub fn server_log_of(addr: SocketAddr) -> String {
    let host = format!("127.0.0.1:{}", addr.port());
    let log = SERVER_LOG.lock().unwrap_or_else(|e| e.into_inner());
    let text = String::from_utf8_lossy(&log);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(&host)).collect();
    let shown = &lines[lines.len().saturating_sub(200)..];
    format!("server log of {host} (last {} of {} lines):\n{}", shown.len(), lines.len(), shown.join("\n"))
}

impl TestApp {
    /// A page's HTML without what its scripts carry, for asserting on what the page shows: every
    /// page embeds the whole of its area's translations in a script (`dynamic_load`), so a
    /// static text is found in the raw HTML whether it is shown or not.
    pub async fn page_shown(&self, c: &reqwest::Client, path: &str) -> String {
        without_scripts(&self.page(c, path).await)
    }

    // -- Admin ---------------------------------------------------------------------------------

    pub async fn sign_in(&self, c: &reqwest::Client, form: &SignInForm) -> Answer<()> {
        self.call(c, &AdminSignIn { form: form.clone() }).await
    }

    pub async fn sign_out(&self, c: &reqwest::Client) -> Answer<()> {
        self.call(c, &AdminSignOut {}).await
    }

    pub async fn me(&self, c: &reqwest::Client) -> Answer<Option<AdminMe>> {
        self.load(c, &GetAdminMe {}).await
    }

    pub async fn save_user(&self, c: &reqwest::Client, form: &AdminUserForm) -> Answer<i64> {
        self.call(c, &SaveAdminUser { form: form.clone() }).await
    }

    pub async fn user(&self, c: &reqwest::Client, id: i64) -> Answer<UserEditData> {
        self.load(c, &AdminUserEditData { id: id.to_string() }).await
    }

    pub async fn users(&self, c: &reqwest::Client, query: &GridQuery) -> Answer<GridPage<AdminUserRow>> {
        self.grid::<ListAdminUsers>(c, query).await
    }

    pub async fn save_role(&self, c: &reqwest::Client, form: &RoleForm) -> Answer<i64> {
        self.call(c, &SaveRole { form: form.clone() }).await
    }

    pub async fn role(&self, c: &reqwest::Client, id: i64) -> Answer<Option<RoleDetail>> {
        self.role_page(c, id).await.map(|p| p.role)
    }

    /// The role edit page's data, with what the viewer may not change.
    pub async fn role_page(&self, c: &reqwest::Client, id: i64) -> Answer<RolePageData> {
        self.load(c, &RoleEditData { id: id.to_string() }).await
    }

    pub async fn roles(&self, c: &reqwest::Client, query: &GridQuery) -> Answer<GridPage<RoleSummary>> {
        self.grid::<ListRoles>(c, query).await
    }

    pub async fn config_screen(&self, c: &reqwest::Client, scope: &str, section: &str) -> Answer<ConfigScreen> {
        self.load(c, &GetConfigScreen { scope: scope.into(), section: section.into() }).await
    }

    pub async fn save_config(&self, c: &reqwest::Client, form: &ConfigForm) -> Answer<()> {
        self.call(c, &SaveConfig { form: form.clone() }).await
    }

    pub async fn customers(&self, c: &reqwest::Client, query: &GridQuery) -> Answer<GridPage<CustomerRow>> {
        self.grid::<ListCustomers>(c, query).await
    }

    pub async fn customer(&self, c: &reqwest::Client, id: i64) -> Answer<CustomerEditData> {
        self.load(c, &GetCustomerEditData { id: id.to_string() }).await
    }

    pub async fn save_customer(&self, c: &reqwest::Client, form: &CustomerForm) -> Answer<()> {
        self.call(c, &SaveCustomer { form: form.clone() }).await
    }

    pub async fn stores(&self, c: &reqwest::Client, query: &GridQuery) -> Answer<GridPage<StoreView>> {
        self.grid::<ListStoreViews>(c, query).await
    }

    /// One page of a grid.
    pub async fn grid<G: Grid>(&self, c: &reqwest::Client, query: &GridQuery) -> Answer<GridPage<G::Row>> {
        self.send(c, &G::ask(query.clone())).await.answer()
    }

    /// Every page of a grid from `query` on, following `next` to the end.
    pub async fn grid_pages<G: Grid>(&self, c: &reqwest::Client, query: &GridQuery) -> Vec<GridPage<G::Row>> {
        let mut pages = vec![self.grid::<G>(c, query).await.expect("first page")];
        while let Some(next) = next_of(pages.last().expect("a page")) {
            assert!(pages.len() < 1_000, "next never ends");
            pages.push(self.grid::<G>(c, &next).await.expect("next page"));
        }
        pages
    }

    /// A grid's CSV export for `query`, asked for as the grid's Export link does.
    pub async fn export<G: Grid>(&self, c: &reqwest::Client, query: &GridQuery) -> Csv {
        let res = self.get(c, &query.first_page().href(&format!("/admin/export/{}.csv", G::EXPORT))).await;
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().expect("content type").to_string())
            .unwrap_or_default();
        Csv { status, content_type, body: res.text().await.expect("export body") }
    }

    /// A new browser-like client signed in as `username`.
    pub async fn admin_client(&self, username: &str, password: &str) -> reqwest::Client {
        let c = client();
        if let Err(refusal) = self.sign_in(&c, &sign_in_form(username, password)).await {
            panic!("sign in as {username}: {refusal:?}");
        }
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

    // -- Storefront ----------------------------------------------------------------------------

    pub async fn register(&self, c: &reqwest::Client, form: &RegisterForm) -> Answer<String> {
        self.call(c, &Register { form: form.clone() }).await
    }

    pub async fn customer_sign_in(&self, c: &reqwest::Client, form: &CustomerSignInForm) -> Answer<String> {
        self.call(c, &CustomerSignIn { form: form.clone() }).await
    }

    pub async fn customer_sign_out(&self, c: &reqwest::Client) -> Answer<()> {
        self.call(c, &CustomerSignOut {}).await
    }

    pub async fn account(&self, c: &reqwest::Client) -> Answer<CustomerMe> {
        self.call(c, &AccountInfo { store: String::new() }).await
    }

    pub async fn save_account(&self, c: &reqwest::Client, form: &AccountForm) -> Answer<()> {
        self.call(c, &SaveAccountInfo { store: String::new(), form: form.clone() }).await
    }

    /// Saves Account Information on store view `store` (while assisting a customer of another
    /// website than the default store view's, their own store view).
    pub async fn save_account_on(&self, c: &reqwest::Client, store: &str, form: &AccountForm) -> Answer<()> {
        self.call(c, &SaveAccountInfo { store: store.into(), form: form.clone() }).await
    }

    /// Registers a shopper on the default store view; returns their signed-in client.
    pub async fn shopper(&self, first: &str, last: &str, email: &str) -> reqwest::Client {
        let c = client();
        if let Err(refusal) = self.register(&c, &register_form(first, last, email)).await {
            panic!("register {email}: {refusal:?}");
        }
        c
    }

    // -- The database --------------------------------------------------------------------------

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.db.pool).await.expect("count")
    }

    pub async fn log_count(&self) -> i64 {
        self.count("action_log").await
    }

    /// The action log, oldest first.
    pub async fn log(&self) -> Vec<LogEntry> {
        sqlx::query_as(
            "SELECT action_group, action, actor_type, admin_id, admin_username, customer_id, assistance_session_id, \
             target_type, target_id, old_value, new_value, result FROM action_log ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .expect("action log")
    }

    /// The log entries written after the first `since`.
    pub async fn log_since(&self, since: usize) -> Vec<LogEntry> {
        self.log().await.split_off(since)
    }

    pub async fn id_of(&self, sql: &str, key: &str) -> i64 {
        sqlx::query_scalar(sql).bind(key).fetch_one(&self.db.pool).await.unwrap_or_else(|e| panic!("{sql} {key}: {e}"))
    }

    /// The sign-in count for an account name from an address: (failures, lockouts, minutes
    /// left on the lock), or `None` when nothing is counted.
    pub async fn throttle(&self, kind: &str, account: &str, ip: &str) -> Option<(i64, i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT failures, lockouts, locked_until FROM sign_in_throttle WHERE kind = $1 AND account = $2 AND ip = $3",
        )
        .bind(kind)
        .bind(account)
        .bind(ip)
        .fetch_optional(&self.db.pool)
        .await
        .expect("throttle row")?;
        let until: Option<i64> = row.try_get("locked_until").unwrap();
        let left = until.map(|t| (t - shopassist::server::db::now_ms() + 30_000) / 60_000);
        Some((row.try_get("failures").unwrap(), row.try_get("lockouts").unwrap(), left))
    }

    /// Ends the lock on an account name from an address, as if its time were up.
    pub async fn let_lock_expire(&self, kind: &str, account: &str) {
        sqlx::query("UPDATE sign_in_throttle SET locked_until = 1 WHERE kind = $1 AND account = $2")
            .bind(kind)
            .bind(account)
            .execute(&self.db.pool)
            .await
            .expect("expire lock");
    }

    pub async fn admin_id(&self, username: &str) -> i64 {
        self.id_of("SELECT id FROM admin_users WHERE username = $1", username).await
    }

    pub async fn role_id(&self, name: &str) -> i64 {
        self.id_of("SELECT id FROM admin_roles WHERE name = $1", name).await
    }

    pub async fn website_id(&self, code: &str) -> i64 {
        self.id_of("SELECT id FROM websites WHERE code = $1", code).await
    }

    pub async fn store_view_id(&self, code: &str) -> i64 {
        self.id_of("SELECT id FROM store_views WHERE code = $1", code).await
    }

    pub async fn customer_id(&self, email: &str) -> i64 {
        self.id_of("SELECT id FROM customers WHERE email_normalized = $1", email).await
    }
}

/// Runs a test, failing it (with its app's server log) if it has not finished in five
/// minutes: a hung request must fail the run, not hold it until CI's own limit.
pub async fn within_deadline(name: &str, addr: SocketAddr, test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(300), test).await.is_err() {
        panic!("{name} did not finish in 300 s\n{}", server_log_of(addr));
    }
}

/// Runs each listed async test function against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $crate::on_both_databases!(with |_| {}; $($name),*);
    };
    // Each app spawned with its settings changed by `$adjust` first.
    (with $adjust:expr; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, $adjust).await;
                    $crate::helpers::within_deadline(::std::stringify!($name), app.addr, super::$name(app)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(postgres_tests_skipped, ignore = "no PostgreSQL answered (SHOPASSIST_POSTGRES_TESTS=skip)")]
                async fn $name() {
                    if $crate::helpers::postgres_available().await {
                        let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Postgres, $adjust).await;
                        let database = app.pg_database.clone();
                        let addr = app.addr;
                        $crate::helpers::within_deadline(::std::stringify!($name), addr, super::$name(app)).await;
                        $crate::helpers::drop_pg_database(database).await;
                    }
                }
            )*
        }
    };
}
