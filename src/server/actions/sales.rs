//! The shopper's changes to their cart, Address Book and orders, by the shopper or by an admin
//! assisting them (Login as Customer). Each runs in the caller's transaction; every change
//! made while assisting is in the action log with the assistance session, in that
//! transaction, and so is every order placed.
//!
//! Prices and totals come from the catalog and the shopper's group at each step: nothing the
//! browser sends but a product, a quantity and an address is believed.

use super::super::db::audit::{self, Actor, Entry, Origin};
use super::super::db::sales::{self as db, Owner};
use super::super::db::Tx;
use crate::domain::error::AppError;
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use crate::domain::sales::{Address, Cart, CartLine, Placed, MAX_QTY};
use serde::Serialize;

/// Where and for whom the cart is: the store view shown, whose cart, and the group whose
/// prices apply (the customer's, or `NOT LOGGED IN`).
#[derive(Clone, Debug)]
pub struct Shopping {
    pub view: StoreView,
    pub owner: Owner,
    pub group: i64,
}

impl Shopping {
    fn customer(&self) -> Option<i64> {
        match self.owner {
            Owner::Customer(id) => Some(id),
            Owner::Guest { .. } => None,
        }
    }
}

fn assisted(origin: &Origin) -> bool {
    matches!(origin.actor, Actor::AdminAsCustomer { .. })
}

/// A cart line as the log shows it.
#[derive(Serialize)]
struct LineSnapshot<'a> {
    product_id: i64,
    name: &'a str,
    qty: i64,
}

/// Logs a change made while assisting (the shopper's own cart changes are not logged).
async fn log_assisted<T: Serialize>(
    tx: &mut Tx<'_>,
    origin: &Origin,
    action: &str,
    target: (&str, i64),
    old: Option<&T>,
    new: Option<&T>,
) -> Result<(), AppError> {
    if assisted(origin) {
        audit::write(tx, origin, Entry::change(audit::group::SALES, action, target.0, target.1, old, new)).await?;
    }
    Ok(())
}

/// The shopper's cart as it stands, priced now.
pub async fn cart(tx: &mut Tx<'_>, shop: &Shopping) -> Result<Cart, AppError> {
    let lines = match db::find_cart(&mut **tx, &shop.owner).await? {
        Some((id, _)) => db::lines(&mut **tx, id, shop.view.website_id, shop.group).await?,
        None => Vec::new(),
    };
    Ok(Cart::from_lines(shop.view.currency.clone(), lines))
}

/// Checks that `qty` of `product` may be in a cart on this website; its name.
async fn ensure_orderable(tx: &mut Tx<'_>, website: i64, product: i64, qty: i64) -> Result<String, AppError> {
    let (name, sold, stock) =
        db::product_for_cart(tx, product, website).await?.ok_or(AppError::not_found(Msg::ProductNotFound))?;
    if !sold {
        return Err(AppError::not_found(Msg::ProductNotFound));
    }
    if qty > MAX_QTY {
        return Err(AppError::field("qty", Msg::QtyRange { min: 1, max: MAX_QTY }));
    }
    if stock <= 0 {
        return Err(AppError::invalid(Msg::OutOfStock { name }));
    }
    if qty > stock {
        return Err(AppError::invalid(Msg::NotEnoughStock { name, available: stock }));
    }
    Ok(name)
}

/// `Add to Cart`: adds `qty` (1–10,000, already parsed) of `product`; a line already there
/// grows by it. Refused, changing nothing, beyond the stock or 10,000 in one line.
#[tracing::instrument(skip_all, fields(product), err(level = "info"))]
pub async fn add(tx: &mut Tx<'_>, origin: &Origin, shop: &Shopping, product: i64, qty: i64) -> Result<(), AppError> {
    let cart = db::cart_for(tx, &shop.owner, shop.view.website_id).await?;
    let before = db::line_qty(tx, cart, product).await?;
    let name = ensure_orderable(tx, shop.view.website_id, product, before + qty).await?;
    db::set_line(tx, cart, product, before + qty).await?;
    let old = (before > 0).then(|| LineSnapshot { product_id: product, name: &name, qty: before });
    let new = LineSnapshot { product_id: product, name: &name, qty: before + qty };
    log_assisted(tx, origin, "Add to cart", ("cart", cart), old.as_ref(), Some(&new)).await
}

