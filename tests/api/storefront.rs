//! The shopper's account: registration, sign-in, Account Information, store views, sharing,
//! and the log entries a shopper's own changes write.

use crate::helpers::{
    account_form, client, customer_sign_in_form, register_form, AnswerExt, LogEntry, TestApp, SHOPPER_PASSWORD as PW,
};
use shopassist::api::storefront::CustomerSignIn;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountForm, Checkbox, RegisterForm};

/// Checks that `entry` is the shopper `customer_id`'s own act.
fn by_the_shopper(entry: &LogEntry, customer_id: i64, action: &str) {
    assert_eq!((entry.action_group.as_str(), entry.action.as_str()), ("Customers", action), "{entry:?}");
    assert_eq!((entry.actor_type.as_str(), entry.customer_id), ("customer", Some(customer_id)), "{entry:?}");
    assert_eq!((entry.admin_id, entry.assistance_session_id), (None, None), "{entry:?}");
    assert_eq!((entry.target_type.as_str(), entry.target_id.clone()), ("customer", customer_id.to_string()));
    assert_eq!(entry.result, "success");
}

async fn a_shopper_registers_signs_in_and_sees_the_dashboard(app: TestApp) {
    let before = app.log_count().await as usize;
    let c = app.shopper("Mei", "Lin", "mei@example.com").await;
    let id = app.customer_id("mei@example.com").await;
    let html = app.page_shown(&c, "/customer/account").await;
    assert!(html.contains("Welcome, Mei Lin!"), "dashboard greeting");
    assert!(html.contains("mei@example.com"));

    // Registration is logged as the shopper's own act (and nothing else is).
    let logged = app.log_since(before).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    by_the_shopper(&logged[0], id, "Register customer account");
    let new = logged[0].new_value.as_deref().unwrap();
    assert!(new.contains("\"email\":\"mei@example.com\"") && !new.contains(PW), "{new}");

    assert_eq!(app.customer_sign_out(&c).await, Ok(()));
    assert_eq!(app.account(&c).await.status(), 401);

    let wrong = app.customer_sign_in(&c, &customer_sign_in_form("mei@example.com", "nope")).await;
    assert_eq!(wrong.status(), 401);
    let ok = app.send(&c, &CustomerSignIn { form: customer_sign_in_form("MEI@example.com", PW) }).await;
    assert_eq!(ok.answer::<String>(), Ok("/customer/account".to_string()));
    let cookie = ok.set_cookie("sa_store").expect("shopper cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let me = app.account(&c).await.unwrap();
    assert_eq!(me.first_name, "Mei");
    assert_eq!(app.log_count().await as usize, before + 1, "signing in and out writes no entry");
}

async fn changing_email_or_password_needs_the_current_password(app: TestApp) {
    let c = app.shopper("Mei", "Lin", "mei@example.com").await;
    let id = app.customer_id("mei@example.com").await;
    let before = app.log_count().await as usize;
    let change_email = |current: Option<&str>| AccountForm {
        change_email: Checkbox(true),
        email: Some("new@example.com".into()),
        current_password: current.map(str::to_string),
        ..account_form("Mei", "Lin-Wang")
    };
    let refusal = app.save_account(&c, &change_email(None)).await.refused();
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.error.field_msg("current_password"), Some(&Msg::CurrentPasswordRequired));
    let refusal = app.save_account(&c, &change_email(Some("wrong"))).await.refused();
    assert_eq!(refusal.status, 400);
    assert!(refusal.error.field_msg("current_password").is_some(), "{refusal:?}");
    let me = app.account(&c).await.unwrap();
    assert_eq!((me.email.as_str(), me.last_name.as_str()), ("mei@example.com", "Lin"), "nothing changed");
    assert_eq!(app.log_count().await as usize, before, "a refused save writes no entry");

    assert_eq!(app.save_account(&c, &change_email(Some(PW))).await, Ok(()));
    let me = app.account(&c).await.unwrap();
    assert_eq!((me.email.as_str(), me.last_name.as_str()), ("new@example.com", "Lin-Wang"));
    let logged = app.log_since(before).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    by_the_shopper(&logged[0], id, "Save account information");
    let (old, new) = (logged[0].old_value.as_deref().unwrap(), logged[0].new_value.as_deref().unwrap());
    assert!(old.contains("\"email\":\"mei@example.com\"") && old.contains("\"last_name\":\"Lin\""), "{old}");
    assert!(new.contains("\"email\":\"new@example.com\"") && new.contains("\"last_name\":\"Lin-Wang\""), "{new}");
    assert!(!new.contains("password"), "the password did not change: {new}");

    let refusal = app.save_account(&c, &account_form("", "Lin-Wang")).await.refused();
    assert_eq!(refusal.status, 400, "an empty name is refused");
    assert_eq!(refusal.error.field_msg("first_name"), Some(&Msg::Required));
    assert_eq!(app.log_count().await as usize, before + 1);
}

