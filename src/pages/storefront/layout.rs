use super::context::{store_code, AuthVersion, CartVersion, StoreContext};
use crate::api::catalog::top_categories;
use crate::api::storefront::{get_store_view, get_storefront_context, CloseAssistance, CustomerSignOut};
use crate::components::ErrorMessage;
use crate::components::NotFound;
use crate::domain::assist::Banner;
use crate::domain::error::AppError;
use crate::domain::model::CustomerMe;
use crate::domain::store::store_href;
use crate::l10n::{current, end_reason, full_name};
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_navigate;

/// Header (store name, account links), the page, and a footer; the 404 page for an
/// unknown store code. The store view is its own resource, keyed only on the code, so
/// signing in or out reloads the header without re-rendering the page.
#[component]
pub fn StoreLayout() -> impl IntoView {
    let code = store_code();
    let auth = RwSignal::new(0u32);
    provide_context(AuthVersion(auth));
    let cart = RwSignal::new(0u32);
    provide_context(CartVersion(cart));
    let store = crate::api::load(move || code.get(), get_store_view);
    let categories = crate::api::load(move || code.get(), top_categories);
    // A page from the page cache came with the public context: the private one (name, cart,
    // banner) is asked for once the page runs, and fills the same places.
    let private = RwSignal::new(0u32);
    let context = crate::api::load(
        move || (code.get(), auth.get(), cart.get(), private.get()),
        |(code, _, _, _)| get_storefront_context(code),
    );
    provide_context(StoreContext(context));
    Effect::new(move |_| {
        if let Some(Ok(ctx)) = context.get() {
            if ctx.public {
                private.update(|n| *n += 1);
            }
        }
    });
    let sign_out = ServerAction::<CustomerSignOut>::new();
    let close = ServerAction::<CloseAssistance>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            auth.update(|n| *n += 1);
            navigate(&store_href(&code.get_untracked(), "/"), Default::default());
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(to)) = close.value().get() {
            auth.update(|n| *n += 1);
            navigate(crate::domain::store::on_this_site(&to), Default::default());
        }
    });
    // Shown above the header while an admin assists: rendered on the server with every page.
    let banner = move || {
        Suspend::new(async move {
            let ctx = context.await.ok()?;
            let notice = ctx.notice.map(|r| {
                let reason = end_reason(current(), r);
                view! { <div class="message notice" role="status">{tr!(store.ended, reason = reason)}</div> }
            });
            let banner = ctx.assisted.map(|b| view! { <AssistBanner banner=b code=code.get_untracked() close/> });
            Some(view! { {banner}{notice} })
        })
    };
    // Links in suspended views are plain anchors (the router still handles their clicks): a
    // render abandoned by a client that left has lost its router context by the time the
    // data arrives, and `<A>` panics without it, which aborts the whole server.
    let header = move || {
        Suspend::new(async move {
            match context.await {
                Ok(ctx) => {
                    let code = code.get_untracked();
                    view! {
                        <a class="logo" href=store_href(&code, "/")>{ctx.store.website_name.clone()}" · "{ctx.store.name.clone()}</a>
                        <AccountLinks customer=ctx.customer member=ctx.member assisted=ctx.assisted.is_some() code=code.clone() sign_out/>
                        <super::sales::MiniCartLink cart=ctx.cart public=ctx.public code/>
                    }
                    .into_any()
                }
                Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
            }
        })
    };
    // The top-level categories: public, so a page from the page cache keeps them.
    let menu = move || {
        Suspend::new(async move {
            let code = code.get_untracked();
            categories.await.ok().map(|all| {
                let items = all
                    .into_iter()
                    .map(|c| {
                        let href = store_href(&code, &format!("/category/{}", c.url_key));
                        view! { <li><a href=href>{c.name}</a></li> }
                    })
                    .collect_view();
                view! { <ul>{items}</ul> }
            })
        })
    };
    // The page (the Outlet) is not inside a suspended view: were it, each time that view
    // resolved it would build the page again, and the page would load its data again (three
    // times per request, measured). An unknown store code shows the 404 page above it.
    let missing = move || {
        Suspend::new(async move {
            match store.await {
                Ok(_) => ().into_any(),
                Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
            }
        })
    };
    view! {
        <div class="storefront">
            <Suspense fallback=|| ()>{banner}</Suspense>
            <header class="store-header">
                <Suspense fallback=|| ()>{header}</Suspense>
                <super::catalog::SearchBox code/>
            </header>
            <nav class="store-menu" aria-label=tr!(store.header.categories)>
                <Suspense fallback=|| ()>{menu}</Suspense>
            </nav>
            <Suspense fallback=|| ()>{missing}</Suspense>
            <main class="store-main">
                <Outlet/>
            </main>
            <footer class="store-footer">{tr!(store.footer)}</footer>
        </div>
    }
}

/// The banner while an admin assists (SPEC §2): whose account, on which website, the time
/// left, and `Close Session`.
#[component]
fn AssistBanner(banner: Banner, code: String, close: ServerAction<CloseAssistance>) -> impl IntoView {
    let name = full_name(current(), &banner.customer_first_name, &banner.customer_last_name);
    view! {
        <div class="assist-banner" role="region" aria-label=tr!(store.banner.region)>
            <p>
                <strong>{tr!(store.banner.connected, name = name, website = banner.website_name.clone())}</strong>
                <span class="time-left">{tr!(store.banner.minutes_left, count = banner.minutes_left)}</span>
            </p>
            <ActionForm action=close attr:class="inline">
                <input type="hidden" name="store" value=code/>
                <button type="submit">{tr!(store.banner.close)}</button>
            </ActionForm>
            {move || close.value().get().and_then(Result::err).map(|e| view! { <ErrorMessage error=e/> })}
        </div>
    }
}

/// The header's account links: the greeting, My Account and sign-out for a signed-in shopper
/// (while assisting, the banner's `Close Session` signs out instead), sign-in and
/// registration for a guest. Plain anchors (see the header's comment).
#[component]
fn AccountLinks(
    customer: Option<CustomerMe>,
    /// Signed in, on a page from the page cache (no name yet): a plain link to the account.
    member: bool,
    assisted: bool,
    code: String,
    sign_out: ServerAction<CustomerSignOut>,
) -> impl IntoView {
    view! {
        <nav class="account-links" aria-label=tr!(store.header.account)>
            {match customer {
                Some(me) => view! {
                    <span class="greeting">{tr!(store.header.welcome, name = full_name(current(), &me.first_name, &me.last_name))}</span>
                    <a href=store_href(&code, "/customer/account")>{tr!(store.header.my_account)}</a>
                    {(!assisted).then(|| view! {
                        <ActionForm action=sign_out attr:class="inline">
                            <button type="submit" class="link">{tr!(store.header.sign_out)}</button>
                        </ActionForm>
                    })}
                }.into_any(),
                // `Sign Out` is there already (any member may sign out), so that nothing
                // moves when the name arrives.
                None if member => view! {
                    <span class="greeting"></span>
                    <a href=store_href(&code, "/customer/account")>{tr!(store.header.my_account)}</a>
                    <ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="link">{tr!(store.header.sign_out)}</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <a href=store_href(&code, "/customer/account/login")>{tr!(store.header.sign_in)}</a>
                    <a href=store_href(&code, "/customer/account/create")>{tr!(store.header.create_account)}</a>
                }.into_any(),
            }}
        </nav>
    }
}
