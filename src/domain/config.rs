//! Configuration fields, their scopes, defaults and the rule of inheritance
//! (store view → website → default → the field's built-in default).

use super::acl::Resource;
use crate::domain::msg::Msg;
use crate::l10n::text::Label;
use serde::{Deserialize, Serialize};

/// Where a value is set. Store views inherit from their website, websites from the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Default,
    Website(i64),
    StoreView(i64),
}

impl Scope {
    /// Stored form: (`default`|`websites`|`stores`, id).
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Scope::Default => ("default", 0),
            Scope::Website(id) => ("websites", id),
            Scope::StoreView(id) => ("stores", id),
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Scope> {
        match kind {
            "default" => Some(Scope::Default),
            "websites" => Some(Scope::Website(id)),
            "stores" => Some(Scope::StoreView(id)),
            _ => None,
        }
    }

    pub fn level(self) -> ScopeLevel {
        match self {
            Scope::Default => ScopeLevel::Default,
            Scope::Website(_) => ScopeLevel::Website,
            Scope::StoreView(_) => ScopeLevel::StoreView,
        }
    }

    /// The key used in URLs and forms: `default`, `website:<id>`, `store:<id>`.
    pub fn key(self) -> String {
        match self {
            Scope::Default => "default".into(),
            Scope::Website(id) => format!("website:{id}"),
            Scope::StoreView(id) => format!("store:{id}"),
        }
    }

    /// Reads a key made by [`Scope::key`] (an empty key is the default scope). Whether the
    /// website or store view exists is for the caller to check.
    pub fn parse_key(raw: &str) -> Option<Scope> {
        match ScopeRef::parse(raw).ok()? {
            ScopeRef::Default => Some(Scope::Default),
            ScopeRef::Website(id) => id.parse().ok().filter(|n| *n > 0).map(Scope::Website),
            ScopeRef::StoreView(id) => id.parse().ok().filter(|n| *n > 0).map(Scope::StoreView),
        }
    }
}

/// A scope as written by a person or a URL: `default`, `website:<x>` or `store:<x>`, where `x`
/// is an id on the screen and a code on the command line. The one parser of that syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeRef<'a> {
    Default,
    Website(&'a str),
    StoreView(&'a str),
}

impl<'a> ScopeRef<'a> {
    pub fn parse(raw: &'a str) -> Result<ScopeRef<'a>, Msg> {
        let bad = || Msg::ScopeSyntax;
        match raw.trim().split_once(':') {
            None if raw.trim().is_empty() || raw.trim() == "default" => Ok(ScopeRef::Default),
            Some(("website", x)) if !x.is_empty() => Ok(ScopeRef::Website(x)),
            Some(("store", x)) if !x.is_empty() => Ok(ScopeRef::StoreView(x)),
            _ => Err(bad()),
        }
    }
}

/// Form keys use `.` where paths have `/`, so they nest cleanly in form encoding.
pub fn form_key(path: &str) -> String {
    path.replace('/', ".")
}

/// The most specific level a field may be set at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ScopeLevel {
    Default,
    Website,
    StoreView,
}

/// What kind of input a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    YesNo,
    /// (stored value, label) pairs.
    Select(&'static [(&'static str, Label)]),
    Text,
    /// A whole number within bounds.
    Number {
        min: i64,
        max: i64,
    },
    /// Read from the server's environment and shown, never set here (`Caching Application`).
    Environment,
    /// An amount of money with at most two decimals, from 0 to `max` (stored as `5.00`).
    Money {
        max: i64,
    },
    /// A whole number within bounds, or empty for "no limit".
    OptionalNumber {
        min: i64,
        max: i64,
    },
}

/// One configuration field.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub path: &'static str,
    pub label: Label,
    pub kind: FieldKind,
    pub default: &'static str,
    pub max_level: ScopeLevel,
    pub comment: Option<Label>,
}

