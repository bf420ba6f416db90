//! Server-only code: settings, startup, HTTP layers, sessions, password hashing, the
//! authorization guard used by every server function, the database and the command line.

pub mod actions;
pub mod app;
pub mod assist;
pub mod cli;
pub mod client;
pub mod db;
pub mod demo;
pub mod demo_catalog;
pub mod demo_sales;
pub mod destination;
pub mod error;
pub mod grid;
pub mod guard;
pub mod handoff;
pub mod http;
pub mod kept;
pub mod locale;
pub mod mail;
pub mod page_cache;
pub mod page_store;
pub mod password;
pub mod rest;
pub mod session;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod webhooks;
