//! The `Login as Customer` button and its dialogs. Any admin page about a customer (the
//! customer edit page today; order, invoice, shipment and credit memo views later) adds the
//! button with the customer's id; the server decides everything else.

use crate::api::assist::{assist_dialog, start_assist};
use crate::components::ErrorMessage;
use crate::domain::assist::{DialogRefusal, StartDialog, StoreChoice};
use crate::domain::error::AppError;
use crate::domain::forms::{start_assist_form as f, StartAssistForm};
use crate::l10n::say;
use crate::tr;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The button, and the dialog it opens.
#[component]
pub fn AssistButton(customer_id: i64) -> impl IntoView {
    let dialog = RwSignal::new(None::<Result<StartDialog, AppError>>);
    let open = move |_| {
        leptos::task::spawn_local(async move {
            dialog.set(Some(assist_dialog(customer_id.to_string()).await));
        });
    };
    view! {
        <button type="button" class="primary" on:click=open>{tr!(admin.assist.button)}</button>
        {move || dialog.get().map(|d| match d {
            Ok(d) => view! { <AssistDialog customer_id data=d close=move || dialog.set(None)/> }.into_any(),
            Err(e) => view! {
                <div class="dialog-backdrop">
                    <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="assist-title">
                        <h2 id="assist-title">{tr!(admin.assist.button)}</h2>
                        <ErrorMessage error=e/>
                        <div class="dialog-actions">
                            <button type="button" on:click=move |_| dialog.set(None)>{tr!(admin.form.close)}</button>
                        </div>
                    </div>
                </div>
            }.into_any(),
        })}
    }
}

/// Opens an empty tab now, while the click still counts as the person's (so no popup
/// blocker stops it), cut off from this page (`opener` cleared).
fn blank_tab() -> Option<leptos::web_sys::Window> {
    let tab = window().open_with_url_and_target("about:blank", "_blank").ok().flatten()?;
    let _ = tab.set_opener(&leptos::wasm_bindgen::JsValue::NULL);
    Some(tab)
}

#[component]
fn AssistDialog(customer_id: i64, data: StartDialog, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    if let Some(refusal) = data.refusal {
        return view! { <RefusalDialog refusal close/> }.into_any();
    }
    let title = if data.manual { tr!(admin.assist.select_store_title) } else { tr!(admin.assist.confirm_title) };
    let store = RwSignal::new(data.preselected.filter(|_| data.manual).map(|id| id.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let tab = StoredValue::new_local(None::<leptos::web_sys::Window>);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        tab.set_value(blank_tab());
        let form = StartAssistForm {
            customer_id: customer_id.to_string(),
            store: store.get_untracked(),
            reason: reason.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = start_assist(form).await;
            busy.set(false);
            let opened = tab.try_update_value(|t| t.take()).flatten();
            match result {
                Ok(started) => {
                    open_storefront(opened, &started.open_url);
                    close();
                }
                Err(e) => {
                    if let Some(t) = opened {
                        let _ = t.close();
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    let field_error = move |name: &'static str| {
        move || {
            error.get().and_then(|e| e.field_msg(name).map(say)).map(|m| {
                view! {
                    <p class="field-error" role="alert">{m}</p>
                }
            })
        }
    };
    let locale = crate::l10n::current();
    let others: Vec<String> = data.others.iter().map(|(f, l)| crate::l10n::full_name(locale, f, l)).collect();
    view! {
        <div class="dialog-backdrop">
            <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="assist-title" on:submit=confirm>
                <h2 id="assist-title">{title}</h2>
                <p>{tr!(admin.assist.warning)}</p>
                {(!others.is_empty()).then(|| view! {
                    <p class="notice" role="note">{tr!(admin.assist.others, names = crate::l10n::list(locale, &others))}</p>
                })}
                {move || error.get().filter(|e| !e.is_about_fields()).map(|e| view! { <ErrorMessage error=e/> })}
                {data.manual.then(|| view! {
                    <StoreSelect stores=data.stores preselected=data.preselected store/>
                    {field_error(f::store.key)}
                })}
                <label class="field">{if data.reason_required { tr!(admin.assist.reason) } else { tr!(admin.assist.reason_optional) }}
                    <input type="text" name=f::reason.input maxlength="255" required=data.reason_required
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                {field_error(f::reason.key)}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| close()>{tr!(admin.form.cancel)}</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>{tr!(admin.assist.button)}</button>
                </div>
            </form>
        </div>
    }
    .into_any()
}

/// The dialog that says why the session cannot start (SPEC §2): no consent, or an inactive
/// account.
#[component]
fn RefusalDialog(refusal: DialogRefusal, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let (title, text) = match refusal {
        DialogRefusal::NoConsent => (tr!(admin.assist.not_enabled_title), tr!(admin.assist.not_enabled_text)),
        DialogRefusal::Inactive => (tr!(admin.assist.inactive_title), tr!(admin.assist.inactive_text)),
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="assist-title" aria-describedby="assist-text">
                <h2 id="assist-title">{title}</h2>
                <p id="assist-text">{text}</p>
                <div class="dialog-actions">
                    <button type="button" class="primary" on:click=move |_| close()>{tr!(admin.form.ok)}</button>
                </div>
            </div>
        </div>
    }
}

/// Sends the tab opened at the click (or, when none could be opened, this one) to the
/// storefront's hand-off page `open_url`.
fn open_storefront(opened: Option<leptos::web_sys::Window>, open_url: &str) {
    let url = format!("{}{open_url}", window().location().origin().unwrap_or_default());
    match opened {
        Some(t) => {
            let _ = t.location().replace(&url);
        }
        None => {
            let _ = window().location().assign(&url);
        }
    }
}

/// `Manual Selection`: the store views grouped by website, those the sharing scope does not
/// allow for this customer shown but disabled.
#[component]
fn StoreSelect(stores: Vec<StoreChoice>, preselected: Option<i64>, store: RwSignal<String>) -> impl IntoView {
    let mut by_website: BTreeMap<(i64, String), Vec<StoreChoice>> = BTreeMap::new();
    for s in stores {
        by_website.entry((s.website_id, s.website_name.clone())).or_default().push(s);
    }
    view! {
        <label class="field">{tr!(admin.assist.store)}
            <select name=f::store.input required prop:value=move || store.get()
                on:change=move |ev| store.set(event_target_value(&ev))>
                <option value="">{tr!(admin.assist.select_store)}</option>
                {by_website.into_iter().map(|((_, website), views)| view! {
                    <optgroup label=website>
                        {views.into_iter().map(|v| view! {
                            <option value=v.id.to_string() disabled=!v.allowed
                                selected=preselected == Some(v.id)>{v.name}</option>
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
        </label>
    }
}
