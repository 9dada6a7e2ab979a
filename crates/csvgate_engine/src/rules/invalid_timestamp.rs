//! `invalid_timestamp`: a `go-timestamp` value must be in the form Go's
//! `time.Time.String()` prints (`2024-04-27 06:33:31 +0000 UTC`) or RFC 3339.

use std::borrow::Cow;

use super::invalid_datetime::{self, two_digits, Problem as DatetimeProblem};
use super::{Expected, OrderKey};

const FORM: &str = "a Go timestamp like 2024-04-27 06:33:31 +0000 UTC, or RFC 3339";

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Why a value is not a Go timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem<'a> {
    /// The date, the time of day or the RFC 3339 zone is wrong.
    Datetime(DatetimeProblem<'a>),
    /// Go's form without the numeric `±HHMM` offset.
    NoOffset,
    /// Something other than `±HHMM` after the time.
    Offset,
    /// A `±HHMM` offset with hours past 23 or minutes past 59.
    OffsetRange,
    /// A zone name that is neither letters nor a numeric zone.
    Zone,
    /// A numeric zone name that disagrees with the offset.
    ZoneMismatch,
    /// Go's monotonic clock reading ` m=±...` is present.
    Monotonic,
}

impl Problem<'_> {
    /// The reason in words, or `None` when only the general form can be named.
    fn reason(self) -> Option<Cow<'static, str>> {
        Some(match self {
            Problem::Datetime(problem) => return problem.reason(),
            Problem::NoOffset => "the numeric offset ±HHMM must follow the time".into(),
            Problem::Offset => "the offset after the time must be ±HHMM, like +0530".into(),
            Problem::OffsetRange => "the offset must be within ±2359".into(),
            Problem::Zone => {
                "the zone name must be 1-5 capital letters (like UTC) or a numeric zone like +03"
                    .into()
            }
            Problem::ZoneMismatch => "the numeric zone name differs from the offset".into(),
            Problem::Monotonic => {
                "without Go's monotonic clock reading (drop the ` m=...` suffix)".into()
            }
        })
    }
}

/// Checks that `value` is `YYYY-MM-DD HH:MM:SS[.fraction] ±HHMM[ ZONE]` (Go's
/// `time.Time` string without a monotonic reading) or RFC 3339.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    match parse(value) {
        Ok(_) => Ok(()),
        Err(problem) => Err(Expected::new(match problem.reason() {
            Some(reason) => format!("{FORM}; {reason}"),
            None => FORM.to_owned(),
        })),
    }
}

/// The instant in nanoseconds since the Unix epoch (UTC), the offset applied.
pub(crate) fn order_key(value: &str) -> Option<OrderKey> {
    parse(value).ok().map(OrderKey::Int)
}

/// Nanoseconds since the Unix epoch of a valid `go-timestamp` value.
fn parse(value: &str) -> Result<i128, Problem<'_>> {
    if value.contains(" m=+") || value.contains(" m=-") {
        return Err(Problem::Monotonic);
    }
    let local = invalid_datetime::split_local(value).map_err(Problem::Datetime)?;
    if local.separator == b' ' {
        if let Some(zone) = local.rest.strip_prefix(' ') {
            return Ok(local.nanos - go_zone(zone)?);
        }
        if local.rest.is_empty() {
            return Err(Problem::NoOffset);
        }
    }
    invalid_datetime::parse_rfc3339(value).map_err(Problem::Datetime)
}

/// The offset east of UTC in nanoseconds of Go's `±HHMM[ ZONE]`.
fn go_zone(zone: &str) -> Result<i128, Problem<'static>> {
    let (offset, name) = match zone.split_once(' ') {
        Some((offset, name)) => (offset, Some(name)),
        None => (zone, None),
    };
    let (sign, hours, minutes) = match offset.as_bytes() {
        [sign @ (b'+' | b'-'), digits @ ..] if digits.len() == 4 => {
            let hours = two_digits(&digits[..2]).ok_or(Problem::Offset)?;
            let minutes = two_digits(&digits[2..]).ok_or(Problem::Offset)?;
            (*sign, hours, minutes)
        }
        [first, ..] if first.is_ascii_alphabetic() => return Err(Problem::NoOffset),
        _ => return Err(Problem::Offset),
    };
    if hours > 23 || minutes > 59 {
        return Err(Problem::OffsetRange);
    }
    if let Some(name) = name {
        check_zone_name(name, sign, hours, minutes)?;
    }
    let nanos = i128::from(hours * 3600 + minutes * 60) * NANOS_PER_SECOND;
    Ok(if sign == b'-' { -nanos } else { nanos })
}

