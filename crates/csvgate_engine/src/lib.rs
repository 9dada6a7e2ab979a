//! csvgate's rule engine: streams a CSV input, binds its header to a schema, and checks
//! every record, producing [`Finding`]s with exact positions.
//!
//! The engine knows nothing of terminals, arguments or output formats: it reads bytes
//! and returns findings, sorted in report order. Renderers (`csvgate_render`) turn them
//! into text.
//!
//! ```
//! use csvgate_engine::{check, Input, Options, SchemaChoice};
//! use csvgate_diagnostics::Rule;
//!
//! let csv = "name,age\nAyden,12\n\"Mira\"x,13\n";
//! let report = check(Input::new("people.csv", csv.as_bytes()), SchemaChoice::None, &Options::default())?;
//! assert_eq!(report.records, 2);
//! assert_eq!(report.findings[0].rule, Rule::StrayQuote);
//! assert_eq!(report.findings[0].location.line, Some(3));
//! # Ok::<(), std::io::Error>(())
//! ```
#![warn(missing_docs)]

mod check;
mod cross_row;
mod detect;
mod fields;
mod file;
mod fix;
mod header;
mod held;
pub mod infer;
mod key_table;
mod place;
mod plain;
mod position;
mod reader;
mod references;
mod row_rules;
pub mod rules;
mod shifted;
mod stage;
mod values;

pub use check::{
    check, Detection, FileReport, Input, Options, SchemaChoice, Stream, BATCH_RECORDS,
    PARALLEL_MIN_BYTES, RUN_RECORDS,
};
pub use fix::{fix, Change, FixReport};
pub use held::HeldBack;
pub use references::{member_findings, BundleRun};
pub use rules::explain;

#[doc(no_inline)]
pub use csvgate_diagnostics::Finding;

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A small deterministic generator (xorshift) of numbers below `n`, seeded with
    /// `seed`, so that a failing generated case reproduces.
    pub(crate) fn picker(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        }
    }

    /// The field ends (as csv-core gives them) of `fields` back to back.
    pub(crate) fn ends_of(fields: &[&str]) -> Vec<usize> {
        fields
            .iter()
            .scan(0, |end, field| {
                *end += field.len();
                Some(*end)
            })
            .collect()
    }

    /// The bounds of `fields` back to back.
    pub(crate) fn bounds_of(fields: &[&str]) -> Vec<crate::place::Bound> {
        let mut bounds = Vec::new();
        crate::place::bounds_of_ends(&ends_of(fields), &mut bounds);
        bounds
    }
}
