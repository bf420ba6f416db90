//! The shopper's cart, checkout, Address Book and orders. The cart and the checkout are public
//! (a guest's cart is keyed by their browser's session); the Address Book and `My Orders` need
//! a signed-in shopper. An admin assisting a shopper works on the shopper's own cart, and
//! what they change is logged with the assistance session.

use crate::domain::error::AppError;
use crate::domain::forms::{AddressForm, CartLineForm, PlaceOrderForm};
use crate::domain::sales::{Cart, Checkout, OrderList, OrderView, Placed, SavedAddress};
use leptos::prelude::*;

/// Who shops on `store`, with whose prices; `create` makes a guest's cart token when the
/// browser has none (`None`: a guest without a cart, for reads).
#[cfg(feature = "ssr")]
async fn shopping(
    store: &str,
    create: bool,
) -> Result<(Option<crate::server::actions::sales::Shopping>, crate::server::db::audit::Origin), AppError> {
    use crate::server::actions::sales::Shopping;
    use crate::server::db::audit::Actor;
    use crate::server::db::catalog;
    use crate::server::db::sales::Owner;
    use crate::server::guard;
    let view = crate::server::guard::store_view(store).await?;
    let pool = &guard::state()?.db.pool;
    if let Some(shopper) = guard::shopper_on(&view).await? {
        let group = match catalog::customer_group(pool, shopper.id).await? {
            Some(g) => g,
            None => catalog::guest_group(pool).await?,
        };
        let origin = guard::origin(shopper.actor().await?);
        return Ok((Some(Shopping { view, owner: Owner::Customer(shopper.id), group }), origin));
    }
    let origin = guard::origin(Actor::Anonymous { claimed: "guest".into(), admin_id: None });
    let session = guard::customer_session()?;
    let token =
        if create { Some(session.guest_cart_token_or_new().await?) } else { session.guest_cart_token().await? };
    let Some(token) = token else { return Ok((None, origin)) };
    let group = catalog::guest_group(pool).await?;
    let website_id = view.website_id;
    Ok((Some(Shopping { view, owner: Owner::Guest { token, website_id }, group }), origin))
}

/// The cart of whoever is on `store` (an empty one for a guest without a cart).
#[cfg(feature = "ssr")]
pub(crate) async fn current_cart(store: &str) -> Result<Cart, AppError> {
    let (shop, _) = shopping(store, false).await?;
    let Some(shop) = shop else {
        let view = crate::server::guard::store_view(store).await?;
        return Ok(Cart { currency: view.currency, ..Cart::default() });
    };
    let mut tx = crate::server::guard::state()?.db.pool.begin().await?;
    let cart = crate::server::actions::sales::cart(&mut tx, &shop).await?;
    tx.commit().await?;
    Ok(cart)
}

/// The shopping cart, priced now for the shopper's group.
#[server(prefix = "/api/store", endpoint = "cart")]
pub async fn get_cart(#[server(default)] store: String) -> Result<Cart, AppError> {
    current_cart(&store).await
}

/// Runs one cart change in a transaction of its own and answers the cart after it.
#[cfg(feature = "ssr")]
async fn change_cart<F>(store: &str, change: F) -> Result<Cart, AppError>
where
    F: for<'a> FnOnce(
        &'a mut crate::server::db::Tx<'static>,
        &'a crate::server::db::audit::Origin,
        &'a crate::server::actions::sales::Shopping,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>> + Send + 'a>>,
{
    let (shop, origin) = shopping(store, true).await?;
    let shop = shop.ok_or(AppError::Internal)?;
    let state = crate::server::guard::state()?;
    let mut tx = state.db.begin().await?;
    change(&mut tx, &origin, &shop).await?;
    let cart = crate::server::actions::sales::cart(&mut tx, &shop).await?;
    tx.commit().await?;
    Ok(cart)
}

/// `Add to Cart`: `qty` (1–10,000) more of `product`.
#[server(prefix = "/api/store", endpoint = "cart_add")]
pub async fn add_to_cart(
    #[server(default)] store: String,
    #[server(default)] form: CartLineForm,
) -> Result<Cart, AppError> {
    use crate::domain::forms::fields::cart_line as f;
    use crate::domain::msg::Msg;
    use crate::domain::sales::parse_qty;
    let product = crate::domain::input::parse_id(&form.product, Msg::ProductNotFound)?;
    let qty = parse_qty(&form.qty, f::qty.key)?;
    change_cart(&store, move |tx, origin, shop| {
        Box::pin(crate::server::actions::sales::add(tx, origin, shop, product, qty))
    })
    .await
}

