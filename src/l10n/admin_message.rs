//! The admin's messages in each locale (see `super::message`). In the browser only the admin's
//! frame names this file, so it lands in the admin's chunk: the shoppers' download carries
//! neither its code nor its texts.

use super::locale::Locale;
use crate::domain::msg::Msg;
use crate::tr_in;

/// A message only the admin shows, in `locale`; any other reads as its code.
pub fn message(locale: Locale, msg: &Msg) -> String {
    match msg {
        Msg::CustomerInactive => tr_in!(locale, admin.msg.customer_inactive),
        Msg::ConsentMissing => tr_in!(locale, admin.msg.customer_consent_missing),
        Msg::StoreViewRequired => tr_in!(locale, admin.msg.store_view_required),
        Msg::StoreViewNotAllowed => tr_in!(locale, admin.msg.store_view_not_allowed),
        Msg::ReasonRequired => tr_in!(locale, admin.msg.reason_required),
        Msg::ReasonTooLong { max } => tr_in!(locale, admin.msg.reason_too_long, max = max),
        Msg::TicketRefused => tr_in!(locale, admin.msg.ticket_refused),
        Msg::HandoffSignInFirst => tr_in!(locale, admin.msg.handoff_sign_in_first),
        Msg::CredentialsRequired => tr_in!(locale, admin.msg.credentials_required),
        Msg::AdminSignInNeeded => tr_in!(locale, admin.msg.admin_sign_in_needed),
        Msg::AdminPasswordWrong => tr_in!(locale, admin.msg.admin_password_wrong),
        Msg::StoreViewNotFound => tr_in!(locale, admin.msg.store_view_not_found),
        Msg::OwnPasswordToken => tr_in!(locale, admin.msg.own_password_token),
        Msg::OwnPasswordAccount => tr_in!(locale, admin.msg.own_password_account),
        Msg::OwnPasswordRole => tr_in!(locale, admin.msg.own_password_role),
        Msg::OwnPasswordUser => tr_in!(locale, admin.msg.own_password_user),
        Msg::PermissionNeeded { resource } => {
            tr_in!(locale, admin.msg.permission_needed, resource = resource.label_in(locale))
        }
        Msg::NoPermission => tr_in!(locale, admin.msg.no_permission),
        Msg::ConfigSectionForbidden { resource } => {
            tr_in!(locale, admin.msg.config_section_forbidden, resource = resource.label_in(locale))
        }
        Msg::OptInForbidden => tr_in!(locale, admin.msg.opt_in_forbidden),
        Msg::AccountCannotChange => tr_in!(locale, admin.msg.account_cannot_change),
        Msg::OnlyAdminPrivileges => tr_in!(locale, admin.msg.only_admin_privileges),
        Msg::GrantsMore => tr_in!(locale, admin.msg.grants_more),
        Msg::Outranked => tr_in!(locale, admin.msg.outranked),
        Msg::OwnRole => tr_in!(locale, admin.msg.own_role),
        Msg::WiderScope => tr_in!(locale, admin.msg.wider_scope),
        Msg::OutsideScope => tr_in!(locale, admin.msg.outside_scope),
        Msg::OwnAccount => tr_in!(locale, admin.msg.own_account),
        Msg::LastFullAdmin => tr_in!(locale, admin.msg.last_full_admin),
        Msg::UsernameFormat => tr_in!(locale, admin.msg.username_format),
        Msg::CodeFormat => tr_in!(locale, admin.msg.code_format),
        Msg::RoleRequired => tr_in!(locale, admin.msg.role_required),
        Msg::DisplayNameTooLong { max } => tr_in!(locale, admin.msg.display_name_too_long, max = max),
        Msg::UserNotFound => tr_in!(locale, admin.msg.user_not_found),
        Msg::AdminUserUnknown { username } => tr_in!(locale, admin.msg.admin_user_unknown, username = username),
        Msg::UserDuplicate => tr_in!(locale, admin.msg.user_duplicate),
        Msg::RoleNameRequired => tr_in!(locale, admin.msg.role_name_required),
        Msg::RoleNotFound => tr_in!(locale, admin.msg.role_not_found),
        Msg::RoleNameTaken => tr_in!(locale, admin.msg.role_name_taken),
        Msg::UnknownResource { value } => tr_in!(locale, admin.msg.unknown_resource, value = value),
        Msg::ChooseAllOrCustom => tr_in!(locale, admin.msg.choose_all_or_custom),
        Msg::UnknownWebsite { value } => tr_in!(locale, admin.msg.unknown_website, value = value),
        Msg::ChooseWebsite => tr_in!(locale, admin.msg.choose_website),
        Msg::UnknownUser { value } => tr_in!(locale, admin.msg.unknown_user, value = value),
        Msg::GroupRequired => tr_in!(locale, admin.msg.group_required),
        Msg::LocaleUnknown => tr_in!(locale, admin.msg.locale_unknown),
        Msg::TokenNameRequired => tr_in!(locale, admin.msg.token_name_required),
        Msg::TokenNameTooLong { max } => tr_in!(locale, admin.msg.token_name_too_long, max = max),
        Msg::TokenLifetime { max_days } => tr_in!(locale, admin.msg.token_lifetime, max_days = max_days),
        Msg::LifetimeFormat { value } => tr_in!(locale, admin.msg.lifetime_format, value = value),
        Msg::TokenUserRequired => tr_in!(locale, admin.msg.token_user_required),
        Msg::NoSuchAdminUser => tr_in!(locale, admin.msg.no_such_admin_user),
        Msg::TokenUserInactive => tr_in!(locale, admin.msg.token_user_inactive),
        Msg::OnlyAdminTokens => tr_in!(locale, admin.msg.only_admin_tokens),
        Msg::TokenNotFound => tr_in!(locale, admin.msg.token_not_found),
        Msg::WebhookUrlHttps => tr_in!(locale, admin.msg.webhook_url_https),
        Msg::WebhookUrlTooLong { max } => tr_in!(locale, admin.msg.webhook_url_too_long, max = max),
        Msg::WebhookHostUnknown { host } => tr_in!(locale, admin.msg.webhook_host_unknown, host = host),
        Msg::WebhookAddressInside { host, address } => {
            tr_in!(locale, admin.msg.webhook_address_inside, host = host, address = address)
        }
        Msg::UnknownEvent { event, events } => tr_in!(locale, admin.msg.unknown_event, event = event, events = events),
        Msg::ChooseEvent { events } => tr_in!(locale, admin.msg.choose_event, events = events),
        Msg::WebhookNotFound => tr_in!(locale, admin.msg.webhook_not_found),
        Msg::ScopeInvalid => tr_in!(locale, admin.msg.scope_invalid),
        Msg::ShareGloballyCollides { count } => tr_in!(locale, admin.msg.share_globally_collides, count = count),
        Msg::ScopeSyntax => tr_in!(locale, admin.msg.scope_syntax),
        Msg::ConfigFieldUnknown { key } => tr_in!(locale, admin.msg.config_field_unknown, key = key),
        Msg::ConfigSectionUnknown => tr_in!(locale, admin.msg.config_section_unknown),
        Msg::WiderScopeOnly => tr_in!(locale, admin.msg.wider_scope_only),
        Msg::ChooseYesNo => tr_in!(locale, admin.msg.choose_yes_no),
        Msg::ChooseOneOf { options } => tr_in!(locale, admin.msg.choose_one_of, options = options),
        Msg::ControlCharacters => tr_in!(locale, admin.msg.control_characters),
        Msg::WholeNumber { min, max } => tr_in!(locale, admin.msg.whole_number, min = min, max = max),
        Msg::WholeNumberOrEmpty { min, max } => tr_in!(locale, admin.msg.whole_number_or_empty, min = min, max = max),
        Msg::MoneyAmount { max } => tr_in!(locale, admin.msg.money_amount, max = max),
        Msg::SetByEnvironment => tr_in!(locale, admin.msg.set_by_environment),
        Msg::UnknownCategory { value } => tr_in!(locale, admin.msg.unknown_category, value = value),
        Msg::UnknownGroup { value } => tr_in!(locale, admin.msg.unknown_group, value = value),
        Msg::SkuFormat => tr_in!(locale, admin.msg.sku_format),
        Msg::SkuTaken => tr_in!(locale, admin.msg.sku_taken),
        Msg::UrlKeyFormat => tr_in!(locale, admin.msg.url_key_format),
        Msg::UrlKeyTaken => tr_in!(locale, admin.msg.url_key_taken),
        Msg::CategoryUrlKeyTaken => tr_in!(locale, admin.msg.category_url_key_taken),
        Msg::CategoryUnderItself => tr_in!(locale, admin.msg.category_under_itself),
        Msg::CategoryHasSubcategories { count } => {
            tr_in!(locale, admin.msg.category_has_subcategories, count = count)
        }
        Msg::SortUnknown { sort } => tr_in!(locale, admin.msg.sort_unknown, sort = sort),
        Msg::SortDirection { dir } => tr_in!(locale, admin.msg.sort_direction, dir = dir),
        Msg::FilterUnknown { key } => tr_in!(locale, admin.msg.filter_unknown, key = key),
        Msg::FilterValue { key, value } => tr_in!(locale, admin.msg.filter_value, key = key, value = value),
        Msg::PageLinkInvalid => tr_in!(locale, admin.msg.page_link_invalid),
        Msg::PageLinkSort => tr_in!(locale, admin.msg.page_link_sort),
        Msg::LogEntryNotFound => tr_in!(locale, admin.msg.log_entry_not_found),
        Msg::ExportNotFound => tr_in!(locale, admin.msg.export_not_found),
        // Only the server writes this one (a plain-text refusal), so no browser needs it.
        Msg::CrossSiteRefused => tr_in!(locale, admin.msg.cross_site_refused),
        other => other.code().to_string(),
    }
}
