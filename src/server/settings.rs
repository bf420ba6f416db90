//! Settings read from the environment at start. Store behaviour lives in the database
//! configuration instead (Stores > Settings > Configuration).

use std::env;

/// Process-level settings. See README "Settings" for each one.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite://data/shopassist.db` (default) or `postgres://…`.
    pub database_url: String,
    /// `SHOPASSIST_SECURE_COOKIES`: mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// `SHOPASSIST_MAX_BODY_BYTES`: largest request body accepted (default 64 KiB).
    pub max_body_bytes: usize,
    /// `SHOPASSIST_LOG_FORMAT`: `json` or `pretty` (default).
    pub log_json: bool,
    /// `SHOPASSIST_HASH_CONCURRENCY`: password hashes computed at once (default: half the cores).
    pub hash_concurrency: usize,
    /// `SHOPASSIST_HASH_WAIT_MS`: how long a sign-in waits for its turn to hash before it is
    /// answered "try again in a moment" (default 10000).
    pub hash_wait_ms: u64,
    /// `SHOPASSIST_CUSTOMER_SESSION_IDLE`: seconds an idle shopper stays signed in (default 3600).
    pub customer_session_idle_secs: i64,
    /// `SHOPASSIST_SMTP_URL`: `smtp://host:port` of the relay that sends the outbox (the
    /// customer notices); unset keeps messages in the outbox, unsent.
    pub smtp_url: Option<String>,
    /// `SHOPASSIST_MAIL_FROM`: the sender address of outgoing mail (default `store@localhost`).
    pub mail_from: String,
    /// `SHOPASSIST_API_CALLS_PER_MINUTE`: each integration token's request budget (default 600).
    pub api_calls_per_minute: u32,
    /// `SHOPASSIST_API_REFUSALS_LOG_MS`: calls refused over a token's budget are written to
    /// the action log as one entry per token per this many milliseconds (default 10000).
    pub api_refusals_log_ms: u64,
    /// `SHOPASSIST_WEBHOOK_TIMEOUT_MS`: how long a webhook receiver may take to answer (default 10000).
    pub webhook_timeout_ms: u64,
    /// `SHOPASSIST_WEBHOOK_RETRY_MS`: the wait after a webhook's first failed delivery, doubled
    /// after each further one (default 10000).
    pub webhook_retry_base_ms: i64,
    /// `SHOPASSIST_WEBHOOK_POLL_MS`: how often the webhook outbox is read (default 1000).
    pub webhook_poll_ms: u64,
    /// `SHOPASSIST_WEBHOOK_ALLOW_LOCAL`: accept `http://localhost` webhooks (development only).
    pub webhook_allow_local: bool,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/shopassist.db";

fn flag(name: &str) -> bool {
    matches!(env::var(name).as_deref(), Ok("1" | "true" | "yes"))
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> T {
    env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl Settings {
    pub fn from_env() -> Settings {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Settings {
            database_url: env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string()),
            secure_cookies: flag("SHOPASSIST_SECURE_COOKIES"),
            max_body_bytes: number("SHOPASSIST_MAX_BODY_BYTES", 64 * 1024),
            log_json: env::var("SHOPASSIST_LOG_FORMAT").is_ok_and(|v| v == "json"),
            hash_concurrency: number("SHOPASSIST_HASH_CONCURRENCY", (cores / 2).max(1)),
            hash_wait_ms: number("SHOPASSIST_HASH_WAIT_MS", 10_000),
            customer_session_idle_secs: number("SHOPASSIST_CUSTOMER_SESSION_IDLE", 3600),
            smtp_url: env::var("SHOPASSIST_SMTP_URL").ok().filter(|v| !v.is_empty()),
            mail_from: env::var("SHOPASSIST_MAIL_FROM").unwrap_or_else(|_| "store@localhost".into()),
            api_calls_per_minute: number("SHOPASSIST_API_CALLS_PER_MINUTE", 600),
            api_refusals_log_ms: number("SHOPASSIST_API_REFUSALS_LOG_MS", 10_000),
            webhook_timeout_ms: number("SHOPASSIST_WEBHOOK_TIMEOUT_MS", 10_000),
            webhook_retry_base_ms: number("SHOPASSIST_WEBHOOK_RETRY_MS", 10_000),
            webhook_poll_ms: number("SHOPASSIST_WEBHOOK_POLL_MS", 1_000),
            webhook_allow_local: flag("SHOPASSIST_WEBHOOK_ALLOW_LOCAL"),
        }
    }
}
