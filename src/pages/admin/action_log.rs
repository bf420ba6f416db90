//! System > Action Logs > `Report`: every action-log entry with filters (`Action Group`,
//! admin, result, date range) and `Search`, cursor paging, CSV, and a detail view.

use crate::api::audit::{get_action_log_entry, get_action_log_filters, list_action_log};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::{log_actor, ActionLogEntry, ActionLogFilters, ActionLogRow};
use crate::l10n::{action_name, current, datetime, group_name, Locale};
use crate::{tr, tr_in};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_params_map;
use leptos_router::{lazy_route, LazyRoute};

pub const PATH: &str = "/admin/system/action-logs";

/// A result as the log shows it (`success`, `failure`), in `locale`.
fn result_name(locale: Locale, result: &str) -> String {
    match result {
        "success" => tr_in!(locale, admin.action_log.success),
        "failure" => tr_in!(locale, admin.action_log.failure),
        other => other.to_string(),
    }
}

/// Who acted, by kind (`admin`, `customer`, ...), in `locale`.
fn actor_name(locale: Locale, kind: &str) -> String {
    match kind {
        "admin" => tr_in!(locale, admin.action_log.actor_admin),
        "customer" => tr_in!(locale, admin.action_log.actor_customer),
        "admin_as_customer" => tr_in!(locale, admin.action_log.actor_admin_as_customer),
        "system" => tr_in!(locale, admin.action_log.actor_system),
        "anonymous" => tr_in!(locale, admin.action_log.actor_anonymous),
        "integration" => tr_in!(locale, admin.action_log.actor_integration),
        other => other.to_string(),
    }
}

/// Who acted, as the `Admin` column shows it, in `locale`: a user name, or the name someone
/// gave at a failed sign-in, is data and shows as written; a shopper and the server's own
/// tools are named in the reader's words. (The entry keeps what was written: it is sealed.)
fn who(locale: Locale, row: &ActionLogRow) -> String {
    let stored = row.actor.as_str();
    match row.actor_type.as_str() {
        "customer" => match stored.strip_prefix("customer #") {
            Some(id) => tr_in!(locale, admin.action_log.who_customer, id = id),
            None => stored.to_string(),
        },
        "system" => match stored {
            log_actor::COMMAND_LINE => tr_in!(locale, admin.action_log.who_command_line),
            log_actor::SESSION_CHECK => tr_in!(locale, admin.action_log.who_session_check),
            other => other.to_string(),
        },
        _ => stored.to_string(),
    }
}

/// What an entry is about (`customer #5`), in `locale`: the kind of thing translated, its id
/// as stored. An unknown kind shows as stored.
fn target_name(locale: Locale, row: &ActionLogRow) -> String {
    let (kind, id) = row.target_parts();
    let kind = match kind {
        "customer" => tr_in!(locale, admin.action_log.target_customer),
        "admin_user" => tr_in!(locale, admin.action_log.target_admin_user),
        "admin_role" => tr_in!(locale, admin.action_log.target_role),
        "assistance_session" => tr_in!(locale, admin.action_log.target_assistance_session),
        "config" => tr_in!(locale, admin.action_log.target_config),
        "integration_token" => tr_in!(locale, admin.action_log.target_integration_token),
        "webhook" => tr_in!(locale, admin.action_log.target_webhook),
        "api" => tr_in!(locale, admin.action_log.target_api),
        "order" => tr_in!(locale, admin.action_log.target_order),
        "product" => tr_in!(locale, admin.action_log.target_product),
        "cart" => tr_in!(locale, admin.action_log.target_cart),
        "customer_address" => tr_in!(locale, admin.action_log.target_customer_address),
        _ => return row.target.clone(),
    };
    match id {
        Some(id) => format!("{kind} #{id}"),
        None => kind,
    }
}

