//! What every server function starts with: the app state, the caller's identity and the
//! permission check. Server functions go through here, never through `use_context` directly.

use super::actions::assist::Assistant;
use super::db::audit::{Actor, Origin};
use super::db::{admins, config as cfg, customers};
use super::session::{AdminSession, CustomerSession};
use super::state::AppState;
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::EndReason;
use crate::domain::config::ADMIN_SESSION_LIFETIME;
use crate::domain::error::AppError;
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use axum::http::request::Parts;
use leptos::prelude::use_context;

/// What a page's data loads need of their request (the app state and the request's parts),
/// captured while the render is alive and handed to each load (see [`crate::api::load`]). A
/// load runs in a task of its own that may outlive its render (a client that went away):
/// reading the render's reactive context from there once deadlocked a worker (a lookup that
/// dropped the last reference to a disposed owner while holding its lock), so loads never do.
#[derive(Clone, Debug)]
pub struct RequestContext {
    state: AppState,
    parts: Parts,
}

tokio::task_local! {
    static REQUEST: RequestContext;
}

impl RequestContext {
    /// This request's context, read from the render (call it while rendering).
    pub fn capture() -> Option<RequestContext> {
        Some(RequestContext { state: use_context::<AppState>()?, parts: use_context::<Parts>()? })
    }

    /// The context of a request seen by a layer (the page cache), outside any render.
    pub fn new(state: AppState, parts: Parts) -> RequestContext {
        RequestContext { state, parts }
    }

    /// Runs `load` with this request's context at hand for [`state`] and [`parts`].
    pub async fn scope<F: std::future::Future>(self, load: F) -> F::Output {
        REQUEST.scope(self, load).await
    }
}

/// The app state: a load's own (see [`RequestContext`]), else the render's or the server
/// function's context.
pub fn state() -> Result<AppState, AppError> {
    if let Ok(state) = REQUEST.try_with(|r| r.state.clone()) {
        return Ok(state);
    }
    use_context::<AppState>().ok_or_else(|| {
        if use_context::<Parts>().is_none() {
            // No request in context at all: work of a page render that is gone. Nobody reads
            // this answer; it is not a fault of the server.
            tracing::debug!("state asked for outside any request");
        } else {
            tracing::error!("AppState missing from context");
        }
        AppError::Internal
    })
}

/// The request's parts, found like [`state`].
pub fn parts() -> Result<Parts, AppError> {
    if let Ok(parts) = REQUEST.try_with(|r| r.parts.clone()) {
        return Ok(parts);
    }
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from context");
        AppError::Internal
    })
}

pub fn admin_session() -> Result<AdminSession, AppError> {
    parts()?.extensions.get::<AdminSession>().cloned().ok_or(AppError::Internal)
}

pub fn customer_session() -> Result<CustomerSession, AppError> {
    parts()?.extensions.get::<CustomerSession>().cloned().ok_or(AppError::Internal)
}

/// Client address and user agent, for the action log.
pub fn client() -> (String, String) {
    let Ok(parts) = parts() else { return ("unknown".into(), String::new()) };
    (super::client::ip(&parts.extensions), super::client::user_agent(&parts.headers))
}

/// A signed-in, active admin and what their role grants right now.
#[derive(Clone, Debug)]
pub struct Admin {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    /// The name shoppers see for this admin.
    pub shown_name: String,
    pub grant: Grant,
    /// Role Scopes: the websites whose customers this admin works with.
    pub scope: Scope,
    pub session: AdminSession,
    /// `Interface Locale`: the language this admin reads the admin panel in.
    pub locale: crate::l10n::Locale,
}

impl Admin {
    /// The websites this admin's role scope lists (`None`: all), for [`crate::server::grid::Within`].
    pub fn websites(&self) -> Option<Vec<i64>> {
        self.scope.websites()
    }

    /// Refuses a customer of a website outside this admin's role scope as if it did not exist.
    pub fn ensure_covers(&self, website_id: i64) -> Result<(), AppError> {
        self.scope.ensure_covers(website_id)
    }

    /// This admin as an assistant (Login as Customer), tied to their admin session (which must
    /// be stored).
    pub fn assistant(self) -> Result<Assistant, AppError> {
        let admin_session = self.session.id_string().ok_or_else(|| {
            tracing::error!("a signed-in admin session without an id");
            AppError::Internal
        })?;
        Ok(Assistant {
            id: self.id,
            name: format!("{} {}", self.first_name, self.last_name),
            shown_name: self.shown_name,
            username: self.username,
            grant: self.grant,
            scope: self.scope,
            admin_session,
        })
    }

