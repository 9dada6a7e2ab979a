//! `invalid_duration`: a `go-duration` value must parse with Go's
//! `time.ParseDuration` (`1h30m`, `68m0s`, `1.5h`, `-.5s`, `0`).

use super::Expected;

const FORM: &str = "a Go duration like 1h30m, 45m0s or 1.5h";

const UNITS: &str = "ns, us, µs, ms, s, m or h";

/// The largest magnitude Go's `time.Duration` (an int64 count of nanoseconds) holds.
const LIMIT: u64 = 1 << 63;

/// Why a value is not a Go duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem<'a> {
    /// Nothing after the sign.
    Empty,
    /// A unit or other text where a number must start.
    NoNumber,
    /// A number (given) without a unit.
    MissingUnit(&'a str),
    /// A unit Go does not know (given).
    UnknownUnit(&'a str),
    /// More than Go's int64 nanoseconds hold.
    Overflow,
}

/// Checks that `value` is accepted by Go's `time.ParseDuration`: an optional sign, then
/// `0` alone or one or more `<number><unit>`, where a number is digits with an optional
/// fraction (`1.5`, `.5`, `1.`) and a unit one of `ns`, `us`, `µs`, `μs`, `ms`, `s`,
/// `m`, `h`.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    match parse(value) {
        Ok(_) => Ok(()),
        Err(problem) => Err(Expected::new(message(problem))),
    }
}

/// The message for a failure.
fn message(problem: Problem<'_>) -> String {
    match problem {
        Problem::Empty => format!("{FORM}; a number and unit must follow the sign"),
        Problem::NoNumber => format!("{FORM}; each unit needs a number before it"),
        Problem::MissingUnit(number) => {
            format!("{FORM}; `{number}` has no unit (use {UNITS})")
        }
        Problem::UnknownUnit(unit) => {
            let hint = match unit {
                "d" | "day" | "days" => "; write days as hours, like 24h",
                "w" | "wk" | "week" | "weeks" => "; write weeks as hours, like 168h",
                "min" | "mins" | "minute" | "minutes" => "; write minutes as m",
                "sec" | "secs" | "second" | "seconds" => "; write seconds as s",
                "hr" | "hrs" | "hour" | "hours" => "; write hours as h",
                "H" | "M" | "S" | "MS" | "NS" | "US" => "; units are lowercase",
                ":" => "; write 1:30:00 as 1h30m0s",
                _ if unit.contains(char::is_whitespace) => "; leave no spaces inside",
                _ if unit.contains(['+', '-']) => "; a sign may only come first",
                _ => "",
            };
            format!("{FORM}; `{unit}` is not a unit (use {UNITS}){hint}")
        }
        Problem::Overflow => {
            format!("{FORM}, at most 2562047h47m16.854775807s (Go's limit)")
        }
    }
}

/// The duration in nanoseconds, following Go's `time.ParseDuration` step by step
/// (including its float rounding of fractions).
fn parse(value: &str) -> Result<i64, Problem<'_>> {
    let (negative, mut rest) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(Problem::Empty);
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let bytes = rest.as_bytes();
        if !(bytes[0] == b'.' || bytes[0].is_ascii_digit()) {
            return Err(Problem::NoNumber);
        }
        let number_start = rest;
        // Whole part: [0-9]*
        let int_len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let mut whole: u64 = 0;
        for &b in &bytes[..int_len] {
            if whole > LIMIT / 10 {
                return Err(Problem::Overflow);
            }
            whole = whole * 10 + u64::from(b - b'0');
            if whole > LIMIT {
                return Err(Problem::Overflow);
            }
        }
        let mut used = int_len;
        // Fraction: (\.[0-9]*)?
        let mut fraction: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut fraction_len = 0;
        if bytes.get(used) == Some(&b'.') {
            used += 1;
            let mut overflow = false;
            for &b in bytes[used..].iter().take_while(|b| b.is_ascii_digit()) {
                fraction_len += 1;
                if overflow {
                    continue;
                }
                if fraction > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let next = fraction * 10 + u64::from(b - b'0');
                if next > LIMIT {
                    overflow = true;
                    continue;
                }
                fraction = next;
                scale *= 10.0;
            }
            used += fraction_len;
        }
        if int_len == 0 && fraction_len == 0 {
            return Err(Problem::NoNumber);
        }
        let number = &number_start[..used];
        rest = &rest[used..];
        // Unit: everything up to the next `.` or digit.
        let unit_len = rest
            .bytes()
            .position(|b| b == b'.' || b.is_ascii_digit())
            .unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(Problem::MissingUnit(number));
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(scale_ns) = unit_nanos(unit) else {
            return Err(Problem::UnknownUnit(unit));
        };
        if whole > LIMIT / scale_ns {
            return Err(Problem::Overflow);
        }
        let mut amount = whole * scale_ns;
        if fraction > 0 {
            // Go converts with float64 and truncates; the product is below 3.6e12 (ns per hour).
            let part = (fraction as f64 * (scale_ns as f64 / scale)) as u64;
            amount += part;
            if amount > LIMIT {
                return Err(Problem::Overflow);
            }
        }
        total += amount;
        if total > LIMIT {
            return Err(Problem::Overflow);
        }
    }
    if negative {
        // total <= 2^63, so the negation fits (2^63 itself is i64::MIN).
        return Ok(0_i64.wrapping_sub_unsigned(total));
    }
    i64::try_from(total).map_err(|_| Problem::Overflow)
}

