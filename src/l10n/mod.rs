//! The reader's language: which locale a request gets (`locale`), the texts (`text`), dates
//! and numbers (`format`), names (`names`) and messages (`message`, `admin_message`).
//!
//! Imports run upward through this folder: `locale` imports nothing of the app, `text` only
//! `locale` (so the domain may name its declarations' texts), and the rest render domain
//! values into words at the edge. Callers use the names re-exported here.

pub mod admin_message;
pub mod format;
pub mod locale;
pub mod message;
pub mod names;
pub mod text;

pub use format::{date, datetime, money, number};
pub use locale::{code, current, negotiate, page_locale, parse, Locale, PageLocale, RequestLocale, LOCALES};
pub use message::{admin_messages, message, say};
pub use names::{action_name, end_reason, full_name, group_name, list, row_count};
#[cfg(feature = "ssr")]
pub use text::preload;
pub use text::{load, locale_name, tables_for, Label, Localized, Table};
