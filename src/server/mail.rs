//! Sends the outbox by SMTP (lettre) when `SHOPASSIST_SMTP_URL` is set: every few seconds,
//! what is due, each message once; a failure is kept with its error and retried later.

use super::db::outbox;
use super::state::AppState;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Why the outbox could not be sent (a message that fails alone is kept with its error).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SHOPASSIST_SMTP_URL: {0}")]
    SmtpUrl(#[from] url::ParseError),
    #[error("SHOPASSIST_SMTP_URL has no host")]
    NoHost,
    #[error("SHOPASSIST_MAIL_FROM: {0}")]
    From(lettre::address::AddressError),
    #[error("the outbox: {0}")]
    Database(#[from] sqlx::Error),
}

/// Why one message was not sent: kept with it in the outbox.
#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error("recipient: {0}")]
    Recipient(#[from] lettre::address::AddressError),
    #[error("message: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let parsed = url::Url::parse(url)?;
    let host = parsed.host_str().ok_or(MailError::NoHost)?.to_string();
    let port = parsed.port().unwrap_or(25);
    Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(10)))
        .build())
}

/// Sends what is due; returns how many were sent.
pub async fn send_due(state: &AppState) -> Result<usize, MailError> {
    let Some(url) = &state.settings.smtp_url else { return Ok(0) };
    let smtp = transport(url)?;
    let from: Mailbox = state.settings.mail_from.parse().map_err(MailError::From)?;
    let due = outbox::due(&state.db.pool, 20).await?;
    let mut sent = 0;
    for m in due {
        match send_one(&smtp, &from, &m).await {
            Ok(()) => {
                outbox::mark_sent(&state.db.pool, m.id).await?;
                sent += 1;
            }
            Err(err) => {
                tracing::warn!(message = m.id, %err, "sending a message failed; will retry");
                outbox::mark_failed(&state.db.pool, m.id, m.attempts, &err.to_string()).await?;
            }
        }
    }
    Ok(sent)
}

async fn send_one(
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    m: &outbox::Pending,
) -> Result<(), SendError> {
    let message = Message::builder()
        .from(from.clone())
        .to(m.recipient.parse::<Mailbox>()?)
        .subject(m.subject.clone())
        .body(m.body.clone())?;
    smtp.send(message).await?;
    Ok(())
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
