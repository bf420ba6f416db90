//! The JSON API (`/api/v1`): tokens, every route's refusals, Login as Customer under the
//! screen's rules, idempotent starts, the logs read as the screens' grids, problem answers to
//! bad input, the per-token budget, the OpenAPI document, and signed webhooks from the outbox.

use crate::helpers::{
    account_form, client, config_form, customer_form, register_form, role_form, TestApp, ADMIN_PASSWORD,
};
use serde_json::{json, Value};
use shopassist::api::assist::ListAssistLog;
use shopassist::api::audit::ListActionLog;
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountForm, Checkbox, RegisterForm};
use shopassist::domain::grid::GridQuery;
use shopassist::domain::integrations::MAX_DAYS;
use shopassist::server::actions::integrations::{create_token, revoke_token, NewTokenInput};
use shopassist::server::db::audit::{Actor, Origin};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

const ENABLED: &str = "login_as_customer.general.enabled";
const MANUAL: &str = "login_as_customer.general.store_view_manual_choice";
const REASON: &str = "login_as_customer.general.require_reason";

async fn configure(app: &TestApp, values: &[(&str, &str)]) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = config_form("default", "login_as_customer", values);
    assert_eq!(app.save_config(&admin, &form).await, Ok(()), "{values:?}");
}

/// A token for `username`, made as the command line makes it.
async fn token(app: &TestApp, username: &str, name: &str) -> (i64, String) {
    let mut tx = app.db.begin().await.unwrap();
    let user = app.admin_id(username).await;
    let input = NewTokenInput::parse(name, user, "90d").unwrap();
    let made = create_token(&mut tx, &Origin::cli(), &input).await.unwrap();
    tx.commit().await.unwrap();
    (made.id, made.secret)
}

/// Revokes token `id` as the command line does.
async fn revoke(app: &TestApp, id: i64) {
    let mut tx = app.db.begin().await.unwrap();
    assert!(revoke_token(&mut tx, &Origin::cli(), id).await.unwrap(), "it was live");
    tx.commit().await.unwrap();
}

async fn consenting(app: &TestApp, first: &str, email: &str) -> i64 {
    let form = RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form(first, "Kim", email) };
    app.register(&client(), &form).await.expect("registered");
    app.customer_id(email).await
}

/// An API answer: status, content type, `Retry-After`, and the body as JSON (Null if none).
#[derive(Debug)]
struct Api {
    status: u16,
    content_type: String,
    retry_after: Option<u64>,
    body: Value,
}

impl Api {
    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    #[track_caller]
    fn problem(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "{self:?}");
        assert_eq!(self.content_type, "application/problem+json", "{self:?}");
        assert_eq!(self.body["status"], status, "{self:?}");
        assert_eq!(self.body["type"], format!("urn:shopassist:problem:{code}"), "{self:?}");
    }
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Api {
    let c = reqwest::Client::new();
    let mut req = c.request(method.parse().unwrap(), app.url(path)).header("user-agent", "helpdesk-test/1");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send().await.expect("the API answers")).await
}

async fn read(res: reqwest::Response) -> Api {
    let status = res.status().as_u16();
    let content_type = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    let text = res.text().await.unwrap();
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    Api { status, content_type, retry_after, body }
}

async fn get(app: &TestApp, path: &str, token: &str) -> Api {
    call(app, "GET", path, Some(token), None, &[]).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Api {
    call(app, "POST", path, Some(token), Some(body), &[]).await
}

fn start_path(customer: i64) -> String {
    format!("/api/v1/customers/{customer}/login-as-customer")
}

/// What a refused call must leave as it was.
async fn state_of(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["assistance_sessions", "webhooks", "webhook_deliveries", "api_idempotency", "outbox_messages"] {
        counts.push(app.count(table).await);
    }
    for sql in [
        "SELECT COUNT(*) FROM assistance_sessions WHERE ended_at IS NOT NULL",
        "SELECT COUNT(*) FROM webhooks WHERE deleted_at IS NOT NULL",
    ] {
        counts.push(sqlx::query_scalar(sql).fetch_one(&app.db.pool).await.unwrap());
    }
    counts
}

/// Every route of the API, as a caller would try it: method, path, body.
fn every_route(customer: i64, session: i64, webhook: i64) -> Vec<(&'static str, String, Option<Value>)> {
    vec![
        ("GET", "/api/v1/customers".into(), None),
        ("GET", format!("/api/v1/customers/{customer}/consent"), None),
        ("POST", start_path(customer), Some(json!({}))),
        ("POST", format!("/api/v1/login-as-customer/sessions/{session}/end"), None),
        ("GET", "/api/v1/login-as-customer/log".into(), None),
        ("GET", "/api/v1/action-log".into(), None),
        ("GET", "/api/v1/webhooks".into(), None),
        (
            "POST",
            "/api/v1/webhooks".into(),
            Some(json!({"url": "https://127.0.0.1:9/x", "events": ["login_as_customer.started"]})),
        ),
        ("DELETE", format!("/api/v1/webhooks/{webhook}"), None),
    ]
}

/// The document's routes as `METHOD /path`.
fn documented(doc: &Value) -> Vec<String> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            routes.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    routes.sort();
    routes
}

