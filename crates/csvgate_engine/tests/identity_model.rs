//! Identity consistency against a model of it: every `inconsistent-values` finding, and
//! only those, that a plain reading of the rule gives (each key column's first values,
//! filled in as they come, every later row held to them), on files drawn from a few
//! identity values so that identities recur, conflict, and leave columns empty in every
//! order. The checker skips the checks of a row that repeats the row before or any
//! earlier row that passed them; this says those skips never lose or add a finding.

// A test harness: a failed check is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};

use csvgate_diagnostics::Rule;
use csvgate_engine::{check, Input, Options, SchemaChoice};

/// The identity columns, in the schema's order, with whether each compares without case.
const IDENTITY: [(&str, bool); 3] = [("Email", true), ("User ID", false), ("Username", false)];

/// A finding as the model sees it: line, column, and the line of the first values.
type Conflict = (u64, String, u64);

/// A key column's other columns' first values (folded, if they compare without case),
/// with their lines, for each key.
type FirstValues = HashMap<String, Vec<Option<(String, u64)>>>;

/// Rows of identity values drawn with `pick`: a few values per column (an email in two
/// cases), often the row before's values again, sometimes an empty column.
fn rows(pick: &mut impl FnMut(usize) -> usize, count: usize) -> Vec<[&'static str; 3]> {
    const EMAILS: [&str; 4] = ["a@x.io", "A@x.io", "b@x.io", ""];
    const USER_IDS: [&str; 3] = ["1", "2", ""];
    const USERNAMES: [&str; 3] = ["u", "v", ""];
    let mut rows: Vec<[&str; 3]> = Vec::new();
    for _ in 0..count {
        let row = match rows.last() {
            Some(&last) if pick(3) == 0 => last,
            _ => [EMAILS[pick(4)], USER_IDS[pick(3)], USERNAMES[pick(3)]],
        };
        rows.push(row);
    }
    rows
}

/// The conflicts the rule finds in `rows`, the first on line 2.
fn model(rows: &[[&str; 3]]) -> BTreeSet<Conflict> {
    let fold = |value: &str, ignore_case: bool| match ignore_case {
        true => value.to_lowercase(),
        false => value.to_owned(),
    };
    let mut first: Vec<FirstValues> = vec![HashMap::new(); 3];
    let mut conflicts = BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let line = index as u64 + 2;
        let mut reported = Vec::new();
        for (key, (_, key_ignores_case)) in IDENTITY.iter().enumerate() {
            if row[key].is_empty() {
                continue;
            }
            let targets: Vec<usize> = (0..3).filter(|&t| t != key).collect();
            let slots = first[key]
                .entry(fold(row[key], *key_ignores_case))
                .or_insert_with(|| vec![None; 2]);
            for (slot, &target) in slots.iter_mut().zip(&targets) {
                let (name, ignore_case) = IDENTITY[target];
                let value = row[target];
                if value.is_empty() {
                    continue;
                }
                match slot {
                    None => *slot = Some((fold(value, ignore_case), line)),
                    Some((first, _)) if *first == fold(value, ignore_case) => {}
                    Some((_, first_line)) => {
                        if !reported.contains(&target) {
                            reported.push(target);
                            conflicts.insert((line, name.to_owned(), *first_line));
                        }
                    }
                }
            }
        }
    }
    conflicts
}

/// The conflicts the checker finds in `rows`.
fn checked(rows: &[[&str; 3]], options: &Options) -> BTreeSet<Conflict> {
    let schema = csvgate_schema::builtin::load("entitlements-upload")
        .unwrap()
        .unwrap();
    let mut csv = String::from("Privilege Name,Privilege Value,Email,User ID,Username\n");
    for (index, row) in rows.iter().enumerate() {
        // A privilege of its own on each row, so that no two are duplicate rows.
        csv.push_str(&format!("p{index},true,{},{},{}\n", row[0], row[1], row[2]));
    }
    let report = check(
        Input::new("identities.csv", csv.as_bytes()),
        SchemaChoice::Use(&schema),
        options,
    )
    .unwrap();
    report
        .findings
        .iter()
        .filter(|finding| finding.rule == Rule::InconsistentValues)
        .map(|finding| {
            (
                finding.location.line.unwrap(),
                finding.location.field.clone().unwrap(),
                finding.related[0].line.unwrap(),
            )
        })
        .collect()
}

#[test]
fn identity_checks_find_what_the_model_finds() {
    let mut found = 0;
    for seed in 1..=300_u64 {
        let mut state = seed;
        let mut pick = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let count = 10 + pick(200);
        let rows = rows(&mut pick, count);
        let expected = model(&rows);
        found += expected.len();
        for options in [
            Options::default(),
            Options {
                run_records: 3,
                ..Options::default()
            },
            Options {
                parallel: true,
                batch_records: 5,
                ..Options::default()
            },
        ] {
            assert_eq!(checked(&rows, &options), expected, "seed {seed}");
        }
    }
    // The files do conflict, many times.
    assert!(found > 1000, "only {found} conflicts");
}
