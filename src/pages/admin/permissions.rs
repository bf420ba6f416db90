use crate::api::permissions::{
    admin_user_edit_data, list_admin_users, list_roles, role_edit_data, SaveAdminUser, SaveRole, UserEditData,
};
use crate::components::resource_tree::ResourceTree;
use crate::components::{loaded, successes, ErrorMessage, SuccessMessage};
use crate::domain::error::AppError;
use crate::domain::model::{AdminUserRow, RoleSummary, RoleWithUsers};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::{lazy_route, LazyRoute};

fn param_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()))
}

/// After saving a new record, go to its edit page; show the outcome either way.
fn after_save<T: Clone + Send + Sync + 'static + std::fmt::Display>(
    value: Signal<Option<Result<T, AppError>>>,
    base: &'static str,
    id: Memo<String>,
) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = value.get() {
            if id.get_untracked() == "new" {
                navigate(&format!("{base}/{saved}?saved=1"), Default::default());
            }
        }
    });
}

fn outcome<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    text: &'static str,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || match value.get() {
        Some(Ok(_)) => view! { <SuccessMessage text=text/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        None if query.with(|q| q.get("saved").is_some()) => view! { <SuccessMessage text=text/> }.into_any(),
        None => ().into_any(),
    }
}

/// System > Permissions > All Users.
pub struct UsersPage {
    users: Resource<Result<Vec<AdminUserRow>, AppError>>,
}

