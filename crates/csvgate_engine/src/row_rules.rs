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
use crate::place::{Draft, RecordCtx, Sink};
use crate::values::{order_key, show};

/// Runs the schema's row rules on one record.
pub(crate) fn check(schema: &Schema, binding: &Binding, rec: &RecordCtx<'_>, sink: &mut Sink<'_>) {
    // `None`: the column is not in the header; `Some("")`: it is, and empty.
    let value = |id: ColumnId| binding.column_field[id].map(|field| rec.value(field));
    // The same question when only emptiness matters, answered without the text.
    let empty = |id: ColumnId| binding.column_field[id].map(|field| rec.value_is_empty(field));
    let name = |id: ColumnId| schema.columns[id].name.as_str();
    for rule in &schema.row_rules {
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
                    own.eq_ignore_ascii_case(expected)
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
