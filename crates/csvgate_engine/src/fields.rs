//! A data record's own checks: whitespace around values, missing values, each value
//! against its column's type, allowed values, pattern and length, then the row rules.
//!
//! They need nothing but the record, so they run wherever there is time: on the
//! reading thread, or on the cross-row stage's thread with its batch.

use csvgate_diagnostics::Rule;
use csvgate_schema::{ColumnSpec, Schema};

use crate::header::{Binding, FieldNeeds};
use crate::place::{trim, Draft, RecordCtx, Sink};
use crate::row_rules;
use crate::values::{self, show};

/// The last value of each field that passed its column's checks.
///
/// The checks are a function of the column and the value alone, and exports repeat
/// values down a column (an identity's email on each of its rows): a value equal to
/// the last one that passed passes, without being checked again. Kept by whichever
/// thread runs the checks; it changes no finding.
#[derive(Default)]
pub(crate) struct Passed {
    values: Vec<String>,
}

impl Passed {
    fn contains(&self, field: usize, value: &str) -> bool {
        self.values.get(field).is_some_and(|passed| passed == value)
    }

    fn remember(&mut self, field: usize, value: &str) {
        if self.values.len() <= field {
            self.values.resize_with(field + 1, String::new);
        }
        let passed = &mut self.values[field];
        passed.clear();
        passed.push_str(value);
    }
}

/// Checks the fields of one data record (one with the header's field count).
pub(crate) fn check(
    schema: Option<&Schema>,
    binding: &Binding,
    rec: &RecordCtx<'_>,
    passed: &mut Passed,
    sink: &mut Sink<'_>,
) {
    check_utf8(&binding.field_names, rec, sink);
    let column =
        |field: usize| binding.field_column[field].and_then(|id| schema.map(|s| &s.columns[id]));
    // Whether a value with nothing around it needs no more looking at.
    let settled = |needs: FieldNeeds, empty: bool| {
        if empty {
            !needs.value_required
        } else {
            !needs.value_checks
        }
    };
    match rec.values() {
        // The common case: no value has white space around it (each is its whole
        // field), so only the fields whose values need more are looked at, and most
        // of their values are settled from their length (an empty one not required,
        // one in a column taking any).
        Some(values) if values.ranges.is_empty() => {
            for &field in &binding.checked_fields {
                let [start, end] = rec.bounds[field];
                if !settled(binding.field_needs[field], start == end) {
                    // Nothing around the value: it is the whole field, and only its
                    // column's checks are left.
                    if let Some(column) = column(field) {
                        check_value(rec, field, column, rec.value(field), passed, sink);
                    }
                }
            }
        }
        Some(values) => {
            for (field, (&bound, &range)) in rec.bounds.iter().zip(values.ranges).enumerate() {
                let surrounded = range != bound.map(|at| at as u32);
                if surrounded || !settled(binding.field_needs[field], range[0] == range[1]) {
                    check_field(binding, rec, field, column(field), passed, sink);
                }
            }
        }
        None => {
            for field in 0..rec.len() {
                check_field(binding, rec, field, column(field), passed, sink);
            }
        }
    }
    if let Some(schema) = schema {
        row_rules::check(schema, binding, rec, sink);
    }
}

/// Checks one field of a data record: whitespace around it, a missing value, and its
/// value against its column.
fn check_field(
    binding: &Binding,
    rec: &RecordCtx<'_>,
    field: usize,
    column: Option<&ColumnSpec>,
    passed: &mut Passed,
    sink: &mut Sink<'_>,
) {
    let Some(raw) = rec.field_text(field) else {
        return;
    };
    let value = trim(raw);
    let required = column.is_some_and(|c| c.value_required);
    if value.len() != raw.len() && !(value.is_empty() && required) {
        let draft = Draft::new(
            Rule::SurroundingWhitespace,
            format!("{} has whitespace before or after it", show(raw)),
        )
        .help("remove the whitespace (csvgate --fix does)")
        .field(binding.field_names[field].as_str());
        sink.at_field(rec, field, draft);
    }
    if let Some(column) = column {
        check_value(rec, field, column, value, passed, sink);
    }
}

