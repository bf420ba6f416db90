//! Dates and numbers as each locale writes them: the patterns are translations
//! (`common.date`, `common.number`), the arithmetic is shared, so the server's page and the
//! browser's hydration say exactly the same.

use super::locale::Locale;
use crate::domain::time::Civil;
use crate::tr_in;

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

/// The currencies a website may sell in: ISO code, symbol, and how many minor-unit digits
/// are shown (prices are stored in hundredths whatever is shown).
pub const CURRENCIES: &[(&str, &str, u32)] = &[("USD", "$", 2), ("TWD", "NT$", 0)];

/// `minor` hundredths of `currency` as `locale` writes a price: `$1,234.50`, `NT$1,235` (a
/// currency shown without decimals is rounded half up). An unknown code is written before the
/// amount (`EUR 12.00`).
pub fn money(locale: Locale, currency: &str, minor: i64) -> String {
    let (symbol, digits) = CURRENCIES
        .iter()
        .find(|(code, _, _)| *code == currency)
        .map(|(_, symbol, digits)| (symbol.to_string(), *digits))
        .unwrap_or_else(|| (format!("{currency} "), 2));
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    let amount = match digits {
        0 => number(locale, ((minor + 50) / 100) as i64),
        _ => format!("{}.{:02}", number(locale, (minor / 100) as i64), minor % 100),
    };
    format!("{sign}{symbol}{amount}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_the_currency_and_the_locale() {
        assert_eq!(money(Locale::en_US, "USD", 123_450), "$1,234.50");
        assert_eq!(money(Locale::zh_Hant_TW, "TWD", 123_450), "NT$1,235");
        assert_eq!(money(Locale::zh_Hant_TW, "TWD", 123_449), "NT$1,234");
        assert_eq!(money(Locale::en_US, "USD", 5), "$0.05");
        assert_eq!(money(Locale::en_US, "USD", -1_999), "-$19.99");
        assert_eq!(money(Locale::en_US, "EUR", 1_200), "EUR 12.00");
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
    }
}
