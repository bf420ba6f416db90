//! The second security round: each hole found by trying the store as an attacker would, shut.
//! Per-website accounts stay on their website (signed in or assisted); role scopes hold on
//! every read of the action log; webhooks cannot reach inside the store's network; out of
//! scope answers exactly as not found; links and redirects never come from the request.
//!
//! The tests speak plain HTTP where they can, as the attack did.

use crate::helpers::{
    client, config_form, customer_form, encode, register_form, AnswerExt, TestApp, ADMIN_PASSWORD, SHOPPER_PASSWORD,
};
use crate::role_scopes::scoped_admin;
use serde_json::{json, Value};
use server_fn::ServerFn;
use shopassist::api::assist::{AssistDialog, StartAssist};
use shopassist::api::audit::{GetActionLogEntry, ListActionLog};
use shopassist::api::customers::{GetCustomerEditData, SaveCustomer};
use shopassist::api::storefront::{
    AccountInfo, CloseAssistance, CustomerSignIn, GetStoreView, GetStorefrontContext, Register,
};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{Checkbox, CustomerSignInForm, RegisterForm, StartAssistForm};
use shopassist::domain::grid::GridQuery;
use shopassist::domain::model::StorefrontContext;
use shopassist::server::actions::integrations::{create_token, NewTokenInput};
use shopassist::server::db::audit::Origin;
use std::collections::BTreeSet;

const ENABLED: &str = "login_as_customer.general.enabled";
const NOTIFY: &str = "login_as_customer.general.notify_customer";
const SHARE: &str = "customer.account_share.scope";

async fn configure(app: &TestApp, section: &str, values: &[(&str, &str)]) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.save_config(&admin, &config_form("default", section, values)).await, Ok(()), "{values:?}");
}

/// Registers `email` on store view `store` (consenting) in a new browser; the browser and the id.
async fn shopper_on(app: &TestApp, store: &str, email: &str) -> (reqwest::Client, i64) {
    let c = client();
    let form = RegisterForm {
        store: store.into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form("Ada", "Lovelace", email)
    };
    app.register(&c, &form).await.unwrap_or_else(|e| panic!("register {email} on {store:?}: {e:?}"));
    let id: i64 = sqlx::query_scalar(
        "SELECT c.id FROM customers c JOIN store_views v ON v.website_id = c.website_id \
         WHERE c.email = $1 AND v.code = $2",
    )
    .bind(email)
    .bind(if store.is_empty() { "default" } else { store })
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (c, id)
}

async fn context(app: &TestApp, c: &reqwest::Client, store: &str) -> StorefrontContext {
    app.call(c, &GetStorefrontContext { store: store.into() }).await.expect("storefront context")
}

/// Starts assisting `customer` as `admin` and opens the storefront in the admin's browser.
async fn assist(app: &TestApp, admin: &reqwest::Client, customer: i64) -> i64 {
    let form = StartAssistForm { customer_id: customer.to_string(), store: String::new(), reason: String::new() };
    let started = app.call(admin, &StartAssist { form }).await.expect("started");
    let secret = started.open_url.split_once('#').expect("the secret is in the fragment").1.to_string();
    let reply = app.post_raw(admin, "/admin/login-as-customer/redeem", format!("ticket={secret}")).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    started.session_id
}

/// A token for `username`, made as the command line makes it.
async fn token(app: &TestApp, username: &str) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let input = NewTokenInput::parse(&format!("{username} desk"), app.admin_id(username).await, "90d").unwrap();
    let made = create_token(&mut tx, &Origin::cli(), &input).await.unwrap();
    tx.commit().await.unwrap();
    made.secret
}

