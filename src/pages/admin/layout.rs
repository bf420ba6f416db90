use crate::api::admin_auth::{get_admin_me, AdminSignIn, AdminSignOut};
use crate::components::form::TextField;
use crate::components::{ErrorMessage, Outcome};
use crate::domain::acl::{visible_menu, Grant};
use crate::domain::error::AppError;
use crate::domain::forms::fields::sign_in as f;
use crate::domain::model::AdminMe;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::{lazy_route, LazyRoute};

/// The admin frame: the sign-in form for visitors; the menu (what the role allows) and the
/// page for signed-in admins.
pub struct AdminLayout {
    me: Resource<Result<Option<AdminMe>, AppError>>,
    sign_in: ServerAction<AdminSignIn>,
    sign_out: ServerAction<AdminSignOut>,
}

#[lazy_route]
impl LazyRoute for AdminLayout {
    fn data() -> Self {
        let sign_in = ServerAction::<AdminSignIn>::new();
        let sign_out = ServerAction::<AdminSignOut>::new();
        let me = Resource::new(move || (sign_in.version().get(), sign_out.version().get()), |_| get_admin_me());
        AdminLayout { me, sign_in, sign_out }
    }

    fn view(this: Self) -> AnyView {
        let AdminLayout { me, sign_in, sign_out } = this;
        view! {
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match me.await {
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
        <Title text="Admin"/>
        <main class="admin-login">
            <ActionForm action=sign_in attr:class="form login-box">
                <h1>"Welcome, please sign in"</h1>
                <TextField field=f::username label="Username" required=true autocomplete="username"/>
                <TextField field=f::password label="Password" kind="password" required=true autocomplete="current-password"/>
                <Outcome value=Signal::derive(move || sign_in.value().get())/>
                <button type="submit" class="primary">"Sign in"</button>
            </ActionForm>
        </main>
    }
}

#[component]
fn Frame(me: AdminMe, sign_out: ServerAction<AdminSignOut>) -> impl IntoView {
    let grant = Grant::custom(me.resources.iter().copied());
    let menu = visible_menu(&grant);
    view! {
        <div class="admin">
            <nav class="admin-menu" aria-label="Admin menu">
                <a class="admin-logo" href="/admin">"shopassist"</a>
                <ul>
                    {menu.into_iter().map(|(section, items)| view! {
                        <li>
                            <span class="menu-section">{section}</span>
                            <ul>
                                {items.into_iter().map(|i| view! { <li><A href=i.href>{i.label}</A></li> }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="admin-body">
                <header class="admin-header">
                    <span class="admin-user">{me.first_name.clone()}" "{me.last_name.clone()}" ("{me.username.clone()}")"</span>
                    <ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="link">"Sign Out"</button>
                    </ActionForm>
                </header>
                <main class="admin-main">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}