async fn a_new_password_is_saved_and_logged_without_its_value(app: TestApp) {
    let c = app.shopper("Mei", "Lin", "mei@example.com").await;
    let id = app.customer_id("mei@example.com").await;
    let before = app.log_count().await as usize;
    let new_password = "New-Passw0rd-2";
    let form = AccountForm {
        change_password: Checkbox(true),
        current_password: Some(PW.into()),
        password: Some(new_password.into()),
        password_confirmation: Some(new_password.into()),
        ..account_form("Mei", "Lin")
    };
    assert_eq!(app.save_account(&c, &form).await, Ok(()));
    let logged = app.log_since(before).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    by_the_shopper(&logged[0], id, "Save account information");
    let new = logged[0].new_value.as_deref().unwrap();
    assert!(new.contains("\"password\":\"changed\"") && !new.contains(new_password), "{new}");

    let other = client();
    assert_eq!(app.customer_sign_in(&other, &customer_sign_in_form("mei@example.com", PW)).await.status(), 401);
    let signed_in = app.customer_sign_in(&other, &customer_sign_in_form("mei@example.com", new_password)).await;
    assert_eq!(signed_in, Ok("/customer/account".to_string()));
}

async fn email_uniqueness_follows_the_account_sharing_scope(app: TestApp) {
    let register = |store: &str| RegisterForm { store: store.into(), ..register_form("Sam", "Roe", "sam@example.com") };
    // Per Website (the default): the same email may register once on each website.
    assert_eq!(app.register(&client(), &register("")).await, Ok("/customer/account".to_string()));
    assert_eq!(app.register(&client(), &register("")).await.status(), 409);
    assert_eq!(app.register(&client(), &register("second_en")).await, Ok("/second_en/customer/account".to_string()));

    // Global: taken everywhere.
    sqlx::query("INSERT INTO config_values (scope, scope_id, path, value, created_at, updated_at) VALUES ('default', 0, 'customer/account_share/scope', 'global', 0, 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let refusal = app.register(&client(), &register("second_zh")).await.refused();
    assert_eq!(refusal.status, 409);
    assert_eq!(refusal.error, AppError::conflict("email", Msg::EmailTaken));
    assert!(refusal.error.message().contains("already an account"), "{refusal:?}");

    let registered = app.log().await.into_iter().filter(|e| e.action == "Register customer account").count();
    assert_eq!(registered, 2, "only the accounts made are logged");
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
    let sam = || register_form("Sam", "Roe", "sam@example.com");
    for (field, form) in [
        ("email", RegisterForm { email: "not-an-email".into(), ..sam() }),
        ("password", RegisterForm { password: "short".into(), password_confirmation: "short".into(), ..sam() }),
        ("first_name", RegisterForm { first_name: "   ".into(), ..sam() }),
    ] {
        let refusal = app.register(&c, &form).await.refused();
        assert_eq!(refusal.status, 400, "{field}: {form:?}");
        assert!(refusal.error.field_msg(field).is_some(), "{field}: {refusal:?}");
    }
    // Every wrong field is named at once.
    let all_wrong = RegisterForm { email: "not-an-email".into(), first_name: " ".into(), ..sam() };
    let refusal = app.register(&c, &all_wrong).await.refused();
    assert!(matches!(&refusal.error, AppError::Fields(errors) if errors.len() == 2), "{refusal:?}");
    assert!(refusal.error.field_msg("email").is_some() && refusal.error.field_msg("first_name").is_some());
    assert_eq!(app.count("customers").await, 0);
}

async fn ten_failed_sign_ins_lock_a_shopper_for_ten_minutes_from_that_address(app: TestApp) {
    let c = app.shopper("Lou", "Kim", "lou@example.com").await;
    let website = app.website_id("base").await;
    let attempt = |password: &'static str| {
        let app = &app;
        let c = &c;
        async move { app.customer_sign_in(c, &customer_sign_in_form("lou@example.com", password)).await.status() }
    };
    for _ in 0..10 {
        assert_eq!(attempt("Wrong-Passw0rd").await, 401);
    }
    assert_eq!(attempt(PW).await, 401, "locked even with the right password, and answered like a wrong one");
    let account = format!("{website}:lou@example.com");
    assert_eq!(app.throttle("customer", &account, "127.0.0.1").await, Some((0, 1, Some(10))));
    app.let_lock_expire("customer", &account).await;
    assert_eq!(attempt(PW).await, 200, "the lock ends when its time is up");
    assert_eq!(app.throttle("customer", &account, "127.0.0.1").await, None, "a success clears the count");
}

