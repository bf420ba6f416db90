//! Stores > Settings > Configuration: values per scope with inheritance.

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::ConfigForm;
use crate::domain::model::ConfigScreen;
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;

/// The screen at `scope` (`default`, `website:<id>`, `store:<id>`): the sections this admin may
/// see and, for `section` (or the first one), each field's value and whether it inherits.
#[server(prefix = "/admin/api", endpoint = "config_get")]
pub async fn get_config_screen(
    #[server(default)] scope: String,
    #[server(default)] section: String,
) -> Result<Deferred<ConfigScreen>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::config::{Scope, ScopeLevel, SECTIONS};
            use crate::domain::model::{ConfigFieldView, ScopeOption};
            use crate::server::actions::config::scope_exists;
            use crate::server::db::{config as cfg, stores};
            use crate::server::guard;

            let admin = guard::admin(Resource::StoresConfig).await?;
            let state = guard::state()?;
            let views = stores::views(&state.db.pool).await?;
            let scope = Scope::parse_key(&scope)
                .filter(|s| scope_exists(*s, &views))
                .ok_or_else(|| AppError::field("scope", Msg::ScopeInvalid))?;
            let visible: Vec<_> = SECTIONS.iter().filter(|s| admin.grant.allows(s.resource)).collect();
            let current = visible
                .iter()
                .find(|s| s.id == section)
                .or_else(|| if section.is_empty() { visible.first() } else { None })
                .ok_or(AppError::forbidden(Msg::NoPermission))?;
            let (website, store) = match scope {
                Scope::Default => (None, None),
                Scope::Website(w) => (Some(w), None),
                Scope::StoreView(s) => (views.iter().find(|v| v.id == s).map(|v| v.website_id), Some(s)),
            };
            let level = scope.level();
            // A built-in text is shown in the language it will be read in: at a store view,
            // that view's locale; above, where each view may read another language, the
            // admin's own. (Values set are shown as typed.)
            let locale = match scope {
                Scope::StoreView(s) => views.iter().find(|v| v.id == s).and_then(|v| crate::l10n::parse(&v.locale)),
                _ => None,
            }
            .unwrap_or(admin.locale);
            let mut fields = Vec::new();
            for f in current.groups.iter().flat_map(|g| g.fields.iter()) {
                if matches!(f.kind, crate::domain::config::FieldKind::Environment) {
                    // Shown as the server runs, from its environment, in the reader's language.
                    let value = match state.page_cache.application() {
                        "Redis" => "Redis".to_string(),
                        _ => crate::tr_in!(locale, admin.config.fpc_builtin),
                    };
                    fields.push(ConfigFieldView {
                        path: f.path.to_string(),
                        value: value.clone(),
                        inherits: false,
                        inherited_value: value,
                        editable: false,
                    });
                    continue;
                }
                let layers = cfg::layers(&state.db.pool, f.path, website, store).await?;
                let own = match level {
                    ScopeLevel::Default => &layers.default,
                    ScopeLevel::Website => &layers.website,
                    ScopeLevel::StoreView => &layers.store_view,
                };
                fields.push(ConfigFieldView {
                    path: f.path.to_string(),
                    value: layers.resolve(f, level, locale),
                    inherits: own.is_none() || level > f.max_level,
                    inherited_value: layers.inherited(f, level, locale),
                    editable: level <= f.max_level,
                });
            }
            let mut scopes = vec![ScopeOption { key: Scope::Default.key(), label: String::new(), depth: 0 }];
            for (i, v) in views.iter().enumerate() {
                if i == 0 || views[i - 1].website_id != v.website_id {
                    scopes.push(ScopeOption {
                        key: Scope::Website(v.website_id).key(),
                        label: v.website_name.clone(),
                        depth: 1,
                    });
                }
                scopes.push(ScopeOption { key: Scope::StoreView(v.id).key(), label: v.name.clone(), depth: 2 });
            }
            Ok(ConfigScreen {
                scope_key: scope.key(),
                scopes,
                sections: visible.iter().map(|s| s.id.to_string()).collect(),
                section: current.id.to_string(),
                fields,
            })
        }
        .await,
    )
}

/// Saves one section at one scope. Every value is checked first; one bad value saves nothing.
/// Each changed value is logged with its old and new value.
#[server(prefix = "/admin/api", endpoint = "config_save")]
pub async fn save_config(#[server(default)] form: ConfigForm) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::config::SECTIONS;
    use crate::server::actions::config::{self as action, ConfigChange};
    use crate::server::db::stores;
    use crate::server::guard;

    let admin = guard::admin(Resource::StoresConfig).await?;
    let section = SECTIONS
        .iter()
        .find(|s| s.id == form.section)
        .ok_or_else(|| AppError::field("section", Msg::ConfigSectionUnknown))?;
    if !admin.grant.allows(section.resource) {
        return Err(AppError::forbidden(Msg::ConfigSectionForbidden { resource: section.resource }));
    }
    let state = guard::state()?;
    let views = stores::views(&state.db.pool).await?;
    let change = ConfigChange::from_form(&form, section, &views)?;
    let mut tx = state.db.begin().await?;
    action::save_config(&mut tx, &admin.origin(), &change).await?;
    tx.commit().await?;
    // A setting may change any storefront page (language, currency, the cache's own time).
    state.kept.forget();
    state.page_cache.clear().await;
    Ok(())
}
