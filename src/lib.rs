//! shopassist: a web store and its administration panel, built around Login as Customer.
//!
//! Imports run one way (`scripts/imports.js` checks it): pages and components use `api`, `api`
//! uses `server`, `server`'s actions use its repositories, and everything uses `domain` and
//! `l10n`, whose bottom (`l10n::locale`, `l10n::text`) imports nothing of the app.
//!
//! - `domain`: pure types and rules shared by server and browser (ACL tree, config, forms,
//!   messages, errors).
//! - `l10n`: the reader's language: locale, texts, dates and numbers, names, messages.
//! - `api`: server functions, one file per area; each authorizes first, then calls an action.
//! - `app`: the HTML shell and the router (admin routes and storefront routes).
//! - `pages`: one file per screen; `components`: the grid and form kits and shared pieces.
//! - `server` (ssr only): settings, startup, HTTP layers, sessions, actions, the database, the
//!   JSON API, the command line.
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
