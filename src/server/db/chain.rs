//! The hash chain that makes the action log tamper-evident. Entries are written by many
//! requests at once and only then sealed, in commit order rather than under one lock: each
//! seal's hash covers every column of its entry and the previous seal's hash, so an entry
//! changed or removed behind the app's back no longer matches, and an entry slipped in with
//! an old date is never sealed and shows up as unsealed.

use super::{is_unique_violation, now_ms, Db};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::fmt;
use std::time::Duration;

/// Entries sealed per transaction: a round holds the write lock only briefly.
const SEAL_BATCH: usize = 500;
/// Only entries this recent are sealed. A real entry is sealed within a second of its
/// commit; an older one without a seal was written behind the app's back and must stay
/// unsealed for `verify` to report it.
const SEAL_WINDOW_MS: i64 = 5 * 60 * 1000;
/// How far below the newest sealed entry a round looks for entries that committed late.
const LATE_COMMIT_IDS: i64 = 1000;
/// Seals read per query by `verify`.
const VERIFY_PAGE: i64 = 1000;
/// Unsealed entries `verify` names (it counts them all).
const UNSEALED_LISTED: i64 = 100;
/// The `prev_hash` of the first seal.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every column of an action log entry, as the seal covers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub id: i64,
    pub created_at: i64,
    pub admin_id: Option<i64>,
    pub admin_username: String,
    pub action_group: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub result: String,
    pub ip: String,
    pub user_agent: String,
    pub actor_type: String,
    pub customer_id: Option<i64>,
    pub assistance_session_id: Option<i64>,
}

/// The entry columns as selected from `action_log a`.
const ENTRY_COLUMNS: &str = "a.id, a.created_at, a.admin_id, a.admin_username, a.action_group, a.action, \
     a.target_type, a.target_id, a.old_value, a.new_value, a.result, a.ip, a.user_agent, a.actor_type, \
     a.customer_id, a.assistance_session_id";

impl LogRow {
    /// The entry in `row`, or `None` when a LEFT JOIN found none.
    fn read(row: &AnyRow) -> Result<Option<LogRow>, sqlx::Error> {
        let Some(id) = row.try_get::<Option<i64>, _>("id")? else { return Ok(None) };
        Ok(Some(LogRow {
            id,
            created_at: row.try_get("created_at")?,
            admin_id: row.try_get("admin_id")?,
            admin_username: row.try_get("admin_username")?,
            action_group: row.try_get("action_group")?,
            action: row.try_get("action")?,
            target_type: row.try_get("target_type")?,
            target_id: row.try_get("target_id")?,
            old_value: row.try_get("old_value")?,
            new_value: row.try_get("new_value")?,
            result: row.try_get("result")?,
            ip: row.try_get("ip")?,
            user_agent: row.try_get("user_agent")?,
            actor_type: row.try_get("actor_type")?,
            customer_id: row.try_get("customer_id")?,
            assistance_session_id: row.try_get("assistance_session_id")?,
        }))
    }
}

/// SHA-256 (lower-case hex) of `prev_hash` followed by the entry as a JSON array: JSON keeps
/// field boundaries and NULL apart from "", and `prev_hash` always has 64 characters.
pub fn content_hash(prev_hash: &str, row: &LogRow) -> String {
    let fields = json!([
        row.id,
        row.created_at,
        row.admin_id,
        row.admin_username,
        row.action_group,
        row.action,
        row.target_type,
        row.target_id,
        row.old_value,
        row.new_value,
        row.result,
        row.ip,
        row.user_agent,
        row.actor_type,
        row.customer_id,
        row.assistance_session_id,
    ]);
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(fields.to_string().as_bytes());
    format!("{:x}", hasher.finalize())
}

/// Seals every recent entry that has none, oldest id first, [`SEAL_BATCH`] per transaction.
/// Returns how many it sealed. Losing a race to another sealer (the server's, or the
/// command line's) is not an error: that round stops and the winner's seals stand.
#[tracing::instrument(skip_all)]
pub async fn seal_pending(db: &Db) -> Result<usize, sqlx::Error> {
    seal_since(db, now_ms() - SEAL_WINDOW_MS).await
}

/// Seals every unsealed entry after the newest sealed one, however old (for entries that
/// are written in bulk with past times, such as generated demo data).
pub async fn seal_all_pending(db: &Db) -> Result<usize, sqlx::Error> {
    seal_since(db, i64::MIN).await
}

async fn seal_since(db: &Db, since: i64) -> Result<usize, sqlx::Error> {
    let mut sealed = 0;
    loop {
        let n = seal_round(db, since).await?;
        sealed += n;
        if n < SEAL_BATCH {
            return Ok(sealed);
        }
    }
}

