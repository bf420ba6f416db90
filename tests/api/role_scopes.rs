//! Role Scopes (SPEC §5.6): a role covering only some websites sees, edits and assists only
//! their customers, and nobody grants or touches a scope wider than their own.

use crate::helpers::{
    client, config_form, customer_form, filtered, register_form, role_form, user_form, AnswerExt, TestApp,
    ADMIN_PASSWORD,
};
use shopassist::api::assist::{ListAssistLog, StartAssist};
use shopassist::api::customers::ListCustomers;
use shopassist::api::permissions::SaveRole;
use shopassist::domain::acl::Scope;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{Checkbox, RegisterForm, RoleForm, StartAssistForm};
use shopassist::domain::grid::GridQuery;

const AGENT_RESOURCES: &str =
    "customers.manage,customers.actions.edit,login_as_customer.login,login_as_customer.view_log";

/// A role covering only `websites` (ids), with `resources`, and an admin in it; their client.
pub(crate) async fn scoped_admin(app: &TestApp, name: &str, resources: &str, websites: &[i64]) -> reqwest::Client {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let ids: Vec<String> = websites.iter().map(i64::to_string).collect();
    let role = RoleForm {
        scope: Some("custom".into()),
        websites: Some(ids.join(",")),
        ..role_form(&format!("{name} role"), resources)
    };
    let role_id = app.call(&admin, &SaveRole { form: role }).await.expect("scoped role");
    let user = shopassist::domain::forms::AdminUserForm { ..user_form(name, role_id) };
    app.save_user(&admin, &user).await.expect("scoped admin");
    app.admin_client(name, "User-Passw0rd").await
}

async fn consenting(app: &TestApp, email: &str, store: &str) -> i64 {
    let form = RegisterForm {
        store: store.into(),
        assistance_allowed: Some(Checkbox(true)),
        ..register_form("Pat", "Lee", email)
    };
    app.register(&client(), &form).await.expect("registered");
    app.customer_id(email).await
}

async fn a_scoped_role_sees_edits_and_assists_only_its_websites_customers(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let enable = config_form("default", "login_as_customer", &[("login_as_customer.general.enabled", "1")]);
    app.save_config(&admin, &enable).await.unwrap();
    let (main, second) = (app.website_id("base").await, app.website_id("second").await);
    let here = consenting(&app, "here@example.com", "second_en").await;
    let there = consenting(&app, "there@example.com", "").await;
    let agent = scoped_admin(&app, "agent", AGENT_RESOURCES, &[second]).await;

    // The grid, its filters and its export hold only the second website's customers.
    let page = app.load(&agent, &ListCustomers { query: GridQuery::default() }).await.unwrap();
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [here]);
    let other_site = app.load(&agent, &ListCustomers { query: filtered("website", main) }).await.unwrap();
    assert!(other_site.rows.is_empty(), "a filter cannot reach outside the scope");
    let csv = app.get(&agent, "/admin/export/customers.csv").await.text().await.unwrap();
    assert!(csv.contains("here@example.com") && !csv.contains("there@example.com"), "{csv}");

    // The other website's customer does not exist for this admin: page, save, start.
    assert_eq!(app.customer(&agent, there).await.refused().status, 404);
    let detail = app.customer(&admin, there).await.unwrap().customer;
    assert_eq!(app.save_customer(&agent, &customer_form(&detail)).await.refused().status, 404);
    let start = |id: i64| StartAssist {
        form: StartAssistForm { customer_id: id.to_string(), store: String::new(), reason: String::new() },
    };
    let refused = app.call(&agent, &start(there)).await.refused();
    assert_eq!(refused.error, AppError::not_found(Msg::CustomerNotFound));
    assert!(app.customer(&agent, here).await.unwrap().can_assist);
    let mine = app.call(&agent, &start(here)).await.expect("within the scope");

    // The Login as Customer Log shows only the scope's customers.
    let theirs = app.call(&admin, &start(there)).await.unwrap();
    let log = app.load(&agent, &ListAssistLog { query: GridQuery::default() }).await.unwrap();
    assert_eq!(log.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [mine.session_id]);
    let all = app.load(&admin, &ListAssistLog { query: GridQuery::default() }).await.unwrap();
    assert_eq!(all.rows.len(), 2);
    let _ = theirs;
}

