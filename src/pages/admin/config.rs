use crate::api::config::{get_config_screen, SaveConfig};
use crate::components::form::{provide_outcome, HiddenField};
use crate::components::{count_successes, loaded_deferred, Outcome};
use crate::domain::config::{form_key, FieldKind, Scope, ScopeLevel, SECTIONS};
use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::fields::config as cf;
use crate::domain::model::{ConfigFieldView, ConfigScreen};
use crate::l10n::current;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::{lazy_route, LazyRoute};

fn level_of(scope_key: &str) -> ScopeLevel {
    Scope::parse_key(scope_key).map_or(ScopeLevel::Default, Scope::level)
}

/// The scope options grouped under their website (the default scope stands alone).
fn grouped(
    scopes: &[crate::domain::model::ScopeOption],
) -> Vec<(Option<String>, Vec<crate::domain::model::ScopeOption>)> {
    let mut out: Vec<(Option<String>, Vec<_>)> = Vec::new();
    for o in scopes {
        match o.depth {
            0 => out.push((None, vec![o.clone()])),
            1 => out.push((Some(o.label.clone()), vec![o.clone()])),
            _ => match out.last_mut() {
                Some((Some(_), items)) => items.push(o.clone()),
                _ => out.push((None, vec![o.clone()])),
            },
        }
    }
    out
}

/// Stores > Settings > Configuration.
pub struct ConfigPage {
    screen: Resource<Result<Deferred<ConfigScreen>, AppError>>,
    saved: RwSignal<u32>,
}

#[lazy_route]
impl LazyRoute for ConfigPage {
    fn data() -> Self {
        let query = use_query_map();
        let saved = RwSignal::new(0u32);
        let screen = crate::api::load(
            move || {
                query.with(|q| (q.get("scope").unwrap_or_default(), q.get("section").unwrap_or_default(), saved.get()))
            },
            |(scope, section, _)| get_config_screen(scope, section),
        );
        ConfigPage { screen, saved }
    }

