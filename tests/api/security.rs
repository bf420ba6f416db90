//! Security baseline: origin checks, headers, body limits, bad input, the append-only log,
//! the log written in the same transaction as the change, health endpoints, migrations,
//! expired sessions removed in short batches.

use crate::helpers::{
    client, config_form, customer_sign_in_form, encode, register_form, sign_in_form, AnswerExt, Backend, Refusal,
    TestApp, ADMIN_PASSWORD, SHOPPER_PASSWORD,
};
use serde::de::IgnoredAny;
use server_fn::ServerFn;
use shopassist::api::admin_auth::AdminSignIn;
use shopassist::api::config::SaveConfig;
use shopassist::api::customers::ListCustomers;
use shopassist::api::storefront::{CustomerSignIn, Register};
use shopassist::domain::error::AppError;

async fn a_state_change_from_another_site_is_refused(app: TestApp) {
    let c = client();
    let register = encode(&Register { form: register_form("A", "B", "a@b.co") });
    for (header, value) in [("origin", "http://evil.example"), ("origin", "null"), ("sec-fetch-site", "cross-site")] {
        let res = app.post_raw_with(&c, Register::PATH, register.clone(), &[(header, value)]).await;
        assert_eq!(res.status, 403, "{header}: {value}");
        assert_eq!(res.body, "This request came from another site and was refused.");
    }
    let origin = format!("http://{}", app.addr);
    let sign_in = encode(&AdminSignIn { form: sign_in_form("admin", ADMIN_PASSWORD) });
    let same = app.post_raw_with(&c, AdminSignIn::PATH, sign_in, &[("origin", &origin)]).await;
    assert_eq!(same.answer::<()>(), Ok(()), "same-origin requests pass");
    assert_eq!(app.count("customers").await, 0);
}