/// A JSON API call: status, content type and body as sent.
async fn api(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> (u16, String, String) {
    let mut req = reqwest::Client::new()
        .request(method.parse().unwrap(), app.url(path))
        .header("authorization", format!("Bearer {token}"));
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let res = req.send().await.expect("the API answers");
    let status = res.status().as_u16();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

// -- 1. Accounts shared per website stay per website ------------------------------------------

async fn under_per_website_sharing_a_sign_in_holds_on_its_own_website_only(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    let (ada, _) = shopper_on(&app, "", "ada@example.com").await;
    assert!(context(&app, &ada, "").await.customer.is_some(), "signed in on the main website");

    // On the second website's store view the browser is a guest: no name, no account pages.
    assert_eq!(context(&app, &ada, "second_en").await.customer, None, "no name in the other website's header");
    let refused = app.call(&ada, &AccountInfo { store: "second_en".into() }).await.refused();
    assert_eq!(refused.error, AppError::unauthenticated(Msg::CustomerSignInNeeded));
    let page = app.page_shown(&ada, "/second_en/customer/account").await;
    assert!(!page.contains("ada@example.com") && !page.contains("Lovelace"), "{page}");
    let history = app.post_raw(&ada, "/api/store/assistance_history", "store=second_en").await;
    assert_eq!(history.status, 401, "{}", history.body);
    // Back on its own website, the sign-in still holds.
    assert_eq!(app.call(&ada, &AccountInfo { store: String::new() }).await.unwrap().email, "ada@example.com");

    // The other website has its own accounts: a sign-in there with the main website's account
    // is refused, and the same email may register there as another account.
    let there = CustomerSignInForm {
        store: "second_en".into(),
        email: "ada@example.com".into(),
        password: SHOPPER_PASSWORD.into(),
    };
    assert_eq!(app.customer_sign_in(&client(), &there).await.refused().status, 401);
    let (other, other_id) = shopper_on(&app, "second_en", "ada@example.com").await;
    assert_eq!(context(&app, &other, "").await.customer, None, "the second website's account is not signed in on main");

    // Global sharing cannot hold one email on two websites: refused, clearly, with nothing changed.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let entries = app.log_count().await;
    let refused = app.save_config(&admin, &config_form("default", "customer", &[(SHARE, "global")])).await.refused();
    assert_eq!(refused.error, AppError::field(SHARE, Msg::ShareGloballyCollides { count: 1 }));
    assert_eq!(refused.status, 400, "bad input, as every refused field");
    assert_eq!(app.log_count().await, entries, "nothing logged");
    assert_eq!(context(&app, &ada, "second_en").await.customer, None, "still per website");

    // Once the second account has another email, Global sharing is accepted, and the sign-in
    // then holds on every website, as before.
    let detail = app.customer(&admin, other_id).await.unwrap().customer;
    let renamed =
        shopassist::domain::forms::CustomerForm { email: "ada.second@example.com".into(), ..customer_form(&detail) };
    app.save_customer(&admin, &renamed).await.unwrap();
    configure(&app, "customer", &[(SHARE, "global")]).await;
    assert_eq!(context(&app, &ada, "second_en").await.customer.map(|c| c.email), Some("ada@example.com".into()));
    assert_eq!(app.call(&ada, &AccountInfo { store: "second_en".into() }).await.unwrap().email, "ada@example.com");
}

async fn an_assisted_session_is_bound_to_its_customers_website(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    let (_own, ada) = shopper_on(&app, "", "ada@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, ada).await;
    assert!(context(&app, &admin, "").await.assisted.is_some(), "assisting on the customer's website");

    // The other website's store views do not exist for this browser: not its pages, not its
    // data, not a way out through `Close Session`.
    assert_eq!(app.get(&admin, "/second_en/customer/account").await.status(), 404);
    assert_eq!(app.get(&admin, "/second_en").await.status(), 404);
    let refused = app.call(&admin, &GetStorefrontContext { store: "second_en".into() }).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::StoreNotFound));
    let refused = app.call(&admin, &GetStoreView { store: "second_zh".into() }).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::StoreNotFound));
    let refused = app.call(&admin, &CloseAssistance { store: "second_en".into() }).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::StoreNotFound));
    let sign_in = CustomerSignInForm { store: "second_en".into(), email: "x@example.com".into(), password: "x".into() };
    assert_eq!(app.customer_sign_in(&admin, &sign_in).await.refused().error, AppError::not_found(Msg::StoreNotFound));
    assert!(context(&app, &admin, "").await.assisted.is_some(), "the session runs on");

    // A guest or the customer's own browser still reaches the second website.
    assert_eq!(app.get(&client(), "/second_en").await.status(), 200);
}