/// Nanoseconds per unit, for the units Go knows.
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60 * 1_000_000_000,
        "h" => 3600 * 1_000_000_000,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{check, parse};

    const SECOND: i64 = 1_000_000_000;

    /// The message for `value` after the form.
    fn reason(value: &str) -> String {
        super::super::testing::reason(check, "a Go duration like 1h30m, 45m0s or 1.5h", value)
    }

    #[test]
    fn accepts_the_samples() {
        for value in ["1h", "60m", "68m0s", "45m0s", "1.5h"] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn parses_like_go() {
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("-0"), Ok(0));
        assert_eq!(parse("+0"), Ok(0));
        assert_eq!(parse("0s"), Ok(0));
        assert_eq!(parse("1h30m"), Ok(5400 * SECOND));
        assert_eq!(parse("68m0s"), Ok(68 * 60 * SECOND));
        assert_eq!(parse("-1.5h"), Ok(-5400 * SECOND));
        assert_eq!(parse("+1.5h"), Ok(5400 * SECOND));
        assert_eq!(parse(".5s"), Ok(SECOND / 2));
        assert_eq!(parse("-.5s"), Ok(-SECOND / 2));
        assert_eq!(parse("1.s"), Ok(SECOND));
        assert_eq!(parse("1.0000000001s"), Ok(SECOND));
        assert_eq!(parse("3ns"), Ok(3));
        assert_eq!(parse("3us"), Ok(3_000));
        assert_eq!(parse("3\u{b5}s"), Ok(3_000));
        assert_eq!(parse("3\u{3bc}s"), Ok(3_000));
        assert_eq!(parse("3ms"), Ok(3_000_000));
        assert_eq!(parse("1h1m1s1ms1us1ns"), Ok(3661 * SECOND + 1_001_001));
        assert_eq!(parse("1s1s"), Ok(2 * SECOND));
        assert_eq!(parse("0.3333333333333333333h"), Ok(1_200 * SECOND));
        assert_eq!(parse("9223372036854775807ns"), Ok(i64::MAX));
        assert_eq!(parse("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(parse("2562047h47m16.854775807s"), Ok(i64::MAX));
    }

    #[test]
    fn accepts_both_micro_signs() {
        assert_eq!(check("250µs"), Ok(()));
        assert_eq!(check("250μs"), Ok(()));
        assert_eq!(check("1.5\u{b5}s"), Ok(()));
    }

    #[test]
    fn rejects_a_missing_unit() {
        assert_eq!(
            reason("10"),
            "; `10` has no unit (use ns, us, µs, ms, s, m or h)"
        );
        assert_eq!(
            reason("00"),
            "; `00` has no unit (use ns, us, µs, ms, s, m or h)"
        );
        assert_eq!(
            reason("1h30"),
            "; `30` has no unit (use ns, us, µs, ms, s, m or h)"
        );
        assert_eq!(
            reason("1.5"),
            "; `1.5` has no unit (use ns, us, µs, ms, s, m or h)"
        );
        assert_eq!(
            reason("1.5.5s"),
            "; `1.5` has no unit (use ns, us, µs, ms, s, m or h)"
        );
    }

    #[test]
    fn rejects_unknown_units() {
        assert_eq!(
            reason("1d"),
            "; `d` is not a unit (use ns, us, µs, ms, s, m or h); write days as hours, like 24h"
        );
        assert_eq!(
            reason("10d"),
            "; `d` is not a unit (use ns, us, µs, ms, s, m or h); write days as hours, like 24h"
        );
        assert_eq!(
            reason("5min"),
            "; `min` is not a unit (use ns, us, µs, ms, s, m or h); write minutes as m"
        );
        assert_eq!(
            reason("1H"),
            "; `H` is not a unit (use ns, us, µs, ms, s, m or h); units are lowercase"
        );
        assert_eq!(
            reason("10 s"),
            "; ` s` is not a unit (use ns, us, µs, ms, s, m or h); leave no spaces inside"
        );
        assert_eq!(
            reason("1h-30m"),
            "; `h-` is not a unit (use ns, us, µs, ms, s, m or h); a sign may only come first"
        );
        assert_eq!(
            reason("3µ"),
            "; `µ` is not a unit (use ns, us, µs, ms, s, m or h)"
        );
        assert_eq!(
            reason("2秒"),
            "; `秒` is not a unit (use ns, us, µs, ms, s, m or h)"
        );
    }

    #[test]
    fn rejects_missing_numbers() {
        assert_eq!(reason("-"), "; a number and unit must follow the sign");
        assert_eq!(reason("+"), "; a number and unit must follow the sign");
        assert_eq!(reason("h"), "; each unit needs a number before it");
        assert_eq!(reason(".s"), "; each unit needs a number before it");
        assert_eq!(reason("-.s"), "; each unit needs a number before it");
        assert_eq!(reason("--1s"), "; each unit needs a number before it");
        assert_eq!(reason("P1D"), "; each unit needs a number before it");
        assert_eq!(
            reason("1:30:00"),
            "; `:` is not a unit (use ns, us, µs, ms, s, m or h); write 1:30:00 as 1h30m0s"
        );
    }

    #[test]
    fn rejects_overflow() {
        let overflow = ", at most 2562047h47m16.854775807s (Go's limit)";
        assert_eq!(reason("2562048h"), overflow);
        assert_eq!(reason("9223372036854775808ns"), overflow);
        assert_eq!(reason("99999999999999999999ns"), overflow);
        assert_eq!(reason("2562047h47m16.854775808s"), overflow);
        assert_eq!(reason("2562047h2562047h"), overflow);
        assert_eq!(parse("-2562047h47m16.854775808s"), Ok(i64::MIN));
    }
}
