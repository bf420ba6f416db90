//! The JSON API under `/api/v1`, for helpdesks and CRMs.
//!
//! - A call carries `Authorization: Bearer <token>` (System > Integrations). The token acts
//!   as its admin user with that user's role as it is at the call: the same guards, actions
//!   and grids as the screens, so no check exists twice. No cookies are read or set, so there
//!   is nothing for another site to forge.
//! - Every call with a known token is in the action log (group `Integrations`, actor
//!   `integration`, the token's name with the client's user agent); the changes a call makes
//!   are logged by their actions as on the screen, in their transactions. Calls refused over
//!   the budget are counted and logged as one entry per token every few seconds, so a flood
//!   is on record without becoming a flood of entries.
//! - Each token has a request budget (429 with `Retry-After`), bodies and pages are capped,
//!   and refusals are `application/problem+json` with a stable code ([`problem`]).
//! - The OpenAPI 3.1 document at `/api/v1/openapi.json` is made from the handlers and their
//!   types by utoipa: a route cannot be served without being in it.

pub mod problem;
mod routes;

use super::db::audit::{self, Actor, Entry, Origin};
use super::db::{admins, integrations as tokens, now_ms};
use super::state::AppState;
use crate::domain::acl::{Grant, Resource, Scope};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use problem::Problem;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

pub const PREFIX: &str = "/api/v1";
/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// A token's last use is written at most this often.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The router's state: the app's, the per-token request budgets, and the queue of read
/// calls' log entries.
#[derive(Clone)]
pub struct Api {
    pub app: AppState,
    limiter: Arc<DefaultKeyedRateLimiter<u64>>,
    reads: tokio::sync::mpsc::Sender<(Origin, Entry<'static>)>,
    /// Calls refused over budget since the last summary, by token hash.
    refused: Arc<RefusedCalls>,
}

type RefusedCalls = std::sync::Mutex<std::collections::HashMap<String, u64>>;

/// How long an over-budget call waits for its 429: the second its `Retry-After` asks for, so
/// a client that heeds it loses nothing and a loop that does not cannot spend the store's CPU
/// on refusals.
const REFUSAL_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);
/// How long the log writer gathers read calls' entries into one transaction: one write a
/// quarter second instead of one per call, so SQLite's single writer (and its checkpoints)
/// stay out of the way of the calls themselves.
const READ_LOG_GATHER: std::time::Duration = std::time::Duration::from_millis(250);

/// The admin a token acts as, with their role as it is now.
#[derive(Clone, Debug)]
pub struct Caller {
    pub token_id: i64,
    pub token_name: String,
    pub admin_id: i64,
    pub username: String,
    pub name: String,
    pub shown_name: String,
    pub grant: Grant,
    pub scope: Scope,
    pub ip: String,
    pub user_agent: String,
}

impl Caller {
    /// Who acts, for the action log: the token's user, through the token (named in the
    /// user-agent column, before the client's own).
    pub fn origin(&self) -> Origin {
        Origin {
            actor: Actor::Integration {
                admin_id: self.admin_id,
                admin_username: self.username.clone(),
                token_id: self.token_id,
            },
            ip: self.ip.clone(),
            user_agent: format!("integration \"{}\" (token #{}); {}", self.token_name, self.token_id, self.user_agent)
                .chars()
                .take(512)
                .collect(),
        }
    }

    /// Refuses a resource the user's role lacks, as the screens do.
    pub fn require(&self, resource: Resource) -> Result<(), Problem> {
        if self.grant.allows(resource) {
            Ok(())
        } else {
            Err(Problem::new(
                403,
                "forbidden",
                format!("Sorry, you need permissions to view this content ({}).", resource.label()),
            ))
        }
    }

    /// The websites the role covers, for a grid (`None`: all).
    pub fn websites(&self) -> Option<Vec<i64>> {
        self.scope.websites()
    }
}

impl FromRequestParts<Api> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &Api) -> Result<Caller, Problem> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            tracing::error!("an API handler ran without the authentication layer");
            Problem::new(500, "internal", crate::domain::error::AppError::Internal.message())
        })
    }
}

