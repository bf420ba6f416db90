//! Two session scopes with their own cookies: the admin's (`sa_admin`, path `/admin`,
//! SameSite=Strict) and the shopper's (`sa_store`, SameSite=Lax). tower-sessions puts both in
//! request extensions as `Session`; the layers below rename each into its own type so code
//! can never confuse them. The raw session stays private: callers use the named operations
//! (who is signed in, sign in with a new id, sign out), so keys live only in this file.

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

scoped_session!(AdminSession, rename_admin);
scoped_session!(CustomerSession, rename_customer);

const ADMIN_ID: &str = "admin.id";
const CUSTOMER_ID: &str = "customer.id";

impl AdminSession {
    /// The admin signed in on this session, if any.
    pub async fn admin_id(&self) -> Result<Option<i64>, AppError> {
        Ok(self.0.get(ADMIN_ID).await?)
    }

    /// Signs `admin_id` in under a new session id that expires after `idle_secs` without use.
    pub async fn sign_in(&self, admin_id: i64, idle_secs: i64) -> Result<(), AppError> {
        self.0.cycle_id().await?;
        self.0.set_expiry(Some(Expiry::OnInactivity(time::Duration::seconds(idle_secs))));
        self.0.insert(ADMIN_ID, admin_id).await?;
        Ok(())
    }

    /// Ends the session and deletes it from the store.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        Ok(self.0.flush().await?)
    }
}

impl CustomerSession {
    /// The shopper signed in on this session, if any.
    pub async fn customer_id(&self) -> Result<Option<i64>, AppError> {
        Ok(self.0.get(CUSTOMER_ID).await?)
    }

    /// Signs the shopper in under a new session id.
    pub async fn sign_in(&self, customer_id: i64) -> Result<(), AppError> {
        self.0.cycle_id().await?;
        self.0.insert(CUSTOMER_ID, customer_id).await?;
        Ok(())
    }

    pub async fn sign_out(&self) -> Result<(), AppError> {
        Ok(self.0.flush().await?)
    }
}