async fn seal_round(db: &Db, since: i64) -> Result<usize, sqlx::Error> {
    // Look before locking: most rounds find nothing, and on SQLite a write transaction would
    // hold up every request that logs.
    if unsealed_recent(&db.pool, since, 1).await?.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let last = sqlx::query("SELECT seq, hash FROM action_log_seals ORDER BY seq DESC LIMIT 1");
    let (mut seq, mut prev_hash): (i64, String) = match last.fetch_optional(&mut *tx).await? {
        Some(row) => (row.try_get("seq")?, row.try_get("hash")?),
        None => (0, GENESIS.to_string()),
    };
    let entries = unsealed_recent(&mut *tx, since, SEAL_BATCH).await?;
    if entries.is_empty() {
        tx.rollback().await?;
        return Ok(0);
    }
    let sealed_at = now_ms();
    // One statement for the whole batch: the write lock is held for about a millisecond, not
    // for one round trip per entry (requests that log wait for it).
    let mut seals = Vec::with_capacity(entries.len());
    for entry in &entries {
        seq += 1;
        let hash = content_hash(&prev_hash, entry);
        seals.push((seq, entry.id, std::mem::replace(&mut prev_hash, hash.clone()), hash));
    }
    let values: Vec<String> = (0..seals.len())
        .map(|i| {
            let b = i * 5;
            format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5)
        })
        .collect();
    let sql = format!(
        "INSERT INTO action_log_seals (seq, entry_id, prev_hash, hash, sealed_at) VALUES {}",
        values.join(", ")
    );
    let mut insert = sqlx::query(&sql);
    for (seq, entry_id, prev, hash) in &seals {
        insert = insert.bind(*seq).bind(*entry_id).bind(prev.clone()).bind(hash.clone()).bind(sealed_at);
    }
    match insert.execute(&mut *tx).await {
        Err(err) if is_unique_violation(&err) => {
            tracing::debug!(seq, "another sealer got there first");
            tx.rollback().await?;
            return Ok(0);
        }
        other => other?,
    };
    tx.commit().await?;
    Ok(entries.len())
}

/// Entries without a seal created since `since`, by id, at most `limit`. Only ids near the
/// newest sealed one are searched: an entry that committed late is still close to it.
async fn unsealed_recent<'e>(
    executor: impl crate::server::db::Executor<'e>,
    since: i64,
    limit: usize,
) -> Result<Vec<LogRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM action_log a \
         WHERE a.id > (SELECT COALESCE(MAX(entry_id), 0) FROM action_log_seals) - $1 AND a.created_at >= $2 \
         AND NOT EXISTS (SELECT 1 FROM action_log_seals s WHERE s.entry_id = a.id) \
         ORDER BY a.id LIMIT $3"
    ))
    .bind(LATE_COMMIT_IDS)
    .bind(since)
    .bind(limit as i64)
    .fetch_all(executor)
    .await?;
    rows.iter().filter_map(|row| LogRow::read(row).transpose()).collect()
}

/// Seals new entries every half second, forever; a failed round is logged and retried.
pub async fn seal_forever(db: Db) {
    let mut interval = tokio::time::interval(Duration::from_millis(500));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match seal_pending(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(sealed = n, "action log entries sealed"),
            Err(err) => tracing::warn!(%err, "sealing the action log failed; will retry"),
        }
    }
}

/// Why the chain breaks at a seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The entry no longer hashes to its seal.
    ContentChanged,
    /// The sealed entry is gone.
    EntryMissing,
    /// The seal does not follow the one before it (a seal missing or altered).
    LinkBroken,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::ContentChanged => "content changed",
            Reason::EntryMissing => "entry missing",
            Reason::LinkBroken => "chain link broken",
        })
    }
}

/// Where the chain first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub entry_id: i64,
    pub reason: Reason,
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Seals checked and found intact, from the first one on (up to the break, if any).
    pub intact_seals: u64,
    pub first_break: Option<Break>,
    /// Entries older than the grace period without a seal: how many, and the first ids.
    pub unsealed_count: i64,
    pub unsealed: Vec<i64>,
}

impl Report {
    /// Whether the whole log is sealed and every seal holds.
    pub fn intact(&self) -> bool {
        self.first_break.is_none() && self.unsealed_count == 0
    }
}

