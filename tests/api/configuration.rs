//! Stores > Settings > Configuration: scopes, inheritance, validation and the log.

use crate::helpers::{TestApp, ADMIN_PASSWORD};
use shopassist::domain::acl::{Grant, Resource};

const TITLE: &str = "form[fields][login_as_customer.general.opt_in_title]";

async fn screen(app: &TestApp, c: &reqwest::Client, scope: &str) -> serde_json::Value {
    let res = app.call(c, "/admin/api/config_get", &[("scope", scope), ("section", "login_as_customer")]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn field<'a>(screen: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    screen["fields"].as_array().unwrap().iter().find(|f| f["path"] == path).unwrap()
}

async fn store_view_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM store_views WHERE code = $1").bind(code).fetch_one(&app.db.pool).await.unwrap()
}

async fn a_website_value_is_inherited_by_its_store_views_and_overridden_where_set(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let path = "login_as_customer/general/opt_in_title";
    let en = format!("store:{}", store_view_id(&app, "second_en").await);
    let zh = format!("store:{}", store_view_id(&app, "second_zh").await);
    let website: i64 =
        sqlx::query_scalar("SELECT id FROM websites WHERE code = 'second'").fetch_one(&app.db.pool).await.unwrap();
    let website = format!("website:{website}");

    let before = screen(&app, &c, &en).await;
    assert_eq!(field(&before, path)["value"], "Allow remote shopping assistance");
    assert_eq!(field(&before, path)["inherits"], true);

    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[("form[scope]", &website), ("form[section]", "login_as_customer"), (TITLE, "Let us help")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(field(&screen(&app, &c, &en).await, path)["value"], "Let us help");
    assert_eq!(field(&screen(&app, &c, &zh).await, path)["value"], "Let us help");
    assert_eq!(field(&screen(&app, &c, "default").await, path)["value"], "Allow remote shopping assistance");

    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[("form[scope]", &zh), ("form[section]", "login_as_customer"), (TITLE, "讓我們幫忙")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let zh_screen = screen(&app, &c, &zh).await;
    assert_eq!(field(&zh_screen, path)["value"], "讓我們幫忙");
    assert_eq!(field(&zh_screen, path)["inherits"], false);
    assert_eq!(field(&zh_screen, path)["inherited_value"], "Let us help");
    assert_eq!(field(&screen(&app, &c, &en).await, path)["value"], "Let us help");

    // "Use Website" removes the override.
    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[
                ("form[scope]", &zh),
                ("form[section]", "login_as_customer"),
                ("form[inherit][login_as_customer.general.opt_in_title]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(field(&screen(&app, &c, &zh).await, path)["value"], "Let us help");

    let logged: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT old_value, new_value FROM action_log WHERE action_group = 'Configuration' ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        logged,
        vec![(None, Some("Let us help".into())), (None, Some("讓我們幫忙".into())), (Some("讓我們幫忙".into()), None),]
    );
}

async fn default_only_fields_cannot_be_set_per_website(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[
                ("form[scope]", "website:1"),
                ("form[section]", "login_as_customer"),
                ("form[fields][login_as_customer.general.enabled]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM config_values").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 0, "a default-only field must not be stored at website scope");
}

async fn a_bad_value_saves_nothing(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[
                ("form[scope]", "default"),
                ("form[section]", "login_as_customer"),
                (TITLE, "Fine title"),
                ("form[fields][login_as_customer.general.enabled]", "perhaps"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Enable Login as Customer"));
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM config_values").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 0);
    let res =
        app.call(&c, "/admin/api/config_save", &[("form[scope]", "website:999"), ("form[section]", "customer")]).await;
    assert_eq!(res.status(), 400);
}

async fn sections_need_their_own_resource(app: TestApp) {
    let user = app.admin_with("cfg", Grant::custom([Resource::ConfigCustomerSection])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let visible: serde_json::Value = app.call(&c, "/admin/api/config_get", &[]).await.json().await.unwrap();
    assert_eq!(visible["sections"], serde_json::json!(["customer"]));
    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[
                ("form[scope]", "default"),
                ("form[section]", "login_as_customer"),
                ("form[fields][login_as_customer.general.enabled]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.call(&c, "/admin/api/config_get", &[("section", "login_as_customer")]).await.status(), 403);
}

crate::on_both_databases!(
    a_website_value_is_inherited_by_its_store_views_and_overridden_where_set,
    default_only_fields_cannot_be_set_per_website,
    a_bad_value_saves_nothing,
    sections_need_their_own_resource,
);
