//! Login as Customer: the start and each of its refusals in SPEC §3.4's order, the handoff
//! ticket (single use, short-lived, bound to the admin's session, never stored in clear), the
//! session while assisting (banner, actor in the log, sensitive changes refused) and every way
//! it ends, each logged with its reason.

use crate::helpers::{
    account_form, client, config_form, customer_form, register_form, role_form, without_scripts, AnswerExt, LogEntry,
    Refusal, TestApp, ADMIN_PASSWORD, SHOPPER_PASSWORD,
};
use crate::role_scopes::scoped_admin;
use shopassist::api::assist::{AssistDialog, StartAssist};
use shopassist::api::storefront::{CloseAssistance, GetStorefrontContext};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::assist::{DialogRefusal, EndReason, Started};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountForm, Checkbox, RegisterForm, StartAssistForm};
use shopassist::domain::model::StorefrontContext;

const ENABLED: &str = "login_as_customer.general.enabled";
const MANUAL: &str = "login_as_customer.general.store_view_manual_choice";
const REASON: &str = "login_as_customer.general.require_reason";
const RESTRICT: &str = "login_as_customer.general.restrict_sensitive_changes";
const LOU: &str = "lou@example.com";

pub(crate) async fn configure(app: &TestApp, values: &[(&str, &str)]) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = config_form("default", "login_as_customer", values);
    assert_eq!(app.save_config(&admin, &form).await, Ok(()), "{values:?}");
}

/// A shopper who consented at registration, signed in in their own browser.
pub(crate) async fn consenting_shopper(app: &TestApp, first: &str, email: &str) -> (reqwest::Client, i64) {
    let c = client();
    let form = RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form(first, "Kim", email) };
    app.register(&c, &form).await.expect("registered");
    (c, app.customer_id(email).await)
}

pub(crate) fn start_form(customer: i64) -> StartAssistForm {
    StartAssistForm { customer_id: customer.to_string(), store: String::new(), reason: String::new() }
}

pub(crate) async fn start(
    app: &TestApp,
    admin: &reqwest::Client,
    form: StartAssistForm,
) -> crate::helpers::Answer<Started> {
    app.call(admin, &StartAssist { form }).await
}

pub(crate) fn secret(started: &Started) -> String {
    started.open_url.split_once('#').expect("the secret is in the fragment").1.to_string()
}

/// Posts a ticket to the redemption, as the opening page does, from `browser`.
pub(crate) async fn redeem(app: &TestApp, browser: &reqwest::Client, secret: &str) -> crate::helpers::Reply {
    app.post_raw(browser, "/admin/login-as-customer/redeem", format!("ticket={secret}")).await
}

/// Starts and opens the storefront in the admin's browser; returns the session id.
pub(crate) async fn assist(app: &TestApp, admin: &reqwest::Client, customer: i64) -> i64 {
    let started = start(app, admin, start_form(customer)).await.expect("started");
    let reply = redeem(app, admin, &secret(&started)).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    started.session_id
}

async fn context(app: &TestApp, c: &reqwest::Client) -> StorefrontContext {
    app.call(c, &GetStorefrontContext { store: String::new() }).await.expect("storefront context")
}

async fn ended(app: &TestApp, session: i64) -> Option<String> {
    sqlx::query_scalar("SELECT end_reason FROM assistance_sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&app.db.pool)
        .await
        .expect("session row")
}

async fn assist_entries(app: &TestApp) -> Vec<LogEntry> {
    app.log().await.into_iter().filter(|e| e.action_group == "Login As Customer").collect()
}

async fn the_whole_flow_start_open_banner_change_close(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;

    let dialog = app.call(&admin, &AssistDialog { customer_id: lou.to_string() }).await.unwrap();
    assert_eq!(dialog.refusal, None);
    assert!(!dialog.manual && !dialog.reason_required && dialog.others.is_empty());

    let started = start(&app, &admin, start_form(lou)).await.unwrap();
    assert!(started.open_url.starts_with("/admin/login-as-customer/open#"), "{}", started.open_url);
    let secret = secret(&started);
    assert_eq!(secret.len(), 64, "256 random bits");
    let (hash, expires, started_at): (Option<String>, i64, i64) =
        sqlx::query_as("SELECT ticket_hash, ticket_expires_at, started_at FROM assistance_sessions WHERE id = $1")
            .bind(started.session_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let hash = hash.expect("a ticket is waiting");
    assert_ne!(hash, secret, "only a hash is stored");
    assert!(expires - started_at <= 60_000, "valid for at most 60 seconds");

    // The opening page carries no secret; the redemption lands on My Account.
    let open = app.page(&admin, "/admin/login-as-customer/open").await;
    assert!(open.contains("login-as-customer/redeem") && !open.contains(&secret));
    let reply = redeem(&app, &admin, &secret).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.headers["location"], "/customer/account");
    assert!(reply.set_cookie("sa_store").is_some(), "a new storefront session id");

    let ctx = context(&app, &admin).await;
    let banner = ctx.assisted.expect("the banner");
    let who = (banner.customer_first_name.as_str(), banner.customer_last_name.as_str(), banner.website_name.as_str());
    assert_eq!(who, ("Lou", "Kim", "Main Website"));
    assert!(banner.minutes_left > 0 && banner.minutes_left <= 15);
    let html = app.page_shown(&admin, "/customer/account").await;
    assert!(html.contains("You are connected as Lou Kim on Main Website"), "rendered on the server");
    assert!(html.contains("Welcome, Lou Kim!") && html.contains(LOU));
    assert!(html.contains("Close Session"));

    // A change while assisting is the admin's, for the customer, in this session.
    let before = app.log().await.len();
    assert_eq!(app.save_account(&admin, &account_form("Louise", "Kim")).await, Ok(()));
    let change = app.log_since(before).await.pop().unwrap();
    assert_eq!(change.actor_type, "admin_as_customer");
    assert_eq!(
        (change.action_group.as_str(), change.action.as_str()),
        ("Login As Customer", "Save account information")
    );
    assert_eq!(change.assistance_session_id, Some(started.session_id));
    assert_eq!((change.admin_id, change.customer_id), (Some(app.admin_id("admin").await), Some(lou)));
    assert!(context(&app, &admin).await.assisted.is_some(), "the banner survives saving account information");

    // Close Session.
    let to = app.call(&admin, &CloseAssistance { store: String::new() }).await.unwrap();
    assert_eq!(to, "/customer/account/logoutSuccess");
    assert_eq!(ended(&app, started.session_id).await.as_deref(), Some("closed"));
    assert_eq!(context(&app, &admin).await.customer, None, "the storefront tab is signed out");
    let page = app.page_shown(&admin, "/customer/account/logoutSuccess").await;
    assert!(page.contains("You are signed out"));
    let actions: Vec<_> = assist_entries(&app).await.into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            "Allow remote shopping assistance",
            "Login as Customer",
            "Open storefront",
            "Save account information",
            "End Login as Customer"
        ]
    );
    // The admin is still signed in to the admin.
    assert!(app.me(&admin).await.unwrap().is_some());
}

