//! Every admin server function, every storefront one that is not public, and every CSV export
//! refuses callers without the right, before doing anything.

use crate::helpers::{client, filtered, searching, sorted, AnswerExt, Grid, TestApp, ADMIN_PASSWORD};
use serde::de::IgnoredAny;
use shopassist::api::customers::ListCustomers;
use shopassist::api::dashboard::ListStoreViews;
use shopassist::api::permissions::{ListAdminUsers, ListRoles};
use shopassist::api::{
    ADMIN_PREFIX, HIDDEN_ADMIN_ENDPOINTS, PUBLIC_ADMIN_ENDPOINTS, PUBLIC_STORE_ENDPOINTS, SIGNED_IN_ADMIN_ENDPOINTS,
    STORE_PREFIX,
};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::grid::GridQuery;

/// All registered server functions under `prefix`, found at run time, so a new one is
/// covered without editing this test.
fn endpoints_under(prefix: &str) -> Vec<String> {
    let mut paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with(&format!("{prefix}/")))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

async fn table_fingerprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "admin_users",
        "admin_roles",
        "admin_role_resources",
        "customers",
        "config_values",
        "action_log",
        "catalog_products",
        "carts",
        "cart_items",
        "customer_addresses",
        "sales_orders",
    ] {
        out.push(app.count(t).await);
    }
    for t in ["admin_users", "customers"] {
        let updated: Option<i64> =
            sqlx::query_scalar(&format!("SELECT MAX(updated_at) FROM {t}")).fetch_one(&app.db.pool).await.unwrap();
        out.push(updated.unwrap_or_default());
    }
    out
}

async fn enable_assistance(app: &TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form =
        crate::helpers::config_form("default", "login_as_customer", &[("login_as_customer.general.enabled", "1")]);
    assert_eq!(app.save_config(&admin, &form).await, Ok(()));
}

