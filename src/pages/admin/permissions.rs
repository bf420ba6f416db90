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
use crate::l10n::{code, Locale};
use crate::pages::admin::account::LocaleField;
use crate::tr;
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
    text(if active { tr!(admin.users.active) } else { tr!(admin.users.inactive) })
}

/// System > Permissions > All Users.
pub struct UsersPage {
    users: Resource<Result<Deferred<GridPage<AdminUserRow>>, AppError>>,
}

#[lazy_route]
impl LazyRoute for UsersPage {
    fn data() -> Self {
        let query = use_grid_query();
        UsersPage { users: crate::api::load(move || query.get(), list_admin_users) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            vec![
                Column::new("id", tr!(admin.users.id), |u: &AdminUserRow| text(u.id.to_string())).sortable("id"),
                Column::new("username", tr!(admin.users.username), |u: &AdminUserRow| {
                    let name = u.username.clone();
                    view! { <A href=format!("{USERS}/{}", u.id)>{name}</A> }.into_any()
                })
                .sortable("username"),
                Column::new("first_name", tr!(admin.users.first_name), |u: &AdminUserRow| text(u.first_name.clone())),
                Column::new("last_name", tr!(admin.users.last_name), |u: &AdminUserRow| text(u.last_name.clone())),
                Column::new("email", tr!(admin.users.email), |u: &AdminUserRow| text(u.email.clone())),
                Column::new("role", tr!(admin.users.role), |u: &AdminUserRow| text(u.role_name.clone())),
                Column::new("status", tr!(admin.users.status), |u: &AdminUserRow| status(u.is_active)),
            ]
        };
        view! {
            <Title text=tr!(admin.users.title)/>
            <h1>{tr!(admin.users.title)}</h1>
            <A href=format!("{USERS}/new") attr:class="button primary">{tr!(admin.users.add)}</A>
            {loaded_deferred(this.users, move |page| view! {
                <DataGrid name="users" label=tr!(admin.users.title) path=USERS.to_string() page columns=columns() export=true/>
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
        let data = crate::api::load(move || (id.get(), saved.get()), |(id, _)| admin_user_edit_data(id));
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
            <Title text=tr!(admin.users.info_title)/>
            <A href=USERS>{tr!(admin.users.back)}</A>
            <Outcome value success=tr!(admin.users.saved) after_redirect=true/>
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
                let locale = u.as_ref().map_or_else(|| code(Locale::default()).to_string(), |u| u.interface_locale.clone());
                let limits = d.limits.clone();
                let unavailable: Vec<String> = limits.unavailable_roles.iter().map(|(id, _)| id.to_string()).collect();
                let roles = d
                    .roles
                    .iter()
                    .map(|r| {
                        let off = unavailable.contains(&r.id.to_string());
                        (r.id.to_string(), if off { tr!(admin.users.not_yours, name = r.name.clone()) } else { r.name.clone() })
                    })
                    .collect();
                let read_only = limits.read_only.clone();
                view! {
                    <h1>{if is_new { tr!(admin.users.new_user) } else { tr!(admin.users.edit_user, name = username.clone()) }}</h1>
                    {read_only.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="notice" role="note">{why}</p> }})}
                    <ActionForm action=save attr:class="form">
                        <fieldset class="plain" disabled=read_only.is_some()>
                        <HiddenField field=uf::id value=user_id/>
                        <fieldset>
                            <legend>{tr!(admin.users.account_information)}</legend>
                            <TextField field=uf::username label=tr!(admin.users.username) value=username.clone() required=true autocomplete="off"/>
                            <TextField field=uf::first_name label=tr!(admin.users.first_name) value=first required=true/>
                            <TextField field=uf::last_name label=tr!(admin.users.last_name) value=last required=true/>
                            <TextField field=uf::email label=tr!(admin.users.email) kind="email" value=email required=true/>
                            <TextField field=uf::display_name label=tr!(admin.users.shown_name) value=shown maxlength=100/>
                            <p class="hint">{tr!(admin.users.shown_name_hint)}</p>
                            <TextField field=uf::password label=if is_new { tr!(admin.users.password) } else { tr!(admin.users.new_password) } kind="password" required=is_new autocomplete="new-password"/>
                            <TextField field=uf::password_confirmation label=tr!(admin.users.password_confirmation) kind="password" required=is_new autocomplete="new-password"/>
                            <LocaleField field=uf::interface_locale selected=locale/>
                            <CheckboxField field=uf::is_active label=tr!(admin.users.is_active) checked=active locked=limits.active_fixed.is_some()/>
                            {limits.active_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(admin.users.user_role)}</legend>
                            <SelectField field=uf::role_id label=tr!(admin.users.role) options=roles selected=role_id placeholder=tr!(admin.users.choose_role) required=true
                                unavailable locked=limits.role_fixed.is_some()/>
                            {limits.role_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                            {(!limits.unavailable_roles.is_empty() && limits.role_fixed.is_none()).then(|| view! {
                                <p class="hint">{tr!(admin.users.not_yours_hint)}</p>
                            })}
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(admin.users.verification)}</legend>
                            <TextField field=uf::current_password label=tr!(admin.users.your_password) kind="password" required=true autocomplete="current-password"/>
                        </fieldset>
                        <button type="submit" class="primary">{tr!(admin.users.save)}</button>
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
        RolesPage { roles: crate::api::load(move || query.get(), list_roles) }
    }

    fn view(this: Self) -> AnyView {
        let columns = || {
            let (all, custom) = (tr!(admin.roles.all), tr!(admin.roles.custom));
            vec![
                Column::new("id", tr!(admin.roles.id), |r: &RoleSummary| text(r.id.to_string())).sortable("id"),
                Column::new("name", tr!(admin.roles.role), |r: &RoleSummary| {
                    let name = r.name.clone();
                    view! { <A href=format!("{ROLES}/{}", r.id)>{name}</A> }.into_any()
                })
                .sortable("name"),
                Column::new("resources", tr!(admin.roles.resources), move |r: &RoleSummary| {
                    text(if r.all_resources { all.clone() } else { custom.clone() })
                }),
                Column::new("users", tr!(admin.roles.users), |r: &RoleSummary| text(r.users.to_string())),
            ]
        };
        view! {
            <Title text=tr!(admin.roles.title)/>
            <h1>{tr!(admin.roles.title)}</h1>
            <A href=format!("{ROLES}/new") attr:class="button primary">{tr!(admin.roles.add)}</A>
            {loaded_deferred(this.roles, move |page| view! {
                <DataGrid name="roles" label=tr!(admin.roles.title) path=ROLES.to_string() page columns=columns() export=true/>
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
        let data = crate::api::load(move || (id.get(), saved.get()), |(id, _)| role_edit_data(id));
        let users = crate::api::load(move || (query.get(), saved.get()), |(q, _)| list_admin_users(q));
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
            <Title text=tr!(admin.roles.info_title)/>
            <A href=ROLES>{tr!(admin.roles.back)}</A>
            <Outcome value success=tr!(admin.roles.saved) after_redirect=true/>
            {loaded_deferred(data, move |RolePageData { role, limits, websites }| {
                let all = RwSignal::new(role.as_ref().is_some_and(|r| r.all_resources));
                let name = role.as_ref().map(|r| r.name.clone()).unwrap_or_default();
                let resources = role.as_ref().map(|r| r.resources.clone()).unwrap_or_default();
                let this_role = role.as_ref().map(|r| r.id);
                let fixed = limits.grant_fixed.is_some();
                let unmovable = StoredValue::new(limits.unmovable.clone());
                let tab_button = move |t: RoleTab, label: String| view! {
                    <button type="button" role="tab" aria-selected=move || (tab.get() == t).to_string()
                        on:click=move |_| tab.set(t)>{label}</button>
                };
                let joined = move || added.with(|s| s.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                view! {
                    <h1>{if role.is_none() { tr!(admin.roles.new_role) } else { tr!(admin.roles.edit_role, name = name.clone()) }}</h1>
                    {limits.read_only.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="notice" role="note">{why}</p> }})}
                    <ActionForm action=save attr:class="form">
                        <fieldset class="plain" disabled=limits.read_only.is_some()>
                        <HiddenField field=rf::id value=this_role.map(|id| id.to_string()).unwrap_or_default()/>
                        <div role="tablist" aria-label=tr!(admin.roles.info_title)>
                            {tab_button(RoleTab::Info, tr!(admin.roles.tab_info))}
                            {tab_button(RoleTab::Resources, tr!(admin.roles.tab_resources))}
                            {tab_button(RoleTab::Users, tr!(admin.roles.tab_users))}
                        </div>
                        <fieldset role="tabpanel" aria-label=tr!(admin.roles.tab_info) hidden=move || tab.get() != RoleTab::Info>
                            <legend>{tr!(admin.roles.tab_info)}</legend>
                            <TextField field=rf::name label=tr!(admin.roles.name) value=name.clone() required=true maxlength=100/>
                            <RoleScopes scope=role.as_ref().map(|r| r.scope.clone()).unwrap_or_default()
                                websites=websites.clone() grantable=limits.grantable_websites.clone()/>
                            <h2>{tr!(admin.users.verification)}</h2>
                            <TextField field=rf::current_password label=tr!(admin.users.your_password) kind="password" required=true autocomplete="current-password"/>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label=tr!(admin.roles.tab_resources) hidden=move || tab.get() != RoleTab::Resources>
                            <legend>{tr!(admin.roles.tab_resources)}</legend>
                            {limits.grant_fixed.clone().map(|why| { let why = crate::l10n::say(&why); view! { <p class="hint" role="note">{why}</p> }})}
                            {(!limits.all_allowed && limits.grant_fixed.is_none()).then(|| view! {
                                <p class="hint">{tr!(admin.roles.grant_hint)}</p>
                            })}
                            <div class="field">
                                <label for="field-access">{tr!(admin.roles.access)}</label>
                                {fixed.then(|| view! {
                                    <input type="hidden" name=rf::access.input value=if all.get_untracked() { "all" } else { "custom" }/>
                                })}
                                <select id="field-access" name=(!fixed).then_some(rf::access.input) disabled=fixed
                                    on:change=move |ev| all.set(event_target_value(&ev) == "all")>
                                    <option value="custom" selected=move || !all.get()>{tr!(admin.roles.custom)}</option>
                                    <option value="all" selected=move || all.get() disabled=!limits.all_allowed>{tr!(admin.roles.all)}</option>
                                </select>
                                <FieldMessage field=rf::access/>
                            </div>
                            <div hidden=move || all.get()>
                                <ResourceTree initial=resources.clone() name=rf::resources.input grantable=limits.grantable.clone() locked=fixed/>
                                <FieldMessage field=rf::resources/>
                            </div>
                        </fieldset>
                        <fieldset role="tabpanel" aria-label=tr!(admin.roles.tab_users) hidden=move || tab.get() != RoleTab::Users>
                            <legend>{tr!(admin.roles.tab_users)}</legend>
                            <input type="hidden" name=rf::add_users.input value=joined prop:value=joined/>
                            <FieldMessage field=rf::add_users/>
                            <p class="hint">{tr!(admin.roles.users_hint)}</p>
                            {loaded_deferred(users, move |page| view! {
                                <DataGrid name="role-users" label=tr!(admin.roles.tab_users) path=path.get_untracked() page
                                    columns=role_user_columns(this_role, added, unmovable.get_value())/>
                            })}
                        </fieldset>
                        <button type="submit" class="primary">{tr!(admin.roles.save)}</button>
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
            <label for="field-scope">{tr!(admin.roles.scopes)}</label>
            <select id="field-scope" name=rf::scope.input on:change=move |ev| all.set(event_target_value(&ev) == "all")>
                <option value="all" selected=move || all.get() disabled=!may_all>{tr!(admin.roles.all)}</option>
                <option value="custom" selected=move || !all.get()>{tr!(admin.roles.custom)}</option>
            </select>
            <FieldMessage field=rf::scope/>
        </div>
        <fieldset class="scope-websites" hidden=move || all.get()>
            <legend>{tr!(admin.roles.websites)}</legend>
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
    let locale = crate::l10n::current();
    vec![
        Column::new("in_role", tr!(admin.roles.in_role), move |u: &AdminUserRow| {
            let id = u.id;
            let member = Some(u.role_id) == this_role;
            let why = unmovable.iter().find(|(user, _)| *user == id).map(|(_, why)| crate::l10n::say(why));
            let fixed = member || why.is_some();
            view! {
                <input type="checkbox" aria-label=tr!(admin.roles.in_role_named, name = u.username.clone()) checked=member disabled=fixed title=why.clone()
                    prop:checked=move || member || added.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        added.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }/>
                {why.map(|why| view! { <span class="hint">{why}</span> })}
            }
            .into_any()
        }),
        Column::new("id", tr!(admin.users.id), |u: &AdminUserRow| text(u.id.to_string())).sortable("id"),
        Column::new("username", tr!(admin.users.username), |u: &AdminUserRow| text(u.username.clone()))
            .sortable("username"),
        Column::new("name", tr!(admin.roles.user_name), move |u: &AdminUserRow| {
            text(crate::l10n::full_name(locale, &u.first_name, &u.last_name))
        }),
        Column::new("role", tr!(admin.roles.current_role), |u: &AdminUserRow| text(u.role_name.clone())),
        Column::new("status", tr!(admin.users.status), |u: &AdminUserRow| status(u.is_active)),
    ]
}
