use crate::api::permissions::{
    admin_user_edit_data, list_admin_users, list_roles, role_edit_data, RolePageData, SaveAdminUser, SaveRole,
    UserEditData,
};
use crate::components::form::{provide_outcome, CheckboxField, FieldMessage, HiddenField, SelectField, TextField};
use crate::components::grid::{text, use_grid_query, Column, DataGrid};
use crate::components::resource_tree::ResourceTree;
use crate::components::{count_successes, loaded_deferred, Outcome};
use crate::domain::acl::Scope;
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::{admin_user as uf, role as rf};
use crate::domain::grid::GridPage;
use crate::domain::model::{AdminUserRow, RoleSummary, Website};
use crate::domain::msg::Msg;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::{lazy_route, LazyRoute};
use std::collections::BTreeSet;

const USERS: &str = "/admin/system/users";
const ROLES: &str = "/admin/system/roles";

fn param_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()))
}

/// After saving a new record, go to its edit page (which then says it was saved).
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

fn status(active: bool) -> AnyView {
    text(if active { "Active" } else { "Inactive" })
}

/// System > Permissions > All Users.
pub struct UsersPage {
    users: Resource<Result<Deferred<GridPage<AdminUserRow>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for UsersPage {
    fn data() -> Self {
        let query = use_grid_query();
        UsersPage { users: Resource::new(move || query.get(), list_admin_users) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            vec![
                Column::new("id", "ID", |u: &AdminUserRow| text(u.id.to_string())).sortable("id"),
                Column::new("username", "User Name", |u: &AdminUserRow| {
                    let name = u.username.clone();
                    view! { <A href=format!("{USERS}/{}", u.id)>{name}</A> }.into_any()
                })
                .sortable("username"),
                Column::new("first_name", "First Name", |u: &AdminUserRow| text(u.first_name.clone())),
                Column::new("last_name", "Last Name", |u: &AdminUserRow| text(u.last_name.clone())),
                Column::new("email", "Email", |u: &AdminUserRow| text(u.email.clone())),
                Column::new("role", "Role", |u: &AdminUserRow| text(u.role_name.clone())),
                Column::new("status", "Status", |u: &AdminUserRow| status(u.is_active)),
            ]
        };
        view! {
            <Title text="Users"/>
            <h1>"Users"</h1>
            <A href=format!("{USERS}/new") attr:class="button primary">"Add New User"</A>
            {loaded_deferred(this.users, move |page| view! {
                <DataGrid name="users" label="Users" path=USERS.to_string() page columns=columns() export=true/>
            })}
        }
        .into_any()
    }
}

/// New or existing admin user.
pub struct UserEditPage {
    data: Resource<Result<Deferred<UserEditData>, AppError>>,
    saved: RwSignal<u32>,
    id: Memo<String>,
}

#[lazy_route]
impl LazyRoute for UserEditPage {
    fn data() -> Self {
        let id = param_id();
        let saved = RwSignal::new(0u32);
        let data = Resource::new(move || (id.get(), saved.get()), |(id, _)| admin_user_edit_data(id));
        UserEditPage { data, saved, id }
    }

