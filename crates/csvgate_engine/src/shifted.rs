//! `shifted-columns`: values that sit one column away from their names.
//!
//! A header that lacks a name (or has one too many) still gives records of the right
//! width when the header ends in a blank cell (or the rows in an empty one), so no
//! structural check notices; only the values do. This looks at the first rows' values
//! against the schema's types:
//!
//! - a name missing before header field `p`: the values under `p` fit the type of a
//!   schema column the header lacks (and not their own column's), and the header's last
//!   cell is blank while the rows hold values there;
//! - a name too many at header field `p`: the header's last named column is empty in
//!   every row, and from `p` on, values fit the type of the name to their right rather
//!   than their own.
//!
//! Only typed columns (a type other than text, allowed values, or a pattern) give
//! evidence; text fits anything.

use csvgate_schema::{ColumnId, ColumnSpec, Schema, ValueType};

use crate::header::Binding;
use crate::values;

/// How many data records are looked at.
pub(crate) const SAMPLE_ROWS: usize = 50;

/// Share of a field's non-empty sampled values that must fit a type to count as
/// evidence, in percent.
const FITS: usize = 90;

/// What the sample shows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Shift {
    /// The header field where the shift starts.
    pub field: usize,
    /// A name is missing before `field` (else one too many at `field`).
    pub missing: bool,
    /// For a missing name: the schema column the values under `field` look like.
    pub looks_like: Option<ColumnId>,
    /// Evidence, for the message.
    pub evidence: Vec<String>,
}

/// Whether a column's values can be told from others by their form.
/// A list is left out: a single word is a list of one.
fn typed(column: &ColumnSpec) -> bool {
    !matches!(column.value_type, ValueType::Text | ValueType::List)
        || column.enum_values.is_some()
        || column.pattern.is_some()
}

/// How many of the non-empty values fit `column`, and how many there are.
fn fit(column: &ColumnSpec, values: impl Iterator<Item = String>) -> (usize, usize) {
    let mut fitting = 0;
    let mut total = 0;
    for value in values.filter(|v| !v.is_empty()) {
        total += 1;
        fitting += usize::from(values::check(column, &value).is_ok());
    }
    (fitting, total)
}

/// Fewest non-empty values that count as evidence: one or two values fitting another
/// type prove nothing.
const MIN_VALUES: usize = 3;

fn mostly((fitting, total): (usize, usize)) -> bool {
    total >= MIN_VALUES && fitting * 100 >= total * FITS
}

/// Looks for a shift in the sampled rows (trimmed values, each row as wide as the
/// header).
pub(crate) fn detect(
    schema: &Schema,
    binding: &Binding,
    names: &[String],
    rows: &[Vec<String>],
) -> Option<Shift> {
    let width = names.len();
    if rows.is_empty() || width < 2 {
        return None;
    }
    let column_values = |field: usize| rows.iter().map(move |row| row[field].clone());
    let filled = |field: usize| rows.iter().filter(|row| !row[field].is_empty()).count();
    let last = width - 1;

    // A name missing: the header ends in a blank cell that the rows fill.
    if names[last].trim().is_empty() && filled(last) > 0 {
        for (field, name) in names.iter().enumerate().take(last) {
            let own = binding.field_column[field].map(|id| &schema.columns[id]);
            if own.is_some_and(|c| typed(c) && mostly(fit(c, column_values(field)))) {
                continue;
            }
            let absent = schema.columns.iter().enumerate().find(|(id, c)| {
                binding.column_field[*id].is_none()
                    && typed(c)
                    && mostly(fit(c, column_values(field)))
            });
            if let Some((id, column)) = absent {
                let under = name.trim();
                let (fitting, total) = fit(column, column_values(field));
                return Some(Shift {
                    field,
                    missing: true,
                    looks_like: Some(id),
                    evidence: vec![
                        format!(
                            "the values under `{under}` look like `{}` in {fitting} of {total} sampled rows",
                            column.name
                        ),
                        format!(
                            "the header's last cell is blank, but {} of {} sampled rows have a value there",
                            filled(last),
                            rows.len()
                        ),
                    ],
                });
            }
        }
    }

    // A name too many: the last named column is empty in every sampled row, and
    // values fit the name to their right.
    if !names[last].trim().is_empty() && filled(last) == 0 {
        for field in 0..last {
            let right = binding.field_column[field + 1].map(|id| &schema.columns[id]);
            let Some(right) = right.filter(|c| typed(c)) else {
                continue;
            };
            let own = binding.field_column[field].map(|id| &schema.columns[id]);
            let shifted = fit(right, column_values(field));
            let straight = own
                .filter(|c| typed(c))
                .map(|c| fit(c, column_values(field)));
            if mostly(shifted) && !straight.is_some_and(mostly) {
                return Some(Shift {
                    field,
                    missing: false,
                    looks_like: None,
                    evidence: vec![
                        format!(
                            "the values under `{}` look like `{}` (the next name) in {} of {} sampled rows",
                            names[field].trim(),
                            right.name,
                            shifted.0,
                            shifted.1
                        ),
                        format!(
                            "the last column, `{}`, is empty in all {} sampled rows",
                            names[last].trim(),
                            rows.len()
                        ),
                    ],
                });
            }
        }
    }
    None
}
