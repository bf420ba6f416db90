//! Login as Customer: start (with its checks in SPEC §3.4's order), the handoff ticket's
//! redemption, the check every storefront request makes while an admin assists, and the ends
//! (each logged with its reason). The screens, the command line and the JSON API call these.

use super::consent;
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::{
    self as rules, Banner, DialogRefusal, EndReason, Facts, StartDialog, Started, StoreChoice,
};
use crate::domain::config::{
    ADMIN_SESSION_LIFETIME, LAC_CONSENT_LIFETIME, LAC_ENABLED, LAC_IDLE_TIMEOUT, LAC_REQUIRE_REASON,
    LAC_SESSION_LIFETIME, LAC_STORE_VIEW_LOGIN,
};
use crate::domain::consent::{holds, lifetime_days};
use crate::domain::error::AppError;
use crate::domain::forms::{start_assist_form, StartAssistForm};
use crate::domain::input::parse_id;
use crate::domain::integrations::event;
use crate::domain::msg::Msg;
use crate::server::db::assist::{self as repo, NewSession, Running};
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::{admins, config as cfg, now_ms, outbox, stores, Tx};
use crate::server::state::AppState;
use serde::Serialize;
use sqlx::{AnyPool, Row};

/// The longest reason kept.
const REASON_MAX: usize = 255;

/// A start as the dialog posts it.
#[derive(Clone, Debug)]
pub struct StartInput {
    pub customer_id: i64,
    pub store_view_id: Option<i64>,
    pub reason: Option<String>,
}

impl TryFrom<&StartAssistForm> for StartInput {
    type Error = AppError;

    fn try_from(form: &StartAssistForm) -> Result<Self, AppError> {
        let customer_id = parse_id(&form.customer_id, Msg::CustomerNotFound)?;
        let store_view_id = super::optional_id(&form.store, Msg::StoreViewNotFound)?;
        let reason = form.reason.trim();
        if reason.chars().count() > REASON_MAX {
            return Err(AppError::field(start_assist_form::reason.key, Msg::ReasonTooLong { max: REASON_MAX as i64 }));
        }
        Ok(StartInput { customer_id, store_view_id, reason: (!reason.is_empty()).then(|| reason.to_string()) })
    }
}

/// The admin starting a session, as the guard loaded them.
#[derive(Clone, Debug)]
pub struct Assistant {
    pub id: i64,
    pub username: String,
    pub name: String,
    /// The name shoppers see (`Name Shown to Customers`, or the first name).
    pub shown_name: String,
    pub grant: Grant,
    /// Role Scopes: the websites whose customers this admin may assist.
    pub scope: Scope,
    /// The admin's own session, which the assistance never outlives.
    pub admin_session: String,
}

impl Assistant {
    /// The signed-in admin as an assistant, tied to their admin session (which must be stored).
    pub fn from_admin(admin: crate::server::guard::Admin) -> Result<Assistant, AppError> {
        let admin_session = admin.session.id_string().ok_or_else(|| {
            tracing::error!("a signed-in admin session without an id");
            AppError::Internal
        })?;
        Ok(Assistant {
            id: admin.id,
            name: format!("{} {}", admin.first_name, admin.last_name),
            shown_name: admin.shown_name,
            username: admin.username,
            grant: admin.grant,
            scope: admin.scope,
            admin_session,
        })
    }
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
    LAC_ENABLED,
    LAC_STORE_VIEW_LOGIN,
    LAC_REQUIRE_REASON,
    LAC_SESSION_LIFETIME,
    LAC_IDLE_TIMEOUT,
    LAC_CONSENT_LIFETIME,
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
pub async fn settings(pool: &AnyPool) -> Result<Settings, sqlx::Error> {
    Ok(parse_settings(cfg::default_values(pool, &PATHS).await?))
}

async fn settings_tx(tx: &mut Tx<'_>) -> Result<Settings, sqlx::Error> {
    Ok(parse_settings(cfg::default_values(&mut **tx, &PATHS).await?))
}

/// The first check of every path of the feature, for every caller: is it switched on.
pub async fn ensure_enabled(pool: &AnyPool) -> Result<(), AppError> {
    if consent::enabled(pool).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(Box::new(Msg::LacDisabled)))
    }
}

/// Whether `grant` may assist anyone at all.
pub fn may_assist_at_all(grant: &Grant) -> bool {
    grant.allows(Resource::LoginAsCustomerLogin)
}

/// Whether a role granting `grant` over `scope` may assist customers of `website_id`.
pub fn may_assist(grant: &Grant, scope: &Scope, website_id: i64) -> bool {
    may_assist_at_all(grant) && scope.covers(website_id)
}

