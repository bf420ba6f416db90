//! Data that crosses between server and browser. Secrets (password hashes) never appear here.

use super::acl::Resource;
use serde::{Deserialize, Serialize};

/// One store view with where it sits in the hierarchy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub group_id: i64,
    pub group_name: String,
    pub website_id: i64,
    pub website_name: String,
    pub is_default: bool,
    /// The storefront's language here (`general/locale/code` in effect for this store view).
    #[serde(default)]
    pub locale: String,
    /// The website's currency (`currency/options/base`): how prices read here.
    #[serde(default)]
    pub currency: String,
}

/// The admin dashboard's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub customers: i64,
    pub customers_last_7_days: i64,
    pub websites: i64,
    pub store_views: i64,
}

/// A website and its id, for pickers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Website {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The signed-in admin as the admin pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminMe {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub resources: Vec<Resource>,
}

/// The signed-in customer as the storefront sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMe {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub website_name: String,
    /// The consent checkbox, on Account Information only (and only while Login as Customer is
    /// enabled); never filled for the header.
    #[serde(default)]
    pub consent: Option<crate::domain::consent::ConsentBox>,
}

/// What the storefront header needs: the store view, and who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorefrontContext {
    pub store: StoreView,
    pub customer: Option<CustomerMe>,
    /// The consent checkbox as this store view shows it (registration shows it too); `None`
    /// while Login as Customer is disabled.
    #[serde(default)]
    pub consent: Option<crate::domain::consent::ConsentBox>,
    /// The banner, while an admin assists the shopper (Login as Customer).
    #[serde(default)]
    pub assisted: Option<crate::domain::assist::Banner>,
    /// Why the previous assistance session ended (shown once, on the next page).
    #[serde(default)]
    pub notice: Option<crate::domain::assist::EndReason>,
    /// The mini cart: units and subtotal.
    #[serde(default)]
    pub cart: crate::domain::sales::MiniCart,
    /// Rendered for the page cache: nothing private is here (no name, cart, banner or notice);
    /// the browser asks for the private context once it runs.
    #[serde(default)]
    pub public: bool,
    /// A shopper is signed in (a public page shows `My Account` rather than `Sign In`).
    #[serde(default)]
    pub member: bool,
}

/// One row of System > Action Logs > `Report`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionLogRow {
    pub id: i64,
    pub created_at: i64,
    /// Who: the admin's user name, `customer #<id>`, or the tool.
    pub actor: String,
    /// `admin`, `customer`, `admin_as_customer`, `system` or `anonymous`.
    pub actor_type: String,
    pub action_group: String,
    pub action: String,
    pub target: String,
    pub result: String,
    pub ip: String,
    pub assistance_session_id: Option<i64>,
}

/// The names the server's own tools are logged under (the `Admin` column, stored as written;
/// the report shows them translated).
pub mod log_actor {
    /// Someone at the server's console.
    pub const COMMAND_LINE: &str = "command line";
    /// The check that ends assistance sessions found dead.
    pub const SESSION_CHECK: &str = "Login as Customer session check";
}

impl ActionLogRow {
    /// The target as stored: `<type> #<id>` with an id, or `<type>` alone.
    pub fn target_text(target_type: &str, target_id: &str) -> String {
        if target_id.is_empty() {
            target_type.to_string()
        } else {
            format!("{target_type} #{target_id}")
        }
    }

    /// [`ActionLogRow::target`] read back: its type and its id, if any. Types are the app's
    /// own words (`customer`, `admin_user`), none with ` #` in it.
    pub fn target_parts(&self) -> (&str, Option<&str>) {
        match self.target.split_once(" #") {
            Some((kind, id)) => (kind, Some(id)),
            None => (&self.target, None),
        }
    }
}

/// One action-log entry in full, for the report's detail view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionLogEntry {
    pub row: ActionLogRow,
    pub user_agent: String,
    pub customer_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// The report's filter choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionLogFilters {
    pub groups: Vec<String>,
    pub admins: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroup {
    pub id: i64,
    pub code: String,
}

/// A row of the admin customer grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub group: String,
    pub website: String,
    pub created_at: i64,
    pub is_active: bool,
}

/// The admin customer edit form's Account Information.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub group_id: i64,
    pub website_id: i64,
    pub website_name: String,
    pub created_in: String,
    pub is_active: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSummary {
    pub id: i64,
    pub name: String,
    pub all_resources: bool,
    pub users: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetail {
    pub id: i64,
    pub name: String,
    pub all_resources: bool,
    pub resources: Vec<Resource>,
    pub users: Vec<AdminUserRow>,
    /// Role Scopes: the websites the role covers.
    #[serde(default)]
    pub scope: crate::domain::acl::Scope,
}

/// The role edit page: the role (`None` for a new one) and every admin user, for the
/// Role Users tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleWithUsers {
    pub role: Option<RoleDetail>,
    pub users: Vec<AdminUserRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_id: i64,
    pub role_name: String,
    pub is_active: bool,
    /// `Name Shown to Customers`; empty means the first name.
    #[serde(default)]
    pub display_name: String,
    /// `Interface Locale`: the admin panel's language for this user (`en-US`, `zh-Hant-TW`).
    #[serde(default)]
    pub interface_locale: String,
}

impl AdminUserRow {
    /// The name shoppers see for this admin: `Name Shown to Customers`, or the first name.
    pub fn shown_name(&self) -> String {
        shown_name(&self.display_name, &self.first_name)
    }
}

/// `Name Shown to Customers` when set, else the first name (never the user name).
pub fn shown_name(display_name: &str, first_name: &str) -> String {
    let d = display_name.trim();
    if d.is_empty() {
        first_name.to_string()
    } else {
        d.to_string()
    }
}

/// One field on the configuration screen at the chosen scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFieldView {
    pub path: String,
    /// The value in effect at this scope.
    pub value: String,
    /// True when no value is set at this scope, so it inherits.
    pub inherits: bool,
    /// What it would inherit.
    pub inherited_value: String,
    /// False when the field cannot be set at this scope (it is shown read-only).
    pub editable: bool,
}

/// A choice in the scope switcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOption {
    /// `default`, `website:<id>` or `store:<id>`.
    pub key: String,
    pub label: String,
    pub depth: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigScreen {
    pub scope_key: String,
    pub scopes: Vec<ScopeOption>,
    /// Section ids the admin may see, in order.
    pub sections: Vec<String>,
    /// The section shown.
    pub section: String,
    pub fields: Vec<ConfigFieldView>,
}

/// Formats a millisecond timestamp as `YYYY-MM-DD HH:MM` UTC.
pub fn format_time(ms: i64) -> String {
    let c = super::time::Civil::from_ms(ms);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_format_as_utc() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        assert_eq!(format_time(1_795_996_800_000), "2026-11-30 00:00");
    }
}