    fn view(this: Self) -> AnyView {
        let UserEditPage { data, saved, id } = this;
        let save = ServerAction::<SaveAdminUser>::new();
        count_successes(saved, move || save.value().get());
        let value = Signal::derive(move || save.value().get());
        after_save(value, USERS, id);
        provide_outcome(value);
        view! {
            <Title text="User Information"/>
            <A href=USERS>"Back"</A>
            <Outcome value success="You saved the user." after_redirect=true/>
            {loaded_deferred(data, move |d| {
                let u = d.user.clone();
                let is_new = u.is_none();
                let get = |f: fn(&AdminUserRow) -> String| u.as_ref().map(f).unwrap_or_default();
                let username = get(|u| u.username.clone());
                let (user_id, first, last, email) =
                    (get(|u| u.id.to_string()), get(|u| u.first_name.clone()), get(|u| u.last_name.clone()), get(|u| u.email.clone()));
                let shown = get(|u| u.display_name.clone());
                let active = u.as_ref().is_none_or(|u| u.is_active);
                let role_id = u.as_ref().map(|u| u.role_id.to_string()).unwrap_or_default();
                let limits = d.limits.clone();
                let unavailable: Vec<String> = limits.unavailable_roles.iter().map(|(id, _)| id.to_string()).collect();
                let roles = d
                    .roles
                    .iter()
                    .map(|r| {
                        let off = unavailable.contains(&r.id.to_string());
                        (r.id.to_string(), if off { format!("{} (not yours to grant)", r.name) } else { r.name.clone() })
                    })
                    .collect();
                let read_only = limits.read_only.clone();
                view! {
                    <h1>{if is_new { "New User".to_string() } else { format!("Edit User '{username}'") }}</h1>
                    {read_only.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="notice" role="note">{why}</p> }})}
                    <ActionForm action=save attr:class="form">
                        <fieldset class="plain" disabled=read_only.is_some()>
                        <HiddenField field=uf::id value=user_id/>
                        <fieldset>
                            <legend>"Account Information"</legend>
                            <TextField field=uf::username label="User Name" value=username.clone() required=true autocomplete="off"/>
                            <TextField field=uf::first_name label="First Name" value=first required=true/>
                            <TextField field=uf::last_name label="Last Name" value=last required=true/>
                            <TextField field=uf::email label="Email" kind="email" value=email required=true/>
                            <TextField field=uf::display_name label="Name Shown to Customers" value=shown maxlength=100/>
                            <p class="hint">"What shoppers see when you assist them (the notice, their Assistance History). Empty: your first name. Never your user name."</p>
                            <TextField field=uf::password label=if is_new { "Password" } else { "New Password" } kind="password" required=is_new autocomplete="new-password"/>
                            <TextField field=uf::password_confirmation label="Password Confirmation" kind="password" required=is_new autocomplete="new-password"/>
                            <CheckboxField field=uf::is_active label="This account is active" checked=active locked=limits.active_fixed.is_some()/>
                            {limits.active_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                        </fieldset>
                        <fieldset>
                            <legend>"User Role"</legend>
                            <SelectField field=uf::role_id label="Role" options=roles selected=role_id placeholder="Choose a role" required=true
                                unavailable locked=limits.role_fixed.is_some()/>
                            {limits.role_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                            {(!limits.unavailable_roles.is_empty() && limits.role_fixed.is_none()).then(|| view! {
                                <p class="hint">"Roles marked “not yours to grant” have resources your own role does not have."</p>
                            })}
                        </fieldset>
                        <fieldset>
                            <legend>"Current User Identity Verification"</legend>
                            <TextField field=uf::current_password label="Your Password" kind="password" required=true autocomplete="current-password"/>
                        </fieldset>
                        <button type="submit" class="primary">"Save User"</button>
                        </fieldset>
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}

/// System > Permissions > User Roles.
pub struct RolesPage {
    roles: Resource<Result<Deferred<GridPage<RoleSummary>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for RolesPage {
    fn data() -> Self {
        let query = use_grid_query();
        RolesPage { roles: Resource::new(move || query.get(), list_roles) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            vec![
                Column::new("id", "ID", |r: &RoleSummary| text(r.id.to_string())).sortable("id"),
                Column::new("name", "Role", |r: &RoleSummary| {
                    let name = r.name.clone();
                    view! { <A href=format!("{ROLES}/{}", r.id)>{name}</A> }.into_any()
                })
                .sortable("name"),
                Column::new("resources", "Resources", |r: &RoleSummary| {
                    text(if r.all_resources { "All" } else { "Custom" })
                }),
                Column::new("users", "Users", |r: &RoleSummary| text(r.users.to_string())),
            ]
        };
        view! {
            <Title text="Roles"/>
            <h1>"Roles"</h1>
            <A href=format!("{ROLES}/new") attr:class="button primary">"Add New Role"</A>
            {loaded_deferred(this.roles, move |page| view! {
                <DataGrid name="roles" label="Roles" path=ROLES.to_string() page columns=columns() export=true/>
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
    data: Resource<Result<Deferred<RolePageData>, AppError>>,
    users: Resource<Result<Deferred<GridPage<AdminUserRow>>, AppError>>,
    saved: RwSignal<u32>,
    id: Memo<String>,
}

#[lazy_route]
impl LazyRoute for RoleEditPage {
    fn data() -> Self {
        let id = param_id();
        let query = use_grid_query();
        let saved = RwSignal::new(0u32);
        let data = Resource::new(move || (id.get(), saved.get()), |(id, _)| role_edit_data(id));
        let users = Resource::new(move || (query.get(), saved.get()), |(q, _)| list_admin_users(q));
        RoleEditPage { data, users, saved, id }
    }

    fn view(this: Self) -> AnyView {
        let RoleEditPage { data, users, saved, id } = this;
        let save = ServerAction::<SaveRole>::new();
        count_successes(saved, move || save.value().get());
        let value = Signal::derive(move || save.value().get());
        after_save(value, ROLES, id);
        provide_outcome(value);
        let tab = RwSignal::new(RoleTab::Info);
        // Users ticked on Role Users; kept while the tab's grid pages or sorts.
        let added = RwSignal::new(BTreeSet::<i64>::new());
        let path = use_location().pathname;
        view! {
            <Title text="Role Information"/>
            <A href=ROLES>"Back"</A>
            <Outcome value success="You saved the role." after_redirect=true/>
            {loaded_deferred(data, move |RolePageData { role, limits, websites }| {
                let all = RwSignal::new(role.as_ref().is_some_and(|r| r.all_resources));
                let name = role.as_ref().map(|r| r.name.clone()).unwrap_or_default();
                let resources = role.as_ref().map(|r| r.resources.clone()).unwrap_or_default();
                let this_role = role.as_ref().map(|r| r.id);
                let fixed = limits.grant_fixed.is_some();
                let unmovable = StoredValue::new(limits.unmovable.clone());
                let tab_button = move |t: RoleTab, label: &'static str| view! {
                    <button type="button" role="tab" aria-selected=move || (tab.get() == t).to_string()
                        on:click=move |_| tab.set(t)>{label}</button>
                };
                let joined = move || added.with(|s| s.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                view! {
                    <h1>{if role.is_none() { "New Role".to_string() } else { format!("Edit Role '{name}'") }}</h1>
                    {limits.read_only.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="notice" role="note">{why}</p> }})}
                    <ActionForm action=save attr:class="form">
                        <fieldset class="plain" disabled=limits.read_only.is_some()>
                        <HiddenField field=rf::id value=this_role.map(|id| id.to_string()).unwrap_or_default()/>
                        <div role="tablist" aria-label="Role Information">
                            {tab_button(RoleTab::Info, "Role Info")}
                            {tab_button(RoleTab::Resources, "Role Resources")}
                            {tab_button(RoleTab::Users, "Role Users")}
                        </div>
                        <fieldset role="tabpanel" aria-label="Role Info" hidden=move || tab.get() != RoleTab::Info>
                            <legend>"Role Info"</legend>
                            <TextField field=rf::name label="Role Name" value=name.clone() required=true maxlength=100/>
                            <RoleScopes scope=role.as_ref().map(|r| r.scope.clone()).unwrap_or_default()
                                websites=websites.clone() grantable=limits.grantable_websites.clone()/>
                            <h2>"Current User Identity Verification"</h2>
                            <TextField field=rf::current_password label="Your Password" kind="password" required=true autocomplete="current-password"/>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label="Role Resources" hidden=move || tab.get() != RoleTab::Resources>
                            <legend>"Role Resources"</legend>
                            {limits.grant_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                            {(!limits.all_allowed && limits.grant_fixed.is_none()).then(|| view! {
                                <p class="hint">"You can only grant resources that your own role has; the others are shown but cannot be ticked."</p>
                            })}
                            <div class="field">
                                <label for="field-access">"Resource Access"</label>
                                {fixed.then(|| view! {
                                    <input type="hidden" name=rf::access.input value=if all.get_untracked() { "all" } else { "custom" }/>
                                })}
                                <select id="field-access" name=(!fixed).then_some(rf::access.input) disabled=fixed
                                    on:change=move |ev| all.set(event_target_value(&ev) == "all")>
                                    <option value="custom" selected=move || !all.get()>"Custom"</option>
                                    <option value="all" selected=move || all.get() disabled=!limits.all_allowed>"All"</option>
                                </select>
                                <FieldMessage field=rf::access/>
                            </div>
                            <div hidden=move || all.get()>
                                <ResourceTree initial=resources.clone() name=rf::resources.input grantable=limits.grantable.clone() locked=fixed/>
                                <FieldMessage field=rf::resources/>
                            </div>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label="Role Users" hidden=move || tab.get() != RoleTab::Users>
                            <legend>"Role Users"</legend>
                            <input type="hidden" name=rf::add_users.input value=joined prop:value=joined/>
                            <FieldMessage field=rf::add_users/>
                            <p class="hint">"Tick a user to move them into this role when you save it. To take a user out of this role, give them another role under All Users."</p>
                            {loaded_deferred(users, move |page| view! {
                                <DataGrid name="role-users" label="Role Users" path=path.get_untracked() page
                                    columns=role_user_columns(this_role, added, unmovable.get_value())/>
                            })}
                        </fieldset>
                        <button type="submit" class="primary">"Save Role"</button>
                        </fieldset>
                    </ActionForm>
                }
            })}
        }
        .into_any()
    }
}

/// Role Scopes on Role Info: `All` websites, or `Custom` with the websites ticked. Websites
/// outside the viewer's own scope are shown but cannot be ticked (nor `All` chosen).
#[component]
fn RoleScopes(scope: Scope, websites: Vec<Website>, grantable: Option<Vec<i64>>) -> impl IntoView {
    let all = RwSignal::new(matches!(scope, Scope::All));
    let ticked = RwSignal::new(match &scope {
        Scope::All => BTreeSet::new(),
        Scope::Websites(set) => set.clone(),
    });
    let joined = move || ticked.with(|s| s.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let may_all = grantable.is_none();
    view! {
        <div class="field">
            <label for="field-scope">"Role Scopes"</label>
            <select id="field-scope" name=rf::scope.input on:change=move |ev| all.set(event_target_value(&ev) == "all")>
                <option value="all" selected=move || all.get() disabled=!may_all>"All"</option>
                <option value="custom" selected=move || !all.get()>"Custom"</option>
            </select>
            <FieldMessage field=rf::scope/>
        </div>
        <fieldset class="scope-websites" hidden=move || all.get()>
            <legend>"Websites"</legend>
            <input type="hidden" name=rf::websites.input value=joined prop:value=joined/>
            {websites.into_iter().map(|w| {
                let id = w.id;
                let allowed = grantable.as_ref().is_none_or(|g| g.contains(&id));
                view! {
                    <label class="check">
                        <input type="checkbox" disabled=!allowed prop:checked=move || ticked.with(|s| s.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticked.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                            }/>
                        {w.name}
                    </label>
                }
            }).collect_view()}
            <FieldMessage field=rf::websites/>
        </fieldset>
    }
}

/// The Role Users tab: every admin user, those in the role ticked. Ticking another user moves
/// them into this role on `Save Role`; a user leaves a role by being given another one.
/// Users the viewing admin may not move (`unmovable`, with why) are shown with the box disabled
/// and the reason beside it.
fn role_user_columns(
    this_role: Option<i64>,
    added: RwSignal<BTreeSet<i64>>,
    unmovable: Vec<(i64, Msg)>,
) -> Vec<Column<AdminUserRow>> {
    vec![
        Column::new("in_role", "In Role", move |u: &AdminUserRow| {
            let id = u.id;
            let member = Some(u.role_id) == this_role;
            let why = unmovable.iter().find(|(user, _)| *user == id).map(|(_, why)| crate::l10n::say(why));
            let fixed = member || why.is_some();
            view! {
                <input type="checkbox" aria-label=format!("In Role: {}", u.username) checked=member disabled=fixed title=why.clone()
                    prop:checked=move || member || added.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        added.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }/>
                {why.map(|why| view! { <span class="hint">{why}</span> })}
            }
            .into_any()
        }),
        Column::new("id", "ID", |u: &AdminUserRow| text(u.id.to_string())).sortable("id"),
        Column::new("username", "User Name", |u: &AdminUserRow| text(u.username.clone())).sortable("username"),
        Column::new("name", "Name", |u: &AdminUserRow| text(format!("{} {}", u.first_name, u.last_name))),
        Column::new("role", "Current Role", |u: &AdminUserRow| text(u.role_name.clone())),
        Column::new("status", "Status", |u: &AdminUserRow| status(u.is_active)),
    ]
}