/// The cart's quantity box: the line's new quantity (1–10,000).
#[server(prefix = "/api/store", endpoint = "cart_update")]
pub async fn update_cart(
    #[server(default)] store: String,
    #[server(default)] form: CartLineForm,
) -> Result<Cart, AppError> {
    use crate::domain::forms::fields::cart_line as f;
    use crate::domain::msg::Msg;
    use crate::domain::sales::parse_qty;
    let product = crate::domain::input::parse_id(&form.product, Msg::NotInCart)?;
    let qty = parse_qty(&form.qty, f::qty.key)?;
    change_cart(&store, move |tx, origin, shop| {
        Box::pin(crate::server::actions::sales::set_qty(tx, origin, shop, product, qty))
    })
    .await
}

/// Removes a line from the cart.
#[server(prefix = "/api/store", endpoint = "cart_remove")]
pub async fn remove_from_cart(
    #[server(default)] store: String,
    #[server(default)] product: String,
) -> Result<Cart, AppError> {
    use crate::domain::msg::Msg;
    let product = crate::domain::input::parse_id(&product, Msg::NotInCart)?;
    change_cart(&store, move |tx, origin, shop| {
        Box::pin(crate::server::actions::sales::remove(tx, origin, shop, product))
    })
    .await
}

/// The checkout page's data: the cart priced now, the Address Book, Flat Rate and totals,
/// and this checkout's key.
#[server(prefix = "/api/store", endpoint = "checkout")]
pub async fn get_checkout(#[server(default)] store: String) -> Result<Checkout, AppError> {
    use crate::server::db::sales::{self as db, Owner};
    let (shop, _) = shopping(&store, true).await?;
    let shop = shop.ok_or(AppError::Internal)?;
    let state = crate::server::guard::state()?;
    let mut tx = state.db.begin().await?;
    let cart = crate::server::actions::sales::cart(&mut tx, &shop).await?;
    db::cart_for(&mut tx, &shop.owner, shop.view.website_id).await?;
    let key = db::find_cart(&mut *tx, &shop.owner).await?.map(|(_, k)| k).ok_or(AppError::Internal)?;
    let (addresses, email) = match shop.owner {
        Owner::Customer(id) => (
            db::addresses(&mut *tx, id).await?,
            crate::server::db::customers::detail(&mut *tx, id).await?.map(|c| c.email),
        ),
        Owner::Guest { .. } => (Vec::new(), None),
    };
    let flat_rate = crate::server::actions::sales::flat_rate(&mut tx, shop.view.website_id).await?;
    tx.commit().await?;
    let shipping = flat_rate.unwrap_or(0) * cart.count;
    Ok(Checkout {
        grand_total: cart.subtotal + shipping,
        shipping,
        cart,
        addresses,
        flat_rate,
        checkout_key: key,
        email,
    })
}

/// `Place Order`. The same checkout key placed twice answers the one order it made.
#[server(prefix = "/api/store", endpoint = "place_order")]
pub async fn place_order(
    #[server(default)] store: String,
    #[server(default)] form: PlaceOrderForm,
) -> Result<Placed, AppError> {
    use crate::domain::error::FieldErrors;
    use crate::domain::forms::fields::place_order as f;
    use crate::domain::msg::Msg;
    use crate::domain::sales::{Address, CHECK_MONEY_ORDER, FLAT_RATE};
    use crate::server::actions::sales::{PlaceOrder, ShipTo};
    use crate::server::db::sales::Owner;
    let (shop, origin) = shopping(&store, true).await?;
    let shop = shop.ok_or(AppError::Internal)?;
    let guest = matches!(shop.owner, Owner::Guest { .. });
    let mut errors = FieldErrors::default();
    let ship_to = if form.address_id.trim() == "new" || (guest && form.address_id.trim().is_empty()) {
        errors
            .check(Address::parse(&form.address(), |k| k))
            .map(|address| ShipTo::New { address: Box::new(address), save: form.save_address.get() && !guest })
    } else {
        errors.check(crate::domain::input::parse_id(&form.address_id, Msg::AddressNotFound)).map(ShipTo::Saved)
    };
    let email = if guest { errors.check(crate::domain::input::Email::parse(&form.email, f::email.key)) } else { None };
    if form.shipping_method != FLAT_RATE {
        errors.add(f::shipping_method.key, Msg::ShippingMethodUnknown);
    }
    if form.payment_method != CHECK_MONEY_ORDER {
        errors.add(f::payment_method.key, Msg::PaymentMethodUnknown);
    }
    errors.finish()?;
    let input = PlaceOrder {
        checkout_key: form.checkout_key.trim().to_string(),
        ship_to: ship_to.ok_or(AppError::Internal)?,
        email,
    };
    let state = crate::server::guard::state()?;
    let mut tx = state.db.begin().await?;
    let done = crate::server::actions::sales::place_order(&mut tx, &origin, &shop, &input).await?;
    tx.commit().await?;
    // A product sold out shows `Out of stock` now: its pages (and the lists showing it) go.
    let tags: Vec<String> = done.sold_out.iter().map(|id| crate::server::page_cache::product_tag(*id)).collect();
    state.page_cache.invalidate(&tags).await;
    Ok(done.placed)
}

