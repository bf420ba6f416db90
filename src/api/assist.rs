//! Login as Customer from the admin: the dialog's data and the start. (The storefront side,
//! `Close Session`, is in `storefront`; the ticket is redeemed by `server::handoff`.) Every
//! function checks first that the feature is enabled, for every caller, then the resource.

use crate::domain::assist::{StartDialog, Started};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::StartAssistForm;
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;

/// The admin assisting, from the signed-in admin with `Allow Login as Customer`.
#[cfg(feature = "ssr")]
async fn assistant() -> Result<crate::server::actions::assist::Assistant, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::guard;
    crate::server::assist::ensure_enabled(&guard::state()?.db.pool).await?;
    guard::admin(Resource::AssistLogin).await?.assistant()
}

/// What the `Login as Customer` button opens for a customer: the refusal dialog, or the
/// confirmation with the store choice, the reason field and who else is assisting.
#[server(prefix = "/admin/api", endpoint = "assist_dialog")]
pub async fn assist_dialog(#[server(default)] customer_id: String) -> Result<StartDialog, AppError> {
    use crate::domain::input::parse_id;
    use crate::server::{actions::assist, guard};
    let who = assistant().await?;
    let id = parse_id(&customer_id, Msg::CustomerNotFound)?;
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
    let started = assist::start(&mut tx, &origin, &who, &input, &state.public_url()).await?;
    tx.commit().await?;
    Ok(started)
}

/// Customers > `Login as Customer Log` is there only while the feature is enabled and for
/// admins with `View Login as Customer Log`; for everyone else it does not exist (404).
#[cfg(feature = "ssr")]
async fn log_reader() -> Result<crate::server::guard::Admin, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::guard;
    let gone = || AppError::not_found(Msg::PageNotFound);
    let admin = guard::signed_in_admin().await?;
    if !crate::server::assist::enabled(&guard::state()?.db.pool).await? || !admin.grant.allows(Resource::AssistViewLog)
    {
        return Err(gone());
    }
    Ok(admin)
}

/// One page of the Login as Customer Log.
#[server(prefix = "/admin/api", endpoint = "assist_log")]
pub async fn list_assist_log(
    #[server(default)] query: crate::domain::grid::GridQuery,
) -> Result<Deferred<crate::domain::grid::GridPage<crate::domain::assist::LogRow>>, AppError> {
    Deferred::encode(
        async move {
            let admin = log_reader().await?;
            let state = crate::server::guard::state()?;
            let sites = admin.websites();
            let within =
                sites.as_deref().map(|w| crate::server::grid::Scoped::column(crate::server::db::assist::LOG_SCOPE, w));
            crate::server::db::assist::LOG_GRID.page_within(&state.db.pool, query, within).await
        }
        .await,
    )
}

/// Sessions per day over the log's filtered set (the last 31 days of it), for its chart.
#[server(prefix = "/admin/api", endpoint = "assist_log_chart")]
pub async fn assist_log_chart(
    #[server(default)] query: crate::domain::grid::GridQuery,
) -> Result<Deferred<Vec<crate::domain::assist::DayCount>>, AppError> {
    Deferred::encode(
        async move {
            let admin = log_reader().await?;
            let state = crate::server::guard::state()?;
            let sites = admin.websites();
            let within =
                sites.as_deref().map(|w| crate::server::grid::Scoped::column(crate::server::db::assist::LOG_SCOPE, w));
            crate::server::db::assist::sessions_per_day(&state.db.pool, &query, within, 31).await
        }
        .await,
    )
}

/// The store views, for the log's Store View filter.
#[server(prefix = "/admin/api", endpoint = "assist_log_filters")]
pub async fn assist_log_filters() -> Result<Deferred<Vec<crate::domain::model::StoreView>>, AppError> {
    Deferred::encode(
        async move {
            log_reader().await?;
            let state = crate::server::guard::state()?;
            Ok(crate::server::db::stores::views(&state.db.pool).await?)
        }
        .await,
    )
}
