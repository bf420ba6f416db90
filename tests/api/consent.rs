//! Consent to remote shopping assistance: given and revoked by the shopper (Account
//! Information, registration) or by an admin allowed to, kept with its time, lapsing with a
//! Consent Lifetime, every change logged with who made it; nothing of it while the feature is off.

use crate::helpers::{
    account_form, config_form, customer_form, register_form, AnswerExt, LogEntry, Refusal, TestApp, ADMIN_PASSWORD,
};
use shopassist::api::storefront::GetStorefrontContext;
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::consent::ConsentBox;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountForm, Checkbox, CustomerForm, RegisterForm};

const ENABLED: &str = "login_as_customer.general.enabled";

async fn enable(app: &TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.save_config(&admin, &config_form("default", "login_as_customer", &[(ENABLED, "1")])).await, Ok(()));
}

async fn checkbox(app: &TestApp, c: &reqwest::Client, store: &str) -> Option<ConsentBox> {
    app.call(c, &GetStorefrontContext { store: store.into() }).await.expect("storefront context").consent
}

fn with_consent(allowed: bool) -> AccountForm {
    AccountForm { assistance_allowed: Some(Checkbox(allowed)), ..account_form("Lou", "Kim") }
}

async fn consent_entries(app: &TestApp) -> Vec<LogEntry> {
    app.log().await.into_iter().filter(|e| e.action_group == "Login As Customer").collect()
}

async fn stored(app: &TestApp, id: i64) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT assistance_allowed, assistance_allowed_at FROM customers WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn nothing_of_consent_while_the_feature_is_disabled(app: TestApp) {
    let shopper = app.shopper("Lou", "Kim", "lou@example.com").await;
    assert_eq!(checkbox(&app, &shopper, "").await, None, "no checkbox");
    let before = app.log_count().await;
    let refusal = app.save_account(&shopper, &with_consent(true)).await.refused();
    assert_eq!(refusal, Refusal { status: 403, error: AppError::forbidden(Msg::AssistDisabled) });
    let registered =
        RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form("Ann", "Lee", "ann@example.com") };
    assert_eq!(app.register(&crate::helpers::client(), &registered).await.refused().status, 403);
    assert_eq!(app.count("customers").await, 1, "the registration did not happen");
    assert_eq!(app.log_count().await, before);
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let id = app.customer_id("lou@example.com").await;
    assert_eq!(app.customer(&admin, id).await.unwrap().consent, None, "no toggle in the admin");
}

