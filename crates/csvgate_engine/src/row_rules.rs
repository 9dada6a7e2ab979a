//! Rules across the fields of one row: pairs, dependencies, conditions, one-of groups,
//! order and agreement.
//!
//! A rule whose columns are not all in the header does not run (the header rules
//! report the missing column), except where a missing column is itself the answer: a
//! one-of group runs over the columns that are there, and a `when` condition on an
//! absent column is simply not met.

use csvgate_diagnostics::Rule;
use csvgate_schema::{ColumnId, RowRule, RowRuleKind, Schema, ValueType};

use crate::header::{join_names, Binding};
use crate::place::{empty_bit, Draft, RecordCtx, Sink};
use crate::values::{order_key, show};

/// A row rule's test on which of a record's fields are empty, for the rules that ask
/// nothing else (pairs, dependencies, one-of groups): worked out from the header once,
/// it settles a record from its mask of empty values (see `place::value_ranges`)
/// without a look at a value. A record it does not settle goes through the rule in
/// full, which words the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quick {
    /// Can fire only when field `a`'s and field `b`'s values are not both empty or
    /// both filled (a pair).
    Differ { a: u64, b: u64 },
    /// Can fire only when `column`'s field is filled and one of `needed` is empty.
    Requires { column: u64, needed: u64 },
    /// Can fire only when every one of these fields is empty (a one-of group).
    AllEmpty(u64),
    /// Never fires: a column it needs is not in the header.
    Never,
    /// No such test: the rule looks at values, or at a field past the mask's.
    Full,
}

impl Quick {
    /// Whether the rule can fire on a record whose empty values are `empty`.
    #[inline]
    fn may_fire(self, empty: u64) -> bool {
        match self {
            Quick::Differ { a, b } => (empty & a == 0) != (empty & b == 0),
            Quick::Requires { column, needed } => empty & column == 0 && empty & needed != 0,
            Quick::AllEmpty(fields) => empty & fields == fields,
            Quick::Never => false,
            Quick::Full => true,
        }
    }
}

/// The quick test of each of the schema's row rules, against a header.
pub(crate) fn plan(schema: &Schema, binding: &Binding) -> Vec<Quick> {
    // A column's bit in the mask: `None` when it is not in the header, `Some(0)` when
    // its field is past the mask's.
    let bit = |id: ColumnId| binding.column_field[id].map(empty_bit);
    schema
        .row_rules
        .iter()
        .map(|rule| {
            let quick = match &rule.kind {
                RowRuleKind::Pair(a, b) => match (bit(*a), bit(*b)) {
                    (Some(a), Some(b)) => Quick::Differ { a, b },
                    _ => Quick::Never,
                },
                RowRuleKind::Requires { column, requires } => match bit(*column) {
                    Some(column) => Quick::Requires {
                        column,
                        // A needed column not in the header is never reported here.
                        needed: requires
                            .iter()
                            .filter_map(|&id| bit(id))
                            .fold(0, |m, b| m | b),
                    },
                    None => Quick::Never,
                },
                RowRuleKind::OneOf(ids) => {
                    let present: Vec<u64> = ids.iter().filter_map(|&id| bit(id)).collect();
                    match present.is_empty() {
                        true => Quick::Never,
                        false => Quick::AllEmpty(present.iter().fold(0, |m, b| m | b)),
                    }
                }
                _ => Quick::Full,
            };
            // A field past the mask has no bit: the test would miss it.
            let past_mask = |ids: &[ColumnId]| ids.iter().any(|&id| bit(id) == Some(0));
            let beyond = match &rule.kind {
                RowRuleKind::Pair(a, b) => past_mask(&[*a, *b]),
                RowRuleKind::Requires { column, requires } => {
                    past_mask(&[*column]) || past_mask(requires)
                }
                RowRuleKind::OneOf(ids) => past_mask(ids),
                _ => false,
            };
            if beyond {
                Quick::Full
            } else {
                quick
            }
        })
        .collect()
}