async fn no_assistance_rows(app: &TestApp) -> i64 {
    app.count("assistance_sessions").await
}

/// Each refusal of SPEC §3.4 with its message, in order, and none changes anything.
async fn each_check_of_the_start_refuses_with_its_message_in_order(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let forbidden = |m: Msg| Refusal { status: 403, error: AppError::forbidden(m) };

    // 1. The feature switch, first, for every caller (even one not signed in).
    configure(&app, &[(ENABLED, "0")]).await;
    let log = app.log_count().await;
    assert_eq!(start(&app, &admin, start_form(lou)).await.refused(), forbidden(Msg::AssistDisabled));
    assert_eq!(start(&app, &client(), start_form(lou)).await.refused(), forbidden(Msg::AssistDisabled));
    let dialog = app.call(&admin, &AssistDialog { customer_id: lou.to_string() }).await;
    assert_eq!(dialog.refused(), forbidden(Msg::AssistDisabled));
    configure(&app, &[(ENABLED, "1")]).await;

    // 2. The resource.
    let clerk = app.admin_with("clerk", Grant::custom([Resource::CustomersManage])).await;
    let clerk = app.admin_client(&clerk, ADMIN_PASSWORD).await;
    let refused = start(&app, &clerk, start_form(lou)).await.refused();
    assert_eq!(refused.status, 403);
    assert_eq!(refused.error, AppError::forbidden(Msg::PermissionNeeded { resource: Resource::AssistLogin }));
    assert!(refused.error.message().contains("Allow Login as Customer"), "{refused:?}");
    assert_eq!(start(&app, &client(), start_form(lou)).await.refused().status, 401);

    // 3. The customer exists.
    let refused = start(&app, &admin, start_form(lou + 1000)).await.refused();
    assert_eq!(refused, Refusal { status: 404, error: AppError::not_found(Msg::CustomerNotFound) });

    // 4. Active.
    let (_own, ina) = consenting_shopper(&app, "Ina", "ina@example.com").await;
    let detail = app.customer(&admin, ina).await.unwrap().customer;
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(false), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();
    assert_eq!(start(&app, &admin, start_form(ina)).await.refused(), forbidden(Msg::CustomerInactive));
    let dialog = app.call(&admin, &AssistDialog { customer_id: ina.to_string() }).await.unwrap();
    assert_eq!(dialog.refusal, Some(DialogRefusal::Inactive));

    // 5. Consent.
    let _own = app.shopper("Nod", "Kim", "nod@example.com").await;
    let nod = app.customer_id("nod@example.com").await;
    assert_eq!(start(&app, &admin, start_form(nod)).await.refused(), forbidden(Msg::ConsentMissing));
    let dialog = app.call(&admin, &AssistDialog { customer_id: nod.to_string() }).await.unwrap();
    assert_eq!(dialog.refusal, Some(DialogRefusal::NoConsent));

    // 6. A store chosen in Manual Selection, and one allowed for the account (Per Website).
    configure(&app, &[(MANUAL, "1")]).await;
    let refused = start(&app, &admin, start_form(lou)).await.refused();
    assert_eq!(refused.error, AppError::field("store", Msg::StoreViewRequired));
    let second = app.store_view_id("second_en").await;
    let other_site = StartAssistForm { store: second.to_string(), ..start_form(lou) };
    let refused = start(&app, &admin, other_site).await.refused();
    assert_eq!(refused.error, AppError::field("store", Msg::StoreViewNotAllowed));
    let dialog = app.call(&admin, &AssistDialog { customer_id: lou.to_string() }).await.unwrap();
    let default_view = app.store_view_id("default").await;
    assert_eq!(dialog.preselected, Some(default_view), "the customer's store preselected");
    let allowed: Vec<_> = dialog.stores.iter().map(|s| (s.id, s.allowed)).collect();
    assert!(allowed.contains(&(second, false)) && allowed.contains(&(default_view, true)), "{allowed:?}");

    // 7. The reason, when required.
    configure(&app, &[(REASON, "1")]).await;
    let chosen = StartAssistForm { store: default_view.to_string(), ..start_form(lou) };
    let refused = start(&app, &admin, chosen.clone()).await.refused();
    assert_eq!(refused.error, AppError::field("reason", Msg::ReasonRequired));

    assert_eq!(no_assistance_rows(&app).await, 0, "no refused start wrote a session");
    let starts = app.log_since(log as usize).await.into_iter().filter(|e| e.action == "Login as Customer").count();
    assert_eq!(starts, 0, "refusals log no start");

    let with_reason = StartAssistForm { reason: "Ticket #4711".into(), ..chosen };
    let started = start(&app, &admin, with_reason).await.unwrap();
    let reason: Option<String> = sqlx::query_scalar("SELECT reason FROM assistance_sessions WHERE id = $1")
        .bind(started.session_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("Ticket #4711"));

    // 8. The order itself: a customer who fails every later check at once is refused by the
    // earliest, then by each next one as each is cleared (Manual Selection and the reason are
    // still required here).
    let _own = app.shopper("Zed", "Kim", "zed@example.com").await;
    let zed = app.customer_id("zed@example.com").await;
    let detail = app.customer(&admin, zed).await.unwrap().customer;
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(false), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();
    let bare = start_form(zed);
    configure(&app, &[(ENABLED, "0")]).await;
    assert_eq!(start(&app, &clerk, start_form(zed + 1000)).await.refused(), forbidden(Msg::AssistDisabled));
    configure(&app, &[(ENABLED, "1")]).await;
    let refused = start(&app, &clerk, start_form(zed + 1000)).await.refused();
    assert_eq!(refused.error, AppError::forbidden(Msg::PermissionNeeded { resource: Resource::AssistLogin }));
    let refused = start(&app, &admin, start_form(zed + 1000)).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::CustomerNotFound));
    let second_site = app.website_id("second").await;
    let outsider = scoped_admin(&app, "outsider", "customers.manage,login_as_customer.login", &[second_site]).await;
    let refused = start(&app, &outsider, bare.clone()).await.refused();
    // Out of scope reads as missing, and comes before the account's own state: the inactive
    // customer is not found for this admin, not inactive.
    assert_eq!(refused.error, AppError::not_found(Msg::CustomerNotFound), "the scope before the account");
    assert_eq!(start(&app, &admin, bare.clone()).await.refused(), forbidden(Msg::CustomerInactive));
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(true), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();
    assert_eq!(start(&app, &admin, bare.clone()).await.refused(), forbidden(Msg::ConsentMissing));
    let form = shopassist::domain::forms::CustomerForm {
        assistance_allowed: Some(Checkbox(true)),
        ..customer_form(&app.customer(&admin, zed).await.unwrap().customer)
    };
    app.save_customer(&admin, &form).await.unwrap();
    let refused = start(&app, &admin, bare.clone()).await.refused();
    assert_eq!(refused.error, AppError::field("store", Msg::StoreViewRequired));
    let with_store = StartAssistForm { store: default_view.to_string(), ..bare };
    let refused = start(&app, &admin, with_store.clone()).await.refused();
    assert_eq!(refused.error, AppError::field("reason", Msg::ReasonRequired));
    let with_reason = StartAssistForm { reason: "Ticket #4712".into(), ..with_store };
    assert!(start(&app, &admin, with_reason).await.is_ok(), "every check passed");
}

