//! Browsing the catalog: the home page's featured products, category pages, product pages and
//! search. Every price is the viewer's customer group's, in the store view's currency.

use super::context::{price, store_code};
use super::sales::AddToCartForm;
use crate::api::catalog::{featured_products, get_category, get_product, search_products};
use crate::components::ErrorMessage;
use crate::domain::catalog::{CategoryLink, Listing, ProductCard, SortBy};
use crate::domain::error::AppError;
use crate::domain::store::store_href;
use crate::l10n::{current, number};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Renders `ok` with the loaded page, a not-found page (404) for a missing category or product,
/// or the error.
fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    ok: impl Fn(T) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
            {move || {
                let ok = ok.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(v) => ok(v).into_any(),
                        // An unknown store code: the layout shows the not-found page already.
                        Err(AppError::NotFound(msg)) if *msg == crate::domain::msg::Msg::StoreNotFound => ().into_any(),
                        Err(e @ AppError::NotFound(_)) => {
                            #[cfg(feature = "ssr")]
                            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                                res.set_status(axum::http::StatusCode::NOT_FOUND);
                            }
                            view! {
                                <Title text=tr!(common.not_found.title)/>
                                <h1>{tr!(common.not_found.heading)}</h1>
                                <ErrorMessage error=e/>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

use super::context::auth_version as auth;

/// A product's drawing as an image address: an `<img>` never runs what an SVG holds.
pub(super) fn image_src(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml;charset=utf-8,");
    for b in svg.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b' ' | b'=' | b':' | b'/' | b'.' | b'-' | b',' | b'(' | b')' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One product in a grid: drawing, name, price, stock.
#[component]
fn Card(product: ProductCard, currency: String, code: String) -> impl IntoView {
    let href = store_href(&code, &format!("/product/{}", product.url_key));
    view! {
        <li class="product-card">
            <a href=href.clone() class="product-image" tabindex="-1" aria-hidden="true">
                <img src=image_src(&product.image_svg) alt="" width="240" height="240" loading="lazy"/>
            </a>
            <a href=href class="product-name">{product.name.clone()}</a>
            <p class="price">{price(&currency, product.price)}</p>
            <p class=if product.in_stock { "stock in-stock" } else { "stock out-of-stock" }>
                {if product.in_stock { tr!(store.catalog.in_stock) } else { tr!(store.catalog.out_of_stock) }}
            </p>
            <AddToCartForm product=product.id name=product.name.clone() in_stock=product.in_stock with_qty=false/>
        </li>
    }
}

/// A grid of product cards, or a line saying there are none.
#[component]
fn ProductGrid(listing: Listing, code: String) -> impl IntoView {
    if listing.products.is_empty() {
        return view! { <p class="empty">{tr!(store.catalog.empty)}</p> }.into_any();
    }
    let currency = listing.currency.clone();
    view! {
        <ul class="product-grid">
            {listing.products.into_iter().map(|p| view! { <Card product=p currency=currency.clone() code=code.clone()/> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Previous and next links around `page of pages`, each to `href(page)`.
#[component]
fn Pager(page: i64, pages: i64, href: impl Fn(i64) -> String + 'static) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=tr!(store.catalog.pages)>
                {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1)>{tr!(store.catalog.previous)}</a> })}
                <span>{tr!(store.catalog.page_of, page = number(current(), page), pages = number(current(), pages))}</span>
                {(page < pages).then(|| view! { <a rel="next" href=href(page + 1)>{tr!(store.catalog.next)}</a> })}
            </nav>
        }
    })
}

/// The path from the home page to the current page.
#[component]
fn Breadcrumbs(trail: Vec<CategoryLink>, here: String, code: String) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label=tr!(store.catalog.breadcrumbs)>
            <ol>
                <li><a href=store_href(&code, "/")>{tr!(store.home.title)}</a></li>
                {trail.into_iter().map(|c| view! {
                    <li><a href=store_href(&code, &format!("/category/{}", c.url_key))>{c.name}</a></li>
                }).collect_view()}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}

/// The home page: a welcome and the featured products.
#[component]
pub fn HomePage() -> impl IntoView {
    let code = store_code();
    let featured = crate::api::load(move || (code.get(), auth()), |(store, _)| featured_products(store));
    view! {
        <Title text=tr!(store.home.title)/>
        <Link rel="canonical" href=store_href(&code.get_untracked(), "/")/>
        <h1>{tr!(store.home.title)}</h1>
        <p>{tr!(store.home.welcome)}</p>
        <section aria-labelledby="featured">
            <h2 id="featured">{tr!(store.catalog.featured)}</h2>
            {loaded(featured, move |listing| view! { <ProductGrid listing code=code.get_untracked()/> })}
        </section>
    }
}

/// A category's products, sorted and paged by the address (`?sort=price&page=2`).
#[component]
pub fn CategoryPage() -> impl IntoView {
    let code = store_code();
    let params = use_params_map();
    let query = use_query_map();
    let source = move || {
        let key = params.with(|p| p.get("key").unwrap_or_default());
        let (sort, page) = query.with(|q| (q.get("sort").unwrap_or_default(), q.get("page").unwrap_or_default()));
        (code.get(), key, sort, page, auth())
    };
    let category = crate::api::load(source, |(store, key, sort, page, _)| get_category(store, key, sort, page));
    view! {
        {loaded(category, move |c| {
            let code = code.get_untracked();
            let base = store_href(&code, &format!("/category/{}", c.category.url_key));
            let sort = c.sort;
            let link = {
                let base = base.clone();
                move |s: SortBy, page: i64| {
                    let mut q = Vec::new();
                    if s != SortBy::Position {
                        q.push(format!("sort={}", s.code()));
                    }
                    if page > 1 {
                        q.push(format!("page={page}"));
                    }
                    if q.is_empty() { base.clone() } else { format!("{base}?{}", q.join("&")) }
                }
            };
            let sorts = SortBy::ALL.map(|s| {
                let label = match s {
                    SortBy::Position => tr!(store.catalog.sort_position),
                    SortBy::Name => tr!(store.catalog.sort_name),
                    SortBy::Price => tr!(store.catalog.sort_price),
                };
                let current = (s == sort).then_some("true");
                view! { <li><a href=link(s, 1) aria-current=current>{label}</a></li> }
            });
            let pager = {
                let link = link.clone();
                move |page: i64| link(sort, page)
            };
            let canonical = link(sort, c.listing.page);
            view! {
                <Title text=c.category.name.clone()/>
                <Link rel="canonical" href=canonical/>
                <Breadcrumbs trail=c.breadcrumbs.clone() here=c.category.name.clone() code=code.clone()/>
                <h1>{c.category.name.clone()}</h1>
                {(!c.children.is_empty()).then(|| view! {
                    <ul class="subcategories">
                        {c.children.iter().map(|s| view! {
                            <li><a href=store_href(&code, &format!("/category/{}", s.url_key))>{s.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                })}
                <div class="toolbar">
                    <p class="count">{tr!(store.catalog.items, count = c.listing.total)}</p>
                    <nav aria-label=tr!(store.catalog.sort_by)>
                        <span>{tr!(store.catalog.sort_by)}</span>
                        <ul class="sorts">{sorts.into_iter().collect_view()}</ul>
                    </nav>
                </div>
                <ProductGrid listing=c.listing.clone() code=code.clone()/>
                <Pager page=c.listing.page pages=c.listing.pages href=pager/>
            }
        })}
    }
}

/// A product: its drawing, price for the viewer's group, stock, SKU and description.
#[component]
pub fn ProductPage() -> impl IntoView {
    let code = store_code();
    let params = use_params_map();
    let source = move || (code.get(), params.with(|p| p.get("key").unwrap_or_default()), auth());
    let product = crate::api::load(source, |(store, key, _)| get_product(store, key));
    view! {
        {loaded(product, move |p| {
            let code = code.get_untracked();
            let card = p.card.clone();
            view! {
                <Title text=card.name.clone()/>
                <Link rel="canonical" href=store_href(&code, &format!("/product/{}", card.url_key))/>
                <Breadcrumbs trail=p.categories.iter().take(1).cloned().collect() here=card.name.clone() code=code.clone()/>
                <article class="product-page">
                    <img class="product-large" src=image_src(&card.image_svg) alt="" width="480" height="480"/>
                    <div class="product-info">
                        <h1>{card.name.clone()}</h1>
                        <p class="price">
                            {price(&p.currency, card.price)}
                            {p.regular_price.map(|r| view! {
                                " "<span class="regular-price">{tr!(store.catalog.regular_price)}" "<s>{price(&p.currency, r)}</s></span>
                            })}
                        </p>
                        <p class=if card.in_stock { "stock in-stock" } else { "stock out-of-stock" }>
                            {if card.in_stock { tr!(store.catalog.in_stock) } else { tr!(store.catalog.out_of_stock) }}
                        </p>
                        <AddToCartForm product=card.id name=card.name.clone() in_stock=card.in_stock with_qty=true/>
                        <p class="sku">{tr!(store.catalog.sku, sku = card.sku.clone())}</p>
                        <div class="description"><p>{p.description.clone()}</p></div>
                    </div>
                </article>
            }
        })}
    }
}

/// Search results for `?q=` (every word, as a prefix, in name, SKU or description).
#[component]
pub fn SearchPage() -> impl IntoView {
    let code = store_code();
    let query = use_query_map();
    let source = move || {
        let (q, page) = query.with(|m| (m.get("q").unwrap_or_default(), m.get("page").unwrap_or_default()));
        (code.get(), q, page, auth())
    };
    let results = crate::api::load(source, |(store, q, page, _)| search_products(store, q, page));
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    view! {
        <Title text=tr!(store.search.title)/>
        <h1>{move || {
            let q = q();
            if q.trim().is_empty() { tr!(store.search.title) } else { tr!(store.search.results_for, q = q) }
        }}</h1>
        {loaded(results, move |listing| {
            let code = code.get_untracked();
            let base = store_href(&code, "/search");
            let words: String = q();
            let pager = move |page: i64| {
                let mut url = format!("{base}?q={}", encode_query(&words));
                if page > 1 {
                    url.push_str(&format!("&page={page}"));
                }
                url
            };
            let canonical = pager(listing.page);
            view! {
                <Link rel="canonical" href=canonical/>
                <p class="count">{tr!(store.catalog.items, count = listing.total)}</p>
                <ProductGrid listing=listing.clone() code=code.clone()/>
                <Pager page=listing.page pages=listing.pages href=pager/>
            }
        })}
    }
}

/// `s` for a query string.
fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The header's search box: a plain form, so it works before and without the app's script.
#[component]
pub fn SearchBox(code: Memo<String>) -> impl IntoView {
    view! {
        <form class="search" role="search" method="get" action=move || store_href(&code.get(), "/search")>
            <input id="search-q" type="search" name="q" maxlength="128" aria-label=tr!(store.search.label)
                placeholder=tr!(store.search.placeholder)/>
            <button type="submit">{tr!(store.search.submit)}</button>
        </form>
    }
}
