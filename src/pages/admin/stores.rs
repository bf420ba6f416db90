use crate::api::dashboard::list_store_views;
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::StoreView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

/// Stores > All Stores.
pub struct StoresPage {
    views: Resource<Result<Deferred<GridPage<StoreView>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for StoresPage {
    fn data() -> Self {
        let query = use_grid_query();
        StoresPage { views: Resource::new(move || query.get(), list_store_views) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            vec![
                Column::new("website", "Web Site", |v: &StoreView| text(v.website_name.clone())),
                Column::new("store", "Store", |v: &StoreView| text(v.group_name.clone())),
                Column::new("name", "Store View", |v: &StoreView| text(v.name.clone())).sortable("name"),
                Column::new("code", "Code", |v: &StoreView| text(v.code.clone())).sortable("code"),
            ]
        };
        view! {
            <Title text="Stores"/>
            <h1>"Stores"</h1>
            {loaded_deferred(this.views, move |page| view! {
                <DataGrid name="stores" label="Stores" path="/admin/stores".to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}
