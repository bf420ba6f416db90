//! Customers > All Customers: the grid and Account Information in the admin.

use crate::helpers::{TestApp, ADMIN_PASSWORD};
use shopassist::server::demo::{load, Sizes};

async fn grid(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> serde_json::Value {
    let res = app.call(c, "/admin/api/customers_list", fields).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn the_grid_searches_filters_sorts_and_pages(app: TestApp) {
    load(&app.db, &Sizes { customers: 250, customers_only: true }, false).await.unwrap();
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;

    let all = grid(&app, &c, &[]).await;
    assert_eq!(all["total"], 250);
    assert_eq!(all["rows"].as_array().unwrap().len(), 20);
    assert_eq!(all["rows"][0]["id"], 250, "newest first by default");

    let page = grid(&app, &c, &[("query[page]", "13"), ("query[page_size]", "20")]).await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 10);

    let found = grid(&app, &c, &[("query[keyword]", "veronica")]).await;
    let n = found["total"].as_i64().unwrap();
    assert!(n > 0 && n < 250);
    assert!(found["rows"].as_array().unwrap().iter().all(|r| r["first_name"] == "Veronica"));

    let second: i64 =
        sqlx::query_scalar("SELECT id FROM websites WHERE code = 'second'").fetch_one(&app.db.pool).await.unwrap();
    let on_second = grid(&app, &c, &[("query[website_id]", &second.to_string()), ("query[page_size]", "200")]).await;
    assert!(on_second["rows"].as_array().unwrap().iter().all(|r| r["website"] == "Second Website"));

    let by_email = grid(&app, &c, &[("query[sort]", "Email"), ("query[descending]", "false")]).await;
    let emails: Vec<String> =
        by_email["rows"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect();
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);

    let wrong_type = app.call(&c, "/admin/api/customers_list", &[("query[page]", "many")]).await;
    assert_eq!(wrong_type.status(), 400, "a wrong type is a clear 400");
}

async fn an_admin_edit_of_account_information_is_saved_and_logged(app: TestApp) {
    let _shopper = app.shopper("Ann", "Lee", "ann@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app
        .call(
            &c,
            "/admin/api/customers_save",
            &[
                ("form[id]", "1"),
                ("form[first_name]", "Anne"),
                ("form[last_name]", "Lee"),
                ("form[email]", "anne@example.com"),
                ("form[group_id]", "3"),
                ("form[is_active]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let data: serde_json::Value = app.call(&c, "/admin/api/customers_get", &[("id", "1")]).await.json().await.unwrap();
    assert_eq!(data["customer"]["first_name"], "Anne");
    assert_eq!(data["customer"]["email"], "anne@example.com");
    assert_eq!(data["customer"]["group_id"], 3);
    assert_eq!(data["customer"]["created_in"], "Default Store View");
    let (old, new): (String, String) =
        sqlx::query_as("SELECT old_value, new_value FROM action_log WHERE action = 'Save customer'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(old.contains("\"first_name\":\"Ann\"") && new.contains("\"first_name\":\"Anne\""));

    let missing = app.call(&c, "/admin/api/customers_get", &[("id", "999")]).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Customer with this ID no longer exists."));
}

async fn a_hostile_name_shows_as_text_in_the_grid_and_on_the_dashboard(app: TestApp) {
    let name = "<img src=x onerror=alert(1)>";
    let shopper = app.shopper(name, "Smith", "evil@example.com").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let html = app.get(&c, "/admin/customers").await.text().await.unwrap();
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "escaped name in the grid");
    assert!(!html.contains(name), "raw markup in the grid");
    let account = app.get(&shopper, "/customer/account").await.text().await.unwrap();
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
    a_hostile_name_shows_as_text_in_the_grid_and_on_the_dashboard,
);
