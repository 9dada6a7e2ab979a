//! The header row against the schema: which field is which column, and the header
//! rules (blank, duplicate, missing, unknown and non-canonical names).

use std::collections::HashSet;

use csvgate_diagnostics::Rule;
use csvgate_schema::{normalize_header, suggest, ColumnId, HeaderRuleKind, Schema};

use crate::row_rules;

/// Which schema column each header field is, and the other way round.
#[derive(Debug, Clone, Default)]
pub(crate) struct Binding {
    /// For each header field, the column it names.
    pub field_column: Vec<Option<ColumnId>>,
    /// For each schema column, the header field that names it.
    pub column_field: Vec<Option<usize>>,
    /// For each header field, the name findings use: the canonical name, else the
    /// header text.
    pub field_names: Vec<String>,
    /// For each header field, what its values need checked beyond the white space
    /// around them.
    pub field_needs: Vec<FieldNeeds>,
    /// The fields that need anything checked beyond the white space around values.
    pub checked_fields: Vec<usize>,
    /// For each of the schema's row rules, its test on which fields are empty, when it
    /// has one (see [`row_rules::Quick`]).
    pub row_rules: Vec<row_rules::Quick>,
}

/// What a field's values need checked beyond the white space around them: worked out
/// once from its column, so that the common value is settled without looking at it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FieldNeeds {
    /// Non-empty values are checked against the column (type, allowed values, ...).
    pub value_checks: bool,
    /// Empty values are reported.
    pub value_required: bool,
}

/// A header finding before it is placed: on a header field, or on the header as a
/// whole (a missing column has no field to point at).
#[derive(Debug)]
pub(crate) struct HeaderFinding {
    pub rule: Rule,
    pub field: Option<usize>,
    /// The field name to report (for a missing column: the column's name).
    pub field_name: Option<String>,
    pub message: String,
    pub help: Option<String>,
    pub text: Option<usize>,
}

