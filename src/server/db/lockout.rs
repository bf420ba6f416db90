//! Failed sign-ins, counted per account name and client address (`sign_in_throttle`). After
//! `max_failures` in a row the pair is locked for the configured time, doubled with each
//! further lock (at most a day); a success from that address, an unlock from the command line
//! or a new password clears it. Names that match no account are counted alike, so a lock tells
//! nothing about which accounts exist, and nobody can lock an account from somewhere else.
//!
//! Every write takes the pair's row lock inside the caller's transaction, so parallel attempts
//! are counted one after another and a success sees every failure committed before it.

use super::{now_ms, Tx};
use sqlx::{AnyPool, Row};

/// Which sign-in: admins and shoppers are counted apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Admin,
    Customer,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Admin => "admin",
            Kind::Customer => "customer",
        }
    }
}

/// One account name (as typed, normalized) from one client address.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub kind: Kind,
    pub account: String,
    pub ip: String,
}

impl Attempt {
    /// An admin user name (user names compare without case here, as people type them).
    pub fn admin(username: &str, ip: &str) -> Attempt {
        Attempt { kind: Kind::Admin, account: username.trim().to_lowercase(), ip: ip.to_string() }
    }

    /// A shopper's normalized email on a website (`None`: accounts shared globally).
    pub fn customer(email: &str, website_id: Option<i64>, ip: &str) -> Attempt {
        let scope = website_id.map_or_else(|| "global".to_string(), |w| w.to_string());
        Attempt { kind: Kind::Customer, account: format!("{scope}:{email}"), ip: ip.to_string() }
    }
}

/// The lock policy, from configuration.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub max_failures: i64,
    pub lock_minutes: i64,
}

/// Counts start afresh after a day without failures.
const FORGET_AFTER_MS: i64 = 24 * 60 * 60_000;
/// The longest lock, however many came before.
const LONGEST_LOCK_MS: i64 = 24 * 60 * 60_000;

/// How long the `nth` lock (1-based) lasts: the base doubled for each earlier one.
pub fn lock_ms(policy: Policy, nth: i64) -> i64 {
    let doublings = (nth - 1).clamp(0, 20) as u32;
    (policy.lock_minutes.max(1) * 60_000).saturating_mul(1 << doublings).min(LONGEST_LOCK_MS)
}

/// Whether the pair is locked now. A quick look before the slow password check; the decision
/// itself is taken again by [`admit`] or [`record_failure`] inside the transaction.
pub async fn is_locked(pool: &AnyPool, a: &Attempt) -> Result<bool, sqlx::Error> {
    let until: Option<Option<i64>> =
        sqlx::query_scalar("SELECT locked_until FROM sign_in_throttle WHERE kind = $1 AND account = $2 AND ip = $3")
            .bind(a.kind.as_str())
            .bind(&a.account)
            .bind(&a.ip)
            .fetch_optional(pool)
            .await?;
    Ok(until.flatten().is_some_and(|t| t > now_ms()))
}

/// What a failed attempt did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Counted; not locked yet.
    Counted,
    /// This failure locked the pair.
    NowLocked,
    /// The pair was already locked.
    Locked,
}

