//! `invalid_date`: a `date` value must be a real calendar date written `YYYY-MM-DD`.

use std::borrow::Cow;

use super::{Expected, OrderKey};

const FORM: &str = "a date in YYYY-MM-DD form";

const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a value is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Not `YYYY-MM-DD` at all.
    Shape,
    /// A month outside 01-12.
    Month(u32),
    /// Day 00.
    DayZero,
    /// A day past the end of its month.
    PastMonthEnd { year: i64, month: u32 },
}

impl Problem {
    /// The reason in words, or `None` for a value that is not shaped like a date.
    fn reason(self) -> Option<Cow<'static, str>> {
        match self {
            Problem::Shape => None,
            Problem::Month(month) => Some(format!("there is no month {month:02}").into()),
            Problem::DayZero => Some("there is no day 00".into()),
            Problem::PastMonthEnd { year, month: 2 } if is_leap(year) => {
                Some(format!("February {year} has 29 days").into())
            }
            Problem::PastMonthEnd { year, month: 2 } => {
                Some(format!("{year} is not a leap year, so February has 28 days").into())
            }
            Problem::PastMonthEnd { year, month } => Some(
                format!(
                    "{} has {} days",
                    month_name(month),
                    days_in_month(year, month)
                )
                .into(),
            ),
        }
    }
}

/// Checks that `value` is `YYYY-MM-DD` and a real date of the proleptic Gregorian
/// calendar.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    match fields(value) {
        Ok(_) => Ok(()),
        Err(problem) => Err(Expected::new(match problem.reason() {
            Some(reason) => format!("{FORM}; {reason}"),
            None => shape_hint(value),
        })),
    }
}

/// Days since 1970-01-01 (negative before it) of a valid `YYYY-MM-DD` date.
pub(crate) fn parse(value: &str) -> Option<i64> {
    let (year, month, day) = fields(value).ok()?;
    Some(days_from_civil(year, month, day))
}

/// The date as nanoseconds since the Unix epoch at midnight UTC, so that dates and
/// date-times order on one scale.
pub(crate) fn order_key(value: &str) -> Option<OrderKey> {
    parse(value).map(|days| OrderKey::Int(i128::from(days) * NANOS_PER_DAY))
}

/// For a value shaped `YYYY-MM-DD` that is not a real date, why (e.g. "2023 is not a
/// leap year, so February has 28 days"); `None` for a valid date or another shape.
pub(crate) fn calendar_problem(value: &str) -> Option<Cow<'static, str>> {
    fields(value).err().and_then(Problem::reason)
}

/// Whether `year` is a leap year of the Gregorian calendar.
fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1-12) of `year`.
fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The English name of `month` (1-12).
fn month_name(month: u32) -> &'static str {
    let index = usize::try_from(month.saturating_sub(1)).unwrap_or(0);
    MONTH_NAMES.get(index).copied().unwrap_or("that month")
}

/// The value of an all-ASCII-digit slice, or `None`.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0')),
    )
}

/// Year, month and day of a valid `YYYY-MM-DD` value.
fn fields(value: &str) -> Result<(i64, u32, u32), Problem> {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(Problem::Shape);
    }
    let year = i64::from(digits(&b[..4]).ok_or(Problem::Shape)?);
    let month = digits(&b[5..7]).ok_or(Problem::Shape)?;
    let day = digits(&b[8..]).ok_or(Problem::Shape)?;
    if !(1..=12).contains(&month) {
        return Err(Problem::Month(month));
    }
    if day == 0 {
        return Err(Problem::DayZero);
    }
    if day > days_in_month(year, month) {
        return Err(Problem::PastMonthEnd { year, month });
    }
    Ok((year, month, day))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The message for a value not shaped `YYYY-MM-DD`, with a hint when the mistake is
/// recognisable.
fn shape_hint(value: &str) -> String {
    if let (Some(date), Some(next)) = (value.get(..10), value.as_bytes().get(10)) {
        if fields(date).is_ok() && matches!(next, b' ' | b'T' | b't') {
            return format!("{FORM}, without a time of day");
        }
    }
    for separator in ['-', '/', '.'] {
        let mut parts = value.split(separator);
        let (Some(a), Some(b), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if ![a, b, c]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|d| d.is_ascii_digit()))
        {
            continue;
        }
        if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            return format!("{FORM}; the year comes first, like 2024-04-27");
        }
        if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
            if separator != '-' {
                return format!("{FORM}; separate the parts with `-`, not `{separator}`");
            }
            return format!("{FORM}; month and day take two digits each, like 2024-04-07");
        }
    }
    format!("{FORM}, like 2024-04-27")
}

#[cfg(test)]
mod tests {
    use super::super::OrderKey;
    use super::{calendar_problem, check, order_key, parse};

