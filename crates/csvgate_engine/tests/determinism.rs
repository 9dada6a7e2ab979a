//! The findings do not depend on how the work is split: the cross-row checks inline
//! (with runs of records read together of any length), or on their own thread fed with
//! batches of any size (a batch of one record puts a boundary after every record, so
//! every defect sits at one), give the same findings in the same order.

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
    input_of(300_000, 0.3)
}

/// [`input`], of about `bytes` bytes with `defect_rate` of its rows defective.
fn input_of(bytes: u64, defect_rate: f64) -> Vec<u8> {
    let (mut bytes, _) = generate::to_vec(&generate::Config::bytes(bytes).defect_rate(defect_rate));
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
        // Runs of plain records checked where they lie, of any length: a run of one
        // puts a boundary after every record.
        for run_records in [1, 2, 3, 7, 4096] {
            let options = Options {
                run_records,
                ..Options::default()
            };
            let runs = findings(&bytes, choice, &options);
            assert!(runs == inline, "runs of {run_records}: the findings differ");
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

/// With findings capped per group, what is kept is exactly the first of each group of
/// the uncapped findings (in report order), and what is held back is counted exactly:
/// inline and threaded, and with cuts made while reading (the input has thousands of
/// findings, more than are gathered between two cuts).
#[test]
fn findings_kept_per_group_are_the_first_of_the_full_report_and_the_rest_are_counted() {
    let bytes = input_of(1_200_000, 0.8);
    let schema = csvgate_schema::builtin::load("entitlements-upload")
        .unwrap()
        .unwrap();
    let full = findings(&bytes, SchemaChoice::Use(&schema), &Options::default());
    assert!(full.len() > 10_000, "{} findings", full.len());
    for keep in [1, 3, 18] {
        for parallel in [false, true] {
            let options = Options {
                keep_per_group: Some(keep),
                parallel,
                batch_records: 7,
                ..Options::default()
            };
            let report = check(
                Input::new("generated.csv", &bytes[..]),
                SchemaChoice::Use(&schema),
                &options,
            )
            .unwrap();
            // The first `keep` of each group of the full report, in its order.
            let mut seen = std::collections::HashMap::new();
            let expected: Vec<&Finding> = full
                .iter()
                .filter(|f| {
                    let n = seen
                        .entry((f.rule, f.location.field.clone(), f.severity))
                        .or_insert(0);
                    *n += 1;
                    *n <= keep
                })
                .collect();
            let kept: Vec<&Finding> = report.findings.iter().collect();
            assert!(kept == expected, "keep {keep}, parallel {parallel}");
            let held: u64 = report.held_back.iter().map(|h| h.count).sum();
            assert_eq!(
                held as usize + kept.len(),
                full.len(),
                "keep {keep}, parallel {parallel}"
            );
            for group in &report.held_back {
                let total = seen[&(group.rule, group.field.clone(), group.severity)];
                assert_eq!(group.count as usize, total - keep, "{group:?}");
            }
        }
    }
}
