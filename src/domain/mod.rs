//! Pure types and rules shared by the server and the browser: no axum, no sqlx.

pub mod acl;
pub mod assist;
pub mod authority;
pub mod catalog;
pub mod config;
pub mod consent;
pub mod deferred;
pub mod error;
pub mod forms;
pub mod grid;
pub mod input;
pub mod integrations;
pub mod model;
pub mod msg;
pub mod sales;
pub mod store;
pub mod time;
