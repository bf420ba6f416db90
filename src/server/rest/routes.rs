//! The API's routes. Each handler checks what its screen checks, through the same functions,
//! and its `#[utoipa::path]` puts it in the OpenAPI document with its types.

use super::problem::Problem;
use super::{Api, Body, Caller, Params, Segment};
use crate::domain::acl::Resource;
use crate::domain::assist::{EndReason, LogRow, TICKET_SECS};
use crate::domain::error::AppError;
use crate::domain::forms::StartAssistForm;
use crate::domain::grid::{GridPage, GridQuery, PAGE_SIZES};
use crate::domain::integrations::{event, WebhookRow};
use crate::domain::model::{ActionLogRow, CustomerRow};
use crate::domain::msg::Msg;
use crate::server::actions::assist::{self, Assistant, StartInput};
use crate::server::actions::{consent, integrations as hooks};
use crate::server::db::assist::Running;
use crate::server::db::{self, audit, customers, integrations as repo};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shopassist API",
        version = "1",
        description = "Login as Customer for helpdesks and CRMs: find customers, read their consent, start and end \
                       assistance, read the Login as Customer Log and the action log, and register webhooks. Every \
                       call acts as the token's admin user, under that user's role at the time of the call."
    ),
    components(schemas(Problem)),
    modifiers(&BearerToken)
)]
struct Doc;

/// Lists every problem code with the `Problem` schema, so a client knows what it may meet
/// (applied to the whole document: the routes' own schemas are merged in after `Doc`'s).
pub fn list_problem_codes(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{schema::Schema, RefOr};
    let problem = openapi.components.as_mut().and_then(|c| c.schemas.get_mut("Problem"));
    if let Some(RefOr::T(Schema::Object(problem))) = problem {
        if let Some(RefOr::T(Schema::Object(code))) = problem.properties.get_mut("code") {
            code.enum_values = Some(super::problem::codes().map(|c| serde_json::json!(c)).collect());
        }
    }
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("sa_…").build()),
        );
    }
}

/// Every route, with the document they make.
pub fn all() -> OpenApiRouter<Api> {
    OpenApiRouter::with_openapi(Doc::openapi())
        .routes(routes!(find_customers))
        .routes(routes!(customer_consent))
        .routes(routes!(start_login_as_customer))
        .routes(routes!(end_login_as_customer))
        .routes(routes!(login_as_customer_log))
        .routes(routes!(action_log))
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(delete_webhook))
}

type Answer<T> = Result<Json<T>, Problem>;

/// The page size asked for, when it is one the grids offer.
fn page_query(
    limit: Option<i64>,
    cursor: Option<String>,
    filters: BTreeMap<String, String>,
) -> Result<GridQuery, Problem> {
    if let Some(l) = limit {
        if !PAGE_SIZES.contains(&l) {
            let sizes: Vec<String> = PAGE_SIZES.iter().map(|s| s.to_string()).collect();
            return Err(Problem::new(422, "limit_not_allowed", format!("limit must be one of {}.", sizes.join(", "))));
        }
    }
    Ok(GridQuery { filters, limit: limit.unwrap_or(0), after: cursor.unwrap_or_default(), ..GridQuery::default() })
}

fn filters<const N: usize>(pairs: [(&str, Option<String>); N]) -> BTreeMap<String, String> {
    pairs.into_iter().filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k.to_string(), v))).collect()
}

/// One page of a list, and the cursor of the next (absent on the last page).
#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerRow>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LogPage {
    pub items: Vec<LogRow>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionLogPage {
    pub items: Vec<ActionLogRow>,
    pub next_cursor: Option<String>,
}

