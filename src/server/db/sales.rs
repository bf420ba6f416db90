//! Carts, the Address Book and orders: the SQL. The rules (who may change what, stock, the
//! action log) are in `server::actions::sales`.

use super::{flag, now_ms, Executor, Tx};
use crate::domain::sales::{
    Address, CartLine, OrderComment, OrderItem, OrderList, OrderRow, OrderView, SavedAddress, ORDERS_PAGE_SIZE,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// 128 random bits as hex: a guest's cart token, a checkout's idempotency key.
pub fn random_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whose cart: a customer's (on every website they reach) or a guest's on one website.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Customer(i64),
    Guest { token: String, website_id: i64 },
}

/// The cart of `owner`, if it has one: its id and checkout key.
pub async fn find_cart<'e>(ex: impl Executor<'e>, owner: &Owner) -> Result<Option<(i64, String)>, sqlx::Error> {
    let q = match owner {
        Owner::Customer(id) => sqlx::query("SELECT id, checkout_key FROM carts WHERE customer_id = $1").bind(*id),
        Owner::Guest { token, website_id } => {
            sqlx::query("SELECT id, checkout_key FROM carts WHERE guest_token = $1 AND website_id = $2")
                .bind(token.clone())
                .bind(*website_id)
        }
    };
    q.try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("checkout_key")?))).fetch_optional(ex).await
}

/// Holds `owner`'s cart row until the transaction ends (a no-op write takes the row lock on
/// PostgreSQL; SQLite's write transaction holds the whole database already): two `Place
/// Order`s for one cart run one after the other, and the second sees the first's order.
pub async fn lock_cart(tx: &mut Tx<'_>, owner: &Owner) -> Result<(), sqlx::Error> {
    let q = match owner {
        Owner::Customer(id) => sqlx::query("UPDATE carts SET updated_at = updated_at WHERE customer_id = $1").bind(*id),
        Owner::Guest { token, website_id } => {
            sqlx::query("UPDATE carts SET updated_at = updated_at WHERE guest_token = $1 AND website_id = $2")
                .bind(token.clone())
                .bind(*website_id)
        }
    };
    q.execute(&mut **tx).await?;
    Ok(())
}

/// The cart of `owner`, made when it has none (`website_id`: where it was made).
pub async fn cart_for(tx: &mut Tx<'_>, owner: &Owner, website_id: i64) -> Result<i64, sqlx::Error> {
    if let Some((id, _)) = find_cart(&mut **tx, owner).await? {
        return Ok(id);
    }
    let (customer, token) = match owner {
        Owner::Customer(id) => (Some(*id), None),
        Owner::Guest { token, .. } => (None, Some(token.clone())),
    };
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO carts (customer_id, guest_token, website_id, checkout_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(customer)
    .bind(token)
    .bind(website_id)
    .bind(random_key())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// A cart's lines, each priced for `group` on `website` (a product no longer sold there, or
/// disabled, is marked unavailable), oldest first.
pub async fn lines<'e>(
    ex: impl Executor<'e>,
    cart: i64,
    website: i64,
    group: i64,
) -> Result<Vec<CartLine>, sqlx::Error> {
    sqlx::query(
        "SELECT p.id, p.sku, p.name, p.url_key, p.qty AS stock, p.is_enabled, ci.qty, \
         COALESCE(gp.price, p.price) AS price, pw.website_id AS sold \
         FROM cart_items ci JOIN catalog_products p ON p.id = ci.product_id \
         LEFT JOIN catalog_product_websites pw ON pw.product_id = p.id AND pw.website_id = $2 \
         LEFT JOIN catalog_product_group_prices gp ON gp.product_id = p.id AND gp.group_id = $3 \
         WHERE ci.cart_id = $1 ORDER BY ci.added_at, p.id",
    )
    .bind(cart)
    .bind(website)
    .bind(group)
    .try_map(|r: AnyRow| {
        let qty: i64 = r.try_get("qty")?;
        let price: i64 = r.try_get("price")?;
        Ok(CartLine {
            product_id: r.try_get("id")?,
            sku: r.try_get("sku")?,
            name: r.try_get("name")?,
            url_key: r.try_get("url_key")?,
            qty,
            price,
            row_total: price * qty,
            available: flag(&r, "is_enabled")? && r.try_get::<Option<i64>, _>("sold")?.is_some(),
            stock: r.try_get("stock")?,
        })
    })
    .fetch_all(ex)
    .await
}

/// The quantity of `product` in `cart` (0: none).
pub async fn line_qty(tx: &mut Tx<'_>, cart: i64, product: i64) -> Result<i64, sqlx::Error> {
    let qty: Option<i64> = sqlx::query_scalar("SELECT qty FROM cart_items WHERE cart_id = $1 AND product_id = $2")
        .bind(cart)
        .bind(product)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(qty.unwrap_or(0))
}

/// Sets the quantity of `product` in `cart` (adding the line when it is not there).
pub async fn set_line(tx: &mut Tx<'_>, cart: i64, product: i64, qty: i64) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cart_items (cart_id, product_id, qty, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (cart_id, product_id) DO UPDATE SET qty = excluded.qty",
    )
    .bind(cart)
    .bind(product)
    .bind(qty)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    touch(tx, cart).await
}

