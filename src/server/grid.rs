//! The one grid engine behind every admin grid: it turns a [`GridQuery`] into SQL with a
//! search, filters, a sort on an indexed column and keyset paging, on SQLite and PostgreSQL
//! alike, counts matches up to a cap, and streams the whole filtered set as CSV.
//!
//! A grid is a [`GridSpec`]: its `FROM`, its columns, how to search and filter, and how to
//! read a row. Sort and filter keys come from the spec, never from the request, so no input
//! reaches the SQL text; values are always bound.

use crate::domain::error::AppError;
use crate::domain::grid::{Cursor, CursorValue, GridPage, GridQuery, RowCount, COUNT_CAP};
use crate::domain::msg::Msg;
use futures::StreamExt;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// A sortable column: its key in URLs, its SQL expression (never NULL) and its type.
#[derive(Clone, Copy, Debug)]
pub struct SortColumn {
    pub key: &'static str,
    pub sql: &'static str,
    pub text: bool,
}

/// A filter: its key in URLs and what it compares.
#[derive(Clone, Copy, Debug)]
pub struct Filter {
    pub key: &'static str,
    pub kind: FilterKind,
}

#[derive(Clone, Copy, Debug)]
pub enum FilterKind {
    /// `sql = <whole number>`.
    Id(&'static str),
    /// `sql = 0/1`, from `1`/`0` in the URL.
    Flag(&'static str),
    /// Text starting with the value, in any case (`sql` must already be lower-cased).
    Prefix(&'static str),
    /// One of a fixed set of codes: `sql = value`.
    Code(&'static str, &'static [&'static str]),
    /// Exactly this text: `sql = value` (on an indexed column, read along its index).
    Text(&'static str),
    /// A millisecond time on or after the start of a day (`YYYY-MM-DD`, UTC).
    Since(&'static str),
    /// A millisecond time before the end of a day (`YYYY-MM-DD`, UTC).
    Until(&'static str),
}

/// Milliseconds at the start of a `YYYY-MM-DD` day (UTC), or `None` when it is not a date.
pub fn day_start_ms(value: &str) -> Option<i64> {
    let mut parts = value.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

const DAY_MS: i64 = 86_400_000;

/// Whether `pool` is PostgreSQL's.
fn is_postgres(pool: &AnyPool) -> bool {
    pool.connect_options().database_url.scheme().starts_with("postgres")
}

/// The search box: `sql` with `{id}` (the text as a number, or -1) and `{prefix}` (the text
/// lower-cased, `LIKE`-escaped, with `%` after it) for the bound values. A "starts with" that
/// must stay fast on a large table is written as a range instead, `x{C} >= {from} AND x{C} <
/// {to}` (the text lower-cased, and the same followed by the highest character), over an index
/// on `x`: SQLite reads no index for a `LIKE` on an expression such as `LOWER(name)`, and
/// `{C}` (`COLLATE "C"` on PostgreSQL, nothing on SQLite) makes the order byte order there,
/// as the range needs, whatever the database's collation.
#[derive(Clone, Copy, Debug)]
pub struct Search {
    pub sql: &'static str,
}

/// One grid.
pub struct GridSpec<R> {
    /// `FROM … JOIN …`.
    pub from: &'static str,
    /// `FROM` its first table alone, when the joins of `from` neither drop nor repeat a row (each
    /// joins a required reference) and the sorts, search and filters read that table only: the
    /// count and the page's ids are then found in it, and only the page's rows are joined.
    pub base: Option<&'static str>,
    /// The select list (without `SELECT`).
    pub select: &'static str,
    /// The unique id that breaks ties and ends every cursor.
    pub id: &'static str,
    pub sorts: &'static [SortColumn],
    pub default_sort: &'static str,
    pub default_desc: bool,
    pub filters: &'static [Filter],
    pub search: Option<Search>,
    pub row: fn(AnyRow) -> Result<R, sqlx::Error>,
    /// CSV header and one record per row.
    pub csv_header: &'static [&'static str],
    pub csv_row: fn(&R) -> Vec<String>,
}

/// Rows the caller may see at all, whatever the query says (Role Scopes). `None` restricts
/// nothing.
pub type Within<'a> = Option<Scoped<'a>>;

/// The condition of [`Within`]: a column among ids, or a condition of its own over lists.
#[derive(Clone, Copy, Debug)]
pub struct Scoped<'a> {
    sql: &'static str,
    column: bool,
    ids: &'a [i64],
    texts: &'a [&'static str],
}

impl<'a> Scoped<'a> {
    /// `column IN (ids)`.
    pub fn column(column: &'static str, ids: &'a [i64]) -> Self {
        Scoped { sql: column, column: true, ids, texts: &[] }
    }

    /// `condition`, where each `{ids}` stands for the list `ids` and each `{texts}` for `texts`
    /// (an empty list matches nothing).
    pub fn condition(condition: &'static str, ids: &'a [i64], texts: &'a [&'static str]) -> Self {
        Scoped { sql: condition, column: false, ids, texts }
    }

    /// The SQL with its lists bound in `plan`.
    fn sql(&self, plan: &mut Plan) -> String {
        let ids = |plan: &mut Plan| list(self.ids.iter().map(|id| plan.bind(Bind::Int(*id))).collect());
        if self.column {
            let marks = ids(plan);
            return format!("{} IN ({marks})", self.sql);
        }
        let mut out = String::new();
        let mut rest = self.sql;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(after) = rest.strip_prefix("{ids}") {
                out.push_str(&ids(plan));
                rest = after;
            } else if let Some(after) = rest.strip_prefix("{texts}") {
                out.push_str(&list(self.texts.iter().map(|t| plan.bind(Bind::Text(t.to_string()))).collect()));
                rest = after;
            } else {
                out.push('{');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// Marks for `IN (...)`; `NULL` for none, which nothing equals.
fn list(marks: Vec<String>) -> String {
    if marks.is_empty() {
        "NULL".into()
    } else {
        marks.join(", ")
    }
}

/// A value bound to a grid's filter SQL (opaque outside this module).
#[derive(Clone, Debug)]
pub struct Bound(Bind);

#[derive(Clone, Debug)]
enum Bind {
    Int(i64),
    Text(String),
}

/// The WHERE clause and its bound values, for a query already checked against the spec.
struct Plan {
    /// On PostgreSQL (see [`Search`]).
    postgres: bool,
    sort: SortColumn,
    desc: bool,
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl Plan {
    fn bind(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn where_sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

fn bad(msg: Msg) -> AppError {
    AppError::invalid(msg)
}

impl<R> GridSpec<R> {
    /// Checks `query` against this grid and fills in the defaults; unknown sort or filter keys
    /// and malformed values or cursors are refused.
    pub fn normalize(&self, query: &GridQuery) -> Result<GridQuery, AppError> {
        let sort = if query.sort.is_empty() { self.default_sort } else { query.sort.as_str() };
        let sort = self
            .sorts
            .iter()
            .find(|s| s.key == sort)
            .ok_or_else(|| bad(Msg::SortUnknown { sort: sort.to_string() }))?;
        let dir = match query.dir.as_str() {
            "" if self.default_desc => "desc",
            "" | "asc" => "asc",
            "desc" => "desc",
            other => return Err(bad(Msg::SortDirection { dir: other.to_string() })),
        };
        for (key, value) in &query.filters {
            let filter = self
                .filters
                .iter()
                .find(|f| f.key == key)
                .ok_or_else(|| bad(Msg::FilterUnknown { key: key.to_string() }))?;
            let ok = match filter.kind {
                FilterKind::Id(_) => value.parse::<i64>().is_ok(),
                FilterKind::Flag(_) => matches!(value.as_str(), "0" | "1"),
                FilterKind::Prefix(_) => value.chars().count() <= crate::domain::grid::SEARCH_MAX,
                FilterKind::Code(_, codes) => codes.contains(&value.as_str()),
                FilterKind::Text(_) => value.chars().count() <= 255,
                FilterKind::Since(_) | FilterKind::Until(_) => day_start_ms(value).is_some(),
            };
            if !ok {
                return Err(bad(Msg::FilterValue { key: key.to_string(), value: value.to_string() }));
            }
        }
        for cursor in [&query.after, &query.before].into_iter().filter(|c| !c.is_empty()) {
            let parsed = Cursor::decode(cursor).ok_or_else(|| bad(Msg::PageLinkInvalid))?;
            if matches!(parsed.value, CursorValue::Text(_)) != sort.text {
                return Err(bad(Msg::PageLinkSort));
            }
        }
        if !query.after.is_empty() && !query.before.is_empty() {
            return Err(bad(Msg::PageLinkInvalid));
        }
        Ok(GridQuery {
            search: query.search_text(),
            filters: query.filters.clone(),
            sort: sort.key.to_string(),
            dir: dir.to_string(),
            limit: query.page_size(),
            after: query.after.clone(),
            before: query.before.clone(),
        })
    }

    /// The search and filter conditions of a normalized query, within `within`.
    fn plan(&self, q: &GridQuery, within: Within<'_>, postgres: bool) -> Plan {
        let sort = *self.sorts.iter().find(|s| s.key == q.sort).unwrap_or(&self.sorts[0]);
        let mut plan = Plan { postgres, sort, desc: q.dir == "desc", conditions: Vec::new(), binds: Vec::new() };
        if let Some(scoped) = within {
            let condition = scoped.sql(&mut plan);
            plan.conditions.push(format!("({condition})"));
        }
        if let (Some(search), false) = (self.search, q.search.is_empty()) {
            let text = q.search.to_lowercase();
            let id = plan.bind(Bind::Int(text.parse().unwrap_or(-1)));
            let mut sql = search.sql.replace("{id}", &id);
            if sql.contains("{prefix}") {
                let prefix = plan.bind(Bind::Text(like_prefix(&text)));
                sql = sql.replace("{prefix}", &prefix);
            }
            if sql.contains("{from}") {
                let from = plan.bind(Bind::Text(text.clone()));
                let to = plan.bind(Bind::Text(format!("{text}{}", char::MAX)));
                sql = sql.replace("{from}", &from).replace("{to}", &to);
            }
            let collate = if plan.postgres { " COLLATE \"C\"" } else { "" };
            plan.conditions.push(format!("({})", sql.replace("{C}", collate)));
        }
        for (key, value) in &q.filters {
            let Some(filter) = self.filters.iter().find(|f| f.key == key) else { continue };
            let (sql, v) = match filter.kind {
                FilterKind::Id(sql) => (sql, value.parse().unwrap_or(-1)),
                FilterKind::Flag(sql) => (sql, i64::from(value == "1")),
                FilterKind::Prefix(sql) => {
                    let text = value.trim().to_lowercase();
                    let p = plan.bind(Bind::Text(like_prefix(&text)));
                    plan.conditions.push(format!("{sql} LIKE {p} ESCAPE '\\'"));
                    continue;
                }
                FilterKind::Code(sql, _) | FilterKind::Text(sql) => {
                    let p = plan.bind(Bind::Text(value.clone()));
                    plan.conditions.push(format!("{sql} = {p}"));
                    continue;
                }
                FilterKind::Since(sql) | FilterKind::Until(sql) => {
                    let start = day_start_ms(value).unwrap_or_default();
                    let (op, at) =
                        if matches!(filter.kind, FilterKind::Since(_)) { (">=", start) } else { ("<", start + DAY_MS) };
                    let p = plan.bind(Bind::Int(at));
                    plan.conditions.push(format!("{sql} {op} {p}"));
                    continue;
                }
            };
            let p = plan.bind(Bind::Int(v));
            // The unary `+` keeps the filter off any index (SQLite's documented way; harmless on
            // PostgreSQL): the page is read along the sort's index and stops once it is full,
            // instead of gathering every row of, say, one website and sorting them.
            plan.conditions.push(format!("+{sql} = {p}"));
        }
        plan
    }

    /// The WHERE clause of `query`'s search and filters with its bound values, for queries of
    /// one's own over the same filtered set (such as a chart), run with [`Self::bound`].
    pub fn filter_sql(
        &self,
        pool: &AnyPool,
        query: &GridQuery,
        within: Within<'_>,
    ) -> Result<(String, Vec<Bound>), AppError> {
        let plan = self.plan(&self.normalize(query)?, within, is_postgres(pool));
        Ok((plan.where_sql(), plan.binds.into_iter().map(Bound).collect()))
    }

    /// `sql` with `binds` bound in order.
    pub fn bound<'q>(
        sql: &'q str,
        binds: &'q [Bound],
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        bind_all(sql, binds.iter().map(|Bound(b)| b))
    }

    fn run<'q>(sql: &'q str, binds: &'q [Bind]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        bind_all(sql, binds.iter())
    }

    fn cursor_of(&self, row: &AnyRow, sort: SortColumn) -> Result<String, sqlx::Error> {
        let id: i64 = row.try_get("grid_id")?;
        let value = if sort.text {
            CursorValue::Text(row.try_get("grid_sort")?)
        } else {
            CursorValue::Int(row.try_get("grid_sort")?)
        };
        Ok(Cursor { value, id }.encode())
    }

    /// One page for `query` (normalize it first), with a capped count and neighbour cursors.
    #[tracing::instrument(skip_all, fields(sort = %query.sort), err(level = "warn"))]
    pub async fn page(&self, pool: &AnyPool, query: GridQuery) -> Result<GridPage<R>, AppError> {
        self.page_within(pool, query, None).await
    }

    /// [`Self::page`] over only the rows `within` allows.
    pub async fn page_within(
        &self,
        pool: &AnyPool,
        query: GridQuery,
        within: Within<'_>,
    ) -> Result<GridPage<R>, AppError> {
        self.page_counted(pool, query, within, true).await
    }

    /// [`Self::page_within`] without counting the matches (its `count` is the page's own rows):
    /// for callers that page by cursor and show no total, such as the JSON API.
    pub async fn page_within_uncounted(
        &self,
        pool: &AnyPool,
        query: GridQuery,
        within: Within<'_>,
    ) -> Result<GridPage<R>, AppError> {
        self.page_counted(pool, query, within, false).await
    }

    async fn page_counted(
        &self,
        pool: &AnyPool,
        query: GridQuery,
        within: Within<'_>,
        counting: bool,
    ) -> Result<GridPage<R>, AppError> {
        let q = self.normalize(&query)?;
        let count = if counting {
            let base = self.plan(&q, within, is_postgres(pool));
            let count_sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 AS one {} {} LIMIT {}) capped",
                self.base.unwrap_or(self.from),
                base.where_sql(),
                COUNT_CAP + 1
            );
            let counted: i64 =
                Self::run(&count_sql, &base.binds).try_map(|r: AnyRow| r.try_get(0)).fetch_one(pool).await?;
            Some(RowCount { rows: counted.min(COUNT_CAP), capped: counted > COUNT_CAP })
        } else {
            None
        };

        let backwards = !q.before.is_empty();
        let mut plan = self.plan(&q, within, is_postgres(pool));
        let sort = plan.sort;
        let cursor = if backwards { &q.before } else { &q.after };
        if let Some(c) = Cursor::decode(cursor) {
            let value = match c.value {
                CursorValue::Int(n) => Bind::Int(n),
                CursorValue::Text(s) => Bind::Text(s),
            };
            let v = plan.bind(value);
            let i = plan.bind(Bind::Int(c.id));
            // Rows after the cursor in display order; before it when going back.
            let greater = plan.desc == backwards;
            let op = if greater { ">" } else { "<" };
            plan.conditions.push(format!("({}, {}) {op} ({v}, {i})", sort.sql, self.id));
        }
        let ascending = plan.desc == backwards;
        let dir = if ascending { "ASC" } else { "DESC" };
        let size = q.limit;
        let sql = match self.base {
            // The page's ids along the base table's indexes (a search may match thousands of
            // rows: they are not joined, only the page is).
            Some(base) => format!(
                "SELECT {select}, {sort} AS grid_sort, {id} AS grid_id {from} WHERE {id} IN \
                 (SELECT {id} {base} {filter} ORDER BY {sort} {dir}, {id} {dir} LIMIT {n}) \
                 ORDER BY {sort} {dir}, {id} {dir}",
                select = self.select,
                sort = sort.sql,
                id = self.id,
                from = self.from,
                filter = plan.where_sql(),
                n = size + 1
            ),
            None => format!(
                "SELECT {}, {} AS grid_sort, {} AS grid_id {} {} ORDER BY {} {dir}, {} {dir} LIMIT {}",
                self.select,
                sort.sql,
                self.id,
                self.from,
                plan.where_sql(),
                sort.sql,
                self.id,
                size + 1
            ),
        };
        let mut raw: Vec<AnyRow> = Self::run(&sql, &plan.binds).fetch_all(pool).await?;
        let more = raw.len() as i64 > size;
        raw.truncate(size as usize);
        if backwards {
            raw.reverse();
            if !more {
                // Back at the start: show the true first page (it may hold more rows).
                let first = GridQuery { before: String::new(), after: String::new(), ..q.clone() };
                return Box::pin(self.page_counted(pool, first, within, counting)).await;
            }
        }
        let first_cursor = raw.first().map(|r| self.cursor_of(r, sort)).transpose()?;
        let last_cursor = raw.last().map(|r| self.cursor_of(r, sort)).transpose()?;
        let has_next = if backwards { true } else { more };
        let has_prev = backwards || !q.after.is_empty();
        let rows = raw.into_iter().map(self.row).collect::<Result<Vec<R>, sqlx::Error>>()?;
        Ok(GridPage {
            count: count.unwrap_or(RowCount { rows: rows.len() as i64, capped: false }),
            rows,
            next: if has_next { last_cursor } else { None },
            prev: if has_prev { first_cursor } else { None },
            query: GridQuery { after: q.after.clone(), before: q.before.clone(), ..q },
        })
    }
}

impl<R: Send + 'static> GridSpec<R> {
    /// The whole filtered, sorted set as CSV, streamed row by row from the database (the
    /// query's cursor and page size are ignored). The spec must be `'static`.
    pub fn csv(&'static self, pool: AnyPool, query: &GridQuery) -> Result<axum::body::Body, AppError> {
        self.csv_within(pool, query, None)
    }

    /// [`Self::csv`] of only the rows `within` allows.
    pub fn csv_within(
        &'static self,
        pool: AnyPool,
        query: &GridQuery,
        within: Within<'_>,
    ) -> Result<axum::body::Body, AppError> {
        let q = GridQuery { after: String::new(), before: String::new(), ..self.normalize(query)? };
        let plan = self.plan(&q, within, is_postgres(&pool));
        let dir = if plan.desc { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {} {} {} ORDER BY {} {dir}, {} {dir}",
            self.select,
            self.from,
            plan.where_sql(),
            plan.sort.sql,
            self.id
        );
        let binds = plan.binds;
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(16);
        tokio::spawn(async move {
            let header = csv_record(self.csv_header.iter().map(|s| s.to_string()).collect());
            if tx.send(Ok(header)).await.is_err() {
                return;
            }
            let mut rows = Self::run(&sql, &binds).fetch(&pool);
            let mut chunk = Vec::with_capacity(64 * 1024);
            while let Some(row) = rows.next().await {
                let record = match row.and_then(self.row) {
                    Ok(r) => csv_record((self.csv_row)(&r)),
                    Err(err) => {
                        tracing::error!(error = %err, "CSV export failed");
                        let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                        return;
                    }
                };
                chunk.extend_from_slice(&record);
                if chunk.len() >= 32 * 1024 && tx.send(Ok(std::mem::take(&mut chunk))).await.is_err() {
                    return;
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(Ok(chunk)).await;
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
        Ok(axum::body::Body::from_stream(stream))
    }
}

/// One CSV record (RFC 4180 quoting by the `csv` crate). A cell a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
fn csv_record(cells: Vec<String>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let safe =
        cells.into_iter().map(|c| if c.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{c}") } else { c });
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(safe);
    writer.into_inner().unwrap_or_default()
}

/// `sql` with each of `binds` bound in order.
fn bind_all<'q>(
    sql: &'q str,
    binds: impl Iterator<Item = &'q Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    binds.fold(sqlx::query(sql), |query, b| match b {
        Bind::Int(n) => query.bind(*n),
        Bind::Text(s) => query.bind(s.as_str()),
    })
}

/// A `LIKE` pattern for what starts with `text` (its `\`, `%` and `_` escaped with `\`).
fn like_prefix(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_strictly() {
        assert_eq!(day_start_ms("1970-01-02"), Some(86_400_000));
        assert_eq!(day_start_ms("2026-12-02"), Some(1_796_169_600_000));
        for bad in ["2026-13-01", "2026-02-30", "26-12-02", "2026-12-2", "2026-12-02-01", "", "x"] {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let out = String::from_utf8(csv_record(vec!["a,b".into(), "=SUM(A1)".into(), "say \"hi\"".into()])).unwrap();
        assert_eq!(out, "\"a,b\",'=SUM(A1),\"say \"\"hi\"\"\"\n");
    }
}