async fn under_global_sharing_an_assisted_session_reaches_every_website(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    configure(&app, "customer", &[(SHARE, "global")]).await;
    let (_own, ada) = shopper_on(&app, "", "ada@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, ada).await;
    let there = context(&app, &admin, "second_en").await;
    assert!(there.assisted.is_some() && there.customer.is_some(), "{there:?}");
    assert_eq!(app.get(&admin, "/second_en/customer/account").await.status(), 200);
}

// -- 2. Role scopes apply to every read of the action log -------------------------------------

/// Every entry a reader scoped to `websites` with `groups` readable may see, by the rule: an
/// entry about a customer (as actor, target, or through their assistance session) by that
/// customer's website; an entry about no customer by its group.
async fn visible_by_rule(app: &TestApp, websites: &[i64], groups: &[&str]) -> BTreeSet<i64> {
    let rows: Vec<(i64, String, String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, action_group, target_type, target_id, customer_id FROM action_log")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let mut seen = BTreeSet::new();
    for (id, group, target_type, target_id, customer) in rows {
        let about = match (customer, target_type.as_str()) {
            (Some(c), _) => Some(c),
            (None, "customer") => Some(target_id.parse::<i64>().unwrap()),
            (None, "assistance_session") => Some(
                sqlx::query_scalar("SELECT customer_id FROM assistance_sessions WHERE id = $1")
                    .bind(target_id.parse::<i64>().unwrap())
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap(),
            ),
            _ => None,
        };
        let visible = match about {
            Some(c) => {
                let website: i64 = sqlx::query_scalar("SELECT website_id FROM customers WHERE id = $1")
                    .bind(c)
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
                websites.contains(&website)
            }
            None => groups.contains(&group.as_str()),
        };
        if visible {
            seen.insert(id);
        }
    }
    seen
}

async fn a_scoped_role_reads_only_its_websites_entries_in_every_view_of_the_log(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    let (main, second) = (app.website_id("base").await, app.website_id("second").await);
    let (_there_browser, there) = shopper_on(&app, "", "there@example.com").await;
    let (_here_browser, here) = shopper_on(&app, "second_en", "here@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    // Entries about each customer: a start (target: the customer), what the agent does while
    // assisting (actor: the customer), and the end (target: the session).
    for customer in [there, here] {
        let session = assist(&app, &admin, customer).await;
        let store = if customer == here { "second_en" } else { "" };
        let saved = save_names(&app, &admin, store, &format!("Changed {session}")).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        app.call(&admin, &CloseAssistance { store: store.into() }).await.unwrap();
    }
    let resources = "system.action_logs.report,customers.manage,login_as_customer.view_log";
    let reader = scoped_admin(&app, "reader", resources, &[second]).await;
    assert_ne!(main, second);

    let expected = visible_by_rule(&app, &[second], &["Customers", "Login As Customer"]).await;
    let all: BTreeSet<i64> = sqlx::query_scalar::<_, i64>("SELECT id FROM action_log")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let about_there: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM action_log WHERE customer_id = $1 OR (target_type = 'customer' AND target_id = $2)",
    )
    .bind(there)
    .bind(there.to_string())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(about_there.len() >= 3, "the main website's customer has entries: {about_there:?}");
    assert!(expected.len() >= 3 && expected.len() < all.len(), "the rule hides some and shows some");

    // The grid.
    let query = GridQuery { limit: 200, ..GridQuery::default() };
    let page = app.load(&reader, &ListActionLog { query: query.clone() }).await.unwrap();
    let grid: BTreeSet<i64> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(grid, expected, "the grid");
    assert!(about_there.iter().all(|id| !grid.contains(id)));
    let everything = app.load(&admin, &ListActionLog { query }).await.unwrap();
    assert_eq!(everything.rows.len(), all.len(), "an unscoped role reads everything");

    // The entry page: an entry about the other website's customer answers as a missing one.
    let hidden = app.send(&reader, &GetActionLogEntry { id: about_there[0].to_string() }).await;
    let missing = app.send(&reader, &GetActionLogEntry { id: "999999".into() }).await;
    assert_eq!((hidden.status, &hidden.body), (missing.status, &missing.body), "out of scope reads as missing");
    assert_eq!(hidden.status, 404);
    let shown = *expected.iter().next().unwrap();
    assert_eq!(app.send(&reader, &GetActionLogEntry { id: shown.to_string() }).await.status, 200);

    // The CSV.
    let csv = app.get(&reader, "/admin/export/action_log.csv").await.text().await.unwrap();
    let ids: BTreeSet<i64> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    assert_eq!(ids, expected, "the CSV");

    // The JSON API.
    let secret = token(&app, "reader").await;
    let (status, _, body) = api(&app, "GET", "/api/v1/action-log?limit=200", &secret, None).await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    let listed: BTreeSet<i64> = body["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    // The API's own calls are logged as they happen; they are about no customer, in a group
    // (Integrations) this role's resources do not cover.
    assert_eq!(listed, expected, "the JSON API");
}

// -- 3 and 5. Webhooks cannot reach inside; links come from the configuration -------------------

/// An app as a store runs: no loopback allowance for webhooks, and a public address of its own
/// (never connected to here: the tests only read the links written with it).
mod strict {
    use super::*;

    const PUBLIC: &str = "https://shop.example.test";

    async fn webhook_addresses_inside_the_store_network_are_refused(app: TestApp) {
        let secret = token(&app, "admin").await;
        // Address literals and `localhost` (from the hosts file): nothing is looked up outside
        // this machine and nothing is connected to.
        let inside = [
            "https://169.254.169.254/latest/meta-data",
            "https://127.0.0.1:9/hook",
            "https://10.0.0.1/hook",
            "https://172.16.5.4/hook",
            "https://192.168.0.10/hook",
            "https://100.64.0.1/hook",
            "https://0.0.0.0/hook",
            "https://224.0.0.1/hook",
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook",
            "https://[::ffff:a9fe:a9fe]/hook",
            "https://[fd00:ec2::254]/hook",
            "https://[fe80::1]/hook",
            "https://[::]/hook",
            "https://localhost:9/hook",
        ];
        for url in inside {
            let (status, kind, body) = api(
                &app,
                "POST",
                "/api/v1/webhooks",
                &secret,
                Some(json!({"url": url, "events": ["consent.changed"]})),
            )
            .await;
            assert_eq!((status, kind.as_str()), (422, "application/problem+json"), "{url}: {body}");
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["errors"][0]["code"], "webhook_address_inside", "{url}: {body}");
            assert_eq!(body["errors"][0]["field"], "url", "{url}: {body}");
        }
        for url in ["http://127.0.0.1:9/hook", "http://localhost:9/hook"] {
            let (status, _, body) = api(
                &app,
                "POST",
                "/api/v1/webhooks",
                &secret,
                Some(json!({"url": url, "events": ["consent.changed"]})),
            )
            .await;
            assert!(status == 422 && body.contains("webhook_url_https"), "{url}: {status} {body}");
        }
        assert_eq!(app.count("webhooks").await, 0, "none was saved");
    }

    /// A webhook saved while its host pointed outside (here: written straight to the
    /// database) is checked again at each delivery, at the connect: a receiver inside is never
    /// reached.
    async fn each_delivery_checks_the_address_again(app: TestApp) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let reached = Arc::new(AtomicUsize::new(0));
        let counter = reached.clone();
        tokio::spawn(async move {
            while listener.accept().await.is_ok() {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let _ = token(&app, "admin").await;
        let token_id: i64 =
            sqlx::query_scalar("SELECT id FROM integration_tokens").fetch_one(&app.db.pool).await.unwrap();
        let mut tx = app.db.begin().await.unwrap();
        for url in [format!("https://127.0.0.1:{port}/hook"), format!("https://localhost:{port}/hook")] {
            shopassist::server::db::integrations::insert_webhook(&mut tx, token_id, &url, "s3cret", "consent.changed")
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        // A consent change is an event for both.
        let (own, _) = shopper_on(&app, "", "ada@example.com").await;
        let mut form = crate::helpers::account_form("Ada", "Lovelace");
        form.assistance_allowed = Some(Checkbox(false));
        app.save_account(&own, &form).await.unwrap();
        let mut errors: Vec<(i64, Option<String>)> = Vec::new();
        for _ in 0..200 {
            errors = sqlx::query_as("SELECT attempts, last_error FROM webhook_deliveries ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
            if errors.len() >= 4 && errors.iter().all(|(attempts, error)| *attempts > 0 && error.is_some()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Registering with the box ticked and unticking it: two events, each for both webhooks.
        assert_eq!(errors.len(), 4, "{errors:?}");
        for (attempts, error) in &errors {
            assert!(*attempts > 0, "{errors:?}");
            assert!(error.as_deref().is_some_and(|e| e.contains("inside the store's network")), "{errors:?}");
        }
        let delivered: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE delivered_at IS NOT NULL")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(delivered, 0);
        assert_eq!(reached.load(Ordering::SeqCst), 0, "the receiver inside was never connected to");
    }

    async fn every_absolute_link_is_made_on_the_public_address(app: TestApp) {
        configure(&app, "login_as_customer", &[(ENABLED, "1"), (NOTIFY, "1")]).await;
        let (_own, ada) = shopper_on(&app, "second_en", "ada@example.com").await;
        // The webhook is written to the outbox with the start; it is never delivered here.
        let secret = token(&app, "admin").await;
        let mut tx = app.db.begin().await.unwrap();
        let token_id: i64 =
            sqlx::query_scalar("SELECT id FROM integration_tokens").fetch_one(&app.db.pool).await.unwrap();
        shopassist::server::db::integrations::insert_webhook(
            &mut tx,
            token_id,
            "https://192.0.2.1/hook",
            "s3cret",
            "login_as_customer.started",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // The API's link: from the configuration, whatever `Host` the call says.
        let res = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/customers/{ada}/login-as-customer")))
            .header("authorization", format!("Bearer {secret}"))
            .header("host", "evil.example")
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        let open = body["open_url"].as_str().unwrap();
        assert!(open.starts_with(&format!("{PUBLIC}/admin/login-as-customer/open#")), "{open}");

        // The shopper's notice links to their account on their own store view.
        let mail: String =
            sqlx::query_scalar("SELECT body FROM outbox_messages").fetch_one(&app.db.pool).await.unwrap();
        assert!(mail.contains(&format!("{PUBLIC}/second_en/customer/account")), "{mail}");
        assert!(!mail.contains("evil.example"), "{mail}");

        // The webhook's payload.
        let payload: String = sqlx::query_scalar("SELECT body FROM webhook_deliveries WHERE event = $1")
            .bind("login_as_customer.started")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["data"]["customer_admin_url"], format!("{PUBLIC}/admin/customers/{ada}/edit"));
    }

    crate::on_both_databases!(
        with |s| {
            s.webhook_allow_local = false;
            s.public_url = Some(crate::attacks::strict::PUBLIC.into());
        };
        webhook_addresses_inside_the_store_network_are_refused,
        each_delivery_checks_the_address_again,
        every_absolute_link_is_made_on_the_public_address,
    );
}

// -- 4. Out of scope answers exactly as not found ----------------------------------------------

/// A server function's path and arguments for a customer id.
type ServerCall = Box<dyn Fn(i64) -> (&'static str, String)>;
/// A JSON API method, path for a customer id, and body.
type ApiCall = (&'static str, fn(i64) -> String, Option<Value>);

async fn out_of_scope_answers_byte_for_byte_as_not_found(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    let second = app.website_id("second").await;
    let (_, there) = shopper_on(&app, "", "there@example.com").await;
    let missing = there + 1000;
    let resources = "customers.manage,customers.actions.edit,customers.actions.assistance_opt_in,\
                     login_as_customer.login,login_as_customer.view_log";
    let agent = scoped_admin(&app, "agent", resources, &[second]).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let detail = app.customer(&admin, there).await.unwrap().customer;
    let secret = token(&app, "agent").await;
    let before = app.log_count().await;

    // The screens' server functions.
    let calls: Vec<(&str, ServerCall)> = vec![
        (
            "the customer's page",
            Box::new(|id| (GetCustomerEditData::PATH, encode(&GetCustomerEditData { id: id.to_string() }))),
        ),
        (
            "saving the customer",
            Box::new(move |id| {
                let form = shopassist::domain::forms::CustomerForm { id: id.to_string(), ..customer_form(&detail) };
                (SaveCustomer::PATH, encode(&SaveCustomer { form }))
            }),
        ),
        (
            "the start dialog",
            Box::new(|id| (AssistDialog::PATH, encode(&AssistDialog { customer_id: id.to_string() }))),
        ),
        (
            "the start",
            Box::new(|id| {
                let form = StartAssistForm { customer_id: id.to_string(), store: String::new(), reason: "x".into() };
                (StartAssist::PATH, encode(&StartAssist { form }))
            }),
        ),
    ];
    for (what, call) in &calls {
        let (path, body) = call(there);
        let outside = app.post_raw(&agent, path, body).await;
        let (path, body) = call(missing);
        let absent = app.post_raw(&agent, path, body).await;
        assert_eq!(outside.status, 404, "{what}: {}", outside.body);
        assert_eq!((outside.status, &outside.body), (absent.status, &absent.body), "{what}");
        assert_eq!(outside.headers.get("content-type"), absent.headers.get("content-type"), "{what}");
    }

    // The JSON API.
    let routes: [ApiCall; 3] = [
        ("GET", |id| format!("/api/v1/customers/{id}/consent"), None),
        ("POST", |id| format!("/api/v1/customers/{id}/login-as-customer"), Some(json!({}))),
        ("POST", |id| format!("/api/v1/customers/{id}/login-as-customer"), Some(json!({"reason": "Ticket"}))),
    ];
    for (method, path, body) in routes {
        let outside = api(&app, method, &path(there), &secret, body.clone()).await;
        let absent = api(&app, method, &path(missing), &secret, body).await;
        assert_eq!(outside.0, 404, "{method} {}: {outside:?}", path(there));
        assert_eq!(outside, absent, "{method} {}", path(there));
    }
    let entries: Vec<String> = app.log_since(before as usize).await.into_iter().map(|e| e.action).collect();
    assert!(entries.iter().all(|a| a == "API call"), "only the API calls themselves were logged: {entries:?}");
}

// -- 5. Store view codes and redirects ---------------------------------------------------------

async fn only_existing_store_codes_are_taken_and_answers_stay_on_this_site(app: TestApp) {
    configure(&app, "login_as_customer", &[(ENABLED, "1")]).await;
    let (own, ada) = shopper_on(&app, "", "ada@example.com").await;
    let customers = app.count("customers").await;
    for code in ["/evil.example", "//evil.example", "https://evil.example", "nope", "second_en/../x"] {
        let bad = |what: &str, reply: crate::helpers::Reply| {
            assert_eq!(
                reply.answer::<Value>().refused().error,
                AppError::not_found(Msg::StoreNotFound),
                "{what} {code:?}"
            );
        };
        bad("store", app.send(&own, &GetStoreView { store: code.into() }).await);
        bad("context", app.send(&own, &GetStorefrontContext { store: code.into() }).await);
        bad("account", app.send(&own, &AccountInfo { store: code.into() }).await);
        let form = RegisterForm { store: code.into(), ..register_form("Eve", "Evil", "eve@example.com") };
        bad("register", app.send(&client(), &Register { form }).await);
        let form = CustomerSignInForm {
            store: code.into(),
            email: "ada@example.com".into(),
            password: SHOPPER_PASSWORD.into(),
        };
        bad("sign-in", app.send(&client(), &CustomerSignIn { form }).await);
        bad("account save", save_names(&app, &own, code, "Evil").await);
        bad("history", app.post_raw(&own, "/api/store/assistance_history", format!("store={}", urlencode(code))).await);
    }
    assert_eq!(app.count("customers").await, customers, "nothing registered");

    // `Close Session` with a forged store answers no address off the site.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, ada).await;
    let forged = app.call(&admin, &CloseAssistance { store: "/evil.example".into() }).await.refused();
    assert_eq!(forged.error, AppError::not_found(Msg::StoreNotFound));
    let to = app.call(&admin, &CloseAssistance { store: String::new() }).await.unwrap();
    assert_eq!(to, "/customer/account/logoutSuccess");
}

/// Saves Account Information (new names only) on store view `store`, as the edit page posts it.
async fn save_names(app: &TestApp, c: &reqwest::Client, store: &str, last: &str) -> crate::helpers::Reply {
    #[derive(serde::Serialize)]
    struct Save<'a> {
        store: &'a str,
        form: shopassist::domain::forms::AccountForm,
    }
    let body = encode(&Save { store, form: crate::helpers::account_form("Ada", last) });
    app.post_raw(c, "/api/store/account_save", body).await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

crate::on_both_databases!(
    under_per_website_sharing_a_sign_in_holds_on_its_own_website_only,
    an_assisted_session_is_bound_to_its_customers_website,
    under_global_sharing_an_assisted_session_reaches_every_website,
    a_scoped_role_reads_only_its_websites_entries_in_every_view_of_the_log,
    out_of_scope_answers_byte_for_byte_as_not_found,
    only_existing_store_codes_are_taken_and_answers_stay_on_this_site,
);
