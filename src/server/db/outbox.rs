//! The outbox: messages written in the transaction of what caused them, sent after commit.

use super::{now_ms, Tx};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// A message to send.
pub struct Message<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn put(tx: &mut Tx<'_>, m: &Message<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO outbox_messages (kind, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(m.kind)
    .bind(m.recipient)
    .bind(m.subject)
    .bind(m.body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// A stored message waiting to be sent.
#[derive(Clone, Debug)]
pub struct Pending {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Messages due now, oldest first.
pub async fn due(pool: &AnyPool, limit: i64) -> Result<Vec<Pending>, sqlx::Error> {
    sqlx::query(
        "SELECT id, recipient, subject, body, attempts FROM outbox_messages \
         WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
    )
    .bind(now_ms())
    .bind(limit)
    .try_map(|r: AnyRow| {
        Ok(Pending {
            id: r.try_get("id")?,
            recipient: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            attempts: r.try_get("attempts")?,
        })
    })
    .fetch_all(pool)
    .await
}

pub async fn mark_sent(pool: &AnyPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox_messages SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(pool)
        .await?;
    Ok(())
}

/// Records a failed attempt; the next one waits twice as long as the last (1 minute, 2, 4, ...,
/// at most a day).
pub async fn mark_failed(pool: &AnyPool, id: i64, attempts: i64, error: &str) -> Result<(), sqlx::Error> {
    let wait = 60_000_i64.saturating_mul(1 << attempts.clamp(0, 10)).min(86_400_000);
    sqlx::query(
        "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(now_ms() + wait)
    .bind(error.chars().take(500).collect::<String>())
    .execute(pool)
    .await?;
    Ok(())
}
