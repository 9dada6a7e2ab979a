//! One value against its column: type, allowed values, pattern and length.
//!
//! The type checks themselves live in `rules/<rule>.rs`; this module picks the one a
//! column needs and words the finding, only when a value fails.

use csvgate_diagnostics::Rule;
use csvgate_schema::{ColumnSpec, ValueType};

use crate::rules::invalid_json::JsonKind;
use crate::rules::{
    invalid_boolean, invalid_brn, invalid_date, invalid_datetime, invalid_duration, invalid_email,
    invalid_json, invalid_list, invalid_number, invalid_timestamp, invalid_ulid, Expected,
    OrderKey,
};

/// A value that failed its column's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueFailure {
    pub rule: Rule,
    pub message: String,
    pub help: Option<String>,
}

/// Checks a trimmed, non-empty value against its column; reports the first failure.
pub(crate) fn check(column: &ColumnSpec, value: &str) -> Result<(), ValueFailure> {
    if let Err(expected) = check_type(column, value) {
        let (rule, noun, help) = describe(column.value_type);
        return Err(ValueFailure {
            rule,
            message: format!(
                "{} {} is not {noun}: expected {}",
                column.name,
                show(value),
                expected.0
            ),
            help: Some(help.to_owned()),
        });
    }
    if let Some(allowed) = &column.enum_values {
        if !allowed.matches(value) {
            let case = if allowed.case_sensitive {
                ""
            } else {
                " (case does not matter)"
            };
            return Err(ValueFailure {
                rule: Rule::InvalidEnum,
                message: format!(
                    "{} {} is not one of the allowed values",
                    column.name,
                    show(value)
                ),
                help: Some(format!("use {}{case}", allowed.describe())),
            });
        }
    }
    if let Some(pattern) = &column.pattern {
        if !pattern.is_match(value) {
            // The compiled regex is anchored as `^(?:...)$`; show the author's pattern.
            let source = pattern.as_str();
            let shown = source
                .strip_prefix("^(?:")
                .and_then(|s| s.strip_suffix(")$"))
                .unwrap_or(source);
            return Err(ValueFailure {
                rule: Rule::PatternMismatch,
                message: format!(
                    "{} {} does not match the pattern `{shown}`",
                    column.name,
                    show(value)
                ),
                help: column
                    .description
                    .as_ref()
                    .map(|d| format!("the column holds: {d}")),
            });
        }
    }
    if column.min_length.is_some() || column.max_length.is_some() {
        let chars = value.chars().count();
        let too_short = column.min_length.filter(|&min| chars < min);
        let too_long = column.max_length.filter(|&max| chars > max);
        if let Some(limit) = too_short.or(too_long) {
            let (bound, word) = if too_short.is_some() {
                ("at least", "short")
            } else {
                ("at most", "long")
            };
            return Err(ValueFailure {
                rule: Rule::InvalidLength,
                message: format!(
                    "{} {} is too {word}: {chars} characters, expected {bound} {limit}",
                    column.name,
                    show(value)
                ),
                help: None,
            });
        }
    }
    Ok(())
}

fn check_type(column: &ColumnSpec, value: &str) -> Result<(), Expected> {
    match column.value_type {
        ValueType::Text => Ok(()),
        ValueType::Integer => invalid_number::check(value, true),
        ValueType::Number => invalid_number::check(value, false),
        ValueType::Bool => invalid_boolean::check(value),
        ValueType::Email => invalid_email::check(value),
        ValueType::Ulid => invalid_ulid::check(value),
        ValueType::Brn => invalid_brn::check(value),
        ValueType::GoTimestamp => invalid_timestamp::check(value),
        ValueType::Date => invalid_date::check(value),
        ValueType::Datetime => invalid_datetime::check(value),
        ValueType::GoDuration => invalid_duration::check(value),
        ValueType::JsonObject => invalid_json::check(
            value,
            JsonKind::Object,
            &column.json_keys,
            &column.json_values,
        ),
        ValueType::JsonArray => invalid_json::check(
            value,
            JsonKind::Array,
            &column.json_keys,
            &column.json_values,
        ),
        ValueType::List => invalid_list::check(value, column.list_delimiter),
    }
}

