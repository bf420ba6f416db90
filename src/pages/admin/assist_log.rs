//! Customers > `Login as Customer Log`: one row per assistance session, newest first, a filter
//! per column and a date range, keyset paging, CSV export, and a small chart of sessions per
//! day over the filtered set.

use crate::api::assist::{assist_log_chart, assist_log_filters, list_assist_log};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::ErrorMessage;
use crate::components::NotFound;
use crate::domain::assist::{DayCount, LogRow};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::StoreView;
use crate::l10n::names::{end_reason_choices, end_reason_code};
use crate::l10n::{current, date, datetime};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::{lazy_route, LazyRoute};

pub const PATH: &str = "/admin/loginascustomer/log";

fn columns() -> Vec<Column<LogRow>> {
    let locale = current();
    vec![
        Column::new("id", tr!(admin.assist_log.id), |l: &LogRow| text(l.id.to_string())).sortable("id"),
        Column::new("customer_id", tr!(admin.assist_log.customer_id), |l: &LogRow| text(l.customer_id.to_string())),
        Column::new("customer_email", tr!(admin.assist_log.customer_email), |l: &LogRow| {
            text(l.customer_email.clone())
        }),
        Column::new("admin_id", tr!(admin.assist_log.admin_id), |l: &LogRow| text(l.admin_id.to_string())),
        Column::new("admin_name", tr!(admin.assist_log.admin_name), |l: &LogRow| text(l.admin_name.clone())),
        Column::new("logged_in", tr!(admin.assist_log.logged_in), move |l: &LogRow| {
            text(datetime(locale, l.logged_in))
        })
        .sortable("logged_in"),
        Column::new("store_view", tr!(admin.assist_log.store_view), |l: &LogRow| text(l.store_view.clone())),
        Column::new("ended", tr!(admin.assist_log.ended), move |l: &LogRow| {
            text(l.ended.map(|t| datetime(locale, t)).unwrap_or_default())
        }),
        Column::new("end_reason", tr!(admin.assist_log.end_reason), move |l: &LogRow| {
            text(end_reason_code(locale, l.end_reason.as_deref()))
        }),
        Column::new("reason", tr!(admin.assist_log.reason), |l: &LogRow| text(l.reason.clone().unwrap_or_default())),
    ]
}

pub struct AssistLogPage {
    page: Resource<Result<Deferred<GridPage<LogRow>>, AppError>>,
    chart: Resource<Result<Deferred<Vec<DayCount>>, AppError>>,
    stores: Resource<Result<Deferred<Vec<StoreView>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for AssistLogPage {
    fn data() -> Self {
        let query = use_grid_query();
        AssistLogPage {
            page: crate::api::load(move || query.get(), list_assist_log),
            chart: crate::api::load(move || query.get().first_page(), assist_log_chart),
            stores: crate::api::load(|| (), |_| assist_log_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        let AssistLogPage { page, chart, stores } = this;
        view! {
            <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let stores = match stores.await.and_then(|d| d.decode()) {
                        Ok(stores) => stores,
                        // Disabled, or not this admin's to see: the page does not exist.
                        Err(AppError::NotFound(_)) => return view! { <NotFound/> }.into_any(),
                        Err(e) => return view! { <ErrorMessage error=e/> }.into_any(),
                    };
                    let current = query.get_untracked();
                    let filters = current.filters.clone();
                    let filter = move |k: &str| filters.get(k).cloned().unwrap_or_default();
                    let store = filter("store");
                    let end = filter("end_reason");
                    view! {
                        <Title text=tr!(admin.assist_log.title)/>
                        <h1>{tr!(admin.assist_log.title)}</h1>
                        <Form method="GET" action=PATH attr:class="grid-filters">
                            <label>{tr!(admin.assist_log.customer_id)}<input type="text" inputmode="numeric" name="customer" value=filter("customer")/></label>
                            <label>{tr!(admin.assist_log.customer_email)}<input type="text" name="email" value=filter("email") maxlength="100"/></label>
                            <label>{tr!(admin.assist_log.admin_id)}<input type="text" inputmode="numeric" name="admin" value=filter("admin")/></label>
                            <label>{tr!(admin.assist_log.admin_name)}<input type="text" name="admin_name" value=filter("admin_name") maxlength="100"/></label>
                            <label>{tr!(admin.assist_log.store_view)}
                                <select name="store">
                                    <option value="">{tr!(admin.assist_log.all_store_views)}</option>
                                    {stores.into_iter().map(|v| view! {
                                        <option value=v.id.to_string() selected=store == v.id.to_string()>{v.name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{tr!(admin.assist_log.end_reason)}
                                <select name="end_reason">
                                    <option value="">{tr!(admin.assist_log.any)}</option>
                                    {end_reason_choices(crate::l10n::current()).into_iter().map(|(code, label)| view! {
                                        <option value=code selected=end == code>{label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{tr!(admin.assist_log.reason)}<input type="text" name="reason" value=filter("reason") maxlength="100"/></label>
                            <label>{tr!(admin.assist_log.from)}<input type="date" name="from" value=filter("from")/></label>
                            <label>{tr!(admin.assist_log.to)}<input type="date" name="to" value=filter("to")/></label>
                            {(current.limit != 0).then(|| view! { <input type="hidden" name="limit" value=current.limit.to_string()/> })}
                            <button type="submit">{tr!(admin.assist_log.search)}</button>
                        </Form>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                chart.await.and_then(|d| d.decode()).ok().map(|days| view! { <Chart days/> })
                            })}
                        </Suspense>
                        <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
                            {move || Suspend::new(async move {
                                match page.await.and_then(|d| d.decode()) {
                                    Ok(page) => view! {
                                        <DataGrid name="assist_log" label=tr!(admin.assist_log.title) path=PATH.to_string()
                                            page columns=columns() export=true/>
                                    }.into_any(),
                                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                                }
                            })}
                        </Suspense>
                    }
                    .into_any()
                })}
            </Suspense>
        }
        .into_any()
    }
}

/// Sessions per day as bars (SVG: no inline styles, which the page's CSP refuses), each with
/// its figure as a title; the list of figures is there for screen readers too.
#[component]
fn Chart(days: Vec<DayCount>) -> impl IntoView {
    if days.is_empty() {
        return ().into_any();
    }
    let max = days.iter().map(|d| d.sessions).max().unwrap_or(1).max(1);
    let locale = current();
    let day = |ms: i64| date(locale, ms);
    let caption = tr!(admin.assist_log.chart, from = day(days[0].day), to = day(days[days.len() - 1].day));
    let width = (days.len() * 12).to_string();
    view! {
        <figure class="day-chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" role="img" aria-label=caption>
                {days.iter().enumerate().map(|(i, d)| {
                    let h = (d.sessions * 96 / max).max(2);
                    let label = tr!(admin.assist_log.bar, day = day(d.day), count = d.sessions);
                    view! {
                        <rect x=(i * 12 + 1).to_string() y=(100 - h).to_string() width="10" height=h.to_string()>
                            <title>{label}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
    .into_any()
}
