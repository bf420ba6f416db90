//! The cart, the checkout, the Address Book and `My Orders`: prices and totals from the
//! server, quantity and stock bounds, the guest cart merged on sign-in and emptied when a
//! Login as Customer ticket is redeemed, `Place Order` in one transaction (re-priced,
//! idempotent, one winner for the last unit, numbers per store view), and what an assisting
//! admin does logged with the session and shown to the shopper.

use crate::assist::{assist, configure, consenting_shopper};
use crate::catalog::Item;
use crate::helpers::{
    client, customer_sign_in_form, register_form, AnswerExt, TestApp, ADMIN_PASSWORD, SHOPPER_PASSWORD,
};
use shopassist::api::sales::{
    AddToCart, DeleteAddress, GetCart, GetCheckout, MyAddresses, MyOrder, MyOrders, PlaceOrder, RemoveFromCart,
    SaveAddress, UpdateCart,
};
use shopassist::api::storefront::{AssistanceHistory, GetStorefrontContext};
use shopassist::domain::error::Msg;
use shopassist::domain::forms::{AddressForm, CartLineForm, Checkbox, PlaceOrderForm};
use shopassist::domain::sales::{Cart, Placed};

fn line(product: i64, qty: &str) -> CartLineForm {
    CartLineForm { product: product.to_string(), qty: qty.into() }
}

async fn add(app: &TestApp, c: &reqwest::Client, product: i64, qty: &str) -> crate::helpers::Answer<Cart> {
    app.call(c, &AddToCart { store: String::new(), form: line(product, qty) }).await
}

async fn cart(app: &TestApp, c: &reqwest::Client) -> Cart {
    app.call(c, &GetCart { store: String::new() }).await.expect("cart")
}

fn qtys(cart: &Cart) -> Vec<(String, i64)> {
    cart.lines.iter().map(|l| (l.sku.clone(), l.qty)).collect()
}

/// An address in Taiwan (no region or postcode needed).
fn taipei() -> AddressForm {
    AddressForm {
        first_name: "Mei".into(),
        last_name: "Lin".into(),
        street: "7 Xinyi Rd".into(),
        city: "Taipei".into(),
        country_id: "TW".into(),
        telephone: "02-1234-5678".into(),
        ..AddressForm::default()
    }
}

/// `Place Order` with a new address, as the checkout page posts it.
fn order_form(key: &str) -> PlaceOrderForm {
    let a = taipei();
    PlaceOrderForm {
        checkout_key: key.into(),
        address_id: "new".into(),
        first_name: a.first_name,
        last_name: a.last_name,
        street: a.street,
        city: a.city,
        country_id: a.country_id,
        telephone: a.telephone,
        shipping_method: "flatrate_flatrate".into(),
        payment_method: "checkmo".into(),
        ..PlaceOrderForm::default()
    }
}

async fn checkout_key(app: &TestApp, c: &reqwest::Client) -> String {
    app.call(c, &GetCheckout { store: String::new() }).await.expect("checkout").checkout_key
}

async fn place(app: &TestApp, c: &reqwest::Client, key: &str) -> crate::helpers::Answer<Placed> {
    app.call(c, &PlaceOrder { store: String::new(), form: order_form(key) }).await
}

