//! The grid kit: one component for every admin grid. It renders a [`GridPage`] with sortable
//! headers, a row count, an empty state, first / previous / next paging by cursor (all in
//! the URL, so every page has an address), page sizes, a column chooser and a CSV export of
//! the filtered set. Page size, sort and hidden columns are remembered per grid in the
//! browser (localStorage) and applied when the grid is opened without them in the URL.

use crate::domain::grid::{GridPage, GridQuery, PAGE_SIZES};
use crate::l10n::{current, row_count};
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// A column: its key (for the column chooser), header, sort key (if sortable) and cell.
pub struct Column<R> {
    pub key: &'static str,
    pub label: String,
    pub sort: Option<&'static str>,
    pub cell: Arc<dyn Fn(&R) -> AnyView + Send + Sync>,
}

impl<R> Clone for Column<R> {
    fn clone(&self) -> Self {
        Column { key: self.key, label: self.label.clone(), sort: self.sort, cell: self.cell.clone() }
    }
}

impl<R> Column<R> {
    pub fn new(
        key: &'static str,
        label: impl Into<String>,
        cell: impl Fn(&R) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        Column { key, label: label.into(), sort: None, cell: Arc::new(cell) }
    }

    /// Sortable by the grid's sort key `sort`.
    pub fn sortable(mut self, sort: &'static str) -> Self {
        self.sort = Some(sort);
        self
    }
}

/// A text cell.
pub fn text(value: impl Into<String>) -> AnyView {
    value.into().into_any()
}

/// What a browser remembers about one grid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GridPrefs {
    pub limit: i64,
    pub sort: String,
    pub dir: String,
    pub hidden: Vec<String>,
}

fn storage_key(name: &str) -> String {
    format!("shopassist.grid.{name}")
}

#[cfg(feature = "hydrate")]
fn load_prefs(name: &str) -> Option<GridPrefs> {
    use gloo_storage::Storage;
    gloo_storage::LocalStorage::get(storage_key(name)).ok()
}

#[cfg(not(feature = "hydrate"))]
fn load_prefs(name: &str) -> Option<GridPrefs> {
    let _ = storage_key(name);
    None
}

#[cfg(feature = "hydrate")]
fn save_prefs(name: &str, prefs: &GridPrefs) {
    use gloo_storage::Storage;
    // Storage can be full or disabled (private windows); the grid works without it.
    let _ = gloo_storage::LocalStorage::set(storage_key(name), prefs);
}

#[cfg(not(feature = "hydrate"))]
fn save_prefs(_name: &str, _prefs: &GridPrefs) {}

