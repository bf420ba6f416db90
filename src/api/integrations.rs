//! System > `Integrations`: tokens for the JSON API (made with the admin's own password, the
//! secret shown once), listed and revoked.

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::{RevokeTokenForm, TokenForm};
use crate::domain::integrations::{CreatedToken, IntegrationsData};
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;

/// The tokens and the users a token may be made for.
#[server(prefix = "/admin/api", endpoint = "integrations")]
pub async fn integrations_screen() -> Result<Deferred<IntegrationsData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::db::{admins, integrations, now_ms};
            use crate::server::guard;
            let admin = guard::admin(Resource::SystemIntegrations).await?;
            let pool = &guard::state()?.db.pool;
            let users = admins::users(pool)
                .await?
                .into_iter()
                .filter(|u| u.is_active)
                .map(|u| {
                    let name = crate::l10n::full_name(admin.locale, &u.first_name, &u.last_name);
                    (u.id, format!("{} ({name})", u.username))
                })
                .collect();
            Ok(IntegrationsData { tokens: integrations::tokens(pool).await?, users, now: now_ms() })
        }
        .await,
    )
}

/// Makes a token; the answer holds its secret, which is shown this once.
#[server(prefix = "/admin/api", endpoint = "integrations_create")]
pub async fn create_integration_token(#[server(default)] form: TokenForm) -> Result<CreatedToken, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::parse_id;
    use crate::server::actions::{self, integrations::NewTokenInput};
    use crate::server::guard;
    let admin = guard::admin(Resource::SystemIntegrations).await?;
    let mut errors = crate::domain::error::FieldErrors::default();
    let user = errors.check(
        parse_id(&form.admin_user_id, Msg::NoSuchAdminUser)
            .map_err(|_| AppError::field("admin_user_id", Msg::TokenUserRequired)),
    );
    let input = errors.check(NewTokenInput::parse(&form.name, user.unwrap_or_default(), &form.expires));
    let input = actions::reauthenticated(
        errors.finish().and_then(|()| input.ok_or(AppError::Internal)),
        &form.current_password,
        Msg::OwnPasswordToken,
    )?;
    let state = guard::state()?;
    let origin = admin.origin();
    actions::sign_in::confirm_admin(&state, admin.id, &origin.ip, &form.current_password).await?;
    let mut tx = state.db.begin().await?;
    let made = actions::integrations::create_token(&mut tx, &origin, &input).await?;
    tx.commit().await?;
    Ok(made)
}

/// Revokes a token: its next call is refused.
#[server(prefix = "/admin/api", endpoint = "integrations_revoke")]
pub async fn revoke_integration_token(#[server(default)] form: RevokeTokenForm) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::server::guard;
    let admin = guard::admin(Resource::SystemIntegrations).await?;
    let id = crate::domain::input::parse_id(&form.id, Msg::TokenNotFound)?;
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    crate::server::actions::integrations::revoke_token(&mut tx, &admin.origin(), id).await?;
    tx.commit().await?;
    Ok(())
}
