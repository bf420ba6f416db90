//! System > Action Logs > `Report`: every action-log entry with filters (`Action Group`,
//! admin, result, date range) and `Search`, cursor paging, CSV, and a detail view.

use crate::api::audit::{get_action_log_entry, get_action_log_filters, list_action_log};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::{format_time, ActionLogEntry, ActionLogFilters, ActionLogRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_params_map;
use leptos_router::{lazy_route, LazyRoute};

pub const PATH: &str = "/admin/system/action-logs";

fn columns() -> Vec<Column<ActionLogRow>> {
    vec![
        Column::new("id", "ID", |l: &ActionLogRow| text(l.id.to_string())).sortable("id"),
        Column::new("time", "Time", |l: &ActionLogRow| text(format_time(l.created_at))).sortable("time"),
        Column::new("admin", "Admin", |l: &ActionLogRow| text(l.actor.clone())),
        Column::new("group", "Action Group", |l: &ActionLogRow| text(l.action_group.clone())),
        Column::new("action", "Action", |l: &ActionLogRow| text(l.action.clone())),
        Column::new("target", "Target", |l: &ActionLogRow| text(l.target.clone())),
        Column::new("result", "Result", |l: &ActionLogRow| text(l.result.clone())),
        Column::new("ip", "IP", |l: &ActionLogRow| text(l.ip.clone())),
        Column::new("detail", "Details", |l: &ActionLogRow| {
            view! { <A href=format!("{PATH}/{}", l.id) attr:aria-label=format!("View entry {}", l.id)>"View"</A> }
                .into_any()
        }),
    ]
}

pub struct ActionLogPage {
    page: Resource<Result<Deferred<GridPage<ActionLogRow>>, AppError>>,
    filters: Resource<Result<Deferred<ActionLogFilters>, AppError>>,
}

#[lazy_route]
impl LazyRoute for ActionLogPage {
    fn data() -> Self {
        let query = use_grid_query();
        ActionLogPage {
            page: Resource::new(move || query.get(), list_action_log),
            filters: Resource::new(|| (), |_| get_action_log_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        view! {
            <Title text="Action Logs Report"/>
            <h1>"Action Logs Report"</h1>
            {loaded_deferred(this.filters, move |f| {
                let current = query.get_untracked();
                let filters = current.filters.clone();
                let get = move |k: &str| filters.get(k).cloned().unwrap_or_default();
                let (group, admin, result) = (get("group"), get("admin"), get("result"));
                view! {
                    <Form method="GET" action=PATH attr:class="grid-filters">
                        <label>"Action Group"
                            <select name="group">
                                <option value="">"All Groups"</option>
                                {f.groups.into_iter().map(|g| view! {
                                    <option value=g.clone() selected=group == g>{g.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>"Admin"
                            <select name="admin">
                                <option value="">"All Admins"</option>
                                {f.admins.into_iter().map(|a| view! {
                                    <option value=a.clone() selected=admin == a>{a.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>"Result"
                            <select name="result">
                                <option value="">"Any"</option>
                                <option value="success" selected=result == "success">"Success"</option>
                                <option value="failure" selected=result == "failure">"Failure"</option>
                            </select>
                        </label>
                        <label>"From"<input type="date" name="from" value=get("from")/></label>
                        <label>"To"<input type="date" name="to" value=get("to")/></label>
                        {(current.limit != 0).then(|| view! { <input type="hidden" name="limit" value=current.limit.to_string()/> })}
                        <button type="submit">"Search"</button>
                    </Form>
                }
            })}
            {loaded_deferred(this.page, move |page| view! {
                <DataGrid name="action_log" label="Action Logs" path=PATH.to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}

/// One entry in full.
pub struct ActionLogEntryPage {
    entry: Resource<Result<Deferred<ActionLogEntry>, AppError>>,
}

#[lazy_route]
impl LazyRoute for ActionLogEntryPage {
    fn data() -> Self {
        let params = use_params_map();
        ActionLogEntryPage {
            entry: Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), get_action_log_entry),
        }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text="Action Log Entry"/>
            <A href=PATH>"Back"</A>
            {loaded_deferred(this.entry, |e: ActionLogEntry| {
                let r = e.row.clone();
                let pretty = |v: Option<String>| {
                    v.map(|raw| {
                        serde_json::from_str::<serde_json::Value>(&raw)
                            .ok()
                            .and_then(|j| serde_json::to_string_pretty(&j).ok())
                            .unwrap_or(raw)
                    })
                    .unwrap_or_default()
                };
                view! {
                    <h1>{format!("Action Log Entry #{}", r.id)}</h1>
                    <dl class="details">
                        <dt>"Time"</dt><dd>{format_time(r.created_at)}</dd>
                        <dt>"Admin"</dt><dd>{r.actor.clone()}</dd>
                        <dt>"Actor"</dt><dd>{r.actor_type.clone()}</dd>
                        <dt>"Action Group"</dt><dd>{r.action_group.clone()}</dd>
                        <dt>"Action"</dt><dd>{r.action.clone()}</dd>
                        <dt>"Target"</dt><dd>{r.target.clone()}</dd>
                        <dt>"Result"</dt><dd>{r.result.clone()}</dd>
                        <dt>"IP"</dt><dd>{r.ip.clone()}</dd>
                        <dt>"User Agent"</dt><dd>{e.user_agent.clone()}</dd>
                        <dt>"Customer"</dt><dd>{e.customer_id.map(|c| c.to_string()).unwrap_or_default()}</dd>
                        <dt>"Login as Customer session"</dt><dd>{r.assistance_session_id.map(|s| s.to_string()).unwrap_or_default()}</dd>
                    </dl>
                    <div class="columns">
                        <section aria-labelledby="old-value"><h2 id="old-value">"Old Value"</h2><pre>{pretty(e.old_value.clone())}</pre></section>
                        <section aria-labelledby="new-value"><h2 id="new-value">"New Value"</h2><pre>{pretty(e.new_value.clone())}</pre></section>
                    </div>
                }
            })}
        }
        .into_any()
    }
}