async fn every_route_refuses_a_missing_revoked_expired_or_foreign_token_and_changes_nothing(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let (_, admin_token) = token(&app, "admin", "Helpdesk").await;
    let started = post(&app, &start_path(lou), &admin_token, json!({})).await;
    assert_eq!(started.status, 201, "{started:?}");
    let session = started.body["session_id"].as_i64().unwrap();
    let hook = post(
        &app,
        "/api/v1/webhooks",
        &admin_token,
        json!({"url": "https://127.0.0.1:9/a", "events": ["consent.changed"]}),
    )
    .await;
    assert_eq!(hook.status, 201, "{hook:?}");
    let webhook = hook.body["id"].as_i64().unwrap();

    // The routes tried here are the routes the document lists, all of them.
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, None, &[]).await.body;
    let routes = every_route(lou, session, webhook);
    let mut tried: Vec<String> = routes
        .iter()
        .map(|(m, p, _)| {
            let templated = p
                .replace(&format!("/customers/{lou}/"), "/customers/{id}/")
                .replace(&format!("/sessions/{session}/"), "/sessions/{id}/")
                .replace(&format!("/webhooks/{webhook}"), "/webhooks/{id}");
            format!("{m} {templated}")
        })
        .collect();
    tried.sort();
    assert_eq!(tried, documented(&doc), "every route is tried, and documented");

    let (revoked_id, revoked) = token(&app, "admin", "Old helpdesk").await;
    revoke(&app, revoked_id).await;
    let (expired_id, expired) = token(&app, "admin", "Expired").await;
    sqlx::query("UPDATE integration_tokens SET expires_at = 1 WHERE id = $1")
        .bind(expired_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let gone = app.admin_with("gone", Grant::All).await;
    let (_, gone_token) = token(&app, &gone, "Gone's").await;
    assert_eq!(get(&app, "/api/v1/customers", &gone_token).await.status, 200, "it worked while its user was active");
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let user = app.user(&admin, app.admin_id(&gone).await).await.unwrap().user.unwrap();
    let form =
        shopassist::domain::forms::AdminUserForm { is_active: Checkbox(false), ..crate::helpers::edit_user_form(user) };
    app.save_user(&admin, &form).await.unwrap();
    let clerk = app.admin_with("clerk", Grant::custom([Resource::Dashboard])).await;
    let (_, foreign) = token(&app, &clerk, "Dashboard only").await;

    let before = state_of(&app).await;
    for (method, path, body) in &routes {
        let without = call(&app, method, path, None, body.clone(), &[]).await;
        without.problem(401, "unauthenticated");
        let bad = call(&app, method, path, Some("sa_0000"), body.clone(), &[]).await;
        bad.problem(401, "unauthenticated");
        let cookie_only = call(&app, method, path, None, body.clone(), &[("cookie", "sa_admin=whatever")]).await;
        cookie_only.problem(401, "unauthenticated");
        call(&app, method, path, Some(&revoked), body.clone(), &[]).await.problem(401, "token_revoked");
        call(&app, method, path, Some(&expired), body.clone(), &[]).await.problem(401, "token_expired");
        call(&app, method, path, Some(&gone_token), body.clone(), &[]).await.problem(401, "user_inactive");
        call(&app, method, path, Some(&foreign), body.clone(), &[]).await.problem(403, "forbidden");
        assert!(without.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    assert_eq!(state_of(&app).await, before, "no refused call changed anything");

    // With the feature off, every Login as Customer path refuses as the screen does, and
    // changes nothing; the customer search, the action log and webhooks stay open.
    configure(&app, &[(ENABLED, "0")]).await;
    let before = state_of(&app).await;
    let (_, fresh) = token(&app, "admin", "After switch-off").await;
    for (method, path, body) in &routes {
        let answer = call(&app, method, path, Some(&fresh), body.clone(), &[]).await;
        if path.contains("login-as-customer") || path.ends_with("/consent") {
            answer.problem(403, "login_as_customer_disabled");
        } else {
            assert!(answer.status < 400 || answer.status == 404, "{method} {path}: {answer:?}");
        }
    }
    let after = state_of(&app).await;
    assert_eq!((after[0], after[5]), (before[0], before[5]), "no session started or ended while off");
}

async fn a_token_never_grants_more_than_its_users_role_at_the_call(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let agent = app
        .admin_with(
            "agent",
            Grant::custom([Resource::CustomersManage, Resource::AssistLogin, Resource::SystemIntegrations]),
        )
        .await;
    let (helpdesk, secret) = token(&app, &agent, "Helpdesk").await;
    assert!(secret.starts_with("sa_") && secret.len() == 3 + 64, "256 random bits: {secret}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM integration_tokens WHERE name = 'Helpdesk'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(stored != secret && !stored.contains(&secret[3..]), "only a hash is stored");

    assert_eq!(get(&app, "/api/v1/customers", &secret).await.status, 200);
    get(&app, "/api/v1/action-log", &secret).await.problem(403, "forbidden");

    // The role loses a resource: the next call is refused.
    let role = app.role_id("agent role").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = shopassist::domain::forms::RoleForm {
        id: role.to_string(),
        ..role_form("agent role", "login_as_customer.login")
    };
    assert!(app.save_role(&admin, &form).await.is_ok());
    get(&app, "/api/v1/customers", &secret).await.problem(403, "forbidden");
    assert_eq!(post(&app, &start_path(lou), &secret, json!({})).await.status, 201, "what it still holds works");

    // Making a token needs `Integrations`, whoever calls the action.
    let mut tx = app.db.begin().await.unwrap();
    let me =
        Origin { actor: Actor::Admin { id: app.admin_id(&agent).await, username: agent.clone() }, ..Origin::cli() };
    let own = NewTokenInput::parse("Mine", app.admin_id(&agent).await, "12h").unwrap();
    let refused = create_token(&mut tx, &me, &own).await.unwrap_err();
    assert_eq!(refused, AppError::forbidden(Msg::PermissionNeeded { resource: Resource::SystemIntegrations }));
    drop(tx);
    let form = shopassist::domain::forms::RoleForm {
        id: role.to_string(),
        ..role_form("agent role", "login_as_customer.login,system.integrations")
    };
    assert!(app.save_role(&admin, &form).await.is_ok());

    // An admin makes tokens only for users whose role and scope their own cover.
    let mut tx = app.db.begin().await.unwrap();
    let for_admin = NewTokenInput::parse("Escalation", app.admin_id("admin").await, "1d").unwrap();
    let refused = create_token(&mut tx, &me, &for_admin).await.unwrap_err();
    assert_eq!(refused.status(), 403, "{refused:?}");
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    let own = NewTokenInput::parse("Mine", app.admin_id(&agent).await, "12h").unwrap();
    assert!(create_token(&mut tx, &me, &own).await.is_ok(), "one's own token");
    tx.commit().await.unwrap();
    let bad = NewTokenInput::parse("", 1, "400d").unwrap_err();
    assert_eq!(bad.field_msg("name"), Some(&Msg::TokenNameRequired), "{bad:?}");
    assert_eq!(bad.field_msg("expires"), Some(&Msg::TokenLifetime { max_days: MAX_DAYS }), "{bad:?}");

    // Revoking stops it on the next call (deactivating its user too: see the test of every route).
    revoke(&app, helpdesk).await;
    post(&app, &start_path(lou), &secret, json!({})).await.problem(401, "token_revoked");
    let revokes = app.log().await.into_iter().filter(|e| e.action == "Revoke integration token").count();
    assert_eq!(revokes, 1);
}

async fn the_start_follows_every_rule_of_the_screen(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let (_, secret) = token(&app, "admin", "Helpdesk").await;
    configure(&app, &[(ENABLED, "0")]).await;

    // Each refusal has the screen's words and its own code; none changes anything.
    let before = state_of(&app).await;
    let refused = post(&app, &start_path(lou), &secret, json!({})).await;
    refused.problem(403, "login_as_customer_disabled");
    assert_eq!(refused.body["detail"], "Login as Customer is disabled.");
    configure(&app, &[(ENABLED, "1")]).await;
    post(&app, &start_path(lou + 1000), &secret, json!({})).await.problem(404, "customer_not_found");

    let _nod = app.shopper("Nod", "Kim", "nod@example.com").await;
    let nod = app.customer_id("nod@example.com").await;
    let refused = post(&app, &start_path(nod), &secret, json!({})).await;
    refused.problem(403, "customer_consent_missing");
    assert_eq!(
        refused.body["detail"], "Login as Customer assistance is disabled for this Customer.",
        "the screen's message, not the reference's bug"
    );

    let ina = consenting(&app, "Ina", "ina@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let detail = app.customer(&admin, ina).await.unwrap().customer;
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(false), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();
    post(&app, &start_path(ina), &secret, json!({})).await.problem(403, "customer_inactive");

    let base_only = app.admin_with("base_only", Grant::All).await;
    let role = app.role_id("base_only role").await;
    let second = app.website_id("second").await;
    sqlx::query("UPDATE admin_roles SET all_websites = 0 WHERE id = $1")
        .bind(role)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO admin_role_websites (role_id, website_id) VALUES ($1, $2)")
        .bind(role)
        .bind(second)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, scoped) = token(&app, &base_only, "Second website desk").await;
    // Out of scope reads as missing (see attacks.rs for the byte-for-byte comparison).
    post(&app, &start_path(lou), &scoped, json!({})).await.problem(404, "customer_not_found");
    get(&app, &format!("/api/v1/customers/{lou}/consent"), &scoped).await.problem(404, "customer_not_found");

    configure(&app, &[(MANUAL, "1")]).await;
    let refused = post(&app, &start_path(lou), &secret, json!({})).await;
    refused.problem(422, "store_view_required");
    assert_eq!(refused.body["errors"][0]["field"], "store");
    assert_eq!(refused.body["errors"][0]["code"], "store_view_required");
    assert_eq!(refused.body["errors"][0]["message"], "Please select a Store to login in.");
    let second_view = app.store_view_id("second_en").await;
    post(&app, &start_path(lou), &secret, json!({"store_view_id": second_view}))
        .await
        .problem(422, "store_view_not_allowed");
    configure(&app, &[(REASON, "1")]).await;
    let default_view = app.store_view_id("default").await;
    post(&app, &start_path(lou), &secret, json!({"store_view_id": default_view})).await.problem(422, "reason_required");
    post(&app, &start_path(lou), &secret, json!({"store_view_id": default_view, "reason": "x".repeat(256)}))
        .await
        .problem(422, "invalid_input");
    assert_eq!(state_of(&app).await, before, "no refusal changed anything");

    // A start: a link whose secret is in the fragment, opened once by the admin's browser.
    let consent = get(&app, &format!("/api/v1/customers/{lou}/consent"), &secret).await;
    assert_eq!((consent.status, consent.body["allowed"].clone()), (200, json!(true)), "{consent:?}");
    let started =
        post(&app, &start_path(lou), &secret, json!({"store_view_id": default_view, "reason": "Ticket #4411"})).await;
    assert_eq!(started.status, 201, "{started:?}");
    assert_eq!(started.body["expires_in"], 60);
    let url = started.body["open_url"].as_str().unwrap();
    let (page, ticket) = url.split_once('#').expect("the secret is in the fragment");
    assert_eq!(page, format!("http://{}/admin/login-as-customer/open", app.addr));
    assert_eq!(ticket.len(), 64);
    let other = app.admin_with("other", Grant::All).await;
    let other = app.admin_client(&other, ADMIN_PASSWORD).await;
    let reply = app.post_raw(&other, "/admin/login-as-customer/redeem", format!("ticket={ticket}")).await;
    assert_eq!(reply.status, 403, "another admin's browser cannot open it");
    let reply = app.post_raw(&admin, "/admin/login-as-customer/redeem", format!("ticket={ticket}")).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let again = app.post_raw(&admin, "/admin/login-as-customer/redeem", format!("ticket={ticket}")).await;
    assert_eq!(again.status, 403, "single use");
    let html = app.page_shown(&admin, "/customer/account").await;
    assert!(html.contains("You are connected as Lou Kim on Main Website"));
    let entry = app.log().await.into_iter().rev().find(|e| e.action == "Login as Customer").unwrap();
    assert_eq!((entry.actor_type.as_str(), entry.admin_username.as_str()), ("integration", "admin"));

    // Ending it through the API: once, and only one's own.
    let session = started.body["session_id"].as_i64().unwrap();
    let path = format!("/api/v1/login-as-customer/sessions/{session}/end");
    let (_, others) = token(&app, "other", "Other desk").await;
    post(&app, &path, &others, json!(null)).await.problem(404, "not_found");
    let ended = call(&app, "POST", &path, Some(&secret), None, &[]).await;
    assert_eq!(
        (ended.status, ended.body["ended_now"].clone(), ended.body["end_reason"].clone()),
        (200, json!(true), json!("closed"))
    );
    let again = call(&app, "POST", &path, Some(&secret), None, &[]).await;
    assert_eq!(again.body["ended_now"], false);
    let ctx = app.call(&admin, &shopassist::api::storefront::GetStorefrontContext { store: String::new() }).await;
    assert!(ctx.unwrap().assisted.is_none(), "the storefront tab is no longer assisting");
}

async fn a_retried_start_with_its_idempotency_key_makes_one_session(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let (_, secret) = token(&app, "admin", "Helpdesk").await;
    let with_key = |key: &'static str, body: Value| {
        let (app, secret) = (&app, secret.clone());
        async move { call(app, "POST", &start_path(lou), Some(&secret), Some(body), &[("idempotency-key", key)]).await }
    };
    let first = with_key("ticket-4411", json!({"reason": "Cart"})).await;
    let retry = with_key("ticket-4411", json!({"reason": "Cart"})).await;
    assert_eq!((first.status, retry.status), (201, 201));
    assert_eq!(first.body["session_id"], retry.body["session_id"], "one session");
    assert_eq!(app.count("assistance_sessions").await, 1);
    assert_ne!(first.body["open_url"], retry.body["open_url"], "a new link: the first was lost with its answer");
    let ticket = |a: &Api| a.body["open_url"].as_str().unwrap().split_once('#').unwrap().1.to_string();
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let stale = app.post_raw(&admin, "/admin/login-as-customer/redeem", format!("ticket={}", ticket(&first))).await;
    assert_eq!(stale.status, 403, "the first link no longer works");
    with_key("ticket-4411", json!({"reason": "Something else"})).await.problem(422, "idempotency_key_reused");
    let opened = app.post_raw(&admin, "/admin/login-as-customer/redeem", format!("ticket={}", ticket(&retry))).await;
    assert_eq!(opened.status, 303);
    with_key("ticket-4411", json!({"reason": "Cart"})).await.problem(409, "session_already_opened");
    call(&app, "POST", &start_path(lou), Some(&secret), Some(json!({})), &[("idempotency-key", "")])
        .await
        .problem(400, "idempotency_key_invalid");

    // Two at once with one key: one session.
    let (a, b) = tokio::join!(with_key("ticket-9", json!({})), with_key("ticket-9", json!({})));
    assert_eq!((a.status, b.status), (201, 201), "{a:?} {b:?}");
    assert_eq!(a.body["session_id"], b.body["session_id"]);
    assert_eq!(app.count("assistance_sessions").await, 2);

    // Keys are kept a day, then forgotten: a key reused after that starts anew.
    use shopassist::server::db::integrations::{forget_old_keys, IDEMPOTENCY_KEY_KEPT_MS};
    let now = shopassist::server::db::now_ms();
    assert_eq!(forget_old_keys(&app.db.pool, now).await.unwrap(), 0, "nothing is a day old yet");
    assert_eq!(forget_old_keys(&app.db.pool, now + IDEMPOTENCY_KEY_KEPT_MS + 1000).await.unwrap(), 2);
    assert_eq!(app.count("api_idempotency").await, 0);
}

fn screen_query(pairs: &[(&str, &str)], limit: i64) -> GridQuery {
    let filters: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    GridQuery { filters, limit, ..GridQuery::default() }
}

async fn the_logs_read_as_the_screens_grids_with_a_cursor(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let max = consenting(&app, "Max", "max@example.com").await;
    let (_, secret) = token(&app, "admin", "Helpdesk").await;
    for i in 0..33 {
        let who = if i % 3 == 0 { max } else { lou };
        assert_eq!(post(&app, &start_path(who), &secret, json!({})).await.status, 201);
    }
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;

    // The Login as Customer Log, page by page, as the screen's grid.
    let screen = app.load(&admin, &ListAssistLog { query: screen_query(&[("email", "lou")], 20) }).await.unwrap();
    let api = get(&app, "/api/v1/login-as-customer/log?email=lou&limit=20", &secret).await;
    assert_eq!(api.status, 200, "{api:?}");
    assert_eq!(api.body["items"], serde_json::to_value(&screen.rows).unwrap());
    let cursor = api.body["next_cursor"].as_str().expect("a second page").to_string();
    let screen2 = app
        .load(
            &admin,
            &ListAssistLog { query: GridQuery { after: cursor.clone(), ..screen_query(&[("email", "lou")], 20) } },
        )
        .await
        .unwrap();
    let api2 = get(&app, &format!("/api/v1/login-as-customer/log?email=lou&limit=20&cursor={cursor}"), &secret).await;
    assert_eq!(api2.body["items"], serde_json::to_value(&screen2.rows).unwrap());
    assert!(!screen2.rows.is_empty() && api2.body["next_cursor"].is_null());

    // The action log with the report's filters.
    let filters = [("group", "Login As Customer"), ("actor", "integration")];
    let screen = app.load(&admin, &ListActionLog { query: screen_query(&filters, 50) }).await.unwrap();
    let api = get(&app, "/api/v1/action-log?group=Login%20As%20Customer&actor=integration&limit=50", &secret).await;
    assert_eq!(api.body["items"], serde_json::to_value(&screen.rows).unwrap());
    assert!(screen.rows.len() >= 33);

    // Customers, by email, name or id.
    let found = get(&app, "/api/v1/customers?search=MAX@", &secret).await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(found.body["items"][0]["id"], max);
    let by_id = get(&app, &format!("/api/v1/customers?search={lou}"), &secret).await;
    assert_eq!(by_id.body["items"][0]["email"], "lou@example.com");

    // Caps and bad values: problems, not pages.
    get(&app, "/api/v1/action-log?limit=1000", &secret).await.problem(422, "limit_not_allowed");
    get(&app, "/api/v1/action-log?limit=many", &secret).await.problem(400, "invalid_request");
    get(&app, "/api/v1/action-log?from=yesterday", &secret).await.problem(400, "invalid_request");
    get(&app, "/api/v1/action-log?cursor=forged", &secret).await.problem(400, "invalid_request");
    get(&app, "/api/v1/login-as-customer/log?end_reason=bored", &secret).await.problem(400, "invalid_request");
}

async fn every_call_is_in_the_action_log_with_the_tokens_name(app: TestApp) {
    let (id, secret) = token(&app, "admin", "Zendesk").await;
    let before = app.log().await.len();
    assert_eq!(get(&app, "/api/v1/customers", &secret).await.status, 200);
    get(&app, "/api/v1/customers?limit=3", &secret).await.problem(422, "limit_not_allowed");
    // Reads are logged by the log writer just after they are answered; changes before.
    let mut entries = Vec::new();
    for _ in 0..200 {
        entries = app.log_since(before).await;
        if entries.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(entries.len(), 2, "{entries:?}");
    for (e, result) in entries.iter().zip(["success", "failure"]) {
        assert_eq!(
            (e.action_group.as_str(), e.action.as_str(), e.actor_type.as_str(), e.admin_username.as_str()),
            ("Integrations", "API call", "integration", "admin")
        );
        assert_eq!(e.target_id, "GET /api/v1/customers");
        assert_eq!(e.result, result);
    }
    assert!(entries[1].new_value.as_deref().unwrap().contains("limit_not_allowed"));
    let agent: String = sqlx::query_scalar("SELECT user_agent FROM action_log ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(agent, format!("integration \"Zendesk\" (token #{id}); helpdesk-test/1"));
    let before = app.log().await.len();
    call(&app, "DELETE", "/api/v1/webhooks/99", Some(&secret), None, &[]).await.problem(404, "not_found");
    let entries = app.log_since(before).await;
    assert_eq!(entries.len(), 1, "a call that could change something is logged before it is answered");
    assert_eq!((entries[0].target_id.as_str(), entries[0].result.as_str()), ("DELETE /api/v1/webhooks/99", "failure"));
    let used: Option<i64> = sqlx::query_scalar("SELECT last_used_at FROM integration_tokens WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(used.is_some(), "the grid shows when it was last used");
}

/// A small deterministic generator, so a failing case can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

/// A JSON-ish body: valid JSON of random shapes, or broken text.
fn fuzzed_body(rng: &mut Lcg) -> String {
    let atoms = ["null", "true", "0", "-1", "1e999", "9223372036854775808", "\"\"", "\"x\"", "[]", "{}", "\"\\u0000\""];
    let keys = ["store_view_id", "reason", "url", "events", "extra", ""];
    match rng.next() % 5 {
        0 => rng.pick(&atoms).to_string(),
        1 => {
            let n = rng.next() % 4;
            let fields: Vec<String> =
                (0..n).map(|_| format!("\"{}\": {}", rng.pick(&keys), rng.pick(&atoms))).collect();
            format!("{{{}}}", fields.join(","))
        }
        2 => {
            let valid = format!("{{\"reason\": \"{}\"}}", "é".repeat((rng.next() % 50) as usize));
            let cut = (rng.next() as usize) % valid.len().max(1);
            valid.char_indices().take_while(|(i, _)| *i < cut).map(|(_, c)| c).collect()
        }
        3 => (0..(rng.next() % 64)).map(|_| char::from_u32((rng.next() % 0x7f) as u32).unwrap_or('?')).collect(),
        _ => format!("[{}]", rng.pick(&atoms)),
    }
}

async fn bad_input_gets_a_problem_and_changes_nothing(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    // A customer without consent: whatever the body, no start can succeed.
    let _nod = app.shopper("Lou", "Kim", "lou@example.com").await;
    let lou = app.customer_id("lou@example.com").await;
    let (_, secret) = token(&app, "admin", "Helpdesk").await;
    let before = state_of(&app).await;
    let c = reqwest::Client::new();
    let send = |path: String, body: String, content_type: &'static str| {
        let req = c
            .post(app.url(&path))
            .header("authorization", format!("Bearer {secret}"))
            .header("content-type", content_type)
            .body(body);
        async move { read(req.send().await.unwrap()).await }
    };
    let mut rng = Lcg(20261202);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let body = fuzzed_body(&mut rng);
        for path in [start_path(lou), "/api/v1/webhooks".to_string()] {
            let answer = send(path.clone(), body.clone(), "application/json").await;
            assert!(
                (400..500).contains(&answer.status) && answer.content_type == "application/problem+json",
                "{path} {body:?}: {answer:?}"
            );
            seen.insert(answer.status);
        }
    }
    assert!(seen.contains(&400) && seen.contains(&422), "both malformed and ill-typed bodies were tried: {seen:?}");
    send(start_path(lou), "{}".into(), "text/plain").await.problem(415, "unsupported_media_type");
    let big = json!({ "reason": "x".repeat(20_000) }).to_string();
    send(start_path(lou), big, "application/json").await.problem(413, "body_too_large");
    send(start_path(lou), json!({"reason": "a", "admin_id": 1}).to_string(), "application/json")
        .await
        .problem(422, "invalid_input");
    get(&app, "/api/v1/customers/abc/consent", &secret).await.problem(404, "not_found");
    get(&app, "/api/v1/no-such-thing", &secret).await.problem(404, "not_found");
    call(&app, "PUT", "/api/v1/customers", Some(&secret), Some(json!({})), &[])
        .await
        .problem(405, "method_not_allowed");
    call(&app, "DELETE", &start_path(lou), Some(&secret), None, &[]).await.problem(405, "method_not_allowed");
    assert_eq!(state_of(&app).await, before, "nothing changed");
}

async fn a_flood_from_one_token_is_held_back_alone(app: TestApp) {
    let (_, flood) = token(&app, "admin", "Runaway script").await;
    let (_, calm) = token(&app, "admin", "Helpdesk").await;
    // The test app allows 600 calls a minute per token, refilled at ten a second: on a busy
    // machine the first 700 calls can take long enough to earn a hundred more.
    let mut limited = None;
    for i in 0..1_500 {
        let a = get(&app, "/api/v1/webhooks", &flood).await;
        if a.status == 429 {
            limited = Some((i, a));
            break;
        }
        assert_eq!(a.status, 200);
    }
    let (i, answer) = limited.expect("the budget ran out");
    assert!(i >= 600, "not before the budget: {i}");
    answer.problem(429, "rate_limited");
    assert!(answer.retry_after.is_some_and(|s| (1..=60).contains(&s)), "{answer:?}");
    assert_eq!(get(&app, "/api/v1/webhooks", &calm).await.status, 200, "another token is not held back");
    let shop = app.get(&client(), "/").await;
    assert_eq!(shop.status(), 200, "the storefront is not held back");

    // The refused calls are on record too: counted, one entry per token and period.
    let mut refused: Option<(String, String, String)> = None;
    for _ in 0..100 {
        refused = sqlx::query_as(
            "SELECT user_agent, new_value, result FROM action_log WHERE action = 'API calls refused over budget'",
        )
        .fetch_optional(&app.db.pool)
        .await
        .unwrap();
        if refused.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (agent, new_value, result) = refused.expect("the refused calls are logged");
    assert!(agent.contains("Runaway script"), "{agent}");
    assert_eq!(result, "failure");
    assert!(new_value.contains("\"calls\":1"), "{new_value}");
}

async fn the_openapi_document_is_3_1_and_made_from_the_routes(app: TestApp) {
    let answer = call(&app, "GET", "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(answer.status, 200);
    let doc = answer.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    // The codes a program can act on are listed with the problem's schema.
    let listed = doc["components"]["schemas"]["Problem"]["properties"]["code"]["enum"].clone();
    let listed: Vec<&str> =
        listed.as_array().expect("the codes are listed").iter().filter_map(|c| c.as_str()).collect();
    for code in
        ["unauthenticated", "customer_consent_missing", "rate_limited", "idempotency_key_reused", "method_not_allowed"]
    {
        assert!(listed.contains(&code), "{code} is in the document: {listed:?}");
    }
    for schema in ["Problem", "StartRequest", "StartResponse", "CustomerPage", "LogPage", "ActionLogPage"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} is described");
    }
    let start = &doc["paths"]["/api/v1/customers/{id}/login-as-customer"]["post"];
    let params: Vec<&str> =
        start["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(params.contains(&"Idempotency-Key"), "{params:?}");
}

/// A local webhook receiver: answers each request as `mode` says, keeps what arrived.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>,
    mode: Arc<Mutex<&'static str>>,
}

impl Receiver {
    async fn start(&self) -> String {
        let me = self.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let me = me.clone();
                async move {
                    me.got.lock().unwrap().push((headers, body));
                    let mode = *me.mode.lock().unwrap();
                    match mode {
                        "fail" => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        "hang" => {
                            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                            axum::http::StatusCode::OK
                        }
                        _ => axum::http::StatusCode::NO_CONTENT,
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/hook")
    }

    fn set(&self, mode: &'static str) {
        *self.mode.lock().unwrap() = mode;
    }

    fn count(&self) -> usize {
        self.got.lock().unwrap().len()
    }

    async fn wait_for(&self, n: usize) {
        for _ in 0..400 {
            if self.count() >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{n} deliveries expected, {} arrived", self.count());
    }
}

/// Checks `Shopassist-Signature` as a receiver would, with its own HMAC.
fn signed_by(secret: &str, headers: &axum::http::HeaderMap, body: &str) -> bool {
    use hmac::{Hmac, Mac};
    let value = headers["shopassist-signature"].to_str().unwrap();
    let (t, v1) = value.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let age = shopassist::server::db::now_ms() / 1000 - t.parse::<i64>().unwrap();
    expected == v1 && (0..60).contains(&age)
}

async fn webhooks_are_signed_retried_and_sent_after_a_crash(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let (helpdesk, secret) = token(&app, "admin", "Helpdesk").await;
    let made = post(
        &app,
        "/api/v1/webhooks",
        &secret,
        json!({"url": url, "events": ["login_as_customer.started", "login_as_customer.ended", "consent.changed"]}),
    )
    .await;
    assert_eq!(made.status, 201, "{made:?}");
    let signing = made.body["secret"].as_str().unwrap().to_string();
    post(&app, "/api/v1/webhooks", &secret, json!({"url": "http://example.com/x", "events": ["consent.changed"]}))
        .await
        .problem(422, "invalid_input");
    post(&app, "/api/v1/webhooks", &secret, json!({"url": url, "events": ["order.placed"]}))
        .await
        .problem(422, "invalid_input");
    let listed = get(&app, "/api/v1/webhooks", &secret).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(listed.body[0].get("secret").is_none(), "the secret is shown once");

    // A receiver that holds the first delivery until the sender gives up (its timeout, 2 s
    // here): the start answered at once all the same, so it did not wait for the webhook; the
    // retry is delivered.
    receiver.set("hang");
    let t = std::time::Instant::now();
    let started = post(&app, &start_path(lou), &secret, json!({"reason": "Cart"})).await;
    assert_eq!(started.status, 201);
    assert!(t.elapsed() < std::time::Duration::from_secs(1), "the start did not wait for the webhook");
    receiver.wait_for(1).await;
    receiver.set("ok");
    receiver.wait_for(2).await;
    let (headers, body) = receiver.got.lock().unwrap()[1].clone();
    assert!(signed_by(&signing, &headers, &body), "signed with HMAC-SHA256 over the timestamp and body");
    assert!(!signed_by("whsec_wrong", &headers, &body));
    let event: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["type"], "login_as_customer.started");
    assert_eq!(event["data"]["customer_id"], lou);
    assert_eq!(event["data"]["reason"], "Cart");
    assert_eq!(headers["shopassist-event"], "login_as_customer.started");
    // The receiver has the request before the sender has its answer: the mark follows.
    let mut first = (0, None);
    for _ in 0..200 {
        first = sqlx::query_as("SELECT attempts, delivered_at FROM webhook_deliveries ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if first.1.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let (attempts, delivered): (i64, Option<i64>) = first;
    assert!(attempts == 2 && delivered.is_some(), "{attempts} {delivered:?}");

    // The end, with its reason.
    let session = started.body["session_id"].as_i64().unwrap();
    call(&app, "POST", &format!("/api/v1/login-as-customer/sessions/{session}/end"), Some(&secret), None, &[]).await;
    receiver.wait_for(3).await;
    let ended: Value = serde_json::from_str(&receiver.got.lock().unwrap()[2].1).unwrap();
    assert_eq!(
        (ended["type"].clone(), ended["data"]["end_reason"].clone()),
        (json!("login_as_customer.ended"), json!("closed"))
    );

    // The server dies while a delivery is in flight; the next one sends it.
    receiver.set("hang");
    let shopper = client();
    app.customer_sign_in(
        &shopper,
        &crate::helpers::customer_sign_in_form("lou@example.com", crate::helpers::SHOPPER_PASSWORD),
    )
    .await
    .unwrap();
    let withdraw = AccountForm { assistance_allowed: Some(Checkbox(false)), ..account_form("Lou", "Kim") };
    assert_eq!(app.save_account(&shopper, &withdraw).await, Ok(()));
    receiver.wait_for(4).await;
    app.stop_server().await;
    receiver.set("ok");
    let (_addr, next) = app.sibling().await;
    receiver.wait_for(5).await;
    let got = receiver.got.lock().unwrap().clone();
    assert_eq!(got[3].1, got[4].1, "the same event, sent again");
    let changed: Value = serde_json::from_str(&got[4].1).unwrap();
    assert_eq!((changed["type"].clone(), changed["data"]["allowed"].clone()), (json!("consent.changed"), json!(false)));
    let mut left = -1;
    for _ in 0..200 {
        left = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE delivered_at IS NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(left, 0, "every delivery is marked delivered");
    next.abort();

    // A revoked token's webhook gets nothing more.
    revoke(&app, helpdesk).await;
    let mut tx = app.db.begin().await.unwrap();
    shopassist::server::webhooks::emit(&mut tx, "consent.changed", 1, json!({})).await.unwrap();
    tx.commit().await.unwrap();
    let queued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(queued, 3, "nothing queued for a revoked token");
}

/// The ```bash blocks of a Markdown file, in order.
fn bash_blocks(markdown: &str) -> String {
    let mut script = String::new();
    let mut inside = false;
    for line in markdown.lines() {
        match (inside, line.trim_end()) {
            (false, "```bash") => inside = true,
            (true, "```") => inside = false,
            (true, code) => {
                script.push_str(code);
                script.push('\n');
            }
            _ => {}
        }
    }
    script
}

async fn the_curl_session_in_docs_api_md_works_as_written(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let lou = consenting(&app, "Lou", "lou@example.com").await;
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.md")).unwrap();
    let script = format!("set -euo pipefail\n{}", bash_blocks(&doc));
    assert!(script.matches("curl").count() >= 8, "{script}");
    let shop = format!("http://{}", app.addr);
    // The guide makes its token with the command line, against this store's database.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_shopassist")).parent().unwrap().display().to_string();
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    let url = app.database_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("SHOP", shop)
            .env("PATH", path)
            .env("DATABASE_URL", url)
            // The guide's receiver, on this machine (the test suite's setting allows loopback):
            // no name is looked up and nothing leaves the machine.
            .env("HOOK", "https://127.0.0.1:9/hooks/shop")
            .env("RUST_LOG", "warn")
            .output()
    })
    .await
    .unwrap()
    .expect("bash runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the session failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("\"code\": \"customer_not_found\"") && stdout.contains("open_url"), "{stdout}");
    let (customer, reason, ended): (i64, Option<String>, Option<String>) =
        sqlx::query_as("SELECT customer_id, reason, end_reason FROM assistance_sessions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (customer, reason.as_deref(), ended.as_deref()),
        (lou, Some("Ticket #4411: the cart will not update"), Some("closed"))
    );
    assert_eq!(app.count("webhooks").await, 1);
    let made_by: String =
        sqlx::query_scalar("SELECT name FROM integration_tokens").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(made_by, "Helpdesk", "the guide's own token did the calls");
}

use screen::the_integrations_screen_makes_lists_and_revokes_tokens;

/// A token whose role covers one website reads, finds and ends what its user's screens show,
/// with the date filters too, and the other website's customers do not exist for it.
async fn a_scoped_token_reads_what_its_users_screens_show(app: TestApp) {
    use shopassist::api::customers::ListCustomers;
    configure(&app, &[(ENABLED, "1")]).await;
    let second = app.website_id("second").await;
    let form = |first: &str, email: &str, store: &str| RegisterForm {
        store: store.into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form(first, "Kim", email)
    };
    app.register(&client(), &form("Here", "here@example.com", "second_en")).await.unwrap();
    app.register(&client(), &form("There", "there@example.com", "")).await.unwrap();
    let (here, there) = (app.customer_id("here@example.com").await, app.customer_id("there@example.com").await);
    let resources = "customers.manage,login_as_customer.login,login_as_customer.view_log";
    let agent = crate::role_scopes::scoped_admin(&app, "agent", resources, &[second]).await;
    let (_, scoped) = token(&app, "agent", "Second site desk").await;
    let (_, wide) = token(&app, "admin", "Helpdesk").await;
    let theirs = post(&app, &start_path(there), &wide, json!({})).await;
    assert_eq!(theirs.status, 201, "{theirs:?}");
    assert_eq!(post(&app, &start_path(here), &scoped, json!({})).await.status, 201);

    // Customers: the screen's rows, nobody from the other website, by name too.
    let screen = app.load(&agent, &ListCustomers { query: screen_query(&[], 20) }).await.unwrap();
    let api = get(&app, "/api/v1/customers?limit=20", &scoped).await;
    assert_eq!(api.body["items"], serde_json::to_value(&screen.rows).unwrap());
    let ids: Vec<i64> = screen.rows.iter().map(|r| r.id).collect();
    assert!(ids.contains(&here) && !ids.contains(&there), "{ids:?}");
    assert_eq!(get(&app, "/api/v1/customers?search=here", &scoped).await.body["items"][0]["id"], here);
    assert!(get(&app, "/api/v1/customers?search=there", &scoped).await.body["items"].as_array().unwrap().is_empty());
    get(&app, &format!("/api/v1/customers/{there}/consent"), &scoped).await.problem(404, "customer_not_found");
    let consent = get(&app, &format!("/api/v1/customers/{here}/consent"), &scoped).await;
    assert_eq!(consent.body["allowed"], true, "{consent:?}");
    let session = theirs.body["session_id"].as_i64().unwrap();
    let end = format!("/api/v1/login-as-customer/sessions/{session}/end");
    call(&app, "POST", &end, Some(&scoped), None, &[]).await.problem(404, "not_found");

    // The Login as Customer Log within the scope, with the screen's date filters.
    for (from, to) in [("2020-01-01", "2100-12-31"), ("2100-01-01", "2100-12-31"), ("2020-01-01", "2020-12-31")] {
        let filters = [("from", from), ("to", to)];
        let screen = app.load(&agent, &ListAssistLog { query: screen_query(&filters, 20) }).await.unwrap();
        let api = get(&app, &format!("/api/v1/login-as-customer/log?from={from}&to={to}"), &scoped).await;
        assert_eq!(api.body["items"], serde_json::to_value(&screen.rows).unwrap(), "{from}..{to}");
        let customers: Vec<i64> = screen.rows.iter().map(|r| r.customer_id).collect();
        assert!(!customers.contains(&there), "{customers:?}");
        assert_eq!(customers.len(), if from == "2020-01-01" && to == "2100-12-31" { 1 } else { 0 });
    }
}

/// What a webhook's token may receive is decided again when each event is sent: a user
/// deactivated, a role that lost the resource, or a website outside the role's scope gets
/// nothing, and the delivery is dropped rather than retried.
async fn webhook_deliveries_follow_the_role_at_sending_time(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let second = app.website_id("second").await;
    let resources = "customers.manage,login_as_customer.login,login_as_customer.view_log";
    crate::role_scopes::scoped_admin(&app, "agent", resources, &[second]).await;
    let (_, secret) = token(&app, "agent", "Second site desk").await;
    let events = ["login_as_customer.started", "login_as_customer.ended", "consent.changed"];
    assert_eq!(post(&app, "/api/v1/webhooks", &secret, json!({"url": url, "events": events})).await.status, 201);
    let queue = |website: i64| {
        let app = &app;
        async move {
            let mut tx = app.db.begin().await.unwrap();
            shopassist::server::webhooks::emit(&mut tx, "consent.changed", website, json!({ "website": website }))
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    };
    let dropped = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM webhook_deliveries WHERE dropped_at IS NOT NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let wait_dropped = |n: i64| async move {
        for _ in 0..200 {
            if dropped().await >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{n} deliveries were not dropped");
    };

    // Within the scope it arrives; outside it, it is dropped.
    queue(second).await;
    receiver.wait_for(1).await;
    queue(app.website_id("base").await).await;
    wait_dropped(1).await;

    // The role loses Customers: consent changes are no longer its to see.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let role = app.role_id("agent role").await;
    let narrower = shopassist::domain::forms::RoleForm {
        id: role.to_string(),
        scope: Some("custom".into()),
        websites: Some(second.to_string()),
        ..role_form("agent role", "login_as_customer.login,login_as_customer.view_log")
    };
    app.save_role(&admin, &narrower).await.unwrap();
    queue(second).await;
    wait_dropped(2).await;

    // The user is deactivated: nothing more is sent.
    let user = app.user(&admin, app.admin_id("agent").await).await.unwrap().user.unwrap();
    let off =
        shopassist::domain::forms::AdminUserForm { is_active: Checkbox(false), ..crate::helpers::edit_user_form(user) };
    app.save_user(&admin, &off).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    shopassist::server::webhooks::emit(&mut tx, "login_as_customer.started", second, json!({})).await.unwrap();
    tx.commit().await.unwrap();
    wait_dropped(3).await;
    assert_eq!(receiver.got.lock().unwrap().len(), 1, "only the first event was sent");
}

/// `shopassist token create` prints a secret once that the API accepts; `token revoke` stops it.
#[test]
fn the_token_commands_make_and_revoke_a_working_token() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_shopassist"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("SHOPASSIST_ADMIN_PASSWORD", "Cli-Admin-Passw0rd")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, _, err) = run(&["demo-data", "--customers", "1"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "admin",
        "create",
        "--username",
        "jane",
        "--email",
        "jane@example.com",
        "--first-name",
        "Jane",
        "--last-name",
        "Doe",
        "--role",
        "Administrators",
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["token", "create", "--username", "jane", "--name", "Helpdesk", "--expires", "90d"]);
    assert!(ok, "{err}");
    let secret = out.lines().last().unwrap().trim().to_string();
    assert!(secret.starts_with("sa_") && secret.len() == 67, "{out}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (stored, name, expires_in_days): (String, String, i64) = rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query_as("SELECT token_hash, name, (expires_at - created_at) / 86400000 FROM integration_tokens")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!((name.as_str(), expires_in_days), ("Helpdesk", 90));
    assert_eq!(stored, shopassist::server::actions::integrations::token_hash(&secret), "only the hash is stored");
    assert!(!stored.contains(&secret[3..]));
    let (ok, _, err) = run(&["token", "create", "--username", "nobody", "--name", "X", "--expires", "90d"]);
    assert!(!ok && !err.is_empty(), "an unknown user is refused");
    let (ok, _, err) = run(&["token", "create", "--username", "jane", "--name", "X", "--expires", "9000d"]);
    assert!(!ok && !err.is_empty(), "a lifetime past the limit is refused");

    // The token works on the JSON API of a server on that database, until it is revoked.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    /// Stops the server however the test ends.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Stop(server);
    let call = |secret: &str| {
        rt.block_on(async {
            let url = format!("http://127.0.0.1:{port}/api/v1/customers");
            for _ in 0..200 {
                let sent = reqwest::Client::new()
                    .get(&url)
                    .bearer_auth(secret)
                    .timeout(std::time::Duration::from_secs(10))
                    .send()
                    .await;
                match sent {
                    Ok(res) => return (res.status().as_u16(), res.text().await.unwrap_or_default()),
                    Err(e) if e.is_connect() => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                    Err(e) => panic!("GET {url}: {e}"),
                }
            }
            panic!("the server on port {port} never answered");
        })
    };
    let (status, body) = call(&secret);
    assert_eq!(status, 200, "the new token reads customers: {body}");
    assert_eq!(call("sa_not-a-token").0, 401, "a made-up token does not");
    let (ok, _, err) = run(&["token", "revoke", "1"]);
    assert!(ok, "{err}");
    let (status, body) = call(&secret);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("token_revoked"), "{body}");
}

crate::on_both_databases!(
    the_curl_session_in_docs_api_md_works_as_written,
    the_integrations_screen_makes_lists_and_revokes_tokens,
    every_route_refuses_a_missing_revoked_expired_or_foreign_token_and_changes_nothing,
    a_token_never_grants_more_than_its_users_role_at_the_call,
    the_start_follows_every_rule_of_the_screen,
    a_retried_start_with_its_idempotency_key_makes_one_session,
    the_logs_read_as_the_screens_grids_with_a_cursor,
    every_call_is_in_the_action_log_with_the_tokens_name,
    bad_input_gets_a_problem_and_changes_nothing,
    a_flood_from_one_token_is_held_back_alone,
    the_openapi_document_is_3_1_and_made_from_the_routes,
    webhooks_are_signed_retried_and_sent_after_a_crash,
    a_scoped_token_reads_what_its_users_screens_show,
    webhook_deliveries_follow_the_role_at_sending_time,
);

mod screen {
    use super::*;
    use server_fn::ServerFn;
    use shopassist::api::integrations::{CreateIntegrationToken, IntegrationsScreen, RevokeIntegrationToken};
    use shopassist::domain::error::AppError;
    use shopassist::domain::forms::{RevokeTokenForm, TokenForm};

    fn form(name: &str, user: i64, password: &str) -> TokenForm {
        TokenForm {
            name: name.into(),
            admin_user_id: user.to_string(),
            expires: "90d".into(),
            current_password: password.into(),
        }
    }

    pub async fn the_integrations_screen_makes_lists_and_revokes_tokens(app: TestApp) {
        let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
        let me = app.admin_id("admin").await;
        let screen = app.load(&admin, &IntegrationsScreen {}).await.unwrap();
        assert!(screen.tokens.is_empty());
        assert!(screen.users.iter().any(|(id, name)| *id == me && name == "admin (Ada Admin)"), "{:?}", screen.users);

        // Every field's error at once, and the admin's own password first of all.
        let refused = app.call(&admin, &CreateIntegrationToken { form: form("", 0, "") }).await.unwrap_err();
        for field in ["name", "admin_user_id", "current_password"] {
            assert!(refused.error.field_msg(field).is_some(), "{field}: {refused:?}");
        }
        let wrong = app.call(&admin, &CreateIntegrationToken { form: form("Helpdesk", me, "not-mine") }).await;
        assert!(wrong.is_err(), "{wrong:?}");
        assert_eq!(app.count("integration_tokens").await, 0);

        let made =
            app.call(&admin, &CreateIntegrationToken { form: form("Helpdesk", me, ADMIN_PASSWORD) }).await.unwrap();
        assert_eq!(get(&app, "/api/v1/webhooks", &made.secret).await.status, 200, "the secret works");
        let screen = app.load(&admin, &IntegrationsScreen {}).await.unwrap();
        let row = &screen.tokens[0];
        assert_eq!((row.name.as_str(), row.username.as_str(), row.status(screen.now)), ("Helpdesk", "admin", "Active"));
        assert!(row.last_used_at.is_some(), "last used");
        assert!(made.secret.starts_with(&row.prefix) && row.prefix.len() < 12, "only a prefix is listed");
        assert!((row.expires_at - row.created_at - 90 * 86_400_000).abs() < 5_000);
        let listed = serde_json::to_string(&screen).unwrap();
        assert!(!listed.contains(&made.secret[10..]), "the secret is never listed");

        // Without the resource: nothing.
        let clerk = app.admin_with("clerk", Grant::custom([Resource::Dashboard])).await;
        let clerk = app.admin_client(&clerk, ADMIN_PASSWORD).await;
        assert_eq!(app.load(&clerk, &IntegrationsScreen {}).await.unwrap_err().status, 403);
        let refused = app.call(&clerk, &CreateIntegrationToken { form: form("Mine", me, ADMIN_PASSWORD) }).await;
        assert_eq!(refused.unwrap_err().status, 403);
        let revoke = RevokeTokenForm { id: made.id.to_string() };
        assert_eq!(app.call(&clerk, &RevokeIntegrationToken { form: revoke.clone() }).await.unwrap_err().status, 403);

        // An admin with the resource but a smaller role cannot make a token for a bigger one.
        let integrator = app.admin_with("integrator", Grant::custom([Resource::SystemIntegrations])).await;
        let integrator_id = app.admin_id(&integrator).await;
        let integrator = app.admin_client(&integrator, ADMIN_PASSWORD).await;
        let refused =
            app.call(&integrator, &CreateIntegrationToken { form: form("Escalate", me, ADMIN_PASSWORD) }).await;
        assert!(matches!(refused.unwrap_err().error, AppError::Forbidden(_)));
        let own = form("Own", integrator_id, ADMIN_PASSWORD);
        assert!(app.call(&integrator, &CreateIntegrationToken { form: own }).await.is_ok());

        // From another site: refused, nothing made or revoked.
        let forged = CreateIntegrationToken { form: form("Forged", me, ADMIN_PASSWORD) };
        let reply = app
            .post_raw_with(
                &admin,
                CreateIntegrationToken::PATH,
                crate::helpers::encode(&forged),
                &[("origin", "http://evil.example")],
            )
            .await;
        assert_eq!(reply.status, 403, "{}", reply.body);
        let reply = app
            .post_raw_with(
                &admin,
                RevokeIntegrationToken::PATH,
                crate::helpers::encode(&RevokeIntegrationToken { form: revoke.clone() }),
                &[("origin", "http://evil.example")],
            )
            .await;
        assert_eq!(reply.status, 403, "{}", reply.body);
        assert_eq!(app.count("integration_tokens").await, 2);

        // Revoked, twice at once: one revocation, logged once; the next call is refused.
        let twice = RevokeIntegrationToken { form: revoke };
        let (a, b) = tokio::join!(app.call(&admin, &twice), app.call(&admin, &twice));
        assert_eq!((a, b), (Ok(()), Ok(())));
        get(&app, "/api/v1/webhooks", &made.secret).await.problem(401, "token_revoked");
        let screen = app.load(&admin, &IntegrationsScreen {}).await.unwrap();
        let row = screen.tokens.iter().find(|t| t.id == made.id).unwrap();
        assert_eq!(row.status(screen.now), "Revoked");
        let actions: Vec<String> =
            app.log().await.into_iter().filter(|e| e.action_group == "Integrations").map(|e| e.action).collect();
        assert!(actions.contains(&"Create integration token".to_string()));
        assert_eq!(actions.iter().filter(|a| *a == "Revoke integration token").count(), 1, "revoked once");
    }
}
