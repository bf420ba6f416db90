//! Customers > All Customers: the grid and Account Information in the admin.

use crate::helpers::{customer_form, filtered, next_of, searching, sorted, AnswerExt, TestApp, ADMIN_PASSWORD};
use server_fn::ServerFn;
use shopassist::api::customers::ListCustomers;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{Checkbox, CustomerForm};
use shopassist::domain::grid::GridQuery;
use shopassist::server::demo::{load, Sizes};

async fn the_grid_searches_filters_sorts_and_pages(app: TestApp) {
    load(
        &app.db,
        &Sizes { customers: 250, customers_only: true, log_entries: 0, products: Some(0), orders: Some(0) },
        false,
    )
    .await
    .unwrap();
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;

    let all = app.customers(&c, &GridQuery::default()).await.unwrap();
    assert_eq!(all.count.rows, 250);
    assert!(!all.count.capped);
    assert_eq!(all.rows.len(), 20);
    assert_eq!(all.rows[0].id, 250, "newest first by default");

    // Page 13 of 20 rows: twelve steps along `next` from the first page.
    let mut page = all.clone();
    for _ in 0..12 {
        page = app.customers(&c, &next_of(&page).expect("a next page")).await.unwrap();
    }
    assert_eq!(page.rows.len(), 10);
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), (1..=10).rev().collect::<Vec<_>>());
    assert_eq!(page.next, None, "the last page");

    let found = app.customers(&c, &searching("veronica")).await.unwrap();
    let n = found.count.rows;
    assert!(n > 0 && n < 250);
    assert!(found.rows.iter().all(|r| r.first_name == "Veronica"));

    let second = app.website_id("second").await;
    let on_second = app.customers(&c, &GridQuery { limit: 200, ..filtered("website", second) }).await.unwrap();
    assert!(on_second.rows.iter().all(|r| r.website == "Second Website"));

    let by_email = app.customers(&c, &sorted("email", "asc")).await.unwrap();
    let emails: Vec<String> = by_email.rows.iter().map(|r| r.email.clone()).collect();
    let mut in_order = emails.clone();
    in_order.sort();
    assert_eq!(emails, in_order);

    let wrong_type = app.post_raw(&c, ListCustomers::PATH, "query[limit]=many").await;
    assert_eq!(wrong_type.answer::<serde::de::IgnoredAny>().refused().status, 400, "a wrong type is a clear 400");
}

async fn an_admin_edit_of_account_information_is_saved_and_logged(app: TestApp) {
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let id = app.customer_id("ann@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = CustomerForm {
        id: id.to_string(),
        first_name: "Anne".into(),
        last_name: "Lee".into(),
        email: "anne@example.com".into(),
        group_id: "3".into(),
        is_active: Checkbox(true),
        assistance_allowed: None,
    };
    assert_eq!(app.save_customer(&c, &form).await, Ok(()));
    let data = app.customer(&c, id).await.unwrap();
    assert_eq!(data.customer.first_name, "Anne");
    assert_eq!(data.customer.email, "anne@example.com");
    assert_eq!(data.customer.group_id, 3);
    assert_eq!(data.customer.created_in, "Default Store View");
    assert!(data.can_edit);
    let saved: Vec<_> = app.log().await.into_iter().filter(|e| e.action == "Save customer").collect();
    assert_eq!(saved.len(), 1);
    let (old, new) = (saved[0].old_value.clone().unwrap(), saved[0].new_value.clone().unwrap());
    assert!(old.contains("\"first_name\":\"Ann\"") && new.contains("\"first_name\":\"Anne\""));
    assert_eq!((saved[0].actor_type.as_str(), saved[0].admin_username.as_str()), ("admin", "admin"));
    assert_eq!(saved[0].target_id, id.to_string());

    let missing = app.customer(&c, 999).await.refused();
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error, AppError::not_found(Msg::CustomerNotFound));
}