fn page_of<R>(page: GridPage<R>) -> (Vec<R>, Option<String>) {
    (page.rows, page.next)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// The start of the email, first or last name (any case), or an exact customer id.
    pub search: Option<String>,
    /// Only customers of this website id.
    pub website: Option<i64>,
    /// `1` active accounts, `0` inactive ones.
    pub active: Option<u8>,
    /// Page size: 20, 30, 50, 100 or 200 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// Find customers, newest first, within the role's websites.
#[utoipa::path(
    get, path = "/api/v1/customers", tag = "Customers",
    params(CustomerQuery),
    responses(
        (status = 200, body = CustomerPage),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn find_customers(
    State(api): State<Api>,
    caller: Caller,
    Params(q): Params<CustomerQuery>,
) -> Answer<CustomerPage> {
    caller.require(Resource::CustomersManage)?;
    let mut query = page_query(
        q.limit,
        q.cursor,
        filters([("website", q.website.map(|v| v.to_string())), ("active", q.active.map(|v| v.to_string()))]),
    )?;
    query.search = q.search.unwrap_or_default();
    let sites = caller.websites();
    let within = sites.as_deref().map(|w| crate::server::grid::Scoped::column(customers::GRID_SCOPE, w));
    let (items, next_cursor) = page_of(customers::GRID.page_within_uncounted(&api.app.db.pool, query, within).await?);
    Ok(Json(CustomerPage { items, next_cursor }))
}

/// A customer's consent to remote shopping assistance, as it holds now.
#[derive(Serialize, ToSchema)]
pub struct Consent {
    pub customer_id: i64,
    /// Whether Login as Customer may start for this customer now.
    pub allowed: bool,
    /// When the consent was given (milliseconds since the Unix epoch).
    pub given_at: Option<i64>,
}

/// Read one customer's assistance consent.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/consent", tag = "Customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, body = Consent),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn customer_consent(State(api): State<Api>, caller: Caller, Segment(id): Segment<i64>) -> Answer<Consent> {
    crate::server::assist::ensure_enabled(&api.app.db.pool).await?;
    caller.require(Resource::CustomersManage)?;
    let website = customers::website_of(&api.app.db.pool, id).await?;
    caller.scope.ensure_covers(website.ok_or(AppError::not_found(Msg::CustomerNotFound))?)?;
    let (allowed, given_at) = consent::holds(&api.app.db.pool, id).await?;
    Ok(Json(Consent { customer_id: id, allowed, given_at }))
}

/// What a start takes: as the screen's dialog.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// A store view id (needed with `Store View To Login In` = Manual Selection); absent lets the
    /// store choose as `Automatic` does.
    pub store_view_id: Option<i64>,
    /// Why the session is needed (needed with `Require Reason`).
    pub reason: Option<String>,
}

/// A started session: the agent opens `open_url` in the browser where they are signed in to
/// the admin panel. The secret is in the fragment; it works once, within `expires_in` seconds.
#[derive(Serialize, ToSchema)]
pub struct StartResponse {
    pub session_id: i64,
    pub open_url: String,
    pub expires_in: i64,
}

const IDEMPOTENCY_KEY: &str = "idempotency-key";

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(v) = headers.get(IDEMPOTENCY_KEY) else { return Ok(None) };
    match v.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= 255 => Ok(Some(k.trim().to_string())),
        _ => Err(Problem::new(
            400,
            "idempotency_key_invalid",
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
        )),
    }
}

