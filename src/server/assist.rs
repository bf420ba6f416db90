//! The running Login as Customer session: the feature's settings and switch, who may assist,
//! the check every storefront request makes while an admin assists, and the ends (each logged
//! with its reason). The guard, the actions and the JSON API call this; it calls nothing above
//! the database layer.

use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::{self as rules, Banner, EndReason, Facts};
use crate::domain::config::{
    self, Field, ADMIN_SESSION_LIFETIME, ASSIST_CONSENT_LIFETIME, ASSIST_ENABLED, ASSIST_IDLE_TIMEOUT,
    ASSIST_REQUIRE_REASON, ASSIST_RESTRICT_SENSITIVE, ASSIST_SESSION_LIFETIME, ASSIST_STORE_VIEW_LOGIN,
};
use crate::domain::consent::{holds, lifetime_days};
use crate::domain::error::AppError;
use crate::domain::integrations::event;
use crate::domain::msg::Msg;
use crate::server::db::assist::{self as repo, Running};
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::{admins, config as cfg, now_ms, Tx};
use crate::server::state::AppState;
use serde::Serialize;
use sqlx::AnyPool;

pub fn field(path: &str) -> &'static Field {
    config::field(path).map(|(_, f)| f).expect("a known configuration path")
}

/// A default-scope setting as it stands inside `tx`.
pub async fn setting(tx: &mut Tx<'_>, path: &str) -> Result<String, sqlx::Error> {
    Ok(cfg::get_at(tx, config::Scope::Default, path).await?.unwrap_or_else(|| field(path).default.to_string()))
}

/// Whether `Enable Login as Customer` is Yes.
pub async fn enabled(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    Ok(cfg::default_value(pool, ASSIST_ENABLED).await? == "1")
}

/// The feature's settings, read together.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub enabled: bool,
    pub manual: bool,
    pub require_reason: bool,
    pub lifetime_ms: i64,
    pub idle_ms: i64,
    pub consent_days: Option<i64>,
    pub admin_idle_secs: i64,
}

const PATHS: [&str; 7] = [
    ASSIST_ENABLED,
    ASSIST_STORE_VIEW_LOGIN,
    ASSIST_REQUIRE_REASON,
    ASSIST_SESSION_LIFETIME,
    ASSIST_IDLE_TIMEOUT,
    ASSIST_CONSENT_LIFETIME,
    ADMIN_SESSION_LIFETIME,
];

fn parse_settings(v: Vec<String>) -> Settings {
    let minutes = |v: &str| v.parse::<i64>().unwrap_or(1).max(1) * 60_000;
    Settings {
        enabled: v[0] == "1",
        manual: v[1] == "1",
        require_reason: v[2] == "1",
        lifetime_ms: minutes(&v[3]),
        idle_ms: minutes(&v[4]),
        consent_days: lifetime_days(&v[5]),
        admin_idle_secs: v[6].parse().unwrap_or(900),
    }
}

/// The feature's settings at the default scope, in one query.
pub async fn settings<'e>(ex: impl crate::server::db::Executor<'e>) -> Result<Settings, sqlx::Error> {
    Ok(parse_settings(cfg::default_values(ex, &PATHS).await?))
}

/// The first check of every path of the feature, for every caller: is it switched on.
pub async fn ensure_enabled(pool: &AnyPool) -> Result<(), AppError> {
    if enabled(pool).await? {
        Ok(())
    } else {
        Err(AppError::forbidden(Msg::AssistDisabled))
    }
}

/// Whether `grant` may assist anyone at all.
pub fn may_assist_at_all(grant: &Grant) -> bool {
    grant.allows(Resource::AssistLogin)
}

/// Whether a role granting `grant` over `scope` may assist customers of `website_id`.
pub fn may_assist(grant: &Grant, scope: &Scope, website_id: i64) -> bool {
    may_assist_at_all(grant) && scope.covers(website_id)
}

#[derive(Serialize)]
struct EndSnapshot {
    session: i64,
    end_reason: &'static str,
}

/// Ends the running sessions `which` names, each logged with `reason` and `origin`'s actor.
/// Returns how many ended. Cascades (consent revoked, role saved, user deactivated, feature
/// switched off, admin signed out) call this in their own transaction.
pub async fn end_running(
    tx: &mut Tx<'_>,
    origin: &Origin,
    which: Running,
    reason: EndReason,
) -> Result<usize, AppError> {
    let mut ended = 0;
    let now = now_ms();
    for id in repo::running(tx, which).await? {
        if repo::end(tx, id, reason.code(), now).await? {
            let entry = Entry::change(
                audit::group::ASSIST,
                "End Login as Customer",
                "assistance_session",
                id,
                None::<&()>,
                Some(&EndSnapshot { session: id, end_reason: reason.code() }),
            );
            audit::write(tx, origin, entry).await?;
            let (customer_id, website_id) = repo::customer_of(tx, id).await?;
            let data = serde_json::json!({
                "session_id": id,
                "customer_id": customer_id,
                "end_reason": reason.code(),
                "ended_at": now,
            });
            crate::server::webhooks::emit(tx, event::ASSIST_ENDED, website_id, data).await?;
            ended += 1;
        }
    }
    if ended > 0 {
        tracing::info!(ended, reason = reason.code(), "assistance sessions ended");
    }
    Ok(ended)
}

