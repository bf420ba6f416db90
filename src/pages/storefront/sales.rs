//! The shopper's cart and checkout: `Add to Cart` on cards and product pages, the cart page,
//! the checkout in steps, and the success page. Every amount shown comes from the server,
//! priced for the shopper's group; the browser only sends products, quantities and addresses.

use super::context::{auth_version, bump_cart, cart_version, price, store_code};
use crate::api::sales::{get_cart, get_checkout, AddToCart, PlaceOrder, RemoveFromCart, UpdateCart};
use crate::components::form::{provide_outcome, CheckboxField, FieldMessage, TextField};
use crate::components::{loaded, ErrorMessage, SuccessMessage};
use crate::domain::forms::fields::{cart_line as line, place_order as po};
use crate::domain::forms::FieldName;
use crate::domain::sales::{Address, Cart, CHECK_MONEY_ORDER, COUNTRIES, FLAT_RATE, MAX_QTY};
use crate::domain::store::store_href;
use crate::l10n::{current, full_name};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `Add to Cart` for one product: a quantity box on the product page, one unit from a card.
/// Out of stock, the button is disabled (and the server refuses anyway).
#[component]
pub fn AddToCartForm(product: i64, name: String, in_stock: bool, with_qty: bool) -> impl IntoView {
    let code = store_code();
    let add = ServerAction::<AddToCart>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            bump_cart();
        }
    });
    let qty = if with_qty {
        view! {
            <div class="field qty">
                <label for=format!("qty-{product}")>{tr!(store.cart.qty)}</label>
                <input id=format!("qty-{product}") type="number" name=line::qty.input value="1" min="1" max=MAX_QTY.to_string() required/>
            </div>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name=line::qty.input value="1"/> }.into_any()
    };
    let added = tr!(store.cart.added, name = name.clone());
    view! {
        <ActionForm action=add attr:class="add-to-cart">
            <input type="hidden" name="store" value=move || code.get()/>
            <input type="hidden" name=line::product.input value=product.to_string()/>
            {qty}
            <button type="submit" class="primary" disabled=!in_stock aria-label=format!("{} {}", tr!(store.cart.add), name)>
                {tr!(store.cart.add)}
            </button>
        </ActionForm>
        {move || match add.value().get() {
            Some(Ok(_)) => view! { <SuccessMessage text=added.clone()/> }.into_any(),
            Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// The header's mini cart: a link to the cart with the count and the subtotal.
#[component]
pub fn MiniCartLink(cart: crate::domain::sales::MiniCart, public: bool, code: String) -> impl IntoView {
    let href = store_href(&code, "/checkout/cart");
    if public {
        // A page from the page cache: the count and subtotal come with the private context.
        return view! {
            <a class="minicart" href=href>
                <span>{tr!(store.cart.mini)}</span>
                " "<span class="count" aria-hidden="true"></span>
                " "<span class="subtotal" aria-hidden="true"></span>
            </a>
        }
        .into_any();
    }
    let subtotal = price(&cart.currency, cart.subtotal);
    let label = tr!(store.cart.mini_label, count = cart.count, subtotal = subtotal.clone());
    view! {
        <a class="minicart" href=href aria-label=label>
            <span aria-hidden="true">{tr!(store.cart.mini)}</span>
            " "<span class="count" aria-hidden="true">{cart.count}</span>
            " "<span class="subtotal" aria-hidden="true">{subtotal}</span>
        </a>
    }
    .into_any()
}

/// The cart page: a table of lines (a list on a phone), each with its quantity box and
/// `Remove`, and the summary with `Proceed to Checkout`.
#[component]
pub fn CartPage() -> impl IntoView {
    let code = store_code();
    let update = ServerAction::<UpdateCart>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) || matches!(remove.value().get(), Some(Ok(_))) {
            bump_cart();
        }
    });
    let cart = crate::api::load(move || (code.get(), cart_version(), auth_version()), |(s, _, _)| get_cart(s));
    view! {
        <Title text=tr!(store.cart.title)/>
        <h1>{tr!(store.cart.title)}</h1>
        {move || update.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
        {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
        {loaded(cart, move |cart: Cart| {
            let code = code.get_untracked();
            if cart.lines.is_empty() {
                return view! {
                    <p class="empty">{tr!(store.cart.empty)}</p>
                    <a href=store_href(&code, "/")>{tr!(store.cart.continue_shopping)}</a>
                }.into_any();
            }
            let currency = cart.currency.clone();
            let rows = cart.lines.clone().into_iter().map(|l| {
                let (code_a, code_b) = (code.clone(), code.clone());
                let (product_a, product_b) = (l.product_id.to_string(), l.product_id.to_string());
                let qty_label = tr!(store.cart.qty_of, name = l.name.clone());
                let remove_label = tr!(store.cart.remove_item, name = l.name.clone());
                let href = store_href(&code, &format!("/product/{}", l.url_key));
                let qty_id = format!("cart-qty-{}", l.product_id);
                let note = if !l.available {
                    Some(tr!(store.cart.unavailable))
                } else if l.qty > l.stock {
                    Some(tr!(store.cart.not_enough, count = l.stock))
                } else {
                    None
                };
                view! {
                    <tr>
                        <td data-label=tr!(store.cart.item)>
                            <a href=href>{l.name.clone()}</a>
                            {note.map(|n| view! { <p class="line-note" role="note">{n}</p> })}
                        </td>
                        <td data-label=tr!(store.cart.price)>{price(&currency, l.price)}</td>
                        <td data-label=tr!(store.cart.qty)>
                            <ActionForm action=update attr:class="inline qty-form">
                                <input type="hidden" name="store" value=code_a/>
                                <input type="hidden" name=line::product.input value=product_a/>
                                <label for=qty_id.clone() class="visually-hidden">{qty_label}</label>
                                <input id=qty_id type="number" name=line::qty.input value=l.qty.to_string() min="1" max=MAX_QTY.to_string() required/>
                                <button type="submit">{tr!(store.cart.update)}</button>
                            </ActionForm>
                        </td>
                        <td data-label=tr!(store.cart.subtotal)>{price(&currency, l.row_total)}</td>
                        <td>
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="store" value=code_b/>
                                <input type="hidden" name="product" value=product_b/>
                                <button type="submit" class="link" aria-label=remove_label>{tr!(store.cart.remove)}</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }).collect_view();
            view! {
                <div class="cart-layout">
                    <table class="cart-table">
                        <thead><tr>
                            <th scope="col">{tr!(store.cart.item)}</th>
                            <th scope="col">{tr!(store.cart.price)}</th>
                            <th scope="col">{tr!(store.cart.qty)}</th>
                            <th scope="col">{tr!(store.cart.subtotal)}</th>
                            <th scope="col"><span class="visually-hidden">{tr!(store.cart.remove)}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <section class="box cart-summary" aria-labelledby="cart-summary">
                        <h2 id="cart-summary">{tr!(store.cart.summary)}</h2>
                        <p class="total-line"><span>{tr!(store.cart.subtotal)}</span><strong>{price(&currency, cart.subtotal)}</strong></p>
                        <a class="button primary" href=store_href(&code, "/checkout")>{tr!(store.cart.proceed)}</a>
                    </section>
                </div>
            }.into_any()
        })}
    }
}

/// An address's fields (the checkout's new address, the Address Book's form). `required`
/// says whether they must be filled (the checkout's only when `New Address` is chosen).
#[component]
pub fn AddressFields(
    value: Address,
    /// The form's field names, by address field.
    names: fn(&'static str) -> FieldName,
    #[prop(into)] required: Signal<bool>,
) -> impl IntoView {
    let field = move |key: &'static str, label: String, value: String, always: bool, autocomplete: &'static str| {
        let name = names(key);
        let id = format!("address-{key}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type="text" name=name.input value=value maxlength="255" autocomplete=autocomplete
                    required=move || always && required.get()/>
                <FieldMessage field=name/>
            </div>
        }
    };
    let locale = current();
    let chosen = value.country_id.clone();
    let countries = COUNTRIES
        .iter()
        .map(|c| {
            let label = if locale == crate::l10n::locale::Locale::zh_Hant_TW { c.name_zh } else { c.name_en };
            view! { <option value=c.code selected=c.code == chosen>{label}</option> }
        })
        .collect_view();
    let country = names("country_id");
    view! {
        {field("first_name", tr!(store.address.first_name), value.first_name.clone(), true, "given-name")}
        {field("last_name", tr!(store.address.last_name), value.last_name.clone(), true, "family-name")}
        {field("company", tr!(store.address.company), value.company.clone(), false, "organization")}
        {field("street", tr!(store.address.street), value.street.clone(), true, "street-address")}
        {field("city", tr!(store.address.city), value.city.clone(), true, "address-level2")}
        {field("region", tr!(store.address.region), value.region.clone(), false, "address-level1")}
        {field("postcode", tr!(store.address.postcode), value.postcode.clone(), false, "postal-code")}
        <div class="field">
            <label for="address-country">{tr!(store.address.country)}</label>
            <select id="address-country" name=country.input required=move || required.get() autocomplete="country">
                <option value="">{tr!(store.address.choose_country)}</option>
                {countries}
            </select>
            <FieldMessage field=country/>
        </div>
        {field("telephone", tr!(store.address.telephone), value.telephone.clone(), true, "tel")}
    }
}

fn place_order_field(key: &'static str) -> FieldName {
    match key {
        "first_name" => po::first_name,
        "last_name" => po::last_name,
        "company" => po::company,
        "street" => po::street,
        "city" => po::city,
        "region" => po::region,
        "postcode" => po::postcode,
        "country_id" => po::country_id,
        _ => po::telephone,
    }
}

/// An address as lines of text.
#[component]
pub fn AddressText(address: Address) -> impl IntoView {
    let country = crate::domain::sales::country_by_code(&address.country_id)
        .map(|c| if current() == crate::l10n::locale::Locale::zh_Hant_TW { c.name_zh } else { c.name_en })
        .unwrap_or_default();
    let place = [address.city.as_str(), address.region.as_str(), address.postcode.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <address>
            {full_name(current(), &address.first_name, &address.last_name)}<br/>
            {(!address.company.is_empty()).then(|| view! { {address.company.clone()}<br/> })}
            {address.street.clone()}<br/>
            {place}<br/>
            {country}<br/>
            {address.telephone.clone()}
        </address>
    }
}

/// The checkout: shipping address, shipping method, payment method and the order review in
/// numbered steps on one page, then `Place Order`.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let code = store_code();
    let place = ServerAction::<PlaceOrder>::new();
    let value = Signal::derive(move || place.value().get());
    provide_outcome(value);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(placed)) = place.value().get() {
            bump_cart();
            let to = format!("/checkout/onepage/success?order={}&id={}", placed.increment_id, placed.order_id);
            navigate(&store_href(&code.get_untracked(), &to), Default::default());
        }
    });
    let checkout = crate::api::load(move || (code.get(), auth_version()), |(s, _)| get_checkout(s));
    view! {
        <Title text=tr!(store.checkout.title)/>
        <h1>{tr!(store.checkout.title)}</h1>
        {move || place.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
        {loaded(checkout, move |c| {
            let code = code.get_untracked();
            if c.cart.lines.is_empty() {
                return view! {
                    <p class="empty">{tr!(store.cart.empty)}</p>
                    <a href=store_href(&code, "/")>{tr!(store.cart.continue_shopping)}</a>
                }.into_any();
            }
            let currency = c.cart.currency.clone();
            let guest = c.email.is_none();
            let default = c.addresses.iter().find(|a| a.default_shipping).or(c.addresses.first()).map(|a| a.id.to_string());
            let chosen = RwSignal::new(default.clone().unwrap_or_else(|| "new".into()));
            let is_new = Signal::derive(move || chosen.get() == "new");
            let saved = c.addresses.iter().map(|a| {
                let id = a.id.to_string();
                let radio = format!("ship-{id}");
                let value = id.clone();
                let on = default.as_deref() == Some(id.as_str());
                view! {
                    <div class="choice">
                        <input type="radio" id=radio.clone() name=po::address_id.input value=id checked=on
                            on:change=move |_| chosen.set(value.clone())/>
                        <label for=radio><AddressText address=a.address.clone()/></label>
                    </div>
                }
            }).collect_view();
            let has_saved = !c.addresses.is_empty();
            let review = c.cart.lines.iter().map(|l| view! {
                <tr>
                    <td>{l.name.clone()}</td>
                    <td>{l.qty}</td>
                    <td>{price(&currency, l.row_total)}</td>
                </tr>
            }).collect_view();
            let rate = c.flat_rate;
            view! {
                <ActionForm action=place attr:class="form checkout">
                    <input type="hidden" name="store" value=code.clone()/>
                    <input type="hidden" name=po::checkout_key.input value=c.checkout_key.clone()/>
                    <ol class="checkout-steps" aria-label=tr!(store.checkout.steps)>
                        <li>
                            <fieldset>
                                <legend>{tr!(store.checkout.shipping_address)}</legend>
                                {guest.then(|| view! {
                                    <TextField field=po::email label=tr!(store.checkout.email) kind="email" required=true autocomplete="email" maxlength=255/>
                                    <p class="hint"><a href=store_href(&code, "/customer/account/login")>{tr!(store.checkout.sign_in_hint)}</a></p>
                                })}
                                {(!guest).then(|| view! { <input type="hidden" name=po::email.input value=""/> })}
                                {has_saved.then(|| view! {
                                    {saved}
                                    <div class="choice">
                                        <input type="radio" id="ship-new" name=po::address_id.input value="new"
                                            on:change=move |_| chosen.set("new".into())/>
                                        <label for="ship-new">{tr!(store.checkout.new_address)}</label>
                                    </div>
                                })}
                                {(!has_saved).then(|| view! { <input type="hidden" name=po::address_id.input value="new"/> })}
                                <FieldMessage field=po::address_id/>
                                <div class="new-address" hidden=move || !is_new.get()>
                                    <AddressFields value=Address::default() names=place_order_field required=is_new/>
                                    {if guest {
                                        view! { <input type="hidden" name=crate::domain::forms::checkbox_input(po::save_address) value="false"/> }.into_any()
                                    } else {
                                        view! { <CheckboxField field=po::save_address label=tr!(store.checkout.save_address) checked=true/> }.into_any()
                                    }}
                                </div>
                            </fieldset>
                        </li>
                        <li>
                            <fieldset>
                                <legend>{tr!(store.checkout.shipping_method)}</legend>
                                {match rate {
                                    Some(r) => view! {
                                        <div class="choice">
                                            <input type="radio" id="ship-flat" name=po::shipping_method.input value=FLAT_RATE checked/>
                                            <label for="ship-flat">{tr!(store.checkout.flat_rate)}" · "{tr!(store.checkout.flat_rate_note, amount = price(&currency, r))}</label>
                                        </div>
                                    }.into_any(),
                                    None => view! {
                                        <p class="message error" role="alert">{tr!(store.checkout.unavailable)}</p>
                                        <input type="hidden" name=po::shipping_method.input value=""/>
                                    }.into_any(),
                                }}
                                <FieldMessage field=po::shipping_method/>
                            </fieldset>
                        </li>
                        <li>
                            <fieldset>
                                <legend>{tr!(store.checkout.payment_method)}</legend>
                                <div class="choice">
                                    <input type="radio" id="pay-checkmo" name=po::payment_method.input value=CHECK_MONEY_ORDER checked/>
                                    <label for="pay-checkmo">{tr!(store.checkout.check_money_order)}</label>
                                </div>
                                <FieldMessage field=po::payment_method/>
                            </fieldset>
                        </li>
                        <li>
                            <section aria-labelledby="order-review">
                                <h2 id="order-review">{tr!(store.checkout.review)}</h2>
                                <table class="review-table">
                                    <thead><tr>
                                        <th scope="col">{tr!(store.cart.item)}</th>
                                        <th scope="col">{tr!(store.cart.qty)}</th>
                                        <th scope="col">{tr!(store.cart.subtotal)}</th>
                                    </tr></thead>
                                    <tbody>{review}</tbody>
                                </table>
                                <p class="total-line"><span>{tr!(store.cart.subtotal)}</span><span>{price(&currency, c.cart.subtotal)}</span></p>
                                <p class="total-line"><span>{tr!(store.checkout.shipping)}</span><span>{price(&currency, c.shipping)}</span></p>
                                <p class="total-line grand"><span>{tr!(store.checkout.order_total)}</span><strong>{price(&currency, c.grand_total)}</strong></p>
                            </section>
                        </li>
                    </ol>
                    <button type="submit" class="primary" disabled=rate.is_none()>{tr!(store.checkout.place)}</button>
                </ActionForm>
            }.into_any()
        })}
    }
}

/// After `Place Order`: the order's number, and a link to it for a signed-in shopper.
#[component]
pub fn SuccessPage() -> impl IntoView {
    let code = store_code();
    let query = use_query_map();
    // Only digits are shown: the address is the shopper's own, but it is still typed text.
    let number = move || {
        query.with(|q| q.get("order").unwrap_or_default()).chars().filter(char::is_ascii_digit).collect::<String>()
    };
    let id = move || query.with(|q| q.get("id").and_then(|i| i.parse::<i64>().ok()));
    let signed_in = move || use_context::<super::context::StoreContext>().map(|super::context::StoreContext(ctx)| ctx);
    view! {
        <Title text=tr!(store.checkout.success_title)/>
        <h1>{tr!(store.checkout.success_title)}</h1>
        <p>{move || tr!(store.checkout.order_number, number = number())}</p>
        <p>{tr!(store.checkout.email_note)}</p>
        <Suspense fallback=|| ()>{move || Suspend::new(async move {
            let ctx = signed_in()?.await.ok()?;
            ctx.customer?;
            let id = id()?;
            Some(view! { <a class="button" href=store_href(&code.get_untracked(), &format!("/sales/order/view/{id}"))>{tr!(store.checkout.view_order)}</a> })
        })}</Suspense>
        <p><a href=move || store_href(&code.get(), "/")>{tr!(store.cart.continue_shopping)}</a></p>
    }
}