/// The signed-in shopper on `store` and who acts (them, or the admin assisting them).
#[cfg(feature = "ssr")]
async fn customer(store: &str) -> Result<(i64, crate::server::db::audit::Origin), AppError> {
    use crate::server::guard;
    let view = crate::server::guard::store_view(store).await?;
    let shopper = guard::shopper_at(&view).await?;
    let origin = guard::origin(shopper.actor().await?);
    Ok((shopper.id, origin))
}

/// `My Orders`: a page of the shopper's orders, newest first.
#[server(prefix = "/api/store", endpoint = "orders")]
pub async fn my_orders(
    #[server(default)] store: String,
    #[server(default)] page: String,
) -> Result<OrderList, AppError> {
    let (id, _) = customer(&store).await?;
    let page = crate::domain::catalog::page_number(&page);
    Ok(crate::server::db::sales::customer_orders(&crate::server::guard::state()?.db.pool, id, page).await?)
}

/// One of the shopper's orders; anyone else's is not found.
#[server(prefix = "/api/store", endpoint = "order")]
pub async fn my_order(#[server(default)] store: String, #[server(default)] id: String) -> Result<OrderView, AppError> {
    use crate::domain::msg::Msg;
    let (customer, _) = customer(&store).await?;
    let id = crate::domain::input::parse_id(&id, Msg::OrderNotFound)?;
    crate::server::db::sales::customer_order(&crate::server::guard::state()?.db.pool, customer, id)
        .await?
        .ok_or(AppError::not_found(Msg::OrderNotFound))
}

/// The shopper's Address Book.
#[server(prefix = "/api/store", endpoint = "addresses")]
pub async fn my_addresses(#[server(default)] store: String) -> Result<Vec<SavedAddress>, AppError> {
    let (id, _) = customer(&store).await?;
    Ok(crate::server::db::sales::addresses(&crate::server::guard::state()?.db.pool, id).await?)
}

/// Adds or changes an Address Book entry; its id.
#[server(prefix = "/api/store", endpoint = "address_save")]
pub async fn save_address(
    #[server(default)] store: String,
    #[server(default)] form: AddressForm,
) -> Result<i64, AppError> {
    use crate::domain::msg::Msg;
    use crate::domain::sales::Address;
    use crate::server::actions::sales::AddressInput;
    let (customer, origin) = customer(&store).await?;
    let id = crate::server::actions::optional_id(&form.id, Msg::AddressNotFound)?;
    let address = Address::parse(&form.address(), |k| k)?;
    let input = AddressInput {
        address,
        default_billing: form.default_billing.get(),
        default_shipping: form.default_shipping.get(),
    };
    let state = crate::server::guard::state()?;
    let mut tx = state.db.begin().await?;
    let id = crate::server::actions::sales::save_address(&mut tx, &origin, customer, id, &input).await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes an Address Book entry.
#[server(prefix = "/api/store", endpoint = "address_delete")]
pub async fn delete_address(#[server(default)] store: String, #[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::msg::Msg;
    let (customer, origin) = customer(&store).await?;
    let id = crate::domain::input::parse_id(&id, Msg::AddressNotFound)?;
    let state = crate::server::guard::state()?;
    let mut tx = state.db.begin().await?;
    crate::server::actions::sales::delete_address(&mut tx, &origin, customer, id).await?;
    tx.commit().await?;
    Ok(())
}
