//! Forms refuse what they do not know: a missing field, an unknown one or a checkbox value
//! other than true/false is a 400 that changes nothing. Posted here as the browser posts them:
//! each input by its `name`, a checkbox as a hidden `false` followed, when ticked, by `true`.

use crate::helpers::{AnswerExt, Reply, TestApp, ADMIN_PASSWORD};
use serde::de::IgnoredAny;
use server_fn::ServerFn;
use shopassist::api::customers::SaveCustomer;
use shopassist::api::storefront::SaveAccountInfo;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{checkbox_input, fields, FieldName};
use shopassist::domain::model::CustomerDetail;

type Pairs = Vec<(String, String)>;

fn text(field: FieldName, value: impl ToString) -> (String, String) {
    (field.input.to_string(), value.to_string())
}

/// A checkbox as the form kit renders it: the hidden `false`, then the box's `true` if ticked.
fn checkbox(field: FieldName, ticked: bool) -> Pairs {
    let mut pairs = vec![(checkbox_input(field), "false".to_string())];
    if ticked {
        pairs.push((checkbox_input(field), "true".to_string()));
    }
    pairs
}

/// Account Information in the admin as the browser posts it.
fn customer_inputs(c: &CustomerDetail) -> Pairs {
    use fields::customer as f;
    let mut pairs = vec![
        text(f::id, c.id),
        text(f::first_name, &c.first_name),
        text(f::last_name, &c.last_name),
        text(f::email, &c.email),
        text(f::group_id, c.group_id),
    ];
    pairs.extend(checkbox(f::is_active, c.is_active));
    pairs
}