/// Start Login as Customer for a customer.
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/login-as-customer", tag = "Login as Customer",
    params(
        ("id" = i64, Path, description = "Customer id"),
        ("Idempotency-Key" = Option<String>, Header,
            description = "A retried call with the same key answers for the same session (with a new link while it was not opened)"),
    ),
    request_body = StartRequest,
    responses(
        (status = 201, body = StartResponse),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn start_login_as_customer(
    State(api): State<Api>,
    caller: Caller,
    Segment(id): Segment<i64>,
    headers: HeaderMap,
    Body(body): Body<StartRequest>,
) -> Result<(StatusCode, Json<StartResponse>), Problem> {
    let state = &api.app;
    crate::server::assist::ensure_enabled(&state.db.pool).await?;
    caller.require(Resource::AssistLogin)?;
    let key = idempotency_key(&headers)?;
    let form = StartAssistForm {
        customer_id: id.to_string(),
        store: body.store_view_id.map(|v| v.to_string()).unwrap_or_default(),
        reason: body.reason.unwrap_or_default(),
    };
    let input = StartInput::try_from(&form)?;
    let fingerprint = assist::ticket_hash(&serde_json::json!([form.customer_id, form.store, form.reason]).to_string());
    let who = Assistant {
        id: caller.admin_id,
        username: caller.username.clone(),
        name: caller.name.clone(),
        shown_name: caller.shown_name.clone(),
        grant: caller.grant.clone(),
        scope: caller.scope.clone(),
        // Bound at redemption to the admin session of the browser that opens the link.
        admin_session: String::new(),
    };
    let origin = caller.origin();
    // Twice at most: a concurrent call with the same key may commit first; the second round
    // then answers for its session.
    for _ in 0..2 {
        let mut tx = state.db.begin().await?;
        if let Some(key) = &key {
            if let Some((earlier, session)) = repo::idempotent_start(&mut tx, caller.token_id, key).await? {
                if earlier != fingerprint {
                    return Err(Problem::new(
                        422,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used for a different start.",
                    ));
                }
                let Some(started) = assist::reticket(&mut tx, caller.admin_id, session).await? else {
                    return Err(Problem::new(
                        409,
                        "session_already_opened",
                        "The session this key started was opened or has ended; start a new one with a new key.",
                    ));
                };
                tx.commit().await?;
                return Ok((StatusCode::CREATED, Json(answer(state, started))));
            }
        }
        let started = assist::start(&mut tx, &origin, &who, &input, &state.public_url()).await?;
        if let Some(key) = &key {
            match repo::remember_start(&mut tx, caller.token_id, key, &fingerprint, started.session_id).await {
                Ok(()) => {}
                Err(err) if db::is_unique_violation(&err) => continue,
                Err(err) => return Err(err.into()),
            }
        }
        tx.commit().await?;
        return Ok((StatusCode::CREATED, Json(answer(state, started))));
    }
    Err(Problem::new(409, "conflict", "Another call with this Idempotency-Key is in progress; please retry."))
}

/// The start's answer, with the link made absolute on the store's public address (never the
/// request's `Host`, which the caller chooses).
fn answer(state: &crate::server::state::AppState, started: crate::domain::assist::Started) -> StartResponse {
    StartResponse {
        session_id: started.session_id,
        open_url: format!("{}{}", state.public_url(), started.open_url),
        expires_in: TICKET_SECS,
    }
}

/// What ending a session did.
#[derive(Serialize, ToSchema)]
pub struct Ended {
    pub session_id: i64,
    /// False when the session had already ended.
    pub ended_now: bool,
    /// Why it ended (`closed` when this call ended it).
    pub end_reason: String,
}

/// End a running Login as Customer session that the token's user started.
#[utoipa::path(
    post, path = "/api/v1/login-as-customer/sessions/{id}/end", tag = "Login as Customer",
    params(("id" = i64, Path, description = "Assistance session id")),
    responses(
        (status = 200, body = Ended),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn end_login_as_customer(State(api): State<Api>, caller: Caller, Segment(id): Segment<i64>) -> Answer<Ended> {
    crate::server::assist::ensure_enabled(&api.app.db.pool).await?;
    caller.require(Resource::AssistLogin)?;
    let mut tx = api.app.db.begin().await?;
    let row = crate::server::db::assist::admin_and_end(&mut *tx, id).await?;
    let Some((_, reason)) = row.filter(|(admin, _)| *admin == caller.admin_id) else {
        return Err(Problem::new(404, "not_found", "There is no such session of yours."));
    };
    if let Some(reason) = reason {
        return Ok(Json(Ended { session_id: id, ended_now: false, end_reason: reason }));
    }
    crate::server::assist::end_running(&mut tx, &caller.origin(), Running::One(id), EndReason::Closed).await?;
    tx.commit().await?;
    Ok(Json(Ended { session_id: id, ended_now: true, end_reason: EndReason::Closed.code().into() }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Customer id.
    pub customer: Option<i64>,
    /// The start of the customer's email.
    pub email: Option<String>,
    /// Admin user id.
    pub admin: Option<i64>,
    /// The start of the admin's name.
    pub admin_name: Option<String>,
    /// Store view id.
    pub store: Option<i64>,
    /// An end reason code, such as `closed` or `consent_revoked`.
    pub end_reason: Option<String>,
    /// The start of the reason given.
    pub reason: Option<String>,
    /// Started on or after this day (`YYYY-MM-DD`, UTC).
    pub from: Option<String>,
    /// Started on or before this day (`YYYY-MM-DD`, UTC).
    pub to: Option<String>,
    /// Page size: 20, 30, 50, 100 or 200 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// Read the Login as Customer Log, newest first, with the screen's filters.
#[utoipa::path(
    get, path = "/api/v1/login-as-customer/log", tag = "Login as Customer",
    params(LogQuery),
    responses(
        (status = 200, body = LogPage),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn login_as_customer_log(State(api): State<Api>, caller: Caller, Params(q): Params<LogQuery>) -> Answer<LogPage> {
    crate::server::assist::ensure_enabled(&api.app.db.pool).await?;
    caller.require(Resource::AssistViewLog)?;
    let query = page_query(
        q.limit,
        q.cursor,
        filters([
            ("customer", q.customer.map(|v| v.to_string())),
            ("email", q.email),
            ("admin", q.admin.map(|v| v.to_string())),
            ("admin_name", q.admin_name),
            ("store", q.store.map(|v| v.to_string())),
            ("end_reason", q.end_reason),
            ("reason", q.reason),
            ("from", q.from),
            ("to", q.to),
        ]),
    )?;
    let sites = caller.websites();
    let within = sites.as_deref().map(|w| crate::server::grid::Scoped::column(db::assist::LOG_SCOPE, w));
    let (items, next_cursor) =
        page_of(db::assist::LOG_GRID.page_within_uncounted(&api.app.db.pool, query, within).await?);
    Ok(Json(LogPage { items, next_cursor }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionLogQuery {
    /// An action group, such as `Login As Customer`.
    pub group: Option<String>,
    /// The admin user name (or, for others, who it was).
    pub admin: Option<String>,
    /// `success` or `failure`.
    pub result: Option<String>,
    /// `admin`, `customer`, `admin_as_customer`, `integration`, `system` or `anonymous`.
    pub actor: Option<String>,
    /// Assistance session id.
    pub session: Option<i64>,
    /// On or after this day (`YYYY-MM-DD`, UTC).
    pub from: Option<String>,
    /// On or before this day (`YYYY-MM-DD`, UTC).
    pub to: Option<String>,
    /// Page size: 20, 30, 50, 100 or 200 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// Read the action log, newest first, with the Report's filters.
#[utoipa::path(
    get, path = "/api/v1/action-log", tag = "Action log",
    params(ActionLogQuery),
    responses(
        (status = 200, body = ActionLogPage),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn action_log(
    State(api): State<Api>,
    caller: Caller,
    Params(q): Params<ActionLogQuery>,
) -> Answer<ActionLogPage> {
    caller.require(Resource::SystemActionLogReport)?;
    let query = page_query(
        q.limit,
        q.cursor,
        filters([
            ("group", q.group),
            ("admin", q.admin),
            ("result", q.result),
            ("actor", q.actor),
            ("session", q.session.map(|v| v.to_string())),
            ("from", q.from),
            ("to", q.to),
        ]),
    )?;
    let scope = audit::ReportScope::of(caller.websites(), &caller.grant);
    let within = scope.as_ref().map(audit::ReportScope::within);
    let (items, next_cursor) =
        page_of(audit::REPORT_GRID.page_within_uncounted(&api.app.db.pool, query, within).await?);
    Ok(Json(ActionLogPage { items, next_cursor }))
}

/// The token's webhooks.
#[utoipa::path(
    get, path = "/api/v1/webhooks", tag = "Webhooks",
    responses(
        (status = 200, body = Vec<WebhookRow>),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_webhooks(State(api): State<Api>, caller: Caller) -> Answer<Vec<WebhookRow>> {
    hooks::may_receive_events(&caller.grant)?;
    Ok(Json(repo::webhooks(&api.app.db.pool, caller.token_id).await?))
}

/// A webhook to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed: an https URL.
    pub url: String,
    /// Any of `login_as_customer.started`, `login_as_customer.ended`, `consent.changed`.
    pub events: Vec<String>,
}

/// A registered webhook with its signing secret (shown only here).
#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookRow,
    /// The HMAC-SHA256 key of `Shopassist-Signature`.
    pub secret: String,
}

/// Register a webhook for the token. Deliveries are signed: `Shopassist-Signature:
/// t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
#[utoipa::path(
    post, path = "/api/v1/webhooks", tag = "Webhooks",
    request_body = NewWebhook,
    responses(
        (status = 201, body = CreatedWebhook),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_webhook(
    State(api): State<Api>,
    caller: Caller,
    Body(body): Body<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), Problem> {
    let hook = hooks::NewWebhook::parse(&body.url, &body.events, api.app.settings.webhook_allow_local)?;
    for e in &hook.events {
        caller.require(event::resource(e))?;
    }
    hook.ensure_reachable(crate::server::webhooks::reach(&api.app)).await?;
    let mut tx = api.app.db.begin().await?;
    let (id, secret) = hooks::create_webhook(&mut tx, &caller.origin(), caller.token_id, &hook).await?;
    tx.commit().await?;
    let webhook = WebhookRow { id, url: hook.url, events: hook.events, created_at: db::now_ms() };
    Ok((StatusCode::CREATED, Json(CreatedWebhook { webhook, secret })))
}

/// Delete one of the token's webhooks.
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "Webhooks",
    params(("id" = i64, Path, description = "Webhook id")),
    responses(
        (status = 204),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_webhook(
    State(api): State<Api>,
    caller: Caller,
    Segment(id): Segment<i64>,
) -> Result<StatusCode, Problem> {
    hooks::may_receive_events(&caller.grant)?;
    let mut tx = api.app.db.begin().await?;
    hooks::delete_webhook(&mut tx, &caller.origin(), caller.token_id, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