/// Reading pages changes nothing: the session is not written back (no `Set-Cookie`, no store
/// write) on every page, only when something in it changed.
async fn reading_pages_does_not_rewrite_the_session(app: TestApp) {
    let c = app.shopper("Ada", "Reader", "ada.reader@example.com").await;
    for path in ["/customer/account", "/", "/customer/account/edit", "/customer/account"] {
        let res = app.get(&c, path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers().get("set-cookie").is_none(), "{path} rewrote the session: {:?}", res.headers());
    }
}

/// Building a router walks the app's routes, which once made every resource first polled
/// meanwhile, in any app of the process, wait forever (leptos-rs/leptos#4773): pages of an app
/// served while another app starts must all answer.
async fn pages_answer_while_another_router_is_built(app: TestApp) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let c = app.shopper("Ada", "Reader", "ada.routes@example.com").await;
    let state = app.state().await;
    // Stops the builder however the test ends: a blocking task left running would keep the
    // test's runtime from shutting down.
    struct Stop(Arc<AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let stop = Stop(Arc::new(AtomicBool::new(false)));
    let builder = {
        let stop = stop.0.clone();
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            let _runtime = runtime.enter();
            let mut built = 0u32;
            while !stop.load(Ordering::Relaxed) {
                drop(shopassist::server::app::router(state.clone()));
                built += 1;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            built
        })
    };
    for round in 0..20 {
        for path in ["/", "/customer/account", "/customer/account/edit"] {
            let html = app.page(&c, path).await;
            assert!(html.contains("</html>"), "round {round}: {path} ended early");
        }
    }
    drop(stop);
    let built = builder.join().unwrap();
    assert!(built > 0, "no router was built while the pages were asked for");
}

crate::on_both_databases!(
    pages_answer_while_another_router_is_built,
    reading_pages_does_not_rewrite_the_session,
    ten_failed_sign_ins_lock_a_shopper_for_ten_minutes_from_that_address,
    a_shopper_registers_signs_in_and_sees_the_dashboard,
    changing_email_or_password_needs_the_current_password,
    a_new_password_is_saved_and_logged_without_its_value,
    email_uniqueness_follows_the_account_sharing_scope,
    store_views_are_addressed_by_their_code,
    bad_registration_input_is_refused_clearly,
);
