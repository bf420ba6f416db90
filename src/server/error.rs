//! How server-side failures become the one wire error. Each `From` logs the cause once (with
//! the current span, so the request and the action are in the line) and hands the browser an
//! opaque message; `?` does the rest.

use super::password::HashError;
use crate::domain::error::AppError;
use crate::domain::msg::Msg;

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

impl From<HashError> for AppError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => {
                tracing::warn!("password hashing busy");
                AppError::locked(Msg::SignInBusy)
            }
            HashError::Failed(cause) => {
                tracing::error!(%cause, "password hashing failed");
                AppError::Internal
            }
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %err, "session store error");
        AppError::Internal
    }
}

/// Turns a unique-key violation into a conflict on a form field, on either database.
pub trait OnUnique<T> {
    fn on_unique(self, field: &str, msg: Msg) -> Result<T, AppError>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, field: &str, msg: Msg) -> Result<T, AppError> {
        self.map_err(
            |err| {
                if super::db::is_unique_violation(&err) {
                    AppError::conflict(field, msg)
                } else {
                    err.into()
                }
            },
        )
    }
}

/// Errors of the command line and other non-HTTP callers: the message a person should read.
impl From<AppError> for CliError {
    fn from(err: AppError) -> Self {
        CliError(match err {
            AppError::Fields(errors) => {
                errors.iter().map(|e| format!("{}: {}", e.field, e.msg)).collect::<Vec<_>>().join("; ")
            }
            AppError::Invalid { field: Some(f), msg } | AppError::Conflict { field: Some(f), msg } => {
                format!("{f}: {msg}")
            }
            other => other.message().to_string(),
        })
    }
}

/// An action's refusal as the command line reports it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CliError(pub String);
