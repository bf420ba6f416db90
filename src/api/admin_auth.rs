//! Admin sign-in, sign-out and "who am I".

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::SignInForm;
use crate::domain::model::AdminMe;
use leptos::prelude::*;

/// The signed-in admin, or `None`. Public: the admin layout asks before showing the sign-in form.
#[server(prefix = "/admin/api", endpoint = "me")]
pub async fn get_admin_me() -> Result<Deferred<Option<AdminMe>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            let Some(a) = guard::current_admin().await? else { return Ok(None) };
            let mut resources = a.grant.resources();
            if !crate::server::actions::consent::enabled(&guard::state()?.db.pool).await? {
                // While Login as Customer is disabled, nothing of it shows (its log's menu entry).
                resources.retain(|r| !matches!(r, Resource::LoginAsCustomerLogin | Resource::LoginAsCustomerViewLog));
            }
            Ok(Some(AdminMe {
                id: a.id,
                username: a.username,
                first_name: a.first_name,
                last_name: a.last_name,
                resources,
            }))
        }
        .await,
    )
}

/// Signs an admin in. Wrong user name, wrong password and a lock answer alike; after too many
/// failures from one address the name is locked from that address for a while, longer each
/// time. The session id is replaced on success.
#[server(prefix = "/admin/api", endpoint = "sign_in")]
pub async fn admin_sign_in(#[server(default)] form: SignInForm) -> Result<(), AppError> {
    use crate::domain::config::ADMIN_SESSION_LIFETIME;
    use crate::server::db::config as cfg;
    use crate::server::guard;
    let state = guard::state()?;
    let session = guard::admin_session()?;
    let signed = crate::server::actions::sign_in::admin(&state, guard::client(), &form).await?;
    let lifetime = cfg::default_number(&state.db.pool, ADMIN_SESSION_LIFETIME).await?;
    session.sign_in(signed.id, signed.epoch, lifetime).await
}

/// Ends the admin's session.
#[server(prefix = "/admin/api", endpoint = "sign_out")]
pub async fn admin_sign_out() -> Result<(), AppError> {
    use crate::domain::assist::EndReason;
    use crate::server::db::assist::Running;
    use crate::server::guard;
    let admin = guard::signed_in_admin().await?;
    // Assistance never outlives the admin's own session.
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    crate::server::actions::assist::end_running(
        &mut tx,
        &admin.origin(),
        Running::OfAdmin(admin.id),
        EndReason::AdminSignedOut,
    )
    .await?;
    tx.commit().await?;
    admin.session.sign_out().await
}
