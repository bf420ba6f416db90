//! The grid kit, on Customers > All Customers with 250 demo shoppers: keyset paging by
//! `next` and `prev` cursors for every sort, searches and filters, page sizes, and the
//! refusal of forged cursors and unknown keys.

use crate::helpers::{filtered, prev_of, searching, sorted, AnswerExt, TestApp, ADMIN_PASSWORD};
use serde::de::IgnoredAny;
use server_fn::ServerFn;
use shopassist::api::customers::ListCustomers;
use shopassist::domain::acl::{Grant, Resource};
use shopassist::domain::error::{AppError, Msg};
use shopassist::domain::grid::{Cursor, CursorValue, GridQuery, DEFAULT_PAGE_SIZE};
use shopassist::server::demo::{load, Sizes};
use std::collections::HashMap;

const SORTS: [&str; 4] = ["id", "name", "email", "created"];
const TOTAL: i64 = 250;

/// A customer as the database holds it, to say independently which rows a query must give.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Stored {
    id: i64,
    first_name: String,
    last_name: String,
    email_normalized: String,
    created_at: i64,
    website_id: i64,
    group_id: i64,
    is_active: i64,
}

/// Every customer, and each text's rank in the database's own ordering of its column (its
/// collation decides text order, so the expected order must not assume Rust's).
struct Oracle {
    rows: Vec<Stored>,
    rank: HashMap<(&'static str, String), usize>,
}

impl Oracle {
    async fn load(app: &TestApp) -> Oracle {
        let rows: Vec<Stored> = sqlx::query_as(
            "SELECT id, first_name, last_name, email_normalized, created_at, website_id, group_id, is_active \
             FROM customers",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let mut rank = HashMap::new();
        for (key, column) in [("name", "last_name"), ("email", "email_normalized")] {
            let ordered: Vec<String> =
                sqlx::query_scalar(&format!("SELECT DISTINCT {column} FROM customers ORDER BY {column}"))
                    .fetch_all(&app.db.pool)
                    .await
                    .unwrap();
            for (i, value) in ordered.into_iter().enumerate() {
                rank.insert((key, value), i);
            }
        }
        Oracle { rows, rank }
    }

    fn sort_value(&self, row: &Stored, key: &'static str) -> i64 {
        match key {
            "id" => row.id,
            "created" => row.created_at,
            "name" => self.rank[&(key, row.last_name.clone())] as i64,
            "email" => self.rank[&(key, row.email_normalized.clone())] as i64,
            other => panic!("no sort {other}"),
        }
    }

    /// The ids of the rows `keep` accepts, in the grid's order for `key` and `dir` (ties by id).
    fn ids(&self, key: &'static str, dir: &str, keep: impl Fn(&Stored) -> bool) -> Vec<i64> {
        let mut rows: Vec<&Stored> = self.rows.iter().filter(|r| keep(r)).collect();
        rows.sort_by(|a, b| {
            let order = self.sort_value(a, key).cmp(&self.sort_value(b, key)).then(a.id.cmp(&b.id));
            if dir == "desc" {
                order.reverse()
            } else {
                order
            }
        });
        rows.iter().map(|r| r.id).collect()
    }
}

async fn customers_and_admin(app: &TestApp) -> reqwest::Client {
    load(
        &app.db,
        &Sizes { customers: 250, customers_only: true, log_entries: 0, products: Some(0), orders: Some(0) },
        false,
    )
    .await
    .unwrap();
    app.admin_client("admin", ADMIN_PASSWORD).await
}

async fn following_next_visits_every_row_once_in_sort_order_for_every_sort_and_direction(app: TestApp) {
    let c = customers_and_admin(&app).await;
    let oracle = Oracle::load(&app).await;
    for key in SORTS {
        for dir in ["asc", "desc"] {
            let pages = app.grid_pages::<ListCustomers>(&c, &sorted(key, dir)).await;
            assert_eq!(pages.len(), 13, "{key} {dir}");
            assert_eq!(pages[0].prev, None, "{key} {dir}: the first page has no previous one");
            for (i, page) in pages.iter().enumerate() {
                let last = i == pages.len() - 1;
                assert_eq!(page.rows.len(), if last { 10 } else { 20 }, "{key} {dir} page {}", i + 1);
                assert_eq!((page.count.rows, page.count.capped), (TOTAL, false));
                assert_eq!((page.query.sort.as_str(), page.query.dir.as_str()), (key, dir));
                assert_eq!(page.prev.is_some(), i > 0, "{key} {dir} page {}", i + 1);
            }
            let visited: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
            assert_eq!(visited, oracle.ids(key, dir, |_| true), "{key} {dir}: every row once, in order");
        }
    }

    // When the rows fill the last page exactly, it has no next (no empty page after it).
    let pages = app.grid_pages::<ListCustomers>(&c, &GridQuery { limit: 50, ..sorted("email", "asc") }).await;
    assert_eq!(pages.iter().map(|p| p.rows.len()).collect::<Vec<_>>(), [50; 5]);
    let visited: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
    assert_eq!(visited, oracle.ids("email", "asc", |_| true));

    // The default: newest first.
    let pages = app.grid_pages::<ListCustomers>(&c, &GridQuery::default()).await;
    let visited: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
    assert_eq!(visited, oracle.ids("id", "desc", |_| true));

    // With a filter and a search, only the matching rows, each once.
    let second = app.website_id("second").await;
    let query = GridQuery { sort: "name".into(), dir: "asc".into(), ..filtered("website", second) };
    let pages = app.grid_pages::<ListCustomers>(&c, &query).await;
    let visited: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
    assert!(pages.len() > 1);
    assert_eq!(visited, oracle.ids("name", "asc", |r| r.website_id == second));
    let query = GridQuery { sort: "email".into(), dir: "desc".into(), ..searching("a") };
    let pages = app.grid_pages::<ListCustomers>(&c, &query).await;
    let visited: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
    let starts_with_a = |r: &Stored| {
        [&r.first_name, &r.last_name, &r.email_normalized].iter().any(|t| t.to_lowercase().starts_with('a'))
    };
    assert!(pages.len() > 1);
    assert_eq!(visited, oracle.ids("email", "desc", starts_with_a));
}

async fn prev_from_any_page_returns_the_previous_page_exactly(app: TestApp) {
    let c = customers_and_admin(&app).await;
    let second = app.website_id("second").await;
    let mut queries: Vec<GridQuery> =
        SORTS.iter().flat_map(|key| ["asc", "desc"].map(|dir| sorted(key, dir))).collect();
    queries.push(GridQuery { sort: "name".into(), dir: "asc".into(), ..filtered("website", second) });
    queries.push(GridQuery { sort: "email".into(), dir: "desc".into(), ..searching("a") });
    queries.push(GridQuery { limit: 50, ..sorted("created", "asc") });
    for query in queries {
        let pages = app.grid_pages::<ListCustomers>(&c, &query).await;
        assert!(pages.len() > 1, "{query:?}");
        assert_eq!(prev_of(&pages[0]), None);
        for k in 1..pages.len() {
            let back = app.customers(&c, &prev_of(&pages[k]).expect("a previous page")).await.unwrap();
            let expected = &pages[k - 1];
            let at = format!("{query:?}: back from page {}", k + 1);
            assert_eq!(back.rows, expected.rows, "{at}");
            assert_eq!((&back.next, &back.prev), (&expected.next, &expected.prev), "{at}");
            assert_eq!(back.count, expected.count, "{at}");
        }
    }
}

async fn a_search_or_a_filter_changes_the_count(app: TestApp) {
    let c = customers_and_admin(&app).await;
    let oracle = Oracle::load(&app).await;
    let count = |keep: &dyn Fn(&Stored) -> bool| oracle.rows.iter().filter(|r| keep(r)).count() as i64;
    let second = app.website_id("second").await;
    let wholesale: i64 = app.id_of("SELECT id FROM customer_groups WHERE code = $1", "Wholesale").await;

    let all = app.customers(&c, &GridQuery::default()).await.unwrap();
    assert_eq!(all.count.rows, TOTAL);

    let veronica = app.customers(&c, &searching("Veronica")).await.unwrap();
    assert_eq!(veronica.count.rows, count(&|r| r.first_name == "Veronica"));
    assert!(veronica.count.rows > 0 && veronica.count.rows < TOTAL);
    assert!(veronica.rows.iter().all(|r| r.first_name == "Veronica"));

    let by_id = app.customers(&c, &searching("17")).await.unwrap();
    assert_eq!(by_id.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [17], "a number finds that id");

    for (query, expected) in [
        (filtered("website", second), count(&|r| r.website_id == second)),
        (filtered("group", wholesale), count(&|r| r.group_id == wholesale)),
        (filtered("active", 0), count(&|r| r.is_active == 0)),
        (filtered("active", 1), count(&|r| r.is_active == 1)),
        (
            GridQuery { search: "veronica".into(), ..filtered("website", second) },
            count(&|r| r.first_name == "Veronica" && r.website_id == second),
        ),
        (searching("nobody-by-this-name"), 0),
        // LIKE wildcards are searched for as text.
        (searching("%"), 0),
        (searching("_"), 0),
    ] {
        let page = app.customers(&c, &query).await.unwrap();
        assert_eq!(page.count.rows, expected, "{query:?}");
        assert!(page.count.rows < TOTAL, "{query:?} narrows the grid");
        assert_eq!(page.rows.len() as i64, expected.min(DEFAULT_PAGE_SIZE), "{query:?}");
    }
}

async fn a_page_size_that_is_not_offered_is_the_default_20(app: TestApp) {
    let c = customers_and_admin(&app).await;
    for (limit, size) in
        [(100_000, DEFAULT_PAGE_SIZE), (-5, DEFAULT_PAGE_SIZE), (21, DEFAULT_PAGE_SIZE), (50, 50), (200, 200)]
    {
        let page = app.customers(&c, &GridQuery { limit, ..Default::default() }).await.unwrap();
        assert_eq!(page.rows.len() as i64, size, "limit {limit}");
        assert_eq!(page.query.limit, size, "limit {limit} applied as");
    }
}

async fn a_forged_cursor_is_refused(app: TestApp) {
    let c = customers_and_admin(&app).await;
    let text = Cursor { value: CursorValue::Text("Smith".into()), id: 3 }.encode();
    let number = Cursor { value: CursorValue::Int(5), id: 5 }.encode();
    for (name, query, msg) in [
        ("garbage after", GridQuery { after: "garbage".into(), ..Default::default() }, Msg::PageLinkInvalid),
        ("garbage before", GridQuery { before: "garbage".into(), ..Default::default() }, Msg::PageLinkInvalid),
        ("a text cursor on the id sort", GridQuery { after: text.clone(), ..sorted("id", "asc") }, Msg::PageLinkSort),
        (
            "a number cursor on the name sort",
            GridQuery { before: number.clone(), ..sorted("name", "asc") },
            Msg::PageLinkSort,
        ),
        (
            "both directions at once",
            GridQuery { after: number.clone(), before: number.clone(), ..sorted("id", "asc") },
            Msg::PageLinkInvalid,
        ),
    ] {
        let refusal = app.customers(&c, &query).await.refused();
        assert_eq!(refusal.status, 400, "{name}: {refusal:?}");
        assert_eq!(refusal.error, AppError::invalid(msg), "{name}");
        assert!(refusal.error.message().starts_with("This page link"), "{name}: {refusal:?}");
    }
    // The same cursors where they fit are fine.
    assert_eq!(app.customers(&c, &GridQuery { after: text, ..sorted("name", "asc") }).await.status(), 200);
    assert_eq!(app.customers(&c, &GridQuery { after: number, ..sorted("id", "asc") }).await.status(), 200);
}

async fn an_unknown_sort_or_filter_key_or_a_wrong_type_is_refused(app: TestApp) {
    let c = customers_and_admin(&app).await;
    for (name, query) in [
        ("an unknown sort", sorted("password_hash", "asc")),
        ("a username sort on customers", sorted("username", "asc")),
        ("an unknown direction", sorted("id", "sideways")),
        ("an unknown filter", filtered("colour", 1)),
        ("a website that is no number", filtered("website", "second")),
        ("an active flag that is no 0/1", filtered("active", "yes")),
    ] {
        let refusal = app.customers(&c, &query).await.refused();
        assert_eq!(refusal.status, 400, "{name}: {refusal:?}");
    }
    for body in ["query[limit]=many", "query[filters]=website", "query[search][x]=y"] {
        let reply = app.post_raw(&c, ListCustomers::PATH, body).await;
        assert_eq!(reply.answer::<IgnoredAny>().refused().status, 400, "{body}: {}", reply.body);
    }
}

async fn the_users_roles_and_stores_grids_sort_and_filter_by_their_own_keys(app: TestApp) {
    for (name, role) in [("zoe", Resource::Dashboard), ("bob", Resource::SystemUsers), ("mia", Resource::SystemRoles)] {
        app.admin_with(name, Grant::custom([role])).await;
    }
    let c = app.admin_client("admin", ADMIN_PASSWORD).await;
    let users = app.users(&c, &sorted("username", "asc")).await.unwrap();
    let names: Vec<&str> = users.rows.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["admin", "bob", "mia", "zoe"]);
    let roles = app.roles(&c, &sorted("name", "desc")).await.unwrap();
    let names: Vec<&str> = roles.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["zoe role", "mia role", "bob role", "Administrators"]);
    let administrators = app.role_id("Administrators").await;
    let tab = app.users(&c, &filtered("role", administrators)).await.unwrap();
    assert_eq!(tab.rows.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["admin"]);
    assert_eq!(app.users(&c, &sorted("email", "asc")).await.status(), 400);
    assert_eq!(app.roles(&c, &sorted("username", "asc")).await.status(), 400);
    assert_eq!(app.roles(&c, &filtered("role", 1)).await.status(), 400, "roles have no filters");

    let second = app.website_id("second").await;
    let query = GridQuery { sort: "code".into(), dir: "desc".into(), ..filtered("website", second) };
    let codes: Vec<String> = app.stores(&c, &query).await.unwrap().rows.into_iter().map(|v| v.code).collect();
    assert_eq!(codes, ["second_zh", "second_en"]);
    assert_eq!(app.stores(&c, &sorted("username", "asc")).await.status(), 400);
}

crate::on_both_databases!(
    following_next_visits_every_row_once_in_sort_order_for_every_sort_and_direction,
    prev_from_any_page_returns_the_previous_page_exactly,
    a_search_or_a_filter_changes_the_count,
    a_page_size_that_is_not_offered_is_the_default_20,
    a_forged_cursor_is_refused,
    an_unknown_sort_or_filter_key_or_a_wrong_type_is_refused,
    the_users_roles_and_stores_grids_sort_and_filter_by_their_own_keys,
);
