use super::assist::AssistButton;
use crate::api::customers::{
    customer_filters, get_customer_edit_data, list_customers, CustomerEditData, GridFilters, SaveCustomer,
};
use crate::components::form::{provide_outcome, CheckboxField, HiddenField, SelectField, TextField};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::{count_successes, loaded_deferred, Outcome};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::customer as f;
use crate::domain::grid::GridPage;
use crate::domain::model::CustomerRow;
use crate::l10n::{current, datetime};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_params_map;
use leptos_router::{lazy_route, LazyRoute};

const PATH: &str = "/admin/customers";

fn columns() -> Vec<Column<CustomerRow>> {
    let locale = current();
    let (active, inactive, edit) =
        (tr!(admin.customers.active), tr!(admin.customers.inactive), tr!(admin.customers.edit));
    vec![
        Column::new("id", tr!(admin.customers.id), |c: &CustomerRow| text(c.id.to_string())).sortable("id"),
        Column::new("name", tr!(admin.customers.name), move |c: &CustomerRow| {
            text(crate::l10n::full_name(locale, &c.first_name, &c.last_name))
        })
        .sortable("name"),
        Column::new("email", tr!(admin.customers.email), |c: &CustomerRow| text(c.email.clone())).sortable("email"),
        Column::new("group", tr!(admin.customers.group), |c: &CustomerRow| text(c.group.clone())),
        Column::new("website", tr!(admin.customers.website), |c: &CustomerRow| text(c.website.clone())),
        Column::new("created", tr!(admin.customers.since), move |c: &CustomerRow| text(datetime(locale, c.created_at)))
            .sortable("created"),
        Column::new("status", tr!(admin.customers.status), move |c: &CustomerRow| {
            text(if c.is_active { active.clone() } else { inactive.clone() })
        }),
        Column::new("action", tr!(admin.customers.action), move |c: &CustomerRow| {
            let edit = edit.clone();
            view! { <A href=format!("{PATH}/{}", c.id)>{edit}</A> }.into_any()
        }),
    ]
}

/// Customers > All Customers.
pub struct CustomersPage {
    page: Resource<Result<Deferred<GridPage<CustomerRow>>, AppError>>,
    filters: Resource<Result<Deferred<GridFilters>, AppError>>,
}

