//! Integration tokens, webhooks and their deliveries, and the start's idempotency keys.

use super::{flag, now_ms, Tx};
use crate::domain::acl::{Grant, Scope};
use crate::domain::integrations::{TokenRow, WebhookRow};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// What a new token is stored as.
pub struct NewToken<'a> {
    pub name: &'a str,
    pub admin_user_id: i64,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub created_by: &'a str,
    pub expires_at: i64,
}

pub async fn insert_token(tx: &mut Tx<'_>, t: &NewToken<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO integration_tokens (name, admin_user_id, token_hash, prefix, created_at, created_by, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(t.name)
    .bind(t.admin_user_id)
    .bind(t.token_hash)
    .bind(t.prefix)
    .bind(now_ms())
    .bind(t.created_by)
    .bind(t.expires_at)
    .fetch_one(&mut **tx)
    .await
}

/// Revokes a live token; false when it was already revoked (by this call's twin, too: the
/// update itself decides, so two revocations at once make one).
pub async fn revoke(tx: &mut Tx<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE integration_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

const TOKEN_COLUMNS: &str = "t.id, t.name, t.admin_user_id, u.username, t.prefix, t.created_at, t.created_by, \
     t.expires_at, t.last_used_at, t.revoked_at";

fn token_row(r: AnyRow) -> Result<TokenRow, sqlx::Error> {
    Ok(TokenRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        admin_user_id: r.try_get("admin_user_id")?,
        username: r.try_get("username")?,
        prefix: r.try_get("prefix")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        expires_at: r.try_get("expires_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

pub async fn token<'e>(ex: impl crate::server::db::Executor<'e>, id: i64) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM integration_tokens t JOIN admin_users u ON u.id = t.admin_user_id WHERE t.id = $1"
    ))
    .bind(id)
    .try_map(token_row)
    .fetch_optional(ex)
    .await
}

/// Every token, newest first (the Integrations grid: a store has a handful).
pub async fn tokens(pool: &AnyPool) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM integration_tokens t JOIN admin_users u ON u.id = t.admin_user_id \
         ORDER BY t.id DESC LIMIT 1000"
    ))
    .try_map(token_row)
    .fetch_all(pool)
    .await
}

/// The token whose secret hashes to `hash`, with its user as they are now.
#[derive(Clone, Debug)]
pub struct Bearer {
    pub token_id: i64,
    pub token_name: String,
    pub expires_at: i64,
    pub revoked: bool,
    pub last_used_at: Option<i64>,
    pub admin_id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub admin_active: bool,
    pub role_id: i64,
    /// The role grants every resource (`All`): no resource list to read.
    pub all_resources: bool,
    /// The role covers every website: no website list to read.
    pub all_websites: bool,
}

pub async fn bearer(pool: &AnyPool, hash: &str) -> Result<Option<Bearer>, sqlx::Error> {
    sqlx::query(
        "SELECT t.id, t.name, t.expires_at, t.revoked_at, t.last_used_at, u.id AS admin_id, u.username, \
         u.first_name, u.last_name, u.display_name, u.is_active, u.role_id, r.all_resources, r.all_websites \
         FROM integration_tokens t JOIN admin_users u ON u.id = t.admin_user_id \
         JOIN admin_roles r ON r.id = u.role_id WHERE t.token_hash = $1",
    )
    .bind(hash)
    .try_map(|r: AnyRow| {
        Ok(Bearer {
            token_id: r.try_get("id")?,
            token_name: r.try_get("name")?,
            expires_at: r.try_get("expires_at")?,
            revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            last_used_at: r.try_get("last_used_at")?,
            admin_id: r.try_get("admin_id")?,
            username: r.try_get("username")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            display_name: r.try_get("display_name")?,
            admin_active: flag(&r, "is_active")?,
            role_id: r.try_get("role_id")?,
            all_resources: flag(&r, "all_resources")?,
            all_websites: flag(&r, "all_websites")?,
        })
    })
    .fetch_optional(pool)
    .await
}

/// Notes a use (the caller writes it at most once a minute per token).
pub async fn touch(pool: &AnyPool, token_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE integration_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(token_id)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys
// ---------------------------------------------------------------------------------------------

/// The session an earlier start with this key made, and the request's fingerprint then.
pub async fn idempotent_start(tx: &mut Tx<'_>, token_id: i64, key: &str) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query("SELECT fingerprint, session_id FROM api_idempotency WHERE token_id = $1 AND idem_key = $2")
        .bind(token_id)
        .bind(key)
        .try_map(|r: AnyRow| Ok((r.try_get("fingerprint")?, r.try_get("session_id")?)))
        .fetch_optional(&mut **tx)
        .await
}

/// How long a start's Idempotency-Key answers for its session (as payment APIs keep theirs).
pub const IDEMPOTENCY_KEY_KEPT_MS: i64 = 24 * 3_600_000;

/// Forgets the Idempotency-Keys older than [`IDEMPOTENCY_KEY_KEPT_MS`], every `period`.
pub async fn forget_old_keys_forever(pool: AnyPool, period: std::time::Duration) {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        interval.tick().await;
        if let Err(err) = forget_old_keys(&pool, now_ms()).await {
            tracing::warn!(%err, "forgetting old Idempotency-Keys failed; will retry");
        }
    }
}

