//! The tamper-evident action log: entries are sealed into a hash chain after they commit,
//! `audit verify` names the first entry changed or removed behind the app's back and every
//! entry that never got a seal, and the database refuses TRUNCATE and INSERT OR REPLACE.

use crate::helpers::{config_form, role_form, Backend, TestApp, ADMIN_PASSWORD};
use shopassist::server::cli;
use shopassist::server::db::audit::{self, Entry, Origin};
use shopassist::server::db::chain::{self, Break, Reason};
use std::time::Duration;

const GRACE: Duration = Duration::from_secs(10);

/// A few real changes through the app, each with its log entries.
async fn some_actions(app: &TestApp) {
    let admin = app.admin_client("admin", ADMIN_PASSWORD).await;
    app.save_role(&admin, &role_form("Support", "customers.manage")).await.expect("role saved");
    app.save_role(&admin, &role_form("Sales", "customers.manage,login_as_customer.login")).await.expect("role saved");
    let form = config_form("default", "customer", &[("customer.account_share.scope", "global")]);
    app.save_config(&admin, &form).await.expect("config saved");
}

async fn unsealed(app: &TestApp) -> i64 {
    app.count("action_log a WHERE NOT EXISTS (SELECT 1 FROM action_log_seals s WHERE s.entry_id = a.id)").await
}