/// Sets a line's quantity (1–10,000, within stock).
#[tracing::instrument(skip_all, fields(product), err(level = "info"))]
pub async fn set_qty(
    tx: &mut Tx<'_>,
    origin: &Origin,
    shop: &Shopping,
    product: i64,
    qty: i64,
) -> Result<(), AppError> {
    let (cart, _) = db::find_cart(&mut **tx, &shop.owner).await?.ok_or(AppError::not_found(Msg::NotInCart))?;
    let before = db::line_qty(tx, cart, product).await?;
    if before == 0 {
        return Err(AppError::not_found(Msg::NotInCart));
    }
    let name = ensure_orderable(tx, shop.view.website_id, product, qty).await?;
    db::set_line(tx, cart, product, qty).await?;
    let old = LineSnapshot { product_id: product, name: &name, qty: before };
    let new = LineSnapshot { product_id: product, name: &name, qty };
    log_assisted(tx, origin, "Update cart quantity", ("cart", cart), Some(&old), Some(&new)).await
}

/// Removes a line (a product no longer sold can always be removed).
#[tracing::instrument(skip_all, fields(product), err(level = "info"))]
pub async fn remove(tx: &mut Tx<'_>, origin: &Origin, shop: &Shopping, product: i64) -> Result<(), AppError> {
    let (cart, _) = db::find_cart(&mut **tx, &shop.owner).await?.ok_or(AppError::not_found(Msg::NotInCart))?;
    let before = db::line_qty(tx, cart, product).await?;
    if before == 0 || !db::remove_line(tx, cart, product).await? {
        return Err(AppError::not_found(Msg::NotInCart));
    }
    let name = db::product_stock(&mut **tx, product).await?.map(|(n, _)| n).unwrap_or_default();
    let old = LineSnapshot { product_id: product, name: &name, qty: before };
    log_assisted(tx, origin, "Remove from cart", ("cart", cart), Some(&old), None).await
}

/// On a normal sign-in: the guest's cart on this website joins the customer's (quantities
/// add, each line capped at the stock and at 10,000) and is deleted.
pub async fn merge_guest_cart(tx: &mut Tx<'_>, token: &str, website: i64, customer: i64) -> Result<(), AppError> {
    let guest = Owner::Guest { token: token.to_string(), website_id: website };
    let Some((from, _)) = db::find_cart(&mut **tx, &guest).await? else { return Ok(()) };
    let lines = db::raw_lines(tx, from).await?;
    if !lines.is_empty() {
        let into = db::cart_for(tx, &Owner::Customer(customer), website).await?;
        for (product, qty) in lines {
            let have = db::line_qty(tx, into, product).await?;
            let stock = db::product_stock(&mut **tx, product).await?.map(|(_, s)| s).unwrap_or(0);
            let merged = (have + qty).min(MAX_QTY).min(stock.max(have)).max(1);
            db::set_line(tx, into, product, merged).await?;
        }
    }
    db::delete_cart(tx, from).await?;
    Ok(())
}

/// On redeeming a Login as Customer ticket: the browser's guest carts are emptied, not merged
/// (SPEC §3.4 step 5): the agent works on the customer's own cart.
pub async fn drop_guest_carts(tx: &mut Tx<'_>, token: &str) -> Result<u64, AppError> {
    Ok(db::delete_guest_carts(tx, token).await?)
}

// ---------------------------------------------------------------------------------------
// The Address Book.

/// What an Address Book entry becomes.
#[derive(Clone, Debug)]
pub struct AddressInput {
    pub address: Address,
    pub default_billing: bool,
    pub default_shipping: bool,
}

/// Adds (`id` None) or changes an address of `customer`; its id. The first address becomes
/// both defaults.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_address(
    tx: &mut Tx<'_>,
    origin: &Origin,
    customer: i64,
    id: Option<i64>,
    input: &AddressInput,
) -> Result<i64, AppError> {
    let existing = db::addresses(&mut **tx, customer).await?;
    let (id, old) = match id {
        Some(id) => {
            let old = existing.iter().find(|a| a.id == id).cloned().ok_or(AppError::not_found(Msg::AddressNotFound))?;
            db::update_address(tx, id, &input.address).await?;
            (id, Some(old))
        }
        None => (db::insert_address(tx, customer, &input.address).await?, None),
    };
    let first = existing.is_empty();
    db::set_defaults(tx, customer, id, input.default_billing || first, input.default_shipping || first).await?;
    let new = db::address_of(&mut **tx, customer, id).await?;
    let action = if old.is_some() { "Save address" } else { "Add address" };
    let entry = Entry::change(audit::group::CUSTOMERS, action, "customer_address", id, old.as_ref(), new.as_ref());
    audit::write(tx, origin, entry).await?;
    Ok(id)
}