    /// This admin, from this request's address, for the action log.
    pub fn origin(&self) -> Origin {
        origin(Actor::Admin { id: self.id, username: self.username.clone() })
    }
}

/// `actor`, from this request's address and user agent.
pub fn origin(actor: Actor) -> Origin {
    let (ip, user_agent) = client();
    Origin { actor, ip, user_agent }
}

/// The signed-in admin, if any. The role is read on every call, so a changed role or a
/// deactivation takes effect on the next request.
pub async fn current_admin() -> Result<Option<Admin>, AppError> {
    load_admin(&state()?, admin_session()?).await
}

/// The admin signed in on `session`, for handlers outside Leptos (such as CSV exports). The
/// session ends here when the account is gone or inactive, its password changed since the
/// session began, or it sat idle longer than `Admin Session Lifetime` says now.
pub async fn load_admin(state: &AppState, session: AdminSession) -> Result<Option<Admin>, AppError> {
    let Some(id) = session.admin_id().await? else { return Ok(None) };
    let Some(admins::ActiveAdmin { user, grant, scope, session_epoch }) =
        admins::active_admin(&state.db.pool, id).await?
    else {
        session.sign_out().await?;
        return Ok(None);
    };
    let idle = cfg::default_number(&state.db.pool, ADMIN_SESSION_LIFETIME).await?;
    if !session.verify(session_epoch, idle).await? {
        return Ok(None);
    }
    Ok(Some(Admin {
        id,
        shown_name: user.shown_name(),
        locale: crate::l10n::parse(&user.interface_locale).unwrap_or_default(),
        username: user.username,
        first_name: user.first_name,
        last_name: user.last_name,
        grant,
        scope,
        session,
    }))
}

/// `admin` if their role allows `resource`; the refusal every admin endpoint gives otherwise.
pub fn require(admin: Option<Admin>, resource: Resource) -> Result<Admin, AppError> {
    let admin = admin.ok_or(AppError::unauthenticated(Msg::AdminSignInNeeded))?;
    if !admin.grant.allows(resource) {
        tracing::warn!(admin = admin.id, resource = resource.id(), "permission refused");
        return Err(AppError::forbidden(Msg::PermissionNeeded { resource }));
    }
    Ok(admin)
}

/// Any signed-in admin.
pub async fn signed_in_admin() -> Result<Admin, AppError> {
    current_admin().await?.ok_or(AppError::unauthenticated(Msg::AdminSignInNeeded))
}

/// A signed-in admin whose role allows `resource`. The first call of every admin server function.
pub async fn admin(resource: Resource) -> Result<Admin, AppError> {
    require(current_admin().await?, resource)
}

/// Who is on the storefront: the shopper, and the assistance session when an admin is
/// assisting them (Login as Customer) with the banner it shows.
#[derive(Clone, Debug)]
pub struct Shopper {
    pub id: i64,
    /// The website the account belongs to.
    pub website_id: i64,
    pub assisted: Option<crate::domain::assist::Banner>,
}

impl Shopper {
    /// Who acts, for the action log: the shopper, or the admin assisting them.
    pub async fn actor(&self) -> Result<Actor, AppError> {
        Ok(match &self.assisted {
            None => Actor::Customer { id: self.id },
            Some(b) => {
                super::assist::actor(&state()?.db.pool, b.session_id).await?.unwrap_or(Actor::Customer { id: self.id })
            }
        })
    }
}

/// Who is on the storefront, worked out once per request: a page's data loads run at the same
/// time and must agree (one check of an assistance session, one notice when it ended).
#[derive(Clone, Debug, Default)]
pub struct ShopperOnce(std::sync::Arc<tokio::sync::OnceCell<Option<Shopper>>>);

/// The storefront's layer that gives each request its [`ShopperOnce`].
pub async fn shopper_once(mut req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    req.extensions_mut().insert(ShopperOnce::default());
    next.run(req).await
}