/// Counts a failed attempt, atomically: the row is created or raised in one statement that
/// holds its lock to the end of `tx`. Locks the pair when the count reaches the policy's maximum.
pub async fn record_failure(tx: &mut Tx<'_>, a: &Attempt, policy: Policy) -> Result<Failure, sqlx::Error> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO sign_in_throttle (kind, account, ip, failures, lockouts, locked_until, updated_at) \
         VALUES ($1, $2, $3, 1, 0, NULL, $4) \
         ON CONFLICT (kind, account, ip) DO UPDATE SET \
           failures = CASE WHEN sign_in_throttle.updated_at < $5 THEN 1 ELSE sign_in_throttle.failures + 1 END, \
           lockouts = CASE WHEN sign_in_throttle.updated_at < $5 THEN 0 ELSE sign_in_throttle.lockouts END, \
           updated_at = $4 \
         RETURNING failures, lockouts, locked_until",
    )
    .bind(a.kind.as_str())
    .bind(&a.account)
    .bind(&a.ip)
    .bind(now)
    .bind(now - FORGET_AFTER_MS)
    .fetch_one(&mut **tx)
    .await?;
    let failures: i64 = row.try_get("failures")?;
    let lockouts: i64 = row.try_get("lockouts")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    if locked_until.is_some_and(|t| t > now) {
        return Ok(Failure::Locked);
    }
    if failures < policy.max_failures {
        return Ok(Failure::Counted);
    }
    sqlx::query(
        "UPDATE sign_in_throttle SET failures = 0, lockouts = lockouts + 1, locked_until = $4 \
         WHERE kind = $1 AND account = $2 AND ip = $3",
    )
    .bind(a.kind.as_str())
    .bind(&a.account)
    .bind(&a.ip)
    .bind(now + lock_ms(policy, lockouts + 1))
    .execute(&mut **tx)
    .await?;
    Ok(Failure::NowLocked)
}

/// For an attempt whose password was right: whether the pair may sign in. Takes the pair's row
/// lock first, so a failure counted in parallel is either seen or waits for this decision; an
/// admitted attempt clears the pair's count.
pub async fn admit(tx: &mut Tx<'_>, a: &Attempt) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let locked_until: Option<i64> = sqlx::query_scalar(
        "INSERT INTO sign_in_throttle (kind, account, ip, failures, lockouts, locked_until, updated_at) \
         VALUES ($1, $2, $3, 0, 0, NULL, $4) \
         ON CONFLICT (kind, account, ip) DO UPDATE SET updated_at = sign_in_throttle.updated_at \
         RETURNING locked_until",
    )
    .bind(a.kind.as_str())
    .bind(&a.account)
    .bind(&a.ip)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if locked_until.is_some_and(|t| t > now) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM sign_in_throttle WHERE kind = $1 AND account = $2 AND ip = $3")
        .bind(a.kind.as_str())
        .bind(&a.account)
        .bind(&a.ip)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Clears every count and lock of an account, from every address (`admin unlock`, a new
/// password). Returns how many addresses were locked.
pub async fn clear_account(tx: &mut Tx<'_>, kind: Kind, account: &str) -> Result<u64, sqlx::Error> {
    let locked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_throttle WHERE kind = $1 AND account = $2 AND locked_until > $3",
    )
    .bind(kind.as_str())
    .bind(account)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM sign_in_throttle WHERE kind = $1 AND account = $2")
        .bind(kind.as_str())
        .bind(account)
        .execute(&mut **tx)
        .await?;
    Ok(locked as u64)
}

/// Forgets counts untouched for a day whose lock (if any) is over.
pub async fn prune(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let now = now_ms();
    Ok(sqlx::query(
        "DELETE FROM sign_in_throttle WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(now - FORGET_AFTER_MS)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected())
}

/// Prunes stale counts every `period`, forever; a failed round is logged and retried.
pub async fn prune_forever(pool: AnyPool, period: std::time::Duration) {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        interval.tick().await;
        if let Err(err) = prune(&pool).await {
            tracing::warn!(%err, "pruning sign-in counts failed; will retry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lock_lasts_twice_the_last_up_to_a_day() {
        let p = Policy { max_failures: 6, lock_minutes: 30 };
        let minutes: Vec<i64> = (1..=8).map(|n| lock_ms(p, n) / 60_000).collect();
        assert_eq!(minutes, [30, 60, 120, 240, 480, 960, 1440, 1440]);
        assert_eq!(lock_ms(Policy { max_failures: 6, lock_minutes: 10_080 }, 1), LONGEST_LOCK_MS);
    }

    #[test]
    fn accounts_are_named_without_case_and_shoppers_per_website() {
        assert_eq!(Attempt::admin(" Admin ", "1.2.3.4").account, "admin");
        assert_eq!(Attempt::customer("a@b.c", Some(2), "ip").account, "2:a@b.c");
        assert_eq!(Attempt::customer("a@b.c", None, "ip").account, "global:a@b.c");
    }
}
