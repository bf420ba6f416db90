//! Errors of the JSON API as `application/problem+json` (RFC 9457): a stable `code` per
//! refusal for programs, the same `detail` the screen shows for people, and the status.

use crate::domain::error::AppError;
use crate::domain::msg::Msg;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An API error (RFC 9457).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:shopassist:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: ProblemType,
    pub title: &'static str,
    pub status: u16,
    /// What went wrong, in the words the admin screen uses.
    pub detail: String,
    /// A stable code for programs to act on (see the document's list).
    pub code: &'static str,
    /// The fields at fault, each with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// With 429: seconds to wait before the next call.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

/// A problem's type URI, made from its code when written.
#[derive(Clone, Copy, Debug)]
pub struct ProblemType(&'static str);

impl Serialize for ProblemType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("urn:shopassist:problem:{}", self.0))
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// The message's code (the same codes the screens translate).
    pub code: String,
    pub message: String,
}

/// The refusals of Login as Customer (SPEC §2): their message codes are the API's codes too.
const REFUSAL_CODES: &[&str] = &[
    "login_as_customer_disabled",
    "customer_not_found",
    "customer_inactive",
    "customer_consent_missing",
    "store_view_required",
    "store_view_not_allowed",
    "reason_required",
];

/// The codes of the API's own refusals (the Login as Customer refusals are above).
const OWN_CODES: &[&str] = &[
    "unauthenticated",
    "token_revoked",
    "token_expired",
    "user_inactive",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "invalid_request",
    "invalid_input",
    "limit_not_allowed",
    "body_too_large",
    "unsupported_media_type",
    "conflict",
    "idempotency_key_reused",
    "idempotency_key_invalid",
    "session_already_opened",
    "rate_limited",
    "internal",
];

/// Every code the API answers with, for its document.
pub fn codes() -> impl Iterator<Item = &'static str> + Clone {
    OWN_CODES.iter().chain(REFUSAL_CODES).copied()
}

fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        _ => "Internal Server Error",
    }
}

impl Problem {
    pub fn new(status: u16, code: &'static str, detail: impl Into<String>) -> Problem {
        debug_assert!(codes().any(|c| c == code), "undocumented problem code {code}");
        Problem {
            kind: ProblemType(code),
            title: title(status),
            status,
            detail: detail.into(),
            code,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn unauthenticated(code: &'static str, detail: &str) -> Problem {
        Problem::new(401, code, detail)
    }

    pub fn rate_limited(wait_secs: u64) -> Problem {
        let mut p = Problem::new(429, "rate_limited", "This token made too many calls. Please wait and try again.");
        p.retry_after = Some(wait_secs.max(1));
        p
    }
}

impl From<AppError> for Problem {
    fn from(err: AppError) -> Problem {
        let code = err.msg().code();
        let known = REFUSAL_CODES.iter().find(|c| **c == code).copied();
        let (status, code) = match &err {
            AppError::Unauthenticated(_) => (401, "unauthenticated"),
            AppError::Forbidden(_) => (403, known.unwrap_or("forbidden")),
            AppError::NotFound(_) => (404, known.unwrap_or("not_found")),
            AppError::Invalid { field: Some(_), .. } | AppError::Fields(_) => (422, known.unwrap_or("invalid_input")),
            AppError::Invalid { field: None, .. } => (400, known.unwrap_or("invalid_request")),
            AppError::Conflict { .. } => (409, "conflict"),
            AppError::Locked(_) => (429, "rate_limited"),
            AppError::Unreachable | AppError::Internal => (500, "internal"),
        };
        let mut p = Problem::new(status, code, err.message());
        p.errors = match err {
            AppError::Fields(errors) => errors.into_iter().map(|e| FieldProblem::new(e.field, &e.msg)).collect(),
            AppError::Invalid { field: Some(field), msg } | AppError::Conflict { field: Some(field), msg } => {
                vec![FieldProblem::new(field, &msg)]
            }
            _ => Vec::new(),
        };
        p
    }
}

impl FieldProblem {
    fn new(field: String, msg: &Msg) -> FieldProblem {
        FieldProblem { field, code: msg.code().to_string(), message: msg.to_string() }
    }
}

impl From<sqlx::Error> for Problem {
    fn from(err: sqlx::Error) -> Problem {
        AppError::from(err).into()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".into());
        let mut res = (status, body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = retry {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res.extensions_mut().insert(ProblemCode(self.code));
        res
    }
}

/// The code of a problem answer, for the call's log entry.
#[derive(Clone, Debug)]
pub struct ProblemCode(pub &'static str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_own_documented_code() {
        let mut seen = std::collections::BTreeSet::new();
        let refusals = Msg::samples().into_iter().filter(|m| REFUSAL_CODES.contains(&m.code()));
        assert_eq!(refusals.clone().count(), REFUSAL_CODES.len(), "each refusal code is a message");
        for msg in refusals {
            let code = msg.code();
            assert!(codes().any(|c| c == code), "{code} is documented");
            assert!(seen.insert(code), "{code} is used once");
            assert_eq!(Problem::from(AppError::forbidden(msg)).code, code);
        }
    }

    #[test]
    fn statuses_follow_the_error() {
        assert_eq!(Problem::from(AppError::field("reason", Msg::ReasonRequired)).status, 422);
        assert_eq!(Problem::from(AppError::field("reason", Msg::ReasonRequired)).code, "reason_required");
        assert_eq!(Problem::from(AppError::invalid(Msg::PageLinkInvalid)).status, 400);
        assert_eq!(Problem::from(AppError::forbidden(Msg::ConsentMissing)).status, 403);
        assert_eq!(Problem::from(AppError::not_found(Msg::CustomerNotFound)).code, "customer_not_found");
        assert_eq!(Problem::from(AppError::Internal).status, 500);
        let p = Problem::from(AppError::Fields(vec![
            crate::domain::error::FieldError { field: "url".into(), msg: Msg::WebhookUrlHttps },
            crate::domain::error::FieldError { field: "events".into(), msg: Msg::ChooseEvent { events: "x".into() } },
        ]));
        assert_eq!((p.status, p.errors.len()), (422, 2));
    }
}