/// One admin grid. `path` is the page's address, which every link keeps. Only turning rows
/// into cells depends on the row type; the rest is [`GridFrame`], compiled once for every grid.
#[component]
pub fn DataGrid<R>(
    /// Names the grid for storage and the CSV export (`/admin/export/<name>.csv`).
    name: &'static str,
    /// The table's accessible name.
    #[prop(into)]
    label: String,
    path: String,
    page: GridPage<R>,
    columns: Vec<Column<R>>,
    /// Offer the CSV export of the filtered set.
    #[prop(optional)]
    export: bool,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
{
    let rows: Vec<Vec<AnyView>> = page.rows.iter().map(|r| columns.iter().map(|c| (c.cell)(r)).collect()).collect();
    let heads: Vec<Head> = columns.iter().map(|c| Head { key: c.key, label: c.label.clone(), sort: c.sort }).collect();
    let page = GridPage { rows: Vec::new(), count: page.count, query: page.query, next: page.next, prev: page.prev };
    view! { <GridFrame name label path page heads rows export/> }
}

/// A column's header.
#[derive(Clone, Debug)]
pub struct Head {
    key: &'static str,
    label: String,
    sort: Option<&'static str>,
}

/// Everything of a grid but its rows' type: toolbar, headers, cells, pager, preferences.
#[component]
fn GridFrame(
    name: &'static str,
    label: String,
    path: String,
    /// The page without its rows (they come rendered in `rows`).
    page: GridPage<()>,
    heads: Vec<Head>,
    rows: Vec<Vec<AnyView>>,
    export: bool,
) -> impl IntoView {
    let hidden = RwSignal::new(BTreeSet::<String>::new());
    let query = page.query.clone();
    let descending = page.descending();
    remember_choices(name, path.clone(), query.clone(), hidden);
    let shown = move |key: &'static str| move || hidden.with(|h| h.contains(key));
    let ncols = heads.len();
    let export_href = export.then(|| query.first_page().href(&format!("/admin/export/{name}.csv")));
    let next = page.next_href(&path);
    let prev = page.prev_href(&path);
    let first = (page.prev.is_some()).then(|| query.first_page().href(&path));
    let header = heads.iter().map(|c| sort_header(c, &query, &path, descending, shown(c.key))).collect_view();
    let body = if rows.is_empty() {
        view! { <tr><td colspan=ncols.to_string() class="grid-empty">{tr!(admin.grid.empty)}</td></tr> }.into_any()
    } else {
        rows.into_iter()
            .map(|cells| {
                let cells = cells
                    .into_iter()
                    .zip(heads.iter())
                    .map(|(cell, head)| view! { <td hidden=shown(head.key)>{cell}</td> })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view()
            .into_any()
    };
    let chooser = heads.iter().map(|c| column_choice(c, hidden)).collect_view();
    let sizes = PAGE_SIZES
        .iter()
        .map(|n| {
            let href = GridQuery { limit: *n, ..query.first_page() }.href(&path);
            let current = *n == query.limit;
            view! { <A href=href attr:aria-current=current.then_some("true")>{*n}</A>" " }
        })
        .collect_view();
    view! {
        <div class="grid-toolbar">
            <p class="grid-count" aria-live="polite">{row_count(current(), page.count)}</p>
            <details class="grid-columns">
                <summary>{tr!(admin.grid.columns)}</summary>
                <fieldset><legend>{tr!(admin.grid.visible_columns)}</legend>{chooser}</fieldset>
            </details>
            {export_href.map(|href| view! { <a class="button" href=href download>{tr!(admin.grid.export)}</a> })}
        </div>
        <table class="grid" aria-label=label>
            <thead><tr>{header}</tr></thead>
            <tbody>{body}</tbody>
        </table>
        <nav class="pager" aria-label=tr!(admin.grid.pages)>
            {first.map(|href| view! { <A href=href>{tr!(admin.grid.first)}</A> })}
            {prev.map(|href| view! { <A href=href>{tr!(admin.grid.previous)}</A> })}
            {next.map(|href| view! { <A href=href>{tr!(admin.grid.next)}</A> })}
            <span class="page-sizes">{tr!(admin.grid.per_page)}{sizes}</span>
        </nav>
    }
}

/// After hydration: restores the grid's remembered choices (page size, sort, hidden columns)
/// when the address names none, and remembers those the address names.
fn remember_choices(name: &'static str, path: String, query: GridQuery, hidden: RwSignal<BTreeSet<String>>) {
    let url = use_query_map();
    let navigate = use_navigate();
    Effect::new(move |first: Option<()>| {
        let stored = load_prefs(name).unwrap_or_default();
        if first.is_none() {
            hidden.set(stored.hidden.iter().cloned().collect());
            let explicit = url.with_untracked(|q| q.get("limit").is_some() || q.get("sort").is_some());
            let remembered = stored.limit != 0 || !stored.sort.is_empty();
            if !explicit && remembered && query.after.is_empty() && query.before.is_empty() {
                let q = GridQuery {
                    limit: if stored.limit != 0 { stored.limit } else { query.limit },
                    sort: if stored.sort.is_empty() { query.sort.clone() } else { stored.sort.clone() },
                    dir: if stored.dir.is_empty() { query.dir.clone() } else { stored.dir.clone() },
                    ..query.first_page()
                };
                if q != query {
                    navigate(&q.href(&path), leptos_router::NavigateOptions { replace: true, ..Default::default() });
                }
                return;
            }
        }
        let explicit = url.with(|q| q.get("limit").is_some() || q.get("sort").is_some());
        let prefs = GridPrefs {
            limit: if explicit { query.limit } else { stored.limit },
            sort: if explicit { query.sort.clone() } else { stored.sort.clone() },
            dir: if explicit { query.dir.clone() } else { stored.dir.clone() },
            hidden: hidden.get().into_iter().collect(),
        };
        if prefs != stored {
            save_prefs(name, &prefs);
        }
    });
}

/// A column's header: a link that sorts by it (the other way when it is the sort already),
/// with the sort's direction marked for the eye and for screen readers.
fn sort_header(
    c: &Head,
    query: &GridQuery,
    path: &str,
    descending: bool,
    hidden: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let label = c.label.clone();
    let (link, sort_state) = match c.sort {
        Some(sort) => {
            let active = query.sort == sort;
            let href = query.sorted_by(sort, &query.sort, descending).href(path);
            let mark = match (active, descending) {
                (true, true) => " ↓",
                (true, false) => " ↑",
                _ => "",
            };
            let state = match (active, descending) {
                (true, true) => Some("descending"),
                (true, false) => Some("ascending"),
                _ => None,
            };
            (view! { <A href=href>{label}{mark}</A> }.into_any(), state)
        }
        None => (label.into_any(), None),
    };
    view! { <th scope="col" aria-sort=sort_state hidden=hidden>{link}</th> }
}

/// A column's box in the column chooser.
fn column_choice(c: &Head, hidden: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let key = c.key;
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || !hidden.with(|h| h.contains(key))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    hidden.update(|h| { if on { h.remove(key); } else { h.insert(key.to_string()); } });
                }/>
            {c.label.clone()}
        </label>
    }
}

/// The grid query in the page's address, read reactively.
pub fn use_grid_query() -> Memo<GridQuery> {
    let url = use_query_map();
    Memo::new(move |_| url.with(|q| GridQuery::from_params(q.latest_values().map(|(k, v)| (k.as_ref(), v)))))
}