/// Checks Go's zone abbreviation: 1-5 capital letters (Go also knows `ChST` and
/// `MeST`), or for zones without one the numeric `±HH` / `±HHMM` Go prints, which must
/// agree with the offset.
fn check_zone_name(name: &str, sign: u8, hours: u32, minutes: u32) -> Result<(), Problem<'static>> {
    let bytes = name.as_bytes();
    if (1..=5).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_uppercase) {
        return Ok(());
    }
    if name == "ChST" || name == "MeST" {
        return Ok(());
    }
    let (name_sign, name_hours, name_minutes) = match bytes {
        [s @ (b'+' | b'-'), h1, h2] => (*s, two_digits(&[*h1, *h2]), Some(0)),
        [s @ (b'+' | b'-'), h1, h2, m1, m2] => {
            (*s, two_digits(&[*h1, *h2]), two_digits(&[*m1, *m2]))
        }
        _ => return Err(Problem::Zone),
    };
    let (Some(name_hours), Some(name_minutes)) = (name_hours, name_minutes) else {
        return Err(Problem::Zone);
    };
    let zero = hours == 0 && minutes == 0 && name_hours == 0 && name_minutes == 0;
    if (name_sign == sign || zero) && name_hours == hours && name_minutes == minutes {
        Ok(())
    } else {
        Err(Problem::ZoneMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::{check, order_key};

    /// The message for `value` after the form.
    fn reason(value: &str) -> String {
        super::super::testing::reason(
            check,
            "a Go timestamp like 2024-04-27 06:33:31 +0000 UTC, or RFC 3339",
            value,
        )
    }

    /// The order key of `value` in nanoseconds; panics if there is none.
    fn nanos(value: &str) -> i128 {
        super::super::testing::nanos(order_key, value)
    }

    #[test]
    fn accepts_the_samples() {
        assert_eq!(check("2024-04-27 06:33:31 +0000 UTC"), Ok(()));
        assert_eq!(check("2023-12-14 04:39:56 +0000 UTC"), Ok(()));
        assert_eq!(check("2024-06-13 06:17:04 +0000 UTC"), Ok(()));
    }

    #[test]
    fn accepts_go_forms() {
        for value in [
            "2024-04-27 06:33:31.123456789 +0530 IST",
            "2024-04-27 06:33:31.5 -0700 MST",
            "2024-04-27 06:33:31 +0000",
            "2024-04-27 06:33:31 +0300 +03",
            "2024-04-27 06:33:31 -0330 -0330",
            "2024-04-27 06:33:31 +0000 +00",
            "2024-04-27 06:33:31 +0000 -00",
            "2024-04-27 06:33:31 +1000 ChST",
            "2024-04-27 06:33:31 +0200 CEST",
            "2024-04-27 06:33:31 +0000 Z",
            "2016-12-31 23:59:60 +0000 UTC",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn accepts_rfc3339() {
        for value in [
            "2023-08-29T14:46:36+00:00",
            "2024-04-27T06:33:31Z",
            "2024-04-27t06:33:31.123456789-05:00",
            "2024-04-27 06:33:31Z",
            "2024-04-27 06:33:31+05:30",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn rejects_the_monotonic_suffix() {
        assert_eq!(
            reason("2024-04-27 06:33:31.123 +0000 UTC m=+0.000000001"),
            "; without Go's monotonic clock reading (drop the ` m=...` suffix)"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +0000 UTC m=-12.5"),
            "; without Go's monotonic clock reading (drop the ` m=...` suffix)"
        );
    }

    #[test]
    fn requires_the_numeric_offset() {
        assert_eq!(
            reason("2024-04-27 06:33:31"),
            "; the numeric offset ±HHMM must follow the time"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 UTC"),
            "; the numeric offset ±HHMM must follow the time"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +00:00 UTC"),
            "; the offset after the time must be ±HHMM, like +0530"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +000 UTC"),
            "; the offset after the time must be ±HHMM, like +0530"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31  +0000 UTC"),
            "; the offset after the time must be ±HHMM, like +0530"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +2400 UTC"),
            "; the offset must be within ±2359"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31"),
            "; a time after `T` needs a zone, `Z` or ±HH:MM"
        );
        assert_eq!(
            reason("2024-04-27T06:33:31 +0000 UTC"),
            "; the zone after the time must be `Z` or ±HH:MM"
        );
    }

    #[test]
    fn checks_the_zone_name() {
        let bad_name =
            "; the zone name must be 1-5 capital letters (like UTC) or a numeric zone like +03";
        for value in [
            "2024-04-27 06:33:31 +0000 utc",
            "2024-04-27 06:33:31 +0000 ABCDEF",
            "2024-04-27 06:33:31 +0000 UTC extra",
            "2024-04-27 06:33:31 +0000 ",
            "2024-04-27 06:33:31 +0000 Europe/Berlin",
            "2024-04-27 06:33:31 +0000 ÜTC",
            "2024-04-27 06:33:31 +0000 +0",
        ] {
            assert_eq!(reason(value), bad_name, "{value}");
        }
        assert_eq!(
            reason("2024-04-27 06:33:31 +0530 +05"),
            "; the numeric zone name differs from the offset"
        );
        assert_eq!(
            reason("2024-04-27 06:33:31 +0300 -03"),
            "; the numeric zone name differs from the offset"
        );
    }

    #[test]
    fn reports_date_and_time_problems() {
        assert_eq!(
            reason("2023-02-29 06:33:31 +0000 UTC"),
            "; 2023 is not a leap year, so February has 28 days"
        );
        assert_eq!(
            reason("2024-04-27 25:33:31 +0000 UTC"),
            "; hour 25 is out of range (00-23)"
        );
        assert_eq!(reason("2024-04-27"), "; the time of day is missing");
        assert_eq!(reason("April 27, 2024"), "");
        assert_eq!(reason("1714199611"), "");
    }

    #[test]
    fn order_keys_share_the_date_scale() {
        let day = super::super::invalid_date::order_key("2024-04-27").unwrap();
        let next_day = super::super::invalid_date::order_key("2024-04-28").unwrap();
        let stamp = order_key("2024-04-27 06:33:31 +0000 UTC").unwrap();
        assert!(day < stamp && stamp < next_day);
        assert_eq!(Some(day), order_key("2024-04-27 00:00:00 +0000 UTC"));
        assert_eq!(Some(day), order_key("2024-04-27 02:00:00 +0200 CEST"));
        assert_eq!(
            super::super::invalid_datetime::order_key("2024-04-27 06:33:31"),
            Some(stamp)
        );
    }

    #[test]
    fn order_keys_apply_the_offset() {
        assert_eq!(nanos("1970-01-01 00:00:00 +0000 UTC"), 0);
        assert_eq!(nanos("1970-01-01 05:30:00 +0530 IST"), 0);
        assert_eq!(nanos("1969-12-31 19:00:00 -0500 EST"), 0);
        assert_eq!(nanos("1970-01-01 00:00:00.000000001 +0000"), 1);
        assert_eq!(
            nanos("2024-04-27 06:33:31 +0000 UTC"),
            nanos("2024-04-27T06:33:31Z")
        );
        assert_eq!(
            nanos("2024-04-27 08:33:31 +0200 CEST"),
            1_714_199_611_000_000_000
        );
        assert!(
            order_key("2023-12-14 04:39:56 +0000 UTC") < order_key("2024-04-27 06:33:31 +0000 UTC")
        );
        assert_eq!(order_key("2024-04-27 06:33:31"), None);
    }
}