async fn every_admin_server_function_refuses_anonymous_and_unprivileged_callers(app: TestApp) {
    let endpoints = endpoints_under(ADMIN_PREFIX);
    for expected in
        ["/admin/api/roles_save", "/admin/api/users_save", "/admin/api/config_save", "/admin/api/customers_list"]
    {
        assert!(endpoints.iter().any(|e| e == expected), "{expected} not registered; found {endpoints:?}");
    }
    let guarded: Vec<_> = endpoints.iter().filter(|p| !PUBLIC_ADMIN_ENDPOINTS.contains(&p.as_str())).collect();
    assert!(guarded.len() >= 12, "expected the admin functions to be found, got {guarded:?}");

    // With Login as Customer enabled: while it is off its endpoints refuse everyone alike
    // (tested in `assist`).
    enable_assistance(&app).await;
    let nobody = app.admin_with("nobody", Grant::custom([])).await;
    let unprivileged = app.admin_client(&nobody, ADMIN_PASSWORD).await;
    let anonymous = client();
    let before = table_fingerprint(&app).await;

    for path in &guarded {
        // Nothing posted: the arguments read as empty, so only the guard can answer.
        let refusal = app.post_raw(&anonymous, path, "").await.answer::<IgnoredAny>().refused();
        assert_eq!(refusal.status, 401, "{path} must refuse an anonymous caller, got {refusal:?}");
        assert!(
            refusal.error == AppError::unauthenticated(Msg::AdminSignInNeeded),
            "{path}: unclear refusal {refusal:?}"
        );

        if SIGNED_IN_ADMIN_ENDPOINTS.contains(&path.as_str()) {
            continue;
        }
        let refusal = app.post_raw(&unprivileged, path, "").await.answer::<IgnoredAny>().refused();
        if HIDDEN_ADMIN_ENDPOINTS.contains(&path.as_str()) {
            assert_eq!(refusal.status, 404, "{path} must not exist for an admin without the resource: {refusal:?}");
            continue;
        }
        assert_eq!(refusal.status, 403, "{path} must refuse an admin without the resource, got {refusal:?}");
        assert!(
            matches!(&refusal.error, AppError::Forbidden(m) if matches!(**m, Msg::PermissionNeeded { .. })),
            "{path}: unclear refusal {refusal:?}"
        );
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused call changed data");
}

async fn every_storefront_function_that_is_not_public_refuses_an_anonymous_caller(app: TestApp) {
    let endpoints = endpoints_under(STORE_PREFIX);
    for public in PUBLIC_STORE_ENDPOINTS {
        assert!(endpoints.iter().any(|e| e == public), "public {public} is not registered; found {endpoints:?}");
    }
    let guarded: Vec<_> = endpoints.iter().filter(|p| !PUBLIC_STORE_ENDPOINTS.contains(&p.as_str())).collect();
    for expected in ["/api/store/account", "/api/store/account_save"] {
        assert!(guarded.iter().any(|e| *e == expected), "{expected} must need a shopper; guarded: {guarded:?}");
    }

    enable_assistance(&app).await;
    // A shopper exists (and is signed in elsewhere): an anonymous call must not reach them.
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let anonymous = client();
    let before = table_fingerprint(&app).await;
    for path in &guarded {
        let refusal = app.post_raw(&anonymous, path, "").await.answer::<IgnoredAny>().refused();
        assert_eq!(
            refusal,
            crate::helpers::Refusal { status: 401, error: AppError::unauthenticated(Msg::CustomerSignInNeeded) },
            "{path} is neither public nor refuses an anonymous caller"
        );
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused call changed data");
}

/// The third case: an admin who holds the endpoint's resource tries to reach beyond their own
/// role. Every endpoint that changes users or roles is found at run time and must have
/// attempts here; each is refused (403) and changes nothing.
async fn every_endpoint_that_changes_privileges_refuses_an_escalating_admin(app: TestApp) {
    use crate::helpers::{role_form, user_form};
    use shopassist::api::permissions::{AdminUserEditData, SaveAdminUser, SaveRole};
    use shopassist::domain::forms::{AdminUserForm, RoleForm};

    let changing: Vec<String> = endpoints_under(ADMIN_PREFIX)
        .into_iter()
        .filter(|p| (p.contains("/users_") || p.contains("/roles_")) && !p.ends_with("_list") && !p.ends_with("_get"))
        .collect();
    let me = app.admin_with("escalator", Grant::custom([Resource::SystemUsers, Resource::SystemRoles])).await;
    let c = app.admin_client(&me, ADMIN_PASSWORD).await;
    let (main, my_id) = (app.admin_id("admin").await, app.admin_id(&me).await);
    let (administrators, my_role) = (app.role_id("Administrators").await, app.role_id("escalator role").await);
    let edit = |id: i64| {
        let app = &app;
        let c = &c;
        async move {
            let user = app.load(c, &AdminUserEditData { id: id.to_string() }).await.unwrap().user.unwrap();
            AdminUserForm {
                id: id.to_string(),
                username: user.username,
                first_name: user.first_name,
                last_name: user.last_name,
                email: user.email,
                role_id: user.role_id.to_string(),
                ..user_form("", 0)
            }
        }
    };
    let before = table_fingerprint(&app).await;
    let mut tried = Vec::new();
    let users: Vec<(&str, AdminUserForm)> = vec![
        ("self into Administrators", AdminUserForm { role_id: administrators.to_string(), ..edit(my_id).await }),
        ("the main admin's password", edit(main).await),
        (
            "the main admin deactivated",
            AdminUserForm { is_active: shopassist::domain::forms::Checkbox(false), ..edit(main).await },
        ),
        ("a new full admin", user_form("sidekick", administrators)),
    ];
    for (what, mut form) in users {
        if what != "the main admin's password" {
            form.password = String::new();
            form.password_confirmation = String::new();
        }
        if what == "a new full admin" {
            form.password = "Sidekick-Passw0rd".into();
            form.password_confirmation = "Sidekick-Passw0rd".into();
        }
        let reply = app.call(&c, &SaveAdminUser { form }).await;
        tried.push(("/admin/api/users_save".to_string(), what, reply.map(|_| ())));
    }
    let roles: Vec<(&str, RoleForm)> = vec![
        (
            "own role to All",
            RoleForm {
                id: my_role.to_string(),
                name: "escalator role".into(),
                access: "all".into(),
                ..role_form("", "")
            },
        ),
        ("a new All role", RoleForm { access: "all".into(), ..role_form("Everything", "") }),
        ("a wider role", role_form("Wider", "system.permissions.users,customers.manage")),
        (
            "Administrators edited",
            RoleForm { id: administrators.to_string(), access: "all".into(), ..role_form("Mine", "") },
        ),
        (
            "the main admin moved down",
            RoleForm {
                id: my_role.to_string(),
                add_users: main.to_string(),
                ..role_form("escalator role", "system.permissions.users,system.permissions.roles")
            },
        ),
    ];
    for (what, form) in roles {
        let reply = app.call(&c, &SaveRole { form }).await;
        tried.push(("/admin/api/roles_save".to_string(), what, reply.map(|_| ())));
    }
    for path in &changing {
        assert!(tried.iter().any(|(p, _, _)| p == path), "{path} changes privileges but no escalation is tried on it");
    }
    for (path, what, reply) in tried {
        let refusal = reply.expect_err(&format!("{path}: {what} must be refused"));
        assert_eq!(refusal.status, 403, "{path}: {what}: {refusal:?}");
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused escalation changed data");
}

/// Every server function, posted from another site by a browser that holds a full admin's and
/// a shopper's cookies, is refused before it runs (403) and changes nothing.
async fn every_server_function_refuses_a_post_from_another_site(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    // The same browser is also a signed-in shopper.
    let sign_up = crate::helpers::register_form("Cross", "Site", "cross@example.com");
    assert!(app.register(&c, &sign_up).await.is_ok());
    let before = table_fingerprint(&app).await;
    let mut paths = endpoints_under(ADMIN_PREFIX);
    paths.extend(endpoints_under(STORE_PREFIX));
    assert!(paths.len() > 20, "{paths:?}");
    for path in &paths {
        for (header, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")] {
            let res = app.post_raw_with(&c, path, "form[x]=1", &[(header, value)]).await;
            assert_eq!(res.status, 403, "{path} with {header}: {value}");
        }
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused cross-site post changed data");
}

/// Anonymous: 401; an admin without the grid's resource: 403; with it: the grid's header and
/// every row of the filtered set (all pages), in the grid's order. Returns how many rows.
async fn export_matches_its_grid<G: Grid>(
    app: &TestApp,
    without: &reqwest::Client,
    with: &reqwest::Client,
    query: &GridQuery,
) -> usize {
    let name = G::EXPORT;
    let csv = app.export::<G>(&client(), query).await;
    assert_eq!(csv.status, 401, "{name} export for an anonymous caller: {}", csv.body);
    assert!(csv.body.contains("Please sign in"), "{}", csv.body);

    let csv = app.export::<G>(without, query).await;
    assert_eq!(csv.status, 403, "{name} export without the grid's resource: {}", csv.body);
    assert!(csv.body.contains("you need permissions"), "{}", csv.body);

    let pages = app.grid_pages::<G>(with, query).await;
    let count = pages[0].count;
    // As the grid's Export link asks: the query the server applied, on its first page.
    let csv = app.export::<G>(with, &pages[0].query).await;
    assert_eq!(csv.status, 200, "{name} export with the grid's resource: {}", csv.body);
    assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);

    let rows: Vec<G::Row> = pages.into_iter().flat_map(|p| p.rows).collect();
    assert!(!count.capped);
    assert_eq!(rows.len() as i64, count.rows, "the grid's pages hold its count");
    let records = csv.records();
    assert_eq!(records[0], G::CSV_HEADER, "{name} header");
    let expected: Vec<Vec<String>> = rows.iter().map(G::csv_record).collect();
    assert_eq!(records[1..], expected[..], "{name} rows");
    rows.len()
}

async fn csv_exports_need_the_grids_resource_and_hold_its_whole_filtered_set(app: TestApp) {
    use shopassist::server::demo::{load, Sizes};
    load(
        &app.db,
        &Sizes { customers: 250, customers_only: true, log_entries: 0, products: Some(0), orders: Some(0) },
        false,
    )
    .await
    .unwrap();
    let second = app.website_id("second").await;
    let mut viewers = Vec::new();
    for (name, resource) in [
        ("nobody", Resource::Dashboard),
        ("customer_viewer", Resource::CustomersManage),
        ("user_viewer", Resource::SystemUsers),
        ("role_viewer", Resource::SystemRoles),
        ("store_viewer", Resource::StoresAllStores),
    ] {
        let user = app.admin_with(name, Grant::custom([resource])).await;
        viewers.push(app.admin_client(&user, ADMIN_PASSWORD).await);
    }
    let [nobody, customers, users, roles, stores] = &viewers[..] else { unreachable!() };

    let found = export_matches_its_grid::<ListCustomers>(&app, nobody, customers, &searching("a")).await;
    assert!(found > 20 && found < 250, "the search spans pages but not every row: {found}");
    let on_second = GridQuery { sort: "email".into(), dir: "asc".into(), ..filtered("website", second) };
    let found = export_matches_its_grid::<ListCustomers>(&app, nobody, customers, &on_second).await;
    assert!(found > 100 && found < 250, "{found}");
    let all = export_matches_its_grid::<ListCustomers>(&app, nobody, customers, &sorted("name", "asc")).await;
    assert_eq!(all, 250);

    let all_users = export_matches_its_grid::<ListAdminUsers>(&app, nobody, users, &GridQuery::default()).await;
    assert_eq!(all_users, 6, "admin and the five viewers");
    let all_roles = export_matches_its_grid::<ListRoles>(&app, nobody, roles, &sorted("name", "desc")).await;
    assert_eq!(all_roles, 6, "Administrators and the five viewers' roles");
    let all_views = export_matches_its_grid::<ListStoreViews>(&app, nobody, stores, &GridQuery::default()).await;
    assert_eq!(all_views, 3);
}

async fn admin_pages_refuse_an_admin_without_the_resource(app: TestApp) {
    let user = app.admin_with("viewer", Grant::custom([Resource::Dashboard])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let html = app.page_shown(&c, "/admin/system/roles").await;
    assert!(html.contains("you need permissions"), "roles page must show the refusal");
    assert!(!html.contains("Administrators"), "roles page leaked the role list");
}

crate::on_both_databases!(
    every_admin_server_function_refuses_anonymous_and_unprivileged_callers,
    every_storefront_function_that_is_not_public_refuses_an_anonymous_caller,
    every_endpoint_that_changes_privileges_refuses_an_escalating_admin,
    every_server_function_refuses_a_post_from_another_site,
    csv_exports_need_the_grids_resource_and_hold_its_whole_filtered_set,
    admin_pages_refuse_an_admin_without_the_resource,
);