    fn view(this: Self) -> AnyView {
        let save = ServerAction::<SaveConfig>::new();
        count_successes(this.saved, move || save.value().get());
        let navigate = use_navigate();
        let value = Signal::derive(move || save.value().get());
        provide_outcome(value);
        view! {
            <Title text=tr!(admin.config_page.title)/>
            <h1>{tr!(admin.config_page.title)}</h1>
            <Outcome value success=tr!(admin.config_page.saved)/>
            {loaded_deferred(this.screen, move |screen| {
                let navigate = navigate.clone();
                let section_id = screen.section.clone();
                let scope_key = screen.scope_key.clone();
                let level = level_of(&scope_key);
                let section = SECTIONS.iter().find(|s| s.id == section_id);
                let link_scope = scope_key.clone();
                let locale = current();
                let switch_section = section_id.clone();
                view! {
                    <label class="scope-switcher">{tr!(admin.config_page.scope)}
                        <select on:change=move |ev| {
                            navigate(&format!("/admin/config?section={}&scope={}", switch_section, event_target_value(&ev)), Default::default());
                        }>
                            {grouped(&screen.scopes).into_iter().map(|(head, items)| {
                                let option = |o: &crate::domain::model::ScopeOption| {
                                    // The default scope's name is the screen's to say.
                                    let label = if o.depth == 0 { tr!(admin.config_page.default_config) } else { o.label.clone() };
                                    view! { <option value=o.key.clone() selected=o.key == scope_key>{label}</option> }
                                };
                                match head {
                                    None => items.iter().map(option).collect_view().into_any(),
                                    Some(label) => view! {
                                        <optgroup label=label>{items.iter().map(option).collect_view()}</optgroup>
                                    }.into_any(),
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <nav class="config-tabs" aria-label=tr!(admin.config_page.sections)>
                        {screen.sections.iter().filter_map(|id| SECTIONS.iter().find(|s| s.id == id)).map(|s| view! {
                            <A href=format!("/admin/config?section={}&scope={}", s.id, link_scope)>
                                <span class="tab-group">{(s.tab)(locale)}</span>" "{(s.label)(locale)}
                            </A>
                        }).collect_view()}
                    </nav>
                    {section.map(|section| view! {
                        <ActionForm action=save attr:class="form config-form">
                            <HiddenField field=cf::scope value=screen.scope_key.clone()/>
                            <HiddenField field=cf::section value=section.id.to_string()/>
                            <h2>{(section.label)(locale)}</h2>
                            {section.groups.iter().map(|g| view! {
                                <fieldset>
                                    <legend>{(g.label)(locale)}</legend>
                                    {g.fields.iter().filter_map(|f| {
                                        screen.fields.iter().find(|v| v.path == f.path).cloned().map(|v| view! { <ConfigField field=*f view=v level/> })
                                    }).collect_view()}
                                </fieldset>
                            }).collect_view()}
                            <button type="submit" class="primary">{tr!(admin.config_page.save)}</button>
                        </ActionForm>
                    })}
                }
            })}
        }
        .into_any()
    }
}

#[component]
fn ConfigField(field: crate::domain::config::Field, view: ConfigFieldView, level: ScopeLevel) -> impl IntoView {
    let key = form_key(field.path);
    let input_id = format!("cfg-{}", key.replace('.', "-"));
    let outcome = use_context::<crate::components::form::FormOutcome>();
    let error_key = key.clone();
    let inherit = RwSignal::new(view.inherits);
    // Every editable field can go back to what it inherits; at the default scope that is the
    // system value (Magento's `Use system value`), so a fresh store can change any field.
    let can_inherit = view.editable;
    let disabled = move || !view.editable || inherit.get();
    let name = format!("form[fields][{key}]");
    let locale = current();
    let inherit_label = match level {
        ScopeLevel::StoreView => tr!(admin.config_page.use_website),
        ScopeLevel::Website => tr!(admin.config_page.use_default),
        ScopeLevel::Default => tr!(admin.config_page.use_system),
    };
    let control = match field.kind {
        FieldKind::YesNo => view! {
            <select id=input_id.clone() name=name disabled=disabled prop:value=view.value.clone()>
                <option value="1" selected=view.value == "1">{tr!(admin.form.yes)}</option>
                <option value="0" selected=view.value != "1">{tr!(admin.form.no)}</option>
            </select>
        }
        .into_any(),
        FieldKind::Select(options) => view! {
            <select id=input_id.clone() name=name disabled=disabled prop:value=view.value.clone()>
                {options.iter().map(|(v, l)| view! { <option value=*v selected=view.value == *v>{l(locale)}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Text | FieldKind::Number { .. } | FieldKind::OptionalNumber { .. } | FieldKind::Money { .. } | FieldKind::Environment => view! {
            <input type="text" id=input_id.clone() name=name value=view.value.clone() prop:value=view.value.clone() disabled=disabled/>
        }
        .into_any(),
    };
    let scope_note = match field.max_level {
        ScopeLevel::Default => tr!(admin.config_page.scope_global),
        ScopeLevel::Website => tr!(admin.config_page.scope_website),
        ScopeLevel::StoreView => tr!(admin.config_page.scope_store_view),
    };
    view! {
        <div class="config-field">
            <label for=input_id.clone()>{(field.label)(locale)}</label>
            {control}
            <span class="scope-note">{scope_note}</span>
            {can_inherit.then(|| {
                let name = format!("form[inherit][{key}][]");
                let inherit_id = format!("{input_id}-inherit");
                view! {
                    <span class="check inherit">
                        <input type="hidden" name=name.clone() value="false"/>
                        <input type="checkbox" id=inherit_id.clone() name=name value="true"
                            prop:checked=inherit checked=view.inherits
                            on:change=move |ev| inherit.set(event_target_checked(&ev))/>
                        <label for=inherit_id>{inherit_label}</label>
                    </span>
                }
            })}
            {move || outcome.and_then(|o| o.message_for(&error_key)).map(|m| view! { <p class="field-error">{m}</p> })}
            {field.comment.map(|c| view! { <p class="comment">{c(locale)}</p> })}
        </div>
    }
}