async fn the_shopper_gives_and_revokes_consent_on_account_information(app: TestApp) {
    enable(&app).await;
    let shopper = app.shopper("Lou", "Kim", "lou@example.com").await;
    let id = app.customer_id("lou@example.com").await;
    let shown = checkbox(&app, &shopper, "").await.expect("shown while enabled");
    assert_eq!(
        (shown.title.as_str(), shown.allowed),
        ("Allow remote shopping assistance", false),
        "the configured title, unticked"
    );
    assert!(shown.tooltip.contains("see what you see"), "{}", shown.tooltip);

    let before = shopassist::server::db::now_ms();
    assert_eq!(app.save_account(&shopper, &with_consent(true)).await, Ok(()));
    assert!(checkbox(&app, &shopper, "").await.unwrap().allowed);
    let (allowed, at) = stored(&app, id).await;
    assert!(allowed == 1 && at.is_some_and(|t| t >= before), "the time consent was given is kept: {at:?}");
    // Saving again with the box ticked changes nothing and logs nothing more.
    assert_eq!(app.save_account(&shopper, &with_consent(true)).await, Ok(()));
    assert_eq!(app.save_account(&shopper, &with_consent(false)).await, Ok(()));
    assert!(!checkbox(&app, &shopper, "").await.unwrap().allowed);
    assert_eq!(stored(&app, id).await, (0, None));

    let entries = consent_entries(&app).await;
    type Seen<'a> = (&'a str, &'a str, Option<i64>, Option<&'a str>, Option<&'a str>);
    let seen: Vec<Seen> = entries
        .iter()
        .map(|e| {
            (e.action.as_str(), e.actor_type.as_str(), e.customer_id, e.old_value.as_deref(), e.new_value.as_deref())
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "Allow remote shopping assistance",
                "customer",
                Some(id),
                Some(r#"{"allowed":false}"#),
                Some(r#"{"allowed":true}"#)
            ),
            (
                "Revoke remote shopping assistance",
                "customer",
                Some(id),
                Some(r#"{"allowed":true}"#),
                Some(r#"{"allowed":false}"#)
            ),
        ]
    );
}

async fn consent_given_at_registration_is_kept_and_logged(app: TestApp) {
    enable(&app).await;
    let c = crate::helpers::client();
    let form =
        RegisterForm { assistance_allowed: Some(Checkbox(true)), ..register_form("Ann", "Lee", "ann@example.com") };
    assert!(app.register(&c, &form).await.is_ok());
    assert!(checkbox(&app, &c, "").await.unwrap().allowed);
    let entries = consent_entries(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].actor_type.as_str(), entries[0].action.as_str()),
        ("customer", "Allow remote shopping assistance")
    );
}

async fn the_title_follows_the_store_view(app: TestApp) {
    enable(&app).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let zh = format!("store:{}", app.store_view_id("second_zh").await);
    let title =
        config_form(&zh, "login_as_customer", &[("login_as_customer.general.opt_in_title", "允許遠端購物協助")]);
    assert_eq!(app.save_config(&admin, &title).await, Ok(()));
    let visitor = crate::helpers::client();
    assert_eq!(checkbox(&app, &visitor, "second_zh").await.unwrap().title, "允許遠端購物協助");
    assert_eq!(checkbox(&app, &visitor, "").await.unwrap().title, "Allow remote shopping assistance");
}

async fn only_an_admin_with_the_opt_in_resource_may_change_the_toggle(app: TestApp) {
    enable(&app).await;
    let _shopper = app.shopper("Lou", "Kim", "lou@example.com").await;
    let id = app.customer_id("lou@example.com").await;
    let editor = app.admin_with("editor", Grant::custom([Resource::CustomersEdit])).await;
    let editor = app.admin_client(&editor, ADMIN_PASSWORD).await;
    let data = app.customer(&editor, id).await.unwrap();
    let toggle = data.consent.clone().expect("shown while enabled");
    assert!(!toggle.editable && !toggle.allowed, "read-only for an admin without the opt-in resource");

    let forged = CustomerForm { assistance_allowed: Some(Checkbox(true)), ..customer_form(&data.customer) };
    let before = app.log_count().await;
    assert_eq!(app.save_customer(&editor, &forged).await.refused().status, 403, "a forged post is refused");
    assert_eq!(stored(&app, id).await, (0, None));
    assert_eq!(app.log_count().await, before);
    assert_eq!(app.save_customer(&editor, &customer_form(&data.customer)).await, Ok(()), "the rest still saves");

    let opt_in =
        app.admin_with("opt_in", Grant::custom([Resource::CustomersEdit, Resource::CustomersAssistanceOptIn])).await;
    let opt_in = app.admin_client(&opt_in, ADMIN_PASSWORD).await;
    assert!(app.customer(&opt_in, id).await.unwrap().consent.unwrap().editable);
    assert_eq!(app.save_customer(&opt_in, &forged).await, Ok(()));
    let toggle = app.customer(&opt_in, id).await.unwrap().consent.unwrap();
    assert!(toggle.allowed && toggle.given_at.is_some());
    let entries = consent_entries(&app).await;
    assert_eq!(
        entries.iter().map(|e| (e.actor_type.as_str(), e.admin_username.as_str())).collect::<Vec<_>>(),
        [("admin", "opt_in")],
        "logged as the admin's change"
    );
}

async fn consent_lapses_by_itself_after_its_lifetime(app: TestApp) {
    enable(&app).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let lifetime = config_form("default", "login_as_customer", &[("login_as_customer.general.consent_lifetime", "30")]);
    assert_eq!(app.save_config(&admin, &lifetime).await, Ok(()));
    let shopper = app.shopper("Lou", "Kim", "lou@example.com").await;
    let id = app.customer_id("lou@example.com").await;
    assert_eq!(app.save_account(&shopper, &with_consent(true)).await, Ok(()));
    assert!(checkbox(&app, &shopper, "").await.unwrap().allowed);

    let day = 24 * 60 * 60 * 1000;
    sqlx::query("UPDATE customers SET assistance_allowed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(shopassist::server::db::now_ms() - 31 * day)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(!checkbox(&app, &shopper, "").await.unwrap().allowed, "the checkbox shows unticked once lapsed");
    assert!(!app.customer(&admin, id).await.unwrap().consent.unwrap().allowed);
    // Ticking it again gives it anew, from now.
    assert_eq!(app.save_account(&shopper, &with_consent(true)).await, Ok(()));
    assert!(checkbox(&app, &shopper, "").await.unwrap().allowed);
}

/// The same change sent twice at once (two tabs): one change, one log entry.
async fn two_identical_consent_changes_at_once_log_one_change(app: TestApp) {
    enable(&app).await;
    let shopper = app.shopper("Lou", "Kim", "lou@example.com").await;
    let form = with_consent(true);
    let (a, b) = tokio::join!(app.save_account(&shopper, &form), app.save_account(&shopper, &form));
    assert_eq!((a, b), (Ok(()), Ok(())));
    assert_eq!(consent_entries(&app).await.len(), 1, "one change, logged once");

    // The action alone (as a later API calls it), twice at once: it takes the customer's lock.
    let id = app.customer_id("lou@example.com").await;
    let revoke = || {
        let db = app.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let origin = shopassist::server::db::audit::Origin::cli();
            let changed = shopassist::server::actions::consent::set(&mut tx, &origin, id, false).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            tx.commit().await.unwrap();
            changed
        }
    };
    let (a, b) = tokio::join!(revoke(), revoke());
    assert_eq!([a, b].iter().filter(|c| **c).count(), 1, "exactly one of them revoked");
    assert_eq!(consent_entries(&app).await.len(), 2);
}

crate::on_both_databases!(
    two_identical_consent_changes_at_once_log_one_change,
    nothing_of_consent_while_the_feature_is_disabled,
    the_shopper_gives_and_revokes_consent_on_account_information,
    consent_given_at_registration_is_kept_and_logged,
    the_title_follows_the_store_view,
    only_an_admin_with_the_opt_in_resource_may_change_the_toggle,
    consent_lapses_by_itself_after_its_lifetime,
);