impl Field {
    /// The built-in default as read in `locale`. The consent checkbox's title and tooltip are
    /// texts a shopper reads, so theirs is translated; every other default is a value, the
    /// same in every language. (`default` keeps the English text, for the command line.)
    pub fn default_in(&self, locale: crate::l10n::locale::Locale) -> String {
        match self.path {
            ASSIST_OPT_IN_TITLE => crate::tr_in!(locale, store.consent.title),
            ASSIST_OPT_IN_TOOLTIP => crate::tr_in!(locale, store.consent.tooltip),
            _ => self.default.to_string(),
        }
    }
}

/// A group of fields inside a section.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    pub label: Label,
    pub fields: &'static [Field],
}

/// A section of Stores > Settings > Configuration, shown only with its resource.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub id: &'static str,
    pub tab: Label,
    pub label: Label,
    pub resource: Resource,
    pub groups: &'static [Group],
}

pub const GENERAL_LOCALE: &str = "general/locale/code";
/// The currency a website's prices are in (a website-level setting, as in the reference).
pub const BASE_CURRENCY: &str = "currency/options/base";
pub const SHARE_SCOPE: &str = "customer/account_share/scope";
pub const ASSIST_ENABLED: &str = "login_as_customer/general/enabled";
pub const ASSIST_DISABLE_PAGE_CACHE: &str = "login_as_customer/general/disable_page_cache";
pub const ASSIST_STORE_VIEW_LOGIN: &str = "login_as_customer/general/store_view_manual_choice";
pub const ASSIST_OPT_IN_TITLE: &str = "login_as_customer/general/opt_in_title";
pub const ASSIST_OPT_IN_TOOLTIP: &str = "login_as_customer/general/opt_in_tooltip";
pub const ASSIST_SESSION_LIFETIME: &str = "login_as_customer/general/session_lifetime";
pub const ASSIST_IDLE_TIMEOUT: &str = "login_as_customer/general/idle_timeout";
pub const ASSIST_REQUIRE_REASON: &str = "login_as_customer/general/require_reason";
pub const ASSIST_NOTIFY_CUSTOMER: &str = "login_as_customer/general/notify_customer";
pub const ASSIST_RESTRICT_SENSITIVE: &str = "login_as_customer/general/restrict_sensitive_changes";
pub const ASSIST_CONSENT_LIFETIME: &str = "login_as_customer/general/consent_lifetime";
pub const CUSTOMER_LOCKOUT_FAILURES: &str = "customer/password/lockout_failures";
pub const CUSTOMER_LOCKOUT_MINUTES: &str = "customer/password/lockout_threshold";
pub const ADMIN_LOCKOUT_FAILURES: &str = "admin/security/lockout_failures";
pub const ADMIN_LOCKOUT_MINUTES: &str = "admin/security/lockout_threshold";
pub const ADMIN_SESSION_LIFETIME: &str = "admin/security/session_lifetime";
/// `Flat Rate`: whether it is offered, and its amount per item (per website).
/// `Full Page Cache`: where pages are kept (from `REDIS_URL`), and for how long.
pub const FPC_APPLICATION: &str = "system/full_page_cache/caching_application";
pub const FPC_TTL: &str = "system/full_page_cache/ttl";
pub const FLAT_RATE_ACTIVE: &str = "carriers/flatrate/active";
pub const FLAT_RATE_PRICE: &str = "carriers/flatrate/price";

const YES_NO: FieldKind = FieldKind::YesNo;

