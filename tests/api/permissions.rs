//! System > Permissions: roles with resource trees, users, and what a role lets a user do.

use crate::helpers::{TestApp, ADMIN_PASSWORD};
use shopassist::domain::acl::{Grant, Resource};
use sqlx::Row;

async fn a_custom_role_grants_exactly_its_tree_and_its_ancestors(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let res = app
        .call(
            &admin,
            "/admin/api/roles_save",
            &[
                ("form[name]", "Support"),
                ("form[access]", "custom"),
                ("form[resources]", "customers.manage,login_as_customer.login"),
                ("form[current_password]", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let role: serde_json::Value = app.call(&admin, "/admin/api/roles_get", &[("id", "2")]).await.json().await.unwrap();
    let got: Vec<String> = serde_json::from_value(role["role"]["resources"].clone()).unwrap();
    assert_eq!(got, ["Customers", "CustomersManage", "LoginAsCustomer", "LoginAsCustomerLogin"]);

    // Saving is logged with old and new values.
    let entry = sqlx::query(
        "SELECT action, new_value, admin_username FROM action_log WHERE action_group = 'Permissions' ORDER BY id DESC",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(entry.get::<String, _>("action"), "Create role");
    assert_eq!(entry.get::<String, _>("admin_username"), "admin");
    assert!(entry.get::<String, _>("new_value").contains("login_as_customer.login"));
}

async fn a_user_in_a_custom_role_sees_and_may_do_only_what_it_allows(app: TestApp) {
    let user = app.admin_with("agent", Grant::custom([Resource::CustomersManage])).await;
    let c = app.admin_client(&user, ADMIN_PASSWORD).await;
    let me: serde_json::Value = app.call(&c, "/admin/api/me", &[]).await.json().await.unwrap();
    let resources: Vec<String> = serde_json::from_value(me["resources"].clone()).unwrap();
    assert_eq!(resources, ["Customers", "CustomersManage"]);
    assert_eq!(app.call(&c, "/admin/api/customers_list", &[]).await.status(), 200);
    assert_eq!(app.call(&c, "/admin/api/roles_list", &[]).await.status(), 403);
    assert_eq!(app.call(&c, "/admin/api/config_get", &[]).await.status(), 403);
}

async fn unknown_resources_and_bad_role_input_change_nothing(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let before = app.log_count().await;
    for mut fields in [
        vec![("form[name]", "X"), ("form[access]", "custom"), ("form[resources]", "customers,not.a.resource")],
        vec![("form[name]", ""), ("form[access]", "all")],
        vec![("form[name]", "Y"), ("form[access]", "everything")],
        vec![("form[name]", "Administrators"), ("form[access]", "all")],
        vec![("form[name]", "Z"), ("form[access]", "all"), ("form[add_users]", "1,999")],
        vec![("form[name]", "Z"), ("form[access]", "all"), ("form[add_users]", "one")],
    ] {
        fields.push(("form[current_password]", ADMIN_PASSWORD));
        let res = app.call(&admin, "/admin/api/roles_save", &fields).await;
        assert!(matches!(res.status().as_u16(), 400 | 409), "{fields:?} gave {}", res.status());
    }
    let roles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_roles").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(roles, 1);
    assert_eq!(app.log_count().await, before);
}

async fn role_users_ticked_move_into_the_role_with_the_acting_admins_password(app: TestApp) {
    let agent = app.admin_with("agent", Grant::custom([Resource::CustomersManage])).await;
    let agent_id: i64 = sqlx::query_scalar("SELECT id FROM admin_users WHERE username = $1")
        .bind(&agent)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let agent_client = app.admin_client(&agent, ADMIN_PASSWORD).await;
    let ids = agent_id.to_string();
    let form = |password: &'static str| {
        vec![
            ("form[name]", "Dashboard only"),
            ("form[access]", "custom"),
            ("form[resources]", "dashboard"),
            ("form[add_users]", ids.as_str()),
            ("form[current_password]", password),
        ]
    };

    // Without the acting admin's own password nothing changes: no role, no move, no entry.
    let before = app.log_count().await;
    for password in ["", "not-my-password"] {
        let res = app.call(&admin, "/admin/api/roles_save", &form(password)).await;
        assert_eq!(res.status(), 400, "{}", res.text().await.unwrap());
    }
    assert_eq!(app.log_count().await, before);
    assert_eq!(app.call(&agent_client, "/admin/api/customers_list", &[]).await.status(), 200);

    let res = app.call(&admin, "/admin/api/roles_save", &form(ADMIN_PASSWORD)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let role_id: i64 = res.json().await.unwrap();

    // The agent's very next request is judged by the new role.
    assert_eq!(app.call(&agent_client, "/admin/api/customers_list", &[]).await.status(), 403);
    let data: serde_json::Value =
        app.call(&admin, "/admin/api/roles_get", &[("id", &role_id.to_string())]).await.json().await.unwrap();
    let members: Vec<String> =
        data["role"]["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_string()).collect();
    assert_eq!(members, [agent]);
    assert!(data["users"].as_array().unwrap().len() >= 2, "the tab lists every admin user");

    let entry = sqlx::query(
        "SELECT old_value, new_value, target_id FROM action_log WHERE action = 'Assign role' ORDER BY id DESC",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(entry.get::<String, _>("target_id"), agent_id.to_string());
    assert!(entry.get::<String, _>("old_value").contains("agent role"));
    assert!(entry.get::<String, _>("new_value").contains("Dashboard only"));
}

async fn saving_a_user_needs_the_acting_admins_own_password(app: TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    let new_user = |current: &'static str| {
        vec![
            ("form[username]", "jane"),
            ("form[first_name]", "Jane"),
            ("form[last_name]", "Doe"),
            ("form[email]", "jane@example.com"),
            ("form[password]", "Jane-Passw0rd"),
            ("form[password_confirmation]", "Jane-Passw0rd"),
            ("form[role_id]", "1"),
            ("form[is_active]", "1"),
            ("form[current_password]", current),
        ]
    };
    let refused = app.call(&admin, "/admin/api/users_save", &new_user("not-my-password")).await;
    assert_eq!(refused.status(), 400);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(users, 1);

    let created = app.call(&admin, "/admin/api/users_save", &new_user(ADMIN_PASSWORD)).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let jane = app.admin_client("jane", "Jane-Passw0rd").await;
    assert_eq!(app.call(&jane, "/admin/api/roles_list", &[]).await.status(), 200);

    // Deactivating Jane ends her access at her next request.
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM admin_users WHERE username = 'jane'").fetch_one(&app.db.pool).await.unwrap();
    let id = id.to_string();
    let mut edit = new_user(ADMIN_PASSWORD);
    edit.retain(|(k, _)| !["form[password]", "form[password_confirmation]", "form[is_active]"].contains(k));
    edit.push(("form[id]", &id));
    let res = app.call(&admin, "/admin/api/users_save", &edit).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(app.call(&jane, "/admin/api/roles_list", &[]).await.status(), 401);
    let new_value: String = sqlx::query_scalar("SELECT new_value FROM action_log WHERE action = 'Save admin user'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(new_value.contains("\"is_active\":false"), "{new_value}");
    assert!(!new_value.contains("Jane-Passw0rd"));
}

crate::on_both_databases!(
    a_custom_role_grants_exactly_its_tree_and_its_ancestors,
    a_user_in_a_custom_role_sees_and_may_do_only_what_it_allows,
    unknown_resources_and_bad_role_input_change_nothing,
    role_users_ticked_move_into_the_role_with_the_acting_admins_password,
    saving_a_user_needs_the_acting_admins_own_password,
);