/// Removes `product` from `cart`; whether it was there.
pub async fn remove_line(tx: &mut Tx<'_>, cart: i64, product: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
        .bind(cart)
        .bind(product)
        .execute(&mut **tx)
        .await?;
    touch(tx, cart).await?;
    Ok(done.rows_affected() > 0)
}

/// A change to a cart gives it a new checkout key: a `Place Order` reviewed before the change
/// is refused rather than placing what the shopper did not see.
async fn touch(tx: &mut Tx<'_>, cart: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE carts SET updated_at = $2, checkout_key = $3 WHERE id = $1")
        .bind(cart)
        .bind(now_ms())
        .bind(random_key())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a cart and its lines.
pub async fn delete_cart(tx: &mut Tx<'_>, cart: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM carts WHERE id = $1").bind(cart).execute(&mut **tx).await?;
    Ok(())
}

/// Deletes every guest cart of a browser's `token` (on every website); how many lines went.
pub async fn delete_guest_carts(tx: &mut Tx<'_>, token: &str) -> Result<u64, sqlx::Error> {
    let lines = sqlx::query("DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE guest_token = $1)")
        .bind(token)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM carts WHERE guest_token = $1").bind(token).execute(&mut **tx).await?;
    Ok(lines)
}

/// The lines of `cart` as (product, quantity).
pub async fn raw_lines(tx: &mut Tx<'_>, cart: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query("SELECT product_id, qty FROM cart_items WHERE cart_id = $1 ORDER BY added_at, product_id")
        .bind(cart)
        .try_map(|r: AnyRow| Ok((r.try_get("product_id")?, r.try_get("qty")?)))
        .fetch_all(&mut **tx)
        .await
}

/// Empties `cart` and gives it a new checkout key.
pub async fn empty_cart(tx: &mut Tx<'_>, cart: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(cart).execute(&mut **tx).await?;
    touch(tx, cart).await
}

/// Takes `qty` units of `product` from stock; `false` (nothing changed) when fewer are left.
pub async fn take_stock(tx: &mut Tx<'_>, product: i64, qty: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE catalog_products SET qty = qty - $2, updated_at = $3 WHERE id = $1 AND qty >= $2")
        .bind(product)
        .bind(qty)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A product's name and stock, for messages: `None` when it is gone.
pub async fn product_stock<'e>(ex: impl Executor<'e>, product: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query("SELECT name, qty FROM catalog_products WHERE id = $1")
        .bind(product)
        .try_map(|r: AnyRow| Ok((r.try_get("name")?, r.try_get("qty")?)))
        .fetch_optional(ex)
        .await
}

/// A product as an add to cart on `website` sees it: (name, enabled and sold there, stock).
pub async fn product_for_cart(
    tx: &mut Tx<'_>,
    product: i64,
    website: i64,
) -> Result<Option<(String, bool, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT p.name, p.is_enabled, p.qty, pw.website_id AS sold FROM catalog_products p \
         LEFT JOIN catalog_product_websites pw ON pw.product_id = p.id AND pw.website_id = $2 WHERE p.id = $1",
    )
    .bind(product)
    .bind(website)
    .try_map(|r: AnyRow| {
        Ok((
            r.try_get("name")?,
            flag(&r, "is_enabled")? && r.try_get::<Option<i64>, _>("sold")?.is_some(),
            r.try_get("qty")?,
        ))
    })
    .fetch_optional(&mut **tx)
    .await
}

