//! System > Permissions: roles with resource trees, users, and what a role lets a user do.

use crate::helpers::{filtered, role_form, user_form, AnswerExt, TestApp, ADMIN_PASSWORD};
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AdminUserForm, Checkbox, RoleForm};
use shopassist::domain::grid::GridQuery;

async fn a_custom_role_grants_exactly_its_tree_and_its_ancestors(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let id = app.save_role(&admin, &role_form("Support", "customers.manage,login_as_customer.login")).await.unwrap();
    let role = app.role(&admin, id).await.unwrap().expect("the saved role");
    assert_eq!((role.name.as_str(), role.all_resources), ("Support", false));
    assert_eq!(
        role.resources,
        [Resource::Customers, Resource::CustomersManage, Resource::Assist, Resource::AssistLogin]
    );

    // Saving is logged with old and new values.
    let entry = app.log().await.into_iter().rev().find(|e| e.action_group == "Permissions").unwrap();
    assert_eq!(entry.action, "Create role");
    assert_eq!(entry.admin_username, "admin");
    assert_eq!(entry.actor_type, "admin");
    assert_eq!(entry.target_id, id.to_string());
    assert!(entry.new_value.unwrap().contains("login_as_customer.login"));
}

async fn a_user_in_a_custom_role_sees_and_may_do_only_what_it_allows(app: TestApp) {
    let user = app.admin_with("agent", Grant::custom([Resource::CustomersManage])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let me = app.me(&c).await.unwrap().expect("signed in");
    assert_eq!(me.resources, [Resource::Customers, Resource::CustomersManage]);
    assert_eq!(app.customers(&c, &GridQuery::default()).await.status(), 200);
    assert_eq!(app.roles(&c, &GridQuery::default()).await.status(), 403);
    assert_eq!(app.config_screen(&c, "", "").await.status(), 403);
}

async fn unknown_resources_and_bad_role_input_change_nothing(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let before = app.log_count().await;
    let all = |name: &str| RoleForm { access: "all".into(), ..role_form(name, "") };
    for (form, status, field) in [
        (role_form("X", "customers,not.a.resource"), 400, "resources"),
        (all(""), 400, "name"),
        (RoleForm { access: "everything".into(), ..role_form("Y", "") }, 400, "access"),
        (all("Administrators"), 409, "name"),
        (RoleForm { add_users: "1,999".into(), ..all("Z") }, 400, "add_users"),
        (RoleForm { add_users: "one".into(), ..all("Z") }, 400, "add_users"),
    ] {
        let refusal = app.save_role(&admin, &form).await.refused();
        assert_eq!(refusal.status, status, "{form:?} gave {refusal:?}");
        assert!(refusal.error.field_msg(field).is_some(), "{form:?} must name {field}: {refusal:?}");
    }
    assert_eq!(app.count("admin_roles").await, 1);
    assert_eq!(app.log_count().await, before);
}

async fn role_users_ticked_move_into_the_role_with_the_acting_admins_password(app: TestApp) {
    let agent = app.admin_with("agent", Grant::custom([Resource::CustomersManage])).await;
    let agent_id = app.admin_id(&agent).await;
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let agent_client = app.admin_client(&agent, ADMIN_PASSWORD).await;
    let form = |password: &str| RoleForm {
        add_users: agent_id.to_string(),
        current_password: password.into(),
        ..role_form("Dashboard only", "dashboard")
    };

    // Without the acting admin's own password nothing changes: no role, no move, no entry.
    let before = app.log_count().await;
    for password in ["", "not-my-password"] {
        let refusal = app.save_role(&admin, &form(password)).await.refused();
        assert_eq!(refusal.status, 400, "{refusal:?}");
        assert!(refusal.error.field_msg("current_password").is_some(), "{refusal:?}");
    }
    assert_eq!(app.log_count().await, before);
    assert_eq!(app.customers(&agent_client, &GridQuery::default()).await.status(), 200);

    let role_id = app.save_role(&admin, &form(ADMIN_PASSWORD)).await.unwrap();

    // The agent's very next request is judged by the new role.
    assert_eq!(app.customers(&agent_client, &GridQuery::default()).await.status(), 403);
    let role = app.role(&admin, role_id).await.unwrap().expect("the role");
    let members: Vec<&str> = role.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(members, [agent.as_str()]);
    // The Role Users tab: the role's users, and every admin user to tick.
    let tab = app.users(&admin, &filtered("role", role_id)).await.unwrap();
    assert_eq!(tab.rows.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), [agent.as_str()]);
    let everyone = app.users(&admin, &GridQuery::default()).await.unwrap();
    assert!(everyone.count.rows >= 2, "the tab lists every admin user");

    let entry = app.log().await.into_iter().rev().find(|e| e.action == "Assign role").unwrap();
    assert_eq!(entry.target_id, agent_id.to_string());
    assert!(entry.old_value.unwrap().contains("agent role"));
    assert!(entry.new_value.unwrap().contains("Dashboard only"));
}

