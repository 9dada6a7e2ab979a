//! One shared set of findings, rendered in every format and snapshotted, as ruff does
//! for its renderers: a change to any format shows up as a reviewed snapshot diff.

use std::sync::Arc;

use csvgate_diagnostics::{Finding, Location, Related, Rule, Severity, Snippet};

use crate::{renderer, Format, HumanOptions, Summary};

fn location(file: &str, line: Option<u64>, column: Option<u64>, record: Option<u64>) -> Location {
    Location {
        file: Arc::from(file),
        member: None,
        byte_offset: None,
        line,
        column,
        record,
        field: None,
    }
}

fn snippet(first_line: u64, text: &str, span: std::ops::Range<usize>) -> Option<Snippet> {
    Some(Snippet {
        first_line,
        text: text.to_owned(),
        span,
        truncated: false,
    })
}

/// Findings grouped by input, each group in report order.
///
/// The inputs they come from, for reference:
///
/// people.csv
/// ```text
/// 1 Email,Privilege Value,Name
/// 2 ann@example.org,true,Ann
/// 3 bob@example.org,"yes",Bob
/// 4 cat@example.org,false,Cat
/// 5 ann@example.org,false,Ann
/// 6
/// ```
/// empty.csv is empty; bundle.zip holds users.csv (`User ID,Emial,Role` ...); notes.csv
/// has a quoted note over lines 7 and 8 of record 3.
fn inputs() -> Vec<Vec<Finding>> {
    let people = vec![
        Finding {
            location: Location {
                field: Some("Role".into()),
                ..location("people.csv", Some(1), None, Some(0))
            },
            ..Finding::new(
                Rule::MissingColumn,
                "the required column \"Role\" is missing from the header",
            )
            .with_help("add a \"Role\" column; the header has Email, Privilege Value, Name")
        },
        Finding {
            location: Location {
                field: Some("Privilege Value".into()),
                ..location("people.csv", Some(3), Some(17), Some(2))
            },
            snippet: snippet(3, "bob@example.org,\"yes\",Bob", 16..21),
            ..Finding::new(
                Rule::InvalidBoolean,
                "Privilege Value \"yes\" is not a boolean",
            )
            .with_help("write true or false")
        },
        Finding {
            location: Location {
                field: Some("Privilege Value".into()),
                ..location("people.csv", Some(5), Some(17), Some(4))
            },
            related: vec![Related {
                file: Arc::from("people.csv"),
                member: None,
                line: Some(2),
                column: Some(17),
                message: "ann@example.org first seen here with Privilege Value \"true\"".into(),
            }],
            snippet: snippet(5, "ann@example.org,false,Ann", 16..21),
            ..Finding::new(
                Rule::InconsistentValues,
                "ann@example.org has Privilege Value \"false\" here but \"true\" on line 2",
            )
            .with_help("Email determines Privilege Value: give every row of ann@example.org the same value")
        },
        Finding {
            location: location("people.csv", Some(6), None, Some(5)),
            severity: Severity::Info,
            snippet: snippet(6, "", 0..0),
            ..Finding::new(Rule::BlankRow, "line 6 is blank")
                .with_help("remove the line; `csvgate check --fix` does it safely")
        },
    ];
    let empty = vec![Finding {
        location: location("empty.csv", None, None, None),
        ..Finding::new(Rule::EmptyFile, "the file is empty: it has no header row")
    }];

    let bundle = vec![Finding {
        location: Location {
            member: Some(Arc::from("users.csv")),
            field: Some("Emial".into()),
            ..location("bundle.zip", Some(1), Some(9), Some(0))
        },
        snippet: snippet(1, "User ID,Emial,Role", 8..13),
        ..Finding::new(Rule::UnknownColumn, "the schema has no column \"Emial\"")
            .with_help("did you mean \"Email\"?")
    }];

    // A record over two physical lines; the bad date is on the second, after a
    // two-byte `ë` on the first and the wide `東京` before it on its own line: line 8,
    // character column 13 (byte column 17, display column 15).
    let notes = vec![Finding {
        location: Location {
            field: Some("Due Date".into()),
            ..location("notes.csv", Some(8), Some(13), Some(3))
        },
        snippet: snippet(
            7,
            "3,\"Zoë asked: can we\nmeet in 東京\",2024-13-01,open",
            38..48,
        ),
        ..Finding::new(
            Rule::InvalidDate,
            "Due Date \"2024-13-01\" is not a YYYY-MM-DD calendar date: there is no month 13",
        )
    }];

    vec![people, empty, bundle, notes]
}

