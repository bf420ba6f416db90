//! The form kit: fields that take their `name` from the shared form definitions
//! (`domain::forms::fields`), show the server's message for their field next to them, and are
//! accessible by construction (a real `<label for>`, `aria-invalid` and `aria-describedby`
//! pointing at the message). A checkbox always posts a value: a hidden `false`, then the box.
//!
//! A page calls [`provide_outcome`] with its action's value; the fields below read it.

use crate::domain::error::AppError;
use crate::domain::forms::{checkbox_input, FieldName};
use crate::l10n::say;
use leptos::prelude::*;

/// The last answer of the page's form, for its fields to read their error from.
#[derive(Clone, Copy)]
pub struct FormOutcome(Signal<Option<AppError>>);

/// Makes the error of `value` (an action's last result) visible to the fields rendered below.
pub fn provide_outcome<T>(value: Signal<Option<Result<T, AppError>>>)
where
    T: Clone + Send + Sync + 'static,
{
    provide_context(FormOutcome(Signal::derive(move || value.get().and_then(Result::err))));
}

impl FormOutcome {
    /// The message for the field named `key`, if the last answer named it.
    pub fn message_for(&self, key: &str) -> Option<String> {
        self.0.get().and_then(|e| e.field_msg(key).map(say))
    }
}

/// The current message for `field`, if the last answer named it.
fn field_error(field: FieldName) -> Signal<Option<String>> {
    let outcome = use_context::<FormOutcome>();
    Signal::derive(move || outcome.and_then(|FormOutcome(e)| e.get()).and_then(|e| e.field_msg(field.key).map(say)))
}

fn input_id(field: FieldName) -> String {
    format!("field-{}", field.key.replace(['.', '_'], "-"))
}

/// The message under a field, when there is one.
#[component]
pub fn FieldMessage(field: FieldName) -> impl IntoView {
    let error = field_error(field);
    let id = format!("{}-error", input_id(field));
    move || error.get().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
}

/// A labelled text-like input (`text`, `email`, `password`, `search`, `number`). The value is
/// the initial one only (no `prop:value`): a lazily loaded screen hydrates after the person
/// may have started typing, and setting the property then would wipe what they typed.
#[component]
pub fn TextField(
    field: FieldName,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] hidden: Signal<bool>,
) -> impl IntoView {
    let id = input_id(field);
    let error = field_error(field);
    let described = format!("{id}-error");
    view! {
        <div class="field" hidden=move || hidden.get()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind
                name=field.input
                value=value
                required=required
                autocomplete=autocomplete
                maxlength=maxlength
                minlength=minlength
                disabled=move || disabled.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            />
            <FieldMessage field/>
        </div>
    }
}

/// A labelled select; `options` are (value, label) pairs, those in `unavailable` shown but
/// not choosable. A `locked` select shows its choice, cannot be changed, and still posts it.
#[component]
pub fn SelectField(
    field: FieldName,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    /// A first, empty choice (for a required pick).
    #[prop(optional)]
    placeholder: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] unavailable: Vec<String>,
    #[prop(optional)] locked: bool,
) -> impl IntoView {
    let id = input_id(field);
    let error = field_error(field);
    let described = format!("{id}-error");
    let posted = locked.then(|| view! { <input type="hidden" name=field.input value=selected.clone()/> });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {posted}
            <select
                id=id.clone()
                name=(!locked).then_some(field.input)
                required=required
                disabled=move || locked || disabled.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let on = v == selected;
                        let off = unavailable.contains(&v);
                        view! { <option value=v selected=on disabled=off>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage field/>
        </div>
    }
}

/// A checkbox that always posts: a hidden `false` first, then `true` when ticked. A `locked`
/// box shows its state, cannot be changed, and still posts it.
#[component]
pub fn CheckboxField(
    field: FieldName,
    #[prop(into)] label: String,
    #[prop(into)] checked: Signal<bool>,
    /// Told of each change (for fields that show or hide others).
    #[prop(optional)]
    on_toggle: Option<Callback<bool>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] locked: bool,
) -> impl IntoView {
    let id = input_id(field);
    let name = checkbox_input(field);
    let initial = checked.get_untracked();
    let posted = (locked && initial).then(|| view! { <input type="hidden" name=name.clone() value="true"/> });
    view! {
        <div class="field check">
            <input type="hidden" name=name.clone() value="false" disabled=move || disabled.get()/>
            {posted}
            <input
                type="checkbox"
                id=id.clone()
                name=(!locked).then_some(name)
                value="true"
                checked=initial
                prop:checked=move || checked.get()
                disabled=move || locked || disabled.get()
                on:change=move |ev| {
                    if let Some(cb) = on_toggle {
                        cb.run(event_target_checked(&ev));
                    }
                }
            />
            <label for=id>{label}</label>
            <FieldMessage field/>
        </div>
    }
}

/// A hidden input for a field.
#[component]
pub fn HiddenField(field: FieldName, #[prop(into)] value: Signal<String>) -> impl IntoView {
    view! { <input type="hidden" name=field.input value=move || value.get() prop:value=move || value.get()/> }
}