/// JSON bodies, refused as problems: 415 without `application/json`, 400 when not JSON, 422
/// when a field is missing or of the wrong type, 413 past [`MAX_BODY_BYTES`].
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        use axum::extract::rejection::JsonRejection as R;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(R::MissingJsonContentType(_)) => {
                Err(Problem::new(415, "unsupported_media_type", "Please send the body as application/json."))
            }
            Err(R::JsonDataError(e)) => Err(Problem::new(422, "invalid_input", e.body_text())),
            Err(R::BytesRejection(e)) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Problem::new(413, "body_too_large", format!("The body may be at most {MAX_BODY_BYTES} bytes.")))
            }
            Err(e) => Err(Problem::new(400, "invalid_request", e.body_text())),
        }
    }
}

/// Query strings, refused as a 400 problem when a value has the wrong type.
pub struct Params<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Params(v)),
            Err(e) => Err(Problem::new(400, "invalid_request", e.body_text())),
        }
    }
}

/// Path segments, refused as a 404 problem when they are not what the route takes.
pub struct Segment<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Segment<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Segment(v)),
            Err(_) => Err(Problem::new(404, "not_found", "There is nothing at this address.")),
        }
    }
}

fn bearer(parts: &axum::http::HeaderMap) -> Option<&str> {
    let value = parts.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty() && t.len() <= 200)
}

fn unauthenticated(code: &'static str, detail: &str) -> Response {
    let mut res = Problem::unauthenticated(code, detail).into_response();
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"shopassist\""));
    res
}

/// A call refused before it runs: the answer, and the caller when the refusal is logged
/// (a known token whose call is refused).
struct Refused(Option<Caller>, Response);

impl From<sqlx::Error> for Refused {
    fn from(err: sqlx::Error) -> Refused {
        Refused(None, Problem::from(err).into_response())
    }
}

/// Authenticates the token, applies its budget, runs the call and logs it.
async fn authenticate(State(api): State<Api>, mut req: Request, next: Next) -> Response {
    let Some(secret) = bearer(req.headers()) else {
        return unauthenticated("unauthenticated", "Please send an integration token: Authorization: Bearer <token>.");
    };
    let hash = super::actions::integrations::token_hash(secret);
    // The budget first, before any database work: a flood from one token costs a hash and a
    // counter, and takes no connection from the storefront's pool.
    if let Some(refused) = over_budget(&api, &hash) {
        count_refusal(&api, hash);
        tokio::time::sleep(REFUSAL_PAUSE).await;
        return refused;
    }
    let call = format!("{} {}", req.method(), req.uri().path());
    let ip =
        req.extensions().get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".into(), |c| c.0.ip().to_string());
    let client = (ip, crate::server::client::user_agent(req.headers()));
    let caller = match caller(&api, &hash, client).await {
        Ok(caller) => caller,
        Err(Refused(Some(caller), res)) => return logged(&api, &caller, &call, res).await,
        Err(Refused(None, res)) => return res,
    };
    let reads = req.method() == axum::http::Method::GET;
    req.extensions_mut().insert(caller.clone());
    let res = next.run(req).await;
    if reads {
        // A read changed nothing: its entry is written by the log writer right after (in
        // batches), so it neither waits for SQLite's one writer nor holds the answer up.
        if api.reads.try_send((caller.origin(), call_entry(&call, &res))).is_ok() {
            return res;
        }
    }
    logged(&api, &caller, &call, res).await
}

/// Counts a call refused over its token's budget, for the periodic log entry. Bounded like
/// the limiter: unknown tokens count too, so a spray of made-up ones must not grow the map
/// without end.
fn count_refusal(api: &Api, hash: String) {
    if let Ok(mut counts) = api.refused.lock() {
        if counts.len() < 10_000 || counts.contains_key(&hash) {
            *counts.entry(hash).or_default() += 1;
        }
    }
}

