//! The admin side made airtight before Login as Customer: no admin raises privileges, lockouts
//! hold under parallel requests and cannot be used as a weapon, password hashing is shared
//! fairly, and sessions end when they should.

use crate::helpers::{
    account_form, client, client_from, customer_sign_in_form, role_form, sign_in_form, user_form, AnswerExt, Backend,
    Refusal, TestApp, ADMIN_PASSWORD, SHOPPER_PASSWORD,
};
use futures::future::join_all;
use shopassist::api::permissions::SaveAdminUser;
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::authority::Refusal as Rule;
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::forms::{AccountForm, AdminUserForm, Checkbox, RoleForm};
use shopassist::domain::input::NewPassword;
use shopassist::server::actions::admin_users::{self, AdminUserInput};
use shopassist::server::actions::roles::{self, RoleInput};
use shopassist::server::actions::{hash_new_password_blocking, PasswordHash};
use shopassist::server::db::audit::{Actor, Origin};
use std::time::Duration;

fn refused_sign_in() -> Refusal {
    Refusal { status: 401, error: AppError::unauthenticated(Msg::SignInRefused) }
}

/// Everything about admin users and roles that a refused change must leave as it was.
async fn privileges(app: &TestApp) -> Vec<String> {
    let users: Vec<(i64, String, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT id, username, role_id, is_active, password_hash, session_epoch FROM admin_users ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let roles: Vec<(i64, String, i64)> = sqlx::query_as("SELECT id, name, all_resources FROM admin_roles ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let grants: Vec<(i64, String)> = sqlx::query_as("SELECT role_id, resource FROM admin_role_resources ORDER BY 1, 2")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut out: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    out.extend(roles.iter().map(|r| format!("{r:?}")));
    out.extend(grants.iter().map(|g| format!("{g:?}")));
    out
}

/// The user's edit form as it stands (no new password), saved with the acting admin's password.
async fn edit_form(app: &TestApp, username: &str) -> AdminUserForm {
    let (id, first, last, email, role, active): (i64, String, String, String, i64, i64) = sqlx::query_as(
        "SELECT id, first_name, last_name, email, role_id, is_active FROM admin_users WHERE username = $1",
    )
    .bind(username)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    AdminUserForm {
        id: id.to_string(),
        username: username.into(),
        first_name: first,
        last_name: last,
        email,
        password: String::new(),
        password_confirmation: String::new(),
        role_id: role.to_string(),
        is_active: Checkbox(active == 1),
        display_name: None,
        interface_locale: None,
        current_password: ADMIN_PASSWORD.into(),
    }
}

fn forbidden(rule: Rule) -> Refusal {
    Refusal { status: 403, error: AppError::forbidden(rule.msg()) }
}

fn field_refusal(field: &str, rule: Rule) -> AppError {
    AppError::Invalid { field: Some(field.into()), msg: Box::new(rule.msg()) }
}

// -- 1. No escalation ---------------------------------------------------------------------------

async fn an_admin_with_only_all_users_cannot_raise_anyones_privileges(app: TestApp) {
    let me = app.admin_with("users_admin", Grant::custom([Resource::SystemUsers])).await;
    let c = app.admin_client(&me, ADMIN_PASSWORD).await;
    let administrators = app.role_id("Administrators").await;
    let before = privileges(&app).await;
    let log = app.log_count().await;

    let into_administrators = AdminUserForm { role_id: administrators.to_string(), ..edit_form(&app, &me).await };
    assert_eq!(app.save_user(&c, &into_administrators).await.refused(), forbidden(Rule::OwnRole));
    let reset_main = AdminUserForm {
        password: "Taken-0ver-pw".into(),
        password_confirmation: "Taken-0ver-pw".into(),
        ..edit_form(&app, "admin").await
    };
    assert_eq!(app.save_user(&c, &reset_main).await.refused(), forbidden(Rule::Outranked));
    let deactivate_main = AdminUserForm { is_active: Checkbox(false), ..edit_form(&app, "admin").await };
    assert_eq!(app.save_user(&c, &deactivate_main).await.refused(), forbidden(Rule::Outranked));
    let new_full_admin = user_form("sidekick", administrators);
    assert_eq!(app.save_user(&c, &new_full_admin).await.refused(), forbidden(Rule::GrantsMore));

    assert_eq!(privileges(&app).await, before, "a refused change changed privileges");
    assert_eq!(app.log_count().await, log);
    // What the rule allows still works: a user in the admin's own kind of role.
    let own_role = app.role_id("users_admin role").await;
    assert!(app.save_user(&c, &user_form("peer", own_role)).await.is_ok());
}

async fn an_admin_with_only_user_roles_cannot_raise_anyones_privileges(app: TestApp) {
    let me = app.admin_with("roles_admin", Grant::custom([Resource::SystemRoles])).await;
    let c = app.admin_client(&me, ADMIN_PASSWORD).await;
    let my_role = app.role_id("roles_admin role").await;
    let helpers = app.save_role(&c, &role_form("Helpers", "system.permissions.roles")).await.expect("a narrower role");
    let before = privileges(&app).await;

    let own_role_to_all = RoleForm {
        id: my_role.to_string(),
        name: "roles_admin role".into(),
        access: "all".into(),
        ..role_form("", "")
    };
    assert_eq!(app.save_role(&c, &own_role_to_all).await.refused(), forbidden(Rule::OwnRole));
    let me_into_helpers = RoleForm {
        id: helpers.to_string(),
        add_users: app.admin_id(&me).await.to_string(),
        ..role_form("Helpers", "system.permissions.roles")
    };
    assert_eq!(app.save_role(&c, &me_into_helpers).await.refused(), forbidden(Rule::OwnRole));
    let main_into_helpers = RoleForm {
        id: helpers.to_string(),
        add_users: app.admin_id("admin").await.to_string(),
        ..role_form("Helpers", "system.permissions.roles")
    };
    assert_eq!(app.save_role(&c, &main_into_helpers).await.refused(), forbidden(Rule::Outranked));
    let administrators = app.role_id("Administrators").await;
    let rename_administrators =
        RoleForm { id: administrators.to_string(), name: "Mine".into(), access: "all".into(), ..role_form("", "") };
    assert_eq!(app.save_role(&c, &rename_administrators).await.refused(), forbidden(Rule::Outranked));
    let wider = role_form("Wider", "system.permissions.roles,customers.manage");
    assert_eq!(app.save_role(&c, &wider).await.refused(), forbidden(Rule::GrantsMore));

    assert_eq!(privileges(&app).await, before, "a refused change changed privileges");
}

/// The edit screens show ahead of time what the rule would refuse, with its reason.
async fn the_screens_show_what_an_admin_may_not_change(app: TestApp) {
    let users_admin = app.admin_with("users_admin", Grant::custom([Resource::SystemUsers])).await;
    let c = app.admin_client(&users_admin, ADMIN_PASSWORD).await;
    let (main, me) = (app.admin_id("admin").await, app.admin_id(&users_admin).await);
    let administrators = app.role_id("Administrators").await;
    let msg = |rule: Rule| Some(rule.msg());

    let main_page = app.user(&c, main).await.unwrap().limits;
    assert_eq!(main_page.read_only, msg(Rule::Outranked));
    let own_page = app.user(&c, me).await.unwrap().limits;
    assert_eq!((own_page.read_only, own_page.role_fixed.clone()), (None, msg(Rule::OwnRole)));
    assert_eq!(own_page.active_fixed, msg(Rule::OwnAccount));
    let new_page = app.user(&c, 0).await;
    assert!(new_page.is_err(), "id 0 is no user");
    let new_user = app.load(&c, &shopassist::api::permissions::AdminUserEditData { id: "new".into() }).await.unwrap();
    assert_eq!(new_user.limits.unavailable_roles, vec![(administrators, Msg::GrantsMore)]);

    // The main admin alone with All: their own account cannot be deactivated (it is theirs, and
    // the last), and a second full admin's page says the last-admin rule only once alone.
    let full = app.admin_client("admin", ADMIN_PASSWORD).await;
    let boss = app.admin_with("boss", Grant::All).await;
    let boss_page = app.user(&full, app.admin_id(&boss).await).await.unwrap().limits;
    assert_eq!((boss_page.read_only, boss_page.active_fixed), (None, None), "two full admins: either may go");

    let roles_admin = app.admin_with("roles_admin", Grant::custom([Resource::SystemRoles])).await;
    let r = app.admin_client(&roles_admin, ADMIN_PASSWORD).await;
    let admin_role = app.role_page(&r, administrators).await.unwrap().limits;
    assert_eq!(admin_role.read_only, msg(Rule::Outranked));
    let own_role = app.role_page(&r, app.role_id("roles_admin role").await).await.unwrap().limits;
    assert_eq!(own_role.grant_fixed, msg(Rule::OwnRole));
    assert!(!own_role.all_allowed);
    assert_eq!(own_role.grantable, [Resource::System, Resource::SystemPermissions, Resource::SystemRoles]);
    let unmovable: Vec<i64> = own_role.unmovable.iter().map(|(id, _)| *id).collect();
    let everyone_else_above = [main, app.admin_id(&boss).await, me];
    assert!(everyone_else_above.iter().all(|id| unmovable.contains(id)), "{unmovable:?}");
    assert!(!unmovable.contains(&app.admin_id(&roles_admin).await), "already in the role: not listed");
}

async fn console_save(app: &TestApp, form: &AdminUserForm) -> Result<i64, AppError> {
    let input = AdminUserInput::try_from(form)?;
    let mut tx = app.db.begin().await.unwrap();
    let saved = admin_users::save_admin_user(&mut tx, &Origin::cli(), &input, None).await?;
    tx.commit().await.unwrap();
    Ok(saved)
}

async fn console_role(app: &TestApp, form: &RoleForm) -> Result<i64, AppError> {
    let input = RoleInput::try_from(form)?;
    let mut tx = app.db.begin().await.unwrap();
    let saved = roles::save_role(&mut tx, &Origin::cli(), &input).await?;
    tx.commit().await.unwrap();
    Ok(saved)
}

async fn the_last_active_full_admin_can_be_neither_deactivated_nor_demoted(app: TestApp) {
    let staff = console_role(&app, &role_form("Staff", "customers.manage")).await.unwrap();
    let administrators = app.role_id("Administrators").await;
    let before = privileges(&app).await;

    let deactivate = AdminUserForm { is_active: Checkbox(false), ..edit_form(&app, "admin").await };
    assert_eq!(console_save(&app, &deactivate).await, Err(field_refusal("is_active", Rule::LastFullAdmin)));
    let demote = AdminUserForm { role_id: staff.to_string(), ..edit_form(&app, "admin").await };
    assert_eq!(console_save(&app, &demote).await, Err(field_refusal("role_id", Rule::LastFullAdmin)));
    let empty_administrators =
        RoleForm { id: administrators.to_string(), ..role_form("Administrators", "customers.manage") };
    assert_eq!(console_role(&app, &empty_administrators).await, Err(field_refusal("access", Rule::LastFullAdmin)));
    let admin_to_staff = RoleForm {
        id: staff.to_string(),
        add_users: app.admin_id("admin").await.to_string(),
        ..role_form("Staff", "customers.manage")
    };
    assert_eq!(console_role(&app, &admin_to_staff).await, Err(field_refusal("add_users", Rule::LastFullAdmin)));
    assert_eq!(privileges(&app).await, before);

    // With a second full admin, the first may go.
    app.admin_with("boss", Grant::All).await;
    assert!(console_save(&app, &deactivate).await.is_ok());
}

/// Two full admins demoting each other at the same moment: the privilege lock makes one wait
/// for the other, so exactly one succeeds and someone keeps full access.
async fn two_full_admins_demoting_each_other_at_once_leave_one_full_admin(app: TestApp) {
    app.admin_with("boss", Grant::All).await;
    let staff = console_role(&app, &role_form("Staff", "customers.manage")).await.unwrap();
    let (admin_id, boss_id) = (app.admin_id("admin").await, app.admin_id("boss").await);
    let demote = |acting: (i64, &'static str), target: &'static str| {
        let app = &app;
        async move {
            let form = AdminUserForm { role_id: staff.to_string(), ..edit_form(app, target).await };
            let input = AdminUserInput::try_from(&form).unwrap();
            let origin = Origin {
                actor: Actor::Admin { id: acting.0, username: acting.1.into() },
                ip: "127.0.0.1".into(),
                user_agent: "test".into(),
            };
            let mut tx = app.db.begin().await.unwrap();
            let saved = admin_users::save_admin_user(&mut tx, &origin, &input, None).await;
            if saved.is_ok() {
                tx.commit().await.unwrap();
            }
            saved
        }
    };
    let (a, b) = tokio::join!(demote((admin_id, "admin"), "boss"), demote((boss_id, "boss"), "admin"));
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "exactly one wins: {a:?} {b:?}");
    let full: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM admin_users u JOIN admin_roles r ON r.id = u.role_id WHERE u.is_active = 1 AND r.all_resources = 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(full, 1);
}

// -- 2. Lockout that holds -----------------------------------------------------------------------

/// Waits until the failures have locked `account` from this address, and checks that some of
/// the thirty are still unanswered then: the right password is sent into the race it tests.
async fn locked_while_in_flight(app: &TestApp, kind: &str, account: &str, answered: &std::sync::atomic::AtomicUsize) {
    for _ in 0..2_000 {
        if app.throttle(kind, account, "127.0.0.1").await.is_some_and(|(_, lockouts, _)| lockouts >= 1) {
            let done = answered.load(std::sync::atomic::Ordering::SeqCst);
            assert!(done < 30, "all thirty were answered before the lock: the race was not staged");
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{account} was never locked");
}

/// Thirty wrong passwords are sent at once, then the right one while some are unanswered.
async fn thirty_wrong_admin_passwords_and_the_right_one_in_parallel_do_not_sign_in(app: TestApp) {
    let c = client();
    let form = sign_in_form("admin", "Wrong-Passw0rd");
    let answered = std::sync::atomic::AtomicUsize::new(0);
    let wrong = (0..30).map(|_| async {
        let refused = app.sign_in(&c, &form).await;
        answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        refused
    });
    let right = async {
        // Sent once the failures have locked the name, while some are still unanswered.
        locked_while_in_flight(&app, "admin", "admin", &answered).await;
        app.sign_in(&c, &sign_in_form("admin", ADMIN_PASSWORD)).await
    };
    let (wrong, right) = tokio::join!(join_all(wrong), right);
    assert!(wrong.into_iter().all(|w| w.refused() == refused_sign_in()));
    assert_eq!(right.refused(), refused_sign_in(), "the right password must not slip past the failures");
    assert_eq!(app.me(&c).await, Ok(None));
    let (_, lockouts, minutes) = app.throttle("admin", "admin", "127.0.0.1").await.expect("counted");
    assert!(lockouts >= 1 && minutes.is_some(), "locked: {lockouts} {minutes:?}");
}

async fn thirty_wrong_shopper_passwords_and_the_right_one_in_parallel_do_not_sign_in(app: TestApp) {
    let _ = app.shopper("Lou", "Kim", "lou@example.com").await;
    let c = client();
    let form = customer_sign_in_form("lou@example.com", "Wrong-Passw0rd");
    let answered = std::sync::atomic::AtomicUsize::new(0);
    let wrong = (0..30).map(|_| async {
        let refused = app.customer_sign_in(&c, &form).await;
        answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        refused
    });
    let right = async {
        let account = format!("{}:lou@example.com", app.website_id("base").await);
        locked_while_in_flight(&app, "customer", &account, &answered).await;
        app.customer_sign_in(&c, &customer_sign_in_form("lou@example.com", SHOPPER_PASSWORD)).await
    };
    let (wrong, right) = tokio::join!(join_all(wrong), right);
    assert!(wrong.into_iter().all(|w| w.refused() == refused_sign_in()));
    assert_eq!(right.refused(), refused_sign_in(), "the right password must not slip past the failures");
    assert_eq!(app.account(&c).await.status(), 401);
}

async fn wrong_own_passwords_on_saves_count_as_failed_sign_ins(app: TestApp) {
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    for i in 0..6 {
        let form = RoleForm { current_password: "Wrong-Passw0rd".into(), ..role_form(&format!("R{i}"), "dashboard") };
        let refusal = app.save_role(&c, &form).await.refused();
        assert!(refusal.error.field_msg("current_password").is_some(), "{refusal:?}");
    }
    assert_eq!(app.throttle("admin", "admin", "127.0.0.1").await.map(|t| t.1), Some(1), "six wrong: locked");
    let right = role_form("Right", "dashboard");
    assert!(app.save_role(&c, &right).await.refused().error.field_msg("current_password").is_some());
    assert_eq!(app.sign_in(&client(), &sign_in_form("admin", ADMIN_PASSWORD)).await.refused(), refused_sign_in());
    assert_eq!(app.count("admin_roles").await, 1);

    // The storefront's current password counts the same way for shoppers.
    let s = app.shopper("Lou", "Kim", "lou@example.com").await;
    for _ in 0..10 {
        let form = AccountForm {
            change_password: Checkbox(true),
            current_password: Some("Wrong-Passw0rd".into()),
            password: Some("Brand-N3w-pass".into()),
            password_confirmation: Some("Brand-N3w-pass".into()),
            ..account_form("Lou", "Kim")
        };
        assert!(app.save_account(&s, &form).await.refused().error.field_msg("current_password").is_some());
    }
    let again = app.customer_sign_in(&client(), &customer_sign_in_form("lou@example.com", SHOPPER_PASSWORD)).await;
    assert_eq!(again.refused(), refused_sign_in());
}

// -- 3. No lockout as a weapon, no account probing -----------------------------------------------

async fn a_lock_holds_only_for_the_address_it_came_from_and_grows_each_time(app: TestApp) {
    let here = client();
    for _ in 0..6 {
        let _ = app.sign_in(&here, &sign_in_form("admin", "Wrong-Passw0rd")).await;
    }
    assert_eq!(app.throttle("admin", "admin", "127.0.0.1").await, Some((0, 1, Some(30))));
    let elsewhere = client_from("127.0.0.2");
    assert_eq!(
        app.sign_in(&elsewhere, &sign_in_form("admin", ADMIN_PASSWORD)).await,
        Ok(()),
        "not locked out from elsewhere"
    );

    app.let_lock_expire("admin", "admin").await;
    for _ in 0..6 {
        let _ = app.sign_in(&here, &sign_in_form("admin", "Wrong-Passw0rd")).await;
    }
    assert_eq!(
        app.throttle("admin", "admin", "127.0.0.1").await,
        Some((0, 2, Some(60))),
        "the second lock lasts twice as long"
    );
}

async fn unlock_and_a_password_reset_lift_every_lock(app: TestApp) {
    for ip in ["127.0.0.1", "127.0.0.3"] {
        let c = client_from(ip);
        for _ in 0..6 {
            let _ = app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await;
        }
    }
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(admin_users::unlock(&mut tx, &Origin::cli(), "admin").await, Ok(2));
    tx.commit().await.unwrap();
    assert_eq!(app.sign_in(&client(), &sign_in_form("admin", ADMIN_PASSWORD)).await, Ok(()));
    assert_eq!(app.log().await.last().map(|e| e.action.clone()), Some("Sign in".into()));
    assert!(app.log().await.iter().any(|e| e.action == "Unlock admin user" && e.actor_type == "system"));

    let c = client();
    for _ in 0..6 {
        let _ = app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await;
    }
    let hash: PasswordHash =
        hash_new_password_blocking(&NewPassword::parse("Reset-Passw0rd", "password").unwrap()).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    admin_users::reset_password(&mut tx, &Origin::cli(), "admin", &hash).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.sign_in(&c, &sign_in_form("admin", "Reset-Passw0rd")).await, Ok(()), "a reset also unlocks");
}

async fn locked_unknown_and_wrong_attempts_get_the_same_answer(app: TestApp) {
    let c = client();
    let wrong = app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await.refused();
    let unknown = app.sign_in(&c, &sign_in_form("nobody-here", "Wrong-Passw0rd")).await.refused();
    for _ in 0..6 {
        let _ = app.sign_in(&c, &sign_in_form("admin", "Wrong-Passw0rd")).await;
        let _ = app.sign_in(&c, &sign_in_form("nobody-here", "Wrong-Passw0rd")).await;
    }
    let locked = app.sign_in(&c, &sign_in_form("admin", ADMIN_PASSWORD)).await.refused();
    let locked_unknown = app.sign_in(&c, &sign_in_form("nobody-here", ADMIN_PASSWORD)).await.refused();
    for answer in [wrong, unknown, locked, locked_unknown] {
        assert_eq!(answer, refused_sign_in());
    }
    assert!(
        app.throttle("admin", "nobody-here", "127.0.0.1").await.is_some_and(|t| t.1 == 1),
        "unknown names lock too"
    );
}

/// A steady shopper sign-in flood from many addresses, with hashing slots scarce and waits
/// short: an admin signing in meanwhile still gets in.
async fn a_flood_of_shopper_sign_ins_does_not_keep_an_admin_out(app: TestApp) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let (stop, busy) = (AtomicBool::new(false), AtomicUsize::new(0));
    // More addresses than turns come round in the wait, each always with one attempt waiting
    // (a new name each time, so no lock cuts it short): fair turns alone would not help.
    let flood = join_all((0..800).map(|n| {
        let (app, stop, busy) = (&app, &stop, &busy);
        async move {
            // Four attempts at a time from each of 200 addresses.
            let host = 1 + n % 200;
            let c = client_from(&format!("127.0.1.{host}"));
            let mut i = n;
            while !stop.load(Ordering::Relaxed) {
                let form = customer_sign_in_form(&format!("p{host}-{i}@example.com"), "Wrong-Passw0rd");
                if app.customer_sign_in(&c, &form).await.status() == 429 {
                    busy.fetch_add(1, Ordering::Relaxed);
                }
                i += 800;
            }
        }
    }));
    let admin = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let signed_in = app.sign_in(&client_from("127.0.0.2"), &sign_in_form("admin", ADMIN_PASSWORD)).await;
        stop.store(true, Ordering::Relaxed);
        signed_in
    };
    let (_, admin) = tokio::join!(flood, admin);
    assert_eq!(admin, Ok(()), "the admin got in during the flood");
    assert!(busy.load(Ordering::Relaxed) > 0, "the flood was big enough to be turned away in part");
}

/// One address floods shopper sign-in; a shopper elsewhere signs in within a turn or two.
async fn one_flooding_address_does_not_keep_other_shoppers_out(app: TestApp) {
    let _ = app.shopper("Lou", "Kim", "lou@example.com").await;
    let flooder = client_from("127.0.0.3");
    let forms: Vec<_> =
        (0..300).map(|i| customer_sign_in_form(&format!("probe{i}@example.com"), "Wrong-Passw0rd")).collect();
    let flood = join_all(forms.iter().map(|form| app.customer_sign_in(&flooder, form)));
    let quiet = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.customer_sign_in(&client_from("127.0.0.4"), &customer_sign_in_form("lou@example.com", SHOPPER_PASSWORD))
            .await
    };
    let (flood, quiet) = tokio::join!(flood, quiet);
    assert!(quiet.is_ok(), "the quiet shopper got in: {quiet:?}");
    assert!(flood.iter().filter(|r| r.status() == 429).count() > 200, "one address keeps only a few waiting");
}