// ---------------------------------------------------------------------------------------
// The Address Book.

const ADDRESS_COLS: &str = "first_name, last_name, company, street, city, region, postcode, country_id, telephone";

fn address(r: &AnyRow) -> Result<Address, sqlx::Error> {
    Ok(Address {
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        company: r.try_get("company")?,
        street: r.try_get("street")?,
        city: r.try_get("city")?,
        region: r.try_get("region")?,
        postcode: r.try_get("postcode")?,
        country_id: r.try_get("country_id")?,
        telephone: r.try_get("telephone")?,
    })
}

fn saved(r: &AnyRow) -> Result<SavedAddress, sqlx::Error> {
    Ok(SavedAddress {
        id: r.try_get("id")?,
        address: address(r)?,
        default_billing: flag(r, "is_default_billing")?,
        default_shipping: flag(r, "is_default_shipping")?,
    })
}

/// A customer's addresses, defaults first.
pub async fn addresses<'e>(ex: impl Executor<'e>, customer: i64) -> Result<Vec<SavedAddress>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT id, {ADDRESS_COLS}, is_default_billing, is_default_shipping FROM customer_addresses \
         WHERE customer_id = $1 ORDER BY is_default_shipping DESC, is_default_billing DESC, id"
    ))
    .bind(customer)
    .try_map(|r: AnyRow| saved(&r))
    .fetch_all(ex)
    .await
}

/// One of a customer's addresses (`None`: not theirs, or gone).
pub async fn address_of<'e>(
    ex: impl Executor<'e>,
    customer: i64,
    id: i64,
) -> Result<Option<SavedAddress>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT id, {ADDRESS_COLS}, is_default_billing, is_default_shipping FROM customer_addresses \
         WHERE customer_id = $1 AND id = $2"
    ))
    .bind(customer)
    .bind(id)
    .try_map(|r: AnyRow| saved(&r))
    .fetch_optional(ex)
    .await
}

/// Adds an address; its id.
pub async fn insert_address(tx: &mut Tx<'_>, customer: i64, a: &Address) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(&format!(
        "INSERT INTO customer_addresses (customer_id, {ADDRESS_COLS}, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id"
    ))
    .bind(customer)
    .bind(&a.first_name)
    .bind(&a.last_name)
    .bind(&a.company)
    .bind(&a.street)
    .bind(&a.city)
    .bind(&a.region)
    .bind(&a.postcode)
    .bind(&a.country_id)
    .bind(&a.telephone)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Replaces an address's fields.
pub async fn update_address(tx: &mut Tx<'_>, id: i64, a: &Address) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customer_addresses SET first_name = $2, last_name = $3, company = $4, street = $5, city = $6, \
         region = $7, postcode = $8, country_id = $9, telephone = $10, updated_at = $11 WHERE id = $1",
    )
    .bind(id)
    .bind(&a.first_name)
    .bind(&a.last_name)
    .bind(&a.company)
    .bind(&a.street)
    .bind(&a.city)
    .bind(&a.region)
    .bind(&a.postcode)
    .bind(&a.country_id)
    .bind(&a.telephone)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `id` the customer's default billing and/or shipping address (the others lose it).
