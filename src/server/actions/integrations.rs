//! System > Integrations: tokens for the JSON API and the webhooks an integration registers.
//!
//! A token is a credential for one admin user, so making one for somebody else is held to the
//! rule of resetting their password: only for a user whose role and role scope the acting
//! admin's cover. Whatever the token was made with, each call is checked against the user's
//! role as it is at that moment.

use super::{acting_grant, acting_scope, authorize_privileges, authorize_scope};
use crate::domain::acl::{Grant, Resource};
use crate::domain::authority::{Change, UserNow};
use crate::domain::error::AppError;
use crate::domain::integrations::{event, parse_lifetime, CreatedToken, NAME_MAX};
use crate::domain::msg::Msg;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::integrations::{self as repo, NewToken};
use crate::server::db::{admins, now_ms, Tx};
use crate::server::destination::{Reach, Refused};
use serde::Serialize;

/// Tokens start with this, so a secret found in a log or a repository is recognized as ours.
pub const TOKEN_PREFIX: &str = "sa_";

/// A token to make, as the screen or the command line gives it.
#[derive(Clone, Debug)]
pub struct NewTokenInput {
    pub name: String,
    pub admin_user_id: i64,
    pub lifetime_ms: i64,
}

impl NewTokenInput {
    /// Checks the name and reads the lifetime (`90d`, `12h`); every field's error at once.
    pub fn parse(name: &str, admin_user_id: i64, lifetime: &str) -> Result<NewTokenInput, AppError> {
        let mut errors = crate::domain::error::FieldErrors::default();
        let name = name.trim();
        if name.is_empty() {
            errors.add("name", Msg::TokenNameRequired);
        } else if name.chars().count() > NAME_MAX {
            errors.add("name", Msg::TokenNameTooLong { max: NAME_MAX as i64 });
        }
        let lifetime_ms = errors.check(parse_lifetime(lifetime).map_err(|m| AppError::field("expires", m)));
        errors.finish()?;
        Ok(NewTokenInput { name: name.to_string(), admin_user_id, lifetime_ms: lifetime_ms.unwrap_or_default() })
    }
}

/// `sa_` and 32 random bytes in hex (256 bits), and the SHA-256 that is stored.
fn new_secret() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{TOKEN_PREFIX}{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let hash = token_hash(&secret);
    (secret, hash)
}

/// What is stored for a token secret.
pub fn token_hash(secret: &str) -> String {
    super::assist::ticket_hash(secret)
}

#[derive(Serialize)]
struct TokenSnapshot<'a> {
    name: &'a str,
    admin_user_id: i64,
    expires_at: i64,
}

/// Makes a token for `input.admin_user_id`; the secret is in the answer and nowhere else.
#[tracing::instrument(skip_all, fields(user = input.admin_user_id), err(level = "warn"))]
pub async fn create_token(tx: &mut Tx<'_>, origin: &Origin, input: &NewTokenInput) -> Result<CreatedToken, AppError> {
    super::Rights::of(tx, origin).await?.require(Resource::SystemIntegrations)?;
    let user = admins::user(&mut **tx, input.admin_user_id)
        .await?
        .ok_or_else(|| AppError::field("admin_user_id", Msg::NoSuchAdminUser))?;
    if !user.is_active {
        return Err(AppError::field("admin_user_id", Msg::TokenUserInactive));
    }
    let (me, my_grant) = acting_grant(tx, origin).await?;
    if me != Some(user.id) {
        let grant = admins::role_grant_on(tx, user.role_id).await?;
        let change = Change::ResetPassword { user: UserNow { id: user.id, grant: &grant, is_active: user.is_active } };
        authorize_privileges(tx, (me, &my_grant), change, "admin_user_id").await?;
        let their_scope = admins::role_scope_on(tx, user.role_id).await?;
        authorize_scope(&acting_scope(tx, me).await?, Some(&their_scope), None)?;
    }
    let (secret, hash) = new_secret();
    let expires_at = now_ms() + input.lifetime_ms;
    let created_by = match &origin.actor {
        audit::Actor::Admin { username, .. } => username.clone(),
        audit::Actor::System { name } => name.clone(),
        _ => return Err(AppError::forbidden(Msg::OnlyAdminTokens)),
    };
    let id = repo::insert_token(
        tx,
        &NewToken {
            name: &input.name,
            admin_user_id: user.id,
            token_hash: &hash,
            prefix: &secret[..TOKEN_PREFIX.len() + 6],
            created_by: &created_by,
            expires_at,
        },
    )
    .await?;
    let snapshot = TokenSnapshot { name: &input.name, admin_user_id: user.id, expires_at };
    let entry = Entry::change(
        audit::group::INTEGRATIONS,
        "Create integration token",
        "integration_token",
        id,
        None::<&()>,
        Some(&snapshot),
    );
    audit::write(tx, origin, entry).await?;
    Ok(CreatedToken { id, secret })
}

