//! The reader's language. The server decides each request's locale before rendering (the
//! store view's `general/locale/code` on the storefront, the admin's `Interface Locale` in
//! the admin, the browser's `Accept-Language` on the admin sign-in page) and writes it into
//! `<html lang>`; the browser reads it back from there, so both render the same text.
//!
//! Texts come from leptos_i18n (`locales/<locale>/<namespace>.json`, keys checked at compile
//! time, ICU plural rules). Each text is a constant: a text without values is one call to
//! [`pick`] with its constant in each locale, and the translations of the admin screens are
//! only in the admin's chunks (each constant is a data segment of its own, which wasm-split
//! can move; `scripts/pack-wasm.js` joins the main module's back together). (Its `dynamic_load`
//! mode, which keeps the strings out of the wasm, makes every key an async state machine of
//! its own: measured, that added 40 KiB brotli to the shoppers' download for the keys the
//! storefront shares with the messages and labels, against a budget of 15.)

pub use crate::i18n::Locale;
use leptos::prelude::*;

/// A text of a declaration (a configuration field, a menu entry), made in the reader's locale.
pub type Label = fn(Locale) -> String;

/// Every locale, in the order choices list them.
pub const LOCALES: [Locale; 2] = [Locale::en_US, Locale::zh_Hant_TW];

/// The locale written as configuration and `<html lang>` write it (`en-US`, `zh-Hant-TW`).
pub fn code(locale: Locale) -> &'static str {
    leptos_i18n::Locale::as_str(locale)
}

/// Reads a locale code as stored (exactly one of [`code`]'s answers).
pub fn parse(code: &str) -> Option<Locale> {
    LOCALES.into_iter().find(|l| self::code(*l) == code)
}

/// The best of our locales for an `Accept-Language` header, or English. Chinese written in
/// Traditional characters (Taiwan, Hong Kong, Macau, or `zh-Hant`) and a bare `zh` get
/// Traditional Chinese; Simplified Chinese (`zh-CN`, `zh-SG`, `zh-Hans`) is not offered, so
/// the next language the browser names decides.
pub fn negotiate(accept_language: &str) -> Locale {
    let mut ranges: Vec<(u16, usize, &str)> = accept_language
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16))?;
            (!tag.is_empty() && q > 0).then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, tag)| match_tag(tag)).unwrap_or_default()
}

fn match_tag(tag: &str) -> Option<Locale> {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    match parts.next()? {
        "en" => Some(Locale::en_US),
        "zh" => {
            let rest: Vec<&str> = parts.collect();
            let simplified = rest.iter().any(|p| matches!(*p, "hans" | "cn" | "sg" | "my"));
            (!simplified).then_some(Locale::zh_Hant_TW)
        }
        "*" => Some(Locale::default()),
        _ => None,
    }
}

/// The locale the server chose for this request (a request extension, set before rendering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

/// This request's locale: on the server the one chosen for it, in the browser the page's
/// `<html lang>` (which the server wrote).
pub fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<RequestLocale>().copied())
            .map_or_else(Locale::default, |l| l.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document().document_element().and_then(|e| e.get_attribute("lang")).and_then(|l| parse(&l)).unwrap_or_default()
    }
}

/// Makes the page's locale known to everything below (see [`current`]).
#[component]
pub fn Localized(children: Children) -> impl IntoView {
    provide_context(PageLocale(page_locale()));
    children()
}

/// The locale everything on this page is rendered in (provided by [`Localized`]).
#[derive(Clone, Copy, Debug)]
pub struct PageLocale(pub Locale);

/// A translated text, as a `String`, in the page's locale: `tr!(store.account.title)` or with
/// interpolated values, `tr!(store.welcome, name = full_name)`.
#[macro_export]
macro_rules! tr {
    ($($seg:ident).+) => {
        $crate::tr_in!($crate::l10n::current(), $($seg).+)
    };
    ($($key:tt)*) => {
        $crate::tr_in!($crate::l10n::current(), $($key)*)
    };
}

