//! `invalid_datetime`: a `datetime` value must be `YYYY-MM-DD HH:MM:SS[.fraction]` or
//! RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`). The time-of-day and RFC 3339
//! parsers here are shared with `invalid_timestamp`.

use std::borrow::Cow;

use super::{Expected, OrderKey};

const FORM: &str = "a date and time as YYYY-MM-DD HH:MM:SS or RFC 3339";

const EXAMPLE: &str = "like 2024-04-27 06:33:31 or 2024-04-27T06:33:31Z";

const NANOS_PER_SECOND: i128 = 1_000_000_000;

const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SECOND;

/// Why a time of day `HH:MM:SS[.fraction]` is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClockProblem {
    /// Not `HH:MM:SS` at all.
    Shape,
    /// An hour past 23.
    Hour(u32),
    /// A minute past 59.
    Minute(u32),
    /// A second past 60.
    Second(u32),
    /// A `.` without digits after it.
    EmptyFraction,
    /// More than nine fraction digits.
    LongFraction,
}

/// Why a value is not a date-time; the date-time parts of a Go timestamp share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem<'a> {
    /// Not `YYYY-MM-DD HH:MM:SS` at all.
    Shape,
    /// A valid date with no time of day.
    DateOnly,
    /// The date part (given) is shaped `YYYY-MM-DD` but is not a real date.
    Date(&'a str),
    /// The time of day is wrong.
    Clock(ClockProblem),
    /// A `T` separator with no zone after the time.
    NeedsZone,
    /// Text after the time that is not `Z` or `±HH:MM`.
    Zone,
    /// A `±HH:MM` offset with hours past 23 or minutes past 59.
    ZoneRange,
}

impl Problem<'_> {
    /// The reason in words, or `None` when only the general form can be named.
    pub(crate) fn reason(self) -> Option<Cow<'static, str>> {
        Some(match self {
            Problem::Shape => return None,
            Problem::DateOnly => "the time of day is missing".into(),
            Problem::Date(date) => return super::invalid_date::calendar_problem(date),
            Problem::Clock(ClockProblem::Shape) => "the time must be HH:MM:SS".into(),
            Problem::Clock(ClockProblem::Hour(hour)) => {
                format!("hour {hour:02} is out of range (00-23)").into()
            }
            Problem::Clock(ClockProblem::Minute(minute)) => {
                format!("minute {minute:02} is out of range (00-59)").into()
            }
            Problem::Clock(ClockProblem::Second(second)) => {
                format!("second {second:02} is out of range (00-60)").into()
            }
            Problem::Clock(ClockProblem::EmptyFraction) => {
                "the `.` after the seconds needs digits".into()
            }
            Problem::Clock(ClockProblem::LongFraction) => {
                "at most 9 digits of fractional seconds".into()
            }
            Problem::NeedsZone => "a time after `T` needs a zone, `Z` or ±HH:MM".into(),
            Problem::Zone => "the zone after the time must be `Z` or ±HH:MM".into(),
            Problem::ZoneRange => "the zone offset must be within ±23:59".into(),
        })
    }
}

/// A date and time of day before any zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Local<'a> {
    /// Nanoseconds since 1970-01-01 00:00:00, reading the date and time as UTC.
    pub(crate) nanos: i128,
    /// The byte between date and time: `b' '`, `b'T'` or `b't'`.
    pub(crate) separator: u8,
    /// Whatever follows the time (a zone, or nothing).
    pub(crate) rest: &'a str,
}

/// Checks that `value` is `YYYY-MM-DD HH:MM:SS[.fraction]` (no zone) or RFC 3339, with
/// `T`, `t` or a space between date and time.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    match parse(value) {
        Ok(_) => Ok(()),
        Err(problem) => Err(Expected::new(match problem.reason() {
            Some(reason) => format!("{FORM}; {reason}"),
            None => format!("{FORM}, {EXAMPLE}"),
        })),
    }
}

/// The instant in nanoseconds since the Unix epoch (UTC; a value without a zone counts
/// as UTC).
pub(crate) fn order_key(value: &str) -> Option<OrderKey> {
    parse(value).ok().map(OrderKey::Int)
}

/// Nanoseconds since the Unix epoch of a valid `datetime` value.
fn parse(value: &str) -> Result<i128, Problem<'_>> {
    let local = split_local(value)?;
    if local.rest.is_empty() {
        return if local.separator == b' ' {
            Ok(local.nanos)
        } else {
            Err(Problem::NeedsZone)
        };
    }
    Ok(local.nanos - rfc3339_zone(local.rest)?)
}

/// Nanoseconds since the Unix epoch of an RFC 3339 value
/// `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)`; the zone is required.
pub(crate) fn parse_rfc3339(value: &str) -> Result<i128, Problem<'_>> {
    let local = split_local(value)?;
    Ok(local.nanos - rfc3339_zone(local.rest)?)
}

