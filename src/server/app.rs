//! Builds the router (pages, server functions, static files, layers) and serves it.

use super::db::{chain, Db};
use super::password::Hasher;
use super::session::{cookie_names, rename_admin, rename_customer};
use super::settings::Settings;
use super::state::AppState;
use super::{handoff, http};
use crate::app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Leptos options from this crate's Cargo.toml metadata, overridable by `LEPTOS_*` variables.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    Ok(leptos::config::get_config_from_str(include_str!("../../Cargo.toml"))?)
}

/// Opens the database, applies migrations and builds the state.
pub async fn state(settings: Settings, leptos: LeptosOptions) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let hasher = Hasher::new(settings.hash_concurrency, Duration::from_millis(settings.hash_wait_ms));
    Ok(AppState::new(db, hasher, settings, leptos))
}

/// The app's routes, walked once per process. Walking them sets leptos_server's process-wide
/// "suppress resource loads" flag, and a resource first polled while it is set waits forever
/// (leptos-rs/leptos#4773): a second router built in a serving process (each test app builds
/// one) made a page of another app hang about once in six full test runs.
static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
    std::sync::LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let routes = ROUTES.clone();
    let https = state.settings.secure_cookies;
    let [admin_cookie, store_cookie] = cookie_names(https);
    let policy = http::Policy { https, cookies: [admin_cookie, store_cookie] };
    let admin_sessions = SessionManagerLayer::new(state.db.sessions.clone())
        .with_name(admin_cookie)
        .with_path("/admin")
        .with_same_site(SameSite::Strict)
        .with_http_only(true)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(900)));
    let customer_sessions = SessionManagerLayer::new(state.db.sessions.clone())
        .with_name(store_cookie)
        .with_path("/")
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.settings.customer_session_idle_secs)));
    let context_state = state.clone();
    let max_body = state.settings.max_body_bytes;

    let api_state = state.clone();
    let site = Router::new()
        .route("/health", get(http::health))
        .route("/ready", get(http::ready))
        .route("/admin/export/{file}", get(http::export_csv))
        .route(handoff::OPEN_PATH, get(handoff::open))
        .route(handoff::REDEEM_PATH, axum::routing::post(handoff::redeem))
        .leptos_routes_with_context(&state, routes, move || provide_context(context_state.clone()), {
            let options = state.leptos.clone();
            move || shell(options.clone())
        })
        // The fallback (static files, and pages for unknown paths) renders the app too, so it
        // needs the same context as the routes: without it a 404 page logged "AppState missing".
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::page_cache::layer))
        .layer(axum::middleware::from_fn_with_state(state, super::locale::choose))
        .layer(axum::middleware::from_fn(http::server_fn_status))
        .layer(axum::middleware::from_fn(super::guard::shopper_once))
        .layer(axum::middleware::from_fn(rename_customer))
        .layer(customer_sessions)
        .layer(axum::middleware::from_fn(rename_admin))
        .layer(admin_sessions)
        .layer(axum::middleware::from_fn_with_state(policy.clone(), http::same_origin));
    // The JSON API sits beside the site, outside its session and same-origin layers: it reads
    // no cookies and takes its identity from the bearer token alone.
    Router::new()
        .merge(super::rest::router(api_state))
        .merge(site)
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(axum::middleware::from_fn_with_state(policy, http::security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), host = ?req.headers().get("host"))
        }))
}

/// Serves until the listener fails or a shutdown signal arrives; in-flight requests finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    tokio::spawn(state.db.sessions.clone().delete_expired_forever(Duration::from_secs(60)));
    tokio::spawn(super::db::lockout::prune_forever(state.db.pool.clone(), Duration::from_secs(3600)));
    tokio::spawn(super::db::integrations::forget_old_keys_forever(state.db.pool.clone(), Duration::from_secs(3600)));
    tokio::spawn(super::assist::sweep_forever(state.clone(), Duration::from_secs(30)));
    tokio::spawn(super::mail::send_forever(state.clone(), Duration::from_secs(2)));
    let watched = state.clone();
    tokio::spawn(super::kept::watch_forever(state.db.pool.clone(), move || {
        watched.kept.forget();
        watched.page_cache.forget_settings();
    }));
    let db = state.db.clone();
    // Webhooks go out from this task too: a test's (or a crashed) server stops sending with it,
    // and what it had not delivered is sent by the next one.
    let webhook_state = state.clone();
    let app = router(state);
    let serving = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .into_future();
    // The sealer runs in this task, not a spawned one, so it stops when serving stops (or is
    // dropped, as a test's app is); what the last requests logged is sealed on the way out.
    tokio::select! {
        served = serving => served?,
        () = chain::seal_forever(db.clone()) => {}
        () = super::webhooks::deliver_forever(webhook_state) => {}
    }
    if let Err(err) = chain::seal_pending(&db).await {
        tracing::warn!(%err, "sealing the last action log entries failed");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}
