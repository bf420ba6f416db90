//! shopassist: a web store and its administration panel, built around Login as Customer.
//!
//! - `domain`: pure types and rules shared by server and browser (ACL tree, config, input parsing).
//! - `api`: server functions, one file per area; each authorizes first, then calls `server`.
//! - `app`: the HTML shell and the router (admin routes and storefront routes).
//! - `pages`: one file per screen; `components`: presentational pieces.
//! - `server` (ssr only): settings, startup, HTTP layers, sessions, passwords, database, CLI.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod l10n;
pub mod pages;

// The typed translations generated from `locales/` by build.rs (leptos_i18n).
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The page's texts come first (their chunks, preloaded by the page's head): every view
    // reads them as it renders.
    wasm_bindgen_futures::spawn_local(async {
        let locale = l10n::page_locale();
        let path = leptos::prelude::window().location().pathname().unwrap_or_default();
        for table in l10n::tables_for(&path) {
            l10n::load(locale, *table).await;
        }
        leptos::mount::hydrate_lazy(app::App);
    });
}