/// Deletes an address of `customer`. While assisting with `Restrict Sensitive Account
/// Changes`, a default address cannot be deleted.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_address(tx: &mut Tx<'_>, origin: &Origin, customer: i64, id: i64) -> Result<(), AppError> {
    let old = db::address_of(&mut **tx, customer, id).await?.ok_or(AppError::not_found(Msg::AddressNotFound))?;
    if assisted(origin)
        && (old.default_billing || old.default_shipping)
        && crate::server::assist::sensitive_restricted(tx).await?
    {
        return Err(AppError::forbidden(Msg::SensitiveChange));
    }
    db::delete_address(tx, id).await?;
    let entry =
        Entry::change(audit::group::CUSTOMERS, "Delete address", "customer_address", id, Some(&old), None::<&()>);
    audit::write(tx, origin, entry).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Checkout.

/// `Flat Rate` per item on `website` (`None`: not offered there).
pub async fn flat_rate(tx: &mut Tx<'_>, website: i64) -> Result<Option<i64>, AppError> {
    use crate::domain::config::{parse_money, FLAT_RATE_ACTIVE, FLAT_RATE_PRICE};
    if website_setting(tx, FLAT_RATE_ACTIVE, website).await? != "1" {
        return Ok(None);
    }
    Ok(Some(parse_money(&website_setting(tx, FLAT_RATE_PRICE, website).await?).unwrap_or(0)))
}

/// A setting in effect on `website` (its own value, else the default scope's, else the field's).
async fn website_setting(tx: &mut Tx<'_>, path: &'static str, website: i64) -> Result<String, AppError> {
    use crate::domain::config::{field, ScopeLevel};
    let (_, f) = field(path).ok_or(AppError::Internal)?;
    let set = crate::server::db::config::layers(&mut **tx, path, Some(website), None)
        .await?
        .set_value(f, ScopeLevel::Website);
    Ok(set.unwrap_or_else(|| f.default.to_string()))
}

/// Where the order goes: an Address Book entry, or a new address (optionally saved).
#[derive(Clone, Debug)]
pub enum ShipTo {
    Saved(i64),
    New { address: Box<Address>, save: bool },
}

/// What `Place Order` did: the order, and the products it sold out (their pages change).
#[derive(Clone, Debug)]
pub struct PlacedOrder {
    pub placed: Placed,
    pub sold_out: Vec<i64>,
}

/// What `Place Order` was given, checked.
#[derive(Clone, Debug)]
pub struct PlaceOrder {
    pub checkout_key: String,
    pub ship_to: ShipTo,
    /// A guest's email (a customer's is their account's).
    pub email: Option<crate::domain::input::Email>,
}

/// The customer's name and email, for the order's copy.
async fn customer_contact(tx: &mut Tx<'_>, id: i64) -> Result<(String, String, String), AppError> {
    let me = crate::server::db::customers::detail(&mut **tx, id)
        .await?
        .ok_or(AppError::unauthenticated(Msg::CustomerSignInNeeded))?;
    Ok((me.email, me.first_name, me.last_name))
}

