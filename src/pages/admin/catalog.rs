//! Catalog > Products: the grid (search, filters, keyset paging, CSV) and the product's edit
//! page (general fields, `Advanced Pricing`, `Product in Websites`, `Categories`).

use crate::api::catalog_admin::{get_product_edit_data, list_products, SaveProduct};
use crate::components::form::{provide_outcome, CheckboxField, FieldMessage, HiddenField, TextField};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::{count_successes, loaded_deferred, Outcome};
use crate::domain::catalog::{price_text, ProductEdit, ProductEditData, ProductRow};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::product as f;
use crate::domain::grid::GridPage;
use crate::l10n::current;
use crate::l10n::number;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::{lazy_route, LazyRoute};

const PATH: &str = "/admin/catalog/products";

fn columns() -> Vec<Column<ProductRow>> {
    let locale = current();
    let (enabled, disabled, edit) = (tr!(admin.catalog.enabled), tr!(admin.catalog.disabled), tr!(admin.catalog.edit));
    vec![
        Column::new("id", tr!(admin.catalog.id), |p: &ProductRow| text(p.id.to_string())).sortable("id"),
        Column::new("sku", tr!(admin.catalog.sku), |p: &ProductRow| text(p.sku.clone())).sortable("sku"),
        Column::new("name", tr!(admin.catalog.name), |p: &ProductRow| text(p.name.clone())).sortable("name"),
        Column::new("price", tr!(admin.catalog.price), |p: &ProductRow| text(price_text(p.price))).sortable("price"),
        Column::new("qty", tr!(admin.catalog.quantity), move |p: &ProductRow| text(number(locale, p.qty)))
            .sortable("qty"),
        Column::new("status", tr!(admin.catalog.status), move |p: &ProductRow| {
            text(if p.enabled { enabled.clone() } else { disabled.clone() })
        }),
        Column::new("action", tr!(admin.catalog.action), move |p: &ProductRow| {
            let edit = edit.clone();
            view! { <A href=format!("{PATH}/{}", p.id)>{edit}</A> }.into_any()
        }),
    ]
}

