//! Inputs the cargo-fuzz targets (`fuzz/`) found, kept in `fixtures/hostile/fuzz/`, run
//! on stable with the same assertions as the targets.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;

use csvgate_engine::{check, fix, Finding, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/hostile/fuzz")
        .join(name);
    fs::read(path).unwrap()
}

fn builtin(name: &str) -> Schema {
    csvgate_schema::builtin::load(name).unwrap().unwrap()
}

fn run(data: &[u8], choice: SchemaChoice<'_>, parallel: bool) -> Vec<Finding> {
    let options = Options {
        parallel,
        batch_records: 3,
        max_record_bytes: 4096,
        ..Options::default()
    };
    check(Input::new("fuzz.csv", data), choice, &options)
        .unwrap()
        .findings
}

/// The `check` target's assertions, against every built-in schema and none.
fn check_target(data: &[u8]) {
    let schemas: Vec<Schema> = csvgate_schema::builtin::names().map(builtin).collect();
    let choices = std::iter::once(SchemaChoice::None).chain(schemas.iter().map(SchemaChoice::Use));
    for choice in choices {
        let inline = run(data, choice, false);
        let threaded = run(data, choice, true);
        assert_eq!(inline, threaded, "inline and threaded findings differ");
    }
}

/// The `fix` target's assertion: fixing the output again changes nothing.
fn fix_target(data: &[u8]) {
    let schema = builtin("entitlements-upload");
    let mut once = Vec::new();
    fix(data, Some(&schema), &mut once).unwrap();
    let mut twice = Vec::new();
    let report = fix(once.as_slice(), Some(&schema), &mut twice).unwrap();
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(once, twice);
}

#[test]
fn check_inline_vs_threaded() {
    check_target(&fixture("check-inline-vs-threaded.csv"));
}

#[test]
fn fix_double_bom() {
    fix_target(&fixture("fix-double-bom.csv"));
}

/// The smallest form of `check-inline-vs-threaded.csv`: the line of an unclosed quote
/// is checked again with the quote as a plain character; a finding on a field after
/// the quote was placed by re-scanning the line with the quote as a quote on the
/// stage's thread (so at the line's end), but correctly inline.
#[test]
fn unclosed_quote_line_placed_alike_inline_and_threaded() {
    let data = b"a,b,c\n1,\"x, y\n";
    let inline = run(data, SchemaChoice::None, false);
    let threaded = run(data, SchemaChoice::None, true);
    assert_eq!(inline, threaded);
    let space = inline
        .iter()
        .find(|f| f.rule == csvgate_diagnostics::Rule::SurroundingWhitespace)
        .unwrap();
    assert_eq!(space.location.column, Some(6));
}

/// The smallest form of `fix-double-bom.csv`: two byte order marks are both dropped,
/// so fixing is idempotent.
#[test]
fn double_bom_fixed_at_once() {
    fix_target(b"\xEF\xBB\xBF\xEF\xBB\xBFName,City\nAna,Lisbon\n");
    let findings = run(
        b"\xEF\xBB\xBF\xEF\xBB\xBFName,City\nAna,Lisbon\n",
        SchemaChoice::None,
        false,
    );
    let rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [csvgate_diagnostics::Rule::Utf8Bom]);
}

#[test]
fn fix_vertical_tab_row() {
    fix_target(&fixture("fix-vertical-tab-row.csv"));
}

/// The smallest form of `fix-vertical-tab-row.csv`: a record whose only value is a
/// vertical tab (whitespace to `str::trim`, not to `trim_ascii`) was trimmed into a
/// blank line, which the next fix dropped; it is dropped at once.
#[test]
fn whitespace_only_record_dropped_at_once() {
    fix_target(b"Name\n\x0b\nAna\n");
    fix_target("Name,City\n\u{a0},\x0b\nAna,Lisbon\n".as_bytes());
}