/// Walks the chain in seal order, a page at a time, recomputing each hash from the entry as
/// it is now; reports the first break, and the entries older than `grace` that have no seal.
#[tracing::instrument(skip_all)]
pub async fn verify(db: &Db, grace: Duration) -> Result<Report, sqlx::Error> {
    let (unsealed_count, unsealed) = unsealed_before(&db.pool, now_ms() - grace.as_millis() as i64).await?;
    let mut intact_seals = 0;
    let mut expected = (1_i64, GENESIS.to_string());
    loop {
        let rows = sqlx::query(&format!(
            "SELECT s.seq, s.entry_id, s.prev_hash, s.hash, {ENTRY_COLUMNS} FROM action_log_seals s \
             LEFT JOIN action_log a ON a.id = s.entry_id WHERE s.seq >= $1 ORDER BY s.seq LIMIT $2"
        ))
        .bind(expected.0)
        .bind(VERIFY_PAGE)
        .fetch_all(&db.pool)
        .await?;
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            let entry_id: i64 = row.try_get("entry_id")?;
            let prev_hash: String = row.try_get("prev_hash")?;
            let hash: String = row.try_get("hash")?;
            let reason = if seq != expected.0 || prev_hash != expected.1 {
                Some(Reason::LinkBroken)
            } else {
                match LogRow::read(row)? {
                    None => Some(Reason::EntryMissing),
                    Some(entry) if content_hash(&prev_hash, &entry) != hash => Some(Reason::ContentChanged),
                    Some(_) => None,
                }
            };
            if let Some(reason) = reason {
                let first_break = Some(Break { seq, entry_id, reason });
                return Ok(Report { intact_seals, first_break, unsealed_count, unsealed });
            }
            intact_seals += 1;
            expected = (seq + 1, hash);
        }
        if rows.len() < VERIFY_PAGE as usize {
            return Ok(Report { intact_seals, first_break: None, unsealed_count, unsealed });
        }
    }
}

/// How many entries created before `before` have no seal, and the first of them.
async fn unsealed_before(pool: &AnyPool, before: i64) -> Result<(i64, Vec<i64>), sqlx::Error> {
    const UNSEALED: &str =
        "FROM action_log a WHERE a.created_at < $1 AND NOT EXISTS (SELECT 1 FROM action_log_seals s WHERE s.entry_id = a.id)";
    let count = sqlx::query_scalar(&format!("SELECT COUNT(*) {UNSEALED}")).bind(before).fetch_one(pool).await?;
    let ids = sqlx::query_scalar(&format!("SELECT a.id {UNSEALED} ORDER BY a.id LIMIT $2"))
        .bind(before)
        .bind(UNSEALED_LISTED)
        .fetch_all(pool)
        .await?;
    Ok((count, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogRow {
        LogRow {
            id: 7,
            created_at: 1_700_000_000_000,
            admin_id: Some(1),
            admin_username: "admin".into(),
            action_group: "Permissions".into(),
            action: "Save Role".into(),
            target_type: "role".into(),
            target_id: "3".into(),
            old_value: None,
            new_value: Some(r#"{"name":"Sales"}"#.into()),
            result: "success".into(),
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
            actor_type: "admin".into(),
            customer_id: None,
            assistance_session_id: None,
        }
    }

    /// A column's name and a change to it.
    type Change = (&'static str, fn(&mut LogRow));

    #[test]
    fn changing_any_one_field_changes_the_hash() {
        let changes: [Change; 16] = [
            ("id", |e| e.id = 8),
            ("created_at", |e| e.created_at += 1),
            ("admin_id", |e| e.admin_id = None),
            ("admin_username", |e| e.admin_username = "mallory".into()),
            ("action_group", |e| e.action_group = "Customers".into()),
            ("action", |e| e.action = "Delete Role".into()),
            ("target_type", |e| e.target_type = "user".into()),
            ("target_id", |e| e.target_id = "4".into()),
            ("old_value", |e| e.old_value = Some(String::new())),
            ("new_value", |e| e.new_value = None),
            ("result", |e| e.result = "failure".into()),
            ("ip", |e| e.ip = "10.0.0.1".into()),
            ("user_agent", |e| e.user_agent = "curl".into()),
            ("actor_type", |e| e.actor_type = "system".into()),
            ("customer_id", |e| e.customer_id = Some(0)),
            ("assistance_session_id", |e| e.assistance_session_id = Some(1)),
        ];
        let original = content_hash(GENESIS, &entry());
        assert_eq!(original.len(), 64);
        for (field, change) in changes {
            let mut changed = entry();
            change(&mut changed);
            assert_ne!(content_hash(GENESIS, &changed), original, "{field}");
        }
    }

    #[test]
    fn the_hash_covers_the_previous_hash_and_field_boundaries() {
        assert_ne!(content_hash(&"1".repeat(64), &entry()), content_hash(GENESIS, &entry()));
        // Text moved from one field to the next is a different entry.
        let (mut a, mut b) = (entry(), entry());
        (a.ip, a.user_agent) = ("1.2.3.4x".into(), "y".into());
        (b.ip, b.user_agent) = ("1.2.3.4".into(), "xy".into());
        assert_ne!(content_hash(GENESIS, &a), content_hash(GENESIS, &b));
        assert_eq!(content_hash(GENESIS, &entry()), content_hash(GENESIS, &entry()), "and it is stable");
    }
}