/// Reads `YYYY-MM-DD<separator>HH:MM:SS[.fraction]` at the start of `value`, where the
/// separator is a space, `T` or `t`, and returns the rest unread.
pub(crate) fn split_local(value: &str) -> Result<Local<'_>, Problem<'_>> {
    let Some(date) = value.get(..10) else {
        return Err(Problem::Shape);
    };
    let Some(days) = super::invalid_date::parse(date) else {
        let calendar = super::invalid_date::calendar_problem(date).is_some();
        return Err(if calendar {
            Problem::Date(date)
        } else {
            Problem::Shape
        });
    };
    let bytes = value.as_bytes();
    let separator = match bytes.get(10) {
        None => return Err(Problem::DateOnly),
        Some(&separator @ (b' ' | b'T' | b't')) => separator,
        Some(_) => return Err(Problem::Shape),
    };
    let (clock, used) = parse_clock(&bytes[11..]).map_err(Problem::Clock)?;
    let rest = value.get(11 + used..).ok_or(Problem::Shape)?;
    Ok(Local {
        nanos: i128::from(days) * NANOS_PER_DAY + i128::from(clock),
        separator,
        rest,
    })
}

/// Reads `HH:MM:SS[.fraction]` (1-9 fraction digits) at the start of `bytes`; returns
/// the nanoseconds into the day and the number of bytes read. Second 60 (a leap second)
/// is allowed.
pub(crate) fn parse_clock(bytes: &[u8]) -> Result<(i64, usize), ClockProblem> {
    let Some(head) = bytes.get(..8) else {
        return Err(ClockProblem::Shape);
    };
    if head[2] != b':' || head[5] != b':' {
        return Err(ClockProblem::Shape);
    }
    let hour = two_digits(&head[0..2]).ok_or(ClockProblem::Shape)?;
    let minute = two_digits(&head[3..5]).ok_or(ClockProblem::Shape)?;
    let second = two_digits(&head[6..8]).ok_or(ClockProblem::Shape)?;
    if hour > 23 {
        return Err(ClockProblem::Hour(hour));
    }
    if minute > 59 {
        return Err(ClockProblem::Minute(minute));
    }
    if second > 60 {
        return Err(ClockProblem::Second(second));
    }
    let mut nanos =
        (i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)) * 1_000_000_000;
    let mut used = 8;
    if bytes.get(8) == Some(&b'.') {
        let fraction = &bytes[9..];
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err(ClockProblem::EmptyFraction);
        }
        if count > 9 {
            return Err(ClockProblem::LongFraction);
        }
        let mut fraction_nanos = fraction[..count]
            .iter()
            .fold(0_i64, |acc, b| acc * 10 + i64::from(b - b'0'));
        for _ in count..9 {
            fraction_nanos *= 10;
        }
        nanos += fraction_nanos;
        used = 9 + count;
    }
    Ok((nanos, used))
}

/// The value of two ASCII digits, as in `HH` or `MM`.
pub(crate) fn two_digits(bytes: &[u8]) -> Option<u32> {
    match bytes {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(b - b'0')),
        _ => None,
    }
}

/// The offset east of UTC in nanoseconds of an RFC 3339 zone: `Z`, `z` or `±HH:MM`.
fn rfc3339_zone(zone: &str) -> Result<i128, Problem<'static>> {
    match zone.as_bytes() {
        [] => Err(Problem::NeedsZone),
        [b'Z' | b'z'] => Ok(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = two_digits(&[*h1, *h2]).ok_or(Problem::Zone)?;
            let minutes = two_digits(&[*m1, *m2]).ok_or(Problem::Zone)?;
            if hours > 23 || minutes > 59 {
                return Err(Problem::ZoneRange);
            }
            let offset = i128::from(hours * 3600 + minutes * 60) * NANOS_PER_SECOND;
            Ok(if *sign == b'-' { -offset } else { offset })
        }
        _ => Err(Problem::Zone),
    }
}

#[cfg(test)]
mod tests {
    use super::super::OrderKey;
    use super::{check, order_key, parse_clock, parse_rfc3339, ClockProblem, Problem};

    /// The message for `value` after the form.
    fn reason(value: &str) -> String {
        super::super::testing::reason(
            check,
            "a date and time as YYYY-MM-DD HH:MM:SS or RFC 3339",
            value,
        )
    }

    /// The order key of `value` in nanoseconds; panics if there is none.
    fn nanos(value: &str) -> i128 {
        super::super::testing::nanos(order_key, value)
    }

