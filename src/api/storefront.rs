//! The shopper's side: which store view a page is on, registration, sign-in, sign-out and
//! Account Information.

use crate::domain::error::AppError;
use crate::domain::forms::{AccountForm, CustomerSignInForm, RegisterForm};
use crate::domain::model::{CustomerMe, StoreView, StorefrontContext};
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;

/// The store view a path addresses; unknown codes answer 404. Public.
#[server(prefix = "/api/store", endpoint = "store")]
pub async fn get_store_view(#[server(default)] store: String) -> Result<StoreView, AppError> {
    crate::server::guard::store_view(&store).await
}

/// The store view, the signed-in shopper (for the header) and the consent checkbox as the
/// store view shows it. Public.
#[server(prefix = "/api/store", endpoint = "context")]
pub async fn get_storefront_context(#[server(default)] store: String) -> Result<StorefrontContext, AppError> {
    use crate::domain::assist::EndReason;
    use crate::server::db::customers;
    use crate::server::guard;
    let view = crate::server::guard::store_view(&store).await?;
    let state = guard::state()?;
    let shopper = guard::shopper_on(&view).await?;
    if crate::server::page_cache::public_render() {
        // A page kept for every shopper of this group: nothing of this shopper's own.
        let consent = crate::server::actions::consent::checkbox(&state.db.pool, &view, None).await?;
        let cart = crate::domain::sales::MiniCart { currency: view.currency.clone(), count: 0, subtotal: 0 };
        let member = shopper.is_some();
        return Ok(StorefrontContext {
            store: view,
            customer: None,
            consent,
            assisted: None,
            notice: None,
            cart,
            public: true,
            member,
        });
    }
    let id = shopper.as_ref().map(|s| s.id);
    let customer = match id {
        Some(id) => customers::me(&state.db.pool, id).await?,
        None => None,
    };
    let consent = crate::server::actions::consent::checkbox(&state.db.pool, &view, id).await?;
    let notice = guard::customer_session()?.take_notice().await?.as_deref().and_then(EndReason::from_code);
    let cart = crate::api::sales::current_cart(&store).await?;
    let cart = crate::domain::sales::MiniCart { currency: cart.currency, count: cart.count, subtotal: cart.subtotal };
    let member = shopper.is_some();
    Ok(StorefrontContext {
        store: view,
        customer,
        consent,
        assisted: shopper.and_then(|s| s.assisted),
        notice,
        cart,
        public: false,
        member,
    })
}

/// Creates an account on the store's website and signs the shopper in. Returns where to go next.
#[server(prefix = "/api/store", endpoint = "register")]
pub async fn register(#[server(default)] form: RegisterForm) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    use crate::server::actions::{self, customers::Registration};
    use crate::server::guard;
    use crate::server::password::Requester;

    let view = crate::server::guard::store_view(&form.store).await?;
    let input = Registration::try_from(&form)?;
    let state = guard::state()?;
    let (ip, user_agent) = guard::client();
    let hash = actions::hash_new_password(&state.hasher, &Requester::shopper(&ip), &input.password).await?;
    leave_assistance().await?;
    let session = guard::customer_session()?;
    let guest_cart = session.guest_cart_token().await?;
    let mut tx = state.db.begin().await?;
    let id = actions::customers::register(&mut tx, (&ip, &user_agent), &view, &input, &hash).await?;
    if let Some(token) = &guest_cart {
        actions::sales::merge_guest_cart(&mut tx, token, view.website_id, id).await?;
    }
    tx.commit().await?;
    // A new account starts at session epoch 0.
    session.sign_in(id, 0, state.settings.customer_session_idle_secs).await?;
    if let Some(token) = &guest_cart {
        session.keep_guest_cart_token(token).await?;
    }
    Ok(store_href(&form.store, "/customer/account"))
}

/// Signs a shopper in on this store's website (or any website under Global sharing). Wrong
/// email, wrong password and a lock answer alike; too many failures from one address lock
/// that email from that address for a while (Customer Configuration > Password Options).
#[server(prefix = "/api/store", endpoint = "sign_in")]
pub async fn customer_sign_in(#[server(default)] form: CustomerSignInForm) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    use crate::server::guard;
    let view = crate::server::guard::store_view(&form.store).await?;
    let state = guard::state()?;
    let (ip, _) = guard::client();
    let signed = crate::server::actions::sign_in::customer(&state, &view, &ip, &form).await?;
    leave_assistance().await?;
    let session = guard::customer_session()?;
    // The guest's cart on this website joins the customer's (quantities add).
    let guest_cart = session.guest_cart_token().await?;
    if let Some(token) = &guest_cart {
        let mut tx = state.db.begin().await?;
        crate::server::actions::sales::merge_guest_cart(&mut tx, token, view.website_id, signed.id).await?;
        tx.commit().await?;
    }
    session.sign_in(signed.id, signed.epoch, state.settings.customer_session_idle_secs).await?;
    if let Some(token) = &guest_cart {
        // Guest carts on other websites stay this browser's (Per Website sharing).
        session.keep_guest_cart_token(token).await?;
    }
    Ok(store_href(&form.store, "/customer/account"))
}

/// Ends the assistance session running in this browser, if any, as closed (a sign-in,
/// registration or sign-out in the storefront tab replaces it).
#[cfg(feature = "ssr")]
async fn leave_assistance() -> Result<bool, AppError> {
    use crate::domain::assist::EndReason;
    use crate::server::db::assist::Running;
    use crate::server::guard;
    let session = guard::customer_session()?;
    let Some(id) = session.assisting().await? else { return Ok(false) };
    let state = guard::state()?;
    let actor = crate::server::assist::actor(&state.db.pool, id).await?.ok_or(AppError::Internal)?;
    let mut tx = state.db.begin().await?;
    crate::server::assist::end_running(&mut tx, &guard::origin(actor), Running::One(id), EndReason::Closed).await?;
    tx.commit().await?;
    Ok(true)
}

