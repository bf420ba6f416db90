//! The one error type that crosses the wire. Internal causes stay in the server log;
//! the browser sees a clear message and the HTTP status follows the variant.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Not signed in (401).
    Unauthenticated(String),
    /// Signed in but not allowed (403).
    Forbidden(String),
    /// No such thing (404).
    NotFound(String),
    /// Input was wrong; `field` names the form field when there is one (400/422).
    Invalid { field: Option<String>, message: String },
    /// The change conflicts with existing data, such as a duplicate email (409).
    Conflict { field: Option<String>, message: String },
    /// Too many attempts (429).
    Locked(String),
    /// Something broke on the server; details are in the server log only (500).
    Internal,
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid { field: None, message: message.into() }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { field: Some(field.to_string()), message: message.into() }
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        AppError::Conflict { field: Some(field.to_string()), message: message.into() }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid { .. } => 400,
            AppError::Conflict { .. } => 409,
            AppError::Locked(_) => 429,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::Unauthenticated(m) | AppError::Forbidden(m) | AppError::NotFound(m) | AppError::Locked(m) => m,
            AppError::Invalid { message, .. } | AppError::Conflict { message, .. } => message,
            AppError::Internal => "Something went wrong on our side. Please try again.",
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::invalid(format!("The request could not be read: {m}"))
            }
            ServerFnErrorErr::MissingArg(m) => AppError::invalid(format!("A required field is missing: {m}")),
            ServerFnErrorErr::UnsupportedRequestMethod(m) => AppError::invalid(m),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::Unauthenticated("The server could not be reached. Check your connection.".into())
            }
            _ => AppError::Internal,
        }
    }
}
