use crate::api::dashboard::list_store_views;
use crate::components::loaded;
use crate::domain::error::AppError;
use crate::domain::model::StoreView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

/// Stores > All Stores.
pub struct StoresPage {
    views: Resource<Result<Vec<StoreView>, AppError>>,
}

#[lazy_route]
impl LazyRoute for StoresPage {
    fn data() -> Self {
        StoresPage { views: Resource::new(|| (), |_| list_store_views()) }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text="Stores"/>
            <h1>"Stores"</h1>
            {loaded(this.views, |views| view! {
                <table class="grid">
                    <thead><tr><th>"Web Site"</th><th>"Store"</th><th>"Store View"</th><th>"Code"</th></tr></thead>
                    <tbody>
                        {views.into_iter().map(|v| view! {
                            <tr><td>{v.website_name}</td><td>{v.group_name}</td><td>{v.name}</td><td>{v.code}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        }
        .into_any()
    }
}
