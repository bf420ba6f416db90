use crate::api::dashboard::get_dashboard_stats;
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::model::DashboardStats;
use crate::l10n::{current, number};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

pub struct DashboardPage {
    stats: Resource<Result<Deferred<DashboardStats>, AppError>>,
}

#[lazy_route]
impl LazyRoute for DashboardPage {
    fn data() -> Self {
        DashboardPage { stats: crate::api::load(|| (), |_| get_dashboard_stats()) }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text=tr!(admin.dashboard.title)/>
            <h1>{tr!(admin.dashboard.title)}</h1>
            {loaded_deferred(this.stats, |s| {
                let n = |v: i64| number(current(), v);
                view! {
                <dl class="stats">
                    <div><dt>{tr!(admin.dashboard.customers)}</dt><dd>{n(s.customers)}</dd></div>
                    <div><dt>{tr!(admin.dashboard.new_customers)}</dt><dd>{n(s.customers_last_7_days)}</dd></div>
                    <div><dt>{tr!(admin.dashboard.websites)}</dt><dd>{n(s.websites)}</dd></div>
                    <div><dt>{tr!(admin.dashboard.store_views)}</dt><dd>{n(s.store_views)}</dd></div>
                </dl>
            }})}
        }
        .into_any()
    }
}