/// What a start needs to know about the customer.
struct Target {
    email: String,
    first_name: String,
    last_name: String,
    is_active: bool,
    website_id: i64,
    store_view_id: i64,
    consent: bool,
    consent_at: Option<i64>,
}

async fn target<'e>(ex: impl sqlx::Executor<'e, Database = sqlx::Any>, id: i64) -> Result<Option<Target>, sqlx::Error> {
    sqlx::query(
        "SELECT email, first_name, last_name, is_active, website_id, store_view_id, assistance_allowed, \
         assistance_allowed_at FROM customers WHERE id = $1",
    )
    .bind(id)
    .try_map(|r: sqlx::any::AnyRow| {
        Ok(Target {
            email: r.try_get("email")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            is_active: crate::server::db::flag(&r, "is_active")?,
            website_id: r.try_get("website_id")?,
            store_view_id: r.try_get("store_view_id")?,
            consent: crate::server::db::flag(&r, "assistance_allowed")?,
            consent_at: r.try_get("assistance_allowed_at")?,
        })
    })
    .fetch_optional(ex)
    .await
}

/// The store views the dialog offers, each marked allowed or not for a customer of
/// `website_id`, and the one `Automatic` uses: the account's own store view, or when that is
/// disabled or gone, the default store view of the account's website.
async fn store_choices(
    pool: &AnyPool,
    shared_globally: bool,
    website_id: i64,
    own_view: i64,
) -> Result<(Vec<StoreChoice>, Option<i64>), sqlx::Error> {
    let views = stores::views(pool).await?;
    let automatic = views
        .iter()
        .find(|v| v.id == own_view)
        .or_else(|| views.iter().filter(|v| v.website_id == website_id).max_by_key(|v| (v.is_default, -v.id)))
        .map(|v| v.id);
    let choices = views
        .into_iter()
        .map(|v| StoreChoice {
            allowed: shared_globally || v.website_id == website_id,
            id: v.id,
            name: v.name,
            website_id: v.website_id,
            website_name: v.website_name,
        })
        .collect();
    Ok((choices, automatic))
}

async fn shared_globally(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    Ok(cfg::default_value(pool, crate::domain::config::SHARE_SCOPE).await? == "global")
}

/// What the `Login as Customer` button opens for `customer_id`: the refusal dialog when the
/// customer is inactive or has not consented, else the confirmation with the store choice,
/// the reason field and who else assists the customer now.
pub async fn dialog(pool: &AnyPool, assistant: &Assistant, customer_id: i64) -> Result<StartDialog, AppError> {
    let s = settings(pool).await?;
    let t = target(pool, customer_id).await?.ok_or(AppError::NotFound(Box::new(Msg::CustomerNotFound)))?;
    if !may_assist(&assistant.grant, &assistant.scope, t.website_id) {
        return Err(AppError::Forbidden(Box::new(Msg::CustomerOutsideScope)));
    }
    let refusal = if !t.is_active {
        Some(DialogRefusal::Inactive)
    } else if !holds(t.consent, t.consent_at, s.consent_days, now_ms()) {
        Some(DialogRefusal::NoConsent)
    } else {
        None
    };
    let (stores, preselected) =
        store_choices(pool, shared_globally(pool).await?, t.website_id, t.store_view_id).await?;
    Ok(StartDialog {
        refusal,
        manual: s.manual,
        stores,
        preselected,
        reason_required: s.require_reason,
        others: repo::others_assisting(pool, customer_id, assistant.id).await?,
    })
}

#[derive(Serialize)]
struct StartSnapshot<'a> {
    session: i64,
    customer: i64,
    store_view: i64,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct EndSnapshot {
    session: i64,
    end_reason: &'static str,
}

/// A new handoff secret (256 random bits, hex) and the hash that is stored.
fn new_ticket() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex(&bytes);
    let hash = ticket_hash(&secret);
    (secret, hash)
}

