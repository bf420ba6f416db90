//! Presentational pieces shared by admin and storefront screens.

pub mod form;
pub mod grid;
pub mod resource_tree;

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::l10n::say;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

/// The message of a failed request, announced to assistive technology. Field errors are
/// listed here once and shown again next to their fields.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let text = error.msgs().iter().map(say).collect::<Vec<_>>().join(" ");
    view! { <div class="message error" role="alert">{text}</div> }
}

/// A success message.
#[component]
pub fn SuccessMessage(#[prop(into)] text: String) -> impl IntoView {
    view! { <div class="message success" role="status">{text}</div> }
}

/// The outcome of a form's last submission: the error, or `success` when it worked. With
/// `after_redirect`, a `?saved=1` in the address also counts as success (a new record's page
/// is reached by a redirect after its first save).
#[component]
pub fn Outcome<T>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
    /// Shown after a successful submission (nothing when the page moves on instead).
    #[prop(optional, into)]
    success: Option<String>,
    #[prop(optional)] after_redirect: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    move || match (value.get(), success.clone()) {
        (Some(Ok(_)), Some(text)) => view! { <SuccessMessage text/> }.into_any(),
        (Some(Err(e)), _) => view! { <ErrorMessage error=e/> }.into_any(),
        (None, Some(text)) if after_redirect && query.with(|q| q.get("saved").is_some()) => {
            view! { <SuccessMessage text/> }.into_any()
        }
        _ => ().into_any(),
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

/// [`successes`] into a counter made earlier: a lazy admin page makes its counter in `data()`
/// (its data reloads on it) and its action in the view, so the action's form encoding comes
/// with the page's chunk.
pub fn count_successes<T>(count: RwSignal<u32>, value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static)
where
    T: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(value(), Some(Ok(_))) {
            count.update(|n| *n += 1);
        }
    });
}

/// [`loaded`] for an answer the view decodes itself (see [`Deferred`]): the admin pages'.
pub fn loaded_deferred<T, V>(
    resource: Resource<Result<Deferred<T>, AppError>>,
    ok: impl Fn(T) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    T: Send + Sync + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
            {move || {
                let ok = ok.clone();
                Suspend::new(async move {
                    match resource.await.and_then(|answer| answer.decode()) {
                        Ok(v) => ok(v).into_any(),
                        Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
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
        <Suspense fallback=|| view! { <p class="loading">{tr!(common.loading)}</p> }>
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

/// The page for an unknown address; answers 404 on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!(common.not_found.title)/>
        <main class="not-found">
            <h1>{tr!(common.not_found.heading)}</h1>
            <p>{tr!(common.not_found.text)}</p>
            <a href="/">{tr!(common.not_found.home)}</a>
        </main>
    }
}
