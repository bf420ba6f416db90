//! SQLite and PostgreSQL must end up with the same schema after every migration: the same
//! tables, columns and nullability (types differ by design: INTEGER/BIGINT, TEXT).

use crate::helpers::{drop_pg_database, postgres_available, Backend, TestApp};
use sqlx::Row;
use std::collections::BTreeMap;

/// table → column → nullable
type Schema = BTreeMap<String, BTreeMap<String, bool>>;

/// Tables the app's migrations own (not sqlx's bookkeeping nor the session store's).
fn ours(table: &str) -> bool {
    // The search index is each database's own: an FTS5 table (and its shadow tables) on SQLite,
    // a generated `tsvector` column on PostgreSQL (left out below).
    !table.starts_with("_sqlx")
        && !table.starts_with("sqlite_")
        && !table.contains("session")
        && !table.starts_with("catalog_product_search")
}

async fn sqlite_schema(app: &TestApp) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut schema = Schema::new();
    for table in tables.into_iter().filter(|t| ours(t)) {
        let rows = sqlx::query(&format!("SELECT name, \"notnull\" AS nn, pk FROM pragma_table_info('{table}')"))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        let columns = rows
            .iter()
            .map(|r| {
                let name: String = r.get("name");
                let not_null: i64 = r.get("nn");
                let pk: i64 = r.get("pk");
                // An INTEGER PRIMARY KEY is the rowid: never NULL, though SQLite reports notnull = 0.
                (name, not_null == 0 && pk == 0)
            })
            .collect();
        schema.insert(table, columns);
    }
    schema
}

async fn postgres_schema(app: &TestApp) -> Schema {
    let rows = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, is_nullable::text AS n FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for r in rows {
        let table: String = r.get("t");
        let column: String = r.get("c");
        if ours(&table) && !(table == "catalog_products" && column == "search") {
            let nullable: String = r.get("n");
            schema.entry(table).or_default().insert(column, nullable == "YES");
        }
    }
    schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_have_the_same_tables_columns_and_nullability() {
    if !postgres_available().await {
        return;
    }
    let sqlite = TestApp::spawn(Backend::Sqlite).await;
    let postgres = TestApp::spawn(Backend::Postgres).await;
    let database = postgres.pg_database.clone();
    let (a, b) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres).await);
    assert!(a.contains_key("action_log") && a.contains_key("customers"), "tables found: {:?}", a.keys());
    for table in a.keys().chain(b.keys()) {
        assert_eq!(a.get(table), b.get(table), "table {table} differs (left: SQLite, right: PostgreSQL)");
    }
    drop(postgres);
    drop_pg_database(database).await;
}