/// A translated text in a given locale (server-side messages: mail, the API, the command line).
///
/// A text without values is one call to [`pick`] with the text of each locale (constants the
/// library checked at compile time), so each use costs the shoppers' download a few bytes.
#[macro_export]
macro_rules! tr_in {
    ($locale:expr, $($seg:ident).+) => {
        $crate::l10n::pick(
            $locale,
            leptos_i18n::td_string!($crate::l10n::Locale::en_US, $($seg).+),
            leptos_i18n::td_string!($crate::l10n::Locale::zh_Hant_TW, $($seg).+),
        )
    };
    ($locale:expr, $($key:tt)*) => {
        ::std::string::ToString::to_string(&leptos_i18n::td_string!($locale, $($key)*))
    };
}

/// The text of `locale` among a text's translations (see [`tr_in`]). Adding a locale makes
/// this match, and so every use, fail to compile until the text is given in it too.
#[inline(never)]
pub fn pick(locale: Locale, en_us: &'static str, zh_hant_tw: &'static str) -> String {
    match locale {
        Locale::en_US => en_us,
        Locale::zh_Hant_TW => zh_hant_tw,
    }
    .to_string()
}

/// A date and time (milliseconds since the epoch, shown in UTC) as `locale` writes it: the
/// pattern and the day-period words are translations (`common.date`), the arithmetic is
/// shared, so the server's page and the browser's hydration say exactly the same.
pub fn datetime(locale: Locale, ms: i64) -> String {
    let c = Civil::from_ms(ms);
    let (hour, pm) = match c.hour {
        0 => (12, false),
        h @ 1..=11 => (h, false),
        12 => (12, true),
        h => (h - 12, true),
    };
    let period = if pm { tr_in!(locale, common.date.pm) } else { tr_in!(locale, common.date.am) };
    let minute = format!("{:02}", c.minute);
    tr_in!(
        locale,
        common.date.datetime,
        year = c.year,
        month = c.month,
        day = c.day,
        hour = hour,
        minute = minute,
        period = period
    )
}

/// A date (UTC) as `locale` writes it.
pub fn date(locale: Locale, ms: i64) -> String {
    let c = Civil::from_ms(ms);
    tr_in!(locale, common.date.date, year = c.year, month = c.month, day = c.day)
}

/// A whole number with `locale`'s digit grouping (`12,345`).
pub fn number(locale: Locale, n: i64) -> String {
    let group = tr_in!(locale, common.number.group);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * group.len() + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(&group);
        }
        out.push(d);
    }
    out
}

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

/// A UTC calendar date and time of day.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
}

impl Civil {
    fn from_ms(ms: i64) -> Civil {
        let secs = ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil { year, month, day, hour: rem / 3600, minute: (rem % 3600) / 60 }
    }
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
        other => other.to_string(),
    }
}

/// An action group of the log (System > Action Logs > `Report`), in `locale`.
pub fn group_name(locale: Locale, stored: &str) -> String {
    match stored {
        "Admin Sign In" => tr_in!(locale, common.group.admin_sign_in),
        "Configuration" => tr_in!(locale, common.group.configuration),
        "Permissions" => tr_in!(locale, common.group.permissions),
        "Customers" => tr_in!(locale, common.group.customers),
        "Login As Customer" => tr_in!(locale, common.group.login_as_customer),
        "Integrations" => tr_in!(locale, common.group.integrations),
        other => other.to_string(),
    }
}

/// A grid's count (`12 records found`, `More than 10,000 records found`), in `locale`.
pub fn row_count(locale: Locale, count: crate::domain::grid::RowCount) -> String {
    if count.capped {
        tr_in!(locale, common.grid.found_more, count = number(locale, crate::domain::grid::COUNT_CAP))
    } else {
        let shown = number(locale, count.rows);
        tr_in!(locale, common.grid.found, count = count.rows, shown = shown)
    }
}