const SUMMARY: Summary = Summary {
    files: 4,
    records: 9,
    errors: 5,
    warnings: 1,
    infos: 1,
};

fn render_with(format: Format, options: &HumanOptions, inputs: &[Vec<Finding>]) -> String {
    let mut out = Vec::new();
    let mut r = renderer(format, options);
    r.begin(&mut out).unwrap();
    for findings in inputs {
        r.findings(findings, &mut out).unwrap();
    }
    r.finish(&SUMMARY, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render(format: Format) -> String {
    render_with(format, &HumanOptions::default(), &inputs())
}

#[test]
fn the_shared_set_is_consistent() {
    // The snippets must agree with the locations, or the snapshots would test nothing.
    for finding in inputs().iter().flatten() {
        let Some(snippet) = &finding.snippet else {
            continue;
        };
        let before = &snippet.text[..snippet.span.start];
        let line = snippet.first_line + before.matches('\n').count() as u64;
        assert_eq!(Some(line), finding.location.line, "{}", finding.message);
        if let Some(column) = finding.location.column {
            let line_start = before.rfind('\n').map_or(0, |at| at + 1);
            let chars = before[line_start..].chars().count() as u64;
            assert_eq!(column, chars + 1, "{}", finding.message);
        }
    }
}

#[test]
fn human() {
    insta::assert_snapshot!(render(Format::Human));
}

#[test]
fn human_ascii() {
    let options = HumanOptions {
        unicode: false,
        ..HumanOptions::default()
    };
    insta::assert_snapshot!(render_with(Format::Human, &options, &inputs()));
}

#[test]
fn concise() {
    insta::assert_snapshot!(render(Format::Concise));
}

#[test]
fn json() {
    insta::assert_snapshot!(render(Format::Json));
}

#[test]
fn json_lines() {
    insta::assert_snapshot!(render(Format::JsonLines));
}

#[test]
fn json_is_an_array_of_contract_objects() {
    const KEYS: [&str; 11] = [
        "rule", "severity", "message", "file", "member", "line", "column", "record", "field",
        "help", "related",
    ];
    const RELATED_KEYS: [&str; 5] = ["file", "member", "line", "column", "message"];

    let value: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    let findings = value.as_array().unwrap();
    assert_eq!(findings.len(), inputs().iter().flatten().count());
    for finding in findings {
        let keys: Vec<_> = finding.as_object().unwrap().keys().collect();
        // serde_json's map is sorted unless `preserve_order` is on, so compare as sets
        // here; the snapshots pin the order.
        let mut expected = KEYS.to_vec();
        expected.sort_unstable();
        let mut keys = keys.into_iter().map(String::as_str).collect::<Vec<_>>();
        keys.sort_unstable();
        assert_eq!(keys, expected);
        for related in finding["related"].as_array().unwrap() {
            let mut keys: Vec<_> = related
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            let mut expected = RELATED_KEYS.to_vec();
            expected.sort_unstable();
            assert_eq!(keys, expected);
        }
    }

    // And the order, read straight off the text.
    let text = render(Format::Json);
    let first = text.lines().nth(1).unwrap();
    let positions: Vec<_> = KEYS
        .iter()
        .map(|key| first.find(&format!("\"{key}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
}

#[test]
fn json_lines_are_contract_objects() {
    let text = render(Format::JsonLines);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), inputs().iter().flatten().count());
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value.as_object().unwrap().len(), 11);
    }
}

#[test]
fn an_empty_run() {
    let none: [Vec<Finding>; 2] = [Vec::new(), Vec::new()];
    let options = HumanOptions::default();
    let clean = Summary {
        files: 2,
        records: 1,
        ..Summary::default()
    };
    let run = |format| {
        let mut out = Vec::new();
        let mut r = renderer(format, &options);
        r.begin(&mut out).unwrap();
        for findings in &none {
            r.findings(findings, &mut out).unwrap();
        }
        r.finish(&clean, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(run(Format::Json), "[]\n");
    assert_eq!(run(Format::JsonLines), "");
    assert_eq!(
        run(Format::Concise),
        "2 files, 1 record: no problems found\n"
    );
    assert_eq!(run(Format::Human), "2 files, 1 record: no problems found\n");
}

#[test]
fn quiet_drops_only_the_summary() {
    let quiet = HumanOptions {
        quiet: true,
        ..HumanOptions::default()
    };
    for format in [Format::Human, Format::Concise] {
        let loud = render(format);
        let summary = format!("{SUMMARY}\n");
        let expected = loud.strip_suffix(&summary).unwrap();
        // human sets the summary off by a blank line, which goes with it.
        let expected = if format == Format::Human {
            expected.strip_suffix('\n').unwrap()
        } else {
            expected
        };
        assert_eq!(render_with(format, &quiet, &inputs()), expected);
    }
}

#[test]
fn colour_is_only_added_when_asked() {
    let plain = render(Format::Human);
    assert!(!plain.contains('\u{1b}'));
    let options = HumanOptions {
        color: true,
        ..HumanOptions::default()
    };
    assert!(render_with(Format::Human, &options, &inputs()).contains('\u{1b}'));
}

#[test]
fn summary_line() {
    let summary = |files, records, errors, warnings, infos| {
        Summary {
            files,
            records,
            errors,
            warnings,
            infos,
        }
        .to_string()
    };
    assert_eq!(
        summary(1, 1, 1, 1, 0),
        "1 file, 1 record: 1 error, 1 warning"
    );
    assert_eq!(
        summary(3, 120, 2, 0, 0),
        "3 files, 120 records: 2 errors, 0 warnings"
    );
    assert_eq!(
        summary(0, 0, 0, 0, 2),
        "0 files, 0 records: 0 errors, 0 warnings, 2 infos"
    );
    assert_eq!(
        summary(2, 5, 0, 3, 1),
        "2 files, 5 records: 0 errors, 3 warnings, 1 info"
    );
    assert_eq!(
        summary(2, 5, 0, 0, 0),
        "2 files, 5 records: no problems found"
    );
}

#[test]
fn format_names_round_trip() {
    for &format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
    }
    let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["human", "concise", "json", "json-lines"]);
    let err = "jsonl".parse::<Format>().unwrap_err();
    assert_eq!(err.name(), "jsonl");
    assert_eq!(
        err.to_string(),
        "unknown format `jsonl`, expected human, concise, json or json-lines"
    );
}

#[test]
fn human_edge_cases() {
    let finding = |rule, message: &str, line, column, text: &str, span, truncated| Finding {
        location: location("edge.csv", Some(line), column, Some(line - 1)),
        snippet: Some(Snippet {
            first_line: line,
            text: text.to_owned(),
            span,
            truncated,
        }),
        ..Finding::new(rule, message)
    };
    let long = format!("1,{}", "x".repeat(200));
    let edge = vec![
        Finding {
            location: Location {
                field: Some("Email".into()),
                ..location("edge.csv", Some(2), Some(3), Some(1))
            },
            ..finding(
                Rule::MissingValue,
                "Email is required but empty",
                2,
                Some(3),
                "1,,b",
                2..2,
                false,
            )
        },
        finding(
            Rule::UnclosedQuote,
            "the quoted field opened here is never closed",
            3,
            Some(3),
            "2,\"never\nclosed,c\nstill open",
            2..26,
            false,
        ),
        finding(
            Rule::InvalidNumber,
            "too long",
            6,
            Some(3),
            &long[..100],
            2..100,
            true,
        ),
        finding(
            Rule::RaggedRow,
            "span past the end",
            7,
            Some(1),
            "a,b",
            0..40,
            false,
        ),
    ];
    // Quiet: the shared summary has nothing to do with these.
    let quiet = HumanOptions {
        quiet: true,
        ..HumanOptions::default()
    };
    insta::assert_snapshot!(render_with(Format::Human, &quiet, &[edge]));
}
