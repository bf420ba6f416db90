//! System > Integrations and the JSON API's shared types: tokens, webhooks, and the events a
//! webhook can receive.

use serde::{Deserialize, Serialize};

/// The events a webhook may subscribe to.
pub mod event {
    pub const ASSIST_STARTED: &str = "login_as_customer.started";
    pub const ASSIST_ENDED: &str = "login_as_customer.ended";
    pub const CONSENT_CHANGED: &str = "consent.changed";
    pub const ALL: [&str; 3] = [ASSIST_STARTED, ASSIST_ENDED, CONSENT_CHANGED];

    /// The resource a role needs to register for and receive `kind`.
    pub fn resource(kind: &str) -> crate::domain::acl::Resource {
        use crate::domain::acl::Resource;
        if kind == CONSENT_CHANGED {
            Resource::CustomersManage
        } else {
            Resource::AssistViewLog
        }
    }
}

/// A token as the Integrations grid lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub admin_user_id: i64,
    pub username: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub created_by: String,
    pub expires_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl TokenRow {
    /// `Active`, `Revoked` or `Expired` at `now`.
    pub fn status(&self, now: i64) -> &'static str {
        if self.revoked_at.is_some() {
            "Revoked"
        } else if self.expires_at <= now {
            "Expired"
        } else {
            "Active"
        }
    }
}

/// A new token: the secret, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub id: i64,
    pub secret: String,
}

/// System > Integrations: the tokens, and the admin users a token may be made for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationsData {
    pub tokens: Vec<TokenRow>,
    /// (id, `username (First Last)`) of each active admin user.
    pub users: Vec<(i64, String)>,
    /// The server's time, for each token's status.
    pub now: i64,
}

/// The lifetimes the screen offers.
pub const LIFETIMES: [(&str, i64); 4] = [("30d", 30), ("90d", 90), ("180d", 180), ("365d", 365)];

/// A registered webhook (its signing secret is shown once, when it is made).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// Longest token name.
pub const NAME_MAX: usize = 100;
/// Longest token lifetime, in days.
pub const MAX_DAYS: i64 = 365;

/// Reads a lifetime such as `90d`, `12h` or `90` (days) into milliseconds: at least an hour,
/// at most [`MAX_DAYS`].
pub fn parse_lifetime(raw: &str) -> Result<i64, crate::domain::msg::Msg> {
    use crate::domain::msg::Msg;
    let raw = raw.trim();
    let (number, unit) = match raw.char_indices().last() {
        Some((i, 'd')) => (&raw[..i], 86_400_000),
        Some((i, 'h')) => (&raw[..i], 3_600_000),
        _ => (raw, 86_400_000),
    };
    let n: i64 = number.trim().parse().map_err(|_| Msg::LifetimeFormat { value: raw.to_string() })?;
    let ms = n.saturating_mul(unit);
    if !(3_600_000..=MAX_DAYS * 86_400_000).contains(&ms) {
        return Err(Msg::TokenLifetime { max_days: MAX_DAYS });
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_days_or_hours_within_bounds() {
        assert_eq!(parse_lifetime("90d"), Ok(90 * 86_400_000));
        assert_eq!(parse_lifetime("12h"), Ok(12 * 3_600_000));
        assert_eq!(parse_lifetime("30"), Ok(30 * 86_400_000));
        assert!(parse_lifetime("0d").is_err());
        assert!(parse_lifetime("366d").is_err());
        assert!(parse_lifetime("soon").is_err());
        assert!(parse_lifetime("").is_err());
    }

    #[test]
    fn a_token_is_revoked_before_it_is_expired() {
        let t = TokenRow {
            id: 1,
            name: "Helpdesk".into(),
            admin_user_id: 1,
            username: "admin".into(),
            prefix: "sa_1234".into(),
            created_at: 0,
            created_by: "admin".into(),
            expires_at: 100,
            last_used_at: None,
            revoked_at: None,
        };
        assert_eq!(t.status(50), "Active");
        assert_eq!(t.status(100), "Expired");
        assert_eq!(TokenRow { revoked_at: Some(10), ..t }.status(50), "Revoked");
    }
}