/// The name of an end reason, in `locale`.
pub fn end_reason(locale: Locale, reason: crate::domain::assist::EndReason) -> String {
    use crate::domain::assist::EndReason as R;
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

/// A locale's name, in `locale`.
pub fn locale_name(locale: Locale, named: Locale) -> String {
    match named {
        Locale::en_US => tr_in!(locale, common.locale.en_US),
        Locale::zh_Hant_TW => tr_in!(locale, common.locale.zh_Hant_TW),
    }
}

/// A message in the page's locale.
pub fn say(msg: &Msg) -> String {
    message(current(), msg)
}

/// The page's locale (the server's choice, see [`page_locale`]).
pub fn current() -> Locale {
    use_context::<PageLocale>().map_or_else(page_locale, |l| l.0)
}

use crate::domain::msg::Msg;

/// A message in `locale`. Those a shopper can meet are rendered here; the admin's own, by
/// the renderer of the admin's chunk (see [`admin_messages`]), so their texts and code stay
/// out of the shoppers' download.
pub fn message(locale: Locale, msg: &Msg) -> String {
    match msg {
        Msg::LacDisabled => tr_in!(locale, common.msg.login_as_customer_disabled),
        Msg::CustomerNotFound => tr_in!(locale, common.msg.customer_not_found),
        Msg::SensitiveChange => tr_in!(locale, common.msg.sensitive_change_refused),
        Msg::NoAssistanceRunning => tr_in!(locale, common.msg.no_assistance_running),
        Msg::SignInRefused => tr_in!(locale, common.msg.sign_in_refused),
        Msg::SignInBusy => tr_in!(locale, common.msg.sign_in_busy),
        Msg::CustomerSignInNeeded => tr_in!(locale, common.msg.customer_sign_in_needed),
        Msg::CustomerPasswordWrong => tr_in!(locale, common.msg.customer_password_wrong),
        Msg::CurrentPasswordRequired => tr_in!(locale, common.msg.current_password_required),
        Msg::Required => tr_in!(locale, common.msg.required),
        Msg::TooLong { max } => tr_in!(locale, common.msg.too_long, max = max),
        Msg::BadCharacters => tr_in!(locale, common.msg.bad_characters),
        Msg::InvalidEmail => tr_in!(locale, common.msg.invalid_email),
        Msg::PasswordTooShort { min } => tr_in!(locale, common.msg.password_too_short, min = min),
        Msg::PasswordClasses => tr_in!(locale, common.msg.password_classes),
        Msg::PasswordMismatch => tr_in!(locale, common.msg.password_mismatch),
        Msg::SameValueAgain => tr_in!(locale, common.msg.same_value_again),
        Msg::CheckboxValue => tr_in!(locale, common.msg.checkbox_value),
        Msg::FieldsToCorrect => tr_in!(locale, common.msg.fields_to_correct),
        Msg::EmailTaken => tr_in!(locale, common.msg.email_taken),
        Msg::CustomerEmailDuplicate => tr_in!(locale, common.msg.customer_email_duplicate),
        Msg::StoreNotFound => tr_in!(locale, common.msg.store_not_found),
        Msg::PageNotFound => tr_in!(locale, common.msg.page_not_found),
        Msg::PageOutOfDate => tr_in!(locale, common.msg.page_out_of_date),
        Msg::RequestUnreadable { detail } => tr_in!(locale, common.msg.request_unreadable, detail = detail),
        Msg::FieldMissing { name } => tr_in!(locale, common.msg.field_missing, name = name),
        Msg::MethodNotAllowed { detail } => tr_in!(locale, common.msg.method_not_allowed, detail = detail),
        Msg::ServerUnreachable => tr_in!(locale, common.msg.server_unreachable),
        Msg::Internal => tr_in!(locale, common.msg.internal),
        other => admin_message(locale, other),
    }
}

/// The admin's messages: rendered by `pages::admin::messages` (directly on the server; in the
/// browser once the admin's frame has registered it, which it does before anything shows).
static ADMIN_MESSAGES: std::sync::OnceLock<fn(Locale, &Msg) -> String> = std::sync::OnceLock::new();

/// Registers the renderer of the admin's messages (the admin frame calls it).
pub fn admin_messages(render: fn(Locale, &Msg) -> String) {
    let _ = ADMIN_MESSAGES.set(render);
}

fn admin_message(locale: Locale, msg: &Msg) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::pages::admin::messages::message(locale, msg)
    }
    #[cfg(not(feature = "ssr"))]
    {
        ADMIN_MESSAGES.get().map_or_else(|| msg.code().to_string(), |render| render(locale, msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_locale_we_have() {
        let cases = [
            ("zh-TW,zh;q=0.9,en-US;q=0.8", Locale::zh_Hant_TW),
            ("en-GB,en;q=0.9", Locale::en_US),
            ("zh-CN,zh-Hans;q=0.9,en;q=0.5", Locale::en_US),
            ("fr-FR, zh-Hant;q=0.8", Locale::zh_Hant_TW),
            ("en;q=0.2, zh-HK;q=0.9", Locale::zh_Hant_TW),
            ("zh", Locale::zh_Hant_TW),
            ("de, fr", Locale::en_US),
            ("", Locale::en_US),
            ("zh-TW;q=0, en", Locale::en_US),
            ("garbage;;;q=x", Locale::en_US),
        ];
        for (header, want) in cases {
            assert_eq!(negotiate(header), want, "{header}");
        }
    }

    #[test]
    fn dates_follow_each_locale_and_agree_on_the_instant() {
        let ms = 1_795_996_800_000 + (18 * 60 + 7) * 60_000; // 2026-11-30 18:07 UTC
        assert_eq!(datetime(Locale::en_US, ms), "11/30/2026, 6:07 PM");
        assert_eq!(datetime(Locale::zh_Hant_TW, ms), "2026/11/30 下午6:07");
        assert_eq!(datetime(Locale::en_US, 1_795_996_800_000), "11/30/2026, 12:00 AM");
        assert_eq!(date(Locale::zh_Hant_TW, 0), "1970/1/1");
        assert_eq!(number(Locale::en_US, 1_234_567), "1,234,567");
        assert_eq!(number(Locale::zh_Hant_TW, -1000), "-1,000");
        assert_eq!(number(Locale::en_US, 999), "999");
        let capped = crate::domain::grid::RowCount { rows: 10_000, capped: true };
        assert_eq!(row_count(Locale::en_US, capped), "More than 10,000 records found");
        let one = crate::domain::grid::RowCount { rows: 1, capped: false };
        assert_eq!(row_count(Locale::en_US, one), "1 record found");
        let many = crate::domain::grid::RowCount { rows: 1234, capped: false };
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

    #[test]
    fn every_message_reads_in_both_locales() {
        for msg in Msg::samples() {
            for l in LOCALES {
                let text = message(l, &msg);
                assert!(!text.trim().is_empty() && text != msg.code(), "{msg:?} in {l:?}: {text}");
                assert!(!text.contains("{{"), "{msg:?} in {l:?}: {text}");
            }
        }
    }

    /// Every text of `locales/<locale>/<namespace>.json`, by `namespace.path` (each plural
    /// form under its own key).
    fn texts(locale: &str) -> Vec<(String, String)> {
        fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        walk(&format!("{prefix}.{k}"), v, out);
                    }
                }
                serde_json::Value::String(text) => {
                    assert!(!text.trim().is_empty(), "{prefix} is empty");
                    out.push((prefix.to_string(), text.clone()));
                }
                other => panic!("{prefix}: not a text: {other}"),
            }
        }
        let mut out = Vec::new();
        for ns in ["common", "store", "admin"] {
            let path = format!("{}/locales/{locale}/{ns}.json", env!("CARGO_MANIFEST_DIR"));
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            walk(ns, &json, &mut out);
        }
        out
    }

    /// Every key as `namespace.path`, plural forms (`_one`, `_other`) folded into their key,
    /// with the placeholders each text uses.
    fn keys(locale: &str) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let mut out = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
        for (path, text) in texts(locale) {
            let key = ["_zero", "_one", "_two", "_few", "_many", "_other"]
                .iter()
                .find_map(|s| path.strip_suffix(s))
                .unwrap_or(&path);
            let vars = text
                .split("{{")
                .skip(1)
                .filter_map(|p| p.split_once("}}").map(|(v, _)| v.trim().to_string()))
                .filter(|v| v != "count");
            out.entry(key.to_string()).or_default().extend(vars);
        }
        out
    }

    /// Words a Traditional Chinese text keeps in Latin letters: names of things and standards.
    const SAME_IN_EVERY_LANGUAGE: &[&str] =
        &["ID", "IP", "CSV", "API", "JSON", "URL", "UTC", "CRM", "Webhook", "https", "JavaScript"];

    /// Codes a person types as they are, in the texts that explain them.
    const TYPED_AS_IS: &[(&str, &[&str])] = &[
        ("common.msg.scope_syntax", &["default", "website", "store"]),
        ("common.msg.sort_direction", &["asc", "desc"]),
    ];

    /// The English words of `text`, if they make a run (two or more, or one of three letters or
    /// more): placeholders, addresses, paths and the words in `allowed` aside.
    fn english_run<'a>(text: &'a str, allowed: &[&str]) -> Vec<&'a str> {
        let mut words = Vec::new();
        for (i, part) in text.split("{{").enumerate() {
            let outside = if i == 0 { part } else { part.split_once("}}").map_or("", |(_, rest)| rest) };
            words.extend(
                outside
                    .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '/' | '_' | '-' | '\'')))
                    .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
                    .filter(|w| !w.is_empty() && !w.contains(['@', '/', '_']))
                    .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
                    .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
                    .filter(|w| !SAME_IN_EVERY_LANGUAGE.contains(w) && !allowed.contains(w)),
            );
        }
        let run = words.len() >= 2 || words.iter().any(|w| w.len() >= 3);
        if run {
            words
        } else {
            Vec::new()
        }
    }

    #[test]
    fn no_traditional_chinese_text_keeps_a_run_of_english() {
        assert_eq!(english_run("允許 Login as Customer", &[]), ["Login", "as", "Customer"], "the check finds English");
        assert!(english_run("{{ name }} 的 API 權杖（ID {{ id }}）：https://shop.example/hook", &[]).is_empty());
        let found: Vec<String> = texts("zh-Hant-TW")
            .into_iter()
            .filter_map(|(key, text)| {
                let allowed = TYPED_AS_IS.iter().find(|(k, _)| *k == key).map_or(&[][..], |(_, w)| *w);
                let run = english_run(&text, allowed);
                (!run.is_empty()).then(|| format!("{key}: {text:?} ({})", run.join(" ")))
            })
            .collect();
        assert!(found.is_empty(), "English left in zh-Hant-TW:\n{}", found.join("\n"));
    }

    #[test]
    fn every_key_is_translated_in_both_locales_with_the_same_placeholders() {
        let (en, zh) = (keys("en-US"), keys("zh-Hant-TW"));
        let missing: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let extra: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "not translated into zh-Hant-TW: {missing:?}");
        assert!(extra.is_empty(), "only in zh-Hant-TW: {extra:?}");
        for (key, vars) in &en {
            assert_eq!(vars, &zh[key], "{key} uses other placeholders in zh-Hant-TW");
        }
        assert!(en.len() > 300, "{} keys", en.len());
    }

    #[test]
    fn locale_codes_round_trip() {
        for l in LOCALES {
            assert_eq!(parse(code(l)), Some(l));
        }
        assert_eq!(parse("zh-TW"), None);
    }
}
