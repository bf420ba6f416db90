//! Stores > Settings > Configuration: scopes, inheritance, validation and the log.

use crate::helpers::{config_form, AnswerExt, TestApp, ADMIN_PASSWORD};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{Checkbox, ConfigForm};
use shopassist::domain::model::{ConfigFieldView, ConfigScreen};

const PATH: &str = "login_as_customer/general/opt_in_title";
/// The field's key in the form.
const TITLE: &str = "login_as_customer.general.opt_in_title";
const ENABLED: &str = "login_as_customer.general.enabled";

async fn screen(app: &TestApp, c: &reqwest::Client, scope: &str) -> ConfigScreen {
    app.config_screen(c, scope, "login_as_customer").await.expect("configuration screen")
}

fn field(screen: &ConfigScreen, path: &str) -> ConfigFieldView {
    screen.fields.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} not on {screen:?}")).clone()
}

async fn title(app: &TestApp, c: &reqwest::Client, scope: &str) -> String {
    field(&screen(app, c, scope).await, PATH).value
}

async fn a_website_value_is_inherited_by_its_store_views_and_overridden_where_set(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let en = format!("store:{}", app.store_view_id("second_en").await);
    let zh = format!("store:{}", app.store_view_id("second_zh").await);
    let website = format!("website:{}", app.website_id("second").await);

    let before = field(&screen(&app, &c, &en).await, PATH);
    assert_eq!(before.value, "Allow remote shopping assistance");
    assert!(before.inherits);

    let saved = app.save_config(&c, &config_form(&website, "login_as_customer", &[(TITLE, "Let us help")])).await;
    assert_eq!(saved, Ok(()));
    assert_eq!(title(&app, &c, &en).await, "Let us help");
    assert_eq!(title(&app, &c, &zh).await, "Let us help");
    assert_eq!(title(&app, &c, "default").await, "Allow remote shopping assistance");

    let saved = app.save_config(&c, &config_form(&zh, "login_as_customer", &[(TITLE, "讓我們幫忙")])).await;
    assert_eq!(saved, Ok(()));
    let zh_title = field(&screen(&app, &c, &zh).await, PATH);
    assert_eq!(zh_title.value, "讓我們幫忙");
    assert!(!zh_title.inherits);
    assert_eq!(zh_title.inherited_value, "Let us help");
    assert_eq!(title(&app, &c, &en).await, "Let us help");

    // "Use Website" removes the override.
    let use_website = ConfigForm {
        inherit: [(TITLE.to_string(), Checkbox(true))].into(),
        ..config_form(&zh, "login_as_customer", &[])
    };
    assert_eq!(app.save_config(&c, &use_website).await, Ok(()));
    assert_eq!(title(&app, &c, &zh).await, "Let us help");

    let logged: Vec<(Option<String>, Option<String>)> = app
        .log()
        .await
        .into_iter()
        .filter(|e| e.action_group == "Configuration")
        .map(|e| (e.old_value, e.new_value))
        .collect();
    assert_eq!(
        logged,
        vec![(None, Some("Let us help".into())), (None, Some("讓我們幫忙".into())), (Some("讓我們幫忙".into()), None),]
    );
}

async fn default_only_fields_cannot_be_set_per_website(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let saved = app.save_config(&c, &config_form("website:1", "login_as_customer", &[(ENABLED, "1")])).await;
    assert_eq!(saved, Ok(()));
    assert_eq!(app.count("config_values").await, seeded, "a default-only field must not be stored at website scope");
}

async fn a_bad_value_saves_nothing(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = config_form("default", "login_as_customer", &[(TITLE, "Fine title"), (ENABLED, "perhaps")]);
    let refusal = app.save_config(&c, &form).await.refused();
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.error.field_msg(ENABLED), Some(&Msg::ChooseYesNo), "{refusal:?}");
    assert_eq!(refusal.error.field_msg(TITLE), None, "the good value is not blamed");
    assert_eq!(app.count("config_values").await, seeded);

    let refusal = app.save_config(&c, &config_form("website:999", "customer", &[])).await.refused();
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.error.field_msg("scope"), Some(&Msg::ScopeInvalid));
}

async fn an_unknown_field_key_is_refused_and_saves_nothing(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let before = app.log_count().await;
    let unknown = "login_as_customer.general.opt_in_titel";
    let form = config_form("default", "login_as_customer", &[(TITLE, "Fine title"), (unknown, "Typo")]);
    let refusal = app.save_config(&c, &form).await.refused();
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.error.field_msg(unknown), Some(&Msg::ConfigFieldUnknown { key: unknown.into() }));

    // A field of another section is unknown in this one, and so is an unknown "Use Default".
    let other_section = config_form("default", "customer", &[(TITLE, "Fine title")]);
    assert_eq!(app.save_config(&c, &other_section).await.status(), 400);
    let website = format!("website:{}", app.website_id("second").await);
    let inherit_unknown = ConfigForm {
        inherit: [(unknown.to_string(), Checkbox(true))].into(),
        ..config_form(&website, "login_as_customer", &[])
    };
    assert_eq!(app.save_config(&c, &inherit_unknown).await.status(), 400);

    assert_eq!(app.count("config_values").await, seeded);
    assert_eq!(app.log_count().await, before);
}

