//! The whole check of arbitrary bytes, against every built-in schema and none, on one
//! thread and on two, kept or streamed: never panics, the findings are the same every
//! way, and every finding points inside the input.
#![no_main]

mod common;

use common::schemas;
use std::sync::{Arc, Mutex};

use csvgate_engine::{check, Finding, Input, Options, SchemaChoice, Stream};
use libfuzzer_sys::fuzz_target;

/// Physical lines, counted as the engine does: LF, CRLF and a lone CR each end one.
fn line_count(data: &[u8]) -> u64 {
    let mut breaks = 0;
    for (i, &byte) in data.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && data.get(i + 1) != Some(&b'\n')) {
            breaks += 1;
        }
    }
    breaks + 1
}

fn run(data: &[u8], choice: SchemaChoice<'_>, parallel: bool, stream: bool) -> Vec<Finding> {
    let streamed = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&streamed);
    let options = Options {
        parallel,
        batch_records: 3,
        max_record_bytes: 4096,
        stream: stream.then(|| {
            Stream::new(move |findings| sink.lock().expect("not poisoned").extend(findings))
        }),
        ..Options::default()
    };
    let kept = check(Input::new("fuzz.csv", data), choice, &options)
        .expect("reading a slice never fails")
        .findings;
    let streamed = std::mem::take(&mut *streamed.lock().expect("not poisoned"));
    if stream {
        assert!(kept.is_empty(), "a streaming check keeps no findings");
        streamed
    } else {
        kept
    }
}

fn assert_placed(data: &[u8], findings: &[Finding]) {
    let lines = line_count(data);
    for finding in findings {
        let at = &finding.location;
        if let Some(line) = at.line {
            assert!(
                (1..=lines + 1).contains(&line),
                "line {line} of {lines}: {finding:?}"
            );
        }
        if let Some(offset) = at.byte_offset {
            assert!(offset <= data.len() as u64, "offset {offset}: {finding:?}");
        }
        if let Some(column) = at.column {
            assert!(column >= 1, "column {column}: {finding:?}");
        }
    }
}

fn check_both(data: &[u8], choice: SchemaChoice<'_>) {
    let inline = run(data, choice, false, false);
    let threaded = run(data, choice, true, false);
    assert_eq!(inline, threaded, "inline and threaded findings differ");
    assert_eq!(inline, run(data, choice, false, true), "streamed inline differ");
    assert_eq!(inline, run(data, choice, true, true), "streamed threaded differ");
    assert_placed(data, &inline);
}

fuzz_target!(|data: &[u8]| {
    check_both(data, SchemaChoice::None);
    for schema in schemas() {
        check_both(data, SchemaChoice::Use(schema));
    }
});
