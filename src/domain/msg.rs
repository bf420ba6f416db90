//! Every message the app can send a person about their request, as a code with its values.
//! The browser renders one in the reader's language (`l10n::message`); the JSON API
//! answers its code and its English text; nothing ever matches on the words.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! messages {
    ($( $(#[$doc:meta])* $variant:ident $({ $($arg:ident : $ty:ty),* $(,)? })? = $code:literal ),* $(,)?) => {
        /// A message about a request (see the module's documentation). On the wire it is a
        /// list of strings, its code then its values (`["reason_too_long", "255"]`): a decoder
        /// far smaller, in the shoppers' download, than one per variant.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Msg {
            $( $(#[$doc])* $variant $({ $($arg: $ty),* })? ),*
        }

        impl Msg {
            /// The stable code: the JSON API's `code` for the refusals it names, and the
            /// message's translation key (`common.msg.<code>` for those a shopper can meet, `admin.msg.<code>` for the admin's own).
            pub fn code(&self) -> &'static str {
                match self { $( Msg::$variant { .. } => $code ),* }
            }

            /// Its values, as written on the wire.
            fn values(&self) -> Vec<String> {
                match self {
                    $( Msg::$variant $({ $($arg),* })? => vec![ $( $( Arg::write($arg) ),* )? ] ),*
                }
            }

            /// Every code, in the order of the variants.
            const CODES: &'static [&'static str] = &[ $( $code ),* ];

            /// The message a code and its values name, if they name one. The code is found by
            /// one search of [`Self::CODES`], then its place picks the variant: far less code
            /// in the shoppers' download than comparing each code in its own arm.
            fn read(code: &str, values: &[String]) -> Option<Msg> {
                let index = Self::CODES.iter().position(|c| *c == code)?;
                #[allow(unused_mut, unused_variables)]
                let mut values = values.iter();
                let mut at = 0usize;
                $(
                    if index == at {
                        return Some(Msg::$variant $({ $($arg: Arg::read(values.next()?)?),* })?);
                    }
                    at += 1;
                )*
                let _ = at;
                None
            }

            /// One of each message, with sample values (the translation test renders them all).
            pub fn samples() -> Vec<Msg> {
                vec![ $( Msg::$variant $({ $($arg: Sample::sample()),* })? ),* ]
            }
        }
    };
}

impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut parts = vec![self.code().to_string()];
        parts.extend(self.values());
        parts.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
        let parts = Vec::<String>::deserialize(d)?;
        let (code, values) = parts.split_first().ok_or_else(|| serde::de::Error::custom("a message without code"))?;
        Msg::read(code, values).ok_or_else(|| serde::de::Error::custom("an unknown message"))
    }
}

/// A message's value as its wire form writes and reads it.
trait Arg: Sized {
    fn write(&self) -> String;
    fn read(raw: &str) -> Option<Self>;
}

impl Arg for String {
    fn write(&self) -> String {
        self.clone()
    }
    fn read(raw: &str) -> Option<Self> {
        Some(raw.to_string())
    }
}

impl Arg for i64 {
    fn write(&self) -> String {
        self.to_string()
    }
    fn read(raw: &str) -> Option<Self> {
        raw.parse().ok()
    }
}

/// A resource travels as its place in [`Resource::ALL`](crate::domain::acl::Resource::ALL)
/// (both ends are the same build): reading its id would put every resource id in the
/// shoppers' download.
impl Arg for crate::domain::acl::Resource {
    fn write(&self) -> String {
        crate::domain::acl::Resource::ALL.iter().position(|r| r == self).unwrap_or(usize::MAX).to_string()
    }
    fn read(raw: &str) -> Option<Self> {
        crate::domain::acl::Resource::ALL.get(raw.parse::<usize>().ok()?).copied()
    }
}

/// A value to fill a message's placeholders with in tests.
pub trait Sample {
    fn sample() -> Self;
}

impl Sample for String {
    fn sample() -> Self {
        "sample".into()
    }
}

impl Sample for i64 {
    fn sample() -> Self {
        7
    }
}

impl Sample for crate::domain::acl::Resource {
    fn sample() -> Self {
        crate::domain::acl::Resource::AssistLogin
    }
}

