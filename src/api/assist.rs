//! Login as Customer from the admin: the dialog's data and the start. (The storefront side,
//! `Close Session`, is in `storefront`; the ticket is redeemed by `server::handoff`.) Every
//! function checks first that the feature is enabled, for every caller, then the resource.

use crate::domain::assist::{StartDialog, Started};
use crate::domain::error::AppError;
use crate::domain::forms::StartAssistForm;
use leptos::prelude::*;

/// The admin assisting, from the signed-in admin with `Allow Login as Customer`.
#[cfg(feature = "ssr")]
async fn assistant() -> Result<crate::server::actions::assist::Assistant, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::{actions::assist, guard};
    assist::ensure_enabled(&guard::state()?.db.pool).await?;
    let admin = guard::admin(Resource::LoginAsCustomerLogin).await?;
    let admin_session = admin.session.id_string().ok_or_else(|| {
        tracing::error!("a signed-in admin session without an id");
        AppError::Internal
    })?;
    Ok(assist::Assistant {
        id: admin.id,
        name: format!("{} {}", admin.first_name, admin.last_name),
        username: admin.username,
        grant: admin.grant,
        admin_session,
    })
}

/// What the `Login as Customer` button opens for a customer: the refusal dialog, or the
/// confirmation with the store choice, the reason field and who else is assisting.
#[server(prefix = "/admin/api", endpoint = "assist_dialog")]
pub async fn assist_dialog(#[server(default)] customer_id: String) -> Result<StartDialog, AppError> {
    use crate::domain::input::parse_id;
    use crate::server::{actions::assist, guard};
    let who = assistant().await?;
    let id = parse_id(&customer_id, "Customer")?;
    assist::dialog(&guard::state()?.db.pool, &who, id).await
}

/// Starts assisting a customer; answers with the address the storefront tab opens (the
/// single-use secret in its fragment).
#[server(prefix = "/admin/api", endpoint = "assist_start")]
pub async fn start_assist(#[server(default)] form: StartAssistForm) -> Result<Started, AppError> {
    use crate::server::actions::assist::{self, StartInput};
    use crate::server::db::audit::Actor;
    use crate::server::guard;
    let who = assistant().await?;
    let input = StartInput::try_from(&form)?;
    let state = guard::state()?;
    let origin = guard::origin(Actor::Admin { id: who.id, username: who.username.clone() });
    let mut tx = state.db.begin().await?;
    let started = assist::start(&mut tx, &origin, &who, &input).await?;
    tx.commit().await?;
    Ok(started)
}