impl HeaderFinding {
    fn new(rule: Rule, field: Option<usize>, field_name: Option<String>, message: String) -> Self {
        HeaderFinding {
            rule,
            field,
            field_name,
            message,
            help: None,
            text: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Binds the header's names to the schema's columns and checks the header.
pub(crate) fn bind(names: &[String], schema: Option<&Schema>) -> (Binding, Vec<HeaderFinding>) {
    let mut findings = Vec::new();
    let columns = schema.map_or(&[][..], |s| &s.columns[..]);
    let mut binding = Binding {
        field_column: vec![None; names.len()],
        column_field: vec![None; columns.len()],
        field_names: Vec::with_capacity(names.len()),
        field_needs: vec![FieldNeeds::default(); names.len()],
        checked_fields: Vec::new(),
        row_rules: Vec::new(),
    };
    // A set, not a list: a header of 100,000 names must not take 10^10 comparisons.
    let mut seen_text: HashSet<&str> = HashSet::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        let trimmed = name.trim();
        binding.field_names.push(trimmed.to_owned());
        if trimmed.is_empty() {
            findings.push(
                HeaderFinding::new(
                    Rule::BlankHeader,
                    Some(index),
                    None,
                    format!("column {} has no name", index + 1),
                )
                .help("name the column, or remove it and its values"),
            );
            seen_text.insert(trimmed);
            continue;
        }
        let column = schema.and_then(|_| {
            columns
                .iter()
                .position(|c| c.name == trimmed)
                .map(|id| (id, false))
                .or_else(|| {
                    let wanted = normalize_header(trimmed);
                    columns
                        .iter()
                        .position(|c| {
                            normalize_header(&c.name) == wanted
                                || c.aliases.iter().any(|a| normalize_header(a) == wanted)
                        })
                        .map(|id| (id, true))
                })
        });
        match column {
            Some((id, _)) if binding.column_field[id].is_some() => {
                let first = binding.column_field[id].unwrap_or(0);
                findings.push(
                    HeaderFinding::new(
                        Rule::DuplicateHeader,
                        Some(index),
                        Some(columns[id].name.clone()),
                        format!(
                            "column {} `{trimmed}` names `{}` again, already column {}",
                            index + 1,
                            columns[id].name,
                            first + 1
                        ),
                    )
                    .help("remove one of the two columns, or rename it"),
                );
            }
            Some((id, loosely)) => {
                binding.field_column[index] = Some(id);
                binding.column_field[id] = Some(index);
                let canonical = &columns[id].name;
                binding.field_names[index].clone_from(canonical);
                if loosely || name != canonical {
                    let how = if columns[id].aliases.iter().any(|a| a.trim() == trimmed) {
                        "an alias of"
                    } else {
                        "a variant spelling of"
                    };
                    findings.push(
                        HeaderFinding::new(
                            Rule::NonCanonicalHeader,
                            Some(index),
                            Some(canonical.clone()),
                            format!("header `{name}` is {how} column `{canonical}`"),
                        )
                        .help(format!("rename the header to `{canonical}`")),
                    );
                }
            }
            None => {
                if seen_text.contains(trimmed) {
                    findings.push(
                        HeaderFinding::new(
                            Rule::DuplicateHeader,
                            Some(index),
                            None,
                            format!("column name `{trimmed}` appears twice"),
                        )
                        .help("remove one of the two columns, or rename it"),
                    );
                } else if schema.is_some() {
                    let candidates = columns.iter().flat_map(|c| {
                        std::iter::once(c.name.as_str()).chain(c.aliases.iter().map(String::as_str))
                    });
                    let mut finding = HeaderFinding::new(
                        Rule::UnknownColumn,
                        Some(index),
                        None,
                        format!(
                            "the schema `{}` has no column `{trimmed}`",
                            schema.map_or("", |s| s.name.as_str())
                        ),
                    );
                    finding.help = Some(match suggest(trimmed, candidates) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "remove the column, or check that the schema is the right one"
                            .to_owned(),
                    });
                    findings.push(finding);
                }
            }
        }
        seen_text.insert(trimmed);
    }
    if let Some(schema) = schema {
        check_columns(schema, &binding, &mut findings);
    }
    for (field, column) in binding.field_column.iter().enumerate() {
        if let Some(column) = column.map(|id| &columns[id]) {
            let needs = FieldNeeds {
                value_checks: !column.accepts_any_value(),
                value_required: column.value_required,
            };
            binding.field_needs[field] = needs;
            if needs != FieldNeeds::default() {
                binding.checked_fields.push(field);
            }
        }
    }
    if let Some(schema) = schema {
        binding.row_rules = row_rules::plan(schema, &binding);
    }
    (binding, findings)
}

/// The header rules: required columns, one-of groups, columns that need others.
fn check_columns(schema: &Schema, binding: &Binding, findings: &mut Vec<HeaderFinding>) {
    let present = |id: ColumnId| binding.column_field[id].is_some();
    let mut missing: Vec<ColumnId> = Vec::new();
    for (id, column) in schema.columns.iter().enumerate() {
        if column.required && !present(id) {
            missing.push(id);
            findings.push(
                HeaderFinding::new(
                    Rule::MissingColumn,
                    None,
                    Some(column.name.clone()),
                    format!("the header lacks the required column `{}`", column.name),
                )
                .help(format!("add a column named `{}`", column.name)),
            );
        }
    }
    for (index, rule) in schema.header_rules.iter().enumerate() {
        match &rule.kind {
            HeaderRuleKind::OneOf(ids) => {
                if !ids.iter().any(|&id| present(id)) {
                    let names = join_names(schema, ids, "or");
                    let mut finding = HeaderFinding::new(
                        Rule::MissingColumn,
                        None,
                        Some(schema.columns[ids[0]].name.clone()),
                        format!("the header has none of the columns {names}"),
                    )
                    .help(format!("add at least one of the columns {names}"));
                    finding.text = Some(index);
                    findings.push(finding);
                }
            }
            HeaderRuleKind::Requires { column, requires } => {
                if !present(*column) {
                    continue;
                }
                for &needed in requires {
                    if present(needed) || missing.contains(&needed) {
                        continue;
                    }
                    missing.push(needed);
                    let mut finding = HeaderFinding::new(
                        Rule::MissingColumn,
                        None,
                        Some(schema.columns[needed].name.clone()),
                        format!(
                            "the header has column `{}` but lacks `{}`, which it needs",
                            schema.columns[*column].name, schema.columns[needed].name
                        ),
                    )
                    .help(format!(
                        "add a column named `{}`, or remove `{}`",
                        schema.columns[needed].name, schema.columns[*column].name
                    ));
                    finding.text = Some(index);
                    findings.push(finding);
                }
            }
        }
    }
}

/// `a`, `b` or `c`.
pub(crate) fn join_names(schema: &Schema, ids: &[ColumnId], conjunction: &str) -> String {
    let names: Vec<String> = ids
        .iter()
        .map(|&id| format!("`{}`", schema.columns[id].name))
        .collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::parse(
            "t.toml",
            r#"
name = "t"
description = "t"
[[column]]
name = "Privilege Name"
required = true
[[column]]
name = "Email"
aliases = ["Mail"]
[[column]]
name = "Resource"
[[column]]
name = "Resource Type"
[[header]]
column = "Resource"
requires = ["Resource Type"]
"#,
        )
        .unwrap()
    }

    fn rules(names: &[&str]) -> Vec<(Rule, Option<usize>)> {
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        let schema = schema();
        let (_, findings) = bind(&names, Some(&schema));
        findings.iter().map(|f| (f.rule, f.field)).collect()
    }

    #[test]
    fn loose_spellings_and_aliases_bind_with_a_warning() {
        let names: Vec<String> = ["Privilege Name*", "mail"].map(String::from).to_vec();
        let schema = schema();
        let (binding, findings) = bind(&names, Some(&schema));
        assert_eq!(binding.field_column, [Some(0), Some(1)]);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.rule == Rule::NonCanonicalHeader));
    }

    #[test]
    fn header_problems() {
        assert_eq!(
            rules(&["Privilege Name", "", "Emial", "email", "Resource"]),
            [
                (Rule::BlankHeader, Some(1)),
                (Rule::UnknownColumn, Some(2)),
                (Rule::NonCanonicalHeader, Some(3)),
                (Rule::MissingColumn, None),
            ]
        );
        assert_eq!(
            rules(&["Email", "Privilege Name", "EMAIL"]),
            [(Rule::DuplicateHeader, Some(2)),]
        );
        assert_eq!(rules(&["Email"]), [(Rule::MissingColumn, None)]);
    }
}
