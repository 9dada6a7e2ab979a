//! `invalid_number`: an `integer` value must be a whole number that fits in 64 bits, and
//! a `number` value a finite decimal number (`1.5`, `-2e10`, `.5`).

use super::{Expected, OrderKey};

const INTEGER: &str = "an integer, like 42 or -7";

const NUMBER: &str = "a decimal number, like 1.5, -2e10 or .5";

/// Checks that `value` is an integer (optional sign, then ASCII digits, within `i64`)
/// when `integer` is set, or else a finite decimal number with optional sign, fraction
/// and exponent; `NaN`, infinities and thousands separators are rejected.
pub(crate) fn check(value: &str, integer: bool) -> Result<(), Expected> {
    let valid = if integer {
        value.parse::<i64>().is_ok()
    } else {
        parse_number(value).is_some()
    };
    if valid {
        Ok(())
    } else {
        Err(Expected::new(problem(value, integer)))
    }
}

/// The value for `order` rules: `Int` for an integer, `Float` for a number.
pub(crate) fn order_key(value: &str, integer: bool) -> Option<OrderKey> {
    if integer {
        value
            .parse::<i64>()
            .ok()
            .map(|v| OrderKey::Int(i128::from(v)))
    } else {
        parse_number(value).map(OrderKey::Float)
    }
}

/// The value of a finite decimal number, or `None`.
fn parse_number(value: &str) -> Option<f64> {
    if !is_decimal(value) {
        return None;
    }
    value.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `value` matches `[+-]?(digits(.digits*)?|.digits)([eE][+-]?digits)?`.
fn is_decimal(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits_at = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits_at(i);
    i += whole;
    let mut fraction = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        fraction = digits_at(i);
        i += fraction;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent = digits_at(i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == bytes.len()
}

/// Whether `value` is a signed or unsigned ASCII digit string.
fn is_digits(value: &str) -> bool {
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
}

/// The message for a value that failed.
fn problem(value: &str, integer: bool) -> String {
    let form = if integer { INTEGER } else { NUMBER };
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    if ["nan", "inf", "infinity"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
    {
        return format!("{form}; NaN and infinity are not allowed");
    }
    if value.contains(',') {
        return if integer {
            format!("{form}, without thousands separators (`,`)")
        } else {
            format!("{form}, without `,`: no thousands separators, and `.` for decimals")
        };
    }
    let grouped = value.contains(['_', ' ', '\'', '\u{a0}', '\u{202f}'])
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || "+-._ '\u{a0}\u{202f}eE".contains(c));
    if grouped {
        return format!("{form}, without digit-group separators (spaces, `_` or `'`)");
    }
    if value.starts_with(['\u{2212}', '\u{2013}']) {
        return format!("{form}; write the minus sign as an ASCII `-`");
    }
    if integer {
        if is_digits(value) {
            return format!("{form}, between -9223372036854775808 and 9223372036854775807");
        }
        if is_decimal(value) {
            return format!("{form}, without a decimal point or exponent");
        }
    } else if is_decimal(value) {
        return format!("{form}, within the range of a 64-bit float (about ±1.8e308)");
    }
    form.to_owned()
}

#[cfg(test)]
mod tests {
    use super::super::OrderKey;
    use super::{check, order_key};

    #[test]
    fn accepts_integers() {
        for value in [
            "0",
            "42",
            "-7",
            "+7",
            "007",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert_eq!(check(value, true), Ok(()), "{value}");
        }
    }

    #[test]
    fn rejects_bad_integers() {
        let expect = |value: &str, text: &str| {
            assert_eq!(check(value, true).unwrap_err().0, text, "{value}");
        };
        expect(
            "1.5",
            "an integer, like 42 or -7, without a decimal point or exponent",
        );
        expect(
            "1e3",
            "an integer, like 42 or -7, without a decimal point or exponent",
        );
        expect(
            "1.",
            "an integer, like 42 or -7, without a decimal point or exponent",
        );
        expect(
            "9223372036854775808",
            "an integer, like 42 or -7, between -9223372036854775808 and 9223372036854775807",
        );
        expect(
            "-9223372036854775809",
            "an integer, like 42 or -7, between -9223372036854775808 and 9223372036854775807",
        );
        expect(
            "1,000",
            "an integer, like 42 or -7, without thousands separators (`,`)",
        );
        expect(
            "1 000",
            "an integer, like 42 or -7, without digit-group separators (spaces, `_` or `'`)",
        );
        expect(
            "1_000",
            "an integer, like 42 or -7, without digit-group separators (spaces, `_` or `'`)",
        );
        expect(
            "NaN",
            "an integer, like 42 or -7; NaN and infinity are not allowed",
        );
        expect(
            "−5",
            "an integer, like 42 or -7; write the minus sign as an ASCII `-`",
        );
        for value in ["abc", "-", "+", "--1", "0x1F", "٣", "1-", "12abc", "１２"] {
            expect(value, "an integer, like 42 or -7");
        }
    }

    #[test]
    fn accepts_numbers() {
        for value in [
            "0",
            "1.5",
            "-2e10",
            ".5",
            "-.5",
            "+.5e-3",
            "1.",
            "1E+5",
            "42",
            "007.50",
            "1.7976931348623157e308",
            "1e-400",
        ] {
            assert_eq!(check(value, false), Ok(()), "{value}");
        }
    }

    #[test]
    fn rejects_bad_numbers() {
        let expect = |value: &str, text: &str| {
            assert_eq!(check(value, false).unwrap_err().0, text, "{value}");
        };
        for value in ["NaN", "nan", "inf", "-inf", "+Infinity", "INF"] {
            expect(
                value,
                "a decimal number, like 1.5, -2e10 or .5; NaN and infinity are not allowed",
            );
        }
        expect(
            "1,5",
            "a decimal number, like 1.5, -2e10 or .5, without `,`: no thousands separators, and `.` for decimals",
        );
        expect(
            "1,000.25",
            "a decimal number, like 1.5, -2e10 or .5, without `,`: no thousands separators, and `.` for decimals",
        );
        expect(
            "1e999",
            "a decimal number, like 1.5, -2e10 or .5, within the range of a 64-bit float (about ±1.8e308)",
        );
        expect(
            "1\u{a0}000.5",
            "a decimal number, like 1.5, -2e10 or .5, without digit-group separators (spaces, `_` or `'`)",
        );
        for value in [
            ".", "e5", "1e", "1e+", "1.2.3", "0x1p3", "1.5f", "½", "١٫٥", "--1", "+-1",
        ] {
            expect(value, "a decimal number, like 1.5, -2e10 or .5");
        }
    }

    #[test]
    fn order_keys() {
        assert_eq!(order_key("42", true), Some(OrderKey::Int(42)));
        assert_eq!(order_key("-7", true), Some(OrderKey::Int(-7)));
        assert_eq!(order_key("1.5", true), None);
        assert_eq!(order_key("1.5", false), Some(OrderKey::Float(1.5)));
        assert_eq!(order_key(".5", false), Some(OrderKey::Float(0.5)));
        assert_eq!(order_key("-2e10", false), Some(OrderKey::Float(-2e10)));
        assert_eq!(order_key("NaN", false), None);
        assert_eq!(order_key("1e999", false), None);
        assert!(order_key("-2", true) < order_key("10", true));
        assert!(order_key("9.5", false) < order_key("10", false));
        assert!(order_key("9223372036854775807", true) > order_key("-9223372036854775808", true));
    }
}
