//! Presentational pieces shared by admin and storefront screens.

pub mod resource_tree;

use crate::domain::error::AppError;
use leptos::prelude::*;

/// The message of a failed request, announced to assistive technology.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    view! { <div class="message error" role="alert">{error.message().to_string()}</div> }
}

/// A success message.
#[component]
pub fn SuccessMessage(#[prop(into)] text: String) -> impl IntoView {
    view! { <div class="message success" role="status">{text}</div> }
}

/// Shows the outcome of a form's last submission: the error, or `success` when it worked.
#[component]
pub fn Outcome<T>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
    #[prop(into)] success: String,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Ok(_)) => view! { <SuccessMessage text=success.clone()/> }.into_any(),
        Some(Err(e)) => view! { <ErrorMessage error=e/> }.into_any(),
        None => ().into_any(),
    }
}

/// Counts an action's successful submissions, so a page reloads its data after a save but
/// keeps what the person typed after a refused one.
pub fn successes<T>(value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static) -> ReadSignal<u32>
where
    T: Send + Sync + 'static,
{
    let (count, set_count) = signal(0u32);
    Effect::new(move |_| {
        if matches!(value(), Some(Ok(_))) {
            set_count.update(|n| *n += 1);
        }
    });
    count
}

/// Renders `ok` with the loaded value, or the error, once `resource` resolves.
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    ok: impl Fn(T) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let ok = ok.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(v) => ok(v).into_any(),
                        Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
