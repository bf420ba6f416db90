//! Consent to remote shopping assistance: given or revoked by the shopper (Account Information,
//! registration), by an admin with `Remote shopping assistance opt-in`, or by an admin while
//! assisting; every change logged with who made it. Nothing here works while Login as
//! Customer is disabled.

use crate::domain::acl::Resource;
use crate::domain::config::{
    self, ASSIST_CONSENT_LIFETIME, ASSIST_ENABLED, ASSIST_OPT_IN_TITLE, ASSIST_OPT_IN_TOOLTIP,
};
use crate::domain::consent::{self, ConsentBox};
use crate::domain::error::AppError;
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use crate::server::assist::{enabled, field, setting};
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::{config as cfg, customers, now_ms, Tx};
use serde::Serialize;
use sqlx::AnyPool;

/// Whether a customer's consent holds now (false for an unknown customer).
pub async fn holds(pool: &AnyPool, customer_id: i64) -> Result<(bool, Option<i64>), sqlx::Error> {
    let lifetime = consent::lifetime_days(&cfg::default_value(pool, ASSIST_CONSENT_LIFETIME).await?);
    Ok(match customers::consent(pool, customer_id).await? {
        Some((allowed, at)) if consent::holds(allowed, at, lifetime, now_ms()) => (true, at),
        _ => (false, None),
    })
}

/// The checkbox as `view` shows it (title and tooltip resolved for the store view), with
/// whether `customer`'s consent holds; `None` while the feature is disabled.
pub async fn checkbox(pool: &AnyPool, view: &StoreView, customer: Option<i64>) -> Result<Option<ConsentBox>, AppError> {
    if !enabled(pool).await? {
        return Ok(None);
    }
    let allowed = match customer {
        Some(id) => holds(pool, id).await?.0,
        None => false,
    };
    Ok(Some(ConsentBox {
        title: text_for(pool, view, ASSIST_OPT_IN_TITLE).await?,
        tooltip: text_for(pool, view, ASSIST_OPT_IN_TOOLTIP).await?,
        allowed,
    }))
}

/// A text of the consent checkbox (`path`: its title or tooltip) as `view`'s shoppers read
/// it: the value set for the store view as written, else the built-in one in its language.
pub async fn text_for<'e>(
    ex: impl crate::server::db::Executor<'e>,
    view: &StoreView,
    path: &'static str,
) -> Result<String, sqlx::Error> {
    let locale = crate::l10n::parse(&view.locale).unwrap_or_default();
    let layers = cfg::layers(ex, path, Some(view.website_id), Some(view.id)).await?;
    Ok(layers.resolve(field(path), config::ScopeLevel::StoreView, locale))
}

#[derive(Serialize)]
struct Snapshot {
    allowed: bool,
}

/// Who may give or revoke `customer_id`'s consent: the shopper (or an admin assisting them),
/// an admin whose role holds `Edit Customer` and `Remote shopping assistance opt-in` over the
/// customer's website, or the console. Answers the customer's website.
async fn may_set(tx: &mut Tx<'_>, origin: &Origin, customer_id: i64) -> Result<i64, AppError> {
    let not_found = || AppError::not_found(Msg::CustomerNotFound);
    let website_id = customers::website_of(&mut **tx, customer_id).await?.ok_or_else(not_found)?;
    match &origin.actor {
        Actor::Customer { id } | Actor::AdminAsCustomer { customer_id: id, .. } => {
            if *id != customer_id {
                return Err(not_found());
            }
        }
        _ => {
            let me = super::Rights::of(tx, origin).await?;
            me.require(Resource::CustomersEdit)?;
            if !me.grant.allows(Resource::CustomersAssistanceOptIn) {
                return Err(AppError::forbidden(Msg::OptInForbidden));
            }
            me.scope.ensure_covers(website_id)?;
        }
    }
    Ok(website_id)
}

/// Gives (`allowed`) or revokes a customer's consent when that changes what holds now, and logs
/// it with `origin`'s actor. Refused while the feature is disabled. Returns whether it changed.
#[tracing::instrument(skip_all, fields(customer = customer_id, allowed), err(level = "warn"))]
pub async fn set(tx: &mut Tx<'_>, origin: &Origin, customer_id: i64, allowed: bool) -> Result<bool, AppError> {
    if setting(tx, ASSIST_ENABLED).await? != "1" {
        return Err(AppError::forbidden(Msg::AssistDisabled));
    }
    let website_id = may_set(tx, origin, customer_id).await?;
    let lifetime = consent::lifetime_days(&setting(tx, ASSIST_CONSENT_LIFETIME).await?);
    customers::lock(tx, customer_id).await?;
    let (stored, at) =
        customers::consent(&mut **tx, customer_id).await?.ok_or(AppError::not_found(Msg::CustomerNotFound))?;
    let now = now_ms();
    let held = consent::holds(stored, at, lifetime, now);
    if held == allowed {
        return Ok(false);
    }
    customers::set_consent(tx, customer_id, allowed.then_some(now)).await?;
    let entry = Entry::change(
        audit::group::ASSIST,
        if allowed { "Allow remote shopping assistance" } else { "Revoke remote shopping assistance" },
        "customer",
        customer_id,
        Some(&Snapshot { allowed: held }),
        Some(&Snapshot { allowed }),
    );
    audit::write(tx, origin, entry).await?;
    let data = serde_json::json!({ "customer_id": customer_id, "allowed": allowed, "changed_at": now });
    crate::server::webhooks::emit(tx, crate::domain::integrations::event::CONSENT_CHANGED, website_id, data).await?;
    if !allowed {
        // Revoking consent ends every running assistance session of the customer at once.
        use crate::domain::assist::EndReason;
        use crate::server::db::assist::Running;
        crate::server::assist::end_running(tx, origin, Running::OfCustomer(customer_id), EndReason::ConsentRevoked)
            .await?;
    }
    Ok(true)
}
