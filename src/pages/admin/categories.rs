//! Catalog > Categories: the category tree beside the chosen category's form (add a root
//! category or a subcategory, rename, move under another parent, reorder by position, enable
//! or disable, delete one without subcategories).

use crate::api::catalog_admin::{get_categories, DeleteCategory, SaveCategory};
use crate::components::form::{provide_outcome, CheckboxField, HiddenField, SelectField, TextField};
use crate::components::{count_successes, loaded_deferred, Outcome, SuccessMessage};
use crate::domain::catalog::{CategoriesData, CategoryEdit, CategoryNode};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::category as f;
use crate::l10n::{current, number};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};

const PATH: &str = "/admin/catalog/categories";

/// The tree as nested lists, the chosen category marked.
fn tree_view(tree: &[CategoryNode], parent: Option<i64>, chosen: Option<i64>) -> Option<AnyView> {
    let locale = current();
    let items: Vec<AnyView> = tree
        .iter()
        .filter(|c| c.parent_id == parent || (parent.is_none() && c.depth == 0))
        .map(|c| {
            let here = (Some(c.id) == chosen).then_some("page");
            let count = tr!(admin.catalog.products_count, count = number(locale, c.products));
            let off = (!c.active).then(|| view! { <span class="badge">{tr!(admin.catalog.disabled)}</span> });
            let children = tree_view(tree, Some(c.id), chosen);
            let (href, name) = (format!("{PATH}/{}", c.id), c.name.clone());
            view! {
                <li>
                    <A href=href attr:aria-current=here>{name}</A>
                    " "<span class="hint">"(" {count} ")"</span>
                    {off}
                    {children}
                </li>
            }
            .into_any()
        })
        .collect();
    (!items.is_empty()).then(|| view! { <ul>{items}</ul> }.into_any())
}

/// Catalog > Categories (`/admin/catalog/categories[/<id>|/new?parent=<id>]`).
pub struct CategoriesPage {
    data: Resource<Result<Deferred<CategoriesData>, AppError>>,
    saved: RwSignal<u32>,
}

#[lazy_route]
impl LazyRoute for CategoriesPage {
    fn data() -> Self {
        let params = use_params_map();
        let saved = RwSignal::new(0u32);
        let data = crate::api::load(
            move || (params.with(|p| p.get("id").unwrap_or_default()), saved.get()),
            |(id, _)| get_categories(id),
        );
        CategoriesPage { data, saved }
    }

    fn view(this: Self) -> AnyView {
        let save = ServerAction::<SaveCategory>::new();
        let delete = ServerAction::<DeleteCategory>::new();
        count_successes(this.saved, move || save.value().get());
        let value = Signal::derive(move || save.value().get());
        provide_outcome(value);
        let params = use_params_map();
        let query = use_query_map();
        let navigate = use_navigate();
        let go = navigate.clone();
        Effect::new(move |_| {
            if let Some(Ok(id)) = save.value().get() {
                if params.with_untracked(|p| p.get("id").unwrap_or_default()) == "new" {
                    go(&format!("{PATH}/{id}?saved=1"), Default::default());
                }
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(())) = delete.value().get() {
                navigate(&format!("{PATH}?deleted=1"), Default::default());
            }
        });
        let deleted = move || query.with(|q| q.get("deleted").is_some());
        view! {
            <Title text=tr!(admin.catalog.categories)/>
            <h1>{tr!(admin.catalog.categories)}</h1>
            <div class="page-actions">
                <A href=format!("{PATH}/new")>{tr!(admin.catalog.add_root_category)}</A>
            </div>
            {move || deleted().then(|| view! { <SuccessMessage text=tr!(admin.catalog.category_deleted)/> })}
            {move || delete.value().get().and_then(Result::err).map(|e| view! { <crate::components::ErrorMessage error=e/> })}
            {loaded_deferred(this.data, move |d| {
                let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
                let chosen = d.category.as_ref().map(|c| c.id);
                let tree = tree_view(&d.tree, None, chosen)
                    .unwrap_or_else(|| view! { <p>{tr!(admin.catalog.no_categories)}</p> }.into_any());
                let form = if id.is_empty() {
                    view! { <p class="hint">{tr!(admin.catalog.choose_category)}</p> }.into_any()
                } else {
                    let parent = query.with_untracked(|q| q.get("parent")).unwrap_or_default();
                    category_form(&d, parent, save, delete).into_any()
                };
                view! {
                    <div class="category-layout">
                        <nav class="category-tree" aria-label=tr!(admin.catalog.category_tree)>{tree}</nav>
                        <section class="category-edit">{form}</section>
                    </div>
                }
            })}
        }
        .into_any()
    }
}

/// The chosen category's form (a new one under `parent` when none is chosen), with `Add
/// Subcategory` and `Delete Category` for an existing one.
fn category_form(
    d: &CategoriesData,
    parent: String,
    save: ServerAction<SaveCategory>,
    delete: ServerAction<DeleteCategory>,
) -> impl IntoView {
    let existing = d.category.is_some();
    let c = d.category.clone().unwrap_or(CategoryEdit { active: true, ..CategoryEdit::default() });
    let title = if existing { c.name.clone() } else { tr!(admin.catalog.new_category) };
    let id = if existing { c.id.to_string() } else { String::new() };
    let parent = if existing { c.parent_id.map(|p| p.to_string()).unwrap_or_default() } else { parent };
    let parents: Vec<(String, String)> = d.parents.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    let locale = current();
    let extra = existing.then(|| {
        let id = c.id.to_string();
        view! {
            <p>{tr!(admin.catalog.products_count, count = number(locale, c.products))}</p>
            <div class="page-actions">
                <A href=format!("{PATH}/new?parent={}", c.id)>{tr!(admin.catalog.add_subcategory)}</A>
            </div>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="danger">{tr!(admin.catalog.delete_category)}</button>
            </ActionForm>
        }
    });
    let value = Signal::derive(move || save.value().get());
    view! {
        <h2>{title}</h2>
        <Outcome value success=tr!(admin.catalog.category_saved) after_redirect=true/>
        <ActionForm action=save attr:class="form">
            <HiddenField field=f::id value=id/>
            <CheckboxField field=f::active label=tr!(admin.catalog.enable_category) checked=c.active/>
            <TextField field=f::name label=tr!(admin.catalog.category_name) value=c.name.clone() required=true maxlength=255/>
            <TextField field=f::url_key label=tr!(admin.catalog.url_key) value=c.url_key.clone() maxlength=255/>
            <SelectField field=f::parent label=tr!(admin.catalog.parent_category) options=parents selected=parent placeholder=tr!(admin.catalog.no_parent)/>
            <TextField field=f::position label=tr!(admin.catalog.position) value=c.position.to_string()/>
            <p class="hint">{tr!(admin.catalog.position_hint)}</p>
            <button type="submit" class="primary">{tr!(admin.catalog.save)}</button>
        </ActionForm>
        {extra}
    }
}