pub const SECTIONS: &[Section] = &[
    Section {
        id: "general",
        tab: |l| crate::tr_in!(l, admin.config.tab_general),
        label: |l| crate::tr_in!(l, admin.config.general),
        resource: Resource::ConfigGeneralSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.locale_options),
            fields: &[Field {
                path: GENERAL_LOCALE,
                label: |l| crate::tr_in!(l, admin.config.general_locale),
                kind: FieldKind::Select(&[
                    ("en-US", |l| crate::l10n::text::locale_name(l, crate::l10n::locale::Locale::en_US)),
                    ("zh-Hant-TW", |l| crate::l10n::text::locale_name(l, crate::l10n::locale::Locale::zh_Hant_TW)),
                ]),
                default: "en-US",
                max_level: ScopeLevel::StoreView,
                comment: Some(|l| crate::tr_in!(l, admin.config.general_locale_comment)),
            }],
        }, Group {
            label: |l| crate::tr_in!(l, admin.config.currency_options),
            fields: &[Field {
                path: BASE_CURRENCY,
                label: |l| crate::tr_in!(l, admin.config.base_currency),
                kind: FieldKind::Select(&[
                    ("USD", |l| crate::tr_in!(l, admin.config.currency_usd)),
                    ("TWD", |l| crate::tr_in!(l, admin.config.currency_twd)),
                ]),
                default: "USD",
                max_level: ScopeLevel::Website,
                comment: Some(|l| crate::tr_in!(l, admin.config.base_currency_comment)),
            }],
        }],
    },
    Section {
        id: "customer",
        tab: |l| crate::tr_in!(l, admin.config.tab_customers),
        label: |l| crate::tr_in!(l, admin.config.customer_configuration),
        resource: Resource::ConfigCustomerSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.account_sharing_options),
            fields: &[Field {
                path: SHARE_SCOPE,
                label: |l| crate::tr_in!(l, admin.config.share_scope),
                kind: FieldKind::Select(&[("global", |l| crate::tr_in!(l, admin.config.option_global)), ("website", |l| crate::tr_in!(l, admin.config.option_per_website))]),
                default: "website",
                max_level: ScopeLevel::Default,
                comment: Some(|l| crate::tr_in!(l, admin.config.share_scope_comment)),
            }],
        },
        Group {
            label: |l| crate::tr_in!(l, admin.config.password_options),
            fields: &[
                Field {
                    path: CUSTOMER_LOCKOUT_FAILURES,
                    label: |l| crate::tr_in!(l, admin.config.customer_lockout_failures),
                    kind: FieldKind::Number { min: 1, max: 100 },
                    default: "10",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: CUSTOMER_LOCKOUT_MINUTES,
                    label: |l| crate::tr_in!(l, admin.config.customer_lockout_minutes),
                    kind: FieldKind::Number { min: 1, max: 10080 },
                    default: "10",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
            ],
        }],
    },
    Section {
        id: "login_as_customer",
        tab: |l| crate::tr_in!(l, admin.config.tab_customers),
        label: |l| crate::tr_in!(l, admin.config.login_as_customer),
        resource: Resource::ConfigAssistSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.login_as_customer),
            fields: &[
                Field {
                    path: ASSIST_ENABLED,
                    label: |l| crate::tr_in!(l, admin.config.assist_enabled),
                    kind: YES_NO,
                    default: "0",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: ASSIST_DISABLE_PAGE_CACHE,
                    label: |l| crate::tr_in!(l, admin.config.assist_disable_page_cache),
                    kind: YES_NO,
                    default: "1",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: ASSIST_STORE_VIEW_LOGIN,
                    label: |l| crate::tr_in!(l, admin.config.assist_store_view_login),
                    kind: FieldKind::Select(&[("0", |l| crate::tr_in!(l, admin.config.option_automatic)), ("1", |l| crate::tr_in!(l, admin.config.option_manual_selection))]),
                    default: "0",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: ASSIST_SESSION_LIFETIME,
                    label: |l| crate::tr_in!(l, admin.config.assist_session_lifetime),
                    kind: FieldKind::Number { min: 1, max: 1440 },
                    default: "60",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_session_lifetime_comment)),
                },
                Field {
                    path: ASSIST_IDLE_TIMEOUT,
                    label: |l| crate::tr_in!(l, admin.config.assist_idle_timeout),
                    kind: FieldKind::Number { min: 1, max: 1440 },
                    default: "15",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_idle_timeout_comment)),
                },
                Field {
                    path: ASSIST_REQUIRE_REASON,
                    label: |l| crate::tr_in!(l, admin.config.assist_require_reason),
                    kind: YES_NO,
                    default: "0",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_require_reason_comment)),
                },
                Field {
                    path: ASSIST_NOTIFY_CUSTOMER,
                    label: |l| crate::tr_in!(l, admin.config.assist_notify_customer),
                    kind: YES_NO,
                    default: "1",
                    max_level: ScopeLevel::Website,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_notify_customer_comment)),
                },
                Field {
                    path: ASSIST_RESTRICT_SENSITIVE,
                    label: |l| crate::tr_in!(l, admin.config.assist_restrict_sensitive),
                    kind: YES_NO,
                    default: "1",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_restrict_sensitive_comment)),
                },
                Field {
                    path: ASSIST_CONSENT_LIFETIME,
                    label: |l| crate::tr_in!(l, admin.config.assist_consent_lifetime),
                    kind: FieldKind::OptionalNumber { min: 1, max: 3650 },
                    default: "",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.assist_consent_lifetime_comment)),
                },
                Field {
                    path: ASSIST_OPT_IN_TITLE,
                    label: |l| crate::tr_in!(l, admin.config.assist_opt_in_title),
                    kind: FieldKind::Text,
                    default: "Allow remote shopping assistance",
                    max_level: ScopeLevel::StoreView,
                    comment: None,
                },
                Field {
                    path: ASSIST_OPT_IN_TOOLTIP,
                    label: |l| crate::tr_in!(l, admin.config.assist_opt_in_tooltip),
                    kind: FieldKind::Text,
                    default: "This allows merchants to \"see what you see\" and take actions on your behalf in order to provide better assistance.",
                    max_level: ScopeLevel::StoreView,
                    comment: None,
                },
            ],
        }],
    },
    Section {
        id: "carriers",
        tab: |l| crate::tr_in!(l, admin.config.tab_sales),
        label: |l| crate::tr_in!(l, admin.config.delivery_methods),
        resource: Resource::ConfigCarriersSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.flat_rate),
            fields: &[
                Field {
                    path: FLAT_RATE_ACTIVE,
                    label: |l| crate::tr_in!(l, admin.config.flat_rate_active),
                    kind: YES_NO,
                    default: "1",
                    max_level: ScopeLevel::Website,
                    comment: None,
                },
                Field {
                    path: FLAT_RATE_PRICE,
                    label: |l| crate::tr_in!(l, admin.config.flat_rate_price),
                    kind: FieldKind::Money { max: 10_000_000 },
                    default: "5.00",
                    max_level: ScopeLevel::Website,
                    comment: Some(|l| crate::tr_in!(l, admin.config.flat_rate_price_comment)),
                },
            ],
        }],
    },
    Section {
        id: "system",
        tab: |l| crate::tr_in!(l, admin.config.tab_advanced),
        label: |l| crate::tr_in!(l, admin.config.system),
        resource: Resource::ConfigSystemSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.full_page_cache),
            fields: &[
                Field {
                    path: FPC_APPLICATION,
                    label: |l| crate::tr_in!(l, admin.config.fpc_application),
                    kind: FieldKind::Environment,
                    default: "Built-in",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.fpc_application_comment)),
                },
                Field {
                    path: FPC_TTL,
                    label: |l| crate::tr_in!(l, admin.config.fpc_ttl),
                    kind: FieldKind::Number { min: 60, max: 31_536_000 },
                    default: "86400",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.fpc_ttl_comment)),
                },
            ],
        }],
    },
    Section {
        id: "admin",
        tab: |l| crate::tr_in!(l, admin.config.tab_advanced),
        label: |l| crate::tr_in!(l, admin.config.admin),
        resource: Resource::ConfigAdminSection,
        groups: &[Group {
            label: |l| crate::tr_in!(l, admin.config.security),
            fields: &[
                Field {
                    path: ADMIN_LOCKOUT_FAILURES,
                    label: |l| crate::tr_in!(l, admin.config.admin_lockout_failures),
                    kind: FieldKind::Number { min: 1, max: 100 },
                    default: "6",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: ADMIN_LOCKOUT_MINUTES,
                    label: |l| crate::tr_in!(l, admin.config.admin_lockout_minutes),
                    kind: FieldKind::Number { min: 1, max: 10080 },
                    default: "30",
                    max_level: ScopeLevel::Default,
                    comment: None,
                },
                Field {
                    path: ADMIN_SESSION_LIFETIME,
                    label: |l| crate::tr_in!(l, admin.config.admin_session_lifetime),
                    kind: FieldKind::Number { min: 60, max: 31_536_000 },
                    default: "900",
                    max_level: ScopeLevel::Default,
                    comment: Some(|l| crate::tr_in!(l, admin.config.admin_session_lifetime_comment)),
                },
            ],
        }],
    },
];

