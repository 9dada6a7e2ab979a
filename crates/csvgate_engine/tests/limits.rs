//! Inputs that would make a naive reader hold the whole file: a quote left open early
//! in a large file, and a "line" of megabytes. Each gets one finding at the right
//! place, memory stays bounded, and the records after it are still checked.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

use csvgate_diagnostics::{Finding, Rule};
use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

/// Duplicate rows are off, so that what memory grows by is the reading alone (their
/// state grows with the rows, by design).
fn schema() -> Schema {
    Schema::parse(
        "t.toml",
        "name = \"t\"\n[rules]\nduplicate-row = \"off\"\n[[column]]\nname = \"Name\"\n[[column]]\nname = \"Email\"\ntype = \"email\"\n",
    )
    .unwrap()
}

fn findings(input: &[u8], options: &Options) -> Vec<Finding> {
    let schema = schema();
    check(
        Input::new("big.csv", input),
        SchemaChoice::Use(&schema),
        options,
    )
    .unwrap()
    .findings
}

/// The process's peak resident memory, in KiB (Linux).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn rows(count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..count {
        out.extend_from_slice(format!("name {i},user{i}@example.com\n").as_bytes());
    }
    out
}

#[test]
fn an_early_unclosed_quote_in_a_large_file_is_found_with_bounded_memory() {
    // 2 rows, a quote opened and never closed, then ~24 MB of good rows and a bad one.
    let mut input = b"Name,Email\nAna,ana@example.com\n\"Bo,bo@example.com\n".to_vec();
    input.extend(rows(800_000));
    input.extend_from_slice(b"Cy,not-an-email\n");
    let before = peak_kib();
    let found = findings(&input, &Options::default());
    let grown_mib = peak_kib().saturating_sub(before) / 1024;
    let rules: Vec<(Rule, Option<u64>)> = found.iter().map(|f| (f.rule, f.location.line)).collect();
    assert_eq!(
        rules,
        [
            (Rule::UnclosedQuote, Some(3)),
            (Rule::InvalidEmail, Some(800_004))
        ],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("not closed within 8 MiB"),
        "{}",
        found[0].message
    );
    // The input itself is ~24 MB; the check holds one record of at most 8 MiB more.
    assert!(grown_mib < 48, "peak memory grew by {grown_mib} MiB");
}

#[test]
fn a_line_of_megabytes_is_cut_and_the_rows_after_it_are_checked() {
    let options = Options {
        max_record_bytes: 1 << 16,
        ..Options::default()
    };
    let mut input = b"Name,Email\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 200_000));
    input.extend_from_slice(b"\nAna,ana@example.com\nBo,not-an-email\n");
    let found = findings(&input, &options);
    let rules: Vec<(Rule, Option<u64>)> = found.iter().map(|f| (f.rule, f.location.line)).collect();
    assert_eq!(
        rules,
        [
            (Rule::OversizedRecord, Some(2)),
            (Rule::InvalidEmail, Some(4))
        ],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("65536 bytes"),
        "{}",
        found[0].message
    );
}
