//! Stores > Settings > Configuration: values per scope with inheritance.

use crate::domain::error::AppError;
use crate::domain::model::ConfigScreen;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Form keys use `.` where paths have `/`, so they nest cleanly in form encoding.
pub fn form_key(path: &str) -> String {
    path.replace('/', ".")
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfigForm {
    pub scope: String,
    pub section: String,
    /// Value per field (keyed by `form_key`).
    pub fields: BTreeMap<String, String>,
    /// Present (any value) for fields whose "Use Default"/"Use Website" box is ticked.
    pub inherit: BTreeMap<String, String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::config::Scope;
    use crate::domain::error::AppError;
    use crate::domain::model::{ScopeOption, StoreView};

    pub fn parse_scope(raw: &str, views: &[StoreView]) -> Result<Scope, AppError> {
        let bad = || AppError::field("scope", "Choose a valid scope.");
        match raw.split_once(':') {
            None if raw.is_empty() || raw == "default" => Ok(Scope::Default),
            Some(("website", id)) => {
                let id: i64 = id.parse().map_err(|_| bad())?;
                views.iter().any(|v| v.website_id == id).then_some(Scope::Website(id)).ok_or_else(bad)
            }
            Some(("store", id)) => {
                let id: i64 = id.parse().map_err(|_| bad())?;
                views.iter().any(|v| v.id == id).then_some(Scope::StoreView(id)).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }

    pub fn scope_key(scope: Scope) -> String {
        match scope {
            Scope::Default => "default".into(),
            Scope::Website(id) => format!("website:{id}"),
            Scope::StoreView(id) => format!("store:{id}"),
        }
    }

    pub fn options(views: &[StoreView]) -> Vec<ScopeOption> {
        let mut out = vec![ScopeOption { key: "default".into(), label: "Default Config".into(), depth: 0 }];
        let mut last_site = None;
        for v in views {
            if last_site != Some(v.website_id) {
                out.push(ScopeOption {
                    key: format!("website:{}", v.website_id),
                    label: v.website_name.clone(),
                    depth: 1,
                });
                last_site = Some(v.website_id);
            }
            out.push(ScopeOption { key: format!("store:{}", v.id), label: v.name.clone(), depth: 2 });
        }
        out
    }

    /// (website, store view) ids that the scope reads through.
    pub fn lineage(scope: Scope, views: &[StoreView]) -> (Option<i64>, Option<i64>) {
        match scope {
            Scope::Default => (None, None),
            Scope::Website(w) => (Some(w), None),
            Scope::StoreView(s) => (views.iter().find(|v| v.id == s).map(|v| v.website_id), Some(s)),
        }
    }
}

/// The screen at `scope` (`default`, `website:<id>`, `store:<id>`): the sections this admin may
/// see and, for `section` (or the first one), each field's value and whether it inherits.
#[server(prefix = "/admin/api", endpoint = "config_get")]
pub async fn get_config_screen(
    #[server(default)] scope: String,
    #[server(default)] section: String,
) -> Result<ConfigScreen, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::config::{ScopeLevel, SECTIONS};
    use crate::domain::model::ConfigFieldView;
    use crate::server::db::{config as cfg, stores};
    use crate::server::guard::{self, internal};

    let admin = guard::admin(Resource::StoresConfig).await?;
    let state = guard::state()?;
    let views = stores::views(&state.db.pool).await.map_err(internal("views"))?;
    let scope = ssr::parse_scope(&scope, &views)?;
    let visible: Vec<_> = SECTIONS.iter().filter(|s| admin.grant.allows(s.resource)).collect();
    let current = visible
        .iter()
        .find(|s| s.id == section)
        .or_else(|| if section.is_empty() { visible.first() } else { None })
        .ok_or_else(|| AppError::Forbidden("Sorry, you need permissions to view this content.".into()))?;
    let (website, store) = ssr::lineage(scope, &views);
    let level = scope.level();
    let mut fields = Vec::new();
    for f in current.groups.iter().flat_map(|g| g.fields.iter()) {
        let layers = cfg::layers(&state.db.pool, f.path, website, store).await.map_err(internal("config layers"))?;
        let own = match level {
            ScopeLevel::Default => &layers.default,
            ScopeLevel::Website => &layers.website,
            ScopeLevel::StoreView => &layers.store_view,
        };
        fields.push(ConfigFieldView {
            path: f.path.to_string(),
            value: layers.resolve(f, level),
            inherits: own.is_none() || level > f.max_level,
            inherited_value: layers.inherited(f, level),
            editable: level <= f.max_level,
        });
    }
    Ok(ConfigScreen {
        scope_key: ssr::scope_key(scope),
        scopes: ssr::options(&views),
        sections: visible.iter().map(|s| s.id.to_string()).collect(),
        section: current.id.to_string(),
        fields,
    })
}

/// Saves one section at one scope. Every value is checked first; one bad value saves nothing.
/// Each changed value is logged with its old and new value.
#[server(prefix = "/admin/api", endpoint = "config_save")]
pub async fn save_config(#[server(default)] form: ConfigForm) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::config::SECTIONS;
    use crate::server::db::audit::{self, Entry};
    use crate::server::db::{config as cfg, stores};
    use crate::server::guard::{self, internal};

    let admin = guard::admin(Resource::StoresConfig).await?;
    let section = SECTIONS
        .iter()
        .find(|s| s.id == form.section)
        .ok_or_else(|| AppError::field("section", "Unknown configuration section."))?;
    if !admin.grant.allows(section.resource) {
        return Err(AppError::Forbidden(format!("Sorry, you need permissions to change {}.", section.label)));
    }
    let state = guard::state()?;
    let views = stores::views(&state.db.pool).await.map_err(internal("views"))?;
    let scope = ssr::parse_scope(&form.scope, &views)?;
    let level = scope.level();

    let mut changes = Vec::new();
    for f in section.groups.iter().flat_map(|g| g.fields.iter()).filter(|f| level <= f.max_level) {
        let key = form_key(f.path);
        let inherit = level != crate::domain::config::ScopeLevel::Default && form.inherit.contains_key(&key);
        let value = if inherit {
            None
        } else {
            match form.fields.get(&key) {
                Some(raw) => Some(crate::domain::config::parse_value(f, raw).map_err(|m| AppError::field(&key, m))?),
                None => continue,
            }
        };
        changes.push((f, value));
    }
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    for (f, value) in changes {
        let old = cfg::get_at(&mut tx, scope, f.path).await.map_err(internal("config read"))?;
        if old == value {
            continue;
        }
        cfg::put(&mut tx, scope, f.path, value.as_deref()).await.map_err(internal("config write"))?;
        let (kind, id) = scope.parts();
        audit::write(
            &mut tx,
            &admin.actor(),
            Entry {
                group: audit::group::CONFIGURATION,
                action: "Save configuration",
                target_type: "config",
                target_id: format!("{kind}:{id}:{}", f.path),
                old,
                new: value,
                result: "success",
            },
        )
        .await
        .map_err(internal("audit"))?;
    }
    tx.commit().await.map_err(internal("commit"))?;
    Ok(())
}
