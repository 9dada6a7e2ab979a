//! The findings do not depend on how the work is split: the cross-row checks inline,
//! or on their own thread fed with batches of any size (a batch of one record puts a
//! boundary after every record, so every defect sits at one), give the same findings
//! in the same order.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../benches/generate/mod.rs"]
mod generate;

use csvgate_diagnostics::{Finding, Rule};
use csvgate_engine::{check, Input, Options, SchemaChoice};

/// A file with defects everywhere: planted value defects (which also break identity
/// consistency), multi-line quoted fields, and every row repeated further down (duplicate
/// rows), in a schema-checked and an unchecked run.
fn input() -> Vec<u8> {
    let (mut bytes, _) = generate::to_vec(&generate::Config::bytes(300_000).defect_rate(0.3));
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let rows = bytes[header_end..].to_vec();
    bytes.extend_from_slice(&rows[..rows.len() / 3]);
    bytes
}

fn findings(bytes: &[u8], choice: SchemaChoice<'_>, options: &Options) -> Vec<Finding> {
    check(Input::new("generated.csv", bytes), choice, options)
        .unwrap()
        .findings
}

#[test]
fn the_same_findings_inline_and_threaded_with_any_batch_size() {
    let bytes = input();
    let schema = csvgate_schema::builtin::load("entitlements-upload")
        .unwrap()
        .unwrap();
    for choice in [SchemaChoice::Use(&schema), SchemaChoice::None] {
        let inline = findings(&bytes, choice, &Options::default());
        for rule in [Rule::DuplicateRow, Rule::InvalidEmail] {
            assert!(
                matches!(choice, SchemaChoice::None) && rule == Rule::InvalidEmail
                    || inline.iter().any(|f| f.rule == rule),
                "the input should have {}",
                rule.name()
            );
        }
        if matches!(choice, SchemaChoice::Use(_)) {
            assert!(inline.iter().any(|f| f.rule == Rule::InconsistentValues));
        }
        for batch_records in [1, 2, 3, 7, 64, 4096] {
            let options = Options {
                parallel: true,
                batch_records,
                ..Options::default()
            };
            let threaded = findings(&bytes, choice, &options);
            assert_eq!(threaded.len(), inline.len(), "batches of {batch_records}");
            assert!(
                threaded == inline,
                "batches of {batch_records}: the findings differ"
            );
        }
    }
}