async fn sections_need_their_own_resource(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let user = app.admin_with("cfg", Grant::custom([Resource::ConfigCustomerSection])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let visible = app.config_screen(&c, "", "").await.expect("the sections this admin may see");
    assert_eq!(visible.sections, ["customer"]);
    let refusal = app.save_config(&c, &config_form("default", "login_as_customer", &[(ENABLED, "1")])).await.refused();
    assert_eq!(refusal.status, 403);
    assert!(matches!(refusal.error, AppError::Forbidden(_)), "{refusal:?}");
    assert_eq!(app.config_screen(&c, "", "login_as_customer").await.status(), 403);
    assert_eq!(app.count("config_values").await, seeded);
}

/// At Default Config a field with nothing stored shows its system value and can be set;
/// ticking `Use system value` again removes what was set (logged both ways).
async fn the_default_scope_sets_a_value_and_returns_to_the_system_value(app: TestApp) {
    // The demo structure stores a value of its own (the second_zh store view's locale).
    let seeded = app.count("config_values").await;
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let enabled = field(&screen(&app, &c, "default").await, "login_as_customer/general/enabled");
    assert_eq!((enabled.value.as_str(), enabled.inherits, enabled.editable), ("0", true, true));

    let before = app.log_count().await;
    assert_eq!(app.save_config(&c, &config_form("default", "login_as_customer", &[(ENABLED, "1")])).await, Ok(()));
    let enabled = field(&screen(&app, &c, "default").await, "login_as_customer/general/enabled");
    assert_eq!((enabled.value.as_str(), enabled.inherits), ("1", false));

    let system = ConfigForm {
        inherit: [(ENABLED.to_string(), Checkbox(true))].into(),
        ..config_form("default", "login_as_customer", &[(ENABLED, "1")])
    };
    assert_eq!(app.save_config(&c, &system).await, Ok(()));
    let enabled = field(&screen(&app, &c, "default").await, "login_as_customer/general/enabled");
    assert_eq!((enabled.value.as_str(), enabled.inherits), ("0", true));
    assert_eq!(app.count("config_values").await, seeded);
    let log = app.log_since(before as usize).await;
    let values: Vec<(Option<&str>, Option<&str>)> =
        log.iter().map(|e| (e.old_value.as_deref(), e.new_value.as_deref())).collect();
    assert_eq!(values, [(None, Some("1")), (Some("1"), None)]);
}

/// The session, reason, notice and consent settings, with their defaults and bounds.
async fn the_assistance_settings_have_their_defaults_and_bounds(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let at_default = screen(&app, &c, "default").await;
    for (path, default) in [
        ("login_as_customer/general/session_lifetime", "60"),
        ("login_as_customer/general/idle_timeout", "15"),
        ("login_as_customer/general/require_reason", "0"),
        ("login_as_customer/general/notify_customer", "1"),
        ("login_as_customer/general/restrict_sensitive_changes", "1"),
        ("login_as_customer/general/consent_lifetime", ""),
    ] {
        assert_eq!(field(&at_default, path).value, default, "{path}");
    }
    let website = format!("website:{}", app.website_id("second").await);
    let at_website = screen(&app, &c, &website).await;
    let editable: Vec<&str> = at_website
        .fields
        .iter()
        .filter(|f| f.editable && f.path.contains("/general/") && !f.path.contains("opt_in"))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(editable, ["login_as_customer/general/notify_customer"], "only Notify Customer per website");

    const LIFETIME: &str = "login_as_customer.general.consent_lifetime";
    for bad in ["0", "3651", "ten", "-1"] {
        let form = config_form("default", "login_as_customer", &[(LIFETIME, bad)]);
        assert_eq!(app.save_config(&c, &form).await.refused().status, 400, "{bad}");
    }
    let form = config_form("default", "login_as_customer", &[(LIFETIME, "30")]);
    assert_eq!(app.save_config(&c, &form).await, Ok(()));
    let form = config_form("default", "login_as_customer", &[(LIFETIME, "")]);
    assert_eq!(app.save_config(&c, &form).await, Ok(()), "empty: until revoked");
    let lifetime = field(&screen(&app, &c, "default").await, "login_as_customer/general/consent_lifetime");
    assert_eq!((lifetime.value.as_str(), lifetime.inherits), ("", false));
    let per_website = config_form(&website, "login_as_customer", &[("login_as_customer.general.notify_customer", "0")]);
    assert_eq!(app.save_config(&c, &per_website).await, Ok(()));
}

crate::on_both_databases!(
    the_default_scope_sets_a_value_and_returns_to_the_system_value,
    the_assistance_settings_have_their_defaults_and_bounds,
    a_website_value_is_inherited_by_its_store_views_and_overridden_where_set,
    default_only_fields_cannot_be_set_per_website,
    a_bad_value_saves_nothing,
    an_unknown_field_key_is_refused_and_saves_nothing,
    sections_need_their_own_resource,
);