    #[test]
    fn accepts_real_dates() {
        for value in [
            "2023-08-29",
            "1970-01-01",
            "2024-12-31",
            "0000-01-01",
            "9999-12-31",
            "2024-04-30",
            "2023-02-28",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn leap_days() {
        assert_eq!(check("2024-02-29"), Ok(()));
        assert_eq!(check("2000-02-29"), Ok(()));
        assert_eq!(check("1600-02-29"), Ok(()));
        assert_eq!(
            check("2023-02-29").unwrap_err().0,
            "a date in YYYY-MM-DD form; 2023 is not a leap year, so February has 28 days"
        );
        assert_eq!(
            check("1900-02-29").unwrap_err().0,
            "a date in YYYY-MM-DD form; 1900 is not a leap year, so February has 28 days"
        );
        assert_eq!(
            check("2024-02-30").unwrap_err().0,
            "a date in YYYY-MM-DD form; February 2024 has 29 days"
        );
    }

    #[test]
    fn rejects_impossible_months_and_days() {
        assert_eq!(
            check("2024-13-01").unwrap_err().0,
            "a date in YYYY-MM-DD form; there is no month 13"
        );
        assert_eq!(
            check("2024-00-10").unwrap_err().0,
            "a date in YYYY-MM-DD form; there is no month 00"
        );
        assert_eq!(
            check("2024-01-00").unwrap_err().0,
            "a date in YYYY-MM-DD form; there is no day 00"
        );
        assert_eq!(
            check("2024-04-31").unwrap_err().0,
            "a date in YYYY-MM-DD form; April has 30 days"
        );
        assert_eq!(
            check("2024-12-32").unwrap_err().0,
            "a date in YYYY-MM-DD form; December has 31 days"
        );
    }

    #[test]
    fn rejects_other_shapes_with_hints() {
        let generic = "a date in YYYY-MM-DD form, like 2024-04-27";
        for value in [
            "2024",
            "yesterday",
            "20240427",
            "2024-04-2a",
            "+2024-04-27",
            "2024-04-27Z",
            "２０２４-０４-２７",
            "2024–04–27",
        ] {
            assert_eq!(check(value).unwrap_err().0, generic, "{value}");
        }
        assert_eq!(
            check("2024-04-27 06:33:31").unwrap_err().0,
            "a date in YYYY-MM-DD form, without a time of day"
        );
        assert_eq!(
            check("2024-04-27T06:33:31Z").unwrap_err().0,
            "a date in YYYY-MM-DD form, without a time of day"
        );
        assert_eq!(
            check("27/04/2024").unwrap_err().0,
            "a date in YYYY-MM-DD form; the year comes first, like 2024-04-27"
        );
        assert_eq!(
            check("4-27-2024").unwrap_err().0,
            "a date in YYYY-MM-DD form; the year comes first, like 2024-04-27"
        );
        assert_eq!(
            check("2024/04/27").unwrap_err().0,
            "a date in YYYY-MM-DD form; separate the parts with `-`, not `/`"
        );
        assert_eq!(
            check("2024.04.27").unwrap_err().0,
            "a date in YYYY-MM-DD form; separate the parts with `-`, not `.`"
        );
        assert_eq!(
            check("2024-4-7").unwrap_err().0,
            "a date in YYYY-MM-DD form; month and day take two digits each, like 2024-04-07"
        );
    }

    #[test]
    fn parses_days_since_the_epoch() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("1970-01-02"), Some(1));
        assert_eq!(parse("1969-12-31"), Some(-1));
        assert_eq!(parse("2000-03-01"), Some(11_017));
        assert_eq!(parse("2024-04-27"), Some(19_840));
        assert_eq!(parse("0000-03-01"), Some(-719_468));
        assert_eq!(parse("9999-12-31"), Some(2_932_896));
        assert_eq!(parse("2023-02-29"), None);
        assert_eq!(parse("2023-2-28"), None);
    }

    #[test]
    fn consecutive_days_are_one_apart() {
        let mut previous = parse("1899-12-31").unwrap();
        for year in 1900..=2100 {
            for month in 1..=12 {
                for day in 1..=31 {
                    let value = format!("{year:04}-{month:02}-{day:02}");
                    if let Some(days) = parse(&value) {
                        assert_eq!(days, previous + 1, "{value}");
                        previous = days;
                    }
                }
            }
        }
        assert_eq!(parse("2101-01-01"), Some(previous + 1));
    }

    #[test]
    fn order_keys_are_nanoseconds_at_midnight() {
        assert_eq!(order_key("1970-01-01"), Some(OrderKey::Int(0)));
        assert_eq!(
            order_key("1970-01-02"),
            Some(OrderKey::Int(86_400_000_000_000))
        );
        assert!(order_key("2024-01-01") < order_key("2024-01-02"));
        assert!(order_key("1969-12-31") < order_key("1970-01-01"));
        assert_eq!(order_key("2024-02-30"), None);
    }

    #[test]
    fn calendar_problem_only_for_date_shaped_values() {
        assert_eq!(calendar_problem("2024-02-29"), None);
        assert_eq!(calendar_problem("2024/02/29"), None);
        assert_eq!(
            calendar_problem("2023-02-29").as_deref(),
            Some("2023 is not a leap year, so February has 28 days")
        );
    }
}
