//! Login as Customer: the rules of a running assistance session, shared by the server (which
//! decides) and the browser (which shows the banner and the dialogs). Pure, so each rule has a
//! table test.

use serde::{Deserialize, Serialize};

/// A handoff ticket lives this long (seconds) before it can no longer be redeemed.
pub const TICKET_SECS: i64 = 60;

/// Why an assistance session ended; each is logged and shown to whoever is on the storefront.
/// On the wire it is its [`code`](EndReason::code), read back by one lookup in
/// [`EndReason::ALL`] (smaller in the shoppers' download than a derived decoder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// `Close Session` on the storefront.
    Closed,
    AdminSignedOut,
    /// The admin's own admin session expired or ended otherwise.
    AdminSessionEnded,
    /// The same admin started another session.
    Replaced,
    ConsentRevoked,
    ConsentLapsed,
    CustomerPasswordChanged,
    CustomerEmailChanged,
    CustomerInactive,
    /// The admin's role no longer allows `Allow Login as Customer` or the customer's website.
    PermissionLost,
    AdminInactive,
    FeatureDisabled,
    LifetimePassed,
    Idle,
    /// The handoff ticket was never redeemed in time.
    NeverOpened,
}

impl EndReason {
    pub const ALL: [EndReason; 15] = [
        EndReason::Closed,
        EndReason::AdminSignedOut,
        EndReason::AdminSessionEnded,
        EndReason::Replaced,
        EndReason::ConsentRevoked,
        EndReason::ConsentLapsed,
        EndReason::CustomerPasswordChanged,
        EndReason::CustomerEmailChanged,
        EndReason::CustomerInactive,
        EndReason::PermissionLost,
        EndReason::AdminInactive,
        EndReason::FeatureDisabled,
        EndReason::LifetimePassed,
        EndReason::Idle,
        EndReason::NeverOpened,
    ];

    /// The stored code (the log's `End Reason` filter uses it).
    pub fn code(self) -> &'static str {
        match self {
            EndReason::Closed => "closed",
            EndReason::AdminSignedOut => "admin_signed_out",
            EndReason::AdminSessionEnded => "admin_session_ended",
            EndReason::Replaced => "replaced",
            EndReason::ConsentRevoked => "consent_revoked",
            EndReason::ConsentLapsed => "consent_lapsed",
            EndReason::CustomerPasswordChanged => "customer_password_changed",
            EndReason::CustomerEmailChanged => "customer_email_changed",
            EndReason::CustomerInactive => "customer_inactive",
            EndReason::PermissionLost => "permission_lost",
            EndReason::AdminInactive => "admin_inactive",
            EndReason::FeatureDisabled => "feature_disabled",
            EndReason::LifetimePassed => "lifetime_passed",
            EndReason::Idle => "idle",
            EndReason::NeverOpened => "never_opened",
        }
    }

    pub fn from_code(code: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl Serialize for EndReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for EndReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<EndReason, D::Error> {
        let code = String::deserialize(d)?;
        EndReason::from_code(&code).ok_or_else(|| serde::de::Error::custom("an unknown end reason"))
    }
}

/// The page that reads the ticket from its fragment (the start's answer points here).
pub const OPEN_PATH: &str = "/admin/login-as-customer/open";
/// Where that page posts the ticket: under `/admin`, so the admin's own cookie comes with it.
pub const REDEEM_PATH: &str = "/admin/login-as-customer/redeem";

/// Everything a running session's validity depends on, read fresh on every storefront request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub enabled: bool,
    pub admin_active: bool,
    /// The admin's role allows `Allow Login as Customer` and the customer's website.
    pub admin_allowed: bool,
    /// The admin's own admin session is still signed in and not idle.
    pub admin_session_alive: bool,
    pub customer_active: bool,
    pub consent_given: bool,
    /// Consent was given but its lifetime has passed.
    pub consent_lapsed: bool,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub lifetime_ms: i64,
    pub idle_ms: i64,
}

/// Whether the session may go on at `now` (ms), or why it ends. The order decides which
/// reason is logged when several hold at once: the most fundamental first.
pub fn check(f: &Facts, now: i64) -> Result<(), EndReason> {
    if !f.enabled {
        return Err(EndReason::FeatureDisabled);
    }
    if !f.admin_active {
        return Err(EndReason::AdminInactive);
    }
    if !f.admin_allowed {
        return Err(EndReason::PermissionLost);
    }
    if !f.customer_active {
        return Err(EndReason::CustomerInactive);
    }
    if f.consent_lapsed {
        return Err(EndReason::ConsentLapsed);
    }
    if !f.consent_given {
        return Err(EndReason::ConsentRevoked);
    }
    if !f.admin_session_alive {
        return Err(EndReason::AdminSessionEnded);
    }
    if now - f.started_at > f.lifetime_ms {
        return Err(EndReason::LifetimePassed);
    }
    if now - f.last_seen_at > f.idle_ms {
        return Err(EndReason::Idle);
    }
    Ok(())
}

/// When the session ends if nothing else happens: the earlier of its lifetime and idle limit.
pub fn ends_at(f: &Facts) -> i64 {
    (f.started_at + f.lifetime_ms).min(f.last_seen_at + f.idle_ms)
}

