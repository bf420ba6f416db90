//! Admin sign-in: success, failures, lockout, session rotation, the log.

use crate::helpers::{client, config_form, sign_in_form, AnswerExt, Refusal, Reply, TestApp, ADMIN_PASSWORD};
use shopassist::api::admin_auth::AdminSignIn;
use shopassist::domain::acl::Grant;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::grid::GridQuery;

/// Signs in and keeps the whole response, for its cookie.
async fn sign_in(app: &TestApp, c: &reqwest::Client, user: &str, password: &str) -> Reply {
    app.send(c, &AdminSignIn { form: sign_in_form(user, password) }).await
}

/// The refusal's English words (SPEC's), the same for every cause.
const REFUSED_TEXT: &str =
    "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

async fn signing_in_rotates_the_session_and_is_logged(app: TestApp) {
    let c = client();
    // A session exists before sign-in (an anonymous visit that stored nothing has no cookie,
    // so force one by failing once, which does not set one either: compare ids across sign-ins).
    let first = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    assert_eq!(first.answer::<()>(), Ok(()));
    let cookie1 = first.set_cookie("sa_admin").expect("session cookie on sign-in");
    assert!(cookie1.contains("HttpOnly"), "{cookie1}");
    assert!(cookie1.contains("SameSite=Strict"), "{cookie1}");
    assert!(cookie1.contains("Path=/admin"), "{cookie1}");
    let second = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    let cookie2 = second.set_cookie("sa_admin").expect("new cookie on second sign-in");
    assert_ne!(cookie1.split(';').next(), cookie2.split(';').next(), "session id must change on sign-in");

    let me = app.me(&c).await.expect("me").expect("signed in");
    assert_eq!(me.username, "admin");

    let sign_ins: Vec<_> = app.log().await.into_iter().filter(|e| e.action == "Sign in").collect();
    assert_eq!(sign_ins.len(), 2);
    assert_eq!(sign_ins[0].result, "success");
    assert_eq!(sign_ins[0].action_group, "Admin Sign In");
    assert_eq!(
        (sign_ins[0].actor_type.as_str(), sign_ins[0].admin_id, sign_ins[0].admin_username.as_str()),
        ("admin", Some(me.id), "admin")
    );
}

async fn wrong_password_and_unknown_user_get_the_same_answer_and_are_logged(app: TestApp) {
    let c = client();
    let before = app.hasher.verifications();
    let wrong = app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await.refused();
    assert_eq!(app.hasher.verifications(), before + 1, "a known user costs one argon2 verification");
    let unknown = app.sign_in(&c, &sign_in_form("nobody-here", "Wrong-Passw0rd")).await.refused();
    assert_eq!(app.hasher.verifications(), before + 2, "an unknown user costs the same verification");
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.error, AppError::unauthenticated(Msg::SignInRefused));
    assert_eq!(wrong.error.message(), REFUSED_TEXT);
    assert_eq!(wrong, unknown);
    let sign_ins: Vec<_> = app.log().await.into_iter().filter(|e| e.action == "Sign in").collect();
    let results: Vec<&str> = sign_ins.iter().map(|e| e.result.as_str()).collect();
    assert_eq!(results, ["failure", "failure, unknown user"]);
    let claimed: Vec<(&str, &str)> =
        sign_ins.iter().map(|e| (e.actor_type.as_str(), e.admin_username.as_str())).collect();
    assert_eq!(claimed, [("anonymous", "admin"), ("anonymous", "nobody-here")], "a failed attempt is nobody's");
    assert_eq!(app.me(&c).await, Ok(None), "a failed sign-in must not sign in");
}

async fn six_failures_lock_the_name_from_that_address_even_for_the_right_password(app: TestApp) {
    let c = client();
    for _ in 0..6 {
        assert_eq!(app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await.status(), 401);
    }
    let locked = app.sign_in(&c, &sign_in_form("admin", ADMIN_PASSWORD)).await.refused();
    assert_eq!(
        locked,
        Refusal { status: 401, error: AppError::unauthenticated(Msg::SignInRefused) },
        "same as a wrong one"
    );
    assert_eq!(app.throttle("admin", "admin", "127.0.0.1").await, Some((0, 1, Some(30))), "locked for 30 minutes");
    assert_eq!(app.me(&c).await, Ok(None));
}

async fn signing_out_ends_the_session(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.sign_out(&c).await, Ok(()));
    assert_eq!(app.customers(&c, &GridQuery::default()).await.status(), 401);
}

async fn a_deactivated_admin_is_signed_out_on_the_next_request(app: TestApp) {
    let user = app.admin_with("temp", Grant::All).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    assert_eq!(app.customers(&c, &GridQuery::default()).await.status(), 200);
    sqlx::query("UPDATE admin_users SET is_active = 0 WHERE username = $1")
        .bind(&user)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.customers(&c, &GridQuery::default()).await.status(), 401);
}

async fn the_admin_session_lifetime_setting_limits_an_idle_session(app: TestApp) {
    use shopassist::server::db::sessions::Store;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let lifetime = config_form("default", "admin", &[("admin.security.session_lifetime", "120")]);
    assert_eq!(app.save_config(&c, &lifetime).await, Ok(()));
    let c = client();
    let res = sign_in(&app, &c, "admin", ADMIN_PASSWORD).await;
    let cookie = res.set_cookie("sa_admin").expect("cookie");
    assert!(cookie.contains("Max-Age=120"), "idle lifetime from the setting: {cookie}");

    // Once the stored expiry has passed, the session no longer signs anyone in.
    // On SQLite the sessions have a file of their own (see `db::sessions`).
    match &app.db.sessions {
        Store::Sqlite(_, pool) => {
            sqlx::query("UPDATE tower_sessions SET expiry_date = 0").execute(pool).await.map(drop)
        }
        Store::Postgres(_, pool) => {
            sqlx::query("UPDATE tower_sessions.session SET expiry_date = now() - interval '1 minute'")
                .execute(pool)
                .await
                .map(drop)
        }
    }
    .unwrap();
    assert_eq!(app.customers(&c, &GridQuery::default()).await.status(), 401);
}

/// The first admin of every test app is made by `shopassist admin create`'s function.
async fn an_admin_created_from_the_command_line_is_logged_as_the_system(app: TestApp) {
    let admin_id = app.admin_id("admin").await;
    let log = app.log().await;
    let created: Vec<_> = log.iter().filter(|e| e.action == "Create admin user").collect();
    assert_eq!(created.len(), 1, "{log:?}");
    let entry = created[0];
    assert_eq!(
        (entry.action_group.as_str(), entry.actor_type.as_str(), entry.admin_username.as_str()),
        ("Permissions", "system", "command line")
    );
    assert_eq!((entry.admin_id, entry.customer_id, entry.assistance_session_id), (None, None, None));
    assert_eq!((entry.target_type.as_str(), entry.target_id.clone()), ("admin_user", admin_id.to_string()));
    let new = entry.new_value.as_deref().expect("new value");
    assert!(new.contains("\"username\":\"admin\"") && new.contains("\"role\":\"Administrators\""), "{new}");
    assert!(!new.contains(ADMIN_PASSWORD), "{new}");
}

crate::on_both_databases!(
    signing_in_rotates_the_session_and_is_logged,
    wrong_password_and_unknown_user_get_the_same_answer_and_are_logged,
    six_failures_lock_the_name_from_that_address_even_for_the_right_password,
    signing_out_ends_the_session,
    a_deactivated_admin_is_signed_out_on_the_next_request,
    the_admin_session_lifetime_setting_limits_an_idle_session,
    an_admin_created_from_the_command_line_is_logged_as_the_system,
);
