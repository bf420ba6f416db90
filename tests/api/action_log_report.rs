//! System > Action Logs > Report: every entry, filtered by group, admin, result and dates,
//! paged by cursor, exported as CSV, each with a detail view; only with its resource.

use crate::helpers::{config_form, filtered, AnswerExt, TestApp, ADMIN_PASSWORD};
use shopassist::api::audit::{GetActionLogEntry, ListActionLog};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::grid::GridQuery;

async fn the_report_filters_pages_exports_and_shows_each_entry(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let enable = config_form("default", "login_as_customer", &[("login_as_customer.general.enabled", "1")]);
    app.save_config(&admin, &enable).await.unwrap();
    shopassist::server::demo::load(
        &app.db,
        &shopassist::server::demo::Sizes {
            customers: 0,
            customers_only: false,
            log_entries: 120,
            products: Some(0),
            orders: Some(0),
        },
        false,
    )
    .await
    .unwrap();
    let total = app.log_count().await;

    // Newest first, every entry reachable by next.
    let mut seen = Vec::new();
    let mut query = GridQuery { limit: 50, ..GridQuery::default() };
    loop {
        let page = app.load(&admin, &ListActionLog { query: query.clone() }).await.unwrap();
        seen.extend(page.rows.iter().map(|r| r.id));
        assert!(page.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
        match page.next {
            Some(next) => query = GridQuery { after: next, ..page.query },
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no entry twice");

    // Action Group = Login As Customer.
    let assist = app.load(&admin, &ListActionLog { query: filtered("group", "Login As Customer") }).await.unwrap();
    assert!(assist.count.rows >= 40, "{}", assist.count.rows);
    assert!(assist.rows.iter().all(|r| r.action_group == "Login As Customer"));
    let config = app.load(&admin, &ListActionLog { query: filtered("group", "Configuration") }).await.unwrap();
    assert!(config.rows.iter().any(|r| r.actor == "admin" && r.action == "Save configuration"));
    let failures = app.load(&admin, &ListActionLog { query: filtered("result", "failure") }).await.unwrap();
    assert!(!failures.rows.is_empty() && failures.rows.iter().all(|r| r.result == "failure"));
    let by_admin = app.load(&admin, &ListActionLog { query: filtered("admin", "agent3") }).await.unwrap();
    assert!(!by_admin.rows.is_empty() && by_admin.rows.iter().all(|r| r.actor == "agent3"));
    let future = app.load(&admin, &ListActionLog { query: filtered("from", "2999-01-01") }).await.unwrap();
    assert!(future.rows.is_empty());
    assert_eq!(app.load(&admin, &ListActionLog { query: filtered("result", "maybe") }).await.refused().status, 400);

    // The detail view: old and new values.
    let entry_id = config.rows[0].id;
    let entry = app.load(&admin, &GetActionLogEntry { id: entry_id.to_string() }).await.unwrap();
    assert_eq!(entry.row.action_group, "Configuration");
    assert_eq!(entry.new_value.as_deref(), Some("1"));
    assert!(app.page_shown(&admin, &format!("/admin/system/action-logs/{entry_id}")).await.contains("New Value"));
    assert_eq!(app.load(&admin, &GetActionLogEntry { id: "999999".into() }).await.refused().status, 404);

    // CSV of the filtered set.
    let csv = app.get(&admin, "/admin/export/action_log.csv?group=Configuration").await.text().await.unwrap();
    assert!(csv.starts_with("ID,Time,Admin,Actor,Action Group,Action,Target,Result,IP,Session"));
    assert_eq!(csv.lines().count() as i64 - 1, config.count.rows);

    // Only with Report: others are refused (403), anonymous callers too (401).
    let viewer = app.admin_with("viewer", Grant::custom([Resource::CustomersManage])).await;
    let viewer = app.admin_client(&viewer, ADMIN_PASSWORD).await;
    assert_eq!(app.load(&viewer, &ListActionLog { query: GridQuery::default() }).await.refused().status, 403);
    assert_eq!(app.get(&viewer, "/admin/export/action_log.csv").await.status(), 403);
    let auditor = app.admin_with("auditor", Grant::custom([Resource::SystemActionLogReport])).await;
    let auditor = app.admin_client(&auditor, ADMIN_PASSWORD).await;
    assert!(app.load(&auditor, &ListActionLog { query: GridQuery::default() }).await.is_ok());
    let me = app.me(&auditor).await.unwrap().unwrap();
    assert!(me.resources.contains(&Resource::SystemActionLogReport));

    // The generated entries are sealed into the chain like any other.
    let report = shopassist::server::db::chain::verify(&app.db, std::time::Duration::from_secs(10)).await.unwrap();
    assert!(report.first_break.is_none() && report.unsealed_count == 0, "{:?}", report.first_break);
}

crate::on_both_databases!(the_report_filters_pages_exports_and_shows_each_entry,);
