//! Two session scopes with their own cookies: the admin's (`sa_admin`, path `/admin`,
//! SameSite=Strict) and the shopper's (`sa_store`, SameSite=Lax). tower-sessions puts both in
//! request extensions as `Session`; the layers below rename each into its own type so code
//! can never confuse them. The raw session stays private: callers use the named operations
//! (who is signed in, sign in with a new id, verify, renew after a password change, sign out),
//! so keys live only in this file.
//!
//! A session holds the account's session epoch from sign-in (a password change raises it,
//! ending every other session) and when it was last seen (for the idle timeout, which
//! tower-sessions alone would not extend for requests that change nothing).

use crate::domain::error::AppError;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::{Expiry, Session};

pub const ADMIN_COOKIE: &str = "sa_admin";
pub const STORE_COOKIE: &str = "sa_store";

/// The cookie names in use. Over HTTPS they take the browser-enforced prefixes: the shopper's
/// `__Host-` (Secure, Path=/, no Domain: no subdomain can set or shadow it) and the admin's
/// `__Secure-` (it keeps its `/admin` path, which `__Host-` does not allow).
pub fn cookie_names(https: bool) -> [&'static str; 2] {
    if https {
        ["__Secure-sa_admin", "__Host-sa_store"]
    } else {
        [ADMIN_COOKIE, STORE_COOKIE]
    }
}

macro_rules! scoped_session {
    ($name:ident, $rename:ident) => {
        #[derive(Clone, Debug)]
        pub struct $name(Session);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = (axum::http::StatusCode, &'static str);

            async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
                parts
                    .extensions
                    .get::<$name>()
                    .cloned()
                    .ok_or((axum::http::StatusCode::INTERNAL_SERVER_ERROR, "session layer missing"))
            }
        }

        /// Moves the `Session` the layer just inserted into this scope's type.
        pub async fn $rename(mut req: Request, next: Next) -> Response {
            if let Some(session) = req.extensions_mut().remove::<Session>() {
                req.extensions_mut().insert($name(session));
            }
            next.run(req).await
        }
    };
}

scoped_session!(AdminSession, rename_admin_session);
scoped_session!(CustomerSession, rename_customer_session);

/// The admin scope's layer: names the session.
pub async fn rename_admin(req: Request, next: Next) -> Response {
    rename_admin_session(req, next).await
}

/// The shopper scope's layer: names the session.
pub async fn rename_customer(req: Request, next: Next) -> Response {
    rename_customer_session(req, next).await
}

/// Keys of one scope's session data.
struct Keys {
    id: &'static str,
    epoch: &'static str,
    seen: &'static str,
}

const ADMIN: Keys = Keys { id: "admin.id", epoch: "admin.epoch", seen: "admin.seen" };
const CUSTOMER: Keys = Keys { id: "customer.id", epoch: "customer.epoch", seen: "customer.seen" };

/// Activity is written back at most this often (seconds): a busy session costs one write a
/// minute, not one per request.
pub const TOUCH_EVERY_SECS: i64 = 60;

fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether a session last seen at `seen` is still alive at `now` under `idle_secs`, and
/// whether this request should write its activity back. Pure, so the rule has its own tests.
pub fn idle_rule(seen: i64, now: i64, idle_secs: i64) -> (bool, bool) {
    let alive = now - seen <= idle_secs;
    (alive, alive && now - seen >= TOUCH_EVERY_SECS.min(idle_secs / 2).max(1))
}

async fn sign_in_as(session: &Session, keys: &Keys, id: i64, epoch: i64, idle_secs: i64) -> Result<(), AppError> {
    // Nothing of whoever was signed in before carries over (an assistance session included).
    session.clear().await;
    session.cycle_id().await?;
    session.set_expiry(Some(Expiry::OnInactivity(time::Duration::seconds(idle_secs))));
    session.insert(keys.id, id).await?;
    session.insert(keys.epoch, epoch).await?;
    session.insert(keys.seen, now_secs()).await?;
    Ok(())
}