/// Finds a field and its section by path.
pub fn field(path: &str) -> Option<(&'static Section, &'static Field)> {
    SECTIONS
        .iter()
        .flat_map(|s| s.groups.iter().flat_map(move |g| g.fields.iter().map(move |f| (s, f))))
        .find(|(_, f)| f.path == path)
}

/// Checks a value against its field: the one parser used by the admin screen and the CLI.
pub fn parse_value(field: &Field, raw: &str) -> Result<String, Msg> {
    match field.kind {
        FieldKind::YesNo => match raw.trim() {
            "1" | "yes" | "Yes" | "true" => Ok("1".into()),
            "0" | "no" | "No" | "false" => Ok("0".into()),
            _ => Err(Msg::ChooseYesNo),
        },
        FieldKind::Select(options) => options
            .iter()
            .find(|(v, l)| *v == raw.trim() || l(crate::l10n::locale::Locale::en_US).eq_ignore_ascii_case(raw.trim()))
            .map(|(v, _)| (*v).to_string())
            .ok_or_else(|| {
                let values: Vec<_> = options.iter().map(|(v, _)| *v).collect();
                Msg::ChooseOneOf { options: values.join(", ") }
            }),
        FieldKind::Text => {
            let v = raw.trim();
            if v.chars().count() > 1000 {
                Err(Msg::TooLong { max: 1000 })
            } else if v.chars().any(|c| c.is_control() && c != '\n') {
                Err(Msg::ControlCharacters)
            } else {
                Ok(v.to_string())
            }
        }
        FieldKind::Number { min, max } => match raw.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(Msg::WholeNumber { min, max }),
        },
        FieldKind::Environment => Err(Msg::SetByEnvironment),
        FieldKind::Money { max } => match parse_money(raw) {
            Some(n) if (0..=max).contains(&n) => Ok(format!("{}.{:02}", n / 100, n % 100)),
            _ => Err(Msg::MoneyAmount { max: format!("{}.{:02}", max / 100, max % 100) }),
        },
        FieldKind::OptionalNumber { min, max } => match raw.trim() {
            "" => Ok(String::new()),
            v => match v.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(Msg::WholeNumberOrEmpty { min, max }),
            },
        },
    }
}