/// Under Global sharing any active store view may be chosen.
async fn any_store_view_may_be_chosen_when_accounts_are_shared_globally(app: TestApp) {
    configure(&app, &[(ENABLED, "1"), (MANUAL, "1")]).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let share = config_form("default", "customer", &[("customer.account_share.scope", "global")]);
    assert_eq!(app.save_config(&admin, &share).await, Ok(()));
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let second = app.store_view_id("second_en").await;
    let dialog = app.call(&admin, &AssistDialog { customer_id: lou.to_string() }).await.unwrap();
    assert!(dialog.stores.iter().all(|s| s.allowed), "{:?}", dialog.stores);
    let started = start(&app, &admin, StartAssistForm { store: second.to_string(), ..start_form(lou) }).await.unwrap();
    let reply = redeem(&app, &admin, &secret(&started)).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.headers["location"], "/second_en/customer/account", "lands on the chosen store view");
}

/// Replayed, expired, forged and another admin's tickets are refused with one clear page and
/// change nothing; of ten redemptions at once exactly one succeeds.
async fn a_ticket_is_single_use_short_lived_and_bound_to_the_admins_session(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let refused = |reply: &crate::helpers::Reply| {
        reply.status == 403 && reply.body.contains("cannot be used") && reply.set_cookie("sa_store").is_none()
    };

    // Forged.
    let forged = redeem(&app, &admin, &"ab".repeat(32)).await;
    assert!(refused(&forged), "{forged:?}");
    assert!(refused(&redeem(&app, &admin, "short").await));

    // Another admin's browser, and a browser with no admin session: not redeemed, not used up.
    let started = start(&app, &admin, start_form(lou)).await.unwrap();
    let other = app.admin_with("other", Grant::custom([Resource::AssistLogin])).await;
    let other = app.admin_client(&other, ADMIN_PASSWORD).await;
    assert!(refused(&redeem(&app, &other, &secret(&started)).await));
    let stranger = redeem(&app, &client(), &secret(&started)).await;
    assert_eq!(stranger.status, 401, "{}", stranger.body);
    // The same admin signed in again elsewhere is another admin session: refused too.
    let again = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert!(refused(&redeem(&app, &again, &secret(&started)).await));

    // From another site, even in the right browser: refused before it runs.
    let cross = app
        .post_raw_with(
            &admin,
            "/admin/login-as-customer/redeem",
            format!("ticket={}", secret(&started)),
            &[("origin", "http://evil.example")],
        )
        .await;
    assert_eq!(cross.status, 403);

    // Ten at once from the right browser: exactly one.
    let ticket = secret(&started);
    let tries = (0..10).map(|_| redeem(&app, &admin, &ticket));
    let replies = futures::future::join_all(tries).await;
    let ok = replies.iter().filter(|r| r.status == 303).count();
    assert_eq!(ok, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(replies.iter().filter(|r| r.status != 303).all(refused));
    // Replayed later.
    assert!(refused(&redeem(&app, &admin, &secret(&started)).await));

    // Expired: a minute has passed.
    let late = start(&app, &admin, start_form(lou)).await.unwrap();
    sqlx::query("UPDATE assistance_sessions SET ticket_expires_at = ticket_expires_at - 61000 WHERE id = $1")
        .bind(late.session_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(refused(&redeem(&app, &admin, &secret(&late)).await));
    let redeemed: Option<i64> = sqlx::query_scalar("SELECT redeemed_at FROM assistance_sessions WHERE id = $1")
        .bind(late.session_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(redeemed, None);

    // The secret is nowhere in the database.
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM action_log WHERE new_value LIKE $1 OR old_value LIKE $1")
            .bind(format!("%{}%", secret(&late)))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(logged, 0);
}

/// `Automatic`: the account's own store view, or when that view is disabled, the default
/// store view of the account's website (under either sharing scope).
async fn automatic_falls_back_to_the_websites_default_view(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = RegisterForm {
        store: "second_zh".into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form("Zoe", "Kim", "zoe@example.com")
    };
    app.register(&client(), &form).await.unwrap();
    let zoe = app.customer_id("zoe@example.com").await;
    let started = start(&app, &admin, start_form(zoe)).await.unwrap();
    assert_eq!(redeem(&app, &admin, &secret(&started)).await.headers["location"], "/second_zh/customer/account");
    for shared in ["website", "global"] {
        let share = config_form("default", "customer", &[("customer.account_share.scope", shared)]);
        assert_eq!(app.save_config(&admin, &share).await, Ok(()));
        sqlx::query("UPDATE store_views SET is_active = 0 WHERE code = 'second_zh'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let started = start(&app, &admin, start_form(zoe)).await.unwrap();
        let reply = redeem(&app, &admin, &secret(&started)).await;
        assert_eq!(reply.headers["location"], "/second_en/customer/account", "{shared}: the website's default view");
        sqlx::query("UPDATE store_views SET is_active = 1 WHERE code = 'second_zh'")
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
}

/// A customer named like markup shows as text in the banner and the log (SPEC §5.9).
async fn a_name_like_markup_is_shown_as_text(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let evil = "<script>alert(1)</script>";
    let c = client();
    let form =
        RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form(evil, "Kim", "evil@example.com") };
    app.register(&c, &form).await.unwrap();
    let id = app.customer_id("evil@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, id).await;
    let page = app.page(&admin, "/customer/account").await;
    assert!(page.contains("You are connected as &lt;script&gt;alert(1)&lt;/script&gt; Kim"), "escaped in the banner");
    assert!(!page.contains("<script>alert(1)"), "never as markup");
    // The action log keeps the name as it was typed (the registration's entry) and its entry
    // page shows it as text.
    let entry: i64 =
        sqlx::query_scalar("SELECT id FROM action_log WHERE action = 'Register customer account' AND customer_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let page = app.page(&admin, &format!("/admin/system/action-logs/{entry}")).await;
    let shown = without_scripts(&page);
    assert!(shown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is on the entry page, as text");
    assert!(!page.contains("<script>alert(1)"), "never as markup");
}

/// Two starts by one admin at once leave one running session; malformed starts are a clear
/// 400 and write nothing.
async fn two_starts_at_once_and_malformed_starts(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let (_own, max) = consenting_shopper(&app, "Max", "max@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let (a, b) = tokio::join!(start(&app, &admin, start_form(lou)), start(&app, &admin, start_form(max)));
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    let running: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assistance_sessions WHERE ended_at IS NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(running, 1, "one session per admin, also when two starts race");

    let before = (app.count("assistance_sessions").await, app.log_count().await);
    // An id that cannot exist is "not found", as everywhere in the admin; the rest are 400.
    let bad = [
        (StartAssistForm { customer_id: "abc".into(), ..start_form(lou) }, 404),
        (StartAssistForm { store: "-1x".into(), ..start_form(lou) }, 404),
        (StartAssistForm { reason: "x".repeat(256), ..start_form(lou) }, 400),
    ];
    for (form, status) in bad {
        let refused = start(&app, &admin, form.clone()).await.refused();
        assert_eq!(refused.status, status, "{form:?}: {refused:?}");
    }
    let body = app.post_raw(&admin, "/admin/api/assist_start", "form[customer_id]=1&form[nonsense]=2").await;
    assert_eq!(body.status, 400, "{}", body.body);
    let redeem_bad = app.post_raw(&admin, "/admin/login-as-customer/redeem", "nothing=here").await;
    assert!((400..500).contains(&redeem_bad.status), "{}", redeem_bad.status);
    assert_eq!((app.count("assistance_sessions").await, app.log_count().await), before, "nothing changed");
}

/// Redemption signs out whoever was signed in in that browser.
async fn redemption_replaces_whoever_was_signed_in_in_that_browser(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    // The admin's browser is signed in as another shopper.
    app.register(&admin, &register_form("Sam", "Poe", "sam@example.com")).await.unwrap();
    assert_eq!(context(&app, &admin).await.customer.unwrap().first_name, "Sam");
    assist(&app, &admin, lou).await;
    assert_eq!(context(&app, &admin).await.customer.unwrap().first_name, "Lou");
}

/// One session per admin: a new start ends the previous one; two admins on one customer are
/// each told about the other.
async fn one_session_per_admin_and_a_warning_about_other_admins(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let (_own, max) = consenting_shopper(&app, "Max", "max@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let first = assist(&app, &admin, lou).await;
    let second = assist(&app, &admin, max).await;
    assert_eq!(ended(&app, first).await.as_deref(), Some("replaced"));
    assert_eq!(ended(&app, second).await, None);

    let other = app.admin_with("bea", Grant::custom([Resource::AssistLogin])).await;
    let other = app.admin_client(&other, ADMIN_PASSWORD).await;
    let dialog = app.call(&other, &AssistDialog { customer_id: max.to_string() }).await.unwrap();
    assert_eq!(dialog.others, [("Ada".to_string(), "Admin".to_string())]);
    let theirs = assist(&app, &other, max).await;
    assert_eq!((ended(&app, second).await, ended(&app, theirs).await), (None, None), "both may assist");
}

/// While assisting, changing the password or email is refused (Restrict Sensitive Account
/// Changes, on by default); with it off, it is allowed.
async fn sensitive_changes_are_refused_while_assisting(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, lou).await;
    let email = AccountForm {
        change_email: Checkbox(true),
        email: Some("new@example.com".into()),
        current_password: Some(SHOPPER_PASSWORD.into()),
        ..account_form("Lou", "Kim")
    };
    let refused = app.save_account(&admin, &email).await.refused();
    assert_eq!(refused, Refusal { status: 403, error: AppError::forbidden(Msg::SensitiveChange) });
    let password = AccountForm {
        change_password: Checkbox(true),
        password: Some("Another-Passw0rd".into()),
        password_confirmation: Some("Another-Passw0rd".into()),
        current_password: Some("anything".into()),
        ..account_form("Lou", "Kim")
    };
    assert_eq!(app.save_account(&admin, &password).await.refused().status, 403);
    assert_eq!(app.account(&admin).await.unwrap().email, LOU, "nothing changed");
    assert_eq!(app.throttle("customer", LOU, "127.0.0.1").await, None, "no password was even tried");

    configure(&app, &[(RESTRICT, "0")]).await;
    assert_eq!(app.save_account(&admin, &email).await, Ok(()));
}

/// Every end reason: each ends the session at once (or on the next request), logged with its
/// reason, and the storefront tab's next page says why.
async fn every_end_is_logged_with_its_reason_and_the_next_page_says_why(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let helper = app.admin_with("helper", Grant::custom([Resource::AssistLogin, Resource::CustomersManage])).await;
    let helper_role = app.role_id("helper role").await;
    let consent = |on: bool| AccountForm { assistance_allowed: Some(Checkbox(on)), ..account_form("Lou", "Kim") };

    let check_end = |session: i64, reason: &'static str, browser: reqwest::Client| {
        let app = &app;
        async move {
            // Cascades end the session at once; limits and lapses are found by the next request.
            if !["idle", "lifetime_passed", "consent_lapsed", "admin_session_ended"].contains(&reason) {
                assert_eq!(ended(app, session).await.as_deref(), Some(reason), "ended at once");
            }
            let ctx = context(app, &browser).await;
            assert_eq!(ended(app, session).await.as_deref(), Some(reason));
            assert_eq!(ctx.customer, None, "{reason}: the storefront tab is signed out");
            assert_eq!(ctx.notice.map(EndReason::code), Some(reason), "{reason}: the next page says why");
            let entry = assist_entries(app).await.pop().unwrap();
            assert_eq!(entry.action, "End Login as Customer");
            assert!(entry.new_value.unwrap().contains(reason));
        }
    };

    // Consent revoked by the shopper in their own browser: ended at once.
    let s = assist(&app, &admin, lou).await;
    app.save_account(&own, &consent(false)).await.unwrap();
    check_end(s, "consent_revoked", admin.clone()).await;
    app.save_account(&own, &consent(true)).await.unwrap();

    // The shopper changes their password in their own browser.
    let s = assist(&app, &admin, lou).await;
    let password = AccountForm {
        change_password: Checkbox(true),
        password: Some("Another-Passw0rd".into()),
        password_confirmation: Some("Another-Passw0rd".into()),
        current_password: Some(SHOPPER_PASSWORD.into()),
        ..account_form("Lou", "Kim")
    };
    app.save_account(&own, &password).await.unwrap();
    check_end(s, "customer_password_changed", admin.clone()).await;

    // The shopper changes their email in their own browser.
    let s = assist(&app, &admin, lou).await;
    let email = AccountForm {
        change_email: Checkbox(true),
        email: Some("lou.new@example.com".into()),
        current_password: Some("Another-Passw0rd".into()),
        ..account_form("Lou", "Kim")
    };
    app.save_account(&own, &email).await.unwrap();
    check_end(s, "customer_email_changed", admin.clone()).await;

    // A ticket never redeemed: the sweeper ends the session once the ticket has expired.
    let started = start(&app, &admin, start_form(lou)).await.unwrap();
    shopassist::server::assist::sweep(&app.state().await).await.unwrap();
    assert_eq!(ended(&app, started.session_id).await, None, "the ticket is still valid");
    sqlx::query("UPDATE assistance_sessions SET ticket_expires_at = ticket_expires_at - 61000 WHERE id = $1")
        .bind(started.session_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    shopassist::server::assist::sweep(&app.state().await).await.unwrap();
    assert_eq!(ended(&app, started.session_id).await.as_deref(), Some("never_opened"));

    // The admin signs out.
    let s = assist(&app, &admin, lou).await;
    app.sign_out(&admin).await.unwrap();
    check_end(s, "admin_signed_out", admin.clone()).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;

    // The helper's role loses Allow Login as Customer.
    let h = app.admin_client(&helper, ADMIN_PASSWORD).await;
    let s = assist(&app, &h, lou).await;
    let form = shopassist::domain::forms::RoleForm {
        id: helper_role.to_string(),
        ..role_form("helper role", "customers.manage")
    };
    app.save_role(&admin, &form).await.unwrap();
    check_end(s, "permission_lost", h.clone()).await;
    let form = shopassist::domain::forms::RoleForm {
        id: helper_role.to_string(),
        ..role_form("helper role", "customers.manage,login_as_customer.login")
    };
    app.save_role(&admin, &form).await.unwrap();

    // The helper is deactivated.
    let h = app.admin_client(&helper, ADMIN_PASSWORD).await;
    let s = assist(&app, &h, lou).await;
    let helper_id = app.admin_id(&helper).await;
    let user = app.user(&admin, helper_id).await.unwrap().user.unwrap();
    let deactivate =
        shopassist::domain::forms::AdminUserForm { is_active: Checkbox(false), ..crate::helpers::edit_user_form(user) };
    app.save_user(&admin, &deactivate).await.unwrap();
    check_end(s, "admin_inactive", h).await;

    // The customer is deactivated.
    let s = assist(&app, &admin, lou).await;
    let detail = app.customer(&admin, lou).await.unwrap().customer;
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(false), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();
    check_end(s, "customer_inactive", admin.clone()).await;
    let form = shopassist::domain::forms::CustomerForm { is_active: Checkbox(true), ..customer_form(&detail) };
    app.save_customer(&admin, &form).await.unwrap();

    // Idle, and past its lifetime (time moved back in the database).
    for (column, back, reason) in
        [("last_seen_at", 16 * 60_000, "idle"), ("started_at", 61 * 60_000, "lifetime_passed")]
    {
        let s = assist(&app, &admin, lou).await;
        let sql = format!("UPDATE assistance_sessions SET {column} = {column} - {back} WHERE id = $1");
        sqlx::query(&sql).bind(s).execute(&app.db.pool).await.unwrap();
        assert_eq!(ended(&app, s).await, None, "noticed on the next request");
        check_end(s, reason, admin.clone()).await;
    }

    // Consent lapses (Consent Lifetime of 1 day, given 2 days ago).
    configure(&app, &[("login_as_customer.general.consent_lifetime", "1")]).await;
    let s = assist(&app, &admin, lou).await;
    sqlx::query("UPDATE customers SET assistance_allowed_at = assistance_allowed_at - 172800000 WHERE id = $1")
        .bind(lou)
        .execute(&app.db.pool)
        .await
        .unwrap();
    check_end(s, "consent_lapsed", admin.clone()).await;
    configure(&app, &[("login_as_customer.general.consent_lifetime", "")]).await;
    app.save_account(&own_signed_in(&app).await, &consent(true)).await.unwrap();

    // The admin's own admin session ends (gone from the store).
    let s = assist(&app, &admin, lou).await;
    let admin_session: String = sqlx::query_scalar("SELECT admin_session FROM assistance_sessions WHERE id = $1")
        .bind(s)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    delete_session(&app, &admin_session).await;
    check_end(s, "admin_session_ended", admin.clone()).await;

    // The feature is switched off.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let s = assist(&app, &admin, lou).await;
    configure(&app, &[(ENABLED, "0")]).await;
    check_end(s, "feature_disabled", admin.clone()).await;
}

/// The shopper signed in again (their password changed earlier in the test).
async fn own_signed_in(app: &TestApp) -> reqwest::Client {
    let c = client();
    let form = crate::helpers::customer_sign_in_form("lou.new@example.com", "Another-Passw0rd");
    app.customer_sign_in(&c, &form).await.unwrap();
    c
}

async fn delete_session(app: &TestApp, id: &str) {
    use tower_sessions::SessionStore;
    let id: tower_sessions::session::Id = id.parse().unwrap();
    app.db.sessions.delete(&id).await.unwrap();
}

/// Activity in the storefront tab keeps the admin's own session alive.
async fn assisting_keeps_the_admins_own_session_alive(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let s = assist(&app, &admin, lou).await;
    // Both the admin session and the assistance were last seen 5 minutes ago.
    let admin_session: String = sqlx::query_scalar("SELECT admin_session FROM assistance_sessions WHERE id = $1")
        .bind(s)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE assistance_sessions SET last_seen_at = last_seen_at - 300000 WHERE id = $1")
        .bind(s)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let seen_before = admin_seen(&app, &admin_session).await - 300;
    set_admin_seen(&app, &admin_session, seen_before).await;
    assert!(context(&app, &admin).await.assisted.is_some());
    assert!(admin_seen(&app, &admin_session).await > seen_before, "the storefront request counted for the admin");
}

async fn admin_seen(app: &TestApp, id: &str) -> i64 {
    use tower_sessions::SessionStore;
    let record = app.db.sessions.load(&id.parse().unwrap()).await.unwrap().unwrap();
    record.data["admin.seen"].as_i64().unwrap()
}

async fn set_admin_seen(app: &TestApp, id: &str, seen: i64) {
    use tower_sessions::SessionStore;
    let mut record = app.db.sessions.load(&id.parse().unwrap()).await.unwrap().unwrap();
    record.data.insert("admin.seen".into(), seen.into());
    app.db.sessions.save(&record).await.unwrap();
}

/// The start and its log entry are one transaction: when the entry cannot be written, no
/// session and no ticket exist.
async fn a_failing_log_write_aborts_the_start(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let sql: &[&str] = match app.backend {
        crate::helpers::Backend::Sqlite => &["CREATE TRIGGER refuse_start BEFORE INSERT ON action_log \
             WHEN NEW.action = 'Login as Customer' BEGIN SELECT RAISE(ABORT, 'log unavailable'); END"],
        crate::helpers::Backend::Postgres => &[
            "CREATE FUNCTION refuse_start() RETURNS trigger AS $$ BEGIN \
             IF NEW.action = 'Login as Customer' THEN RAISE EXCEPTION 'log unavailable'; END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_start BEFORE INSERT ON action_log FOR EACH ROW EXECUTE FUNCTION refuse_start()",
        ],
    };
    for s in sql {
        sqlx::query(s).execute(&app.db.pool).await.unwrap();
    }
    assert_eq!(start(&app, &admin, start_form(lou)).await.refused().status, 500);
    assert_eq!(no_assistance_rows(&app).await, 0);
}

/// While the feature is off, every path of it refuses, for every caller.
async fn every_path_of_the_feature_refuses_while_it_is_disabled(app: TestApp) {
    let (_own, lou) = consenting_shopper_while_disabled(&app).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    for path in shopassist::api::ASSIST_ENDPOINTS {
        for who in [&admin, &client()] {
            let reply = app.post_raw(who, path, "").await;
            let refusal = reply.answer::<serde::de::IgnoredAny>().refused();
            assert_eq!(refusal, Refusal { status: 403, error: AppError::forbidden(Msg::AssistDisabled) }, "{path}");
        }
    }
    // The hand-off's redeem too, before it reads the ticket or who is signed in.
    for who in [&admin, &client()] {
        for body in ["ticket=".to_string() + &"ab".repeat(32), String::new()] {
            let reply = app.post_raw(who, shopassist::domain::assist::REDEEM_PATH, body).await;
            assert_eq!(reply.status, 403, "{}", reply.body);
            assert!(reply.body.contains("Login as Customer is disabled."), "{}", reply.body);
        }
    }
    let html = app.page_shown(&admin, &format!("/admin/customers/{lou}")).await;
    assert!(!html.contains(">Login as Customer</button>"), "no button");
    assert_eq!(no_assistance_rows(&app).await, 0);
}

async fn consenting_shopper_while_disabled(app: &TestApp) -> (reqwest::Client, i64) {
    let c = app.shopper("Lou", "Kim", LOU).await;
    (c, app.customer_id(LOU).await)
}

/// Customers > Login as Customer Log: newest first, a filter per column and a date range,
/// keyset paging, the chart's counts, CSV; absent (404) while disabled or without the resource.
async fn the_log_lists_every_session_with_filters_and_is_absent_without_the_right(app: TestApp) {
    use shopassist::api::assist::{AssistLogChart, ListAssistLog};
    use shopassist::domain::grid::GridQuery;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let not_found = |r: Refusal| assert_eq!(r.status, 404, "{r:?}");
    // Disabled: not there, not even in the menu.
    not_found(app.load(&admin, &ListAssistLog { query: GridQuery::default() }).await.refused());
    assert_eq!(app.get(&admin, "/admin/loginascustomer/log").await.status(), 404);
    let me = app.me(&admin).await.unwrap().unwrap();
    assert!(!me.resources.contains(&Resource::AssistViewLog), "no menu entry while disabled");

    configure(&app, &[(ENABLED, "1")]).await;
    let (_own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let (_own, max) = consenting_shopper(&app, "Max", "max@example.com").await;
    let bea = app.admin_with("bea", Grant::custom([Resource::AssistLogin])).await;
    let bea = app.admin_client(&bea, ADMIN_PASSWORD).await;
    let first = assist(&app, &admin, lou).await;
    let second = assist(&app, &admin, max).await; // ends the first: replaced
    let third = assist(&app, &bea, lou).await;
    // The first a day earlier, for the date range.
    sqlx::query("UPDATE assistance_sessions SET started_at = started_at - 86400000 WHERE id = $1")
        .bind(first)
        .execute(&app.db.pool)
        .await
        .unwrap();

    let page = app.load(&admin, &ListAssistLog { query: GridQuery::default() }).await.unwrap();
    let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [third, second, first], "newest first");
    let row = &page.rows[2];
    assert_eq!((row.customer_id, row.customer_email.as_str(), row.admin_name.as_str()), (lou, LOU, "Ada Admin"));
    assert_eq!((row.store_view.as_str(), row.end_reason.as_deref()), ("Default Store View", Some("replaced")));
    assert!(row.ended.is_some() && page.rows[0].ended.is_none());

    let ids_of = |query: GridQuery| {
        let app = &app;
        let admin = &admin;
        async move {
            let page = app.load(admin, &ListAssistLog { query }).await.unwrap();
            page.rows.iter().map(|r| r.id).collect::<Vec<_>>()
        }
    };
    let by = |k: &str, v: &str| crate::helpers::filtered(k, v);
    assert_eq!(ids_of(by("email", "LOU@")).await, [third, first], "email prefix, any case");
    assert_eq!(ids_of(by("customer", &max.to_string())).await, [second]);
    assert_eq!(ids_of(by("admin_name", "limited")).await, [third], "Bea's name is Limited Admin");
    assert_eq!(ids_of(by("admin", &app.admin_id("admin").await.to_string())).await, [second, first]);
    assert_eq!(ids_of(by("end_reason", "replaced")).await, [first]);
    let today = shopassist::domain::model::format_time(shopassist::server::db::now_ms())[..10].to_string();
    assert_eq!(ids_of(by("from", &today)).await, [third, second], "the date range");
    assert_eq!(ids_of(by("to", &today)).await, [third, second, first]);
    let paged =
        app.load(&admin, &ListAssistLog { query: GridQuery { limit: 20, ..GridQuery::default() } }).await.unwrap();
    assert_eq!(paged.count.rows, 3);
    for bad in [by("end_reason", "nonsense"), by("from", "2026-13-40"), by("unknown", "1")] {
        assert_eq!(app.load(&admin, &ListAssistLog { query: bad }).await.refused().status, 400);
    }

    let chart = app.load(&admin, &AssistLogChart { query: GridQuery::default() }).await.unwrap();
    let counts: Vec<i64> = chart.iter().map(|d| d.sessions).collect();
    assert_eq!(counts, [1, 2], "one session yesterday, two today");

    let csv = app.get(&admin, "/admin/export/assist_log.csv?email=max").await;
    assert_eq!(csv.status(), 200);
    let body = csv.text().await.unwrap();
    assert!(body
        .starts_with("ID,Customer ID,Customer Email,Admin ID,Admin Name,Logged In,Store View,Ended,End Reason,Reason"));
    assert_eq!(body.lines().count(), 2, "{body}");

    // Without View Login as Customer Log: not there (404), no menu entry.
    not_found(app.load(&bea, &ListAssistLog { query: GridQuery::default() }).await.refused());
    assert_eq!(app.get(&bea, "/admin/loginascustomer/log").await.status(), 404);
    assert_eq!(app.get(&bea, "/admin/export/assist_log.csv").await.status(), 404);
    assert!(app.me(&admin).await.unwrap().unwrap().resources.contains(&Resource::AssistViewLog));
    let page = app.page_shown(&admin, "/admin/loginascustomer/log").await;
    assert!(page.contains("Login as Customer Log") && page.contains(LOU));
}

/// Two app processes on one database: consent revoked through one ends the session on the
/// very next storefront request to the other.
async fn revocation_reaches_the_next_request_on_another_app_instance(app: TestApp) {
    configure(&app, &[(ENABLED, "1")]).await;
    let (own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let session = assist(&app, &admin, lou).await;
    let (other, server) = app.sibling().await;
    let on_other = |path: &str| format!("http://{other}{path}");
    // The shopper, served by the other instance, revokes consent.
    let form = AccountForm { assistance_allowed: Some(Checkbox(false)), ..account_form("Lou", "Kim") };
    let body = crate::helpers::encode(&shopassist::api::storefront::SaveAccountInfo { store: String::new(), form });
    let res = own
        .post(on_other("/api/store/account_save"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", format!("http://{other}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // The very next storefront request of the assisting browser, on the first instance.
    let ctx = context(&app, &admin).await;
    assert_eq!((ctx.customer, ctx.assisted), (None, None));
    assert_eq!(ended(&app, session).await.as_deref(), Some("consent_revoked"));

    // And the other way round: started on the first, ended through the first's admin, and
    // the assisting browser's next request goes to the second.
    app.save_account(&own, &AccountForm { assistance_allowed: Some(Checkbox(true)), ..account_form("Lou", "Kim") })
        .await
        .unwrap();
    let session = assist(&app, &admin, lou).await;
    configure(&app, &[(ENABLED, "0")]).await;
    let page = admin.get(on_other("/customer/account")).send().await.unwrap().text().await.unwrap();
    let page = crate::helpers::without_scripts(&page);
    assert!(!page.contains("You are connected as"), "no banner on the other instance");
    assert!(page.contains("The assistance session has ended"), "the next page says why: {page}");
    assert_eq!(ended(&app, session).await.as_deref(), Some("feature_disabled"));
    server.abort();
}

/// The shopper's side: the notice in the outbox (Notify Customer, per website), and the
/// Assistance History with the name shown to customers and what was done.
async fn the_shopper_is_notified_and_sees_the_assistance_history(app: TestApp) {
    use shopassist::api::storefront::AssistanceHistory;
    configure(&app, &[(ENABLED, "1")]).await;
    let (own, lou) = consenting_shopper(&app, "Lou", LOU).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, lou).await;
    let outbox: Vec<(String, String, String)> =
        sqlx::query_as("SELECT recipient, subject, body FROM outbox_messages ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(outbox.len(), 1);
    let (to, subject, body) = &outbox[0];
    assert_eq!(to, LOU);
    assert!(subject.contains("Main Website"), "{subject}");
    assert!(body.contains("Hello Lou Kim") && body.contains("Ada from Main Website"), "{body}");
    assert!(!body.contains("admin from"), "never the user name: {body}");

    // Changes while assisting, then closed.
    app.save_account(&admin, &account_form("Louise", "Kim")).await.unwrap();
    app.call(&admin, &CloseAssistance { store: String::new() }).await.unwrap();
    let history = app.call(&own, &AssistanceHistory { store: String::new() }).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].assistant, "Ada");
    assert_eq!(history[0].changes, [("Save account information".to_string(), 1)]);
    assert!(history[0].ended_at.is_some());
    let page = app.page_shown(&own, "/customer/account").await;
    assert!(page.contains("Assistance History") && page.contains("Save account information"));

    // A Name Shown to Customers; Notify Customer off for the website: no message.
    let id = app.admin_id("admin").await;
    let me = app.user(&admin, id).await.unwrap().user.unwrap();
    let form = shopassist::domain::forms::AdminUserForm {
        display_name: Some("Support team".into()),
        ..crate::helpers::edit_user_form(me)
    };
    app.save_user(&admin, &form).await.unwrap();
    let base = app.website_id("base").await;
    let off = config_form(
        &format!("website:{base}"),
        "login_as_customer",
        &[("login_as_customer.general.notify_customer", "0")],
    );
    assert_eq!(app.save_config(&admin, &off).await, Ok(()));
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assist(&app, &admin, lou).await;
    assert_eq!(app.count("outbox_messages").await, 1, "no notice with Notify Customer = No");
    let history = app.call(&own, &AssistanceHistory { store: String::new() }).await.unwrap();
    assert_eq!(history[0].assistant, "Support team");
    assert_eq!(app.call(&client(), &AssistanceHistory { store: String::new() }).await.refused().status, 401);
}

crate::on_both_databases!(
    two_starts_at_once_and_malformed_starts,
    a_name_like_markup_is_shown_as_text,
    automatic_falls_back_to_the_websites_default_view,
    the_shopper_is_notified_and_sees_the_assistance_history,
    revocation_reaches_the_next_request_on_another_app_instance,
    the_log_lists_every_session_with_filters_and_is_absent_without_the_right,
    the_whole_flow_start_open_banner_change_close,
    each_check_of_the_start_refuses_with_its_message_in_order,
    any_store_view_may_be_chosen_when_accounts_are_shared_globally,
    a_ticket_is_single_use_short_lived_and_bound_to_the_admins_session,
    redemption_replaces_whoever_was_signed_in_in_that_browser,
    one_session_per_admin_and_a_warning_about_other_admins,
    sensitive_changes_are_refused_while_assisting,
    every_end_is_logged_with_its_reason_and_the_next_page_says_why,
    assisting_keeps_the_admins_own_session_alive,
    a_failing_log_write_aborts_the_start,
    every_path_of_the_feature_refuses_while_it_is_disabled,
);
