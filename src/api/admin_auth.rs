//! Admin sign-in, sign-out and "who am I".

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{AccountSettingForm, SignInForm};
use crate::domain::model::{AdminMe, AdminUserRow};
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
            if !crate::server::assist::enabled(&guard::state()?.db.pool).await? {
                // While Login as Customer is disabled, nothing of it shows (its log's menu entry).
                resources.retain(|r| !matches!(r, Resource::AssistLogin | Resource::AssistViewLog));
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
    crate::server::assist::end_running(&mut tx, &admin.origin(), Running::OfAdmin(admin.id), EndReason::AdminSignedOut)
        .await?;
    tx.commit().await?;
    admin.session.sign_out().await
}

/// The signed-in admin's own account, for `Account Setting`. Any signed-in admin.
#[server(prefix = "/admin/api", endpoint = "account_get")]
pub async fn get_my_account() -> Result<Deferred<AdminUserRow>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::msg::Msg;
            use crate::server::guard;
            let admin = guard::signed_in_admin().await?;
            crate::server::db::admins::user(&guard::state()?.db.pool, admin.id)
                .await?
                .ok_or(AppError::not_found(Msg::UserNotFound))
        }
        .await,
    )
}

/// Saves the signed-in admin's own name, email and `Interface Locale`, confirmed with their
/// password. Any signed-in admin, for their own account only.
#[server(prefix = "/admin/api", endpoint = "account_save")]
pub async fn save_my_account(#[server(default)] form: AccountSettingForm) -> Result<(), AppError> {
    use crate::domain::msg::Msg;
    use crate::server::actions::{self, admin_users::OwnAccountInput};
    use crate::server::guard;
    let admin = guard::signed_in_admin().await?;
    let input =
        actions::reauthenticated(OwnAccountInput::try_from(&form), &form.current_password, Msg::OwnPasswordAccount)?;
    let state = guard::state()?;
    let origin = admin.origin();
    actions::sign_in::confirm_admin(&state, admin.id, &origin.ip, &form.current_password).await?;
    let mut tx = state.db.begin().await?;
    actions::admin_users::save_own_account(&mut tx, &origin, admin.id, &input).await?;
    tx.commit().await?;
    Ok(())
}
