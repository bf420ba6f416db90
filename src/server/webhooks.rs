//! Webhooks: events are written to the outbox (`webhook_deliveries`) in the transaction of the
//! change that caused them, and sent after commit by [`deliver_forever`], never by the request.
//!
//! Each delivery is a POST of the event's JSON with
//! `Shopassist-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, so a
//! receiver can check who sent it and refuse old replays. A failure is retried with a doubling
//! delay; a delivery whose sender died mid-way is due again when its lease runs out (receivers
//! may see a delivery twice and tell by `Shopassist-Delivery`). Whether the token's user may
//! see the event is checked when it is sent, against their role at that moment.

use super::db::integrations::{self as repo, Delivery};
use super::db::{now_ms, Tx};
use super::destination::Reach;
use super::state::AppState;
use crate::domain::integrations::event;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::time::Duration;

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "shopassist-signature";

/// `t=<secs>,v1=<hex>` for `body` sent at `secs`.
pub fn signature(secret: &str, secs: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{secs}.{body}").as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("t={secs},v1={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn event_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("evt_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Writes `event` with `data` for every subscribed webhook, in `tx`.
pub async fn emit(tx: &mut Tx<'_>, kind: &str, website_id: i64, data: serde_json::Value) -> Result<(), sqlx::Error> {
    let body = json!({ "id": event_id(), "type": kind, "created_at": now_ms(), "data": data }).to_string();
    repo::enqueue(tx, kind, website_id, &body).await?;
    Ok(())
}

/// The wait before attempt `attempts + 1`: `base`, doubling, at most six hours.
pub fn retry_wait(base_ms: i64, attempts: i64) -> i64 {
    base_ms.saturating_mul(1_i64 << (attempts - 1).clamp(0, 20)).min(6 * 3_600_000)
}

/// What deliveries may reach under this server's settings.
pub fn reach(state: &AppState) -> Reach {
    Reach { allow_loopback: state.settings.webhook_allow_local }
}

/// Sends what is due; returns how many were delivered.
pub async fn deliver_due(state: &AppState, client: &reqwest::Client) -> Result<usize, sqlx::Error> {
    let s = &state.settings;
    let lease = s.webhook_timeout_ms as i64 + 1_000;
    let mut delivered = 0;
    for d in repo::take_due(&state.db.pool, 20, lease).await? {
        if let Some(why) = refusal(state, &d).await? {
            tracing::info!(delivery = d.id, why, "webhook delivery dropped");
            repo::dropped(&state.db.pool, d.id, why).await?;
            continue;
        }
        match send(client, reach(state), &d).await {
            Ok(()) => {
                repo::delivered(&state.db.pool, d.id).await?;
                delivered += 1;
            }
            Err(err) => {
                tracing::warn!(delivery = d.id, attempts = d.attempts, %err, "webhook delivery failed; will retry");
                repo::failed(&state.db.pool, d.id, retry_wait(s.webhook_retry_base_ms, d.attempts), &err).await?;
            }
        }
    }
    Ok(delivered)
}

/// Why `d` may no longer be sent, if it may not.
async fn refusal(state: &AppState, d: &Delivery) -> Result<Option<&'static str>, sqlx::Error> {
    if !d.token_live {
        return Ok(Some("the token was revoked or expired, or the webhook deleted"));
    }
    if !d.admin_active {
        return Ok(Some("the token's admin user is inactive"));
    }
    let (grant, scope) = repo::role_rights(&state.db.pool, d.role_id).await?;
    if !grant.allows(event::resource(&d.event)) || !scope.covers(d.website_id) {
        return Ok(Some("the token's role may not see this event"));
    }
    Ok(None)
}

async fn send(client: &reqwest::Client, reach: Reach, d: &Delivery) -> Result<(), String> {
    // Names are checked by the client's resolver as it connects; an address literal never
    // reaches a resolver, so it is checked here.
    let url = url::Url::parse(&d.url).map_err(|e| e.to_string())?;
    let host = url.host_str().unwrap_or_default();
    let loopback_http = url.scheme() == "http" && reach.allow_loopback;
    if url.scheme() != "https" && !loopback_http {
        return Err("the address is not https".into());
    }
    if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>() {
        if !reach.allows(ip) || (loopback_http && !ip.is_loopback()) {
            return Err(super::destination::Refused::Inside(ip).to_string());
        }
    }
    let secs = now_ms() / 1000;
    let res = client
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("shopassist-event", &d.event)
        .header("shopassist-delivery", d.id.to_string())
        .header(SIGNATURE_HEADER, signature(&d.secret, secs, &d.body))
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| error_chain(&e))?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("the receiver answered {}", res.status()))
    }
}

/// An error with its causes (a refused address is a cause of reqwest's connect error).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The client deliveries go out with: no redirects followed, a time limit, and names resolved
/// through `reach` (an address inside is refused at the connect).
pub fn client(timeout_ms: u64, reach: Reach) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(std::sync::Arc::new(reach))
        .timeout(Duration::from_millis(timeout_ms))
        .user_agent("shopassist-webhooks/1")
        .build()
        .expect("a TLS backend is built in")
}

/// Runs [`deliver_due`] every `SHOPASSIST_WEBHOOK_POLL_MS`, forever.
pub async fn deliver_forever(state: AppState) {
    let client = client(state.settings.webhook_timeout_ms, reach(&state));
    let period = Duration::from_millis(state.settings.webhook_poll_ms.max(10));
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(err) = deliver_due(&state, &client).await {
            tracing::warn!(%err, "sending webhooks failed; will retry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_the_timestamp_and_body() {
        // Python: hmac.new(b"Jefe", b"0.what do ya want for nothing?", hashlib.sha256).hexdigest()
        let sig = signature("Jefe", 0, "what do ya want for nothing?");
        assert_eq!(sig, "t=0,v1=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc");
        assert_ne!(signature("Jefe", 1, "what do ya want for nothing?"), sig, "the time is signed");
        assert_ne!(signature("other", 0, "what do ya want for nothing?"), sig, "the key matters");
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(retry_wait(1000, 1), 1000);
        assert_eq!(retry_wait(1000, 2), 2000);
        assert_eq!(retry_wait(1000, 3), 4000);
        assert_eq!(retry_wait(1000, 60), 6 * 3_600_000);
    }
}