/// Runs the schema's row rules on one record.
pub(crate) fn check(schema: &Schema, binding: &Binding, rec: &RecordCtx<'_>, sink: &mut Sink<'_>) {
    let empty_values = rec.values().map(|values| values.empty);
    // Nearly every record is settled by the quick tests alone: one tight loop over
    // them before any rule is looked at.
    if let Some(empty) = empty_values {
        if binding.row_rules.len() == schema.row_rules.len()
            && binding.row_rules.iter().all(|quick| !quick.may_fire(empty))
        {
            return;
        }
    }
    // `None`: the column is not in the header; `Some("")`: it is, and empty.
    let value = |id: ColumnId| binding.column_field[id].map(|field| rec.value(field));
    // The same question when only emptiness matters, answered without the text.
    let empty = |id: ColumnId| binding.column_field[id].map(|field| rec.value_is_empty(field));
    let name = |id: ColumnId| schema.columns[id].name.as_str();
    for (index, rule) in schema.row_rules.iter().enumerate() {
        // Nearly every record is settled by the quick test.
        if let (Some(empty), Some(quick)) = (empty_values, binding.row_rules.get(index)) {
            if !quick.may_fire(empty) {
                continue;
            }
        }
        match &rule.kind {
            RowRuleKind::Pair(a, b) => {
                let (Some(a_empty), Some(b_empty)) = (empty(*a), empty(*b)) else {
                    continue;
                };
                if a_empty == b_empty {
                    continue;
                }
                let (Some(va), Some(vb)) = (value(*a), value(*b)) else {
                    continue;
                };
                let (empty, full, full_value) = if va.is_empty() {
                    (*a, *b, vb)
                } else {
                    (*b, *a, va)
                };
                emit(
                    schema,
                    binding,
                    rec,
                    sink,
                    rule,
                    empty,
                    Draft::new(
                        Rule::IncompletePair,
                        format!(
                            "`{}` is empty, but `{}` has the value {}: the two go together",
                            name(empty),
                            name(full),
                            show(full_value)
                        ),
                    )
                    .help(format!(
                        "fill in `{}`, or empty `{}` too",
                        name(empty),
                        name(full)
                    )),
                );
            }
            RowRuleKind::Requires { column, requires } => {
                if empty(*column) != Some(false) {
                    continue;
                }
                let Some(needing) = value(*column) else {
                    continue;
                };
                for &needed in requires {
                    if empty(needed) != Some(true) {
                        continue;
                    }
                    emit(
                        schema,
                        binding,
                        rec,
                        sink,
                        rule,
                        needed,
                        Draft::new(
                            Rule::MissingDependency,
                            format!(
                                "`{}` is empty, but `{}` {} needs it",
                                name(needed),
                                name(*column),
                                show(needing)
                            ),
                        )
                        .help(format!(
                            "fill in `{}`, or empty `{}`",
                            name(needed),
                            name(*column)
                        )),
                    );
                }
            }
            RowRuleKind::When {
                column,
                values,
                requires,
            } => {
                let Some(trigger) = value(*column).filter(|v| !v.is_empty() && values.matches(v))
                else {
                    continue;
                };
                for &needed in requires {
                    let message = match value(needed) {
                        Some("") => format!(
                            "`{}` is empty, but it is required when `{}` is {}",
                            name(needed),
                            name(*column),
                            show(trigger)
                        ),
                        None => format!(
                            "`{}` is {}, which requires a `{}` value, but the file has no `{}` column",
                            name(*column),
                            show(trigger),
                            name(needed),
                            name(needed)
                        ),
                        Some(_) => continue,
                    };
                    // With no such column, the condition's own field is the place to fix.
                    let at = if value(needed).is_some() {
                        needed
                    } else {
                        *column
                    };
                    emit(
                        schema,
                        binding,
                        rec,
                        sink,
                        rule,
                        at,
                        Draft::new(Rule::MissingDependency, message).help(format!(
                            "fill in `{}` (required when `{}` is {})",
                            name(needed),
                            name(*column),
                            values.describe()
                        )),
                    );
                }
            }
            RowRuleKind::OneOf(ids) => {
                let mut present = ids.iter().filter_map(|&id| empty(id));
                if present.next().is_none_or(|first_empty| !first_empty) || present.any(|e| !e) {
                    continue;
                }
                let names = join_names(schema, ids, "or");
                let draft = Draft::new(Rule::MissingOneOf, format!("none of {names} has a value"))
                    .help(format!("fill in at least one of {names}"))
                    .text(&rule.text);
                sink.at_record(rec, draft);
            }
            RowRuleKind::Order {
                before,
                after,
                strict,
            } => {
                let Some((early, late)) = filled(value(*before), value(*after)) else {
                    continue;
                };
                let key = |id: ColumnId, v: &str| order_key(schema.columns[id].value_type, v);
                let (Some(early_key), Some(late_key)) = (key(*before, early), key(*after, late))
                else {
                    continue;
                };
                let out_of_order = if *strict {
                    late_key <= early_key
                } else {
                    late_key < early_key
                };
                if !out_of_order {
                    continue;
                }
                let numeric = matches!(
                    schema.columns[*after].value_type,
                    ValueType::Integer | ValueType::Number
                );
                let relation = match (late_key == early_key, numeric) {
                    (true, _) => "the same as",
                    (false, true) => "less than",
                    (false, false) => "before",
                };
                emit(
                    schema,
                    binding,
                    rec,
                    sink,
                    rule,
                    *after,
                    Draft::new(
                        Rule::ValueOrder,
                        format!(
                            "`{}` {} is {relation} `{}` {}",
                            name(*after),
                            show(late),
                            name(*before),
                            show(early)
                        ),
                    )
                    .value(late)
                    .help(format!(
                        "`{}` must be {}{} `{}`: check both values",
                        name(*after),
                        if *strict { "" } else { "the same as or " },
                        if numeric { "greater than" } else { "after" },
                        name(*before)
                    )),
                );
            }
            RowRuleKind::Agree {
                column,
                with,
                part,
                case_sensitive,
            } => {
                let Some((own, other)) = filled(value(*column), value(*with)) else {
                    continue;
                };
                // A value the pattern cannot read is its own type's finding.
                let Some(expected) = part.captures(other).and_then(|c| c.get(1)) else {
                    continue;
                };
                let expected = expected.as_str();
                let agrees = if *case_sensitive {
                    own == expected
                } else {
                    csvgate_schema::same_without_case(own, expected)
                };
                if agrees {
                    continue;
                }
                emit(
                    schema,
                    binding,
                    rec,
                    sink,
                    rule,
                    *column,
                    Draft::new(
                        Rule::FieldMismatch,
                        format!(
                            "`{}` {} does not agree with `{}`, which says {}",
                            name(*column),
                            show(own),
                            name(*with),
                            show(expected)
                        ),
                    )
                    .value(own)
                    .help(format!(
                        "make `{}` {} or correct `{}`",
                        name(*column),
                        show(expected),
                        name(*with)
                    )),
                );
            }
        }
    }
}

