//! Sends the outbox by SMTP (lettre) when `SHOPASSIST_SMTP_URL` is set: every few seconds,
//! what is due, each message once; a failure is kept with its error and retried later.

use super::db::outbox;
use super::state::AppState;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("SHOPASSIST_SMTP_URL: {e}"))?;
    let host = parsed.host_str().ok_or("SHOPASSIST_SMTP_URL has no host")?.to_string();
    let port = parsed.port().unwrap_or(25);
    Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(10)))
        .build())
}

/// Sends what is due; returns how many were sent.
pub async fn send_due(state: &AppState) -> Result<usize, String> {
    let Some(url) = &state.settings.smtp_url else { return Ok(0) };
    let smtp = transport(url)?;
    let from: Mailbox = state.settings.mail_from.parse().map_err(|e| format!("SHOPASSIST_MAIL_FROM: {e}"))?;
    let due = outbox::due(&state.db.pool, 20).await.map_err(|e| e.to_string())?;
    let mut sent = 0;
    for m in due {
        let message = m.recipient.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(from.clone())
                .to(to)
                .subject(m.subject.clone())
                .body(m.body.clone())
                .map_err(|e| e.to_string())
        });
        let result = match message {
            Ok(message) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                outbox::mark_sent(&state.db.pool, m.id).await.map_err(|e| e.to_string())?;
                sent += 1;
            }
            Err(err) => {
                tracing::warn!(message = m.id, %err, "sending a message failed; will retry");
                outbox::mark_failed(&state.db.pool, m.id, m.attempts, &err).await.map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(sent)
}

/// Runs [`send_due`] every `period`, forever (only when SMTP is configured).
pub async fn send_forever(state: AppState, period: Duration) {
    if state.settings.smtp_url.is_none() {
        return;
    }
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(err) = send_due(&state).await {
            tracing::warn!(%err, "sending the outbox failed; will retry");
        }
    }
}
