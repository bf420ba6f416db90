//! Every admin server function refuses callers without the right, before doing anything.

use crate::helpers::{TestApp, ADMIN_PASSWORD};
use shopassist::api::{ADMIN_PREFIX, PUBLIC_ADMIN_ENDPOINTS, SIGNED_IN_ADMIN_ENDPOINTS};
use shopassist::domain::acl::Grant;

/// All registered server functions under the admin prefix, found at run time, so a new one
/// is covered without editing this test.
fn admin_endpoints() -> Vec<String> {
    let mut paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with(ADMIN_PREFIX))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

async fn table_fingerprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["admin_users", "admin_roles", "admin_role_resources", "customers", "config_values", "action_log"] {
        out.push(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(&app.db.pool).await.unwrap());
    }
    let updated: Option<i64> =
        sqlx::query_scalar("SELECT MAX(updated_at) FROM admin_users").fetch_one(&app.db.pool).await.unwrap();
    out.push(updated.unwrap_or_default());
    out
}

async fn every_admin_server_function_refuses_anonymous_and_unprivileged_callers(app: TestApp) {
    let endpoints = admin_endpoints();
    for expected in
        ["/admin/api/roles_save", "/admin/api/users_save", "/admin/api/config_save", "/admin/api/customers_list"]
    {
        assert!(endpoints.iter().any(|e| e == expected), "{expected} not registered; found {endpoints:?}");
    }
    let guarded: Vec<_> = endpoints.iter().filter(|p| !PUBLIC_ADMIN_ENDPOINTS.contains(&p.as_str())).collect();
    assert!(guarded.len() >= 12, "expected the admin functions to be found, got {guarded:?}");

    let nobody = app.admin_with("nobody", Grant::custom([])).await;
    let unprivileged = app.admin_client(&nobody, ADMIN_PASSWORD).await;
    let anonymous = crate::helpers::client();
    let before = table_fingerprint(&app).await;

    for path in &guarded {
        let res = app.call(&anonymous, path, &[]).await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_eq!(status, 401, "{path} must refuse an anonymous caller, got {status}: {body}");
        assert!(body.contains("Please sign in"), "{path}: unclear refusal {body}");

        if SIGNED_IN_ADMIN_ENDPOINTS.contains(&path.as_str()) {
            continue;
        }
        let res = app.call(&unprivileged, path, &[]).await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_eq!(status, 403, "{path} must refuse an admin without the resource, got {status}: {body}");
        assert!(body.contains("you need permissions"), "{path}: unclear refusal {body}");
    }
    assert_eq!(table_fingerprint(&app).await, before, "a refused call changed data");
}

async fn admin_pages_refuse_an_admin_without_the_resource(app: TestApp) {
    let user = app.admin_with("viewer", Grant::custom([shopassist::domain::acl::Resource::Dashboard])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let html = app.get(&c, "/admin/system/roles").await.text().await.unwrap();
    assert!(html.contains("you need permissions"), "roles page must show the refusal");
    assert!(!html.contains("Administrators"), "roles page leaked the role list");
}

crate::on_both_databases!(
    every_admin_server_function_refuses_anonymous_and_unprivileged_callers,
    admin_pages_refuse_an_admin_without_the_resource,
);