#[lazy_route]
impl LazyRoute for UsersPage {
    fn data() -> Self {
        UsersPage { users: Resource::new(|| (), |_| list_admin_users()) }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text="Users"/>
            <h1>"Users"</h1>
            <A href="/admin/system/users/new" attr:class="button primary">"Add New User"</A>
            {loaded(this.users, |users| view! {
                <table class="grid" aria-label="Users">
                    <thead><tr><th>"ID"</th><th>"User Name"</th><th>"First Name"</th><th>"Last Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th></tr></thead>
                    <tbody>
                        {users.into_iter().map(|u| view! {
                            <tr>
                                <td>{u.id}</td>
                                <td><A href=format!("/admin/system/users/{}", u.id)>{u.username}</A></td>
                                <td>{u.first_name}</td><td>{u.last_name}</td><td>{u.email}</td><td>{u.role_name}</td>
                                <td>{if u.is_active { "Active" } else { "Inactive" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        }
        .into_any()
    }
}

/// New or existing admin user.
pub struct UserEditPage {
    data: Resource<Result<UserEditData, AppError>>,
    save: ServerAction<SaveAdminUser>,
    id: Memo<String>,
}

#[lazy_route]
impl LazyRoute for UserEditPage {
    fn data() -> Self {
        let id = param_id();
        let save = ServerAction::<SaveAdminUser>::new();
        let saved = successes(move || save.value().get());
        let data = Resource::new(move || (id.get(), saved.get()), |(id, _)| admin_user_edit_data(id));
        UserEditPage { data, save, id }
    }

    fn view(this: Self) -> AnyView {
        let UserEditPage { data, save, id } = this;
        after_save(Signal::derive(move || save.value().get()), "/admin/system/users", id);
        view! {
            <Title text="User Information"/>
            <A href="/admin/system/users">"Back"</A>
            {outcome(Signal::derive(move || save.value().get()), "You saved the user.")}
            {loaded(data, move |d| {
                let u = d.user.clone();
                let is_new = u.is_none();
                let get = |f: fn(&AdminUserRow) -> String| u.as_ref().map(f).unwrap_or_default();
                let (username, first, last, email) =
                    (get(|u| u.username.clone()), get(|u| u.first_name.clone()), get(|u| u.last_name.clone()), get(|u| u.email.clone()));
                let user_id = get(|u| u.id.to_string());
                let active = u.as_ref().is_none_or(|u| u.is_active);
                let role_id = u.as_ref().map(|u| u.role_id);
                view! {
                    <h1>{if is_new { "New User".to_string() } else { format!("Edit User '{username}'") }}</h1>
                    <ActionForm action=save attr:class="form">
                        <input type="hidden" name="form[id]" value=user_id.clone() prop:value=user_id/>
                        <fieldset>
                            <legend>"Account Information"</legend>
                            <label>"User Name"<input type="text" name="form[username]" required value=username.clone() prop:value=username.clone()/></label>
                            <label>"First Name"<input type="text" name="form[first_name]" required value=first.clone() prop:value=first/></label>
                            <label>"Last Name"<input type="text" name="form[last_name]" required value=last.clone() prop:value=last/></label>
                            <label>"Email"<input type="email" name="form[email]" required value=email.clone() prop:value=email/></label>
                            <label>{if is_new { "Password" } else { "New Password" }}
                                <input type="password" name="form[password]" required=is_new autocomplete="new-password"/></label>
                            <label>"Password Confirmation"<input type="password" name="form[password_confirmation]" required=is_new autocomplete="new-password"/></label>
                            <label class="check">
                                <input type="checkbox" name="form[is_active]" value="1" checked=active prop:checked=active/>
                                "This account is active"
                            </label>
                        </fieldset>
                        <fieldset>
                            <legend>"User Role"</legend>
                            <label>"Role"
                                <select name="form[role_id]" required>
                                    <option value="">"Choose a role"</option>
                                    {d.roles.iter().map(|r| view! {
                                        <option value=r.id.to_string() selected=role_id == Some(r.id)>{r.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        </fieldset>
                        <fieldset>
                            <legend>"Current User Identity Verification"</legend>
                            <label>"Your Password"<input type="password" name="form[current_password]" required autocomplete="current-password"/></label>
                        </fieldset>
                        <button type="submit" class="primary">"Save User"</button>
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}

/// System > Permissions > User Roles.
pub struct RolesPage {
    roles: Resource<Result<Vec<RoleSummary>, AppError>>,
}

#[lazy_route]
impl LazyRoute for RolesPage {
    fn data() -> Self {
        RolesPage { roles: Resource::new(|| (), |_| list_roles()) }
    }

    fn view(this: Self) -> AnyView {
        view! {
            <Title text="Roles"/>
            <h1>"Roles"</h1>
            <A href="/admin/system/roles/new" attr:class="button primary">"Add New Role"</A>
            {loaded(this.roles, |roles| view! {
                <table class="grid" aria-label="Roles">
                    <thead><tr><th>"ID"</th><th>"Role"</th><th>"Resources"</th><th>"Users"</th></tr></thead>
                    <tbody>
                        {roles.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.id}</td>
                                <td><A href=format!("/admin/system/roles/{}", r.id)>{r.name}</A></td>
                                <td>{if r.all_resources { "All" } else { "Custom" }}</td>
                                <td>{r.users}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        }
        .into_any()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RoleTab {
    Info,
    Resources,
    Users,
}

/// New or existing role: Role Info, Role Resources and Role Users.
pub struct RoleEditPage {
    data: Resource<Result<RoleWithUsers, AppError>>,
    save: ServerAction<SaveRole>,
    id: Memo<String>,
}

#[lazy_route]
impl LazyRoute for RoleEditPage {
    fn data() -> Self {
        let id = param_id();
        let save = ServerAction::<SaveRole>::new();
        let saved = successes(move || save.value().get());
        let data = Resource::new(move || (id.get(), saved.get()), |(id, _)| role_edit_data(id));
        RoleEditPage { data, save, id }
    }

    fn view(this: Self) -> AnyView {
        let RoleEditPage { data, save, id } = this;
        after_save(Signal::derive(move || save.value().get()), "/admin/system/roles", id);
        let tab = RwSignal::new(RoleTab::Info);
        view! {
            <Title text="Role Information"/>
            <A href="/admin/system/roles">"Back"</A>
            {outcome(Signal::derive(move || save.value().get()), "You saved the role.")}
            {loaded(data, move |RoleWithUsers { role, users }| {
                let all = RwSignal::new(role.as_ref().is_some_and(|r| r.all_resources));
                let name = role.as_ref().map(|r| r.name.clone()).unwrap_or_default();
                let resources = role.as_ref().map(|r| r.resources.clone()).unwrap_or_default();
                let this_role = role.as_ref().map(|r| r.id);
                let role_id = this_role.map(|id| id.to_string()).unwrap_or_default();
                let tab_button = move |t: RoleTab, label: &'static str| view! {
                    <button type="button" role="tab" aria-selected=move || (tab.get() == t).to_string()
                        on:click=move |_| tab.set(t)>{label}</button>
                };
                view! {
                    <h1>{if role.is_none() { "New Role".to_string() } else { format!("Edit Role '{name}'") }}</h1>
                    <ActionForm action=save attr:class="form">
                        <input type="hidden" name="form[id]" value=role_id.clone() prop:value=role_id/>
                        <div role="tablist" aria-label="Role Information">
                            {tab_button(RoleTab::Info, "Role Info")}
                            {tab_button(RoleTab::Resources, "Role Resources")}
                            {tab_button(RoleTab::Users, "Role Users")}
                        </div>
                        <fieldset role="tabpanel" aria-label="Role Info" hidden=move || tab.get() != RoleTab::Info>
                            <legend>"Role Info"</legend>
                            <label>"Role Name"<input type="text" name="form[name]" required maxlength="100" value=name.clone() prop:value=name.clone()/></label>
                            <h2>"Current User Identity Verification"</h2>
                            <label>"Your Password"<input type="password" name="form[current_password]" required autocomplete="current-password"/></label>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label="Role Resources" hidden=move || tab.get() != RoleTab::Resources>
                            <legend>"Role Resources"</legend>
                            <label>"Resource Access"
                                <select name="form[access]" on:change=move |ev| all.set(event_target_value(&ev) == "all")>
                                    <option value="custom" selected=move || !all.get()>"Custom"</option>
                                    <option value="all" selected=move || all.get()>"All"</option>
                                </select>
                            </label>
                            <div hidden=move || all.get()>
                                <ResourceTree initial=resources.clone() name="form[resources]"/>
                            </div>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label="Role Users" hidden=move || tab.get() != RoleTab::Users>
                            <legend>"Role Users"</legend>
                            <RoleUsers users this_role/>
                        </fieldset>
                        <button type="submit" class="primary">"Save Role"</button>
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}

/// The Role Users tab: every admin user, those in the role ticked. Ticking another user moves
/// them into this role on `Save Role`; a user leaves a role by being given another one.
#[component]
fn RoleUsers(users: Vec<AdminUserRow>, this_role: Option<i64>) -> impl IntoView {
    let added = RwSignal::new(std::collections::BTreeSet::<i64>::new());
    let joined = move || added.with(|s| s.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    view! {
        <input type="hidden" name="form[add_users]" value=joined/>
        <p class="hint">"Tick a user to move them into this role when you save it. To take a user out of this role, give them another role under All Users."</p>
        <table class="grid" aria-label="Role Users">
            <thead><tr><th>"In Role"</th><th>"ID"</th><th>"User Name"</th><th>"Name"</th><th>"Current Role"</th><th>"Status"</th></tr></thead>
            <tbody>{users.into_iter().map(|u| {
                let id = u.id;
                let member = Some(u.role_id) == this_role;
                view! {
                    <tr>
                        <td><input type="checkbox" aria-label=format!("In Role: {}", u.username) checked=member disabled=member
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                added.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                            }/></td>
                        <td>{u.id}</td><td>{u.username}</td><td>{u.first_name}" "{u.last_name}</td>
                        <td>{u.role_name}</td>
                        <td>{if u.is_active { "Active" } else { "Inactive" }}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}
