//! Scoped configuration values.

use super::{now_ms, Tx};
use crate::domain::config::{Layers, Scope};
use sqlx::{AnyPool, Row};

/// The values set for `path` at the default scope, at `website_id` and at `store_view_id`.
pub async fn layers<'e>(
    ex: impl super::Executor<'e>,
    path: &str,
    website_id: Option<i64>,
    store_view_id: Option<i64>,
) -> Result<Layers, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT scope, scope_id, value FROM config_values WHERE path = $1 AND \
         ((scope = 'default') OR (scope = 'websites' AND scope_id = $2) OR (scope = 'stores' AND scope_id = $3))",
    )
    .bind(path)
    .bind(website_id.unwrap_or(-1))
    .bind(store_view_id.unwrap_or(-1))
    .fetch_all(ex)
    .await?;
    let mut layers = Layers::default();
    for row in rows {
        let scope: String = row.try_get("scope")?;
        let value: String = row.try_get("value")?;
        match scope.as_str() {
            "default" => layers.default = Some(value),
            "websites" => layers.website = Some(value),
            _ => layers.store_view = Some(value),
        }
    }
    Ok(layers)
}

/// The value stored exactly at `scope`, if any.
pub async fn get_at(tx: &mut Tx<'_>, scope: Scope, path: &str) -> Result<Option<String>, sqlx::Error> {
    let (kind, id) = scope.parts();
    sqlx::query_scalar("SELECT value FROM config_values WHERE scope = $1 AND scope_id = $2 AND path = $3")
        .bind(kind)
        .bind(id)
        .bind(path)
        .fetch_optional(&mut **tx)
        .await
}

/// Sets (`Some`) or removes (`None`, back to inheriting) the value at `scope`.
pub async fn put(tx: &mut Tx<'_>, scope: Scope, path: &str, value: Option<&str>) -> Result<(), sqlx::Error> {
    let (kind, id) = scope.parts();
    match value {
        Some(v) => {
            let now = now_ms();
            sqlx::query(
                "INSERT INTO config_values (scope, scope_id, path, value, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (scope, scope_id, path) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(kind)
            .bind(id)
            .bind(path)
            .bind(v)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM config_values WHERE scope = $1 AND scope_id = $2 AND path = $3")
                .bind(kind)
                .bind(id)
                .bind(path)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// The setting in effect at the default scope (the stored one, or the field's default), for
/// the server to act on: a value, never a text read in some language.
pub async fn default_value(pool: &AnyPool, path: &str) -> Result<String, sqlx::Error> {
    let (_, field) =
        crate::domain::config::field(path).ok_or_else(|| sqlx::Error::Protocol(format!("unknown path {path}")))?;
    let level = crate::domain::config::ScopeLevel::Default;
    Ok(layers(pool, path, None, None).await?.set_value(field, level).unwrap_or_else(|| field.default.to_string()))
}

/// A whole-number setting at the default scope.
pub async fn default_number(pool: &AnyPool, path: &str) -> Result<i64, sqlx::Error> {
    Ok(default_value(pool, path).await?.parse().unwrap_or_default())
}

/// Whether `Share Customer Accounts` is `Global` (an email is unique across every website).
pub async fn accounts_shared_globally(tx: &mut Tx<'_>) -> Result<bool, sqlx::Error> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM config_values WHERE scope = 'default' AND scope_id = 0 AND path = $1")
            .bind(crate::domain::config::SHARE_SCOPE)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(value.as_deref() == Some("global"))
}

/// The values in effect at the default scope for several paths at once (one query), in the
/// order asked; a path with no stored value gets its field's default.
pub async fn default_values<'e>(
    ex: impl super::Executor<'e>,
    paths: &[&'static str],
) -> Result<Vec<String>, sqlx::Error> {
    let marks: Vec<String> = (1..=paths.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT path, value FROM config_values WHERE scope = 'default' AND scope_id = 0 AND path IN ({})",
        marks.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for p in paths {
        query = query.bind(*p);
    }
    let stored: Vec<(String, String)> =
        query.try_map(|r: sqlx::any::AnyRow| Ok((r.try_get("path")?, r.try_get("value")?))).fetch_all(ex).await?;
    paths
        .iter()
        .map(|p| {
            let (_, field) =
                crate::domain::config::field(p).ok_or_else(|| sqlx::Error::Protocol(format!("unknown path {p}")))?;
            Ok(stored.iter().find(|(sp, _)| sp == p).map_or_else(|| field.default.to_string(), |(_, v)| v.clone()))
        })
        .collect()
}

/// The number every change to configuration or to the stores moves (by trigger, whoever
/// writes): what is kept in memory is read again when it moves (see `server::kept`).
pub async fn version(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM config_version WHERE id = 1").fetch_one(pool).await
}