async fn nobody_grants_or_touches_a_scope_wider_than_their_own(app: TestApp) {
    let second = app.website_id("second").await;
    let main = app.website_id("base").await;
    let keeper = scoped_admin(&app, "keeper", "system.permissions.users,system.permissions.roles", &[second]).await;
    let administrators = app.role_id("Administrators").await;
    let wide = |name: &str, scope: Option<&str>, websites: Option<String>| RoleForm {
        scope: scope.map(str::to_string),
        websites,
        current_password: "User-Passw0rd".into(),
        ..role_form(name, "system.permissions.users")
    };
    let before = app.count("admin_roles").await;
    let tries = [
        ("a role for all websites", wide("Everywhere", Some("all"), None)),
        ("a role with another website", wide("Both", Some("custom"), Some(format!("{second},{main}")))),
        ("a new role, scope left out (all)", wide("Unsaid", None, None)),
    ];
    for (what, form) in tries {
        let refused = app.call(&keeper, &SaveRole { form }).await.refused();
        assert_eq!(refused.status, 403, "{what}: {refused:?}");
    }
    assert_eq!(app.count("admin_roles").await, before, "nothing created");

    // A role covering all websites (Administrators) is out of reach, as are its users.
    let edit = RoleForm { id: administrators.to_string(), ..wide("Administrators", None, None) };
    assert_eq!(app.call(&keeper, &SaveRole { form: edit }).await.refused().status, 403);
    let main_admin = app.admin_id("admin").await;
    let keeper_role = app.role_id("keeper role").await;
    let take =
        RoleForm { id: keeper_role.to_string(), add_users: main_admin.to_string(), ..wide("keeper role", None, None) };
    assert_eq!(app.call(&keeper, &SaveRole { form: take }).await.refused().status, 403);
    let other = shopassist::domain::forms::AdminUserForm {
        current_password: "User-Passw0rd".into(),
        ..user_form("newcomer", app.role_id("Administrators").await)
    };
    assert_eq!(app.save_user(&keeper, &other).await.refused().status, 403, "no user into a wider role");

    // Within the scope it works.
    let ok = wide("Second only", Some("custom"), Some(second.to_string()));
    let id = app.call(&keeper, &SaveRole { form: ok }).await.expect("a role within the scope");
    let page = app.role_page(&keeper, id).await.unwrap();
    assert_eq!(page.role.unwrap().scope, Scope::Websites([second].into()));
    assert_eq!(page.limits.grantable_websites, Some(vec![second]));
    let admins_role = app.role_page(&keeper, administrators).await.unwrap();
    assert!(admins_role.limits.read_only.is_some(), "shown read-only");
}

/// Narrowing a role's scope ends its admins' sessions with customers it no longer covers.
async fn narrowing_a_scope_ends_sessions_outside_it(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let enable = config_form("default", "login_as_customer", &[("login_as_customer.general.enabled", "1")]);
    app.save_config(&admin, &enable).await.unwrap();
    let (main, second) = (app.website_id("base").await, app.website_id("second").await);
    let there = consenting(&app, "there@example.com", "").await;
    let agent = scoped_admin(&app, "agent", AGENT_RESOURCES, &[main, second]).await;
    let form = StartAssistForm { customer_id: there.to_string(), store: String::new(), reason: String::new() };
    let started = app.call(&agent, &StartAssist { form }).await.unwrap();
    let role = app.role_id("agent role").await;
    // A second agent of the same role assists a customer of the website the role keeps.
    let here = consenting(&app, "here@example.com", "second_en").await;
    app.save_user(&admin, &user_form("agent2", role)).await.expect("second agent");
    let agent2 = app.admin_client("agent2", "User-Passw0rd").await;
    let form = StartAssistForm { customer_id: here.to_string(), store: String::new(), reason: String::new() };
    let kept = app.call(&agent2, &StartAssist { form }).await.unwrap();
    let narrow = RoleForm {
        id: role.to_string(),
        scope: Some("custom".into()),
        websites: Some(second.to_string()),
        ..role_form("agent role", AGENT_RESOURCES)
    };
    app.call(&admin, &SaveRole { form: narrow }).await.unwrap();
    let reason: Option<String> = sqlx::query_scalar("SELECT end_reason FROM assistance_sessions WHERE id = $1")
        .bind(started.session_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("permission_lost"));
    let reason: Option<String> = sqlx::query_scalar("SELECT end_reason FROM assistance_sessions WHERE id = $1")
        .bind(kept.session_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reason, None, "the session inside the narrowed scope runs on");
}

crate::on_both_databases!(
    a_scoped_role_sees_edits_and_assists_only_its_websites_customers,
    nobody_grants_or_touches_a_scope_wider_than_their_own,
    narrowing_a_scope_ends_sessions_outside_it,
);