// -- 4. Sessions end when they should -------------------------------------------------------------

async fn a_password_change_ends_every_other_session_of_that_admin(app: TestApp) {
    let here = app.admin_client("admin", ADMIN_PASSWORD).await;
    let elsewhere = app.admin_client("admin", ADMIN_PASSWORD).await;
    let form = AdminUserForm {
        password: "Changed-Passw0rd".into(),
        password_confirmation: "Changed-Passw0rd".into(),
        ..edit_form(&app, "admin").await
    };
    let reply = app.send(&here, &SaveAdminUser { form }).await;
    assert!(reply.answer::<i64>().is_ok());
    assert!(reply.set_cookie("sa_admin").is_some(), "the session that made the change gets a new id");
    assert!(app.me(&here).await.unwrap().is_some(), "the session that made the change stays");
    assert_eq!(app.me(&elsewhere).await, Ok(None), "every other session ended");

    // A reset from the command line ends them all.
    let hash = hash_new_password_blocking(&NewPassword::parse("Reset-Passw0rd", "password").unwrap()).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    admin_users::reset_password(&mut tx, &Origin::cli(), "admin", &hash).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.me(&here).await, Ok(None));
}

async fn a_password_change_ends_every_other_session_of_that_shopper(app: TestApp) {
    let here = app.shopper("Lou", "Kim", "lou@example.com").await;
    let elsewhere = client();
    assert!(app
        .customer_sign_in(&elsewhere, &customer_sign_in_form("lou@example.com", SHOPPER_PASSWORD))
        .await
        .is_ok());
    let form = AccountForm {
        change_password: Checkbox(true),
        current_password: Some(SHOPPER_PASSWORD.into()),
        password: Some("Brand-N3w-pass".into()),
        password_confirmation: Some("Brand-N3w-pass".into()),
        ..account_form("Lou", "Kim")
    };
    assert_eq!(app.save_account(&here, &form).await, Ok(()));
    assert_eq!(app.account(&here).await.status(), 200, "the session that made the change stays");
    assert_eq!(app.account(&elsewhere).await.status(), 401, "every other session ended");
}