/// Both values, when both columns are in the header and neither value is empty.
fn filled<'r>(a: Option<&'r str>, b: Option<&'r str>) -> Option<(&'r str, &'r str)> {
    match (a, b) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some((a, b)),
        _ => None,
    }
}

/// Reports a row rule's finding at the field of `column`.
fn emit(
    schema: &Schema,
    binding: &Binding,
    rec: &RecordCtx<'_>,
    sink: &mut Sink<'_>,
    rule: &RowRule,
    column: ColumnId,
    draft: Draft<'_>,
) {
    let draft = draft
        .field(schema.columns[column].name.as_str())
        .text(&rule.text);
    match binding.column_field[column] {
        Some(field) => sink.at_field(rec, field, draft),
        None => sink.at_record(rec, draft),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::bind;

    #[test]
    fn quick_tests_leave_to_the_full_rule_what_the_mask_cannot_tell() {
        let schema = csvgate_schema::builtin::load("entitlements-upload")
            .and_then(Result::ok)
            .expect("the built-in schema");
        let quick = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
            let (binding, _) = bind(&names, Some(&schema));
            let kinds = schema.row_rules.iter().map(|rule| &rule.kind);
            kinds.zip(binding.row_rules).collect::<Vec<_>>()
        };
        let pair = |quick: &[(&RowRuleKind, Quick)]| {
            quick
                .iter()
                .find(|(kind, _)| matches!(kind, RowRuleKind::Pair(..)))
                .map(|&(_, quick)| quick)
        };
        // Resource and Resource Type as fields 1 and 2: a test on their bits.
        let near = quick(&["Email", "Resource", "Resource Type"]);
        assert_eq!(pair(&near), Some(Quick::Differ { a: 2, b: 4 }));
        // A rule on a column not in the header never fires.
        assert!(near.iter().any(|&(_, quick)| quick == Quick::Never));
        // Past the mask's 64 fields: the full rule.
        let mut far = vec!["x"; 70];
        far.extend(["Email", "Resource", "Resource Type"]);
        assert_eq!(pair(&quick(&far)), Some(Quick::Full));
    }
}
