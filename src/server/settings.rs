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
    /// `SHOPASSIST_PUBLIC_URL`: the address shoppers and admins reach the store at (such as
    /// `https://shop.example.com`), for every absolute link the store writes (the JSON API's
    /// `open_url`, emails, webhook payloads); unset, the listening address. Never a request's
    /// `Host` header.
    pub public_url: Option<String>,
    /// `REDIS_URL`: `redis://host:port` of the Redis that keeps the full-page cache, shared by
    /// every app instance; unset, each process keeps its own.
    pub redis_url: Option<String>,
}

/// `raw` as a public URL: `http` or `https`, a host, optionally a port, and no path, query,
/// fragment or credentials; written back without a trailing slash.
pub fn parse_public_url(raw: &str) -> Result<String, String> {
    let bad = |why: &str| format!("SHOPASSIST_PUBLIC_URL={raw:?}: {why} (example: https://shop.example.com)");
    let url = url::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("a host is needed"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("no user name or password"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad("no path, query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
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
            public_url: env::var("SHOPASSIST_PUBLIC_URL").ok().filter(|v| !v.trim().is_empty()),
            redis_url: env::var("REDIS_URL").ok().filter(|v| !v.trim().is_empty()),
        }
    }
}

#[cfg(test)]
mod readme_tests {
    //! README.md's Settings table against the environment variables the code reads: each
    //! `"SHOPASSIST_…"` string literal under `src/`, and `DATABASE_URL`.

    use std::collections::BTreeSet;
    use std::path::Path;

    const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    /// How a literal naming one of our variables starts (this file's own literals don't match:
    /// a name needs at least one character after the prefix, then the closing quote).
    const OPENING: &str = "\"SHOPASSIST_";

    /// The names in the first column of the table under README.md's `## Settings`.
    fn table(readme: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut in_settings = false;
        for line in readme.lines() {
            if line.starts_with("## ") {
                in_settings = line.trim_end() == "## Settings";
                continue;
            }
            if !in_settings {
                continue;
            }
            if let Some((name, _)) = line.strip_prefix("| `").and_then(|rest| rest.split_once('`')) {
                names.insert(name.to_string());
            }
        }
        names
    }

    /// The variable names in `text`'s string literals `"SHOPASSIST_…"` (capitals, digits and
    /// underscores up to the closing quote).
    fn literals(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (at, _) in text.match_indices(OPENING) {
            let rest = &text[at + 1..];
            let len =
                rest.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')).unwrap_or(rest.len());
            if len > OPENING.len() - 1 && rest[len..].starts_with('"') {
                found.push(rest[..len].to_string());
            }
        }
        // Variables the store shares with other programs keep their usual names (`REDIS_URL`).
        for (at, _) in text.match_indices("env::var(\"") {
            let rest = &text[at + "env::var(\"".len()..];
            if let Some(end) = rest.find('"') {
                let name = &rest[..end];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
                    found.push(name.to_string());
                }
            }
        }
        found
    }

    /// Adds the names in the string literals of every `.rs` file under `dir`.
    fn read_in(dir: &Path, names: &mut BTreeSet<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())).path();
            if path.is_dir() {
                read_in(&path, names);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                names.extend(literals(&text));
            }
        }
    }

    /// Variables the table may list though no literal under `src/` names them: Leptos reads its
    /// own (`LEPTOS_…`) and the log filter reads `RUST_LOG`.
    fn read_by_a_dependency(name: &str) -> bool {
        name == "RUST_LOG" || name.starts_with("LEPTOS_")
    }

    #[test]
    fn the_settings_table_lists_exactly_the_variables_the_code_reads() {
        let readme = std::fs::read_to_string(README).unwrap_or_else(|e| panic!("reading {README}: {e}"));
        let listed = table(&readme);
        let mut read = BTreeSet::from(["DATABASE_URL".to_string()]);
        read_in(Path::new(SRC), &mut read);
        let unlisted: Vec<&String> = read.difference(&listed).collect();
        assert!(unlisted.is_empty(), "read by the code but missing from README.md's Settings table: {unlisted:?}");
        let unread: Vec<&String> = listed
            .iter()
            .filter(|name| !read.contains(name.as_str()) && !read_by_a_dependency(name.as_str()))
            .collect();
        assert!(unread.is_empty(), "in README.md's Settings table but read nowhere under src/: {unread:?}");
    }
}
