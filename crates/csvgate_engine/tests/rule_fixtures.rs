//! Every rule against its fixtures (`fixtures/rules/<rule>/`): each `invalid_*.csv`
//! must trigger the rule, each `valid_*.csv` must give no finding at all, and the
//! findings of every file are pinned in a snapshot per rule.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use csvgate_diagnostics::Rule;
use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

/// Rules whose fixtures are not single files checked against a schema, with where
/// they are tested instead (or the issue that brings them).
const WITHOUT_FIXTURES: &[(Rule, &str)] = &[
    (
        Rule::DanglingReference,
        "fixtures/bundles/entity-rbac, tests/cli.rs",
    ),
    (
        Rule::MissingMember,
        "fixtures/bundles/entity-rbac, tests/cli.rs",
    ),
    (
        Rule::UnexpectedMember,
        "fixtures/bundles/entity-rbac, tests/cli.rs",
    ),
    (
        Rule::OversizedRecord,
        "crates/csvgate_engine/tests/limits.rs (it needs a record past the limit)",
    ),
    (
        Rule::NoSchema,
        "fixtures/detection, tests/cli.rs (it needs detection)",
    ),
];

/// Invalid fixtures that also trigger another rule, on purpose (see fixtures/rules/README.md).
const ALSO_EXPECTED: &[(&str, Rule)] = &[
    // A shift shows in the header and in the values too.
    (
        "shifted-columns/invalid_missing_name.csv",
        Rule::BlankHeader,
    ),
    (
        "shifted-columns/invalid_missing_name.csv",
        Rule::InvalidBoolean,
    ),
    ("shifted-columns/invalid_extra_name.csv", Rule::InvalidEmail),
    (
        "utf8-bom/invalid_bom_then_unknown_column.csv",
        Rule::UnknownColumn,
    ),
    (
        "missing-value/invalid_whitespace_only.csv",
        Rule::SurroundingWhitespace,
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules")
}

fn check_folder(rule: Rule) -> String {
    let folder = fixtures().join(rule.name());
    let schema_path = folder.join("schema.toml");
    let text = fs::read_to_string(&schema_path).unwrap();
    let schema =
        Schema::parse("schema.toml", &text).unwrap_or_else(|e| panic!("{}: {e}", rule.name()));
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    assert!(
        files.iter().any(|f| name(f).starts_with("invalid_")),
        "{}: no invalid fixture",
        rule.name()
    );
    assert!(
        files.iter().any(|f| name(f).starts_with("valid_")),
        "{}: no valid fixture",
        rule.name()
    );
    let mut snapshot = String::new();
    for file in &files {
        let file_name = name(file);
        let bytes = fs::read(file).unwrap();
        let report = check(
            Input::new(file_name.clone(), &bytes[..]),
            SchemaChoice::Use(&schema),
            &Options {
                snippets: false,
                ..Options::default()
            },
        )
        .unwrap();
        writeln!(snapshot, "== {file_name} ({} records)", report.records).unwrap();
        for finding in &report.findings {
            writeln!(snapshot, "{}", common::render(finding)).unwrap();
        }
        let key = format!("{}/{file_name}", rule.name());
        if file_name.starts_with("valid_") {
            assert!(
                report.findings.is_empty(),
                "{key}: expected no finding, got:\n{snapshot}"
            );
        } else {
            assert!(
                report.findings.iter().any(|f| f.rule == rule),
                "{key}: expected `{}`, got:\n{snapshot}",
                rule.name()
            );
            for finding in &report.findings {
                let allowed =
                    finding.rule == rule || ALSO_EXPECTED.contains(&(key.as_str(), finding.rule));
                assert!(
                    allowed,
                    "{key}: unexpected `{}`:\n{snapshot}",
                    finding.rule.name()
                );
            }
        }
    }
    snapshot
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_rule_fails_and_passes_its_fixtures() {
    for &rule in Rule::ALL {
        if WITHOUT_FIXTURES.iter().any(|(r, _)| *r == rule) {
            assert!(
                !fixtures().join(rule.name()).exists(),
                "{} now has fixtures: remove it from WITHOUT_FIXTURES",
                rule.name()
            );
            continue;
        }
        let snapshot = check_folder(rule);
        insta::assert_snapshot!(rule.name(), snapshot);
    }
}

#[test]
fn every_rule_is_explained_with_an_example_and_a_fix() {
    for &rule in Rule::ALL {
        let text = csvgate_engine::explain(rule);
        assert!(
            text.starts_with(&format!("# {}", rule.name())),
            "{}",
            rule.name()
        );
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(text.contains(section), "{} lacks {section}", rule.name());
        }
    }
}