pub fn ticket_hash(secret: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts assisting: the checks of SPEC §3.4 after the resource (the feature switch and the
/// resource are checked before, by the caller, for every caller), then in one transaction:
/// this admin's previous session ends, the session and its ticket are written, and the start
/// is logged. Returns where the storefront tab goes (the secret in the fragment).
#[tracing::instrument(skip_all, fields(admin = assistant.id, customer = input.customer_id), err(level = "warn"))]
pub async fn start(
    tx: &mut Tx<'_>,
    origin: &Origin,
    assistant: &Assistant,
    input: &StartInput,
) -> Result<Started, AppError> {
    let s = settings_tx(tx).await?;
    if !s.enabled {
        return Err(AppError::Forbidden(Box::new(Msg::LacDisabled)));
    }
    // The admin's row lock first: two starts by one admin at once end up as one session.
    admins::lock_user(tx, assistant.id).await?;
    crate::server::db::customers::lock(tx, input.customer_id).await?;
    let t = target(&mut **tx, input.customer_id).await?.ok_or(AppError::NotFound(Box::new(Msg::CustomerNotFound)))?;
    if !may_assist(&assistant.grant, &assistant.scope, t.website_id) {
        return Err(AppError::Forbidden(Box::new(Msg::CustomerOutsideScope)));
    }
    if !t.is_active {
        return Err(AppError::Forbidden(Box::new(Msg::CustomerInactive)));
    }
    let now = now_ms();
    if !holds(t.consent, t.consent_at, s.consent_days, now) {
        return Err(AppError::Forbidden(Box::new(Msg::ConsentMissing)));
    }
    let store = start_assist_form::store.key;
    let global = cfg::accounts_shared_globally(tx).await?;
    let view = match (s.manual, input.store_view_id) {
        (true, None) => return Err(AppError::field(store, Msg::StoreViewRequired)),
        (_, Some(id)) => {
            let view = active_view(tx, id).await?.ok_or_else(|| AppError::field(store, Msg::StoreViewNotAllowed))?;
            if !global && view.1 != t.website_id {
                return Err(AppError::field(store, Msg::StoreViewNotAllowed));
            }
            view.0
        }
        (false, None) => automatic_view(tx, t.website_id, t.store_view_id)
            .await?
            .ok_or_else(|| AppError::field(store, Msg::StoreViewNotAllowed))?,
    };
    if s.require_reason && input.reason.is_none() {
        return Err(AppError::field(start_assist_form::reason.key, Msg::ReasonRequired));
    }
    end_running(tx, origin, Running::OfAdmin(assistant.id), EndReason::Replaced).await?;
    let (secret, hash) = new_ticket();
    let id = repo::insert(
        tx,
        &NewSession {
            admin_id: assistant.id,
            admin_name: &assistant.name,
            shown_name: &assistant.shown_name,
            customer_id: input.customer_id,
            customer_email: &t.email,
            store_view_id: view,
            reason: input.reason.as_deref(),
            admin_session: &assistant.admin_session,
            ticket_hash: &hash,
            ticket_expires_at: now + rules::TICKET_SECS * 1000,
            now,
        },
    )
    .await?;
    let snapshot =
        StartSnapshot { session: id, customer: input.customer_id, store_view: view, reason: input.reason.as_deref() };
    let entry = Entry::change(
        audit::group::LOGIN_AS_CUSTOMER,
        "Login as Customer",
        "customer",
        input.customer_id,
        None::<&()>,
        Some(&snapshot),
    );
    audit::write(tx, origin, entry).await?;
    let data = serde_json::json!({
        "session_id": id,
        "customer_id": input.customer_id,
        "customer_email": t.email,
        "admin_username": assistant.username,
        "store_view_id": view,
        "reason": input.reason,
        "started_at": now,
    });
    crate::server::webhooks::emit(tx, event::LAC_STARTED, t.website_id, data).await?;
    if notify_customer(tx, t.website_id).await? {
        let website: String = sqlx::query_scalar("SELECT name FROM websites WHERE id = $1")
            .bind(t.website_id)
            .fetch_one(&mut **tx)
            .await?;
        // In the language of the shopper's own store view, quoting its checkbox as it reads
        // there.
        let view = stores::view_by_id(&mut **tx, t.store_view_id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let locale = crate::l10n::parse(&view.locale).unwrap_or_default();
        let title = consent::text_for(&mut **tx, &view, crate::domain::config::LAC_OPT_IN_TITLE).await?;
        let name = crate::l10n::full_name(locale, &t.first_name, &t.last_name);
        let notice = rules::start_notice(locale, &name, &assistant.shown_name, &website, &title, now);
        let message = outbox::Message {
            kind: "login_as_customer.started",
            recipient: &t.email,
            subject: &notice.0,
            body: &notice.1,
        };
        outbox::put(tx, &message).await?;
    }
    Ok(started(id, &secret))
}

/// Where the storefront tab goes for session `id` with ticket `secret` (in the fragment).
fn started(id: i64, secret: &str) -> Started {
    Started { session_id: id, open_url: format!("{}#{secret}", crate::server::handoff::OPEN_PATH) }
}

/// A new ticket for a session `admin_id` started that nobody opened yet (an API start retried
/// with its idempotency key: the first answer's link was lost with it); `None` when the session
/// was opened or ended meanwhile.
pub async fn reticket(tx: &mut Tx<'_>, admin_id: i64, session_id: i64) -> Result<Option<Started>, AppError> {
    let (secret, hash) = new_ticket();
    let expires = now_ms() + rules::TICKET_SECS * 1000;
    Ok(repo::reissue(tx, session_id, admin_id, &hash, expires).await?.then(|| started(session_id, &secret)))
}

/// `Notify Customer` as it applies to the customer's website.
async fn notify_customer(tx: &mut Tx<'_>, website_id: i64) -> Result<bool, sqlx::Error> {
    use crate::domain::config::{Scope as At, LAC_NOTIFY_CUSTOMER};
    let value = match cfg::get_at(tx, At::Website(website_id), LAC_NOTIFY_CUSTOMER).await? {
        Some(v) => v,
        None => consent::setting(tx, LAC_NOTIFY_CUSTOMER).await?,
    };
    Ok(value == "1")
}

/// An active store view's (id, website id).
async fn active_view(tx: &mut Tx<'_>, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query("SELECT id, website_id FROM store_views WHERE id = $1 AND is_active = 1")
        .bind(id)
        .try_map(|r: sqlx::any::AnyRow| Ok((r.try_get("id")?, r.try_get("website_id")?)))
        .fetch_optional(&mut **tx)
        .await
}

/// `Automatic`: the account's own store view while it is active, else its website's default.
async fn automatic_view(tx: &mut Tx<'_>, website_id: i64, own: i64) -> Result<Option<i64>, sqlx::Error> {
    if let Some((id, _)) = active_view(tx, own).await? {
        return Ok(Some(id));
    }
    sqlx::query_scalar(
        "SELECT id FROM store_views WHERE website_id = $1 AND is_active = 1 ORDER BY is_default DESC, sort_order, id LIMIT 1",
    )
    .bind(website_id)
    .fetch_optional(&mut **tx)
    .await
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
                audit::group::LOGIN_AS_CUSTOMER,
                "End Login as Customer",
                "assistance_session",
                id,
                None::<&()>,
                Some(&EndSnapshot { session: id, end_reason: reason.code() }),
            );
            audit::write(tx, origin, entry).await?;
            let (customer_id, website_id): (i64, i64) = sqlx::query_as(
                "SELECT s.customer_id, c.website_id FROM assistance_sessions s JOIN customers c ON c.id = s.customer_id \
                 WHERE s.id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            let data = serde_json::json!({
                "session_id": id,
                "customer_id": customer_id,
                "end_reason": reason.code(),
                "ended_at": now,
            });
            crate::server::webhooks::emit(tx, event::LAC_ENDED, website_id, data).await?;
            ended += 1;
        }
    }
    if ended > 0 {
        tracing::info!(ended, reason = reason.code(), "assistance sessions ended");
    }
    Ok(ended)
}

