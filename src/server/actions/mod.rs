//! One function per change the app can make. Each takes a typed input (built from its form
//! with `TryFrom`, every field's error at once), who is acting (`Origin`) and a transaction,
//! and owns the database checks and the action-log entry (and, later, the cascades). Server
//! functions only authorize, convert and call these; the command line, the demo data and the
//! tests call the same functions.
//!
//! Password hashing is slow on purpose, so it happens before the transaction opens: inputs
//! that set a password carry its hash (`PasswordHash`), made by [`hash_new_password`].

pub mod admin_users;
pub mod config;
pub mod customers;
pub mod roles;
pub mod sign_in;

use super::password::Hasher;
use crate::domain::error::AppError;
use crate::domain::input::NewPassword;

/// An argon2id hash of a new password, made before the transaction that stores it.
#[derive(Clone)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

pub async fn hash_new_password(hasher: &Hasher, password: &NewPassword) -> Result<PasswordHash, AppError> {
    Ok(PasswordHash(hasher.hash(password.expose().to_string()).await?))
}

/// Hashes on this thread, for the command line (no server is running).
pub fn hash_new_password_blocking(password: &NewPassword) -> Result<PasswordHash, AppError> {
    Ok(PasswordHash(super::password::hash_blocking(password.expose())?))
}

/// Merges the screen's re-authentication field (the acting admin's own password, which must
/// not be empty) into a form's parse, so one answer names every field that is wrong.
pub fn reauthenticated<T>(parsed: Result<T, AppError>, own_password: &str, message: &str) -> Result<T, AppError> {
    if !own_password.is_empty() {
        return parsed;
    }
    let mut errors = crate::domain::error::FieldErrors::default();
    if let Err(e) = parsed {
        errors.push(e);
    }
    errors.add("current_password", message);
    errors.finish().and(Err(AppError::Internal))
}

/// An optional record id from a form: empty for a new record.
pub(crate) fn optional_id(raw: &str, what: &str) -> Result<Option<i64>, AppError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        crate::domain::input::parse_id(raw, what).map(Some)
    }
}