/// Forgets the Idempotency-Keys that were older than [`IDEMPOTENCY_KEY_KEPT_MS`] at `now`.
pub async fn forget_old_keys(pool: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM api_idempotency WHERE created_at < $1")
        .bind(now - IDEMPOTENCY_KEY_KEPT_MS)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub async fn remember_start(
    tx: &mut Tx<'_>,
    token_id: i64,
    key: &str,
    fingerprint: &str,
    session_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_idempotency (token_id, idem_key, fingerprint, session_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_id)
    .bind(key)
    .bind(fingerprint)
    .bind(session_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

pub async fn insert_webhook(
    tx: &mut Tx<'_>,
    token_id: i64,
    url: &str,
    secret: &str,
    events: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (token_id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(token_id)
    .bind(url)
    .bind(secret)
    .bind(events)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

fn webhook_row(r: AnyRow) -> Result<WebhookRow, sqlx::Error> {
    let events: String = r.try_get("events")?;
    Ok(WebhookRow {
        id: r.try_get("id")?,
        url: r.try_get("url")?,
        events: events.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
        created_at: r.try_get("created_at")?,
    })
}

/// The live webhooks of one token.
pub async fn webhooks(pool: &AnyPool, token_id: i64) -> Result<Vec<WebhookRow>, sqlx::Error> {
    sqlx::query(
        "SELECT id, url, events, created_at FROM webhooks WHERE token_id = $1 AND deleted_at IS NULL ORDER BY id",
    )
    .bind(token_id)
    .try_map(webhook_row)
    .fetch_all(pool)
    .await
}

/// Deletes one of a token's webhooks; false when it has none by that id.
pub async fn delete_webhook(tx: &mut Tx<'_>, token_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE webhooks SET deleted_at = $3 WHERE id = $1 AND token_id = $2 AND deleted_at IS NULL")
            .bind(id)
            .bind(token_id)
            .bind(now_ms())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts `body` in the outbox of every live webhook subscribed to `event` whose token is live.
/// Whether its user may see the customer's website is checked when it is sent.
pub async fn enqueue(tx: &mut Tx<'_>, event: &str, website_id: i64, body: &str) -> Result<u64, sqlx::Error> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO webhook_deliveries (webhook_id, event, website_id, body, created_at, next_attempt_at) \
         SELECT w.id, $1, $2, $3, $4, $4 FROM webhooks w JOIN integration_tokens t ON t.id = w.token_id \
         WHERE w.deleted_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $4 \
         AND (',' || w.events || ',') LIKE ('%,' || $1 || ',%')",
    )
    .bind(event)
    .bind(website_id)
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// A delivery taken for sending, with what decides whether it may still go.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: i64,
    pub event: String,
    pub website_id: i64,
    pub body: String,
    pub attempts: i64,
    pub created_at: i64,
    pub url: String,
    pub secret: String,
    pub token_live: bool,
    pub admin_active: bool,
    pub role_id: i64,
}

/// Takes up to `limit` due deliveries: each is leased for `lease_ms` (so two senders never
/// send one at once, and one whose sender died is due again when the lease runs out).
pub async fn take_due(pool: &AnyPool, limit: i64, lease_ms: i64) -> Result<Vec<Delivery>, sqlx::Error> {
    let now = now_ms();
    let ids: Vec<(i64, i64)> = sqlx::query(
        "SELECT id, next_attempt_at FROM webhook_deliveries \
         WHERE delivered_at IS NULL AND dropped_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .try_map(|r: AnyRow| Ok((r.try_get("id")?, r.try_get("next_attempt_at")?)))
    .fetch_all(pool)
    .await?;
    let mut taken = Vec::new();
    for (id, due) in ids {
        let leased = sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $3, attempts = attempts + 1 \
             WHERE id = $1 AND next_attempt_at = $2 AND delivered_at IS NULL AND dropped_at IS NULL",
        )
        .bind(id)
        .bind(due)
        .bind(now + lease_ms)
        .execute(pool)
        .await?;
        if leased.rows_affected() != 1 {
            continue;
        }
        let d = sqlx::query(
            "SELECT d.id, d.event, d.website_id, d.body, d.attempts, d.created_at, w.url, w.secret, \
             CASE WHEN t.revoked_at IS NULL AND t.expires_at > $2 AND w.deleted_at IS NULL THEN 1 ELSE 0 END AS live, \
             u.is_active, u.role_id \
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             JOIN integration_tokens t ON t.id = w.token_id JOIN admin_users u ON u.id = t.admin_user_id WHERE d.id = $1",
        )
        .bind(id)
        .bind(now)
        .try_map(|r: AnyRow| {
            Ok(Delivery {
                id: r.try_get("id")?,
                event: r.try_get("event")?,
                website_id: r.try_get("website_id")?,
                body: r.try_get("body")?,
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
                url: r.try_get("url")?,
                secret: r.try_get("secret")?,
                token_live: flag(&r, "live")?,
                admin_active: flag(&r, "is_active")?,
                role_id: r.try_get("role_id")?,
            })
        })
        .fetch_one(pool)
        .await?;
        taken.push(d);
    }
    Ok(taken)
}

pub async fn delivered(pool: &AnyPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET delivered_at = $2, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(pool)
        .await?;
    Ok(())
}

/// Records a failed attempt; the next waits `wait_ms`.
pub async fn failed(pool: &AnyPool, id: i64, wait_ms: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = $2, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(now_ms() + wait_ms)
        .bind(error.chars().take(500).collect::<String>())
        .execute(pool)
        .await?;
    Ok(())
}

/// Gives a delivery up for good (its token was revoked, or its user may no longer see it).
pub async fn dropped(pool: &AnyPool, id: i64, why: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET dropped_at = $2, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .bind(why)
        .execute(pool)
        .await?;
    Ok(())
}

/// What a role grants and covers, for a delivery's check.
pub async fn role_rights(pool: &AnyPool, role_id: i64) -> Result<(Grant, Scope), sqlx::Error> {
    Ok((super::admins::role_grant(pool, role_id).await?, super::admins::role_scope(pool, role_id).await?))
}