/// The actor for changes made in a storefront tab while assisting.
pub async fn actor(pool: &AnyPool, session_id: i64) -> Result<Option<Actor>, sqlx::Error> {
    Ok(repo::live(pool, session_id).await?.map(|l| Actor::AdminAsCustomer {
        admin_id: l.admin_id,
        admin_username: l.admin_username,
        customer_id: l.customer_id,
        session_id: l.id,
    }))
}

/// Who ends sessions found dead by a check (nobody in particular did it).
fn checker() -> Origin {
    Origin {
        actor: Actor::System { name: crate::domain::model::log_actor::SESSION_CHECK.into() },
        ip: "local".into(),
        user_agent: String::new(),
    }
}

/// Checks a running session now, as every storefront request does: the feature, the admin
/// (active, role, own admin session), the customer (active, consent), lifetime and idle limit.
/// With `touch`, this request counts as activity (written back at most once a minute, to the
/// assistance session and to the admin's own session). A session that fails ends here, logged
/// with its reason.
pub async fn check(
    state: &AppState,
    session_id: i64,
    customer_id: i64,
    touch: bool,
) -> Result<Result<Banner, EndReason>, AppError> {
    let pool = &state.db.pool;
    let Some(live) = repo::live(pool, session_id).await? else { return Ok(Err(EndReason::Closed)) };
    if let Some(code) = &live.ended {
        return Ok(Err(EndReason::from_code(code).unwrap_or(EndReason::Closed)));
    }
    let now = now_ms();
    if live.customer_id != customer_id {
        return end_now(state, session_id, EndReason::Closed).await;
    }
    if !live.redeemed {
        // Not opened yet: only its ticket's expiry can end it.
        return if now > live.ticket_expires_at {
            end_now(state, session_id, EndReason::NeverOpened).await
        } else {
            Ok(Err(EndReason::NeverOpened))
        };
    }
    let s = settings(pool).await?;
    let grant = admins::role_grant(pool, live.admin_role_id).await?;
    let scope = admins::role_scope(pool, live.admin_role_id).await?;
    let write_back = touch && now - live.last_seen_at >= crate::server::session::TOUCH_EVERY_SECS * 1000;
    let admin_session_alive = live.admin_active
        && crate::server::session::admin_session_alive(
            &state.db.sessions,
            &live.admin_session,
            live.admin_id,
            live.admin_epoch,
            s.admin_idle_secs,
            write_back,
        )
        .await?;
    let consent_given = holds(live.consent, live.consent_at, s.consent_days, now);
    let facts = Facts {
        enabled: s.enabled,
        admin_active: live.admin_active,
        admin_allowed: may_assist(&grant, &scope, live.website_id),
        admin_session_alive,
        customer_active: live.customer_active,
        consent_given,
        consent_lapsed: live.consent && !consent_given,
        started_at: live.started_at,
        last_seen_at: live.last_seen_at,
        lifetime_ms: s.lifetime_ms,
        idle_ms: s.idle_ms,
    };
    if let Err(reason) = rules::check(&facts, now) {
        return end_now(state, session_id, reason).await;
    }
    let mut facts = facts;
    if write_back {
        repo::touch(pool, session_id, now).await?;
        facts.last_seen_at = now;
    }
    let ends_at = rules::ends_at(&facts);
    Ok(Ok(Banner {
        session_id,
        customer_first_name: live.customer_first_name,
        customer_last_name: live.customer_last_name,
        website_name: live.website_name,
        ends_at,
        minutes_left: ((ends_at - now).max(0) + 59_999) / 60_000,
    }))
}

/// Ends `session_id` with `reason` unless it already ended; returns the reason it ended with.
pub async fn end_for(state: &AppState, session_id: i64, reason: EndReason) -> Result<EndReason, AppError> {
    if let Some(live) = repo::live(&state.db.pool, session_id).await? {
        if let Some(code) = live.ended {
            return Ok(EndReason::from_code(&code).unwrap_or(reason));
        }
    }
    let _ended = end_now(state, session_id, reason).await?;
    Ok(reason)
}

async fn end_now(state: &AppState, session_id: i64, reason: EndReason) -> Result<Result<Banner, EndReason>, AppError> {
    let mut tx = state.db.begin().await?;
    end_running(&mut tx, &checker(), Running::One(session_id), reason).await?;
    tx.commit().await?;
    Ok(Err(reason))
}

/// Checks every running session (ending those past a limit, those whose admin session is
/// gone and tickets never redeemed), so the log says when each ended even if nobody looks.
pub async fn sweep(state: &AppState) -> Result<usize, AppError> {
    let mut ended = 0;
    for id in repo::all_running(&state.db.pool).await? {
        let Some(live) = repo::live(&state.db.pool, id).await? else { continue };
        if let Ok(Err(reason)) = check(state, id, live.customer_id, false).await {
            if reason != EndReason::NeverOpened || live.ticket_expires_at < now_ms() {
                ended += 1;
            }
        }
    }
    Ok(ended)
}

/// Runs [`sweep`] every `period`, forever.
pub async fn sweep_forever(state: AppState, period: std::time::Duration) {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(err) = sweep(&state).await {
            tracing::warn!(?err, "checking running assistance sessions failed; will retry");
        }
    }
}

/// Whether `Restrict Sensitive Account Changes` is Yes.
pub async fn sensitive_restricted(tx: &mut Tx<'_>) -> Result<bool, sqlx::Error> {
    Ok(setting(tx, ASSIST_RESTRICT_SENSITIVE).await? == "1")
}