/// The signed-in id if the session is still good: signed in under the account's current
/// `epoch` (no password change since) and used within `idle_secs` (the setting as it is now,
/// so a changed setting applies to running sessions). A session that is not good ends here.
async fn verified(session: &Session, keys: &Keys, epoch: i64, idle_secs: i64) -> Result<bool, AppError> {
    let signed_epoch: Option<i64> = session.get(keys.epoch).await?;
    let seen: i64 = session.get(keys.seen).await?.unwrap_or_default();
    let now = now_secs();
    let (alive, touch) = idle_rule(seen, now, idle_secs);
    if signed_epoch != Some(epoch) || !alive {
        session.flush().await?;
        return Ok(false);
    }
    if touch {
        // Saving renews the stored session's expiry (and the cookie's) from now.
        session.set_expiry(Some(Expiry::OnInactivity(time::Duration::seconds(idle_secs))));
        session.insert(keys.seen, now).await?;
    }
    Ok(true)
}

/// After the signed-in account changed its own password: this session stays, under a new id
/// and the new epoch; every other session of the account has ended.
async fn renew(session: &Session, keys: &Keys, epoch: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(keys.epoch, epoch).await?;
    session.insert(keys.seen, now_secs()).await?;
    Ok(())
}

/// The named operations of one scope's session, over its keys; `$id` names who is signed in.
macro_rules! session_ops {
    ($name:ident, $keys:expr, $id:ident) => {
        impl $name {
            /// Who is signed in on this session, if anyone (not yet checked: see `verify`).
            pub async fn $id(&self) -> Result<Option<i64>, AppError> {
                Ok(self.0.get($keys.id).await?)
            }

            /// Signs `id` in under a new session id that ends after `idle_secs` without use.
            pub async fn sign_in(&self, id: i64, epoch: i64, idle_secs: i64) -> Result<(), AppError> {
                sign_in_as(&self.0, &$keys, id, epoch, idle_secs).await
            }

            /// Whether the session is still good (see [`verified`]); ends it when not.
            pub async fn verify(&self, epoch: i64, idle_secs: i64) -> Result<bool, AppError> {
                verified(&self.0, &$keys, epoch, idle_secs).await
            }

            /// Keeps this session after the account's own password change (new id, new epoch).
            pub async fn renew(&self, epoch: i64) -> Result<(), AppError> {
                renew(&self.0, &$keys, epoch).await
            }

            /// Ends the session and deletes it from the store.
            pub async fn sign_out(&self) -> Result<(), AppError> {
                Ok(self.0.flush().await?)
            }
        }
    };
}

session_ops!(AdminSession, ADMIN, admin_id);
session_ops!(CustomerSession, CUSTOMER, customer_id);

/// Keys of an assistance session on the shopper's side (Login as Customer).
const ASSIST: &str = "assist.id";
const NOTICE: &str = "notice";
/// The browser's guest cart token (its carts as a guest, one per website).
const GUEST_CART: &str = "cart.guest";

impl CustomerSession {
    /// Starts assisting `customer_id` in this browser: whoever was signed in here is signed
    /// out (nothing of their session is kept), and the session gets a new id.
    pub async fn sign_in_assisted(
        &self,
        customer_id: i64,
        epoch: i64,
        assist_id: i64,
        idle_secs: i64,
    ) -> Result<(), AppError> {
        sign_in_as(&self.0, &CUSTOMER, customer_id, epoch, idle_secs).await?;
        self.0.insert(ASSIST, assist_id).await?;
        Ok(())
    }

    /// The token of this browser's guest carts, if it has one.
    pub async fn guest_cart_token(&self) -> Result<Option<String>, AppError> {
        Ok(self.0.get(GUEST_CART).await?)
    }

    /// The token of this browser's guest carts, made (and the session stored) when it has none.
    pub async fn guest_cart_token_or_new(&self) -> Result<String, AppError> {
        if let Some(token) = self.guest_cart_token().await? {
            return Ok(token);
        }
        let token = super::db::sales::random_key();
        self.0.insert(GUEST_CART, &token).await?;
        Ok(token)
    }

