//! Which language a request is answered in. The server decides before rendering and writes
//! it into `<html lang>`; the browser reads it back, so both render the same. This file is
//! the bottom of `l10n`: it imports nothing of the app.

pub use crate::i18n::Locale;
use leptos::prelude::*;

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

/// The locale everything on this page is rendered in (provided by [`Localized`]).
#[derive(Clone, Copy, Debug)]
pub struct PageLocale(pub Locale);

/// The page's locale (the server's choice, see [`page_locale`]).
pub fn current() -> Locale {
    use_context::<PageLocale>().map_or_else(page_locale, |l| l.0)
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
    fn locale_codes_round_trip() {
        for l in LOCALES {
            assert_eq!(parse(code(l)), Some(l));
        }
        assert_eq!(parse("zh-TW"), None);
    }
}
