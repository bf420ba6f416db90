//! The shopper's account: registration, sign-in, Account Information, store views, sharing.

use crate::helpers::{client, TestApp};

const PW: &str = "Shopper-Passw0rd";

async fn a_shopper_registers_signs_in_and_sees_the_dashboard(app: TestApp) {
    let c = app.shopper("Mei", "Lin", "mei@example.com").await;
    let html = app.get(&c, "/customer/account").await.text().await.unwrap();
    assert!(html.contains("Welcome, Mei Lin!"), "dashboard greeting");
    assert!(html.contains("mei@example.com"));

    assert_eq!(app.call(&c, "/api/store/sign_out", &[]).await.status(), 200);
    assert_eq!(app.call(&c, "/api/store/account", &[]).await.status(), 401);

    let wrong =
        app.call(&c, "/api/store/sign_in", &[("form[email]", "mei@example.com"), ("form[password]", "nope")]).await;
    assert_eq!(wrong.status(), 401);
    let ok = app.call(&c, "/api/store/sign_in", &[("form[email]", "MEI@example.com"), ("form[password]", PW)]).await;
    assert_eq!(ok.status(), 200);
    let cookie = ok.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("sa_store=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: serde_json::Value = app.call(&c, "/api/store/account", &[]).await.json().await.unwrap();
    assert_eq!(me["first_name"], "Mei");
}

async fn changing_email_or_password_needs_the_current_password(app: TestApp) {
    let c = app.shopper("Mei", "Lin", "mei@example.com").await;
    let save = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("form[first_name]", "Mei"), ("form[last_name]", "Lin-Wang")];
        all.extend(fields);
        all
    };
    let res = app
        .call(
            &c,
            "/api/store/account_save",
            &save(vec![("form[change_email]", "1"), ("form[email]", "new@example.com")]),
        )
        .await;
    assert_eq!(res.status(), 400);
    let res = app
        .call(
            &c,
            "/api/store/account_save",
            &save(vec![
                ("form[change_email]", "1"),
                ("form[email]", "new@example.com"),
                ("form[current_password]", "wrong"),
            ]),
        )
        .await;
    assert_eq!(res.status(), 400);
    let me: serde_json::Value = app.call(&c, "/api/store/account", &[]).await.json().await.unwrap();
    assert_eq!(
        (me["email"].as_str(), me["last_name"].as_str()),
        (Some("mei@example.com"), Some("Lin")),
        "nothing changed"
    );

    let res = app
        .call(
            &c,
            "/api/store/account_save",
            &save(vec![
                ("form[change_email]", "1"),
                ("form[email]", "new@example.com"),
                ("form[current_password]", PW),
            ]),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let me: serde_json::Value = app.call(&c, "/api/store/account", &[]).await.json().await.unwrap();
    assert_eq!((me["email"].as_str(), me["last_name"].as_str()), (Some("new@example.com"), Some("Lin-Wang")));

    let res = app.call(&c, "/api/store/account_save", &save(vec![("form[first_name]", "")])).await;
    assert_eq!(res.status(), 400, "an empty name is refused");
}

async fn email_uniqueness_follows_the_account_sharing_scope(app: TestApp) {
    let register = |store: &'static str| {
        vec![
            ("form[store]", store),
            ("form[first_name]", "Sam"),
            ("form[last_name]", "Roe"),
            ("form[email]", "sam@example.com"),
            ("form[password]", PW),
            ("form[password_confirmation]", PW),
        ]
    };
    // Per Website (the default): the same email may register once on each website.
    assert_eq!(app.call(&client(), "/api/store/register", &register("")).await.status(), 200);
    assert_eq!(app.call(&client(), "/api/store/register", &register("")).await.status(), 409);
    assert_eq!(app.call(&client(), "/api/store/register", &register("second_en")).await.status(), 200);

    // Global: taken everywhere.
    sqlx::query("INSERT INTO config_values (scope, scope_id, path, value, created_at, updated_at) VALUES ('default', 0, 'customer/account_share/scope', 'global', 0, 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let res = app.call(&client(), "/api/store/register", &register("second_zh")).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("already an account"));
}

async fn store_views_are_addressed_by_their_code(app: TestApp) {
    let c = client();
    let home = app.get(&c, "/second_en").await;
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("Second Store English"));
    let unknown = app.get(&c, "/nowhere/customer/account/login").await;
    assert_eq!(unknown.status(), 404);
}

async fn bad_registration_input_is_refused_clearly(app: TestApp) {
    let c = client();
    for (field, value) in [("form[email]", "not-an-email"), ("form[password]", "short"), ("form[first_name]", "   ")] {
        let mut fields = vec![
            ("form[first_name]", "Sam"),
            ("form[last_name]", "Roe"),
            ("form[email]", "sam@example.com"),
            ("form[password]", PW),
            ("form[password_confirmation]", PW),
        ];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        if field == "form[password]" {
            fields.retain(|(k, _)| *k != "form[password_confirmation]");
            fields.push(("form[password_confirmation]", value));
        }
        let res = app.call(&c, "/api/store/register", &fields).await;
        assert_eq!(res.status(), 400, "{field}={value}");
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 0);
}

async fn ten_failed_sign_ins_lock_a_shopper_for_ten_minutes(app: TestApp) {
    let c = app.shopper("Lou", "Kim", "lou@example.com").await;
    let attempt = |password: &'static str| {
        let app = &app;
        let c = &c;
        async move {
            app.call(c, "/api/store/sign_in", &[("form[email]", "lou@example.com"), ("form[password]", password)])
                .await
                .status()
                .as_u16()
        }
    };
    for _ in 0..10 {
        assert_eq!(attempt("Wrong-Passw0rd").await, 401);
    }
    assert_eq!(attempt(PW).await, 429, "locked even with the right password");
    let until: Option<i64> =
        sqlx::query_scalar("SELECT lock_expires_at FROM customers WHERE email = 'lou@example.com'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let minutes = (until.expect("locked") - shopassist::server::db::now_ms()) / 60_000;
    assert!((8..=10).contains(&minutes), "locked for {minutes} minutes");
    sqlx::query("UPDATE customers SET lock_expires_at = 1 WHERE email = 'lou@example.com'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(attempt(PW).await, 200, "the lock ends when its time is up");
}

crate::on_both_databases!(
    ten_failed_sign_ins_lock_a_shopper_for_ten_minutes,
    a_shopper_registers_signs_in_and_sees_the_dashboard,
    changing_email_or_password_needs_the_current_password,
    email_uniqueness_follows_the_account_sharing_scope,
    store_views_are_addressed_by_their_code,
    bad_registration_input_is_refused_clearly,
);
