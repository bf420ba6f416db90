//! Each action checks its own rights: called directly (as the command line, the JSON API and
//! the tests call them, with no screen before it) by an admin whose role lacks the right, it
//! refuses, and nothing is written.

use crate::helpers::{client, customer_form, edit_user_form, register_form, role_form, TestApp, ADMIN_PASSWORD};
use crate::role_scopes::scoped_admin;
use shopassist::domain::acl::{Grant, Resource, Scope};
use shopassist::domain::config::{Scope as At, ASSIST_ENABLED, SHARE_SCOPE};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::AccountSettingForm;
use shopassist::domain::input::NewPassword;
use shopassist::server::actions::admin_users::{self, AdminUserInput, OwnAccountInput};
use shopassist::server::actions::assist::{self, Assistant, StartInput};
use shopassist::server::actions::config::{save_config, ConfigChange};
use shopassist::server::actions::customers::{save_customer, CustomerInput};
use shopassist::server::actions::integrations::{self as hooks, NewTokenInput, NewWebhook};
use shopassist::server::actions::{consent, hash_new_password_blocking, roles};
use shopassist::server::db::audit::{Actor, Origin};
use shopassist::server::db::{admins, customers};

/// `username` acting from the command line's address.
async fn as_admin(app: &TestApp, username: &str) -> Origin {
    Origin { actor: Actor::Admin { id: app.admin_id(username).await, username: username.into() }, ..Origin::cli() }
}

/// What `username`'s role lacks, refused: the action's own refusal when the screen is skipped.
fn needs(resource: Resource) -> AppError {
    AppError::forbidden(Msg::PermissionNeeded { resource })
}

/// Login as Customer switched on (by the console) and a customer, Ada; her id.
async fn feature_on_and_ada(app: &TestApp) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    save_config(&mut tx, &Origin::cli(), &ConfigChange::single(ASSIST_ENABLED, "1", At::Default).unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.register(&client(), &register_form("Ada", "Byron", "ada@example.com")).await.expect("registered");
    app.customer_id("ada@example.com").await
}

async fn each_action_refuses_an_admin_without_its_right(app: TestApp) {
    // Arrange: the feature on, a customer, and an admin whose role holds only the dashboard.
    let ada = feature_on_and_ada(&app).await;
    let nobody = app.admin_with("nobody", Grant::custom([Resource::Dashboard])).await;
    let me = as_admin(&app, &nobody).await;
    let configurer = app.admin_with("configurer", Grant::custom([Resource::StoresConfig])).await;
    let entries = app.log_count().await;

    // Customers: saving one needs `Edit Customer`, and the consent needs the opt-in resource.
    let detail = customers::detail(&app.db.pool, ada).await.unwrap().unwrap();
    let input = CustomerInput::try_from(&customer_form(&detail)).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(save_customer(&mut tx, &me, &input).await.unwrap_err(), needs(Resource::CustomersEdit));
    assert_eq!(consent::set(&mut tx, &me, ada, true).await.unwrap_err(), needs(Resource::CustomersEdit));
    drop(tx);

    // Configuration: the screen's resource first, then each section's own.
    let change = ConfigChange::single(SHARE_SCOPE, "global", At::Default).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(save_config(&mut tx, &me, &change).await.unwrap_err(), needs(Resource::StoresConfig));
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    let refused = save_config(&mut tx, &as_admin(&app, &configurer).await, &change).await.unwrap_err();
    assert_eq!(refused, AppError::forbidden(Msg::ConfigSectionForbidden { resource: Resource::ConfigCustomerSection }));
    drop(tx);

    // Users and roles.
    let admin_row = admins::user(&app.db.pool, app.admin_id("admin").await).await.unwrap().unwrap();
    let user_input = AdminUserInput::try_from(&edit_user_form(admin_row)).unwrap();
    let hash = hash_new_password_blocking(&NewPassword::parse("Another-Passw0rd", "password").unwrap()).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let refused = admin_users::save_admin_user(&mut tx, &me, &user_input, None).await.unwrap_err();
    assert_eq!(refused, needs(Resource::SystemUsers));
    let refused = admin_users::reset_password(&mut tx, &me, "admin", &hash).await.unwrap_err();
    assert_eq!(refused, needs(Resource::SystemUsers));
    assert_eq!(admin_users::unlock(&mut tx, &me, "admin").await.unwrap_err(), needs(Resource::SystemUsers));
    let role = roles::RoleInput::try_from(&role_form("Wider", "customers.manage")).unwrap();
    assert_eq!(roles::save_role(&mut tx, &me, &role).await.unwrap_err(), needs(Resource::SystemRoles));
    // One's own account is one's own: another admin's is refused.
    let own = OwnAccountInput::try_from(&AccountSettingForm {
        first_name: "Mallory".into(),
        last_name: "Admin".into(),
        email: "mallory@example.com".into(),
        interface_locale: "en-US".into(),
        current_password: ADMIN_PASSWORD.into(),
    })
    .unwrap();
    let someone_else = app.admin_id("admin").await;
    let refused = admin_users::save_own_account(&mut tx, &me, someone_else, &own).await.unwrap_err();
    assert_eq!(refused, AppError::forbidden(Msg::AccountCannotChange));
    drop(tx);

    // Integrations: tokens need `Integrations`; webhooks a role that may receive an event.
    let mut tx = app.db.begin().await.unwrap();
    let token = NewTokenInput::parse("Mine", app.admin_id(&nobody).await, "1d").unwrap();
    assert_eq!(hooks::create_token(&mut tx, &me, &token).await.unwrap_err(), needs(Resource::SystemIntegrations));
    assert_eq!(hooks::revoke_token(&mut tx, &me, 1).await.unwrap_err(), needs(Resource::SystemIntegrations));
    let hook = NewWebhook::parse("https://hooks.example.com/x", &["consent.changed".into()], false).unwrap();
    let refused = hooks::create_webhook(&mut tx, &me, 1, &hook).await.unwrap_err();
    assert_eq!(refused, needs(Resource::AssistViewLog));
    assert_eq!(hooks::delete_webhook(&mut tx, &me, 1, 1).await.unwrap_err(), needs(Resource::AssistViewLog));
    drop(tx);

    // Login as Customer: the start and its dialog need `Allow Login as Customer`.
    let assistant = Assistant {
        id: app.admin_id(&nobody).await,
        username: nobody.clone(),
        name: "Limited Admin".into(),
        shown_name: "Limited".into(),
        grant: Grant::custom([Resource::Dashboard]),
        scope: Scope::All,
        admin_session: "no-session".into(),
    };
    let start = StartInput { customer_id: ada, store_view_id: None, reason: None };
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        assist::start(&mut tx, &me, &assistant, &start, "http://127.0.0.1").await.unwrap_err(),
        needs(Resource::AssistLogin)
    );
    drop(tx);
    assert_eq!(assist::dialog(&app.db.pool, &assistant, ada).await.unwrap_err(), needs(Resource::AssistLogin));

    assert_eq!(app.log_count().await, entries, "no refusal wrote anything");
    assert_eq!(customers::detail(&app.db.pool, ada).await.unwrap().unwrap(), detail, "the customer is unchanged");
}