/// Catalog > Products.
pub struct ProductsPage {
    page: Resource<Result<Deferred<GridPage<ProductRow>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for ProductsPage {
    fn data() -> Self {
        let query = use_grid_query();
        ProductsPage { page: crate::api::load(move || query.get(), list_products) }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        let current_query = query.get_untracked();
        let enabled = current_query.filters.get("enabled").cloned().unwrap_or_default();
        view! {
            <Title text=tr!(admin.catalog.products)/>
            <h1>{tr!(admin.catalog.products)}</h1>
            <div class="page-actions"><A href=format!("{PATH}/new")>{tr!(admin.catalog.add_product)}</A></div>
            <Form method="GET" action=PATH attr:class="grid-filters">
                <label>{tr!(admin.catalog.search)}
                    <input type="search" name="search" value=current_query.search.clone() prop:value=current_query.search.clone() maxlength="100"/>
                </label>
                <label>{tr!(admin.catalog.status)}
                    <select name="enabled">
                        <option value="">{tr!(admin.catalog.any)}</option>
                        <option value="1" selected=enabled == "1">{tr!(admin.catalog.enabled)}</option>
                        <option value="0" selected=enabled == "0">{tr!(admin.catalog.disabled)}</option>
                    </select>
                </label>
                <button type="submit">{tr!(admin.catalog.search_button)}</button>
            </Form>
            {loaded_deferred(this.page, move |page| view! {
                <DataGrid name="products" label=tr!(admin.catalog.products) path=PATH.to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}

/// A product's edit page (`/admin/catalog/products/new` for a new one).
pub struct ProductEditPage {
    data: Resource<Result<Deferred<ProductEditData>, AppError>>,
    saved: RwSignal<u32>,
}

#[lazy_route]
impl LazyRoute for ProductEditPage {
    fn data() -> Self {
        let params = use_params_map();
        let saved = RwSignal::new(0u32);
        let data = crate::api::load(
            move || (params.with(|p| p.get("id").unwrap_or_default()), saved.get()),
            |(id, _)| get_product_edit_data(id),
        );
        ProductEditPage { data, saved }
    }

    fn view(this: Self) -> AnyView {
        let save = ServerAction::<SaveProduct>::new();
        count_successes(this.saved, move || save.value().get());
        let value = Signal::derive(move || save.value().get());
        provide_outcome(value);
        let params = use_params_map();
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(id)) = save.value().get() {
                if params.with_untracked(|p| p.get("id").unwrap_or_default()) == "new" {
                    navigate(&format!("{PATH}/{id}?saved=1"), Default::default());
                }
            }
        });
        view! {
            <Title text=tr!(admin.catalog.edit_title)/>
            <A href=PATH>{tr!(admin.catalog.back)}</A>
            <Outcome value success=tr!(admin.catalog.saved) after_redirect=true/>
            {loaded_deferred(this.data, move |d| {
                let p = d.product.clone().unwrap_or(ProductEdit { enabled: true, ..ProductEdit::default() });
                let title = if d.product.is_some() { p.name.clone() } else { tr!(admin.catalog.new_product) };
                let id = if d.product.is_some() { p.id.to_string() } else { String::new() };
                let price = if d.product.is_some() { price_text(p.price) } else { String::new() };
                let websites = d.websites.iter().map(|w| {
                    let box_id = format!("product-website-{}", w.id);
                    let on = p.websites.contains(&w.id);
                    view! {
                        <div class="field check">
                            <input type="checkbox" id=box_id.clone() name=format!("{}[]", f::websites.input) value=w.id.to_string() checked=on/>
                            <label for=box_id>{w.name.clone()}</label>
                        </div>
                    }
                }).collect_view();
                let categories = d.categories.iter().map(|c| {
                    let box_id = format!("product-category-{}", c.id);
                    let on = p.categories.contains(&c.id);
                    view! {
                        <div class="field check">
                            <input type="checkbox" id=box_id.clone() name=format!("{}[]", f::categories.input) value=c.id.to_string() checked=on/>
                            <label for=box_id>{c.name.clone()}</label>
                        </div>
                    }
                }).collect_view();
                let group_prices = d.groups.iter().map(|g| {
                    let input_id = format!("group-price-{}", g.id);
                    let value = p.group_prices.iter().find(|(id, _)| *id == g.id).map(|(_, v)| price_text(*v)).unwrap_or_default();
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>{g.name.clone()}</label>
                            <input id=input_id type="text" inputmode="decimal" name=format!("{}[{}]", f::group_prices.input, g.id) value=value/>
                        </div>
                    }
                }).collect_view();
                view! {
                    <h1>{title}</h1>
                    <ActionForm action=save attr:class="form">
                        <HiddenField field=f::id value=id/>
                        <fieldset>
                            <legend>{tr!(admin.catalog.general)}</legend>
                            <CheckboxField field=f::enabled label=tr!(admin.catalog.enable_product) checked=p.enabled/>
                            <TextField field=f::name label=tr!(admin.catalog.product_name) value=p.name.clone() required=true maxlength=255/>
                            <TextField field=f::sku label=tr!(admin.catalog.sku) value=p.sku.clone() required=true maxlength=64/>
                            <TextField field=f::price label=tr!(admin.catalog.price) value=price required=true/>
                            <TextField field=f::qty label=tr!(admin.catalog.quantity) value=p.qty.to_string() required=true/>
                            <TextField field=f::url_key label=tr!(admin.catalog.url_key) value=p.url_key.clone() maxlength=255/>
                            <div class="field">
                                <label for="product-description">{tr!(admin.catalog.description)}</label>
                                <textarea id="product-description" name=f::description.input rows="5">{p.description.clone()}</textarea>
                                <FieldMessage field=f::description/>
                            </div>
                            <CheckboxField field=f::featured label=tr!(admin.catalog.featured) checked=p.featured/>
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(admin.catalog.advanced_pricing)}</legend>
                            <p class="hint">{tr!(admin.catalog.advanced_pricing_hint)}</p>
                            {group_prices}
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(admin.catalog.in_websites)}</legend>
                            <input type="hidden" name=format!("{}[]", f::websites.input) value=""/>
                            {websites}
                            <FieldMessage field=f::websites/>
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(admin.catalog.categories)}</legend>
                            <input type="hidden" name=format!("{}[]", f::categories.input) value=""/>
                            {categories}
                            <FieldMessage field=f::categories/>
                        </fieldset>
                        <button type="submit" class="primary">{tr!(admin.catalog.save)}</button>
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}