/// Checks a field's trimmed value against its column: a missing value, then the
/// column's own checks.
fn check_value(
    rec: &RecordCtx<'_>,
    field: usize,
    column: &ColumnSpec,
    value: &str,
    passed: &mut Passed,
    sink: &mut Sink<'_>,
) {
    if value.is_empty() {
        if column.value_required {
            let draft = Draft::new(
                Rule::MissingValue,
                format!("`{}` is empty, but every record needs a value", column.name),
            )
            .help(match &column.description {
                Some(description) => format!("fill in `{}`: {description}", column.name),
                None => format!("fill in `{}`", column.name),
            })
            .field(column.name.as_str())
            .text(&column.text);
            sink.at_field(rec, field, draft);
        }
    } else if !passed.contains(field, value) {
        match values::check(column, value) {
            Ok(()) => passed.remember(field, value),
            Err(failure) => {
                let mut draft = Draft::new(failure.rule, failure.message)
                    .field(column.name.as_str())
                    .value(value)
                    .text(&column.text);
                draft.help = failure.help;
                sink.at_field(rec, field, draft);
            }
        }
    }
}

/// One `invalid-utf8` finding per physical line of the record that holds bytes that
/// are not UTF-8; `field_names` name the fields (none before the header).
pub(crate) fn check_utf8(field_names: &[String], rec: &RecordCtx<'_>, sink: &mut Sink<'_>) {
    if rec.is_utf8() {
        return;
    }
    let mut start = 0;
    for line in rec.body.split_inclusive(|&b| b == b'\n' || b == b'\r') {
        if let Err(error) = std::str::from_utf8(line) {
            let at = start + error.valid_up_to();
            let byte = rec.body[at];
            let draft = Draft::new(
                Rule::InvalidUtf8,
                format!("byte 0x{byte:02X} is not UTF-8: the file seems saved in another encoding"),
            )
            .help("save the file as UTF-8 (in Excel: CSV UTF-8)");
            let draft = match field_names.get(rec.field_at(at)).filter(|n| !n.is_empty()) {
                Some(name) => draft.field(name.as_str()),
                None => draft,
            };
            sink.at_span(rec, at..at + 1, draft);
        }
        start += line.len();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::header::bind;
    use crate::place::value_ranges;

    /// The findings of one record's own checks, with or without its values worked out
    /// ahead, remembering passed values in `passed`.
    fn findings(
        schema: &Schema,
        binding: &Binding,
        fields: &[&str],
        ahead: bool,
        passed: &mut Passed,
    ) -> Vec<csvgate_diagnostics::Finding> {
        let data = fields.concat();
        let bounds = crate::testing::bounds_of(fields);
        let body = fields.join(",");
        let rec = RecordCtx::new(body.as_bytes(), 0, 2, 1, data.as_bytes(), &bounds, b',');
        let mut ranges = Vec::new();
        let rec = match ahead {
            true => {
                let empty = value_ranges(data.as_bytes(), &bounds, &mut ranges);
                rec.with_values(Some(&data), empty.map(|empty| (&ranges[..], empty)))
            }
            false => rec,
        };
        let mut sink = Sink::new(Arc::from("t.csv"), None, false);
        sink.set_schema(Some(schema));
        check(Some(schema), binding, &rec, passed, &mut sink);
        sink.findings
    }

    #[test]
    fn values_worked_out_ahead_and_values_passed_before_find_what_a_plain_check_finds() {
        // Own checks and row rules alike (pairs, dependencies, one-of).
        let schema = csvgate_schema::builtin::load("entitlements-upload")
            .and_then(Result::ok)
            .expect("the built-in schema");
        let names: Vec<String> = [
            "Project",
            "Privilege Name",
            "Privilege Value",
            "Email",
            "User ID",
            "Resource",
            "Resource Type",
            "Connection",
            "Connection Type",
            "Connection Provider",
            "Project Aliases",
        ]
        .map(String::from)
        .to_vec();
        let (binding, _) = bind(&names, Some(&schema));
        let pieces = [
            "", " ", "x", " x", "x ", "true", "maybe", "a@b.io", "a@b", "\u{A0}y", "a,,b", "é",
        ];
        let mut picker = crate::testing::picker(5);
        let mut found = 0;
        // Passed values remembered from record to record on one side only: what a
        // value passed before passes again.
        let mut passed = Passed::default();
        for _ in 0..3_000 {
            let fields: Vec<&str> = names.iter().map(|_| pieces[picker(pieces.len())]).collect();
            let ahead = findings(&schema, &binding, &fields, true, &mut passed);
            let fresh = &mut Passed::default();
            let field_by_field = findings(&schema, &binding, &fields, false, fresh);
            assert_eq!(ahead, field_by_field, "{fields:?}");
            found += ahead.len();
        }
        assert!(found > 3_000, "only {found} findings");
    }
}
