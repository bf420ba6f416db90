//! The shopper's account pages about orders and addresses: `My Orders` (paged), an order's
//! page, and the `Address Book` with its add and edit form.

use super::context::{price, store_code};
use super::sales::{AddressFields, AddressText};
use crate::api::sales::{my_addresses, my_order, my_orders, DeleteAddress, SaveAddress};
use crate::components::form::{provide_outcome, CheckboxField};
use crate::components::{loaded, successes, ErrorMessage, SuccessMessage};
use crate::domain::forms::fields::address as af;
use crate::domain::forms::FieldName;
use crate::domain::sales::{Address, SavedAddress};
use crate::domain::store::store_href;
use crate::l10n::{current, date, datetime, full_name, number};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// An order status in the shopper's language.
fn status_label(status: &str) -> String {
    match status {
        "pending" => tr!(store.orders.status_pending),
        "processing" => tr!(store.orders.status_processing),
        "complete" => tr!(store.orders.status_complete),
        "canceled" => tr!(store.orders.status_canceled),
        "closed" => tr!(store.orders.status_closed),
        "holded" => tr!(store.orders.status_holded),
        other => other.to_string(),
    }
}

/// `My Orders`: the shopper's orders, newest first, ten a page.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let code = store_code();
    let query = use_query_map();
    let orders = crate::api::load(
        move || (code.get(), query.with(|q| q.get("page").unwrap_or_default())),
        |(s, p)| my_orders(s, p),
    );
    view! {
        <Title text=tr!(store.orders.title)/>
        <h1>{tr!(store.orders.title)}</h1>
        {loaded(orders, move |list| {
            let code = code.get_untracked();
            if list.orders.is_empty() {
                return view! { <p class="empty">{tr!(store.orders.none)}</p> }.into_any();
            }
            let locale = current();
            let rows = list.orders.iter().map(|o| {
                let href = store_href(&code, &format!("/sales/order/view/{}", o.id));
                view! {
                    <tr>
                        <td data-label=tr!(store.orders.order)>{o.increment_id.clone()}</td>
                        <td data-label=tr!(store.orders.date)>{date(locale, o.created_at)}</td>
                        <td data-label=tr!(store.orders.ship_to)>{o.ship_to.clone()}</td>
                        <td data-label=tr!(store.orders.total)>{price(&o.currency, o.grand_total)}</td>
                        <td data-label=tr!(store.orders.status)>{status_label(&o.status)}</td>
                        <td><a href=href aria-label=tr!(store.orders.view_named, number = o.increment_id.clone())>{tr!(store.orders.view)}</a></td>
                    </tr>
                }
            }).collect_view();
            let base = store_href(&code, "/sales/order/history");
            let pager = (list.pages > 1).then(|| {
                let (page, pages) = (list.page, list.pages);
                view! {
                    <nav class="pager" aria-label=tr!(store.catalog.pages)>
                        {(page > 1).then(|| view! { <a rel="prev" href=format!("{base}?page={}", page - 1)>{tr!(store.catalog.previous)}</a> })}
                        <span>{tr!(store.catalog.page_of, page = number(locale, page), pages = number(locale, pages))}</span>
                        {(page < pages).then(|| view! { <a rel="next" href=format!("{base}?page={}", page + 1)>{tr!(store.catalog.next)}</a> })}
                    </nav>
                }
            });
            view! {
                <table class="cart-table orders-table">
                    <thead><tr>
                        <th scope="col">{tr!(store.orders.order)}</th>
                        <th scope="col">{tr!(store.orders.date)}</th>
                        <th scope="col">{tr!(store.orders.ship_to)}</th>
                        <th scope="col">{tr!(store.orders.total)}</th>
                        <th scope="col">{tr!(store.orders.status)}</th>
                        <th scope="col">{tr!(store.orders.action)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {pager}
            }.into_any()
        })}
    }
}