/// The banner on every storefront page while an admin assists the shopper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub session_id: i64,
    pub customer_first_name: String,
    pub customer_last_name: String,
    pub website_name: String,
    /// When the session ends by itself (ms since the epoch), for the time left.
    pub ends_at: i64,
    /// Minutes left when the page was rendered (rounded up).
    pub minutes_left: i64,
}

/// A store view the start dialog offers, grouped by website in the dialog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreChoice {
    pub id: i64,
    pub name: String,
    pub website_id: i64,
    pub website_name: String,
    /// Allowed for this customer under the account sharing scope.
    pub allowed: bool,
}

/// Why the `Login as Customer` button opens a refusal instead of the confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DialogRefusal {
    /// The customer account is inactive.
    Inactive,
    /// The customer has not allowed remote shopping assistance (SPEC §2's refusal dialog).
    NoConsent,
}

/// What the customer page's `Login as Customer` button needs to open the right dialog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartDialog {
    /// The refusal dialog to show instead of the confirmation, if any.
    pub refusal: Option<DialogRefusal>,
    /// `Manual Selection`: the admin picks a store view.
    pub manual: bool,
    pub stores: Vec<StoreChoice>,
    /// The store view preselected (the customer's own, or their website's default).
    pub preselected: Option<i64>,
    pub reason_required: bool,
    /// Other admins assisting this customer now: (first name, last name), for the reader's
    /// language to put in order.
    pub others: Vec<(String, String)>,
}

/// The answer to a start: where the new tab goes. The secret is in the fragment, which the
/// browser never sends to any server nor puts in a Referer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    pub session_id: i64,
    pub open_url: String,
}

/// One session in the shopper's `Assistance History`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// Minutes, rounded up (to now while it runs).
    pub minutes: i64,
    /// `Name Shown to Customers` of the assistant.
    pub assistant: String,
    /// What was done: each action with how often.
    pub changes: Vec<(String, i64)>,
    /// The orders placed in the session: (order id, order number), for links to `My Orders`.
    #[serde(default)]
    pub orders: Vec<(i64, String)>,
}

/// One row of Customers > `Login as Customer Log`: one assistance session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LogRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer_email: String,
    pub admin_id: i64,
    pub admin_name: String,
    pub logged_in: i64,
    pub store_view: String,
    pub ended: Option<i64>,
    /// The end reason's code ([`EndReason::code`]).
    pub end_reason: Option<String>,
    pub reason: Option<String>,
}

/// Sessions started per day (UTC), for the log's chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// Milliseconds at the start of the day.
    pub day: i64,
    pub sessions: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn every_end_reason_crosses_the_wire_as_its_code() {
        for reason in EndReason::ALL {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.code()));
            assert_eq!(serde_json::from_str::<EndReason>(&json).unwrap(), reason);
        }
        assert!(serde_json::from_str::<EndReason>("\"Closed\"").is_err(), "only codes are read");
    }

    fn live() -> Facts {
        Facts {
            enabled: true,
            admin_active: true,
            admin_allowed: true,
            admin_session_alive: true,
            customer_active: true,
            consent_given: true,
            consent_lapsed: false,
            started_at: 0,
            last_seen_at: 0,
            lifetime_ms: 60 * MIN,
            idle_ms: 15 * MIN,
        }
    }

    #[test]
    fn each_broken_fact_ends_the_session_with_its_own_reason() {
        type Case = (fn(&mut Facts), i64, Result<(), EndReason>);
        let cases: &[Case] = &[
            (|_| {}, 14 * MIN, Ok(())),
            (|f| f.enabled = false, 0, Err(EndReason::FeatureDisabled)),
            (|f| f.admin_active = false, 0, Err(EndReason::AdminInactive)),
            (|f| f.admin_allowed = false, 0, Err(EndReason::PermissionLost)),
            (|f| f.customer_active = false, 0, Err(EndReason::CustomerInactive)),
            (|f| f.consent_given = false, 0, Err(EndReason::ConsentRevoked)),
            (
                |f| {
                    f.consent_given = false;
                    f.consent_lapsed = true
                },
                0,
                Err(EndReason::ConsentLapsed),
            ),
            (|f| f.admin_session_alive = false, 0, Err(EndReason::AdminSessionEnded)),
            (|_| {}, 15 * MIN + 1, Err(EndReason::Idle)),
            (|f| f.last_seen_at = 50 * MIN, 60 * MIN, Ok(())),
            (|f| f.last_seen_at = 59 * MIN, 60 * MIN + 1, Err(EndReason::LifetimePassed)),
            (
                |f| {
                    f.enabled = false;
                    f.consent_given = false
                },
                0,
                Err(EndReason::FeatureDisabled),
            ),
        ];
        for (i, (change, now, want)) in cases.iter().enumerate() {
            let mut f = live();
            change(&mut f);
            assert_eq!(check(&f, *now), *want, "case {i}");
        }
    }

    #[test]
    fn the_session_ends_at_the_earlier_of_lifetime_and_idle() {
        let mut f = live();
        assert_eq!(ends_at(&f), 15 * MIN);
        f.last_seen_at = 50 * MIN;
        assert_eq!(ends_at(&f), 60 * MIN);
    }

    #[test]
    fn end_reasons_round_trip_through_their_codes() {
        for r in EndReason::ALL {
            assert_eq!(EndReason::from_code(r.code()), Some(r));
        }
        assert_eq!(EndReason::from_code("nope"), None);
    }
}
