use crate::api::dashboard::get_dashboard_stats;
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::model::DashboardStats;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

pub struct DashboardPage {
    stats: Resource<Result<Deferred<DashboardStats>, AppError>>,
}

#[lazy_route]
impl LazyRoute for DashboardPage {
    fn data() -> Self {
        DashboardPage { stats: Resource::new(|| (), |_| get_dashboard_stats()) }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text="Dashboard"/>
            <h1>"Dashboard"</h1>
            {loaded_deferred(this.stats, |s| view! {
                <dl class="stats">
                    <div><dt>"Customers"</dt><dd>{s.customers}</dd></div>
                    <div><dt>"New customers (7 days)"</dt><dd>{s.customers_last_7_days}</dd></div>
                    <div><dt>"Websites"</dt><dd>{s.websites}</dd></div>
                    <div><dt>"Store views"</dt><dd>{s.store_views}</dd></div>
                </dl>
            })}
        }
        .into_any()
    }
}
