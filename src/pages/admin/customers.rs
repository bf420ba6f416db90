use crate::api::customers::{
    customer_filters, get_customer_edit_data, list_customers, CustomerEditData, GridFilters, SaveCustomer,
};
use crate::components::{loaded, successes, Outcome};
use crate::domain::error::AppError;
use crate::domain::model::{format_time, CustomerPage, CustomerQuery, CustomerSort, PAGE_SIZES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::{lazy_route, LazyRoute};

fn query_from(map: &ParamsMap) -> CustomerQuery {
    let num = |k: &str| map.get(k).and_then(|v| v.parse::<i64>().ok());
    CustomerQuery {
        keyword: map.get("search").unwrap_or_default(),
        website_id: num("website").filter(|n| *n > 0),
        group_id: num("group").filter(|n| *n > 0),
        active: map.get("active").and_then(|v| match v.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }),
        sort: CustomerSort::parse(&map.get("sort").unwrap_or_default()),
        descending: map.get("dir").as_deref() != Some("asc"),
        page: num("page").unwrap_or(1),
        page_size: num("limit").unwrap_or(20),
    }
    .normalized()
}

/// The grid's address for `q`.
fn href(q: &CustomerQuery) -> String {
    let mut parts =
        vec![format!("sort={}", q.sort.key()), format!("dir={}", if q.descending { "desc" } else { "asc" })];
    if !q.keyword.is_empty() {
        parts.push(format!("search={}", urlencode(&q.keyword)));
    }
    if let Some(w) = q.website_id {
        parts.push(format!("website={w}"));
    }
    if let Some(g) = q.group_id {
        parts.push(format!("group={g}"));
    }
    if let Some(a) = q.active {
        parts.push(format!("active={}", i64::from(a)));
    }
    parts.push(format!("page={}", q.page));
    parts.push(format!("limit={}", q.page_size));
    format!("/admin/customers?{}", parts.join("&"))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Customers > All Customers.
pub struct CustomersPage {
    page: Resource<Result<CustomerPage, AppError>>,
    filters: Resource<Result<GridFilters, AppError>>,
}

#[lazy_route]
impl LazyRoute for CustomersPage {
    fn data() -> Self {
        let query = use_query_map();
        CustomersPage {
            page: Resource::new(move || query.with(query_from), list_customers),
            filters: Resource::new(|| (), |_| customer_filters()),
        }
    }

    fn view(this: Self) -> AnyView {
        let query = use_query_map();
        let q = move || query.with(query_from);
        view! {
            <Title text="Customers"/>
            <h1>"Customers"</h1>
            {loaded(this.filters, move |f| {
                let current = q();
                view! {
                    <Form method="GET" action="/admin/customers" attr:class="grid-filters">
                        <label>"Search by keyword"
                            <input type="search" name="search" value=current.keyword.clone() prop:value=current.keyword.clone() maxlength="100"/>
                        </label>
                        <label>"Web Site"
                            <select name="website">
                                <option value="">"All Websites"</option>
                                {f.websites.iter().map(|w| view! {
                                    <option value=w.id.to_string() selected=current.website_id == Some(w.id)>{w.name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>"Group"
                            <select name="group">
                                <option value="">"All Groups"</option>
                                {f.groups.iter().map(|g| view! {
                                    <option value=g.id.to_string() selected=current.group_id == Some(g.id)>{g.code.clone()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label>"Account Status"
                            <select name="active">
                                <option value="">"Any"</option>
                                <option value="1" selected=current.active == Some(true)>"Active"</option>
                                <option value="0" selected=current.active == Some(false)>"Inactive"</option>
                            </select>
                        </label>
                        <input type="hidden" name="limit" value=current.page_size.to_string()/>
                        <button type="submit">"Search"</button>
                    </Form>
                }
            })}
            {loaded(this.page, move |page| {
                let q = page.query.clone();
                let pages = ((page.total + q.page_size - 1) / q.page_size).max(1);
                let sort_link = move |col: CustomerSort, label: &'static str| {
                    let mut next = q.clone();
                    next.descending = if q.sort == col { !q.descending } else { false };
                    next.sort = col;
                    next.page = 1;
                    let mark = if q.sort == col { if q.descending { " ↓" } else { " ↑" } } else { "" };
                    view! { <A href=href(&next)>{label}{mark}</A> }
                };
                let q2 = page.query.clone();
                let at = move |p: i64| { let mut n = q2.clone(); n.page = p; href(&n) };
                let q3 = page.query.clone();
                view! {
                    <p class="grid-count" role="status">{page.total}" records found"</p>
                    <table class="grid" aria-label="Customers">
                        <thead>
                            <tr>
                                <th>{sort_link(CustomerSort::Id, "ID")}</th>
                                <th>{sort_link(CustomerSort::Name, "Name")}</th>
                                <th>{sort_link(CustomerSort::Email, "Email")}</th>
                                <th>"Group"</th>
                                <th>"Web Site"</th>
                                <th>{sort_link(CustomerSort::Created, "Customer Since")}</th>
                                <th>"Status"</th>
                                <th>"Action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.rows.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.id}</td>
                                    <td>{c.first_name}" "{c.last_name}</td>
                                    <td>{c.email}</td>
                                    <td>{c.group}</td>
                                    <td>{c.website}</td>
                                    <td>{format_time(c.created_at)}</td>
                                    <td>{if c.is_active { "Active" } else { "Inactive" }}</td>
                                    <td><A href=format!("/admin/customers/{}", c.id)>"Edit"</A></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <nav class="pager" aria-label="Pages">
                        {(q3.page > 1).then(|| view! { <A href=at(q3.page - 1)>"Previous"</A> })}
                        <span>"Page "{q3.page}" of "{pages}</span>
                        {(q3.page < pages).then(|| view! { <A href=at(q3.page + 1)>"Next"</A> })}
                        <span class="page-sizes">"Per page: "
                            {PAGE_SIZES.iter().map(|n| { let mut s = q3.clone(); s.page_size = *n; s.page = 1; view! { <A href=href(&s)>{*n}</A>" " } }).collect_view()}
                        </span>
                    </nav>
                }
            })}
        }
        .into_any()
    }
}

/// The customer edit page (Account Information).
pub struct CustomerEditPage {
    data: Resource<Result<CustomerEditData, AppError>>,
    save: ServerAction<SaveCustomer>,
}

#[lazy_route]
impl LazyRoute for CustomerEditPage {
    fn data() -> Self {
        let params = use_params_map();
        let save = ServerAction::<SaveCustomer>::new();
        let saved = successes(move || save.value().get());
        let data = Resource::new(
            move || (params.with(|p| p.get("id").unwrap_or_default()), saved.get()),
            |(id, _)| get_customer_edit_data(id),
        );
        CustomerEditPage { data, save }
    }

    fn view(this: Self) -> AnyView {
        let save = this.save;
        view! {
            <Title text="Edit Customer"/>
            <A href="/admin/customers">"Back"</A>
            <Outcome value=Signal::derive(move || save.value().get()) success="You saved the customer."/>
            {loaded(this.data, move |d| {
                let c = d.customer;
                let disabled = !d.can_edit;
                view! {
                    <h1>{c.first_name.clone()}" "{c.last_name.clone()}</h1>
                    <ActionForm action=save attr:class="form">
                        <fieldset>
                            <legend>"Account Information"</legend>
                            <input type="hidden" name="form[id]" value=c.id.to_string() prop:value=c.id.to_string()/>
                            <label>"Associate to Website"<input type="text" value=c.website_name.clone() prop:value=c.website_name.clone() disabled/></label>
                            <label>"Group"
                                <select name="form[group_id]" disabled=disabled>
                                    {d.groups.iter().map(|g| view! {
                                        <option value=g.id.to_string() selected=g.id == c.group_id>{g.code.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>"First Name"<input type="text" name="form[first_name]" required value=c.first_name.clone() prop:value=c.first_name.clone() disabled=disabled/></label>
                            <label>"Last Name"<input type="text" name="form[last_name]" required value=c.last_name.clone() prop:value=c.last_name.clone() disabled=disabled/></label>
                            <label>"Email"<input type="email" name="form[email]" required value=c.email.clone() prop:value=c.email.clone() disabled=disabled/></label>
                            <label>"Account Created in"<input type="text" value=c.created_in.clone() prop:value=c.created_in.clone() disabled/></label>
                            <label class="check">
                                <input type="checkbox" name="form[is_active]" value="1" checked=c.is_active prop:checked=c.is_active disabled=disabled/>
                                "Active"
                            </label>
                        </fieldset>
                        {(!disabled).then(|| view! { <button type="submit" class="primary">"Save Customer"</button> })}
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}
