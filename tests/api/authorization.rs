//! Every admin server function, every storefront one that is not public, and every CSV export
//! refuses callers without the right, before doing anything.

use crate::helpers::{client, filtered, searching, sorted, AnswerExt, Grid, TestApp, ADMIN_PASSWORD};
use serde::de::IgnoredAny;
use shopassist::api::customers::ListCustomers;
use shopassist::api::dashboard::ListStoreViews;
use shopassist::api::permissions::{ListAdminUsers, ListRoles};
use shopassist::api::{
    ADMIN_PREFIX, PUBLIC_ADMIN_ENDPOINTS, PUBLIC_STORE_ENDPOINTS, SIGNED_IN_ADMIN_ENDPOINTS, STORE_PREFIX,
};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::AppError;
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
    for t in ["admin_users", "admin_roles", "admin_role_resources", "customers", "config_values", "action_log"] {
        out.push(app.count(t).await);
    }
    for t in ["admin_users", "customers"] {
        let updated: Option<i64> =
            sqlx::query_scalar(&format!("SELECT MAX(updated_at) FROM {t}")).fetch_one(&app.db.pool).await.unwrap();
        out.push(updated.unwrap_or_default());
    }
    out
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

    let nobody = app.admin_with("nobody", Grant::custom([])).await;
    let unprivileged = app.admin_client(&nobody, ADMIN_PASSWORD).await;
    let anonymous = client();
    let before = table_fingerprint(&app).await;

    for path in &guarded {
        // Nothing posted: the arguments read as empty, so only the guard can answer.
        let refusal = app.post_raw(&anonymous, path, "").await.answer::<IgnoredAny>().refused();
        assert_eq!(refusal.status, 401, "{path} must refuse an anonymous caller, got {refusal:?}");
        assert!(
            matches!(&refusal.error, AppError::Unauthenticated(m) if m.contains("Please sign in")),
            "{path}: unclear refusal {refusal:?}"
        );

        if SIGNED_IN_ADMIN_ENDPOINTS.contains(&path.as_str()) {
            continue;
        }
        let refusal = app.post_raw(&unprivileged, path, "").await.answer::<IgnoredAny>().refused();
        assert_eq!(refusal.status, 403, "{path} must refuse an admin without the resource, got {refusal:?}");
        assert!(
            matches!(&refusal.error, AppError::Forbidden(m) if m.contains("you need permissions")),
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

    // A shopper exists (and is signed in elsewhere): an anonymous call must not reach them.
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let anonymous = client();
    let before = table_fingerprint(&app).await;
    for path in &guarded {
        let refusal = app.post_raw(&anonymous, path, "").await.answer::<IgnoredAny>().refused();
        assert_eq!(
            refusal,
            crate::helpers::Refusal {
                status: 401,
                error: AppError::Unauthenticated("Please sign in to your account.".into())
            },
            "{path} is neither public nor refuses an anonymous caller"
        );
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused call changed data");
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
    load(&app.db, &Sizes { customers: 250, customers_only: true }, false).await.unwrap();
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
    let html = app.page(&c, "/admin/system/roles").await;
    assert!(html.contains("you need permissions"), "roles page must show the refusal");
    assert!(!html.contains("Administrators"), "roles page leaked the role list");
}

crate::on_both_databases!(
    every_admin_server_function_refuses_anonymous_and_unprivileged_callers,
    every_storefront_function_that_is_not_public_refuses_an_anonymous_caller,
    csv_exports_need_the_grids_resource_and_hold_its_whole_filtered_set,
    admin_pages_refuse_an_admin_without_the_resource,
);
