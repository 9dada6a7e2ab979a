//! Each built-in format's fixtures (`fixtures/formats/<schema>/*.csv`) checked against
//! that schema: `clean*.csv` must give no finding; every file's findings are pinned
//! in a snapshot, so that a change in what the seed samples report is reviewed.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use csvgate_engine::{check, Input, Options, SchemaChoice};

#[test]
fn format_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/formats");
    let mut folders: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    for folder in folders {
        let schema_name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let schema = csvgate_schema::builtin::load(&schema_name)
            .unwrap_or_else(|| panic!("no built-in schema {schema_name}"))
            .unwrap();
        let mut files: Vec<_> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut snapshot = String::new();
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|x| x == "csv"))
        {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = fs::read(file).unwrap();
            let report = check(
                Input::new(name.clone(), &bytes[..]),
                SchemaChoice::Use(&schema),
                &Options {
                    snippets: false,
                    ..Options::default()
                },
            )
            .unwrap();
            writeln!(snapshot, "== {name} ({} records)", report.records).unwrap();
            for finding in &report.findings {
                writeln!(snapshot, "{}", common::render(finding)).unwrap();
            }
            if name.starts_with("clean") {
                assert!(
                    report.findings.is_empty(),
                    "{schema_name}/{name}:\n{snapshot}"
                );
            }
        }
        insta::assert_snapshot!(schema_name, snapshot);
    }
}
