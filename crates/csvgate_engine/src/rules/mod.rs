//! The rules: one module per rule that has logic of its own, and one explanation per
//! rule (`<rule_name>.md` beside its module), which `csvgate explain` prints.
//!
//! Value rules are pure functions `check(value) -> Result<(), Expected>` that receive a
//! trimmed, non-empty value and say what was expected only when the value fails, so
//! the clean path formats nothing.

use std::borrow::Cow;

use csvgate_diagnostics::Rule;

pub(crate) mod binary_file;
pub(crate) mod invalid_boolean;
pub(crate) mod invalid_brn;
pub(crate) mod invalid_date;
pub(crate) mod invalid_datetime;
pub(crate) mod invalid_duration;
pub(crate) mod invalid_email;
pub(crate) mod invalid_json;
pub(crate) mod invalid_list;
pub(crate) mod invalid_number;
pub(crate) mod invalid_timestamp;
pub(crate) mod invalid_ulid;

/// What a failing value should have been, in words for a person ("a date in
/// YYYY-MM-DD form; February 2023 has 28 days").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expected(pub Cow<'static, str>);

impl Expected {
    pub(crate) fn new(text: impl Into<Cow<'static, str>>) -> Expected {
        Expected(text.into())
    }
}

/// A value of an ordered type, for `order` rules.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OrderKey {
    /// Integers, and dates and instants in nanoseconds since the Unix epoch (UTC).
    Int(i128),
    /// Decimal numbers.
    Float(f64),
}

impl OrderKey {
    fn as_f64(self) -> f64 {
        match self {
            // Exact below 2^53; beyond it, close enough to order integers and decimals.
            #[allow(clippy::cast_precision_loss)]
            OrderKey::Int(value) => value as f64,
            OrderKey::Float(value) => value,
        }
    }
}

// By value, also between an integer and a decimal column (`1.5` is before `100`); the
// schema only lets numbers be ordered against numbers, and instants against instants.
impl PartialEq for OrderKey {
    fn eq(&self, other: &OrderKey) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for OrderKey {
    fn partial_cmp(&self, other: &OrderKey) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (OrderKey::Int(a), OrderKey::Int(b)) => Some(a.cmp(b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

/// The explanation of a rule: what it checks, why, an example, and how to fix it.
pub fn explain(rule: Rule) -> &'static str {
    match rule {
        Rule::EmptyFile => include_str!("empty_file.md"),
        Rule::BinaryFile => include_str!("binary_file.md"),
        Rule::InvalidUtf8 => include_str!("invalid_utf8.md"),
        Rule::Utf8Bom => include_str!("utf8_bom.md"),
        Rule::UnclosedQuote => include_str!("unclosed_quote.md"),
        Rule::StrayQuote => include_str!("stray_quote.md"),
        Rule::RaggedRow => include_str!("ragged_row.md"),
        Rule::OversizedRecord => include_str!("oversized_record.md"),
        Rule::BlankRow => include_str!("blank_row.md"),
        Rule::MixedLineEndings => include_str!("mixed_line_endings.md"),
        Rule::SurroundingWhitespace => include_str!("surrounding_whitespace.md"),
        Rule::DuplicateRow => include_str!("duplicate_row.md"),
        Rule::BlankHeader => include_str!("blank_header.md"),
        Rule::DuplicateHeader => include_str!("duplicate_header.md"),
        Rule::MissingColumn => include_str!("missing_column.md"),
        Rule::UnknownColumn => include_str!("unknown_column.md"),
        Rule::NonCanonicalHeader => include_str!("non_canonical_header.md"),
        Rule::ShiftedColumns => include_str!("shifted_columns.md"),
        Rule::MissingValue => include_str!("missing_value.md"),
        Rule::InvalidBoolean => include_str!("invalid_boolean.md"),
        Rule::InvalidEmail => include_str!("invalid_email.md"),
        Rule::InvalidDate => include_str!("invalid_date.md"),
        Rule::InvalidDatetime => include_str!("invalid_datetime.md"),
        Rule::InvalidTimestamp => include_str!("invalid_timestamp.md"),
        Rule::InvalidDuration => include_str!("invalid_duration.md"),
        Rule::InvalidUlid => include_str!("invalid_ulid.md"),
        Rule::InvalidBrn => include_str!("invalid_brn.md"),
        Rule::InvalidJson => include_str!("invalid_json.md"),
        Rule::InvalidNumber => include_str!("invalid_number.md"),
        Rule::InvalidEnum => include_str!("invalid_enum.md"),
        Rule::PatternMismatch => include_str!("pattern_mismatch.md"),
        Rule::InvalidLength => include_str!("invalid_length.md"),
        Rule::InvalidList => include_str!("invalid_list.md"),
        Rule::IncompletePair => include_str!("incomplete_pair.md"),
        Rule::MissingDependency => include_str!("missing_dependency.md"),
        Rule::MissingOneOf => include_str!("missing_one_of.md"),
        Rule::InconsistentValues => include_str!("inconsistent_values.md"),
        Rule::DuplicateKey => include_str!("duplicate_key.md"),
        Rule::DanglingReference => include_str!("dangling_reference.md"),
        Rule::ValueOrder => include_str!("value_order.md"),
        Rule::FieldMismatch => include_str!("field_mismatch.md"),
        Rule::MissingMember => include_str!("missing_member.md"),
        Rule::UnexpectedMember => include_str!("unexpected_member.md"),
        Rule::NoSchema => include_str!("no_schema.md"),
    }
}

/// Helpers shared by the type checkers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Expected, OrderKey};

    /// What `check` says of a failing `value`, after the `form` that every message of
    /// its type starts with.
    pub(crate) fn reason(
        check: fn(&str) -> Result<(), Expected>,
        form: &str,
        value: &str,
    ) -> String {
        let text = check(value).expect_err(value).0.into_owned();
        match text.strip_prefix(form) {
            Some(rest) => rest.to_owned(),
            None => panic!("{value}: {text:?} does not start with {form:?}"),
        }
    }

    /// The order key of `value` in nanoseconds; panics if there is none.
    pub(crate) fn nanos(order_key: fn(&str) -> Option<OrderKey>, value: &str) -> i128 {
        match order_key(value) {
            Some(OrderKey::Int(nanos)) => nanos,
            other => panic!("{value}: {other:?}"),
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::OrderKey;

    #[test]
    fn integers_and_decimals_order_by_value() {
        assert!(OrderKey::Float(1.5) < OrderKey::Int(100));
        assert!(OrderKey::Int(2) > OrderKey::Float(1.5));
        assert!(OrderKey::Int(3) == OrderKey::Float(3.0));
        assert!(OrderKey::Int(-1) < OrderKey::Int(1));
    }
}