    /// Keeps `token` as this browser's guest cart token (after a sign-in, which starts afresh).
    pub async fn keep_guest_cart_token(&self, token: &str) -> Result<(), AppError> {
        Ok(self.0.insert(GUEST_CART, token).await?)
    }

    /// The assistance session this browser is in, if any.
    pub async fn assisting(&self) -> Result<Option<i64>, AppError> {
        Ok(self.0.get(ASSIST).await?)
    }

    /// Signs out under a new id, keeping only a notice for the next page (why it ended). The
    /// notice is written before anyone is signed out: another data load of the same page that
    /// finds nobody signed in then finds the notice too.
    pub async fn sign_out_with_notice(&self, notice: &str) -> Result<(), AppError> {
        self.0.insert(NOTICE, notice).await?;
        for key in [CUSTOMER.id, CUSTOMER.epoch, CUSTOMER.seen, ASSIST] {
            self.0.remove_value(key).await?;
        }
        self.0.cycle_id().await?;
        Ok(())
    }

    /// The notice left for this page, removed as it is read. Only a session that holds one is
    /// changed: tower-sessions counts any removal as a change and would otherwise write the
    /// session back to the store on every storefront page.
    pub async fn take_notice(&self) -> Result<Option<String>, AppError> {
        if self.0.get::<String>(NOTICE).await?.is_none() {
            return Ok(None);
        }
        Ok(self.0.remove(NOTICE).await?)
    }
}

/// Whether the admin session `id` (from another request: the admin's own tab) is still the
/// admin's, signed in under `epoch` and not idle past `idle_secs`. With `touch`, activity in the
/// storefront tab counts as the admin's activity: the admin session is kept alive from now.
pub async fn admin_session_alive(
    store: &super::db::sessions::Store,
    id: &str,
    admin_id: i64,
    epoch: i64,
    idle_secs: i64,
    touch: bool,
) -> Result<bool, AppError> {
    use tower_sessions::SessionStore;
    let Ok(sid) = id.parse::<tower_sessions::session::Id>() else { return Ok(false) };
    let Some(mut record) = store.load(&sid).await.map_err(|e| {
        tracing::error!(%e, "loading an admin session");
        AppError::Internal
    })?
    else {
        return Ok(false);
    };
    let get = |key: &str| record.data.get(key).and_then(|v| v.as_i64());
    let now = now_secs();
    let alive = get(ADMIN.id) == Some(admin_id)
        && get(ADMIN.epoch) == Some(epoch)
        && idle_rule(get(ADMIN.seen).unwrap_or_default(), now, idle_secs).0
        && record.expiry_date > time::OffsetDateTime::now_utc();
    if alive && touch {
        record.data.insert(ADMIN.seen.to_string(), now.into());
        record.expiry_date = time::OffsetDateTime::now_utc() + time::Duration::seconds(idle_secs);
        store.save(&record).await.map_err(|e| {
            tracing::error!(%e, "keeping an admin session alive");
            AppError::Internal
        })?;
    }
    Ok(alive)
}

impl AdminSession {
    /// This session's id, to tie an assistance session to it (`None` before it is stored).
    pub fn id_string(&self) -> Option<String> {
        self.0.id().map(|id| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::idle_rule;

    #[test]
    fn activity_keeps_a_session_alive_and_is_written_back_at_most_once_a_minute() {
        // (seen, now, idle) -> (alive, write back)
        assert_eq!(idle_rule(1000, 1010, 900), (true, false), "ten seconds later: nothing to write");
        assert_eq!(idle_rule(1000, 1060, 900), (true, true), "a minute later: written back");
        assert_eq!(idle_rule(1000, 1900, 900), (true, true), "at the limit: still alive");
        assert_eq!(idle_rule(1000, 1901, 900), (false, false), "past the idle limit: ended");
        assert_eq!(idle_rule(1000, 1031, 60), (true, true), "a short limit is renewed at half of it");
    }
}