/// The signed-in shopper, if any: still active, no password change since the session began,
/// not idle for too long (otherwise the session ends here). While an admin assists, the
/// assistance session is checked too (feature, admin, role, admin session, consent, limits);
/// when it fails, the storefront session ends and the next page says why.
pub async fn current_shopper() -> Result<Option<Shopper>, AppError> {
    let once = parts()?.extensions.get::<ShopperOnce>().cloned().unwrap_or_default();
    once.0.get_or_try_init(check_shopper).await.cloned()
}

async fn check_shopper() -> Result<Option<Shopper>, AppError> {
    let state = state()?;
    let session = customer_session()?;
    let Some(id) = session.customer_id().await? else { return Ok(None) };
    let assist = session.assisting().await?;
    let account = customers::active_session_epoch(&state.db.pool, id).await?;
    let epoch = account.map(|(epoch, _)| epoch);
    let website_id = account.map(|(_, website)| website).unwrap_or_default();
    let good = match epoch {
        Some(epoch) => session.verify(epoch, state.settings.customer_session_idle_secs).await?,
        None => {
            session.sign_out().await?;
            false
        }
    };
    if !good {
        if let Some(assist) = assist {
            // The account changed under the assistance (deactivated, new password): the
            // session ended with it; say why.
            let fallback =
                if epoch.is_none() { EndReason::CustomerInactive } else { EndReason::CustomerPasswordChanged };
            let reason = super::assist::end_for(&state, assist, fallback).await?;
            session.sign_out_with_notice(reason.code()).await?;
        }
        return Ok(None);
    }
    let Some(assist) = assist else { return Ok(Some(Shopper { id, website_id, assisted: None })) };
    match super::assist::check(&state, assist, id, true).await? {
        Ok(banner) => Ok(Some(Shopper { id, website_id, assisted: Some(banner) })),
        Err(reason) => {
            session.sign_out_with_notice(reason.code()).await?;
            Ok(None)
        }
    }
}

/// The shopper signed in for store view `view`: the signed-in shopper when their account
/// belongs to its website, or when accounts are shared globally. Under `Per Website` sharing a
/// sign-in holds on its own website only: elsewhere the browser is a guest (and is still signed
/// in when it comes back).
pub async fn shopper_on(view: &StoreView) -> Result<Option<Shopper>, AppError> {
    let Some(shopper) = current_shopper().await? else { return Ok(None) };
    if shopper.website_id == view.website_id || shared_globally().await? {
        return Ok(Some(shopper));
    }
    Ok(None)
}

/// The shopper signed in for `view` (see [`shopper_on`]), or the refusal every account page gives.
pub async fn shopper_at(view: &StoreView) -> Result<Shopper, AppError> {
    shopper_on(view).await?.ok_or(AppError::unauthenticated(Msg::CustomerSignInNeeded))
}

/// Whether `Share Customer Accounts` is `Global`.
pub async fn shared_globally() -> Result<bool, AppError> {
    let value = cfg::default_value(&state()?.db.pool, crate::domain::config::SHARE_SCOPE).await?;
    Ok(value == "global")
}

/// The store view named by the path prefix (empty for the default one); unknown codes are 404.
pub async fn store_view(code: &str) -> Result<StoreView, AppError> {
    let state = state()?;
    let code = (!code.is_empty()).then_some(code);
    // A page render reuses what choosing the page's locale read for the same path.
    let resolved =
        parts().ok().and_then(|p| p.extensions.get::<super::locale::ResolvedView>().and_then(|r| r.for_code(code)));
    let view = match resolved {
        Some(view) => view,
        None => super::db::stores::view_by_code(&state.db.pool, code).await?,
    };
    let view = view.ok_or(AppError::not_found(Msg::StoreNotFound))?;
    ensure_view_reachable(&view).await?;
    Ok(view)
}

/// Refuses store view `view` to a browser in an assistance session for a customer of another
/// website (under `Per Website` sharing): the session is bound to the customer's website, and
/// the other websites' store views do not exist for it.
pub async fn ensure_view_reachable(view: &StoreView) -> Result<(), AppError> {
    let Ok(session) = customer_session() else { return Ok(()) };
    if session.assisting().await?.is_none() {
        return Ok(());
    }
    match current_shopper().await? {
        Some(s) if s.assisted.is_some() && s.website_id != view.website_id && !shared_globally().await? => {
            Err(AppError::not_found(Msg::StoreNotFound))
        }
        _ => Ok(()),
    }
}
