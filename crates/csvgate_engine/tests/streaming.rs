//! Findings handed over as they are confirmed ([`Options::stream`]) are the findings
//! a plain check reports, in the same order: on every rule fixture (byte order marks,
//! shifted columns, mixed line endings, empty files, unclosed quotes), and on a large
//! generated file with findings everywhere, inline and threaded, with batches small
//! enough to hand findings over after nearly every record.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../benches/generate/mod.rs"]
mod generate;

use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use csvgate_diagnostics::Finding;
use csvgate_engine::{check, Input, Options, SchemaChoice, Stream};
use csvgate_schema::Schema;

/// The findings of a plain check, and the runs a streaming one handed over.
fn both(bytes: &[u8], schema: &Schema, options: &Options) -> (Vec<Finding>, Vec<Vec<Finding>>) {
    let plain = check(
        Input::new("t.csv", bytes),
        SchemaChoice::Use(schema),
        options,
    )
    .unwrap()
    .findings;
    let runs = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&runs);
    let streaming = Options {
        stream: Some(Stream::new(move |findings| {
            sink.lock().unwrap().push(findings)
        })),
        ..options.clone()
    };
    let report = check(
        Input::new("t.csv", bytes),
        SchemaChoice::Use(schema),
        &streaming,
    )
    .unwrap();
    assert!(report.findings.is_empty(), "a streaming check keeps none");
    let runs = std::mem::take(&mut *runs.lock().unwrap());
    (plain, runs)
}

fn settings() -> Vec<Options> {
    [(false, 1), (true, 1), (true, 3), (true, 4096)]
        .into_iter()
        .map(|(parallel, batch_records)| Options {
            parallel,
            batch_records,
            ..Options::default()
        })
        .collect()
}

#[test]
fn every_rule_fixture_streams_its_findings_in_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let mut files = 0;
    for dir in fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let Ok(text) = fs::read_to_string(dir.join("schema.toml")) else {
            continue;
        };
        let schema = Schema::parse("schema.toml", &text).unwrap();
        for file in fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let bytes = fs::read(&file).unwrap();
            for options in settings() {
                let (plain, runs) = both(&bytes, &schema, &options);
                let streamed: Vec<Finding> = runs.into_iter().flatten().collect();
                assert!(
                    streamed == plain,
                    "{} ({options:?}):\nstreamed {streamed:#?}\nplain {plain:#?}",
                    file.display()
                );
            }
            files += 1;
        }
    }
    assert!(files > 100, "only {files} fixture files");
}

#[test]
fn a_large_file_streams_in_many_runs_the_same_findings_in_order() {
    let (bytes, _) = generate::to_vec(&generate::Config::bytes(1_200_000).defect_rate(0.5));
    let schema = csvgate_schema::builtin::load("entitlements-upload")
        .unwrap()
        .unwrap();
    for options in settings() {
        let (plain, runs) = both(&bytes, &schema, &options);
        assert!(plain.len() > 1000, "{} findings", plain.len());
        // With small batches findings are handed over all along (with large ones the
        // reading may end before the stage thread reports: then they come at the end).
        if options.batch_records < 100 {
            assert!(runs.len() > 10, "{} runs ({options:?})", runs.len());
        }
        let streamed: Vec<Finding> = runs.into_iter().flatten().collect();
        assert_eq!(streamed.len(), plain.len(), "{options:?}");
        assert!(streamed == plain, "{options:?}");
    }
}

#[test]
fn a_mixed_line_ending_holds_the_stream_until_the_others_are_counted() {
    let schema = Schema::parse(
        "t.toml",
        "name = \"t\"\n[[column]]\nname = \"A\"\n[[column]]\nname = \"B\"\nvalue-required = true\n",
    )
    .unwrap();
    let mut bytes = b"A,B\r\nx,1\r\n".to_vec();
    // More rows than the 50 that decide `shifted-columns` (which holds the stream too).
    for i in 0..120 {
        bytes.extend_from_slice(format!("y{i},\n").as_bytes());
    }
    for options in settings() {
        let (plain, runs) = both(&bytes, &schema, &options);
        assert!(
            plain[0]
                .message
                .ends_with("(119 more records end the same way)"),
            "{}",
            plain[0].message
        );
        let streamed: Vec<Finding> = runs.into_iter().flatten().collect();
        assert!(streamed == plain, "{options:?}");
    }
}
