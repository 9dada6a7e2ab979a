//! No input makes the engine panic, and every finding it places points inside the
//! input: thousands of small inputs made of the bytes that matter to CSV (delimiters,
//! quotes, line breaks, spaces, multi-byte and invalid UTF-8), checked against schemas
//! with every kind of rule.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&[u8]] = &[
    b",",
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"a",
    b"Ana",
    b"true",
    b"x@y.io",
    b"2024-02-29",
    b"\xEF\xBB\xBF",
    "é".as_bytes(),
    "日本".as_bytes(),
    b"\xFF",
    b"\xC3",
    b"Email",
    b"User ID",
    b"Username",
    b"Resource",
    b"Resource Type",
    b"1",
    b"",
];

fn schemas() -> Vec<Schema> {
    let mut schemas: Vec<Schema> = csvgate_schema::builtin::names()
        .map(|n| csvgate_schema::builtin::load(n).unwrap().unwrap())
        .collect();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    for rule in [
        "inconsistent-values",
        "duplicate-key",
        "value-order",
        "missing-dependency",
    ] {
        let text = fs::read_to_string(rules.join(rule).join("schema.toml")).unwrap();
        schemas.push(Schema::parse(rule, &text).unwrap());
    }
    schemas
}

#[test]
fn arbitrary_inputs_never_panic_and_findings_point_inside_the_input() {
    let schemas = schemas();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..6_000 {
        let mut input = Vec::new();
        // A header the schemas know half of the time, so that value rules run.
        if rng.below(2) == 0 {
            input.extend_from_slice(b"Email,User ID,Username,Resource,Resource Type\n");
        }
        for _ in 0..rng.below(40) {
            input.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
        let lines = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
        for choice in [
            SchemaChoice::None,
            SchemaChoice::Use(&schemas[case % schemas.len()]),
        ] {
            let report = check(
                Input::new("arbitrary.csv", &input[..]),
                choice,
                &Options {
                    snippets: true,
                    ..Options::default()
                },
            )
            .unwrap();
            for finding in &report.findings {
                let at = &finding.location;
                if let Some(line) = at.line {
                    assert!(
                        (1..=lines).contains(&line),
                        "case {case}: line {line} outside 1..={lines}: {finding:?}\n{input:?}"
                    );
                }
                if let Some(offset) = at.byte_offset {
                    assert!(
                        offset <= input.len() as u64,
                        "case {case}: offset {offset} past the end: {finding:?}\n{input:?}"
                    );
                }
                assert!(at.column.is_none_or(|c| c >= 1), "case {case}: {finding:?}");
            }
        }
    }
}