async fn an_admin_can_deactivate_a_customer_by_leaving_the_box_unticked(app: TestApp) {
    let shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let id = app.customer_id("ann@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let current = app.customer(&c, id).await.unwrap().customer;
    assert!(current.is_active);
    let form = CustomerForm { is_active: Checkbox(false), ..customer_form(&current) };
    assert_eq!(app.save_customer(&c, &form).await, Ok(()));
    assert!(!app.customer(&c, id).await.unwrap().customer.is_active);
    assert_eq!(app.account(&shopper).await.status(), 401, "a deactivated shopper is signed out");
    let inactive = app.customers(&c, &filtered("active", 0)).await.unwrap();
    assert_eq!(inactive.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
}

async fn several_wrong_fields_are_named_at_once(app: TestApp) {
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let id = app.customer_id("ann@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let current = app.customer(&c, id).await.unwrap().customer;
    let before = app.log_count().await;
    let form = CustomerForm {
        first_name: " ".into(),
        email: "not-an-email".into(),
        group_id: "gold".into(),
        ..customer_form(&current)
    };
    let refusal = app.save_customer(&c, &form).await.refused();
    assert_eq!(refusal.status, 400);
    assert!(matches!(&refusal.error, AppError::Fields(errors) if errors.len() == 3), "{refusal:?}");
    assert_eq!(refusal.error.field_msg("first_name"), Some(&Msg::Required));
    assert_eq!(refusal.error.field_msg("email"), Some(&Msg::InvalidEmail), "{refusal:?}");
    assert_eq!(refusal.error.field_msg("group_id"), Some(&Msg::GroupRequired));
    assert_eq!(refusal.error.field_msg("last_name"), None);
    assert_eq!(app.customer(&c, id).await.unwrap().customer, current, "nothing changed");
    assert_eq!(app.log_count().await, before);
}

async fn a_hostile_name_shows_as_text_in_the_grid_and_on_the_dashboard(app: TestApp) {
    let name = "<img src=x onerror=alert(1)>";
    let shopper = app.shopper(name, "Smith", "evil@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let html = app.page(&c, "/admin/customers").await;
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "escaped name in the grid");
    assert!(!html.contains(name), "raw markup in the grid");
    let account = app.page(&shopper, "/customer/account").await;
    assert!(account.contains("&lt;img src=x onerror=alert(1)&gt;"), "escaped name on the dashboard");
    assert!(!account.contains(name), "raw markup on the dashboard");
}

/// With Global sharing an address must be unique across websites, which no unique index can
/// say; a second check of the same address must wait until the first transaction has ended,
/// or two concurrent sign-ups on two websites could both get it.
async fn a_second_check_of_one_email_waits_for_the_first_transaction(app: TestApp) {
    use shopassist::server::db::customers::{self, NewCustomer};
    let email = "race@example.com";
    let mut ids = Vec::new();
    for sql in
        ["SELECT MIN(id) FROM websites", "SELECT MIN(id) FROM store_views", "SELECT MIN(id) FROM customer_groups"]
    {
        ids.push(sqlx::query_scalar::<_, i64>(sql).fetch_one(&app.db.pool).await.unwrap());
    }
    let [website_id, store_view_id, group_id] = ids[..] else { unreachable!() };

    let mut first = app.db.begin().await.unwrap();
    assert!(!customers::email_taken(&mut first, email, None, 0).await.unwrap());
    let db = app.db.clone();
    let second = tokio::spawn(async move {
        let mut tx = db.begin().await.unwrap();
        let taken = customers::email_taken(&mut tx, email, None, 0).await.unwrap();
        tx.rollback().await.unwrap();
        taken
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second check must wait for the first transaction");

    let new = NewCustomer {
        website_id,
        store_view_id,
        group_id,
        email,
        first_name: "Race",
        last_name: "Winner",
        password_hash: "not-a-real-hash",
        assistance_allowed: false,
    };
    customers::create(&mut first, &new).await.unwrap();
    first.commit().await.unwrap();
    assert!(second.await.unwrap(), "once it may go on, it sees the address taken");
}

crate::on_both_databases!(
    a_second_check_of_one_email_waits_for_the_first_transaction,
    the_grid_searches_filters_sorts_and_pages,
    an_admin_edit_of_account_information_is_saved_and_logged,
    an_admin_can_deactivate_a_customer_by_leaving_the_box_unticked,
    several_wrong_fields_are_named_at_once,
    a_hostile_name_shows_as_text_in_the_grid_and_on_the_dashboard,
);
