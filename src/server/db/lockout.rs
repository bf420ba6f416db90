//! Counting failed sign-ins and locking an account for a while, for admins and shoppers alike.

use super::{now_ms, Tx};

/// Which accounts: the table is fixed here, never taken from input.
#[derive(Clone, Copy, Debug)]
pub enum Accounts {
    Admins,
    Customers,
}

impl Accounts {
    fn table(self) -> &'static str {
        match self {
            Accounts::Admins => "admin_users",
            Accounts::Customers => "customers",
        }
    }
}

/// Records a failed sign-in; locks the account for `lock_ms` once `max_failures` is reached.
/// Returns whether this failure locked it.
pub async fn record_failure(
    tx: &mut Tx<'_>,
    accounts: Accounts,
    id: i64,
    max_failures: i64,
    lock_ms: i64,
) -> Result<bool, sqlx::Error> {
    let table = accounts.table();
    let failures: i64 = sqlx::query_scalar(&format!(
        "UPDATE {table} SET failures = failures + 1, updated_at = $2 WHERE id = $1 RETURNING failures"
    ))
    .bind(id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    if failures >= max_failures {
        sqlx::query(&format!("UPDATE {table} SET lock_expires_at = $2, failures = 0 WHERE id = $1"))
            .bind(id)
            .bind(now_ms() + lock_ms)
            .execute(&mut **tx)
            .await?;
        return Ok(true);
    }
    Ok(false)
}

/// Clears the failure count and any lock after a successful sign-in.
pub async fn record_success(tx: &mut Tx<'_>, accounts: Accounts, id: i64) -> Result<(), sqlx::Error> {
    let table = accounts.table();
    sqlx::query(&format!("UPDATE {table} SET failures = 0, lock_expires_at = NULL WHERE id = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether a lock that expires at `lock_expires_at` is still in force.
pub fn is_locked(lock_expires_at: Option<i64>) -> bool {
    lock_expires_at.is_some_and(|t| t > now_ms())
}