/// The stored session behind the admin cookie `c` got at sign-in.
async fn session_record(app: &TestApp, id: &str) -> Option<tower_sessions::session::Record> {
    use tower_sessions::SessionStore;
    app.db.sessions.load(&id.parse().unwrap()).await.unwrap()
}

async fn set_last_seen(app: &TestApp, id: &str, seconds_ago: i64) {
    use tower_sessions::SessionStore;
    let mut record = session_record(app, id).await.expect("session");
    let seen = time::OffsetDateTime::now_utc().unix_timestamp() - seconds_ago;
    record.data.insert("admin.seen".into(), serde_json::json!(seen));
    app.db.sessions.save(&record).await.unwrap();
}

async fn signed_in_session(app: &TestApp) -> (reqwest::Client, String) {
    use shopassist::api::admin_auth::AdminSignIn;
    let c = client();
    let reply = app.send(&c, &AdminSignIn { form: sign_in_form("admin", ADMIN_PASSWORD) }).await;
    let cookie = reply.set_cookie("sa_admin").expect("cookie");
    let id = cookie.split(';').next().unwrap().trim_start_matches("sa_admin=").to_string();
    (c, id)
}

async fn activity_extends_an_idle_admin_session_with_at_most_one_write_a_minute(app: TestApp) {
    let (c, id) = signed_in_session(&app).await;
    // Ten minutes idle of the fifteen allowed: still signed in, and the activity is written back.
    set_last_seen(&app, &id, 600).await;
    assert!(app.me(&c).await.unwrap().is_some());
    let renewed = session_record(&app, &id).await.expect("kept");
    let left = (renewed.expiry_date - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!((880..=900).contains(&left), "the idle time starts again from now: {left} s left");
    // Another request straight away writes nothing.
    assert!(app.me(&c).await.unwrap().is_some());
    assert_eq!(session_record(&app, &id).await.map(|r| r.expiry_date), Some(renewed.expiry_date));
    // Idle longer than allowed: signed out, and the session is gone.
    set_last_seen(&app, &id, 901).await;
    assert_eq!(app.me(&c).await, Ok(None));
    assert!(session_record(&app, &id).await.is_none());
}

async fn a_shorter_idle_setting_applies_to_running_sessions(app: TestApp) {
    let (c, id) = signed_in_session(&app).await;
    set_last_seen(&app, &id, 300).await;
    let other = app.admin_client("admin", ADMIN_PASSWORD).await;
    let lifetime = crate::helpers::config_form("default", "admin", &[("admin.security.session_lifetime", "120")]);
    assert_eq!(app.save_config(&other, &lifetime).await, Ok(()));
    assert_eq!(app.me(&c).await, Ok(None), "five minutes idle is past the new two-minute limit");
    assert!(app.me(&other).await.unwrap().is_some(), "a session used just now stays");
}

crate::on_both_databases!(
    the_screens_show_what_an_admin_may_not_change,
    an_admin_with_only_all_users_cannot_raise_anyones_privileges,
    an_admin_with_only_user_roles_cannot_raise_anyones_privileges,
    the_last_active_full_admin_can_be_neither_deactivated_nor_demoted,
    two_full_admins_demoting_each_other_at_once_leave_one_full_admin,
    thirty_wrong_admin_passwords_and_the_right_one_in_parallel_do_not_sign_in,
    thirty_wrong_shopper_passwords_and_the_right_one_in_parallel_do_not_sign_in,
    wrong_own_passwords_on_saves_count_as_failed_sign_ins,
    a_lock_holds_only_for_the_address_it_came_from_and_grows_each_time,
    unlock_and_a_password_reset_lift_every_lock,
    locked_unknown_and_wrong_attempts_get_the_same_answer,
    a_password_change_ends_every_other_session_of_that_admin,
    a_password_change_ends_every_other_session_of_that_shopper,
    activity_extends_an_idle_admin_session_with_at_most_one_write_a_minute,
    a_shorter_idle_setting_applies_to_running_sessions,
);

/// The floods run with one shopper hashing slot and a one-second wait, so that without fair
/// lanes the admin's or the quiet shopper's turn would not come in time.
mod floods {
    use super::*;

    async fn spawn(backend: Backend) -> Option<TestApp> {
        if backend == Backend::Postgres && !crate::helpers::postgres_available().await {
            return None;
        }
        Some(
            TestApp::spawn_with(backend, |s| {
                s.hash_concurrency = 1;
                s.hash_wait_ms = 1_000;
            })
            .await,
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_admin_sign_in_during_a_shopper_flood() {
        a_flood_of_shopper_sign_ins_does_not_keep_an_admin_out(spawn(Backend::Sqlite).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_admin_sign_in_during_a_shopper_flood() {
        if let Some(app) = spawn(Backend::Postgres).await {
            let database = app.pg_database.clone();
            a_flood_of_shopper_sign_ins_does_not_keep_an_admin_out(app).await;
            crate::helpers::drop_pg_database(database).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_quiet_shopper_during_a_one_address_flood() {
        one_flooding_address_does_not_keep_other_shoppers_out(spawn(Backend::Sqlite).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_quiet_shopper_during_a_one_address_flood() {
        if let Some(app) = spawn(Backend::Postgres).await {
            let database = app.pg_database.clone();
            one_flooding_address_does_not_keep_other_shoppers_out(app).await;
            crate::helpers::drop_pg_database(database).await;
        }
    }
}
