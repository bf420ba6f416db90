//! Calendar arithmetic on UTC timestamps (milliseconds since the epoch), shared by the
//! machine-readable formats and the localized ones.

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
}

impl Civil {
    pub fn from_ms(ms: i64) -> Civil {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(Civil::from_ms(0), Civil { year: 1970, month: 1, day: 1, hour: 0, minute: 0 });
        // 2024-02-29 23:59 UTC: a leap day, a minute before March.
        assert_eq!(Civil::from_ms(1_709_251_140_000), Civil { year: 2024, month: 2, day: 29, hour: 23, minute: 59 });
        // Before the epoch: 1969-12-31 23:00.
        assert_eq!(Civil::from_ms(-3_600_000), Civil { year: 1969, month: 12, day: 31, hour: 23, minute: 0 });
    }
}
