//! Structured logs: one span per request (see `http`), JSON or human-readable.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
}