/// A redeemed ticket: who to sign in, where, under which assistance session.
#[derive(Clone, Debug)]
pub struct Handoff {
    pub session_id: i64,
    pub customer_id: i64,
    pub customer_epoch: i64,
    pub store_code: String,
    pub default_view: bool,
}

/// Redeems `secret` for the admin signed in on `admin_session`. Logged as the admin acting
/// for the customer. A refusal changes nothing.
pub async fn redeem(
    state: &AppState,
    admin: &Assistant,
    origin_ip: (&str, &str),
    secret: &str,
) -> Result<Handoff, AppError> {
    let refused = || AppError::Forbidden(Box::new(Msg::TicketRefused));
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refused());
    }
    ensure_enabled(&state.db.pool).await?;
    let mut tx = state.db.begin().await?;
    let Some(r) = repo::redeem(&mut tx, &ticket_hash(secret), admin.id, &admin.admin_session, now_ms()).await? else {
        return Err(refused());
    };
    let origin = Origin {
        actor: Actor::AdminAsCustomer {
            admin_id: admin.id,
            admin_username: admin.username.clone(),
            customer_id: r.customer_id,
            session_id: r.id,
        },
        ip: origin_ip.0.to_string(),
        user_agent: origin_ip.1.to_string(),
    };
    let entry = Entry {
        group: audit::group::LOGIN_AS_CUSTOMER,
        action: "Open storefront",
        target_type: "assistance_session",
        target_id: r.id.to_string(),
        old: None,
        new: None,
        result: "success",
    };
    audit::write(&mut tx, &origin, entry).await?;
    let epoch: Option<i64> = sqlx::query_scalar("SELECT session_epoch FROM customers WHERE id = $1")
        .bind(r.customer_id)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let view = stores::view_by_id(&state.db.pool, r.store_view_id).await?.ok_or(AppError::Internal)?;
    let default = stores::view_by_code(&state.db.pool, None).await?;
    Ok(Handoff {
        session_id: r.id,
        customer_id: r.customer_id,
        customer_epoch: epoch.unwrap_or_default(),
        default_view: default.is_some_and(|d| d.id == view.id),
        store_code: view.code,
    })
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
    Ok(consent::setting(tx, crate::domain::config::LAC_RESTRICT_SENSITIVE).await? == "1")
}
