//! A shopper's consent to remote shopping assistance (Login as Customer): given at a time, and,
//! with a `Consent Lifetime`, lapsing by itself.

use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether consent stored as `allowed` (given at `given_at`) holds at `now`, when it lasts
/// `lifetime_days` (`None`: until revoked).
pub fn holds(allowed: bool, given_at: Option<i64>, lifetime_days: Option<i64>, now: i64) -> bool {
    match (allowed, lifetime_days) {
        (false, _) => false,
        (true, None) => true,
        (true, Some(days)) => given_at.is_some_and(|at| now < at.saturating_add(days.saturating_mul(DAY_MS))),
    }
}

/// Reads the `Consent Lifetime` setting: empty (or anything not a positive number) is "until revoked".
pub fn lifetime_days(setting: &str) -> Option<i64> {
    setting.trim().parse::<i64>().ok().filter(|d| *d > 0)
}

/// The consent checkbox as a store view shows it: the configured title and tooltip, and
/// whether the signed-in shopper's consent holds now (false for a visitor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentBox {
    pub title: String,
    pub tooltip: String,
    pub allowed: bool,
}

/// The admin customer form's `Allow remote shopping assistance` toggle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentToggle {
    /// Whether consent holds now.
    pub allowed: bool,
    /// When it was given (milliseconds), if it holds.
    pub given_at: Option<i64>,
    /// Whether this admin may change it (`Remote shopping assistance opt-in`).
    pub editable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_holds_until_revoked_or_until_its_lifetime_ends() {
        let now = 100 * DAY_MS;
        assert!(!holds(false, Some(now), None, now), "not given");
        assert!(holds(true, Some(0), None, now), "no lifetime: until revoked");
        assert!(holds(true, Some(now - 29 * DAY_MS), Some(30), now), "29 days of 30");
        assert!(!holds(true, Some(now - 30 * DAY_MS), Some(30), now), "30 days of 30: lapsed");
        assert!(!holds(true, None, Some(30), now), "a lifetime needs a time given");
        assert_eq!((lifetime_days(""), lifetime_days("30"), lifetime_days("0")), (None, Some(30), None));
    }
}