/// Who calls with the token of `hash`, with their role as it is now; or why the call is
/// refused (revoked, expired, an inactive admin, an unknown token).
async fn caller(api: &Api, hash: &str, (ip, user_agent): (String, String)) -> Result<Caller, Refused> {
    let pool = &api.app.db.pool;
    let Some(b) = tokens::bearer(pool, hash).await? else {
        tracing::warn!("API call with an unknown token");
        let res = unauthenticated("unauthenticated", "This token is not known. Please check it, or make a new one.");
        return Err(Refused(None, res));
    };
    let mut caller = Caller {
        token_id: b.token_id,
        token_name: b.token_name.clone(),
        admin_id: b.admin_id,
        username: b.username.clone(),
        name: format!("{} {}", b.first_name, b.last_name),
        shown_name: if b.display_name.trim().is_empty() { b.first_name.clone() } else { b.display_name.clone() },
        grant: Grant::custom([]),
        scope: Scope::All,
        ip,
        user_agent,
    };
    let now = now_ms();
    let refused = if b.revoked {
        Some(("token_revoked", "This token was revoked."))
    } else if b.expires_at <= now {
        Some(("token_expired", "This token has expired. Please make a new one."))
    } else if !b.admin_active {
        Some(("user_inactive", "The admin user of this token is inactive."))
    } else {
        None
    };
    if let Some((code, detail)) = refused {
        return Err(Refused(Some(caller), unauthenticated(code, detail)));
    }
    // The role as it is now; its lists are read only when it has them (the token's query
    // already said whether it grants everything and covers every website).
    caller.grant = if b.all_resources { Grant::All } else { admins::role_grant(pool, b.role_id).await? };
    caller.scope = if b.all_websites { Scope::All } else { admins::role_scope(pool, b.role_id).await? };
    if b.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY_MS) {
        if let Err(err) = tokens::touch(pool, b.token_id, now).await {
            tracing::warn!(%err, "noting a token's use failed");
        }
    }
    Ok(caller)
}

/// The action-log entry of one call.
fn call_entry(call: &str, res: &Response) -> Entry<'static> {
    let status = res.status().as_u16();
    let code = res.extensions().get::<problem::ProblemCode>().map(|c| c.0);
    Entry {
        group: audit::group::INTEGRATIONS,
        action: "API call",
        target_type: "api",
        target_id: call.chars().take(200).collect(),
        old: None,
        new: Some(serde_json::json!({ "status": status, "code": code }).to_string()),
        result: if status < 400 { "success" } else { "failure" },
    }
}

/// Writes queued read entries, gathered for [`READ_LOG_GATHER`] into one transaction (up to
/// 2,000), until the router is gone.
async fn write_reads(app: AppState, mut queue: tokio::sync::mpsc::Receiver<(Origin, Entry<'static>)>) {
    let mut batch = Vec::new();
    while queue.recv_many(&mut batch, 500).await > 0 {
        tokio::time::sleep(READ_LOG_GATHER).await;
        while batch.len() < 2_000 {
            match queue.try_recv() {
                Ok(entry) => batch.push(entry),
                Err(_) => break,
            }
        }
        let written = async {
            let mut tx = app.db.begin().await?;
            for (origin, entry) in batch.drain(..) {
                audit::write(&mut tx, &origin, entry).await?;
            }
            tx.commit().await
        }
        .await;
        if let Err(err) = written {
            tracing::error!(%err, "writing API calls to the action log failed");
            batch.clear();
        }
    }
}

/// Every `period`, one action-log entry per known token whose calls were refused over its
/// budget since the last one, with how many; until the router is gone.
async fn write_refusals(app: AppState, refused: std::sync::Weak<RefusedCalls>, period: std::time::Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(live) = refused.upgrade() else { return };
        let counts = match live.lock() {
            Ok(mut counts) if !counts.is_empty() => std::mem::take(&mut *counts),
            _ => continue,
        };
        drop(live);
        for (hash, calls) in counts {
            let b = match tokens::bearer(&app.db.pool, &hash).await {
                Ok(Some(b)) => b,
                Ok(None) => continue, // not a token: nobody's call to log
                Err(err) => {
                    tracing::error!(%err, "reading a token for its refused calls failed");
                    continue;
                }
            };
            let origin = Origin {
                actor: Actor::Integration { admin_id: b.admin_id, admin_username: b.username, token_id: b.token_id },
                ip: String::new(),
                user_agent: format!("integration \"{}\" (token #{})", b.token_name, b.token_id),
            };
            let entry = Entry {
                group: audit::group::INTEGRATIONS,
                action: "API calls refused over budget",
                target_type: "api",
                target_id: String::new(),
                old: None,
                new: Some(serde_json::json!({ "status": 429, "code": "rate_limited", "calls": calls }).to_string()),
                result: "failure",
            };
            let written = async {
                let mut tx = app.db.begin().await?;
                audit::write(&mut tx, &origin, entry).await?;
                tx.commit().await
            }
            .await;
            if let Err(err) = written {
                tracing::error!(%err, "writing refused API calls to the action log failed");
            }
        }
    }
}