async fn origin_must_match_scheme_host_and_port_exactly(app: TestApp) {
    let c = client();
    let register = encode(&Register { form: register_form("A", "B", "a@b.co") });
    let port = app.addr.port();
    let near_misses = [
        format!("https://{}", app.addr),
        format!("http://127.0.0.1:{}", port + 1),
        "http://127.0.0.1".to_string(),
        format!("http://{}.evil.example", app.addr),
        format!("http://localhost:{port}"),
    ];
    for origin in &near_misses {
        let res = app.post_raw_with(&c, Register::PATH, register.clone(), &[("origin", origin)]).await;
        assert_eq!(res.status, 403, "Origin {origin} must be refused");
    }
    // The right Origin does not excuse a browser that says the request is cross-site.
    let res = app
        .post_raw_with(
            &c,
            Register::PATH,
            register.clone(),
            &[("origin", &app.origin()), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(app.count("customers").await, 0, "nothing was registered");
}

async fn a_state_change_with_a_session_cookie_but_no_origin_is_refused(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let before = app.log_count().await;
    let form =
        encode(&SaveConfig { form: config_form("default", "customer", &[("customer.account_share.scope", "global")]) });
    let bare = admin
        .post(app.url(SaveConfig::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 403, "a session cookie without Origin or Sec-Fetch-Site");
    assert_eq!(app.log_count().await, before, "nothing changed");
    assert_eq!(app.count("config_values").await, seeded);
    let res = app.post_raw_with(&admin, SaveConfig::PATH, form.clone(), &[("origin", "")]).await;
    assert_eq!(res.status, 403, "an empty Origin is not this site");
    // A browser's same-origin request that omits Origin still says Sec-Fetch-Site: it passes.
    let fetched = admin
        .post(app.url(SaveConfig::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(app.count("config_values").await, seeded + 1);
    // Without any session cookie, API-style clients pass the check (and meet the guard instead).
    let anonymous = client()
        .post(app.url(SaveConfig::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(encode(&SaveConfig { form: config_form("default", "customer", &[]) }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

async fn private_responses_are_never_stored(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    for path in ["/admin", "/admin/customers", "/admin/export/customers.csv"] {
        let res = app.get(&admin, path).await;
        assert_eq!(res.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{path}");
    }
    let answer = app.send(&admin, &ListCustomers { query: Default::default() }).await;
    assert_eq!(answer.headers.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    let shopper = app.shopper("Nia", "Park", "nia@example.com").await;
    let account = app.get(&shopper, "/customer/account").await;
    assert_eq!(account.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    let health = app.get(&client(), "/health").await;
    assert_eq!(health.headers().get("cache-control"), None, "public, cookie-less answers may be cached");
}

async fn pages_carry_the_security_headers(app: TestApp) {
    let res = app.get(&client(), "/").await;
    let h = res.headers();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let body = res.text().await.unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry this response's nonce");
    let admin = app.get(&client(), "/admin").await;
    assert!(admin
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

async fn oversize_bodies_and_invalid_input_get_a_clear_4xx(app: TestApp) {
    let c = client();
    let big = "x".repeat(70 * 1024);
    // Its own connection: the server answers 413 without reading the body, then closes.
    let res = app.post_raw(&client(), Register::PATH, format!("form[first_name]={big}")).await;
    assert_eq!(res.status, 413);

    let res = app.post_raw(&c, AdminSignIn::PATH, b"form[username]=\xff\xfe&form[password]=\xc3\x28".to_vec()).await;
    assert!((400..500).contains(&res.status), "invalid UTF-8 gave {}", res.status);

    let res = app.post_raw(&c, Register::PATH, "form=not-a-struct&form[first_name][x]=y").await;
    assert!((400..500).contains(&res.status), "malformed form gave {}", res.status);
    assert_eq!(res.answer::<IgnoredAny>().refused().status, 400, "a clear answer: {}", res.body);

    // A text where a number is expected.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app.post_raw(&admin, ListCustomers::PATH, "query[limit]=twenty").await;
    assert_eq!(res.answer::<IgnoredAny>().refused().status, 400, "{}", res.body);
    assert_eq!(app.count("customers").await, 0);
}

async fn the_action_log_cannot_be_edited_or_deleted(app: TestApp) {
    let _ = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert!(app.log_count().await > 0);
    assert!(sqlx::query("UPDATE action_log SET result = 'x'").execute(&app.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM action_log").execute(&app.db.pool).await.is_err());
    assert!(app.log_count().await > 0);
}

async fn a_change_whose_log_entry_cannot_be_written_does_not_happen(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let ddl: &[&str] = match app.backend {
        Backend::Sqlite => &["CREATE TRIGGER action_log_broken BEFORE INSERT ON action_log BEGIN SELECT RAISE(ABORT, 'log unavailable'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION action_log_broken() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log unavailable'; END; $$ LANGUAGE plpgsql",
            "CREATE TRIGGER action_log_broken BEFORE INSERT ON action_log FOR EACH ROW EXECUTE FUNCTION action_log_broken()",
        ],
    };
    for sql in ddl {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    let form = config_form("default", "customer", &[("customer.account_share.scope", "global")]);
    let res = app.send(&c, &SaveConfig { form }).await;
    assert_eq!(res.answer::<()>().refused(), Refusal { status: 500, error: AppError::Internal });
    assert!(!res.body.contains("log unavailable"), "database text must not reach the client: {}", res.body);
    assert_eq!(app.count("config_values").await, seeded, "the change was rolled back with its log entry");
}

async fn health_and_readiness_answer(app: TestApp) {
    assert_eq!(app.get(&client(), "/health").await.text().await.unwrap(), "ok");
    assert_eq!(app.get(&client(), "/ready").await.status(), 200);
}

async fn expired_sessions_are_removed_in_batches_and_live_ones_kept(app: TestApp) {
    use shopassist::server::db::sessions::Store;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let store = &app.db.sessions;
    let now = time::OffsetDateTime::now_utc();
    // More than two batches' worth of expired sessions, and one live one.
    for _ in 0..1_201 {
        let mut expired =
            Record { id: Id::default(), data: Default::default(), expiry_date: now - time::Duration::hours(1) };
        store.create(&mut expired).await.unwrap();
    }
    let mut live = Record { id: Id::default(), data: Default::default(), expiry_date: now + time::Duration::hours(1) };
    store.create(&mut live).await.unwrap();

    assert_eq!(store.delete_expired_in_batches().await.unwrap(), 1_201);
    // On SQLite the sessions have a file of their own (see `db::sessions`).
    let left: i64 = match store {
        Store::Sqlite(_, pool) => sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions").fetch_one(pool).await,
        Store::Postgres(_, pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions.session").fetch_one(pool).await
        }
    }
    .unwrap();
    assert_eq!(left, 1);
    assert!(store.load(&live.id).await.unwrap().is_some(), "the live session survives");
    assert_eq!(store.delete_expired_in_batches().await.unwrap(), 0);
}

crate::on_both_databases!(
    expired_sessions_are_removed_in_batches_and_live_ones_kept,
    a_state_change_from_another_site_is_refused,
    origin_must_match_scheme_host_and_port_exactly,
    a_state_change_with_a_session_cookie_but_no_origin_is_refused,
    private_responses_are_never_stored,
    pages_carry_the_security_headers,
    oversize_bodies_and_invalid_input_get_a_clear_4xx,
    the_action_log_cannot_be_edited_or_deleted,
    a_change_whose_log_entry_cannot_be_written_does_not_happen,
    health_and_readiness_answer,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_when_the_setting_says_https_and_rotate_on_every_sign_in() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.secure_cookies = true).await;
    let c = client();
    let admin = app.send(&c, &AdminSignIn { form: sign_in_form("admin", ADMIN_PASSWORD) }).await;
    let admin_cookie = admin.set_cookie("__Secure-sa_admin").expect("admin cookie with the __Secure- prefix");
    assert!(admin_cookie.contains("Secure") && admin_cookie.contains("Path=/admin"), "{admin_cookie}");
    assert_eq!(
        admin.headers.get("strict-transport-security").map(|v| v.to_str().unwrap()),
        Some("max-age=31536000; includeSubDomains")
    );

    let _ = app.shopper("Sam", "Roe", "sam@example.com").await;
    let sign_in = CustomerSignIn { form: customer_sign_in_form("sam@example.com", SHOPPER_PASSWORD) };
    let first = app.send(&c, &sign_in).await;
    assert_eq!(first.answer::<String>(), Ok("/customer/account".to_string()));
    let first = first.set_cookie("__Host-sa_store").expect("shopper cookie with the __Host- prefix");
    assert!(first.contains("Secure") && first.contains("HttpOnly") && first.contains("Path=/"), "{first}");
    assert!(!first.contains("Domain="), "a __Host- cookie has no Domain: {first}");
    let again = app.send(&c, &sign_in).await.set_cookie("__Host-sa_store").expect("shopper cookie");
    assert_ne!(first.split(';').next(), again.split(';').next(), "the shopper's session id changes on sign-in");

    let plain = TestApp::spawn(Backend::Sqlite).await;
    let res = plain.send(&client(), &AdminSignIn { form: sign_in_form("admin", ADMIN_PASSWORD) }).await;
    assert!(!res.set_cookie("sa_admin").expect("admin cookie").contains("Secure"), "plain HTTP by default");
    assert!(res.headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
}

#[test]
fn both_migration_folders_list_the_same_versions() {
    let versions = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().split('_').next().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let sqlite = versions("migrations/sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("migrations/postgres"));
}

/// The binary stops cleanly on SIGTERM (graceful shutdown), after serving.
#[test]
fn the_server_shuts_down_gracefully_on_sigterm() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .arg("serve")
        .env("DATABASE_URL", format!("sqlite://{}/s.db", dir.path().display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_HASH_FILES", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let ready = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            break out;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(status.success(), "exit {status:?}: {log}");
    assert!(log.contains("shutting down"), "{log}");
}