/// An order's page: items, totals, addresses, methods, and the comments meant for the shopper.
#[component]
pub fn OrderPage() -> impl IntoView {
    let code = store_code();
    let params = use_params_map();
    let order = crate::api::load(
        move || (code.get(), params.with(|p| p.get("id").unwrap_or_default())),
        |(s, id)| my_order(s, id),
    );
    view! {
        {loaded(order, move |o| {
            let code = code.get_untracked();
            let locale = current();
            let title = tr!(store.orders.order_title, number = o.increment_id.clone());
            let items = o.items.iter().map(|i| view! {
                <tr>
                    <td data-label=tr!(store.orders.product)>{i.name.clone()}</td>
                    <td data-label=tr!(store.orders.sku)>{i.sku.clone()}</td>
                    <td data-label=tr!(store.cart.price)>{price(&o.currency, i.price)}</td>
                    <td data-label=tr!(store.orders.qty_ordered)>{i.qty_ordered}</td>
                    <td data-label=tr!(store.cart.subtotal)>{price(&o.currency, i.row_total)}</td>
                </tr>
            }).collect_view();
            let comments = (!o.comments.is_empty()).then(|| view! {
                <section class="box" aria-labelledby="about-order">
                    <h2 id="about-order">{tr!(store.orders.about)}</h2>
                    <ul class="comments">
                        {o.comments.iter().map(|c| view! { <li><strong>{datetime(locale, c.created_at)}</strong>" · "{c.comment.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            });
            view! {
                <Title text=title.clone()/>
                <h1>{title}</h1>
                <p class="order-status"><span class="status">{status_label(&o.status)}</span>" · "{tr!(store.orders.placed, date = date(locale, o.created_at))}</p>
                <section aria-labelledby="items-ordered">
                    <h2 id="items-ordered">{tr!(store.orders.items)}</h2>
                    <table class="cart-table">
                        <thead><tr>
                            <th scope="col">{tr!(store.orders.product)}</th>
                            <th scope="col">{tr!(store.orders.sku)}</th>
                            <th scope="col">{tr!(store.cart.price)}</th>
                            <th scope="col">{tr!(store.orders.qty_ordered)}</th>
                            <th scope="col">{tr!(store.cart.subtotal)}</th>
                        </tr></thead>
                        <tbody>{items}</tbody>
                    </table>
                    <p class="total-line"><span>{tr!(store.cart.subtotal)}</span><span>{price(&o.currency, o.subtotal)}</span></p>
                    <p class="total-line"><span>{tr!(store.checkout.shipping)}</span><span>{price(&o.currency, o.shipping_amount)}</span></p>
                    <p class="total-line grand"><span>{tr!(store.checkout.order_total)}</span><strong>{price(&o.currency, o.grand_total)}</strong></p>
                </section>
                <section class="order-info" aria-labelledby="order-information">
                    <h2 id="order-information">{tr!(store.orders.information)}</h2>
                    <div class="box"><h3>{tr!(store.orders.shipping_address)}</h3><AddressText address=o.shipping_address.clone()/></div>
                    <div class="box"><h3>{tr!(store.orders.shipping_method)}</h3><p>{tr!(store.checkout.flat_rate)}</p></div>
                    <div class="box"><h3>{tr!(store.orders.billing_address)}</h3><AddressText address=o.billing_address.clone()/></div>
                    <div class="box"><h3>{tr!(store.orders.payment_method)}</h3><p>{tr!(store.checkout.check_money_order)}</p></div>
                </section>
                {comments}
                <a href=store_href(&code, "/sales/order/history")>{tr!(store.orders.back)}</a>
            }
        })}
    }
}

/// The `Address Book`: the default billing and shipping addresses, the others, and links to
/// add, edit and delete.
#[component]
pub fn AddressBookPage() -> impl IntoView {
    let code = store_code();
    let delete = ServerAction::<DeleteAddress>::new();
    let deleted = successes(move || delete.value().get());
    let book = crate::api::load(move || (code.get(), deleted.get()), |(s, _)| my_addresses(s));
    let query = use_query_map();
    view! {
        <Title text=tr!(store.address.title)/>
        <h1>{tr!(store.address.title)}</h1>
        {move || query.with(|q| q.get("saved").is_some()).then(|| view! { <SuccessMessage text=tr!(store.address.saved)/> })}
        {move || match delete.value().get() {
            Some(Ok(())) => view! { <SuccessMessage text=tr!(store.address.deleted)/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            None => ().into_any(),
        }}
        {loaded(book, move |book: Vec<SavedAddress>| {
            let code = code.get_untracked();
            let entry = |a: &SavedAddress, heading: Option<String>| address_entry(a.clone(), heading, code.clone(), delete);
            let billing = book.iter().find(|a| a.default_billing).map(|a| entry(a, Some(tr!(store.address.default_billing))));
            let shipping = book.iter().find(|a| a.default_shipping).map(|a| entry(a, Some(tr!(store.address.default_shipping))));
            let others: Vec<_> = book.iter().filter(|a| !a.default_billing && !a.default_shipping).map(|a| entry(a, None)).collect();
            view! {
                <section class="address-defaults">{billing}{shipping}</section>
                <section aria-labelledby="other-addresses">
                    <h2 id="other-addresses">{tr!(store.address.other)}</h2>
                    {if others.is_empty() {
                        view! { <p class="empty">{tr!(store.address.none)}</p> }.into_any()
                    } else {
                        others.into_iter().collect_view().into_any()
                    }}
                </section>
                <a class="button primary" href=store_href(&code, "/customer/address/new")>{tr!(store.address.add_new)}</a>
            }
        })}
    }
}

/// One Address Book entry with `Edit Address` and `Delete Address`.
fn address_entry(
    a: SavedAddress,
    heading: Option<String>,
    code: String,
    delete: ServerAction<DeleteAddress>,
) -> impl IntoView {
    let name = full_name(current(), &a.address.first_name, &a.address.last_name);
    view! {
        <div class="box address-entry">
            {heading.map(|h| view! { <h3>{h}</h3> })}
            <AddressText address=a.address.clone()/>
            // A form may not sit in a paragraph: the browser would close the paragraph before it and
            // the page would no longer match what hydrates it.
            <div class="actions">
                <a href=store_href(&code, &format!("/customer/address/edit/{}", a.id))>{tr!(store.address.edit)}</a>
                <ActionForm action=delete attr:class="inline">
                    <input type="hidden" name="store" value=code.clone()/>
                    <input type="hidden" name="id" value=a.id.to_string()/>
                    <button type="submit" class="link" aria-label=tr!(store.address.delete_named, name = name)>{tr!(store.address.delete)}</button>
                </ActionForm>
            </div>
        </div>
    }
}

fn address_field(key: &'static str) -> FieldName {
    match key {
        "first_name" => af::first_name,
        "last_name" => af::last_name,
        "company" => af::company,
        "street" => af::street,
        "city" => af::city,
        "region" => af::region,
        "postcode" => af::postcode,
        "country_id" => af::country_id,
        _ => af::telephone,
    }
}

/// Adds (`/customer/address/new`) or edits (`/customer/address/edit/{id}`) an address.
#[component]
pub fn AddressEditPage() -> impl IntoView {
    let code = store_code();
    let params = use_params_map();
    let save = ServerAction::<SaveAddress>::new();
    let value = Signal::derive(move || save.value().get());
    provide_outcome(value);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate(&store_href(&code.get_untracked(), "/customer/address?saved=1"), Default::default());
        }
    });
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // The book holds the address to edit (a new one starts empty, with the shopper's name).
    let book = crate::api::load(move || code.get(), my_addresses);
    view! {
        {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
        {loaded(book, move |book: Vec<SavedAddress>| {
            let code = code.get_untracked();
            let id = id();
            let found = book.iter().find(|a| a.id.to_string() == id).cloned();
            let title = if found.is_some() { tr!(store.address.edit_title) } else { tr!(store.address.new_title) };
            if !id.is_empty() && found.is_none() {
                let e = crate::domain::error::AppError::not_found(crate::domain::msg::Msg::AddressNotFound);
                return view! { <Title text=title.clone()/><h1>{title}</h1><ErrorMessage error=e/> }.into_any();
            }
            let (address, billing, shipping) = match &found {
                Some(a) => (a.address.clone(), a.default_billing, a.default_shipping),
                None => (Address::default(), false, false),
            };
            view! {
                <Title text=title.clone()/>
                <h1>{title}</h1>
                <ActionForm action=save attr:class="form">
                    <input type="hidden" name="store" value=code.clone()/>
                    <input type="hidden" name=af::id.input value=id.clone()/>
                    <fieldset>
                        <legend>{tr!(store.address.title)}</legend>
                        <AddressFields value=address names=address_field required=true/>
                        <CheckboxField field=af::default_billing label=tr!(store.address.use_billing) checked=billing locked=billing/>
                        <CheckboxField field=af::default_shipping label=tr!(store.address.use_shipping) checked=shipping locked=shipping/>
                    </fieldset>
                    <button type="submit" class="primary">{tr!(store.address.save)}</button>
                    <a href=store_href(&code, "/customer/address")>{tr!(store.address.back)}</a>
                </ActionForm>
            }.into_any()
        })}
    }
}
