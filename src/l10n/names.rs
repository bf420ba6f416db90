//! Names as each locale writes them: people's names, lists, and the names of stored values
//! (log actions and groups, end reasons, locales, grid counts). Domain values are turned into
//! words here, at the edge, never in the domain.

use super::format::number;
use super::locale::Locale;
use crate::domain::assist::EndReason;
use crate::domain::grid::{RowCount, COUNT_CAP};
use crate::tr_in;

/// A person's full name as `locale` writes it. In Traditional Chinese a name written in CJK
/// characters puts the family name first with no space (`林`, `美`: 林美); a name in Latin
/// letters keeps its own order (`Mei Lin`), as it does in English.
pub fn full_name(locale: Locale, first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    let cjk = |s: &str| {
        s.chars().any(|c| {
            matches!(c as u32,
                0x3040..=0x30FF       // kana
                | 0x3400..=0x4DBF     // Han, extension A
                | 0x4E00..=0x9FFF     // Han
                | 0xAC00..=0xD7AF     // Hangul
                | 0xF900..=0xFAFF     // Han, compatibility
                | 0x20000..=0x3134F) // Han, extensions B to G
        })
    };
    let family_first = match locale {
        Locale::zh_Hant_TW => cjk(first) || cjk(last),
        Locale::en_US => false,
    };
    let mut name = String::with_capacity(first.len() + last.len() + 1);
    let (a, b) = if family_first { (last, first) } else { (first, last) };
    name.push_str(a);
    if !family_first && !a.is_empty() && !b.is_empty() {
        name.push(' ');
    }
    name.push_str(b);
    name
}

/// Items shown as one list, joined as `locale` joins them (`a, b` in English, `a、b` in
/// Chinese).
pub fn list(locale: Locale, items: &[String]) -> String {
    items.join(&tr_in!(locale, common.list.separator))
}

/// An action log entry's action, in `locale`. The log stores each action's name as it was
/// written (the sealed record); the known ones are shown translated, any other as stored.
pub fn action_name(locale: Locale, stored: &str) -> String {
    match stored {
        "Assign role" => tr_in!(locale, common.action.assign_role),
        "Create integration token" => tr_in!(locale, common.action.create_token),
        "Create role" => tr_in!(locale, common.action.create_role),
        "Delete webhook" => tr_in!(locale, common.action.delete_webhook),
        "End Login as Customer" => tr_in!(locale, common.action.end_login_as_customer),
        "Login as Customer" => tr_in!(locale, common.action.login_as_customer),
        "Register customer account" => tr_in!(locale, common.action.register_customer),
        "Register webhook" => tr_in!(locale, common.action.register_webhook),
        "Reset admin password" => tr_in!(locale, common.action.reset_admin_password),
        "Revoke integration token" => tr_in!(locale, common.action.revoke_token),
        "Allow remote shopping assistance" => tr_in!(locale, common.action.allow_assistance),
        "Revoke remote shopping assistance" => tr_in!(locale, common.action.revoke_assistance),
        "Save account information" => tr_in!(locale, common.action.save_account),
        "Save customer" => tr_in!(locale, common.action.save_customer),
        "Save role" => tr_in!(locale, common.action.save_role),
        "Unlock admin user" => tr_in!(locale, common.action.unlock_admin),
        "Create admin user" => tr_in!(locale, common.action.create_admin),
        "Save admin user" => tr_in!(locale, common.action.save_admin),
        "Save own account" => tr_in!(locale, common.action.save_own_account),
        "Save configuration" => tr_in!(locale, common.action.save_config),
        "Sign in" => tr_in!(locale, common.action.sign_in),
        "Open storefront" => tr_in!(locale, common.action.open_storefront),
        "API call" => tr_in!(locale, common.action.api_call),
        "API calls refused over budget" => tr_in!(locale, common.action.api_refused),
        "Add to cart" => tr_in!(locale, common.action.add_to_cart),
        "Update cart quantity" => tr_in!(locale, common.action.update_cart),
        "Remove from cart" => tr_in!(locale, common.action.remove_from_cart),
        "Place order" => tr_in!(locale, common.action.place_order),
        "Add address" => tr_in!(locale, common.action.add_address),
        "Save address" => tr_in!(locale, common.action.save_address),
        "Delete address" => tr_in!(locale, common.action.delete_address),
        "Delete customer account" => tr_in!(locale, common.action.delete_account),
        "Create product" => tr_in!(locale, common.action.create_product),
        "Save product" => tr_in!(locale, common.action.save_product),
        other => other.to_string(),
    }
}

/// An action group of the log (System > Action Logs > `Report`), in `locale`.
pub fn group_name(locale: Locale, stored: &str) -> String {
    match stored {
        "Admin Sign In" => tr_in!(locale, admin.group.admin_sign_in),
        "Configuration" => tr_in!(locale, admin.group.configuration),
        "Permissions" => tr_in!(locale, admin.group.permissions),
        "Customers" => tr_in!(locale, admin.group.customers),
        "Login As Customer" => tr_in!(locale, admin.group.login_as_customer),
        "Integrations" => tr_in!(locale, admin.group.integrations),
        "Sales" => tr_in!(locale, admin.group.sales),
        "Catalog" => tr_in!(locale, admin.group.catalog),
        other => other.to_string(),
    }
}

