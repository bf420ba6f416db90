//! Application state, provided to every server function through Leptos context.

use super::db::Db;
use super::password::Hasher;
use super::settings::Settings;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub hasher: Hasher,
    pub settings: Settings,
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