#[lazy_route]
impl LazyRoute for CustomersPage {
    fn data() -> Self {
        let query = use_grid_query();
        CustomersPage {
            page: crate::api::load(move || query.get(), list_customers),
            filters: crate::api::load(|| (), |_| customer_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_grid_query();
        view! {
            <Title text=tr!(admin.customers.title)/>
            <h1>{tr!(admin.customers.title)}</h1>
            {loaded_deferred(this.filters, move |f| {
                let current = query.get_untracked();
                let filter = |k: &str| current.filters.get(k).cloned().unwrap_or_default();
                let (website, group, active) = (filter("website"), filter("group"), filter("active"));
                view! {
                    <Form method="GET" action=PATH attr:class="grid-filters">
                        <label>{tr!(admin.customers.search)}
                            <input type="search" name="search" value=current.search.clone() prop:value=current.search.clone() maxlength="100"/>
                        </label>
                        <label>{tr!(admin.customers.website)}
                            <select name="website">
                                <option value="">{tr!(admin.customers.all_websites)}</option>
                                {f.websites.iter().map(|w| view! {
                                    <option value=w.id.to_string() selected=website == w.id.to_string()>{w.name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>{tr!(admin.customers.group)}
                            <select name="group">
                                <option value="">{tr!(admin.customers.all_groups)}</option>
                                {f.groups.iter().map(|g| view! {
                                    <option value=g.id.to_string() selected=group == g.id.to_string()>{g.code.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>{tr!(admin.customers.account_status)}
                            <select name="active">
                                <option value="">{tr!(admin.customers.any)}</option>
                                <option value="1" selected=active == "1">{tr!(admin.customers.active)}</option>
                                <option value="0" selected=active == "0">{tr!(admin.customers.inactive)}</option>
                            </select>
                        </label>
                        {(current.limit != 0).then(|| view! { <input type="hidden" name="limit" value=current.limit.to_string()/> })}
                        <button type="submit">{tr!(admin.customers.search_button)}</button>
                    </Form>
                }
            })}
            {loaded_deferred(this.page, move |page| view! {
                <DataGrid name="customers" label=tr!(admin.customers.title) path=PATH.to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}

/// The customer edit page (Account Information).
pub struct CustomerEditPage {
    data: Resource<Result<Deferred<CustomerEditData>, AppError>>,
    saved: RwSignal<u32>,
}

#[lazy_route]
impl LazyRoute for CustomerEditPage {
    fn data() -> Self {
        let params = use_params_map();
        let saved = RwSignal::new(0u32);
        let data = crate::api::load(
            move || (params.with(|p| p.get("id").unwrap_or_default()), saved.get()),
            |(id, _)| get_customer_edit_data(id),
        );
        CustomerEditPage { data, saved }
    }

    fn view(this: Self) -> AnyView {
        let save = ServerAction::<SaveCustomer>::new();
        count_successes(this.saved, move || save.value().get());
        let value = Signal::derive(move || save.value().get());
        provide_outcome(value);
        view! {
            <Title text=tr!(admin.customers.edit_title)/>
            <A href=PATH>{tr!(admin.customers.back)}</A>
            <Outcome value success=tr!(admin.customers.saved)/>
            {loaded_deferred(this.data, move |d| {
                let c = d.customer;
                let read_only = !d.can_edit;
                let groups = d.groups.iter().map(|g| (g.id.to_string(), g.code.clone())).collect();
                view! {
                    <h1>{crate::l10n::full_name(current(), &c.first_name, &c.last_name)}</h1>
                    {d.can_assist.then(|| view! {
                        <div class="page-actions"><AssistButton customer_id=c.id/></div>
                    })}
                    <ActionForm action=save attr:class="form">
                        <fieldset>
                            <legend>{tr!(admin.customers.account_information)}</legend>
                            <HiddenField field=f::id value=c.id.to_string()/>
                            <div class="field">
                                <label for="customer-website">{tr!(admin.customers.associate_website)}</label>
                                <input id="customer-website" type="text" value=c.website_name.clone() prop:value=c.website_name.clone() disabled/>
                            </div>
                            <SelectField field=f::group_id label=tr!(admin.customers.group) options=groups selected=c.group_id.to_string() disabled=read_only/>
                            <TextField field=f::first_name label=tr!(admin.customers.first_name) value=c.first_name.clone() required=true disabled=read_only/>
                            <TextField field=f::last_name label=tr!(admin.customers.last_name) value=c.last_name.clone() required=true disabled=read_only/>
                            <TextField field=f::email label=tr!(admin.customers.email) kind="email" value=c.email.clone() required=true disabled=read_only/>
                            <div class="field">
                                <label for="customer-created-in">{tr!(admin.customers.created_in)}</label>
                                <input id="customer-created-in" type="text" value=c.created_in.clone() prop:value=c.created_in.clone() disabled/>
                            </div>
                            <CheckboxField field=f::is_active label=tr!(admin.customers.active) checked=c.is_active disabled=read_only/>
                            {d.consent.clone().map(|consent| {
                                let may = consent.editable;
                                view! {
                                    <CheckboxField field=f::assistance_allowed label=tr!(admin.customers.allow_assistance)
                                        checked=consent.allowed disabled=!may/>
                                    {(!may).then(|| view! {
                                        <p class="hint" role="note">{tr!(admin.customers.no_opt_in_permission)}</p>
                                    })}
                                }
                            })}
                        </fieldset>
                        {(!read_only).then(|| view! { <button type="submit" class="primary">{tr!(admin.customers.save)}</button> })}
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}