fn columns() -> Vec<Column<ActionLogRow>> {
    let locale = current();
    let view_label = tr!(admin.action_log.view);
    vec![
        Column::new("id", tr!(admin.action_log.id), |l: &ActionLogRow| text(l.id.to_string())).sortable("id"),
        Column::new("time", tr!(admin.action_log.time), move |l: &ActionLogRow| text(datetime(locale, l.created_at)))
            .sortable("time"),
        Column::new("admin", tr!(admin.action_log.admin), move |l: &ActionLogRow| text(who(locale, l))),
        Column::new("group", tr!(admin.action_log.group), move |l: &ActionLogRow| {
            text(group_name(locale, &l.action_group))
        }),
        Column::new("action", tr!(admin.action_log.action), move |l: &ActionLogRow| {
            text(action_name(locale, &l.action))
        }),
        Column::new("target", tr!(admin.action_log.target), move |l: &ActionLogRow| text(target_name(locale, l))),
        Column::new("result", tr!(admin.action_log.result), move |l: &ActionLogRow| {
            text(result_name(locale, &l.result))
        }),
        Column::new("ip", tr!(admin.action_log.ip), |l: &ActionLogRow| text(l.ip.clone())),
        Column::new("detail", tr!(admin.action_log.details), move |l: &ActionLogRow| {
            let label = view_label.clone();
            let aria = tr_in!(locale, admin.action_log.view_entry, id = l.id);
            view! { <A href=format!("{PATH}/{}", l.id) attr:aria-label=aria>{label}</A> }.into_any()
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
            page: crate::api::load(move || query.get(), list_action_log),
            filters: crate::api::load(|| (), |_| get_action_log_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        view! {
            <Title text=tr!(admin.action_log.title)/>
            <h1>{tr!(admin.action_log.title)}</h1>
            {loaded_deferred(this.filters, move |f| {
                let current = query.get_untracked();
                let filters = current.filters.clone();
                let get = move |k: &str| filters.get(k).cloned().unwrap_or_default();
                let (group, admin, result) = (get("group"), get("admin"), get("result"));
                let locale = crate::l10n::current();
                view! {
                    <Form method="GET" action=PATH attr:class="grid-filters">
                        <label>{tr!(admin.action_log.group)}
                            <select name="group">
                                <option value="">{tr!(admin.action_log.all_groups)}</option>
                                {f.groups.into_iter().map(|g| view! {
                                    <option value=g.clone() selected=group == g>{group_name(locale, &g)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>{tr!(admin.action_log.admin)}
                            <select name="admin">
                                <option value="">{tr!(admin.action_log.all_admins)}</option>
                                {f.admins.into_iter().map(|a| view! {
                                    <option value=a.clone() selected=admin == a>{a.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>{tr!(admin.action_log.result)}
                            <select name="result">
                                <option value="">{tr!(admin.action_log.any)}</option>
                                <option value="success" selected=result == "success">{tr!(admin.action_log.success)}</option>
                                <option value="failure" selected=result == "failure">{tr!(admin.action_log.failure)}</option>
                            </select>
                        </label>
                        <label>{tr!(admin.action_log.from)}<input type="date" name="from" value=get("from")/></label>
                        <label>{tr!(admin.action_log.to)}<input type="date" name="to" value=get("to")/></label>
                        {(current.limit != 0).then(|| view! { <input type="hidden" name="limit" value=current.limit.to_string()/> })}
                        <button type="submit">{tr!(admin.action_log.search)}</button>
                    </Form>
                }
            })}
            {loaded_deferred(this.page, move |page| view! {
                <DataGrid name="action_log" label=tr!(admin.action_log.grid) path=PATH.to_string() page columns=columns() export=true/>
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
            entry: crate::api::load(move || params.with(|p| p.get("id").unwrap_or_default()), get_action_log_entry),
        }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text=tr!(admin.action_log.entry_title)/>
            <A href=PATH>{tr!(admin.action_log.back)}</A>
            {loaded_deferred(this.entry, |e: ActionLogEntry| {
                let r = e.row.clone();
                let locale = current();
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
                    <h1>{tr!(admin.action_log.entry_heading, id = r.id)}</h1>
                    <dl class="details">
                        <dt>{tr!(admin.action_log.time)}</dt><dd>{datetime(locale, r.created_at)}</dd>
                        <dt>{tr!(admin.action_log.admin)}</dt><dd>{who(locale, &r)}</dd>
                        <dt>{tr!(admin.action_log.actor)}</dt><dd>{actor_name(locale, &r.actor_type)}</dd>
                        <dt>{tr!(admin.action_log.group)}</dt><dd>{group_name(locale, &r.action_group)}</dd>
                        <dt>{tr!(admin.action_log.action)}</dt><dd>{action_name(locale, &r.action)}</dd>
                        <dt>{tr!(admin.action_log.target)}</dt><dd>{target_name(locale, &r)}</dd>
                        <dt>{tr!(admin.action_log.result)}</dt><dd>{result_name(locale, &r.result)}</dd>
                        <dt>{tr!(admin.action_log.ip)}</dt><dd>{r.ip.clone()}</dd>
                        <dt>{tr!(admin.action_log.user_agent)}</dt><dd>{e.user_agent.clone()}</dd>
                        <dt>{tr!(admin.action_log.customer)}</dt><dd>{e.customer_id.map(|c| c.to_string()).unwrap_or_default()}</dd>
                        <dt>{tr!(admin.action_log.session)}</dt><dd>{r.assistance_session_id.map(|s| s.to_string()).unwrap_or_default()}</dd>
                    </dl>
                    <div class="columns">
                        <section aria-labelledby="old-value"><h2 id="old-value">{tr!(admin.action_log.old_value)}</h2><pre>{pretty(e.old_value.clone())}</pre></section>
                        <section aria-labelledby="new-value"><h2 id="new-value">{tr!(admin.action_log.new_value)}</h2><pre>{pretty(e.new_value.clone())}</pre></section>
                    </div>
                }
            })}
        }
        .into_any()
    }
}