/// Percent-encoded as a browser encodes a form.
fn body(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// A customer Ann, the signed-in admin, her Account Information as stored, and the same with
/// a change that a save would make (so a refused save visibly changed nothing).
async fn ann(app: &TestApp) -> (reqwest::Client, CustomerDetail, CustomerDetail) {
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let id = app.customer_id("ann@example.com").await;
    let stored = app.customer(&admin, id).await.unwrap().customer;
    let changed = CustomerDetail { first_name: "Anne".into(), is_active: false, ..stored.clone() };
    (admin, stored, changed)
}

async fn save_customer_raw(app: &TestApp, admin: &reqwest::Client, pairs: &[(String, String)]) -> Reply {
    app.post_raw(admin, SaveCustomer::PATH, body(pairs)).await
}

/// Why the request could not be read, when that is the error (about no field).
fn unreadable_because(error: &AppError) -> Option<&str> {
    match error {
        AppError::Invalid { field: None, msg } => match &**msg {
            Msg::RequestUnreadable { detail } => Some(detail),
            _ => None,
        },
        _ => None,
    }
}

/// A 400 that says the request could not be read, and why (`what`).
#[track_caller]
fn unreadable(reply: &Reply, what: &str) {
    let refusal = reply.answer::<IgnoredAny>().refused();
    assert_eq!(refusal.status, 400, "{refusal:?}");
    let because = unreadable_because(&refusal.error);
    assert!(because.is_some_and(|d| d.contains(what)), "the refusal says {what}: {refusal:?}");
    assert!(refusal.error.message().starts_with("The request could not be read"), "{refusal:?}");
}

async fn a_form_posted_as_the_browser_posts_it_reads_each_box_from_its_last_value(app: TestApp) {
    let (admin, stored, changed) = ann(&app).await;
    assert!(stored.is_active);
    // Unticked: only the hidden `false` is posted.
    assert_eq!(save_customer_raw(&app, &admin, &customer_inputs(&changed)).await.answer::<()>(), Ok(()));
    let saved = app.customer(&admin, stored.id).await.unwrap().customer;
    assert_eq!((saved.first_name.as_str(), saved.is_active), ("Anne", false));
    // Ticked: `false`, then `true`.
    let ticked = CustomerDetail { is_active: true, ..changed };
    assert_eq!(save_customer_raw(&app, &admin, &customer_inputs(&ticked)).await.answer::<()>(), Ok(()));
    assert!(app.customer(&admin, stored.id).await.unwrap().customer.is_active);
}

async fn a_missing_field_is_refused_and_changes_nothing(app: TestApp) {
    let (admin, stored, changed) = ann(&app).await;
    let before = app.log_count().await;
    let all = customer_inputs(&changed);
    use fields::customer as f;
    for field in [f::id, f::first_name, f::last_name, f::email, f::group_id, f::is_active] {
        let without: Pairs =
            all.iter().filter(|(k, _)| *k != field.input && *k != checkbox_input(field)).cloned().collect();
        assert!(without.len() < all.len(), "{} was posted", field.input);
        let reply = save_customer_raw(&app, &admin, &without).await;
        unreadable(&reply, &format!("missing field `{}`", field.key));
        assert_eq!(app.customer(&admin, stored.id).await.unwrap().customer, stored, "without {}", field.key);
    }
    assert_eq!(app.log_count().await, before, "no entry for a refused save");
    // With every field, the same form is saved.
    assert_eq!(save_customer_raw(&app, &admin, &all).await.answer::<()>(), Ok(()));
    assert_eq!(app.customer(&admin, stored.id).await.unwrap().customer, changed);
}

async fn an_unknown_field_is_refused_and_changes_nothing(app: TestApp) {
    let (admin, stored, changed) = ann(&app).await;
    let before = app.log_count().await;
    for (name, value) in [("form[is_activ]", "1"), ("form[is_activ][]", "true"), ("form[group]", "2")] {
        let mut pairs = customer_inputs(&changed);
        pairs.push((name.to_string(), value.to_string()));
        let reply = save_customer_raw(&app, &admin, &pairs).await;
        let key = name.trim_start_matches("form[").split(']').next().unwrap();
        unreadable(&reply, &format!("unknown field `{key}`"));
        assert_eq!(app.customer(&admin, stored.id).await.unwrap().customer, stored, "with {name}");
    }
    assert_eq!(app.log_count().await, before);
}

async fn a_checkbox_value_other_than_true_or_false_is_refused(app: TestApp) {
    let (admin, stored, changed) = ann(&app).await;
    let before = app.log_count().await;
    let is_active = checkbox_input(fields::customer::is_active);
    for value in ["yes", "maybe", "2", ""] {
        let mut pairs = customer_inputs(&changed);
        pairs.push((is_active.clone(), value.to_string()));
        let reply = save_customer_raw(&app, &admin, &pairs).await;
        let refusal = reply.answer::<IgnoredAny>().refused();
        assert_eq!(refusal.status, 400, "{value:?}: {refusal:?}");
        let because = unreadable_because(&refusal.error);
        assert!(because.is_some_and(|d| d.contains("checkbox")), "{value:?}: {refusal:?}");
        assert_eq!(app.customer(&admin, stored.id).await.unwrap().customer, stored, "with {value:?}");
    }
    assert_eq!(app.log_count().await, before);
}

async fn the_account_form_may_leave_out_its_disabled_inputs_but_not_its_boxes(app: TestApp) {
    use fields::account as f;
    let shopper = app.shopper("Mei", "Lin", "mei@example.com").await;
    // Neither box ticked: the email and password inputs are disabled, so not posted.
    let mut names = vec![text(f::first_name, "Mei"), text(f::last_name, "Lin-Wang")];
    names.extend(checkbox(f::change_email, false));
    let without_password_box = names.clone();
    names.extend(checkbox(f::change_password, false));

    let reply = app.post_raw(&shopper, SaveAccountInfo::PATH, body(&without_password_box)).await;
    unreadable(&reply, &format!("missing field `{}`", f::change_password.key));
    assert_eq!(app.account(&shopper).await.unwrap().last_name, "Lin");

    let reply = app.post_raw(&shopper, SaveAccountInfo::PATH, body(&names)).await;
    assert_eq!(reply.answer::<()>(), Ok(()));
    assert_eq!(app.account(&shopper).await.unwrap().last_name, "Lin-Wang");
}

crate::on_both_databases!(
    a_form_posted_as_the_browser_posts_it_reads_each_box_from_its_last_value,
    a_missing_field_is_refused_and_changes_nothing,
    an_unknown_field_is_refused_and_changes_nothing,
    a_checkbox_value_other_than_true_or_false_is_refused,
    the_account_form_may_leave_out_its_disabled_inputs_but_not_its_boxes,
);