/// Seals until every entry has a seal (a round lost to the app's own sealer seals nothing).
async fn seal_everything(app: &TestApp) {
    for _ in 0..100 {
        chain::seal_pending(&app.db).await.expect("sealing");
        if unsealed(app).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("entries left unsealed");
}

async fn seq_of(app: &TestApp, entry_id: i64) -> i64 {
    sqlx::query_scalar("SELECT seq FROM action_log_seals WHERE entry_id = $1")
        .bind(entry_id)
        .fetch_one(&app.db.pool)
        .await
        .expect("a seal")
}

/// The id of the `n`th entry (from 0), oldest first.
async fn nth_entry(app: &TestApp, n: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM action_log ORDER BY id LIMIT 1 OFFSET $1")
        .bind(n)
        .fetch_one(&app.db.pool)
        .await
        .expect("an entry")
}

/// Runs `sql` (with `id` bound) past the log's append-only triggers, as someone with direct
/// access to the database can.
async fn behind_the_apps_back(app: &TestApp, sql: &str, id: i64) {
    let unguard: &[&str] = match app.backend {
        Backend::Sqlite => {
            &["DROP TRIGGER IF EXISTS action_log_no_update", "DROP TRIGGER IF EXISTS action_log_no_delete"]
        }
        Backend::Postgres => &["ALTER TABLE action_log DISABLE TRIGGER action_log_no_update"],
    };
    for ddl in unguard {
        sqlx::query(ddl).execute(&app.db.pool).await.expect(ddl);
    }
    let done = sqlx::query(sql).bind(id).execute(&app.db.pool).await.expect(sql);
    assert_eq!(done.rows_affected(), 1, "{sql}");
}

/// One entry written as the command line writes it, in its own transaction.
async fn log_one(tx: &mut shopassist::server::db::Tx<'_>, n: usize) {
    let entry = Entry::change("Configuration", "Save", "config", n, None::<&()>, Some(&n));
    audit::write(tx, &Origin::cli(), entry).await.expect("entry written");
}

async fn a_sealed_log_verifies_intact_with_every_entry_counted(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;

    let report = chain::verify(&app.db, GRACE).await.unwrap();

    assert!(report.intact(), "{report:?}");
    assert_eq!(report.first_break, None);
    assert_eq!(report.intact_seals as i64, app.log_count().await);
    assert!(report.intact_seals >= 4, "sign-ins, two roles and a setting were logged: {report:?}");
    let last: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM action_log_seals").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(app.count("action_log_seals").await, last, "seals are numbered 1, 2, 3, … without gaps");
}

async fn an_entry_changed_behind_the_apps_back_is_named_by_verify(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;
    let (changed, later) = (nth_entry(&app, 1).await, nth_entry(&app, 3).await);

    behind_the_apps_back(&app, "UPDATE action_log SET new_value = '{\"forged\":true}' WHERE id = $1", changed).await;
    behind_the_apps_back(&app, "UPDATE action_log SET ip = '10.6.6.6' WHERE id = $1", later).await;
    let report = chain::verify(&app.db, GRACE).await.unwrap();

    let seq = seq_of(&app, changed).await;
    assert_eq!(report.first_break, Some(Break { seq, entry_id: changed, reason: Reason::ContentChanged }));
    assert_eq!(report.intact_seals as i64, seq - 1, "every seal before it holds");
    assert!(!report.intact());
}

async fn an_entry_deleted_behind_the_apps_back_is_named_by_verify(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;
    let deleted = nth_entry(&app, 2).await;
    let seq = seq_of(&app, deleted).await;

    behind_the_apps_back(&app, "DELETE FROM action_log WHERE id = $1", deleted).await;
    let report = chain::verify(&app.db, GRACE).await.unwrap();

    assert_eq!(report.first_break, Some(Break { seq, entry_id: deleted, reason: Reason::EntryMissing }));
    assert!(!report.intact());
}

async fn an_old_entry_slipped_in_behind_the_apps_back_stays_unsealed_and_is_reported(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;
    let ten_minutes_ago = shopassist::server::db::now_ms() - 10 * 60 * 1000;
    sqlx::query(
        "INSERT INTO action_log (created_at, admin_username, action_group, action, target_type, target_id, result, \
         ip, user_agent) VALUES ($1, 'admin', 'Permissions', 'Save', 'role', '1', 'success', '127.0.0.1', 'test')",
    )
    .bind(ten_minutes_ago)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let forged: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&app.db.pool).await.unwrap();

    // A real entry after it (a sign-in): once the app's own sealer has sealed that one, it has
    // been past the forged entry too.
    app.admin_client("admin", ADMIN_PASSWORD).await;
    let newest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&app.db.pool).await.unwrap();
    let mut waited = Duration::ZERO;
    while app.count(&format!("action_log_seals WHERE entry_id = {newest}")).await == 0 {
        assert!(waited < Duration::from_secs(10), "the background sealer never sealed entry #{newest}");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    chain::seal_pending(&app.db).await.unwrap();

    assert_eq!(app.count(&format!("action_log_seals WHERE entry_id = {forged}")).await, 0, "never sealed");
    let report = chain::verify(&app.db, GRACE).await.unwrap();
    assert_eq!((report.unsealed_count, report.unsealed.clone()), (1, vec![forged]), "{report:?}");
    assert_eq!(report.first_break, None, "the chain itself holds");
    assert!(!report.intact());
    let said = cli::audit_verify(&app.db).await.expect_err("audit verify fails").to_string();
    assert!(said.contains(&format!("#{forged}")) && said.contains("no seal"), "{said}");
}

async fn truncate_and_insert_or_replace_are_refused_and_seals_cannot_be_edited(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;
    let (log, seals) = (app.log().await, app.count("action_log_seals").await);
    let first = nth_entry(&app, 0).await;

    let refused: Vec<String> = match app.backend {
        Backend::Postgres => {
            vec![
                "TRUNCATE action_log".into(),
                "TRUNCATE action_log_seals".into(),
                "TRUNCATE action_log_seals, action_log".into(),
            ]
        }
        Backend::Sqlite => vec![
            format!(
                "INSERT OR REPLACE INTO action_log (id, created_at, admin_username, action_group, action, target_type, \
                 target_id, result, ip, user_agent) VALUES ({first}, 0, 'mallory', 'x', 'x', 'x', 'x', 'x', 'x', 'x')"
            ),
            format!(
                "REPLACE INTO action_log (id, created_at, admin_username, action_group, action, target_type, \
                 target_id, result, ip, user_agent) VALUES ({first}, 0, 'mallory', 'x', 'x', 'x', 'x', 'x', 'x', 'x')"
            ),
            format!("INSERT OR REPLACE INTO action_log_seals VALUES (1, {first}, 'x', 'x', 0)"),
        ],
    };
    let on_both = ["UPDATE action_log_seals SET hash = 'x'", "DELETE FROM action_log_seals"];
    for sql in refused.iter().map(String::as_str).chain(on_both) {
        let err = sqlx::query(sql).execute(&app.db.pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }

    assert_eq!(app.log().await, log, "the log is unchanged");
    assert_eq!(app.count("action_log_seals").await, seals);
    assert!(chain::verify(&app.db, GRACE).await.unwrap().intact());
}

async fn racing_writers_and_sealers_keep_one_unbroken_chain(app: TestApp) {
    let writers: Vec<_> = (0..40)
        .map(|n| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await.expect("tx");
                log_one(&mut tx, n).await;
                tx.commit().await.expect("commit");
            })
        })
        .collect();
    let sealers: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move { chain::seal_pending(&db).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    for sealer in sealers {
        sealer.await.unwrap().expect("a lost race is not an error");
    }
    seal_everything(&app).await;

    let report = chain::verify(&app.db, Duration::ZERO).await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.intact_seals as i64, app.log_count().await);
}