messages! {
    // Login as Customer (SPEC §2 and §3.4); the first eight are the JSON API's codes too.
    AssistDisabled = "login_as_customer_disabled",
    CustomerNotFound = "customer_not_found",
    CustomerInactive = "customer_inactive",
    ConsentMissing = "customer_consent_missing",
    StoreViewRequired = "store_view_required",
    StoreViewNotAllowed = "store_view_not_allowed",
    ReasonRequired = "reason_required",
    ReasonTooLong { max: i64 } = "reason_too_long",
    /// A sensitive account change while an admin assists (SPEC §3.5).
    SensitiveChange = "sensitive_change_refused",
    /// A handoff link that cannot be redeemed, whatever the cause.
    TicketRefused = "ticket_refused",
    NoAssistanceRunning = "no_assistance_running",
    HandoffSignInFirst = "handoff_sign_in_first",

    // Signing in and who may do what.
    SignInRefused = "sign_in_refused",
    CredentialsRequired = "credentials_required",
    SignInBusy = "sign_in_busy",
    AdminSignInNeeded = "admin_sign_in_needed",
    CustomerSignInNeeded = "customer_sign_in_needed",
    AdminPasswordWrong = "admin_password_wrong",
    CustomerPasswordWrong = "customer_password_wrong",
    CurrentPasswordRequired = "current_password_required",
    StoreViewNotFound = "store_view_not_found",
    OwnPasswordToken = "own_password_token",
    OwnPasswordAccount = "own_password_account",
    OwnPasswordRole = "own_password_role",
    OwnPasswordUser = "own_password_user",
    /// The role lacks `resource`.
    PermissionNeeded { resource: crate::domain::acl::Resource } = "permission_needed",
    NoPermission = "no_permission",
    ConfigSectionForbidden { resource: crate::domain::acl::Resource } = "config_section_forbidden",
    OptInForbidden = "opt_in_forbidden",
    AccountCannotChange = "account_cannot_change",
    OnlyAdminPrivileges = "only_admin_privileges",
    GrantsMore = "grants_more",
    Outranked = "outranked",
    OwnRole = "own_role",
    WiderScope = "wider_scope",
    OutsideScope = "outside_scope",
    OwnAccount = "own_account",
    LastFullAdmin = "last_full_admin",

    // Fields.
    Required = "required",
    TooLong { max: i64 } = "too_long",
    BadCharacters = "bad_characters",
    InvalidEmail = "invalid_email",
    PasswordTooShort { min: i64 } = "password_too_short",
    PasswordClasses = "password_classes",
    PasswordMismatch = "password_mismatch",
    SameValueAgain = "same_value_again",
    UsernameFormat = "username_format",
    CodeFormat = "code_format",
    CheckboxValue = "checkbox_value",
    FieldsToCorrect = "fields_to_correct",

    // Admin users, roles, customers.
    RoleRequired = "role_required",
    DisplayNameTooLong { max: i64 } = "display_name_too_long",
    UserNotFound = "user_not_found",
    AdminUserUnknown { username: String } = "admin_user_unknown",
    UserDuplicate = "user_duplicate",
    RoleNameRequired = "role_name_required",
    RoleNotFound = "role_not_found",
    RoleNameTaken = "role_name_taken",
    UnknownResource { value: String } = "unknown_resource",
    ChooseAllOrCustom = "choose_all_or_custom",
    UnknownWebsite { value: String } = "unknown_website",
    UnknownCategory { value: String } = "unknown_category",
    UnknownGroup { value: String } = "unknown_group",
    SkuFormat = "sku_format",
    SkuTaken = "sku_taken",
    UrlKeyFormat = "url_key_format",
    UrlKeyTaken = "url_key_taken",
    CategoryUrlKeyTaken = "category_url_key_taken",
    CategoryUnderItself = "category_under_itself",
    CategoryHasSubcategories { count: i64 } = "category_has_subcategories",
    ChooseWebsite = "choose_website",
    UnknownUser { value: String } = "unknown_user",
    EmailTaken = "email_taken",
    CustomerEmailDuplicate = "customer_email_duplicate",
    GroupRequired = "group_required",
    LocaleUnknown = "locale_unknown",

    // Integrations.
    TokenNameRequired = "token_name_required",
    TokenNameTooLong { max: i64 } = "token_name_too_long",
    TokenLifetime { max_days: i64 } = "token_lifetime",
    LifetimeFormat { value: String } = "lifetime_format",
    TokenUserRequired = "token_user_required",
    NoSuchAdminUser = "no_such_admin_user",
    TokenUserInactive = "token_user_inactive",
    OnlyAdminTokens = "only_admin_tokens",
    TokenNotFound = "token_not_found",
    WebhookUrlHttps = "webhook_url_https",
    WebhookUrlTooLong { max: i64 } = "webhook_url_too_long",
    WebhookHostUnknown { host: String } = "webhook_host_unknown",
    WebhookAddressInside { host: String, address: String } = "webhook_address_inside",
    UnknownEvent { event: String, events: String } = "unknown_event",
    ChooseEvent { events: String } = "choose_event",
    WebhookNotFound = "webhook_not_found",

    // Configuration.
    ScopeInvalid = "scope_invalid",
    /// Share Customer Accounts cannot become `Global` while one email has accounts on several
    /// websites.
    ShareGloballyCollides { count: i64 } = "share_globally_collides",
    ScopeSyntax = "scope_syntax",
    ConfigFieldUnknown { key: String } = "config_field_unknown",
    ConfigSectionUnknown = "config_section_unknown",
    WiderScopeOnly = "wider_scope_only",
    ChooseYesNo = "choose_yes_no",
    ChooseOneOf { options: String } = "choose_one_of",
    ControlCharacters = "control_characters",
    WholeNumber { min: i64, max: i64 } = "whole_number",
    WholeNumberOrEmpty { min: i64, max: i64 } = "whole_number_or_empty",
    MoneyAmount { max: String } = "money_amount",
    SetByEnvironment = "set_by_environment",

    // Grids.
    SortUnknown { sort: String } = "sort_unknown",
    SortDirection { dir: String } = "sort_direction",
    FilterUnknown { key: String } = "filter_unknown",
    FilterValue { key: String, value: String } = "filter_value",
    PageLinkInvalid = "page_link_invalid",
    PageLinkSort = "page_link_sort",

    // Pages and requests.
    StoreNotFound = "store_not_found",
    CategoryNotFound = "category_not_found",
    ProductNotFound = "product_not_found",

    // Cart, checkout, Address Book and orders.
    QtyRange { min: i64, max: i64 } = "qty_range",
    OutOfStock { name: String } = "out_of_stock",
    NotEnoughStock { name: String, available: i64 } = "not_enough_stock",
    ProductUnavailable { name: String } = "product_unavailable",
    NotInCart = "not_in_cart",
    CartEmpty = "cart_empty",
    CountryUnknown = "country_unknown",
    AddressNotFound = "address_not_found",
    OrderNotFound = "order_not_found",
    ShippingMethodUnknown = "shipping_method_unknown",
    PaymentMethodUnknown = "payment_method_unknown",
    CheckoutOutOfDate = "checkout_out_of_date",
    PageNotFound = "page_not_found",
    LogEntryNotFound = "log_entry_not_found",
    ExportNotFound = "export_not_found",
    /// A state change that came from another site (answered as plain text, never rendered
    /// by a page).
    CrossSiteRefused = "cross_site_refused",
    PageOutOfDate = "page_out_of_date",
    /// The request's body or arguments could not be decoded; `detail` is the decoder's.
    RequestUnreadable { detail: String } = "request_unreadable",
    FieldMissing { name: String } = "field_missing",
    MethodNotAllowed { detail: String } = "method_not_allowed",
    ServerUnreachable = "server_unreachable",
    Internal = "internal",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_crosses_the_wire_unchanged() {
        for msg in Msg::samples() {
            let json = serde_json::to_string(&msg).unwrap();
            assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), msg, "{json}");
        }
        assert_eq!(serde_json::to_string(&Msg::ReasonTooLong { max: 255 }).unwrap(), r#"["reason_too_long","255"]"#);
        for bad in [r#"[]"#, r#"["no_such_code"]"#, r#"["reason_too_long"]"#, r#"["reason_too_long","x"]"#, "7"] {
            assert!(serde_json::from_str::<Msg>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for msg in Msg::samples() {
            assert!(seen.insert(msg.code()), "{} twice", msg.code());
        }
    }
}
