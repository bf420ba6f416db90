//! The handoff from the admin tab to the storefront tab (Login as Customer).
//!
//! The start answers `/admin/login-as-customer/open#<secret>`. The fragment never leaves the
//! browser (no server, proxy or Referer sees it); this small page reads it, removes it from
//! the address bar and history, and POSTs it to `/admin/login-as-customer/redeem`. The redeem
//! lives under `/admin` so the admin's own cookie comes with it: a ticket is redeemed only in
//! the browser, and the admin session, that started it. On success the storefront session is
//! replaced (new id, nobody else signed in) and the tab lands on My Account.

use super::actions::assist;
use super::session::{AdminSession, CustomerSession};
use super::state::AppState;
use crate::domain::error::AppError;
use crate::domain::msg::Msg;
use crate::domain::store::store_href;
use crate::l10n::{self, Locale, RequestLocale};
use crate::tr_in;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

pub use crate::domain::assist::{OPEN_PATH, REDEEM_PATH};

fn nonce() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A small page of its own (not the app): nothing on it but the redemption.
fn page(status: StatusCode, locale: Locale, title: &str, body: &str, nonce: Option<&str>) -> Response {
    let script_src = nonce.map_or("'none'".to_string(), |n| format!("'nonce-{n}'"));
    let csp = format!(
        "default-src 'none'; script-src {script_src}; style-src 'self'; form-action 'self'; base-uri 'none'; \
         frame-ancestors 'none'"
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body><main class=\"handoff\"><h1>{title}</h1>{body}</main></body></html>",
        lang = l10n::code(locale)
    );
    let mut res = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /admin/login-as-customer/open#<secret>`.
pub async fn open(locale: Option<axum::Extension<RequestLocale>>) -> Response {
    let locale = locale.map_or_else(Locale::default, |l| l.0 .0);
    let nonce = nonce();
    let needs_js = html_escape(&tr_in!(locale, admin.handoff.needs_js));
    let no_ticket = html_escape(&tr_in!(locale, admin.handoff.no_ticket));
    let body = format!(
        "<form id=\"redeem\" method=\"post\" action=\"{REDEEM_PATH}\"><input type=\"hidden\" name=\"ticket\" id=\"ticket\">\
         <noscript><p>{needs_js}</p></noscript></form>\
         <p id=\"missing\" hidden>{no_ticket}</p>\
         <script nonce=\"{nonce}\">(function(){{var t=location.hash.slice(1);\
         history.replaceState(null,'',location.pathname);\
         if(t){{document.getElementById('ticket').value=t;document.getElementById('redeem').submit();}}\
         else{{document.getElementById('missing').hidden=false;}}}})();</script>"
    );
    page(StatusCode::OK, locale, &html_escape(&tr_in!(locale, admin.handoff.opening)), &body, Some(&nonce))
}

#[derive(serde::Deserialize)]
pub struct RedeemForm {
    ticket: String,
}

/// `POST /admin/login-as-customer/redeem` with `ticket=<secret>`.
pub async fn redeem(
    State(state): State<AppState>,
    admin_session: AdminSession,
    customer_session: CustomerSession,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<axum::Form<RedeemForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let locale = super::locale::for_admin(&state, Some(admin_session.clone()), &headers).await;
    // The switch first, as on every path of the feature: nothing is read while it is off.
    let redeemed = match crate::server::assist::ensure_enabled(&state.db.pool).await {
        Err(off) => Err(off),
        Ok(()) => match form {
            Ok(axum::Form(form)) => {
                try_redeem(&state, admin_session, customer_session, addr, &headers, &form.ticket).await
            }
            Err(_) => Err(AppError::forbidden(Msg::TicketRefused)),
        },
    };
    match redeemed {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = html_escape(&l10n::message(locale, &err.msg()));
            let back = html_escape(&tr_in!(locale, admin.handoff.back));
            page(
                status,
                locale,
                &html_escape(&tr_in!(locale, admin.handoff.failed)),
                &format!("<p role=\"alert\">{text}</p><p><a href=\"/admin/customers\">{back}</a></p>"),
                None,
            )
        }
    }
}

async fn try_redeem(
    state: &AppState,
    admin_session: AdminSession,
    customer_session: CustomerSession,
    addr: SocketAddr,
    headers: &HeaderMap,
    secret: &str,
) -> Result<String, AppError> {
    let admin = super::guard::load_admin(state, admin_session)
        .await?
        .ok_or(AppError::unauthenticated(Msg::HandoffSignInFirst))?;
    let who = admin.assistant()?;
    let ua = crate::server::client::user_agent(headers);
    let handoff = assist::redeem(state, &who, (&addr.ip().to_string(), &ua), secret).await?;
    let idle = crate::server::assist::settings(&state.db.pool).await?.idle_ms / 1000;
    // Whatever this browser held as a guest is emptied, not merged (SPEC §3.4 step 5).
    if let Some(token) = customer_session.guest_cart_token().await? {
        let mut tx = state.db.begin().await?;
        crate::server::actions::sales::drop_guest_carts(&mut tx, &token).await?;
        tx.commit().await?;
    }
    customer_session.sign_in_assisted(handoff.customer_id, handoff.customer_epoch, handoff.session_id, idle).await?;
    let code = if handoff.default_view { "" } else { handoff.store_code.as_str() };
    Ok(store_href(code, "/customer/account"))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