/// A grid's count (`12 records found`, `More than 10,000 records found`), in `locale`.
pub fn row_count(locale: Locale, count: RowCount) -> String {
    if count.capped {
        tr_in!(locale, admin.grid.found_more, count = number(locale, COUNT_CAP))
    } else {
        let shown = number(locale, count.rows);
        tr_in!(locale, admin.grid.found, count = count.rows, shown = shown)
    }
}

/// The name of an end reason, in `locale`.
pub fn end_reason(locale: Locale, reason: EndReason) -> String {
    use EndReason as R;
    match reason {
        R::Closed => tr_in!(locale, common.end_reason.closed),
        R::AdminSignedOut => tr_in!(locale, common.end_reason.admin_signed_out),
        R::AdminSessionEnded => tr_in!(locale, common.end_reason.admin_session_ended),
        R::Replaced => tr_in!(locale, common.end_reason.replaced),
        R::ConsentRevoked => tr_in!(locale, common.end_reason.consent_revoked),
        R::ConsentLapsed => tr_in!(locale, common.end_reason.consent_lapsed),
        R::CustomerPasswordChanged => tr_in!(locale, common.end_reason.customer_password_changed),
        R::CustomerEmailChanged => tr_in!(locale, common.end_reason.customer_email_changed),
        R::CustomerInactive => tr_in!(locale, common.end_reason.customer_inactive),
        R::PermissionLost => tr_in!(locale, common.end_reason.permission_lost),
        R::AdminInactive => tr_in!(locale, common.end_reason.admin_inactive),
        R::FeatureDisabled => tr_in!(locale, common.end_reason.feature_disabled),
        R::LifetimePassed => tr_in!(locale, common.end_reason.lifetime_passed),
        R::Idle => tr_in!(locale, common.end_reason.idle),
        R::NeverOpened => tr_in!(locale, common.end_reason.never_opened),
    }
}

/// An end reason stored as its code, as the log shows it in `locale` (an unknown code as
/// stored, none as nothing).
pub fn end_reason_code(locale: Locale, code: Option<&str>) -> String {
    code.map(|c| EndReason::from_code(c).map_or(c.to_string(), |r| end_reason(locale, r))).unwrap_or_default()
}

/// The End Reason filter's codes, with their names in `locale`.
pub fn end_reason_choices(locale: Locale) -> Vec<(&'static str, String)> {
    EndReason::ALL.iter().map(|r| (r.code(), end_reason(locale, *r))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_end_reason_has_a_name_in_each_locale() {
        for r in EndReason::ALL {
            for l in crate::l10n::locale::LOCALES {
                assert!(!end_reason(l, r).trim().is_empty(), "{r:?} in {l:?}");
            }
            assert_eq!(end_reason_code(Locale::en_US, Some(r.code())), end_reason(Locale::en_US, r));
        }
        assert_eq!(end_reason_code(Locale::en_US, Some("gone_code")), "gone_code", "an unknown code as stored");
        assert_eq!(end_reason_code(Locale::en_US, None), "");
    }

    #[test]
    fn grid_counts_read_in_each_locale() {
        let capped = RowCount { rows: 10_000, capped: true };
        assert_eq!(row_count(Locale::en_US, capped), "More than 10,000 records found");
        let one = RowCount { rows: 1, capped: false };
        assert_eq!(row_count(Locale::en_US, one), "1 record found");
        let many = RowCount { rows: 1234, capped: false };
        assert_eq!(row_count(Locale::en_US, many), "1,234 records found");
        assert_eq!(row_count(Locale::zh_Hant_TW, one), "找到 1 筆紀錄");
    }

    #[test]
    fn full_names_follow_the_readers_language_and_the_names_own_script() {
        let cases = [
            (Locale::zh_Hant_TW, "美", "林", "林美"),
            (Locale::zh_Hant_TW, "Mei", "林", "林Mei"),
            (Locale::zh_Hant_TW, "Mei", "Lin", "Mei Lin"),
            (Locale::zh_Hant_TW, " 大明 ", "王", "王大明"),
            (Locale::en_US, "美", "林", "美 林"),
            (Locale::en_US, "Mei", "Lin", "Mei Lin"),
            (Locale::en_US, "Cher", "", "Cher"),
        ];
        for (locale, first, last, want) in cases {
            assert_eq!(full_name(locale, first, last), want, "{first} {last} in {locale:?}");
        }
    }

    #[test]
    fn lists_are_joined_as_each_language_joins_them() {
        let items = ["Ada".to_string(), "林美".to_string(), "Sam".to_string()];
        assert_eq!(list(Locale::en_US, &items), "Ada, 林美, Sam");
        assert_eq!(list(Locale::zh_Hant_TW, &items), "Ada、林美、Sam");
        assert_eq!(list(Locale::zh_Hant_TW, &items[..1]), "Ada");
    }
}
