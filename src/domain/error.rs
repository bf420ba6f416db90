//! The one error type that crosses the wire. Internal causes stay in the server log; the
//! browser gets a message code with its values ([`Msg`]) and renders it in the reader's
//! language, and the HTTP status follows the variant.

pub use super::msg::Msg;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::fmt;

/// An error a request ends with. Its messages are boxed: every server function's result
/// carries it and the browser moves those results by value, so it is kept small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Not signed in (401).
    Unauthenticated(Box<Msg>),
    /// Signed in but not allowed (403).
    Forbidden(Box<Msg>),
    /// No such thing (404).
    NotFound(Box<Msg>),
    /// Input was wrong; `field` names the form field when there is one (400).
    Invalid { field: Option<String>, msg: Box<Msg> },
    /// Several fields were wrong at once, each with its own message (400).
    Fields(Vec<FieldError>),
    /// The change conflicts with existing data, such as a duplicate email (409).
    Conflict { field: Option<String>, msg: Box<Msg> },
    /// Too many attempts (429).
    Locked(Box<Msg>),
    /// The browser could not reach the server, or read its answer (a network failure, not a
    /// refusal: nobody is signed out by it) (503).
    Unreachable,
    /// Something broke on the server; details are in the server log only (500).
    Internal,
}

impl AppError {
    /// Not signed in (401).
    pub fn unauthenticated(msg: Msg) -> Self {
        AppError::Unauthenticated(Box::new(msg))
    }

    /// Signed in but not allowed (403).
    pub fn forbidden(msg: Msg) -> Self {
        AppError::Forbidden(Box::new(msg))
    }

    /// No such thing, or none the caller may know of (404).
    pub fn not_found(msg: Msg) -> Self {
        AppError::NotFound(Box::new(msg))
    }

    /// Too many attempts (429).
    pub fn locked(msg: Msg) -> Self {
        AppError::Locked(Box::new(msg))
    }

    pub fn invalid(msg: Msg) -> Self {
        AppError::Invalid { field: None, msg: Box::new(msg) }
    }

    pub fn field(field: &str, msg: Msg) -> Self {
        AppError::Invalid { field: Some(field.to_string()), msg: Box::new(msg) }
    }

    pub fn conflict(field: &str, msg: Msg) -> Self {
        AppError::Conflict { field: Some(field.to_string()), msg: Box::new(msg) }
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
            AppError::Unreachable => 503,
            AppError::Internal => 500,
        }
    }

    /// The message of the whole error (for several fields: the first one's).
    pub fn msg(&self) -> Msg {
        match self {
            AppError::Unauthenticated(m) | AppError::Forbidden(m) | AppError::NotFound(m) | AppError::Locked(m) => {
                (**m).clone()
            }
            AppError::Invalid { msg, .. } | AppError::Conflict { msg, .. } => (**msg).clone(),
            AppError::Fields(errors) => errors.first().map_or(Msg::FieldsToCorrect, |e| e.msg.clone()),
            AppError::Unreachable => Msg::ServerUnreachable,
            AppError::Internal => Msg::Internal,
        }
    }

    /// The message in English (logs, the command line, the JSON API).
    pub fn message(&self) -> String {
        self.msg().to_string()
    }

    /// The message for one form field, if this error is about it.
    pub fn field_msg(&self, name: &str) -> Option<&Msg> {
        match self {
            AppError::Invalid { field: Some(f), msg } | AppError::Conflict { field: Some(f), msg } if f == name => {
                Some(msg)
            }
            AppError::Fields(errors) => errors.iter().find(|e| e.field == name).map(|e| &e.msg),
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

    /// Every message this error carries, in order (a form's summary lists them all).
    pub fn msgs(&self) -> Vec<Msg> {
        match self {
            AppError::Fields(errors) => errors.iter().map(|e| e.msg.clone()).collect(),
            other => vec![other.msg()],
        }
    }
}

/// One field's complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
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
            AppError::Invalid { field: Some(field), msg } => self.0.push(FieldError { field, msg: *msg }),
            AppError::Fields(errors) => self.0.extend(errors),
            other => self.0.push(FieldError { field: String::new(), msg: other.msg() }),
        }
    }

    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.push(FieldError { field: field.to_string(), msg });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was wrong; one error stays a plain field error.
    pub fn finish(mut self) -> Result<(), AppError> {
        match self.0.len() {
            0 => Ok(()),
            1 => {
                let FieldError { field, msg } = self.0.remove(0);
                Err(AppError::Invalid { field: (!field.is_empty()).then_some(field), msg: Box::new(msg) })
            }
            _ => Err(AppError::Fields(self.0)),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::invalid(Msg::RequestUnreadable { detail: m })
            }
            ServerFnErrorErr::MissingArg(m) => AppError::invalid(Msg::FieldMissing { name: m }),
            ServerFnErrorErr::UnsupportedRequestMethod(m) => AppError::invalid(Msg::MethodNotAllowed { detail: m }),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unreachable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_failure_is_not_a_sign_in_refusal() {
        for err in [ServerFnErrorErr::Request("offline".into()), ServerFnErrorErr::Response("cut".into())] {
            let e = AppError::from_server_fn_error(err);
            assert_eq!(e, AppError::Unreachable);
            assert_eq!(e.status(), 503);
            assert_eq!(e.msg(), Msg::ServerUnreachable);
        }
        assert_eq!(AppError::not_found(Msg::CustomerNotFound).status(), 404);
        assert_eq!(AppError::forbidden(Msg::SensitiveChange).msg(), Msg::SensitiveChange);
    }
}