    #[test]
    fn accepts_plain_date_times() {
        for value in [
            "2023-09-22 18:30:00",
            "2024-02-29 23:59:59",
            "2024-04-27 00:00:00.5",
            "2024-04-27 06:33:31.123456789",
            "2016-12-31 23:59:60",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn accepts_rfc3339() {
        for value in [
            "2023-08-29T14:46:36+00:00",
            "2024-04-27T06:33:31Z",
            "2024-04-27t06:33:31z",
            "2024-04-27 06:33:31Z",
            "2024-04-27T06:33:31.123-05:30",
            "2024-04-27 06:33:31.000000001+14:00",
            "1969-12-31T23:59:59-23:59",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn rejects_other_shapes() {
        let generic = ", like 2024-04-27 06:33:31 or 2024-04-27T06:33:31Z";
        for value in [
            "yesterday",
            "2024-04-27_06:33:31",
            "2024/04/27 06:33:31",
            "27-04-2024 06:33:31",
            "2024-0",
            "２０２４-04-27 06:33:31",
        ] {
            assert_eq!(reason(value), generic, "{value}");
        }
    }

    #[test]
    fn explains_date_part_problems() {
        assert_eq!(
            reason("2023-02-29 10:00:00"),
            "; 2023 is not a leap year, so February has 28 days"
        );
        assert_eq!(
            reason("1900-02-29T10:00:00Z"),
            "; 1900 is not a leap year, so February has 28 days"
        );
        assert_eq!(check("2000-02-29T10:00:00Z"), Ok(()));
        assert_eq!(reason("2024-13-01 10:00:00"), "; there is no month 13");
        assert_eq!(reason("2024-04-27"), "; the time of day is missing");
    }

    #[test]
    fn explains_time_problems() {
        assert_eq!(
            reason("2024-04-27 24:00:00"),
            "; hour 24 is out of range (00-23)"
        );
        assert_eq!(
            reason("2024-04-27 23:60:00"),
            "; minute 60 is out of range (00-59)"
        );
        assert_eq!(
            reason("2024-04-27 23:59:61"),
            "; second 61 is out of range (00-60)"
        );
        assert_eq!(reason("2024-04-27 6:33:31"), "; the time must be HH:MM:SS");
        assert_eq!(reason("2024-04-27 06:33"), "; the time must be HH:MM:SS");
        assert_eq!(
            reason("2024-04-27 06:33:31."),
            "; the `.` after the seconds needs digits"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31.1234567890"),
            "; at most 9 digits of fractional seconds"
        );
        assert_eq!(reason("2024-04-27 06:33:3é"), "; the time must be HH:MM:SS");
    }

    #[test]
    fn explains_zone_problems() {
        assert_eq!(
            reason("2024-04-27T06:33:31"),
            "; a time after `T` needs a zone, `Z` or ±HH:MM"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31+0000"),
            "; the zone after the time must be `Z` or ±HH:MM"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +0000 UTC"),
            "; the zone after the time must be `Z` or ±HH:MM"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 UTC"),
            "; the zone after the time must be `Z` or ±HH:MM"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31+24:00"),
            "; the zone offset must be within ±23:59"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31+01:60"),
            "; the zone offset must be within ±23:59"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31Zürich"),
            "; the zone after the time must be `Z` or ±HH:MM"
        );
    }

    #[test]
    fn parses_the_time_of_day() {
        assert_eq!(parse_clock(b"00:00:00"), Ok((0, 8)));
        assert_eq!(parse_clock(b"01:02:03.5Z"), Ok((3_723_500_000_000, 10)));
        assert_eq!(parse_clock(b"23:59:60"), Ok((86_400_000_000_000, 8)));
        assert_eq!(parse_clock(b"12:00"), Err(ClockProblem::Shape));
        assert_eq!(parse_clock(b"12-00-00"), Err(ClockProblem::Shape));
    }

    #[test]
    fn rfc3339_requires_a_zone() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Ok(0));
        assert_eq!(
            parse_rfc3339("1970-01-01 00:00:00"),
            Err(Problem::NeedsZone)
        );
    }

    #[test]
    fn order_keys_apply_the_zone() {
        assert_eq!(nanos("1970-01-01 00:00:00"), 0);
        assert_eq!(nanos("1970-01-01T00:00:00Z"), 0);
        assert_eq!(nanos("1970-01-01 00:00:01.000000001"), 1_000_000_001);
        assert_eq!(nanos("1969-12-31T23:00:00-01:00"), 0);
        assert_eq!(nanos("1970-01-01T05:30:00+05:30"), 0);
        assert_eq!(nanos("2024-04-27T06:33:31Z"), 1_714_199_611_000_000_000);
        assert_eq!(order_key("2024-04-27T06:33:31"), None);
    }

    #[test]
    fn dates_and_date_times_share_one_scale() {
        let date = super::super::invalid_date::order_key("2024-01-01").unwrap();
        let one_second_later = order_key("2024-01-01 00:00:01").unwrap();
        let an_hour_earlier = order_key("2024-01-01T00:00:00+01:00").unwrap();
        assert!(an_hour_earlier < date);
        assert!(date < one_second_later);
        assert_eq!(Some(date), order_key("2024-01-01 00:00:00"));
        assert_eq!(one_second_later, OrderKey::Int(1_704_067_201_000_000_000));
        assert_eq!(an_hour_earlier, OrderKey::Int(1_704_063_600_000_000_000));
    }
}
