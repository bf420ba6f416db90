//! Integration tests: the whole app over HTTP, each on SQLite and on PostgreSQL.

mod helpers;

mod action_log_report;
mod actions;
mod admin_sign_in;
mod assist;
mod attacks;
mod audit_chain;
mod authorization;
mod catalog;
mod catalog_admin;
mod configuration;
mod consent;
mod customers;
mod forms;
mod grid;
mod hardening;
mod i18n;
mod integrations;
mod mail;
mod page_cache;
mod permissions;
mod role_scopes;
mod sales;
mod schema;
mod security;
mod storefront;