/// The rule a type's failures belong to, the type as a noun, and a hint for the fix.
fn describe(value_type: ValueType) -> (Rule, &'static str, &'static str) {
    match value_type {
        ValueType::Text => (Rule::PatternMismatch, "text", "any text is allowed"),
        ValueType::Integer => (
            Rule::InvalidNumber,
            "an integer",
            "write a whole number such as 42 or -7, without separators",
        ),
        ValueType::Number => (
            Rule::InvalidNumber,
            "a number",
            "write a number such as 3.5 or -2e10, with a dot for decimals and no separators",
        ),
        ValueType::Bool => (Rule::InvalidBoolean, "a boolean", "write true or false"),
        ValueType::Email => (
            Rule::InvalidEmail,
            "an email address",
            "write an address such as ayden@example.com",
        ),
        ValueType::Ulid => (
            Rule::InvalidUlid,
            "a ULID",
            "a ULID is 26 characters such as 01H9VNFTZD1T44TCSKGEBWNTZD",
        ),
        ValueType::Brn => (
            Rule::InvalidBrn,
            "a BRN",
            "a BRN looks like brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>",
        ),
        ValueType::GoTimestamp => (
            Rule::InvalidTimestamp,
            "a timestamp",
            "write it as Go prints times, 2024-04-27 06:33:31 +0000 UTC, or as RFC 3339",
        ),
        ValueType::Date => (
            Rule::InvalidDate,
            "a date",
            "write the date as YYYY-MM-DD, such as 2024-02-29",
        ),
        ValueType::Datetime => (
            Rule::InvalidDatetime,
            "a date and time",
            "write YYYY-MM-DD HH:MM:SS, or RFC 3339 such as 2024-02-29T13:45:00Z",
        ),
        ValueType::GoDuration => (
            Rule::InvalidDuration,
            "a duration",
            "write a Go duration such as 90m, 1h30m or 1.5h (units ns, us, µs, ms, s, m, h)",
        ),
        ValueType::JsonObject => (
            Rule::InvalidJson,
            "a valid JSON object",
            "write a JSON object; inside a CSV field, double every quote: \"{\"\"key\"\": 1}\"",
        ),
        ValueType::JsonArray => (
            Rule::InvalidJson,
            "a valid JSON array",
            "write a JSON array; inside a CSV field, double every quote: \"[{\"\"key\"\": 1}]\"",
        ),
        ValueType::List => (
            Rule::InvalidList,
            "a well-formed list",
            "remove the empty item, or fill it in",
        ),
    }
}

/// The comparable form of an ordered value, or `None` if it does not parse (its own
/// type check reports that).
pub(crate) fn order_key(value_type: ValueType, value: &str) -> Option<OrderKey> {
    match value_type {
        ValueType::Integer => invalid_number::order_key(value, true),
        ValueType::Number => invalid_number::order_key(value, false),
        ValueType::Date => invalid_date::order_key(value),
        ValueType::Datetime => invalid_datetime::order_key(value),
        ValueType::GoTimestamp => invalid_timestamp::order_key(value),
        _ => None,
    }
}

/// Longest value shown in a message, in characters.
const SHOWN_MAX: usize = 60;

/// A value quoted for a message: escaped, and cut short when long.
pub(crate) fn show(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(SHOWN_MAX * 4) + 2);
    out.push('"');
    for (count, ch) in value.chars().enumerate() {
        if count == SHOWN_MAX {
            out.push('…');
            break;
        }
        match ch {
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_are_escaped_and_cut() {
        assert_eq!(show("a\"b\nc"), r#""a\"b\nc""#);
        let long = "é".repeat(100);
        assert_eq!(show(&long).chars().count(), SHOWN_MAX + 3);
    }
}
