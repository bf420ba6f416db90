use crate::api::dashboard::list_store_views;
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::loaded_deferred;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::grid::GridPage;
use crate::domain::model::StoreView;
use crate::l10n::{current, locale_name, parse};
use crate::tr;
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
        StoresPage { views: crate::api::load(move || query.get(), list_store_views) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            vec![
                Column::new("website", tr!(admin.stores.website), |v: &StoreView| text(v.website_name.clone())),
                Column::new("store", tr!(admin.stores.store), |v: &StoreView| text(v.group_name.clone())),
                Column::new("name", tr!(admin.stores.store_view), |v: &StoreView| text(v.name.clone()))
                    .sortable("name"),
                Column::new("code", tr!(admin.stores.code), |v: &StoreView| text(v.code.clone())).sortable("code"),
                Column::new("locale", tr!(admin.stores.locale), |v: &StoreView| {
                    text(parse(&v.locale).map_or_else(|| v.locale.clone(), |l| locale_name(current(), l)))
                }),
            ]
        };
        view! {
            <Title text=tr!(admin.stores.title)/>
            <h1>{tr!(admin.stores.title)}</h1>
            {loaded_deferred(this.views, move |page| view! {
                <DataGrid name="stores" label=tr!(admin.stores.title) path="/admin/stores".to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}
