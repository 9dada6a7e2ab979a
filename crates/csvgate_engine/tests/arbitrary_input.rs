//! No input makes the engine panic, and every finding it places points inside the
//! input: thousands of small inputs made of the bytes that matter to CSV (delimiters,
//! quotes, line breaks, spaces, multi-byte and invalid UTF-8), checked against schemas
//! with every kind of rule.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{schemas_with_every_kind_of_rule, CSV_PIECES, KNOWN_HEADER};
use csvgate_engine::{check, Input, Options, SchemaChoice};

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

#[test]
fn arbitrary_inputs_never_panic_and_findings_point_inside_the_input() {
    let schemas = schemas_with_every_kind_of_rule();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..6_000 {
        let mut input = Vec::new();
        // A header the schemas know half of the time, so that value rules run.
        if rng.below(2) == 0 {
            input.extend_from_slice(KNOWN_HEADER);
        }
        for _ in 0..rng.below(40) {
            input.extend_from_slice(CSV_PIECES[rng.below(CSV_PIECES.len())]);
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
