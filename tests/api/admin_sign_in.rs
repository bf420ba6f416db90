//! Admin sign-in: success, failures, lockout, session rotation, the log.

use crate::helpers::{client, TestApp, ADMIN_PASSWORD};
use sqlx::Row;

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sa_admin="))
        .map(str::to_string)
}

async fn sign_in(app: &TestApp, c: &reqwest::Client, user: &str, password: &str) -> reqwest::Response {
    app.call(c, "/admin/api/sign_in", &[("form[username]", user), ("form[password]", password)]).await
}

async fn signing_in_rotates_the_session_and_is_logged(app: TestApp) {
    let c = client();
    // A session exists before sign-in (an anonymous visit that stored nothing has no cookie,
    // so force one by failing once, which does not set one either: compare ids across sign-ins).
    let first = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    assert_eq!(first.status(), 200);
    let cookie1 = session_cookie(&first).expect("session cookie on sign-in");
    assert!(cookie1.contains("HttpOnly"), "{cookie1}");
    assert!(cookie1.contains("SameSite=Strict"), "{cookie1}");
    assert!(cookie1.contains("Path=/admin"), "{cookie1}");
    let second = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    let cookie2 = session_cookie(&second).expect("new cookie on second sign-in");
    assert_ne!(cookie1.split(';').next(), cookie2.split(';').next(), "session id must change on sign-in");

    let me: serde_json::Value = app.call(&c, "/admin/api/me", &[]).await.json().await.unwrap();
    assert_eq!(me["username"], "admin");

    let rows =
        sqlx::query("SELECT admin_username, action_group, result FROM action_log WHERE action = 'Sign in' ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get::<String, _>("result"), "success");
    assert_eq!(rows[0].get::<String, _>("action_group"), "Admin Sign In");
}

async fn wrong_password_and_unknown_user_get_the_same_answer_and_are_logged(app: TestApp) {
    let c = client();
    let before = app.hasher.verifications();
    let wrong = sign_in(&app, &c, "admin", "Wrong-Passw0rd").await;
    assert_eq!(app.hasher.verifications(), before + 1, "a known user costs one argon2 verification");
    let status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    let unknown = sign_in(&app, &c, "nobody-here", "Wrong-Passw0rd").await;
    assert_eq!(app.hasher.verifications(), before + 2, "an unknown user costs the same verification");
    assert_eq!(status, 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong_body, unknown.text().await.unwrap());
    let results: Vec<String> = sqlx::query_scalar("SELECT result FROM action_log WHERE action = 'Sign in' ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(results, vec!["failure".to_string(), "failure, unknown user".to_string()]);
    let me: serde_json::Value = app.call(&c, "/admin/api/me", &[]).await.json().await.unwrap();
    assert!(me.is_null(), "a failed sign-in must not sign in");
}

async fn six_failures_lock_the_account_even_for_the_right_password(app: TestApp) {
    let c = client();
    for _ in 0..6 {
        assert_eq!(sign_in(&app, &c, "admin", "Wrong-Passw0rd").await.status(), 401);
    }
    let res = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("temporarily locked"));
    let locked: Option<i64> = sqlx::query_scalar("SELECT lock_expires_at FROM admin_users WHERE username = 'admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let minutes = (locked.expect("locked") - shopassist::server::db::now_ms()) / 60_000;
    assert!((28..=30).contains(&minutes), "locked for {minutes} minutes");
}

async fn signing_out_ends_the_session(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.call(&c, "/admin/api/sign_out", &[]).await.status(), 200);
    assert_eq!(app.call(&c, "/admin/api/customers_list", &[]).await.status(), 401);
}

async fn a_deactivated_admin_is_signed_out_on_the_next_request(app: TestApp) {
    let user = app.admin_with("temp", shopassist::domain::acl::Grant::All).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    assert_eq!(app.call(&c, "/admin/api/customers_list", &[]).await.status(), 200);
    sqlx::query("UPDATE admin_users SET is_active = 0 WHERE username = $1")
        .bind(&user)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.call(&c, "/admin/api/customers_list", &[]).await.status(), 401);
}

crate::on_both_databases!(
    signing_in_rotates_the_session_and_is_logged,
    wrong_password_and_unknown_user_get_the_same_answer_and_are_logged,
    six_failures_lock_the_account_even_for_the_right_password,
    signing_out_ends_the_session,
    a_deactivated_admin_is_signed_out_on_the_next_request,
    the_admin_session_lifetime_setting_limits_an_idle_session,
);

async fn the_admin_session_lifetime_setting_limits_an_idle_session(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app
        .call(
            &c,
            "/admin/api/config_save",
            &[
                ("form[scope]", "default"),
                ("form[section]", "admin"),
                ("form[fields][admin.security.session_lifetime]", "120"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let c = client();
    let res = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    let cookie = session_cookie(&res).expect("cookie");
    assert!(cookie.contains("Max-Age=120"), "idle lifetime from the setting: {cookie}");

    // Once the stored expiry has passed, the session no longer signs anyone in.
    let expire = match app.backend {
        crate::helpers::Backend::Sqlite => "UPDATE tower_sessions SET expiry_date = 0",
        crate::helpers::Backend::Postgres => {
            "UPDATE tower_sessions.session SET expiry_date = now() - interval '1 minute'"
        }
    };
    sqlx::query(expire).execute(&app.db.pool).await.unwrap();
    assert_eq!(app.call(&c, "/admin/api/customers_list", &[]).await.status(), 401);
}