pub async fn set_defaults(
    tx: &mut Tx<'_>,
    customer: i64,
    id: i64,
    billing: bool,
    shipping: bool,
) -> Result<(), sqlx::Error> {
    for (on, col) in [(billing, "is_default_billing"), (shipping, "is_default_shipping")] {
        if on {
            sqlx::query(&format!(
                "UPDATE customer_addresses SET {col} = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE customer_id = $1"
            ))
            .bind(customer)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

pub async fn delete_address(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM customer_addresses WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Orders.

/// The order placed with checkout key `key`, if any: (id, number, customer).
pub async fn order_by_key(tx: &mut Tx<'_>, key: &str) -> Result<Option<(i64, String, Option<i64>)>, sqlx::Error> {
    sqlx::query("SELECT id, increment_id, customer_id FROM sales_orders WHERE checkout_key = $1")
        .bind(key)
        .try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("increment_id")?, r.try_get("customer_id")?)))
        .fetch_optional(&mut **tx)
        .await
}

/// The next order number of store view `view`: its id, then eight digits (`100000001`).
/// Numbers only grow; one whose order was not committed is not reused by a later order.
pub async fn next_increment(tx: &mut Tx<'_>, view: i64) -> Result<String, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO sales_sequences (store_view_id, last_value) VALUES ($1, 1) \
         ON CONFLICT (store_view_id) DO UPDATE SET last_value = sales_sequences.last_value + 1 RETURNING last_value",
    )
    .bind(view)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("{view}{n:08}"))
}

/// An order's header, as written once at `Place Order`.
pub struct NewOrder<'a> {
    pub increment_id: &'a str,
    pub store_view_id: i64,
    pub website_id: i64,
    pub customer_id: Option<i64>,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub group_id: i64,
    pub currency: &'a str,
    pub total_qty: i64,
    pub subtotal: i64,
    pub shipping_amount: i64,
    pub grand_total: i64,
    pub checkout_key: &'a str,
    pub assistance_session_id: Option<i64>,
    pub placed_by_admin_id: Option<i64>,
}

