//! Who is calling, as the action log keeps it: the client's address and its user agent.

use axum::extract::ConnectInfo;
use axum::http::{header, Extensions, HeaderMap};
use std::net::SocketAddr;

/// The longest user agent the action log keeps (characters); longer ones are cut.
pub const USER_AGENT_MAX: usize = 512;

/// A request's user agent as the action log keeps it.
pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(USER_AGENT_MAX)
        .collect()
}

/// The client's address, or `unknown` when the server was not told it.
pub fn ip(extensions: &Extensions) -> String {
    extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".into(), |c| c.0.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_user_agent_is_cut_to_the_limit_and_a_missing_one_is_empty() {
        let mut headers = HeaderMap::new();
        assert_eq!(user_agent(&headers), "");
        headers.insert(header::USER_AGENT, "x".repeat(600).parse().unwrap());
        assert_eq!(user_agent(&headers).chars().count(), USER_AGENT_MAX);
        assert_eq!(ip(&Extensions::new()), "unknown");
    }
}
