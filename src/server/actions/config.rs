//! Saving configuration values (Stores > Settings > Configuration, `config set`).

use crate::domain::acl::Resource;
use crate::domain::config::{self, form_key, parse_value, Field, Scope, Section};
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields::config as f, ConfigForm};
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use crate::server::db::audit::{self, Entry, Origin};
use crate::server::db::{config as repo, Tx};

/// Values to set (`Some`) or to return to inheriting (`None`) at one scope.
#[derive(Debug)]
pub struct ConfigChange {
    pub scope: Scope,
    pub values: Vec<(&'static Field, Option<String>)>,
}

/// Whether `scope` names a store view or website that exists.
pub fn scope_exists(scope: Scope, views: &[StoreView]) -> bool {
    match scope {
        Scope::Default => true,
        Scope::Website(id) => views.iter().any(|v| v.website_id == id),
        Scope::StoreView(id) => views.iter().any(|v| v.id == id),
    }
}

impl ConfigChange {
    /// Reads one section's form at its scope. Every value is checked first, so one bad value
    /// saves nothing; a key that is no field of the section is refused. Fields that cannot be
    /// set at this scope are shown read-only and never posted; any that arrive are ignored.
    /// A ticked inherit box (`Use Website`, `Use Default`, and at the default scope `Use system
    /// value`) removes the value set at this scope.
    pub fn from_form(form: &ConfigForm, section: &'static Section, views: &[StoreView]) -> Result<Self, AppError> {
        let scope = Scope::parse_key(&form.scope)
            .filter(|s| scope_exists(*s, views))
            .ok_or_else(|| AppError::field(f::scope.key, Msg::ScopeInvalid))?;
        let level = scope.level();
        let section_fields: Vec<&'static Field> = section.groups.iter().flat_map(|g| g.fields.iter()).collect();
        let mut errors = FieldErrors::default();
        for key in form.fields.keys().chain(form.inherit.keys()) {
            if !section_fields.iter().any(|fl| form_key(fl.path) == *key) {
                errors.add(key, Msg::ConfigFieldUnknown { key: key.to_string() });
            }
        }
        let mut values = Vec::new();
        for fl in section_fields.into_iter().filter(|fl| level <= fl.max_level) {
            let key = form_key(fl.path);
            let inherit = form.inherit.get(&key).is_some_and(|c| c.get());
            if inherit {
                values.push((fl, None));
            } else if let Some(raw) = form.fields.get(&key) {
                match parse_value(fl, raw) {
                    Ok(v) => values.push((fl, Some(v))),
                    Err(m) => errors.add(&key, m),
                }
            }
        }
        errors.finish()?;
        Ok(ConfigChange { scope, values })
    }

    /// One value by path, as the command line sets it.
    pub fn single(path: &str, raw: &str, scope: Scope) -> Result<Self, AppError> {
        let (_, field) =
            config::field(path).ok_or_else(|| AppError::invalid(Msg::ConfigFieldUnknown { key: path.to_string() }))?;
        if scope.level() > field.max_level {
            return Err(AppError::invalid(Msg::WiderScopeOnly));
        }
        let value = parse_value(field, raw).map_err(AppError::invalid)?;
        Ok(ConfigChange { scope, values: vec![(field, Some(value))] })
    }
}

/// Applies the change and logs each value that really changed, with its old and new value.
/// Returns how many changed.
#[tracing::instrument(skip_all, fields(scope = %change.scope.key()), err(level = "warn"))]
pub async fn save_config(tx: &mut Tx<'_>, origin: &Origin, change: &ConfigChange) -> Result<usize, AppError> {
    let me = super::Rights::of(tx, origin).await?;
    me.require(Resource::StoresConfig)?;
    for (field, _) in &change.values {
        let section = config::field(field.path).map(|(section, _)| section.resource);
        if let Some(resource) = section.filter(|r| !me.grant.allows(*r)) {
            return Err(AppError::forbidden(Msg::ConfigSectionForbidden { resource }));
        }
    }
    let mut changed = 0;
    let (kind, id) = change.scope.parts();
    for (field, value) in &change.values {
        let old = repo::get_at(tx, change.scope, field.path).await?;
        if old == *value {
            continue;
        }
        if field.path == crate::domain::config::SHARE_SCOPE && value.as_deref() == Some("global") {
            // As the reference: accounts of one email on several websites cannot be merged.
            let count = crate::server::db::customers::emails_on_several_websites(&mut **tx).await?;
            if count > 0 {
                return Err(AppError::field(&config::form_key(field.path), Msg::ShareGloballyCollides { count }));
            }
        }
        repo::put(tx, change.scope, field.path, value.as_deref()).await?;
        let entry = Entry {
            group: audit::group::CONFIGURATION,
            action: "Save configuration",
            target_type: "config",
            target_id: format!("{kind}:{id}:{}", field.path),
            old,
            new: value.clone(),
            result: "success",
        };
        audit::write(tx, origin, entry).await?;
        changed += 1;
        if field.path == crate::domain::config::ASSIST_ENABLED && value.as_deref() != Some("1") {
            // Switching Login as Customer off ends every running session at once.
            use crate::domain::assist::EndReason;
            use crate::server::db::assist::Running;
            crate::server::assist::end_running(tx, origin, Running::All, EndReason::FeatureDisabled).await?;
        }
    }
    Ok(changed)
}
