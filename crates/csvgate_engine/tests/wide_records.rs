//! Records as wide as a hostile file can make them: a million fields, a header of a
//! hundred thousand names. Each is checked in time linear in its size, with its
//! findings at the right place. (Apart from `limits.rs`, whose memory bounds need a
//! process of their own.)

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

use csvgate_diagnostics::{Finding, Rule};
use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

fn findings(input: &[u8], options: &Options) -> Vec<Finding> {
    let schema = Schema::parse(
        "t.toml",
        "name = \"t\"\n[[column]]\nname = \"Name\"\n[[column]]\nname = \"Email\"\ntype = \"email\"\n",
    )
    .unwrap();
    check(
        Input::new("wide.csv", input),
        SchemaChoice::Use(&schema),
        options,
    )
    .unwrap()
    .findings
}

#[test]
fn a_record_of_a_million_fields_is_one_finding_quickly() {
    let mut input = b"Name,Email\n".to_vec();
    input.extend(std::iter::repeat_n(&b"x,"[..], 1_000_000).flatten());
    input.extend_from_slice(b"x\nAna,not-an-email\n");
    let started = std::time::Instant::now();
    let found = findings(&input, &Options::default());
    let took = started.elapsed();
    let rules: Vec<(Rule, Option<u64>, Option<u64>)> = found
        .iter()
        .map(|f| (f.rule, f.location.line, f.location.column))
        .collect();
    // At the first field past the header's two.
    assert_eq!(
        rules,
        [
            (Rule::RaggedRow, Some(2), Some(5)),
            (Rule::InvalidEmail, Some(3), Some(5))
        ]
    );
    assert!(took.as_secs() < 10, "took {took:?}");
}

#[test]
fn a_header_of_a_hundred_thousand_names_is_checked_in_linear_time() {
    // Every name unknown, one repeated at the end: each is a finding placed along one
    // 700 KB line, which must not cost a scan from the line's start each.
    let names: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let mut input = format!("Name,Email,{},c7\n", names.join(",")).into_bytes();
    input.extend_from_slice(b"\n");
    let started = std::time::Instant::now();
    let found = findings(&input, &Options::default());
    let took = started.elapsed();
    let unknown = found
        .iter()
        .filter(|f| f.rule == Rule::UnknownColumn)
        .count();
    assert_eq!(unknown, 100_000);
    let last = found
        .iter()
        .find(|f| f.rule == Rule::DuplicateHeader)
        .expect("the repeated name");
    let column = input.iter().rposition(|&b| b == b',').unwrap() as u64 + 2;
    assert_eq!(
        (last.location.line, last.location.column),
        (Some(1), Some(column))
    );
    assert!(took.as_secs() < 20, "took {took:?}");
}