async fn saving_a_user_needs_the_acting_admins_own_password(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let administrators = app.role_id("Administrators").await;
    let new_user = |current: &str| AdminUserForm {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane@example.com".into(),
        password: "Jane-Passw0rd".into(),
        password_confirmation: "Jane-Passw0rd".into(),
        current_password: current.into(),
        ..user_form("jane", administrators)
    };
    let refused = app.save_user(&admin, &new_user("not-my-password")).await.refused();
    assert_eq!(refused.status, 400);
    assert!(refused.error.field_msg("current_password").is_some(), "{refused:?}");
    assert_eq!(app.count("admin_users").await, 1);

    let id = app.save_user(&admin, &new_user(ADMIN_PASSWORD)).await.unwrap();
    let jane = app.admin_client("jane", "Jane-Passw0rd").await;
    assert_eq!(app.roles(&jane, &GridQuery::default()).await.status(), 200);
    let created = app.log().await.into_iter().find(|e| e.action == "Create admin user" && e.actor_type == "admin");
    let created = created.expect("the creation is logged as the admin's").new_value.unwrap();
    assert!(created.contains("\"password\":\"changed\"") && !created.contains("Jane-Passw0rd"), "{created}");

    // Deactivating Jane (the box left unticked, the password left empty) ends her access at
    // her next request.
    let edit = AdminUserForm {
        id: id.to_string(),
        password: String::new(),
        password_confirmation: String::new(),
        is_active: Checkbox(false),
        ..new_user(ADMIN_PASSWORD)
    };
    assert_eq!(app.save_user(&admin, &edit).await, Ok(id));
    assert_eq!(app.roles(&jane, &GridQuery::default()).await.status(), 401);
    let user = app.user(&admin, id).await.unwrap().user.expect("jane");
    assert!(!user.is_active);
    let new_value = app.log().await.into_iter().find(|e| e.action == "Save admin user").unwrap().new_value.unwrap();
    assert!(new_value.contains("\"is_active\":false"), "{new_value}");
    assert!(!new_value.contains("Jane-Passw0rd"));
    assert!(!new_value.contains("password"), "the password did not change: {new_value}");
}

async fn an_admin_cannot_deactivate_their_own_account(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let id = app.admin_id("admin").await;
    let me = app.user(&admin, id).await.unwrap().user.expect("admin");
    let form = AdminUserForm {
        id: id.to_string(),
        username: me.username,
        first_name: me.first_name,
        last_name: me.last_name,
        email: me.email,
        password: String::new(),
        password_confirmation: String::new(),
        role_id: me.role_id.to_string(),
        is_active: Checkbox(false),
        display_name: None,
        interface_locale: None,
        current_password: ADMIN_PASSWORD.into(),
    };
    let refusal = app.save_user(&admin, &form).await.refused();
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.error, AppError::Invalid { field: Some("is_active".into()), msg: Box::new(Msg::OwnAccount) });
    assert!(app.user(&admin, id).await.unwrap().user.expect("admin").is_active);
}

async fn two_admins_creating_the_same_role_at_once_get_one_role_and_one_clear_conflict(app: TestApp) {
    let a = app.admin_client("admin", ADMIN_PASSWORD).await;
    let b = app.admin_client("admin", ADMIN_PASSWORD).await;
    let roles_before = app.count("admin_roles").await;
    let log_before = app.log_count().await;
    let form = role_form("Night Shift", "dashboard");
    let (first, second) = tokio::join!(app.save_role(&a, &form), app.save_role(&b, &form));
    let mut answers = [first, second];
    answers.sort_by_key(|r| r.is_err());
    assert!(answers[0].is_ok(), "one save succeeds: {answers:?}");
    let refusal = answers[1].clone().expect_err("the other is refused");
    assert_eq!(refusal.status, 409, "{refusal:?}");
    assert_eq!(refusal.error.field_msg("name"), Some(&Msg::RoleNameTaken));
    assert_eq!(app.count("admin_roles").await, roles_before + 1, "exactly one role was made");
    assert_eq!(app.log_count().await, log_before + 1, "and logged once");
}

crate::on_both_databases!(
    two_admins_creating_the_same_role_at_once_get_one_role_and_one_clear_conflict,
    a_custom_role_grants_exactly_its_tree_and_its_ancestors,
    a_user_in_a_custom_role_sees_and_may_do_only_what_it_allows,
    unknown_resources_and_bad_role_input_change_nothing,
    role_users_ticked_move_into_the_role_with_the_acting_admins_password,
    saving_a_user_needs_the_acting_admins_own_password,
    an_admin_cannot_deactivate_their_own_account,
);