async fn saving_a_customer_or_their_consent_directly_keeps_to_the_opt_in_and_the_role_scope(app: TestApp) {
    let ada = feature_on_and_ada(&app).await;
    let detail = customers::detail(&app.db.pool, ada).await.unwrap().unwrap();
    let editor = app.admin_with("editor", Grant::custom([Resource::CustomersEdit])).await;
    let second = app.website_id("second").await;
    let resources = "customers.manage,customers.actions.edit,customers.actions.assistance_opt_in";
    scoped_admin(&app, "outsider", resources, &[second]).await;
    let entries = app.log_count().await;

    // An editor without `Remote shopping assistance opt-in` may save the customer, not the consent.
    let me = as_admin(&app, &editor).await;
    let mut with_consent = CustomerInput::try_from(&customer_form(&detail)).unwrap();
    with_consent.assistance = Some(true);
    let mut tx = app.db.begin().await.unwrap();
    let refused = save_customer(&mut tx, &me, &with_consent).await.unwrap_err();
    assert_eq!(refused, AppError::forbidden(Msg::OptInForbidden));
    assert_eq!(consent::set(&mut tx, &me, ada, true).await.unwrap_err(), AppError::forbidden(Msg::OptInForbidden));
    drop(tx);

    // A role scoped to the other website: the customer is as if it did not exist.
    let outsider = as_admin(&app, "outsider").await;
    let plain = CustomerInput::try_from(&customer_form(&detail)).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let not_found = AppError::not_found(Msg::CustomerNotFound);
    assert_eq!(save_customer(&mut tx, &outsider, &plain).await.unwrap_err(), not_found);
    assert_eq!(consent::set(&mut tx, &outsider, ada, true).await.unwrap_err(), not_found);
    drop(tx);

    // A shopper gives their own consent only.
    let mut tx = app.db.begin().await.unwrap();
    let stranger = Origin { actor: Actor::Customer { id: ada + 1000 }, ..Origin::cli() };
    assert_eq!(consent::set(&mut tx, &stranger, ada, true).await.unwrap_err(), not_found);
    drop(tx);

    assert_eq!(app.log_count().await, entries, "no refusal wrote anything");
    assert_eq!(customers::detail(&app.db.pool, ada).await.unwrap().unwrap(), detail, "the customer is unchanged");
}

crate::on_both_databases!(
    each_action_refuses_an_admin_without_its_right,
    saving_a_customer_or_their_consent_directly_keeps_to_the_opt_in_and_the_role_scope,
);