async fn stock(app: &TestApp, product: i64) -> i64 {
    sqlx::query_scalar("SELECT qty FROM catalog_products WHERE id = $1")
        .bind(product)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn shopper(app: &TestApp, email: &str) -> reqwest::Client {
    let c = client();
    app.register(&c, &register_form("Mei", "Lin", email)).await.expect("registered");
    c
}

async fn a_cart_is_priced_by_the_server_and_bounded(app: TestApp) {
    let main = app.website_id("base").await;
    let second = app.website_id("second").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let mut sold_out = Item::new("GONE-1", "Sold Out Mug", 900, vec![main]);
    sold_out.qty = 0;
    let gone = sold_out.add(&app).await;
    let elsewhere = Item::new("ELSE-1", "Elsewhere Cap", 1_000, vec![second]).add(&app).await;
    let guest = client();

    let c = add(&app, &guest, tee, "2").await.expect("added");
    assert_eq!((c.count, c.subtotal, c.lines[0].price, c.lines[0].row_total), (2, 5_000, 2_500, 5_000));
    // The price is the catalog's at every read: a change shows at once.
    sqlx::query("UPDATE catalog_products SET price = 3000 WHERE id = $1")
        .bind(tee)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(cart(&app, &guest).await.subtotal, 6_000);

    for bad in ["0", "-3", "10001", "1.5", "lots"] {
        let refusal = add(&app, &guest, tee, bad).await.refused();
        assert_eq!(refusal.error.field_msg("qty"), Some(&Msg::QtyRange { min: 1, max: 10_000 }), "{bad}");
    }
    let refusal = add(&app, &guest, tee, "9").await.refused();
    assert_eq!(refusal.error.msg(), Msg::NotEnoughStock { name: "Harbor Tee".into(), available: 10 });
    assert_eq!(
        add(&app, &guest, gone, "1").await.refused().error.msg(),
        Msg::OutOfStock { name: "Sold Out Mug".into() }
    );
    assert_eq!(add(&app, &guest, elsewhere, "1").await.refused().status, 404, "not sold on this website");
    assert_eq!(qtys(&cart(&app, &guest).await), vec![("TEE-1".to_string(), 2)], "refusals changed nothing");

    // A price posted by the browser is not even read: the form refuses fields it does not know.
    let forged =
        app.post_raw(&guest, "/api/store/cart_add", format!("form[product]={tee}&form[qty]=1&form[price]=1")).await;
    assert_eq!(forged.status, 400, "{}", forged.body);

    let c = app.call(&guest, &UpdateCart { store: String::new(), form: line(tee, "5") }).await.expect("updated");
    assert_eq!((c.count, c.subtotal), (5, 15_000));
    let refusal = app.call(&guest, &UpdateCart { store: String::new(), form: line(tee, "11") }).await.refused();
    assert_eq!(refusal.error.msg(), Msg::NotEnoughStock { name: "Harbor Tee".into(), available: 10 });
    let c =
        app.call(&guest, &RemoveFromCart { store: String::new(), product: tee.to_string() }).await.expect("removed");
    assert!(c.lines.is_empty());
    let refusal = app.call(&guest, &RemoveFromCart { store: String::new(), product: tee.to_string() }).await.refused();
    assert_eq!(refusal.error.msg(), Msg::NotInCart);

    // The mini cart in the storefront context counts units and adds the subtotal.
    add(&app, &guest, tee, "3").await.unwrap();
    let ctx = app.call(&guest, &GetStorefrontContext { store: String::new() }).await.unwrap();
    assert_eq!((ctx.cart.count, ctx.cart.subtotal), (3, 9_000));
    // Another browser has its own cart.
    assert!(cart(&app, &client()).await.lines.is_empty());
    // A guest's cart is per website: the second website's view shows another (empty) one.
    let other = app.call(&guest, &GetCart { store: "second_en".into() }).await.unwrap();
    assert!(other.lines.is_empty());
}

async fn the_guest_cart_merges_into_the_customers_on_sign_in(app: TestApp) {
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let cap = Item::new("CAP-1", "Harbor Cap", 1_000, vec![main]).add(&app).await;
    // The customer's cart from another device.
    let phone = shopper(&app, "mei@example.com").await;
    add(&app, &phone, tee, "1").await.unwrap();

    let laptop = client();
    add(&app, &laptop, tee, "2").await.unwrap();
    add(&app, &laptop, cap, "1").await.unwrap();
    app.customer_sign_in(&laptop, &customer_sign_in_form("mei@example.com", SHOPPER_PASSWORD)).await.unwrap();

    let merged = cart(&app, &laptop).await;
    assert_eq!(qtys(&merged), vec![("TEE-1".to_string(), 3), ("CAP-1".to_string(), 1)], "quantities add");
    assert_eq!(qtys(&cart(&app, &phone).await), qtys(&merged), "one cart on every device");
    assert_eq!(app.count("carts").await, 1, "the guest cart is gone");
    // Signing out leaves an empty guest cart; the customer's stays theirs.
    app.customer_sign_out(&laptop).await.unwrap();
    assert!(cart(&app, &laptop).await.lines.is_empty());
    assert_eq!(cart(&app, &phone).await.count, 4);
}

async fn place_order_reprices_takes_stock_and_empties_the_cart(app: TestApp) {
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let c = shopper(&app, "mei@example.com").await;
    add(&app, &c, tee, "2").await.unwrap();
    let checkout = app.call(&c, &GetCheckout { store: String::new() }).await.unwrap();
    assert_eq!((checkout.cart.subtotal, checkout.shipping, checkout.grand_total), (5_000, 1_000, 6_000));
    assert_eq!(checkout.flat_rate, Some(500));
    assert_eq!(checkout.email.as_deref(), Some("mei@example.com"));

    // The price changes between the review and `Place Order`: the order takes the new one.
    sqlx::query("UPDATE catalog_products SET price = 2000 WHERE id = $1")
        .bind(tee)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let placed = place(&app, &c, &checkout.checkout_key).await.expect("placed");
    assert_eq!(placed.increment_id, format!("{}00000001", app.store_view_id("default").await));
    assert_eq!(stock(&app, tee).await, 8);
    assert!(cart(&app, &c).await.lines.is_empty(), "the cart is empty");

    let orders = app.call(&c, &MyOrders { store: String::new(), page: String::new() }).await.unwrap();
    assert_eq!(orders.total, 1);
    assert_eq!((orders.orders[0].grand_total, orders.orders[0].status.as_str()), (5_000, "pending"));
    let order = app.call(&c, &MyOrder { store: String::new(), id: placed.order_id.to_string() }).await.unwrap();
    assert_eq!((order.subtotal, order.shipping_amount, order.grand_total), (4_000, 1_000, 5_000));
    assert_eq!((order.items[0].sku.as_str(), order.items[0].qty_ordered, order.items[0].price), ("TEE-1", 2, 2_000));
    assert_eq!((order.shipping_address.city.as_str(), order.billing_address.country_id.as_str()), ("Taipei", "TW"));
    assert!(order.comments.is_empty());

    // The next order gets the next number; another shopper cannot see this one.
    add(&app, &c, tee, "1").await.unwrap();
    let second = place(&app, &c, &checkout_key(&app, &c).await).await.unwrap();
    assert_eq!(second.increment_id, format!("{}00000002", app.store_view_id("default").await));
    let other = shopper(&app, "ada@example.com").await;
    let refusal = app.call(&other, &MyOrder { store: String::new(), id: placed.order_id.to_string() }).await.refused();
    assert_eq!((refusal.status, refusal.error.msg()), (404, Msg::OrderNotFound));
    // An empty cart places nothing.
    let refusal = place(&app, &c, &checkout_key(&app, &c).await).await.refused();
    assert_eq!(refusal.error.msg(), Msg::CartEmpty);
    assert_eq!(app.count("sales_orders").await, 2);
    let log = app.log().await;
    let placed_entries: Vec<_> = log.iter().filter(|e| e.action == "Place order").collect();
    assert_eq!(placed_entries.len(), 2);
    assert_eq!((placed_entries[0].actor_type.as_str(), placed_entries[0].action_group.as_str()), ("customer", "Sales"));
}

async fn place_order_happens_once_per_checkout_and_the_last_unit_once(app: TestApp) {
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let c = shopper(&app, "mei@example.com").await;
    add(&app, &c, tee, "1").await.unwrap();
    let key = checkout_key(&app, &c).await;
    // A double click: five submissions at once, then a replay later.
    let tries = futures::future::join_all((0..5).map(|_| place(&app, &c, &key))).await;
    let ids: Vec<i64> =
        tries.into_iter().map(|t| t.unwrap_or_else(|e| panic!("{e:?} {}", app.server_log())).order_id).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(place(&app, &c, &key).await.unwrap().order_id, ids[0]);
    assert_eq!((app.count("sales_orders").await, stock(&app, tee).await), (1, 9));

    // A key from before the cart changed is refused.
    add(&app, &c, tee, "1").await.unwrap();
    let stale = checkout_key(&app, &c).await;
    add(&app, &c, tee, "1").await.unwrap();
    assert_eq!(place(&app, &c, &stale).await.refused().error.msg(), Msg::CheckoutOutOfDate);
    assert_eq!(app.count("sales_orders").await, 1);
    // Someone else's key tells nothing about their order.
    let other = shopper(&app, "ada@example.com").await;
    add(&app, &other, tee, "1").await.unwrap();
    assert_eq!(place(&app, &other, &key).await.refused().error.msg(), Msg::CheckoutOutOfDate);

    // Two shoppers race for the last unit: one order, one clear refusal, stock 0.
    let mut last = Item::new("LAST-1", "Last Lamp", 9_900, vec![main]);
    last.qty = 1;
    let lamp = last.add(&app).await;
    let (a, b) = (shopper(&app, "a@example.com").await, shopper(&app, "b@example.com").await);
    add(&app, &a, lamp, "1").await.unwrap();
    add(&app, &b, lamp, "1").await.unwrap();
    let (ka, kb) = (checkout_key(&app, &a).await, checkout_key(&app, &b).await);
    let (ra, rb) = tokio::join!(place(&app, &a, &ka), place(&app, &b, &kb));
    let (won, lost) = match (ra, rb) {
        (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
        other => panic!("one order and one refusal, got {other:?}"),
    };
    assert_eq!(lost.error.msg(), Msg::OutOfStock { name: "Last Lamp".into() });
    assert!(!won.increment_id.is_empty());
    assert_eq!(stock(&app, lamp).await, 0);
    let lamp_orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales_order_items WHERE sku = 'LAST-1'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(lamp_orders, 1);
}

async fn the_address_book_and_a_guests_checkout(app: TestApp) {
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let c = shopper(&app, "mei@example.com").await;
    // The United States need a state and a ZIP code; everything is named at once.
    let us = AddressForm { country_id: "US".into(), ..taipei() };
    let refusal = app.call(&c, &SaveAddress { store: String::new(), form: us.clone() }).await.refused();
    assert_eq!(refusal.error.field_msg("region"), Some(&Msg::Required));
    assert_eq!(refusal.error.field_msg("postcode"), Some(&Msg::Required));
    let bad = AddressForm { country_id: "ZZ".into(), street: " ".into(), ..taipei() };
    let refusal = app.call(&c, &SaveAddress { store: String::new(), form: bad }).await.refused();
    assert_eq!(refusal.error.field_msg("country_id"), Some(&Msg::CountryUnknown));
    assert_eq!(refusal.error.field_msg("street"), Some(&Msg::Required));
    assert_eq!(app.count("customer_addresses").await, 0);

    let first = app.call(&c, &SaveAddress { store: String::new(), form: taipei() }).await.unwrap();
    let ny = AddressForm { region: "NY".into(), postcode: "10001".into(), city: "New York".into(), ..us };
    let second = app.call(&c, &SaveAddress { store: String::new(), form: ny.clone() }).await.unwrap();
    let book = app.call(&c, &MyAddresses { store: String::new() }).await.unwrap();
    let defaults: Vec<_> = book.iter().map(|a| (a.id, a.default_billing, a.default_shipping)).collect();
    assert_eq!(defaults, vec![(first, true, true), (second, false, false)], "the first address is the default");
    let edit = AddressForm { id: second.to_string(), default_shipping: Checkbox(true), ..ny };
    app.call(&c, &SaveAddress { store: String::new(), form: edit }).await.unwrap();
    let book = app.call(&c, &MyAddresses { store: String::new() }).await.unwrap();
    let shipping: Vec<_> = book.iter().filter(|a| a.default_shipping).map(|a| a.id).collect();
    assert_eq!(shipping, vec![second], "one default shipping address");

    // Someone else's address is not theirs to use, change or delete.
    let other = shopper(&app, "ada@example.com").await;
    let steal = app.call(&other, &DeleteAddress { store: String::new(), id: first.to_string() }).await.refused();
    assert_eq!(steal.error.msg(), Msg::AddressNotFound);
    add(&app, &other, tee, "1").await.unwrap();
    let mut form = order_form(&checkout_key(&app, &other).await);
    form.address_id = first.to_string();
    let refusal = app.call(&other, &PlaceOrder { store: String::new(), form }).await.refused();
    assert_eq!(refusal.error.msg(), Msg::AddressNotFound);

    // The shopper ships to a saved address.
    add(&app, &c, tee, "1").await.unwrap();
    let mut form = order_form(&checkout_key(&app, &c).await);
    form.address_id = second.to_string();
    let placed = app.call(&c, &PlaceOrder { store: String::new(), form }).await.unwrap();
    let order = app.call(&c, &MyOrder { store: String::new(), id: placed.order_id.to_string() }).await.unwrap();
    assert_eq!(order.shipping_address.city, "New York");
    // The Address Book's pages: the list, a new address, and an address to edit.
    let book_page = app.page_shown(&c, "/customer/address").await;
    assert!(book_page.contains("Default Billing Address") && book_page.contains("New York"), "{book_page}");
    let new_page = app.page_shown(&c, "/customer/address/new").await;
    assert!(new_page.contains("<h1>Add New Address</h1>"), "{new_page}");
    let edit_page = app.page_shown(&c, &format!("/customer/address/edit/{second}")).await;
    assert!(edit_page.contains("<h1>Edit Address</h1>") && edit_page.contains("New York"), "{edit_page}");
    app.call(&c, &DeleteAddress { store: String::new(), id: first.to_string() }).await.unwrap();
    assert_eq!(app.call(&c, &MyAddresses { store: String::new() }).await.unwrap().len(), 1);
    let order = app.call(&c, &MyOrder { store: String::new(), id: placed.order_id.to_string() }).await.unwrap();
    assert_eq!(order.shipping_address.city, "New York", "the order keeps its own copy");

    // A guest checks out with an email; a bad one is named.
    let guest = client();
    add(&app, &guest, tee, "2").await.unwrap();
    let key = checkout_key(&app, &guest).await;
    let refusal = app.call(&guest, &PlaceOrder { store: String::new(), form: order_form(&key) }).await.refused();
    assert_eq!(refusal.error.field_msg("email"), Some(&Msg::InvalidEmail));
    let form = PlaceOrderForm { email: "guest@example.com".into(), ..order_form(&key) };
    let placed = app.call(&guest, &PlaceOrder { store: String::new(), form }).await.unwrap();
    let email: String = sqlx::query_scalar("SELECT customer_email FROM sales_orders WHERE id = $1")
        .bind(placed.order_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(email, "guest@example.com");
    assert_eq!(app.call(&guest, &MyOrders { store: String::new(), page: String::new() }).await.status(), 401);
}

async fn an_assisting_admin_works_on_the_customers_own_cart_and_every_step_is_logged(app: TestApp) {
    configure(&app, &[("login_as_customer.general.enabled", "1")]).await;
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let cap = Item::new("CAP-1", "Harbor Cap", 1_000, vec![main]).add(&app).await;
    let (own, customer) = consenting_shopper(&app, "Lou", "lou@example.com").await;
    add(&app, &own, cap, "1").await.unwrap();
    app.call(&own, &SaveAddress { store: String::new(), form: taipei() }).await.unwrap();

    // The admin's browser held a guest cart: redeeming the ticket empties it, unmerged.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    add(&app, &admin, tee, "4").await.unwrap();
    let session = assist(&app, &admin, customer).await;
    assert_eq!(qtys(&cart(&app, &admin).await), vec![("CAP-1".to_string(), 1)], "the customer's cart, unmerged");
    let guest_carts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM carts WHERE guest_token IS NOT NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(guest_carts, 0, "the guest cart was emptied");

    add(&app, &admin, tee, "2").await.unwrap();
    app.call(&admin, &UpdateCart { store: String::new(), form: line(cap, "3") }).await.unwrap();
    let book = app.call(&admin, &MyAddresses { store: String::new() }).await.unwrap();
    let mut form = order_form(&checkout_key(&app, &admin).await);
    form.address_id = book[0].id.to_string();
    let placed = app.call(&admin, &PlaceOrder { store: String::new(), form }).await.unwrap();

    let (sid, by): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT assistance_session_id, placed_by_admin_id FROM sales_orders WHERE id = $1")
            .bind(placed.order_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((sid, by), (Some(session), Some(app.admin_id("admin").await)));
    let comments: Vec<(String, i64)> =
        sqlx::query_as("SELECT comment, is_visible_on_front FROM sales_order_comments WHERE order_id = $1 ORDER BY id")
            .bind(placed.order_id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let (first, last): (String, String) =
        sqlx::query_as("SELECT first_name, last_name FROM admin_users WHERE username = 'admin'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        comments,
        vec![
            ("Order Placed by Store Administrator".to_string(), 1),
            (format!("Order Placed by {first} {last} using Login as Customer"), 0),
        ]
    );
    let entries: Vec<_> = app.log().await.into_iter().filter(|e| e.assistance_session_id == Some(session)).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for expected in ["Add to cart", "Update cart quantity", "Place order"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert!(entries.iter().all(|e| e.actor_type == "admin_as_customer" && e.customer_id == Some(customer)));

    // The shopper sees the order and only the comment meant for them.
    let order = app.call(&own, &MyOrder { store: String::new(), id: placed.order_id.to_string() }).await.unwrap();
    let seen: Vec<&str> = order.comments.iter().map(|c| c.comment.as_str()).collect();
    assert_eq!(seen, vec!["Order Placed by Store Administrator"]);
    assert!(cart(&app, &own).await.lines.is_empty(), "the shopper's cart is the one that was ordered");
    // The shopper's Assistance History says what changed and links the order.
    let history = app.call(&own, &AssistanceHistory { store: String::new() }).await.unwrap();
    assert_eq!(history[0].orders, vec![(placed.order_id, placed.increment_id.clone())]);
    let done: Vec<&str> = history[0].changes.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(done, vec!["Add to cart", "Update cart quantity", "Place order"]);

    // Restrict Sensitive Account Changes (Yes by default): no deleting the default address.
    let refusal = app.call(&admin, &DeleteAddress { store: String::new(), id: book[0].id.to_string() }).await.refused();
    assert_eq!((refusal.status, refusal.error.msg()), (403, Msg::SensitiveChange));
    assert_eq!(app.count("customer_addresses").await, 1);
    // ... and no Delete Account, even with the right password.
    let form = shopassist::domain::forms::DeleteAccountForm { password: SHOPPER_PASSWORD.into() };
    let refusal =
        app.call(&admin, &shopassist::api::storefront::DeleteAccount { store: String::new(), form }).await.refused();
    assert_eq!((refusal.status, refusal.error.msg()), (403, Msg::SensitiveChange));
}

async fn delete_account_erases_the_account_and_keeps_its_orders_and_log(app: TestApp) {
    use shopassist::api::storefront::DeleteAccount;
    use shopassist::domain::forms::DeleteAccountForm;
    let main = app.website_id("base").await;
    let tee = Item::new("TEE-1", "Harbor Tee", 2_500, vec![main]).add(&app).await;
    let c = shopper(&app, "mei@example.com").await;
    let id = app.customer_id("mei@example.com").await;
    app.call(&c, &SaveAddress { store: String::new(), form: taipei() }).await.unwrap();
    add(&app, &c, tee, "1").await.unwrap();
    let placed = place(&app, &c, &checkout_key(&app, &c).await).await.unwrap();
    add(&app, &c, tee, "2").await.unwrap();

    let delete =
        |password: &str| DeleteAccount { store: String::new(), form: DeleteAccountForm { password: password.into() } };
    let refusal = app.call(&c, &delete("Wrong-Passw0rd")).await.refused();
    assert_eq!(refusal.error.msg(), Msg::CustomerPasswordWrong);
    assert_eq!(app.count("customer_addresses").await, 1, "a refusal changes nothing");
    let before = app.log_count().await;
    app.call(&c, &delete(SHOPPER_PASSWORD)).await.unwrap_or_else(|e| panic!("{e:?} {}", app.server_log()));

    let ctx = app.call(&c, &GetStorefrontContext { store: String::new() }).await.unwrap();
    assert!(ctx.customer.is_none(), "the browser is signed out");
    let (email, first, active): (String, String, i64) =
        sqlx::query_as("SELECT email, first_name, is_active FROM customers WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(!email.contains("mei") && first.is_empty() && active == 0, "nothing personal is left: {email}");
    assert_eq!((app.count("customer_addresses").await, app.count("cart_items").await), (0, 0));
    let (name, city): (String, String) = sqlx::query_as(
        "SELECT o.customer_first_name, a.city FROM sales_orders o JOIN sales_order_addresses a ON a.order_id = o.id \
         AND a.address_type = 'shipping' WHERE o.id = $1",
    )
    .bind(placed.order_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((name.as_str(), city.as_str()), ("Mei", "Taipei"), "the order keeps its own copy");
    let entry =
        app.log_since(before as usize).await.into_iter().find(|e| e.action == "Delete customer account").unwrap();
    assert_eq!((entry.target_type.as_str(), entry.target_id.clone()), ("customer", id.to_string()));
    assert!(!entry.new_value.unwrap_or_default().contains("mei"), "the entry names the customer by id only");
    let refusal = app.customer_sign_in(&client(), &customer_sign_in_form("mei@example.com", SHOPPER_PASSWORD)).await;
    assert!(refusal.is_err(), "the account cannot be signed into");
    shopper(&app, "mei@example.com").await;
}

async fn carts_follow_account_sharing(app: TestApp) {
    let (main, second) = (app.website_id("base").await, app.website_id("second").await);
    let both = Item::new("BOTH-1", "Everywhere Tee", 2_500, vec![main, second]).add(&app).await;
    let only_main = Item::new("MAIN-1", "Home Cap", 1_000, vec![main]).add(&app).await;
    let c = shopper(&app, "mei@example.com").await;
    add(&app, &c, both, "1").await.unwrap();
    add(&app, &c, only_main, "1").await.unwrap();
    let on_second = |store: &str| GetCart { store: store.into() };
    // Per Website: on the other website the browser is a guest with a cart of its own.
    let there = app.call(&c, &on_second("second_en")).await.unwrap();
    assert!(there.lines.is_empty(), "a guest's cart on the other website");
    let form = CartLineForm { product: both.to_string(), qty: "2".into() };
    app.call(&c, &AddToCart { store: "second_en".into(), form }).await.unwrap();
    assert_eq!(cart(&app, &c).await.count, 2, "the customer's cart is untouched");
    assert_eq!(app.call(&c, &on_second("second_en")).await.unwrap().count, 2);

    // Global: the customer's cart is the same on every website, priced there; a product not
    // sold there cannot be ordered there.
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = crate::helpers::config_form("default", "customer", &[("customer.account_share.scope", "global")]);
    app.save_config(&admin, &form).await.expect("Global");
    let there = app.call(&c, &on_second("second_en")).await.unwrap();
    assert_eq!(qtys(&there), vec![("BOTH-1".to_string(), 1), ("MAIN-1".to_string(), 1)]);
    let unavailable: Vec<_> = there.lines.iter().filter(|l| !l.available).map(|l| l.sku.as_str()).collect();
    assert_eq!(unavailable, vec!["MAIN-1"]);
    assert_eq!(there.subtotal, 2_500, "only what is sold there counts");
}

crate::on_both_databases!(
    delete_account_erases_the_account_and_keeps_its_orders_and_log,
    carts_follow_account_sharing,
    a_cart_is_priced_by_the_server_and_bounded,
    the_guest_cart_merges_into_the_customers_on_sign_in,
    place_order_reprices_takes_stock_and_empties_the_cart,
    place_order_happens_once_per_checkout_and_the_last_unit_once,
    the_address_book_and_a_guests_checkout,
    an_assisting_admin_works_on_the_customers_own_cart_and_every_step_is_logged,
);
