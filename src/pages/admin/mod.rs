//! Admin screens. Each is a lazy route, so its code is a separate chunk that only admins load.

pub(crate) mod account;
mod action_log;
mod assist;
mod assist_log;
mod catalog;
mod categories;
mod config;
mod customers;
mod dashboard;
mod integrations;
mod layout;
mod permissions;
mod stores;

pub use account::AccountPage;
pub use action_log::{ActionLogEntryPage, ActionLogPage};
pub use assist_log::AssistLogPage;
pub use catalog::{ProductEditPage, ProductsPage};
pub use categories::CategoriesPage;
pub use config::ConfigPage;
pub use customers::{CustomerEditPage, CustomersPage};
pub use dashboard::DashboardPage;
pub use integrations::IntegrationsPage;
pub use layout::AdminLayout;
pub use permissions::{RoleEditPage, RolesPage, UserEditPage, UsersPage};
pub use stores::StoresPage;
