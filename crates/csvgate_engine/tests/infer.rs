//! `infer` on each built-in format's fixtures: the schema drafted from `clean.csv` parses,
//! passes `clean.csv` (no finding at error level), and catches some of the defects
//! planted in `defects.csv`. The snapshot lists, per format, the rules found on
//! `defects.csv` that come from the drafted schema (not found without a schema), and
//! the drafted rules themselves.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use csvgate_diagnostics::Severity;
use csvgate_engine::infer::{infer, InferOptions};
use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

fn rules(bytes: &[u8], choice: SchemaChoice<'_>) -> (BTreeSet<&'static str>, Vec<String>) {
    let report = check(
        Input::new("sample.csv", bytes),
        choice,
        &Options {
            snippets: false,
            ..Options::default()
        },
    )
    .unwrap();
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.rule.name(), f.message))
        .collect();
    (
        report.findings.iter().map(|f| f.rule.name()).collect(),
        errors,
    )
}

#[test]
fn inferred_schemas_pass_their_sample_and_catch_defects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/formats");
    let mut folders: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    let mut snapshot = String::new();
    for folder in folders {
        let format = folder.file_name().unwrap().to_string_lossy().into_owned();
        let clean = fs::read(folder.join("clean.csv")).unwrap();
        let draft = infer(
            &clean[..],
            &InferOptions {
                name: format.clone(),
                ..InferOptions::default()
            },
        )
        .unwrap();
        let toml = draft.to_toml();
        let schema = Schema::parse(&format!("{format}.toml"), &toml)
            .unwrap_or_else(|e| panic!("{format}: the draft does not parse: {e}\n{toml}"));

        let (_, errors) = rules(&clean, SchemaChoice::Use(&schema));
        assert!(
            errors.is_empty(),
            "{format}: clean.csv fails its own draft:\n{}\n{toml}",
            errors.join("\n")
        );

        let defects = fs::read(folder.join("defects.csv")).unwrap();
        let (with_draft, _) = rules(&defects, SchemaChoice::Use(&schema));
        let (without, _) = rules(&defects, SchemaChoice::None);
        let caught: Vec<&str> = with_draft.difference(&without).copied().collect();
        assert!(
            !caught.is_empty(),
            "{format}: the draft catches nothing in defects.csv\n{toml}"
        );

        writeln!(snapshot, "== {format} ({} rows)", draft.rows).unwrap();
        writeln!(snapshot, "caught on defects.csv: {}", caught.join(", ")).unwrap();
        for column in &draft.columns {
            let mut said = vec![column.value_type.name().to_owned()];
            if column.value_required {
                said.push("value-required".to_owned());
            }
            if let Some(values) = &column.enum_values {
                said.push(format!("enum {values:?}"));
            }
            if column.unique {
                said.push("unique".to_owned());
            }
            writeln!(snapshot, "  {}: {}", column.name, said.join(", ")).unwrap();
        }
        for key in &draft.keys {
            writeln!(snapshot, "  {} determines {:?}", key.key, key.determines).unwrap();
        }
    }
    insta::assert_snapshot!("infer_formats", snapshot);
}