/// Signs the shopper out (while an admin assists, this closes the assistance session).
#[server(prefix = "/api/store", endpoint = "sign_out")]
pub async fn customer_sign_out() -> Result<(), AppError> {
    leave_assistance().await?;
    crate::server::guard::customer_session()?.sign_out().await
}

/// `Close Session` on the banner: ends the assistance session and signs the storefront tab
/// out. Answers where to go: the page that says `You are signed out`.
#[server(prefix = "/api/store", endpoint = "assist_close")]
pub async fn close_assistance(#[server(default)] store: String) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    crate::server::assist::ensure_enabled(&crate::server::guard::state()?.db.pool).await?;
    // Only an existing store view's code: the answer is where the browser goes next.
    let view = crate::server::guard::store_view(&store).await?;
    let shopper = crate::server::guard::shopper_at(&view).await?;
    if shopper.assisted.is_none() {
        return Err(AppError::invalid(Msg::NoAssistanceRunning));
    }
    leave_assistance().await?;
    crate::server::guard::customer_session()?.sign_out().await?;
    Ok(store_href(&store, "/customer/account/logoutSuccess"))
}

/// The signed-in shopper's Account Information, with the consent checkbox as this store view
/// shows it (while Login as Customer is enabled).
#[server(prefix = "/api/store", endpoint = "account")]
pub async fn account_info(#[server(default)] store: String) -> Result<CustomerMe, AppError> {
    use crate::server::db::customers;
    use crate::server::guard;
    let view = crate::server::guard::store_view(&store).await?;
    let id = guard::shopper_at(&view).await?.id;
    let state = guard::state()?;
    let mut me =
        customers::me(&state.db.pool, id).await?.ok_or(AppError::unauthenticated(Msg::CustomerSignInNeeded))?;
    me.consent = crate::server::actions::consent::checkbox(&state.db.pool, &view, Some(id)).await?;
    Ok(me)
}

/// Saves Account Information. Changing the email or the password needs the current password
/// (a wrong one counts as a failed sign-in); a new password ends the shopper's other sessions.
#[server(prefix = "/api/store", endpoint = "account_save")]
pub async fn save_account_info(
    #[server(default)] store: String,
    #[server(default)] form: AccountForm,
) -> Result<(), AppError> {
    use crate::server::actions::{self, customers::AccountChange};
    use crate::server::guard;
    use crate::server::password::Requester;

    let view = crate::server::guard::store_view(&store).await?;
    let shopper = guard::shopper_at(&view).await?;
    let id = shopper.id;
    let input = AccountChange::try_from(&form)?;
    let state = guard::state()?;
    let origin = guard::origin(shopper.actor().await?);
    // Refused before the current password is asked for (the action checks again).
    actions::customers::ensure_not_restricted(&mut state.db.begin().await?, &origin, &input).await?;
    // Passwords are checked and hashed before the transaction: no write lock waits on argon2.
    let (ip, _) = guard::client();
    if let Some(current) = &input.current_password {
        actions::sign_in::confirm_customer(&state, id, &ip, current).await?;
    }
    let new_hash = match &input.password {
        Some(p) => Some(actions::hash_new_password(&state.hasher, &Requester::shopper(&ip), p).await?),
        None => None,
    };
    let mut tx = state.db.begin().await?;
    let epoch = actions::customers::save_account(&mut tx, &origin, id, &input, new_hash.as_ref()).await?;
    tx.commit().await?;
    if new_hash.is_some() {
        // Every other session of the shopper has ended; this one stays, under a new id.
        guard::customer_session()?.renew(epoch).await?;
    }
    Ok(())
}

/// The signed-in shopper's Assistance History: each session an admin opened on their account,
/// newest first, with who (the name shown to customers), when, how long and what was done.
#[server(prefix = "/api/store", endpoint = "assistance_history")]
pub async fn assistance_history(
    #[server(default)] store: String,
) -> Result<Vec<crate::domain::assist::HistoryItem>, AppError> {
    use crate::server::guard;
    let view = crate::server::guard::store_view(&store).await?;
    let id = guard::shopper_at(&view).await?.id;
    Ok(crate::server::db::assist::history(&guard::state()?.db.pool, id, 50).await?)
}

/// `Delete Account`: asks for the shopper's password (a wrong one counts as a failed sign-in),
/// erases the account and signs the browser out. Answers where to go: the home page.
#[server(prefix = "/api/store", endpoint = "account_delete")]
pub async fn delete_account(
    #[server(default)] store: String,
    #[server(default)] form: crate::domain::forms::DeleteAccountForm,
) -> Result<String, AppError> {
    use crate::domain::store::store_href;
    use crate::server::guard;
    let view = crate::server::guard::store_view(&store).await?;
    let shopper = guard::shopper_at(&view).await?;
    let origin = guard::origin(shopper.actor().await?);
    let state = guard::state()?;
    // Refused before the password is asked for (the action checks again).
    if shopper.assisted.is_some() && crate::server::assist::sensitive_restricted(&mut state.db.begin().await?).await? {
        return Err(AppError::forbidden(Msg::SensitiveChange));
    }
    if form.password.is_empty() {
        return Err(AppError::field("password", Msg::Required));
    }
    let (ip, _) = guard::client();
    crate::server::actions::sign_in::confirm_customer(&state, shopper.id, &ip, &form.password).await?;
    let mut tx = state.db.begin().await?;
    crate::server::actions::customers::delete_account(&mut tx, &origin, shopper.id).await?;
    tx.commit().await?;
    guard::customer_session()?.sign_out().await?;
    Ok(store_href(&store, "/"))
}
