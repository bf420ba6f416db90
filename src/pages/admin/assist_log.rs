//! Customers > `Login as Customer Log`: one row per assistance session, newest first, a filter
//! per column and a date range, keyset paging, CSV export, and a small chart of sessions per
//! day over the filtered set.

use crate::api::assist::{assist_log_chart, assist_log_filters, list_assist_log};
use crate::app::NotFound;
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::ErrorMessage;
use crate::domain::assist::{end_reason_choices, DayCount, LogRow};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::{format_time, StoreView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::{lazy_route, LazyRoute};

pub const PATH: &str = "/admin/loginascustomer/log";

fn columns() -> Vec<Column<LogRow>> {
    vec![
        Column::new("id", "ID", |l: &LogRow| text(l.id.to_string())).sortable("id"),
        Column::new("customer_id", "Customer ID", |l: &LogRow| text(l.customer_id.to_string())),
        Column::new("customer_email", "Customer Email", |l: &LogRow| text(l.customer_email.clone())),
        Column::new("admin_id", "Admin ID", |l: &LogRow| text(l.admin_id.to_string())),
        Column::new("admin_name", "Admin Name", |l: &LogRow| text(l.admin_name.clone())),
        Column::new("logged_in", "Logged In", |l: &LogRow| text(format_time(l.logged_in))).sortable("logged_in"),
        Column::new("store_view", "Store View", |l: &LogRow| text(l.store_view.clone())),
        Column::new("ended", "Ended", |l: &LogRow| text(l.ended.map(format_time).unwrap_or_default())),
        Column::new("end_reason", "End Reason", |l: &LogRow| text(l.end_reason_label())),
        Column::new("reason", "Reason", |l: &LogRow| text(l.reason.clone().unwrap_or_default())),
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
            page: Resource::new(move || query.get(), list_assist_log),
            chart: Resource::new(move || query.get().first_page(), assist_log_chart),
            stores: Resource::new(|| (), |_| assist_log_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        let AssistLogPage { page, chart, stores } = this;
        view! {
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
                        <Title text="Login as Customer Log"/>
                        <h1>"Login as Customer Log"</h1>
                        <Form method="GET" action=PATH attr:class="grid-filters">
                            <label>"Customer ID"<input type="text" inputmode="numeric" name="customer" value=filter("customer")/></label>
                            <label>"Customer Email"<input type="text" name="email" value=filter("email") maxlength="100"/></label>
                            <label>"Admin ID"<input type="text" inputmode="numeric" name="admin" value=filter("admin")/></label>
                            <label>"Admin Name"<input type="text" name="admin_name" value=filter("admin_name") maxlength="100"/></label>
                            <label>"Store View"
                                <select name="store">
                                    <option value="">"All Store Views"</option>
                                    {stores.into_iter().map(|v| view! {
                                        <option value=v.id.to_string() selected=store == v.id.to_string()>{v.name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>"End Reason"
                                <select name="end_reason">
                                    <option value="">"Any"</option>
                                    {end_reason_choices().into_iter().map(|(code, label)| view! {
                                        <option value=code selected=end == code>{label}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>"Reason"<input type="text" name="reason" value=filter("reason") maxlength="100"/></label>
                            <label>"Logged In from"<input type="date" name="from" value=filter("from")/></label>
                            <label>"to"<input type="date" name="to" value=filter("to")/></label>
                            {(current.limit != 0).then(|| view! { <input type="hidden" name="limit" value=current.limit.to_string()/> })}
                            <button type="submit">"Search"</button>
                        </Form>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                chart.await.and_then(|d| d.decode()).ok().map(|days| view! { <Chart days/> })
                            })}
                        </Suspense>
                        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                            {move || Suspend::new(async move {
                                match page.await.and_then(|d| d.decode()) {
                                    Ok(page) => view! {
                                        <DataGrid name="assist_log" label="Login as Customer Log" path=PATH.to_string()
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
    let day = |ms: i64| format_time(ms).chars().take(10).collect::<String>();
    let caption = format!("Sessions per day, {} to {}", day(days[0].day), day(days[days.len() - 1].day));
    let width = (days.len() * 12).to_string();
    view! {
        <figure class="day-chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" role="img" aria-label=caption>
                {days.iter().enumerate().map(|(i, d)| {
                    let h = (d.sessions * 96 / max).max(2);
                    let label = format!("{}: {} session{}", day(d.day), d.sessions, if d.sessions == 1 { "" } else { "s" });
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