/// Revokes token `id`: its next call is refused. Revoking a revoked token changes nothing.
pub async fn revoke_token(tx: &mut Tx<'_>, origin: &Origin, id: i64) -> Result<bool, AppError> {
    // Revoking takes power away, so any admin allowed the screen may do it; the log says who.
    super::Rights::of(tx, origin).await?.require(Resource::SystemIntegrations)?;
    let Some(row) = repo::token(&mut **tx, id).await? else {
        return Err(AppError::not_found(Msg::TokenNotFound));
    };
    if !repo::revoke(tx, id).await? {
        return Ok(false);
    }
    let entry = Entry::change(
        audit::group::INTEGRATIONS,
        "Revoke integration token",
        "integration_token",
        id,
        Some(&TokenSnapshot { name: &row.name, admin_user_id: row.admin_user_id, expires_at: row.expires_at }),
        None::<&()>,
    );
    audit::write(tx, origin, entry).await?;
    Ok(true)
}

/// A webhook to register: an `https` URL and the events, each one of [`event::ALL`].
#[derive(Clone, Debug)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<String>,
}

impl NewWebhook {
    /// `allow_local`: `http` to this machine is accepted (`SHOPASSIST_WEBHOOK_ALLOW_LOCAL`, for
    /// development and tests); otherwise only `https`.
    pub fn parse(url: &str, events: &[String], allow_local: bool) -> Result<NewWebhook, AppError> {
        let mut errors = crate::domain::error::FieldErrors::default();
        let url = url.trim();
        match url::Url::parse(url) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some() => {}
            Ok(u)
                if allow_local
                    && u.scheme() == "http"
                    && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")) => {}
            _ => errors.add("url", Msg::WebhookUrlHttps),
        }
        if url.len() > 2000 {
            errors.add("url", Msg::WebhookUrlTooLong { max: 2000 });
        }
        let mut chosen: Vec<String> = Vec::new();
        for e in events {
            if !event::ALL.contains(&e.as_str()) {
                errors.add("events", Msg::UnknownEvent { event: e.clone(), events: event::ALL.join(", ") });
            } else if !chosen.contains(e) {
                chosen.push(e.clone());
            }
        }
        if events.is_empty() {
            errors.add("events", Msg::ChooseEvent { events: event::ALL.join(", ") });
        }
        errors.finish()?;
        Ok(NewWebhook { url: url.to_string(), events: chosen })
    }

    /// Refuses a URL whose host has no address, or any address inside the store's network
    /// (see [`crate::server::destination`]); deliveries check again as they connect.
    pub async fn ensure_reachable(&self, reach: Reach) -> Result<(), AppError> {
        let url = url::Url::parse(&self.url).map_err(|_| AppError::field("url", Msg::WebhookUrlHttps))?;
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(443);
        match reach.resolve(host, port).await {
            Ok(_) => Ok(()),
            Err(Refused::Unresolved) => Err(AppError::field("url", Msg::WebhookHostUnknown { host: host.to_string() })),
            Err(Refused::Inside(ip)) => Err(AppError::field(
                "url",
                Msg::WebhookAddressInside { host: host.to_string(), address: ip.to_string() },
            )),
        }
    }
}

#[derive(Serialize)]
struct WebhookSnapshot<'a> {
    url: &'a str,
    events: &'a [String],
}

/// Webhooks are for a role that may receive at least one of the events.
pub fn may_receive_events(grant: &Grant) -> Result<(), AppError> {
    if event::ALL.iter().any(|e| grant.allows(event::resource(e))) {
        Ok(())
    } else {
        super::require(grant, Resource::AssistViewLog)
    }
}

/// Registers a webhook for `token_id`; answers its id and its signing secret (shown once).
pub async fn create_webhook(
    tx: &mut Tx<'_>,
    origin: &Origin,
    token_id: i64,
    hook: &NewWebhook,
) -> Result<(i64, String), AppError> {
    may_receive_events(&super::Rights::of(tx, origin).await?.grant)?;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("whsec_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let id = repo::insert_webhook(tx, token_id, &hook.url, &secret, &hook.events.join(",")).await?;
    let entry = Entry::change(
        audit::group::INTEGRATIONS,
        "Register webhook",
        "webhook",
        id,
        None::<&()>,
        Some(&WebhookSnapshot { url: &hook.url, events: &hook.events }),
    );
    audit::write(tx, origin, entry).await?;
    Ok((id, secret))
}

/// Deletes one of `token_id`'s webhooks; its undelivered events are dropped when due.
pub async fn delete_webhook(tx: &mut Tx<'_>, origin: &Origin, token_id: i64, id: i64) -> Result<(), AppError> {
    may_receive_events(&super::Rights::of(tx, origin).await?.grant)?;
    if !repo::delete_webhook(tx, token_id, id).await? {
        return Err(AppError::not_found(Msg::WebhookNotFound));
    }
    let entry = Entry::change(audit::group::INTEGRATIONS, "Delete webhook", "webhook", id, None::<&()>, None::<&()>);
    audit::write(tx, origin, entry).await?;
    Ok(())
}
