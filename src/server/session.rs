//! Two session scopes with their own cookies: the admin's (`sa_admin`, path `/admin`,
//! SameSite=Strict) and the shopper's (`sa_store`, SameSite=Lax). tower-sessions puts both in
//! request extensions as `Session`; the layers below rename each into its own type so code
//! can never confuse them. Keys are constants here; ids are cycled on every sign-in.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

pub const ADMIN_COOKIE: &str = "sa_admin";
pub const STORE_COOKIE: &str = "sa_store";

macro_rules! scoped_session {
    ($name:ident, $rename:ident) => {
        #[derive(Clone, Debug)]
        pub struct $name(pub Session);

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

impl AdminSession {
    pub const ADMIN_ID: &'static str = "admin.id";
}

impl CustomerSession {
    pub const CUSTOMER_ID: &'static str = "customer.id";
}