/// An amount written with at most two decimals (`5`, `5.5`, `5.00`), in hundredths.
pub fn parse_money(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty() || whole.len() > 12 || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + cents)
}

/// Values set at each level for one field, least specific first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layers {
    pub default: Option<String>,
    pub website: Option<String>,
    pub store_view: Option<String>,
}

impl Layers {
    /// The most specific value set at or above `level`, if any is set.
    pub fn set_value(&self, field: &Field, level: ScopeLevel) -> Option<String> {
        [
            (ScopeLevel::StoreView, &self.store_view),
            (ScopeLevel::Website, &self.website),
            (ScopeLevel::Default, &self.default),
        ]
        .iter()
        .filter(|(l, _)| *l <= level && *l <= field.max_level)
        .find_map(|(_, v)| Option::clone(v))
    }

    /// The effective value at `level`: the most specific value set at or above it, else the
    /// built-in default as read in `locale` (values set are shown as written).
    pub fn resolve(&self, field: &Field, level: ScopeLevel, locale: crate::l10n::locale::Locale) -> String {
        self.set_value(field, level).unwrap_or_else(|| field.default_in(locale))
    }

    /// The value this level would inherit, read in `locale`, if its own value were removed.
    pub fn inherited(&self, field: &Field, level: ScopeLevel, locale: crate::l10n::locale::Locale) -> String {
        match level {
            ScopeLevel::Default => field.default_in(locale),
            ScopeLevel::Website => self.resolve(field, ScopeLevel::Default, locale),
            ScopeLevel::StoreView => self.resolve(field, ScopeLevel::Website, locale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_views_inherit_from_their_website_and_override_where_set() {
        let (_, f) = field(ASSIST_OPT_IN_TITLE).unwrap();
        let en = crate::l10n::locale::Locale::en_US;
        let mut l = Layers::default();
        assert_eq!(l.resolve(f, ScopeLevel::StoreView, en), "Allow remote shopping assistance");
        l.default = Some("A".into());
        l.website = Some("B".into());
        assert_eq!(l.resolve(f, ScopeLevel::StoreView, en), "B");
        assert_eq!(l.resolve(f, ScopeLevel::Default, en), "A");
        l.store_view = Some("C".into());
        assert_eq!(l.resolve(f, ScopeLevel::StoreView, en), "C");
        assert_eq!(l.inherited(f, ScopeLevel::StoreView, en), "B");
    }

    #[test]
    fn built_in_texts_read_in_the_readers_language_and_values_as_written() {
        let zh = crate::l10n::locale::Locale::zh_Hant_TW;
        let (_, title) = field(ASSIST_OPT_IN_TITLE).unwrap();
        let (_, tooltip) = field(ASSIST_OPT_IN_TOOLTIP).unwrap();
        let mut l = Layers::default();
        assert_eq!(l.resolve(title, ScopeLevel::StoreView, zh), "允許遠端購物協助");
        assert_eq!(l.inherited(title, ScopeLevel::Website, zh), "允許遠端購物協助");
        assert!(!l.resolve(tooltip, ScopeLevel::Default, zh).is_ascii());
        l.website = Some("Let us help".into());
        assert_eq!(l.resolve(title, ScopeLevel::StoreView, zh), "Let us help", "a saved value stays as typed");
        // The English built-in text is the field's `default`, which the command line shows.
        for f in [title, tooltip] {
            assert_eq!(f.default_in(crate::l10n::locale::Locale::en_US), f.default);
        }
        let (_, locale) = field(GENERAL_LOCALE).unwrap();
        assert_eq!(locale.default_in(zh), "en-US", "a value, not a text");
    }

    #[test]
    fn default_only_fields_ignore_narrower_values() {
        let (_, f) = field(ASSIST_ENABLED).unwrap();
        let l = Layers { default: Some("1".into()), website: Some("0".into()), store_view: None };
        assert_eq!(l.resolve(f, ScopeLevel::StoreView, crate::l10n::locale::Locale::en_US), "1");
    }

    #[test]
    fn values_are_parsed_by_kind() {
        let (_, yes_no) = field(ASSIST_ENABLED).unwrap();
        assert_eq!(parse_value(yes_no, "Yes").unwrap(), "1");
        assert!(parse_value(yes_no, "maybe").is_err());
        let (_, share) = field(SHARE_SCOPE).unwrap();
        assert_eq!(parse_value(share, "Global").unwrap(), "global");
        assert!(parse_value(share, "planet").is_err());
        let (_, n) = field(ADMIN_LOCKOUT_FAILURES).unwrap();
        assert!(parse_value(n, "0").is_err());
        assert_eq!(parse_value(n, " 6 ").unwrap(), "6");
    }

    #[test]
    fn scope_keys_round_trip_and_odd_ones_are_refused() {
        for s in [Scope::Default, Scope::Website(2), Scope::StoreView(3)] {
            assert_eq!(Scope::parse_key(&s.key()), Some(s));
        }
        assert_eq!(Scope::parse_key(""), Some(Scope::Default));
        for bad in ["website:", "store:x", "website:-1", "planet:1", "store"] {
            assert_eq!(Scope::parse_key(bad), None, "{bad}");
        }
        assert_eq!(ScopeRef::parse("store:second_en"), Ok(ScopeRef::StoreView("second_en")));
    }

    #[test]
    fn every_path_is_unique() {
        let mut paths: Vec<_> =
            SECTIONS.iter().flat_map(|s| s.groups.iter().flat_map(|g| g.fields.iter().map(|f| f.path))).collect();
        let n = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), n);
    }
}