/// Writes an order's header (state `new`, status `pending`); its id.
pub async fn insert_order(tx: &mut Tx<'_>, o: &NewOrder<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO sales_orders (increment_id, store_view_id, website_id, customer_id, customer_email, \
         customer_first_name, customer_last_name, customer_group_id, state, status, currency, total_qty, subtotal, \
         shipping_amount, grand_total, shipping_method, payment_method, checkout_key, assistance_session_id, \
         placed_by_admin_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new', 'pending', $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
         RETURNING id",
    )
    .bind(o.increment_id)
    .bind(o.store_view_id)
    .bind(o.website_id)
    .bind(o.customer_id)
    .bind(o.email)
    .bind(o.first_name)
    .bind(o.last_name)
    .bind(o.group_id)
    .bind(o.currency)
    .bind(o.total_qty)
    .bind(o.subtotal)
    .bind(o.shipping_amount)
    .bind(o.grand_total)
    .bind(crate::domain::sales::FLAT_RATE)
    .bind(crate::domain::sales::CHECK_MONEY_ORDER)
    .bind(o.checkout_key)
    .bind(o.assistance_session_id)
    .bind(o.placed_by_admin_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn insert_item(tx: &mut Tx<'_>, order: i64, line: &CartLine) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sales_order_items (order_id, product_id, sku, name, price, qty_ordered, row_total) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(order)
    .bind(line.product_id)
    .bind(&line.sku)
    .bind(&line.name)
    .bind(line.price)
    .bind(line.qty)
    .bind(line.row_total)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_order_address(tx: &mut Tx<'_>, order: i64, kind: &str, a: &Address) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO sales_order_addresses (order_id, address_type, {ADDRESS_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(order)
    .bind(kind)
    .bind(&a.first_name)
    .bind(&a.last_name)
    .bind(&a.company)
    .bind(&a.street)
    .bind(&a.city)
    .bind(&a.region)
    .bind(&a.postcode)
    .bind(&a.country_id)
    .bind(&a.telephone)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_comment(
    tx: &mut Tx<'_>,
    order: i64,
    comment: &str,
    status: &str,
    visible_on_front: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sales_order_comments (order_id, comment, status, is_visible_on_front, is_customer_notified, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(order)
    .bind(comment)
    .bind(status)
    .bind(visible_on_front as i64)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Page `page` of a customer's orders, newest first.
pub async fn customer_orders<'e, E: Executor<'e> + Copy>(
    ex: E,
    customer: i64,
    page: i64,
) -> Result<OrderList, sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales_orders WHERE customer_id = $1")
        .bind(customer)
        .fetch_one(ex)
        .await?;
    let pages = ((total + ORDERS_PAGE_SIZE - 1) / ORDERS_PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let orders = sqlx::query(
        "SELECT o.id, o.increment_id, o.created_at, o.currency, o.grand_total, o.status, \
         a.first_name, a.last_name FROM sales_orders o \
         LEFT JOIN sales_order_addresses a ON a.order_id = o.id AND a.address_type = 'shipping' \
         WHERE o.customer_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(customer)
    .bind(ORDERS_PAGE_SIZE)
    .bind((page - 1) * ORDERS_PAGE_SIZE)
    .try_map(|r: AnyRow| {
        let first: Option<String> = r.try_get("first_name")?;
        let last: Option<String> = r.try_get("last_name")?;
        Ok(OrderRow {
            id: r.try_get("id")?,
            increment_id: r.try_get("increment_id")?,
            created_at: r.try_get("created_at")?,
            ship_to: format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default()).trim().to_string(),
            currency: r.try_get("currency")?,
            grand_total: r.try_get("grand_total")?,
            status: r.try_get("status")?,
        })
    })
    .fetch_all(ex)
    .await?;
    Ok(OrderList { orders, page, pages, total })
}

/// A customer's order with what `My Orders` shows (`None`: not theirs, or no such order).
pub async fn customer_order<'e, E: Executor<'e> + Copy>(
    ex: E,
    customer: i64,
    id: i64,
) -> Result<Option<OrderView>, sqlx::Error> {
    let Some(head) = sqlx::query(
        "SELECT id, increment_id, created_at, status, currency, subtotal, shipping_amount, grand_total, \
         shipping_method, payment_method FROM sales_orders WHERE id = $1 AND customer_id = $2",
    )
    .bind(id)
    .bind(customer)
    .fetch_optional(ex)
    .await?
    else {
        return Ok(None);
    };
    let items = sqlx::query(
        "SELECT sku, name, price, qty_ordered, row_total FROM sales_order_items WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .try_map(|r: AnyRow| {
        Ok(OrderItem {
            sku: r.try_get("sku")?,
            name: r.try_get("name")?,
            price: r.try_get("price")?,
            qty_ordered: r.try_get("qty_ordered")?,
            row_total: r.try_get("row_total")?,
        })
    })
    .fetch_all(ex)
    .await?;
    let addresses: Vec<(String, Address)> =
        sqlx::query(&format!("SELECT address_type, {ADDRESS_COLS} FROM sales_order_addresses WHERE order_id = $1"))
            .bind(id)
            .try_map(|r: AnyRow| Ok((r.try_get("address_type")?, address(&r)?)))
            .fetch_all(ex)
            .await?;
    let pick = |kind: &str| addresses.iter().find(|(k, _)| k == kind).map(|(_, a)| a.clone()).unwrap_or_default();
    let comments = sqlx::query(
        "SELECT created_at, comment FROM sales_order_comments WHERE order_id = $1 AND is_visible_on_front = 1 ORDER BY id",
    )
    .bind(id)
    .try_map(|r: AnyRow| Ok(OrderComment { created_at: r.try_get("created_at")?, comment: r.try_get("comment")? }))
    .fetch_all(ex)
    .await?;
    Ok(Some(OrderView {
        id,
        increment_id: head.try_get("increment_id")?,
        created_at: head.try_get("created_at")?,
        status: head.try_get("status")?,
        currency: head.try_get("currency")?,
        items,
        subtotal: head.try_get("subtotal")?,
        shipping_amount: head.try_get("shipping_amount")?,
        grand_total: head.try_get("grand_total")?,
        shipping_address: pick("shipping"),
        billing_address: pick("billing"),
        shipping_method: head.try_get("shipping_method")?,
        payment_method: head.try_get("payment_method")?,
        comments,
    }))
}
