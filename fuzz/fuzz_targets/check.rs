//! The whole check of arbitrary bytes, against every built-in schema and none, on one
//! thread and on two: never panics, the findings are the same either way, and every
//! finding points inside the input.
#![no_main]

mod common;

use common::schemas;
use csvgate_engine::{check, Finding, Input, Options, SchemaChoice};
use libfuzzer_sys::fuzz_target;

/// Physical lines, counted as the engine does: LF, CRLF and a lone CR each end one.
fn line_count(data: &[u8]) -> u64 {
    let mut breaks = 0;
    for (i, &byte) in data.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            breaks += 1;
        }
    }
    breaks + 1
}

fn run(data: &[u8], choice: SchemaChoice<'_>, parallel: bool) -> Vec<Finding> {
    let options = Options {
        parallel,
        batch_records: 3,
        max_record_bytes: 4096,
        ..Options::default()
    };
    check(Input::new("fuzz.csv", data), choice, &options)
        .expect("reading a slice never fails")
        .findings
}

fn assert_placed(data: &[u8], findings: &[Finding]) {
    let lines = line_count(data);
    for finding in findings {
        let at = &finding.location;
        if let Some(line) = at.line {
            assert!(
                (1..=lines + 1).contains(&line),
                "line {line} of {lines}: {finding:?}"
            );
        }
        if let Some(offset) = at.byte_offset {
            assert!(offset <= data.len() as u64, "offset {offset}: {finding:?}");
        }
        if let Some(column) = at.column {
            assert!(column >= 1, "column {column}: {finding:?}");
        }
    }
}

fn check_both(data: &[u8], choice: SchemaChoice<'_>) {
    let inline = run(data, choice, false);
    let threaded = run(data, choice, true);
    assert_eq!(inline, threaded, "inline and threaded findings differ");
    assert_placed(data, &inline);
}

fuzz_target!(|data: &[u8]| {
    check_both(data, SchemaChoice::None);
    for schema in schemas() {
        check_both(data, SchemaChoice::Use(schema));
    }
});