/// The 429 for a token past its budget (keyed by its hash, so unknown tokens count too).
fn over_budget(api: &Api, hash: &str) -> Option<Response> {
    use governor::clock::{Clock, DefaultClock};
    use std::sync::atomic::{AtomicI64, Ordering};
    static LAST_WARNED: AtomicI64 = AtomicI64::new(0);
    let key = u64::from_str_radix(&hash[..16], 16).unwrap_or_default();
    if api.limiter.len() > 10_000 {
        api.limiter.retain_recent();
        api.limiter.shrink_to_fit();
    }
    let not_until = api.limiter.check_key(&key).err()?;
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    // Said at most every ten seconds: a flood must not become a flood of log lines.
    let now = now_ms();
    let last = LAST_WARNED.load(Ordering::Relaxed);
    if now - last >= 10_000 && LAST_WARNED.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
        tracing::warn!("API calls over a token's budget are being refused (429)");
    }
    Some(Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).into_response())
}

/// Writes the call's action-log entry. What the call changed was logged with the change, in
/// its transaction, so a failure here cannot undo it: the answer stays the call's own, and the
/// failure goes to the server log.
async fn logged(api: &Api, caller: &Caller, call: &str, res: Response) -> Response {
    let entry = call_entry(call, &res);
    let written = async {
        let mut tx = api.app.db.begin().await?;
        audit::write(&mut tx, &caller.origin(), entry).await?;
        tx.commit().await
    }
    .await;
    if let Err(err) = written {
        tracing::error!(%err, call, "writing an API call to the action log failed");
    }
    res
}

/// Headers every API answer carries: JSON is never cached nor sniffed.
async fn api_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// Unknown API paths answer a problem, not the storefront's page.
async fn not_found() -> Problem {
    Problem::new(404, "not_found", "There is nothing at this address.")
}

/// A known path asked with a method it does not take.
async fn method_not_allowed() -> Problem {
    Problem::new(405, "method_not_allowed", "This address does not take this method; see the API document.")
}

/// The `/api/v1` router with its layers, and the OpenAPI document of exactly its routes.
pub fn router(app: AppState) -> Router {
    let per_minute = NonZeroU32::new(app.settings.api_calls_per_minute.max(1)).expect("at least one");
    let limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
    let (reads, queue) = tokio::sync::mpsc::channel(10_000);
    tokio::spawn(write_reads(app.clone(), queue));
    let api = Api { app, limiter, reads, refused: Default::default() };
    let period = std::time::Duration::from_millis(api.app.settings.api_refusals_log_ms.max(10));
    tokio::spawn(write_refusals(api.app.clone(), Arc::downgrade(&api.refused), period));
    let (routes, mut doc) = routes::all().split_for_parts();
    routes::list_problem_codes(&mut doc);
    let doc = Arc::new(doc);
    Router::new()
        .merge(routes)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(api.clone(), authenticate))
        .route(&format!("{PREFIX}/{{*rest}}"), axum::routing::any(not_found))
        .route(
            &format!("{PREFIX}/openapi.json"),
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(api_headers))
        .with_state(api)
}

/// The OpenAPI document (for tests and `docs/api.md`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes::all().into_openapi();
    routes::list_problem_codes(&mut doc);
    doc
}
