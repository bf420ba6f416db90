use crate::api::admin_auth::{get_admin_me, AdminSignIn, AdminSignOut};
use crate::components::form::TextField;
use crate::components::{ErrorMessage, Outcome};
use crate::domain::acl::{visible_menu, Grant};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::sign_in as f;
use crate::domain::model::AdminMe;
use crate::l10n::current;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::{lazy_route, LazyRoute};

/// The admin frame: the sign-in form for visitors; the menu (what the role allows) and the
/// page for signed-in admins.
pub struct AdminLayout {
    me: Resource<Result<Deferred<Option<AdminMe>>, AppError>>,
    /// Sign-ins and sign-outs done on this page: each reloads `me`.
    signed: RwSignal<u32>,
}

#[lazy_route]
impl LazyRoute for AdminLayout {
    fn data() -> Self {
        let signed = RwSignal::new(0u32);
        let me = crate::api::load(move || signed.get(), |_| get_admin_me());
        AdminLayout { me, signed }
    }

    fn view(this: Self) -> AnyView {
        let AdminLayout { me, signed } = this;
        crate::l10n::admin_messages(crate::l10n::admin_message::message);
        // The actions are made here, in the lazy view, so their form encoding comes with the
        // admin's chunk.
        let sign_in = ServerAction::<AdminSignIn>::new();
        let sign_out = ServerAction::<AdminSignOut>::new();
        // A sign-in or sign-out changes the panel's language (the admin's `Interface Locale`,
        // or the browser's on the sign-in page): the page is loaded again, rendered in it.
        Effect::new(move |done: Option<(usize, usize)>| {
            let now = (sign_in.version().get(), sign_out.version().get());
            let succeeded = matches!(sign_in.value().get_untracked(), Some(Ok(())))
                || matches!(sign_out.value().get_untracked(), Some(Ok(())));
            if done.is_some_and(|done| done != now) {
                if succeeded {
                    let _ = window().location().reload();
                } else {
                    signed.update(|n| *n += 1);
                }
            }
            now
        });
        view! {
            <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match me.await.and_then(|me| me.decode()) {
                        Ok(Some(me)) => view! { <Frame me sign_out/> }.into_any(),
                        Ok(None) => view! { <SignIn sign_in/> }.into_any(),
                        Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn SignIn(sign_in: ServerAction<AdminSignIn>) -> impl IntoView {
    view! {
        <Title text=tr!(admin.admin)/>
        <main class="admin-login">
            <ActionForm action=sign_in attr:class="form login-box">
                <h1>{tr!(admin.sign_in.welcome)}</h1>
                <TextField field=f::username label=tr!(admin.sign_in.username) required=true autocomplete="username"/>
                <TextField field=f::password label=tr!(admin.sign_in.password) kind="password" required=true autocomplete="current-password"/>
                <Outcome value=Signal::derive(move || sign_in.value().get())/>
                <button type="submit" class="primary">{tr!(admin.sign_in.submit)}</button>
            </ActionForm>
        </main>
    }
}

#[component]
fn Frame(me: AdminMe, sign_out: ServerAction<AdminSignOut>) -> impl IntoView {
    let grant = Grant::custom(me.resources.iter().copied());
    let menu = visible_menu(&grant);
    let locale = current();
    view! {
        <div class="admin">
            <nav class="admin-menu" aria-label=tr!(admin.menu_label)>
                <a class="admin-logo" href="/admin">"shopassist"</a>
                <ul>
                    {menu.into_iter().map(|(section, items)| view! {
                        <li>
                            <span class="menu-section">{section(locale)}</span>
                            <ul>
                                {items.into_iter().map(|i| view! { <li><A href=i.href>{(i.label)(locale)}</A></li> }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="admin-body">
                <header class="admin-header">
                    <A href="/admin/system/account" attr:class="admin-user">{crate::l10n::full_name(locale, &me.first_name, &me.last_name)}" ("{me.username.clone()}")"</A>
                    <ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="link">{tr!(admin.sign_out)}</button>
                    </ActionForm>
                </header>
                <main class="admin-main">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}
