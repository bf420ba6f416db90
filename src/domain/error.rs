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
    /// Input was wrong; `field` names the form field when there is one (400).
    Invalid { field: Option<String>, message: String },
    /// Several fields were wrong at once, each with its own message (400).
    Fields(Vec<FieldError>),
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
            AppError::Invalid { .. } | AppError::Fields(_) => 400,
            AppError::Conflict { .. } => 409,
            AppError::Locked(_) => 429,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::Unauthenticated(m) | AppError::Forbidden(m) | AppError::NotFound(m) | AppError::Locked(m) => m,
            AppError::Invalid { message, .. } | AppError::Conflict { message, .. } => message,
            AppError::Fields(errors) => errors.first().map_or("Please correct the highlighted fields.", |e| &e.message),
            AppError::Internal => "Something went wrong on our side. Please try again.",
        }
    }

    /// The message for one form field, if this error is about it.
    pub fn field_message(&self, name: &str) -> Option<&str> {
        match self {
            AppError::Invalid { field: Some(f), message } | AppError::Conflict { field: Some(f), message }
                if f == name =>
            {
                Some(message)
            }
            AppError::Fields(errors) => errors.iter().find(|e| e.field == name).map(|e| e.message.as_str()),
            _ => None,
        }
    }

    /// Whether the error belongs to named fields (shown next to them) rather than to the form.
    pub fn is_about_fields(&self) -> bool {
        matches!(
            self,
            AppError::Invalid { field: Some(_), .. } | AppError::Conflict { field: Some(_), .. } | AppError::Fields(_)
        )
    }
}

/// One field's complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects the errors of every field of a form, so one answer names them all.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps the value, or notes the field error and returns `None`.
    pub fn check<T>(&mut self, result: Result<T, AppError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, error: AppError) {
        match error {
            AppError::Invalid { field: Some(field), message } => self.0.push(FieldError { field, message }),
            AppError::Fields(errors) => self.0.extend(errors),
            other => self.0.push(FieldError { field: String::new(), message: other.message().to_string() }),
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_string(), message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was wrong; one error stays a plain field error.
    pub fn finish(mut self) -> Result<(), AppError> {
        match self.0.len() {
            0 => Ok(()),
            1 => {
                let FieldError { field, message } = self.0.remove(0);
                Err(AppError::Invalid { field: (!field.is_empty()).then_some(field), message })
            }
            _ => Err(AppError::Fields(self.0)),
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
