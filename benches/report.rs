//! The Action Logs Report at 1,000,000 entries: server time of its first page and of page
//! 20,000 reached by its cursor (as its URL carries it), unfiltered and filtered by
//! `Action Group`. Run: `cargo bench --features ssr --bench report` (SHOPASSIST_BENCH_ROWS to
//! change the size; DATABASE_URL=postgres://... to run it on PostgreSQL, in a new database).
//! Prints p50 and p99 over 1,000 requests each; compare within one run.

use shopassist::domain::grid::{Cursor, CursorValue, GridQuery};
use shopassist::server::db::{audit::REPORT_GRID, Db};
use shopassist::server::demo::{load, Sizes};
use sqlx::Row;
use std::time::{Duration, Instant};

const RUNS: usize = 1000;
const PAGE: i64 = 20;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn time(db: &Db, query: &GridQuery) -> anyhow::Result<(f64, f64)> {
    for _ in 0..50 {
        REPORT_GRID.page(&db.pool, query.clone()).await?;
    }
    let mut took = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let page = REPORT_GRID.page(&db.pool, query.clone()).await?;
        took.push(t.elapsed());
        assert_eq!(page.rows.len() as i64, PAGE);
    }
    took.sort();
    Ok((pct(&took, 0.5), pct(&took, 0.99)))
}

/// The cursor that opens page `n` (after n-1 `next` steps) of the newest-first report.
async fn cursor_of_page(db: &Db, n: i64, group: Option<&str>) -> anyhow::Result<String> {
    let filter = if group.is_some() { "WHERE action_group = $2" } else { "WHERE $2 = $2" };
    let row = sqlx::query(&format!(
        "SELECT created_at, id FROM action_log {filter} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1"
    ))
    .bind((n - 1) * PAGE - 1)
    .bind(group.unwrap_or(""))
    .fetch_one(&db.pool)
    .await?;
    Ok(Cursor { value: CursorValue::Int(row.try_get("created_at")?), id: row.try_get("id")? }.encode())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let rows: u32 = std::env::var("SHOPASSIST_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display()));
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM action_log").fetch_one(&db.pool).await?;
    if existing < i64::from(rows) {
        let t = Instant::now();
        load(
            &db,
            &Sizes {
                customers: 0,
                customers_only: false,
                log_entries: rows - existing as u32,
                products: Some(0),
                orders: Some(0),
            },
            true,
        )
        .await?;
        println!("generated {} entries in {:.0} s", rows - existing as u32, t.elapsed().as_secs_f64());
    }
    let group = "Login As Customer";
    let cases = [
        ("page 1", GridQuery { limit: PAGE, ..GridQuery::default() }),
        (
            "page 20,000",
            GridQuery { limit: PAGE, after: cursor_of_page(&db, 20_000, None).await?, ..GridQuery::default() },
        ),
        ("Login As Customer, page 1", GridQuery { limit: PAGE, ..group_query(group) }),
        (
            "Login As Customer, page 5,000",
            GridQuery { limit: PAGE, after: cursor_of_page(&db, 5_000, Some(group)).await?, ..group_query(group) },
        ),
    ];
    println!("Action Logs Report, {rows} entries, {RUNS} requests each (server time, ms):");
    let mut first = 0.0;
    for (name, query) in cases {
        let (p50, p99) = time(&db, &query).await?;
        if name == "page 1" {
            first = p50;
        }
        println!("  {name:<32} p50 {p50:>6.3}  p99 {p99:>6.3}  (p50 {:.2}x page 1)", p50 / first);
    }
    Ok(())
}

fn group_query(group: &str) -> GridQuery {
    let mut q = GridQuery::default();
    q.filters.insert("group".into(), group.into());
    q
}