/// `Place Order`: in one transaction, re-prices the cart, takes the stock (a unit another
/// order took first is refused with what is left), writes the order with its items, addresses
/// and totals, and empties the cart. The same checkout key placed again (a double click, a
/// replay) answers the order it made, once; a key from before the cart changed is refused.
#[tracing::instrument(skip_all, fields(store = %shop.view.code), err(level = "info"))]
pub async fn place_order(
    tx: &mut Tx<'_>,
    origin: &Origin,
    shop: &Shopping,
    input: &PlaceOrder,
) -> Result<PlacedOrder, AppError> {
    db::lock_cart(tx, &shop.owner).await?;
    if let Some((order_id, increment_id, customer)) = db::order_by_key(tx, &input.checkout_key).await? {
        // Only its own shopper learns of it; anyone else's key is simply out of date.
        if customer.is_some() && customer == shop.customer() {
            return Ok(PlacedOrder { placed: Placed { order_id, increment_id }, sold_out: Vec::new() });
        }
        return Err(AppError::invalid(Msg::CheckoutOutOfDate));
    }
    let (cart, key) = db::find_cart(&mut **tx, &shop.owner).await?.ok_or(AppError::invalid(Msg::CartEmpty))?;
    let lines = db::lines(&mut **tx, cart, shop.view.website_id, shop.group).await?;
    if lines.is_empty() {
        return Err(AppError::invalid(Msg::CartEmpty));
    }
    if key != input.checkout_key {
        return Err(AppError::invalid(Msg::CheckoutOutOfDate));
    }
    if let Some(line) = lines.iter().find(|l| !l.available) {
        return Err(AppError::invalid(Msg::ProductUnavailable { name: line.name.clone() }));
    }
    let rate = flat_rate(tx, shop.view.website_id).await?.ok_or(AppError::invalid(Msg::ShippingMethodUnknown))?;
    let mut sold_out = Vec::new();
    for line in &lines {
        if line.qty == line.stock {
            sold_out.push(line.product_id);
        }
        if !db::take_stock(tx, line.product_id, line.qty).await? {
            let left = db::product_stock(&mut **tx, line.product_id).await?.map(|(_, s)| s).unwrap_or(0);
            return Err(if left == 0 {
                AppError::invalid(Msg::OutOfStock { name: line.name.clone() })
            } else {
                AppError::invalid(Msg::NotEnoughStock { name: line.name.clone(), available: left })
            });
        }
    }
    let customer = shop.customer();
    let address = match (&input.ship_to, customer) {
        (ShipTo::Saved(id), Some(c)) => {
            db::address_of(&mut **tx, c, *id).await?.ok_or(AppError::not_found(Msg::AddressNotFound))?.address
        }
        (ShipTo::Saved(_), None) => return Err(AppError::not_found(Msg::AddressNotFound)),
        (ShipTo::New { address, save }, Some(c)) => {
            if *save {
                let input =
                    AddressInput { address: (**address).clone(), default_billing: false, default_shipping: false };
                save_address(tx, origin, c, None, &input).await?;
            }
            (**address).clone()
        }
        (ShipTo::New { address, .. }, None) => (**address).clone(),
    };
    let (email, first, last) = match customer {
        Some(c) => customer_contact(tx, c).await?,
        None => {
            let email = input.email.as_ref().ok_or(AppError::field("email", Msg::Required))?;
            (email.as_str().to_string(), address.first_name.clone(), address.last_name.clone())
        }
    };
    let total_qty: i64 = lines.iter().map(|l| l.qty).sum();
    let subtotal: i64 = lines.iter().map(|l| l.row_total).sum();
    let shipping = rate * total_qty;
    let increment_id = db::next_increment(tx, shop.view.id).await?;
    let (session, admin) = match &origin.actor {
        Actor::AdminAsCustomer { session_id, admin_id, .. } => (Some(*session_id), Some(*admin_id)),
        _ => (None, None),
    };
    let order_id = db::insert_order(
        tx,
        &db::NewOrder {
            increment_id: &increment_id,
            store_view_id: shop.view.id,
            website_id: shop.view.website_id,
            customer_id: customer,
            email: &email,
            first_name: &first,
            last_name: &last,
            group_id: shop.group,
            currency: &shop.view.currency,
            total_qty,
            subtotal,
            shipping_amount: shipping,
            grand_total: subtotal + shipping,
            checkout_key: &input.checkout_key,
            assistance_session_id: session,
            placed_by_admin_id: admin,
        },
    )
    .await?;
    for line in &lines {
        db::insert_item(tx, order_id, line).await?;
    }
    db::insert_order_address(tx, order_id, "shipping", &address).await?;
    db::insert_order_address(tx, order_id, "billing", &address).await?;
    if let Some(session) = session {
        let name = crate::server::db::assist::admin_full_name(&mut **tx, session).await?;
        db::insert_comment(tx, order_id, ORDER_PLACED_BY_STORE, "pending", true).await?;
        db::insert_comment(tx, order_id, &format!("Order Placed by {name} using Login as Customer"), "pending", false)
            .await?;
    }
    db::empty_cart(tx, cart).await?;
    let snapshot = OrderSnapshot {
        increment_id: &increment_id,
        items: &lines,
        subtotal,
        shipping,
        grand_total: subtotal + shipping,
        currency: &shop.view.currency,
    };
    let entry =
        Entry::change(audit::group::SALES, "Place order", "order", order_id, None::<&OrderSnapshot>, Some(&snapshot));
    audit::write(tx, origin, entry).await?;
    Ok(PlacedOrder { placed: Placed { order_id, increment_id }, sold_out })
}

/// The comment an order placed while assisting shows the shopper on `My Orders`.
pub const ORDER_PLACED_BY_STORE: &str = "Order Placed by Store Administrator";

#[derive(Serialize)]
struct OrderSnapshot<'a> {
    increment_id: &'a str,
    items: &'a [CartLine],
    subtotal: i64,
    shipping: i64,
    grand_total: i64,
    currency: &'a str,
}
