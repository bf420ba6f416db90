//! Login as Customer: start (with its checks in SPEC §3.4's order), the handoff ticket's
//! redemption, the check every storefront request makes while an admin assists, and the ends
//! (each logged with its reason). The screens, the command line and the JSON API call these.

use super::consent;
use crate::domain::acl::{Grant, Resource, Scope};
use crate::domain::assist::{self as rules, DialogRefusal, EndReason, StartDialog, Started, StoreChoice};
use crate::domain::consent::holds;
use crate::domain::error::AppError;
use crate::domain::forms::{start_assist_form, StartAssistForm};
use crate::domain::input::parse_id;
use crate::domain::integrations::event;
use crate::domain::msg::Msg;
use crate::l10n::Locale;
use crate::server::assist::{end_running, ensure_enabled, setting, settings};
use crate::server::db::assist::{self as repo, NewSession, Running};
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::{admins, config as cfg, customers, now_ms, outbox, stores, Tx};
use crate::server::state::AppState;
use crate::tr_in;
use serde::Serialize;
use sqlx::AnyPool;

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

/// Refuses an assistant whose role lacks `Allow Login as Customer`: every caller of the start
/// (and of its dialog) meets this check here, not only those that checked before.
fn ensure_may_start(grant: &Grant) -> Result<(), AppError> {
    if grant.allows(Resource::AssistLogin) {
        Ok(())
    } else {
        Err(AppError::forbidden(Msg::PermissionNeeded { resource: Resource::AssistLogin }))
    }
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
    if !s.enabled {
        return Err(AppError::forbidden(Msg::AssistDisabled));
    }
    ensure_may_start(&assistant.grant)?;
    let t = customers::assist_target(pool, customer_id).await?.ok_or(AppError::not_found(Msg::CustomerNotFound))?;
    // Out of scope answers exactly as a missing customer: a scope is no way to probe ids.
    assistant.scope.ensure_covers(t.website_id)?;
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
/// is logged. Returns where the storefront tab goes (the secret in the fragment). Absolute
/// links in the notice and the webhook are made on `public_url` (the store's public address).
#[tracing::instrument(skip_all, fields(admin = assistant.id, customer = input.customer_id), err(level = "warn"))]
pub async fn start(
    tx: &mut Tx<'_>,
    origin: &Origin,
    assistant: &Assistant,
    input: &StartInput,
    public_url: &str,
) -> Result<Started, AppError> {
    let s = settings(&mut **tx).await?;
    if !s.enabled {
        return Err(AppError::forbidden(Msg::AssistDisabled));
    }
    ensure_may_start(&assistant.grant)?;
    // The admin's row lock first: two starts by one admin at once end up as one session.
    admins::lock_user(tx, assistant.id).await?;
    customers::lock(tx, input.customer_id).await?;
    let t = customers::assist_target(&mut **tx, input.customer_id)
        .await?
        .ok_or(AppError::not_found(Msg::CustomerNotFound))?;
    // Out of scope answers exactly as a missing customer: a scope is no way to probe ids.
    assistant.scope.ensure_covers(t.website_id)?;
    if !t.is_active {
        return Err(AppError::forbidden(Msg::CustomerInactive));
    }
    let now = now_ms();
    if !holds(t.consent, t.consent_at, s.consent_days, now) {
        return Err(AppError::forbidden(Msg::ConsentMissing));
    }
    let store = start_assist_form::store.key;
    let global = cfg::accounts_shared_globally(tx).await?;
    let view = match (s.manual, input.store_view_id) {
        (true, None) => return Err(AppError::field(store, Msg::StoreViewRequired)),
        (_, Some(id)) => {
            let view = stores::active_view(&mut **tx, id)
                .await?
                .ok_or_else(|| AppError::field(store, Msg::StoreViewNotAllowed))?;
            if !global && view.1 != t.website_id {
                return Err(AppError::field(store, Msg::StoreViewNotAllowed));
            }
            view.0
        }
        (false, None) => stores::automatic_view(tx, t.website_id, t.store_view_id)
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
        audit::group::ASSIST,
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
        "customer_admin_url": format!("{public_url}/admin/customers/{}/edit", input.customer_id),
    });
    crate::server::webhooks::emit(tx, event::ASSIST_STARTED, t.website_id, data).await?;
    if notify_customer(tx, t.website_id).await? {
        let website = stores::website_name(&mut **tx, t.website_id).await?;
        // In the language of the shopper's own store view, quoting its checkbox as it reads
        // there.
        let view = stores::view_by_id(&mut **tx, t.store_view_id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let locale = crate::l10n::parse(&view.locale).unwrap_or_default();
        let title = consent::text_for(&mut **tx, &view, crate::domain::config::ASSIST_OPT_IN_TITLE).await?;
        let name = crate::l10n::full_name(locale, &t.first_name, &t.last_name);
        // Addressed by its code, which every store view answers to (the default one too).
        let history = format!("{public_url}{}", crate::domain::store::store_href(&view.code, "/customer/account"));
        let notice = start_notice(locale, &name, &assistant.shown_name, &website, &title, now, &history);
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

/// The message a shopper gets when an assistance session starts (with `Notify Customer`):
/// (subject, body), in the language of the shopper's store view. Written with the store's
/// words, never the admin's user name; `consent` is the checkbox's title as that store view
/// shows it, so the shopper recognises what they ticked.
fn start_notice(
    locale: Locale,
    customer: &str,
    assistant: &str,
    website: &str,
    consent: &str,
    at_ms: i64,
    history: &str,
) -> (String, String) {
    let when = crate::l10n::datetime(locale, at_ms);
    (
        tr_in!(locale, store.mail.assist_subject, website = website),
        tr_in!(
            locale,
            store.mail.assist_body,
            customer = customer,
            assistant = assistant,
            website = website,
            when = when,
            consent = consent,
            url = history
        ),
    )
}

/// Where the storefront tab goes for session `id` with ticket `secret` (in the fragment).
fn started(id: i64, secret: &str) -> Started {
    Started { session_id: id, open_url: format!("{}#{secret}", rules::OPEN_PATH) }
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
    use crate::domain::config::{Scope as At, ASSIST_NOTIFY_CUSTOMER};
    let value = match cfg::get_at(tx, At::Website(website_id), ASSIST_NOTIFY_CUSTOMER).await? {
        Some(v) => v,
        None => setting(tx, ASSIST_NOTIFY_CUSTOMER).await?,
    };
    Ok(value == "1")
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
    let refused = || AppError::forbidden(Msg::TicketRefused);
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
        group: audit::group::ASSIST,
        action: "Open storefront",
        target_type: "assistance_session",
        target_id: r.id.to_string(),
        old: None,
        new: None,
        result: "success",
    };
    audit::write(&mut tx, &origin, entry).await?;
    let epoch = customers::session_epoch(&mut *tx, r.customer_id).await?;
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