async fn an_entry_that_commits_after_a_newer_one_is_sealed_after_it(app: TestApp) {
    if app.backend == Backend::Sqlite {
        return; // SQLite has one writer at a time: entries commit in id order.
    }
    let mut late = app.db.begin().await.unwrap();
    log_one(&mut late, 1).await;
    let late_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&mut *late).await.unwrap();
    let mut early = app.db.begin().await.unwrap();
    log_one(&mut early, 2).await;
    early.commit().await.unwrap();
    seal_everything(&app).await;

    late.commit().await.unwrap();
    seal_everything(&app).await;

    let early_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM action_log").fetch_one(&app.db.pool).await.unwrap();
    assert!(late_id < early_id);
    assert!(seq_of(&app, late_id).await > seq_of(&app, early_id).await, "sealed in commit order");
    let report = chain::verify(&app.db, Duration::ZERO).await.unwrap();
    assert!(report.intact(), "{report:?}");
}

async fn the_audit_verify_command_says_intact_or_names_the_broken_entry(app: TestApp) {
    some_actions(&app).await;
    seal_everything(&app).await;
    let n = app.log_count().await;

    assert_eq!(
        cli::audit_verify(&app.db).await.unwrap(),
        format!("Action log verified: {n} entries sealed, chain intact.")
    );

    let changed = nth_entry(&app, 2).await;
    behind_the_apps_back(&app, "UPDATE action_log SET admin_username = 'someone else' WHERE id = $1", changed).await;
    let said = cli::audit_verify(&app.db).await.expect_err("audit verify fails").to_string();
    assert!(said.contains(&format!("entry #{changed} ")) && said.contains("content changed"), "{said}");
}

async fn the_command_line_seals_what_it_logs_with_no_server_running(app: TestApp) {
    app.stop_server().await;
    let before = app.log_count().await;

    cli::create_admin(&app.db, "jane", "jane@example.com", "Jane", "Doe", "Administrators", ADMIN_PASSWORD)
        .await
        .unwrap();

    assert!(app.log_count().await > before, "creating an admin is logged");
    assert_eq!(unsealed(&app).await, 0, "and sealed at once");
    assert!(chain::verify(&app.db, Duration::ZERO).await.unwrap().intact());
}

crate::on_both_databases!(
    a_sealed_log_verifies_intact_with_every_entry_counted,
    an_entry_changed_behind_the_apps_back_is_named_by_verify,
    an_entry_deleted_behind_the_apps_back_is_named_by_verify,
    an_old_entry_slipped_in_behind_the_apps_back_stays_unsealed_and_is_reported,
    truncate_and_insert_or_replace_are_refused_and_seals_cannot_be_edited,
    racing_writers_and_sealers_keep_one_unbroken_chain,
    an_entry_that_commits_after_a_newer_one_is_sealed_after_it,
    the_audit_verify_command_says_intact_or_names_the_broken_entry,
    the_command_line_seals_what_it_logs_with_no_server_running,
);
