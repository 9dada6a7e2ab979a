//! One shared set of findings, rendered in every format and snapshotted, as ruff does
//! for its renderers: a change to any format shows up as a reviewed snapshot diff.

use std::sync::Arc;

use csvgate_diagnostics::{Finding, Location, Related, Rule, Severity, Snippet};

use crate::{renderer, Format, HumanOptions, InputInfo, Summary};

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

/// One input as the renderer sees it: its name and its findings in report order.
type Input = (InputInfo<'static>, Vec<Finding>);

/// Every finding of `inputs`, in order.
fn all(inputs: &[Input]) -> impl Iterator<Item = &Finding> {
    inputs.iter().flat_map(|(_, findings)| findings)
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
/// has a quoted note over lines 7 and 8 of record 3; clean.csv has no findings.
fn inputs() -> Vec<Input> {
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

    vec![
        (InputInfo::new("people.csv"), people),
        (InputInfo::new("empty.csv"), empty),
        (
            InputInfo {
                file: "bundle.zip",
                member: Some("users.csv"),
            },
            bundle,
        ),
        (InputInfo::new("notes.csv"), notes),
        (InputInfo::new("clean.csv"), Vec::new()),
    ]
}

const SUMMARY: Summary = Summary {
    files: 5,
    records: 11,
    errors: 5,
    warnings: 1,
    infos: 1,
};

fn render_with(format: Format, options: &HumanOptions, inputs: &[Input]) -> String {
    let mut out = Vec::new();
    let mut r = renderer(format, options);
    r.begin(&mut out).unwrap();
    for (input, findings) in inputs {
        r.findings(input, findings, &mut out).unwrap();
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
    for finding in all(&inputs()) {
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
    assert_eq!(findings.len(), all(&inputs()).count());
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
    assert_eq!(lines.len(), all(&inputs()).count());
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value.as_object().unwrap().len(), 11);
    }
}

/// Renders `inputs` in `format` with the default options and `summary`.
fn run_with_summary(format: Format, inputs: &[Input], summary: &Summary) -> String {
    let mut out = Vec::new();
    let mut r = renderer(format, &HumanOptions::default());
    r.begin(&mut out).unwrap();
    for (input, findings) in inputs {
        r.findings(input, findings, &mut out).unwrap();
    }
    r.finish(summary, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn an_empty_run() {
    let none: [Input; 2] = [
        (InputInfo::new("a.csv"), Vec::new()),
        (InputInfo::new("b.csv"), Vec::new()),
    ];
    let clean = Summary {
        files: 2,
        records: 1,
        ..Summary::default()
    };
    let run = |format| run_with_summary(format, &none, &clean);
    assert_eq!(run(Format::Json), "[]\n");
    assert_eq!(run(Format::JsonLines), "");
    assert_eq!(
        run(Format::Concise),
        "2 files, 1 record: no problems found\n"
    );
    assert_eq!(run(Format::Human), "2 files, 1 record: no problems found\n");
    assert_eq!(
        run(Format::Github),
        "2 files, 1 record: no problems found\n"
    );
    assert_eq!(run(Format::Gitlab), "[]\n");
    assert_eq!(
        without_version(&run(Format::Sarif)),
        concat!(
            r#"{"$schema":"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json","#,
            r#""version":"2.1.0","runs":[{"columnKind":"unicodeCodePoints","results":[],"#,
            r#""tool":{"driver":{"name":"csvgate","version":"[version]","rules":[]}}}]}"#,
            "\n"
        )
    );
    assert_sarif_is_valid(&run(Format::Sarif));
    assert_eq!(
        run(Format::Junit),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="csvgate" tests="2" failures="0" errors="0">
  <testsuite name="csvgate" tests="2" failures="0" errors="0" skipped="0">
    <testcase name="a.csv" classname="csvgate"/>
    <testcase name="b.csv" classname="csvgate"/>
  </testsuite>
</testsuites>
"#
    );
}

#[test]
fn a_run_without_inputs() {
    let nothing = Summary::default();
    assert_eq!(
        run_with_summary(Format::Junit, &[], &nothing),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="csvgate" tests="0" failures="0" errors="0">
  <testsuite name="csvgate" tests="0" failures="0" errors="0" skipped="0"/>
</testsuites>
"#
    );
    assert_eq!(run_with_summary(Format::Gitlab, &[], &nothing), "[]\n");
    assert_sarif_is_valid(&run_with_summary(Format::Sarif, &[], &nothing));
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
    assert_eq!(
        names,
        [
            "human",
            "concise",
            "json",
            "json-lines",
            "github",
            "gitlab",
            "sarif",
            "junit"
        ]
    );
    let err = "jsonl".parse::<Format>().unwrap_err();
    assert_eq!(err.name(), "jsonl");
    assert_eq!(
        err.to_string(),
        "unknown format `jsonl`, expected human, concise, json, json-lines, github, gitlab, sarif or junit"
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
    insta::assert_snapshot!(render_with(
        Format::Human,
        &quiet,
        &[(InputInfo::new("edge.csv"), edge)]
    ));
}

// ---- the machine formats: github, gitlab, sarif, junit ----

/// The SARIF output with the tool's version replaced, so that a release does not
/// change the snapshots.
fn without_version(sarif: &str) -> String {
    sarif.replace(
        &format!(r#""version":"{}","rules""#, env!("CARGO_PKG_VERSION")),
        r#""version":"[version]","rules""#,
    )
}

/// What the OASIS SARIF 2.1.0 schema finds wrong with `sarif` (checked against a copy
/// of `shared/data/sarif-schema-2.1.0.json`, kept in the crate so that a checkout alone
/// runs the test).
fn sarif_errors(sarif: &str) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let log: serde_json::Value = serde_json::from_str(sarif).unwrap();
    validator
        .iter_errors(&log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

fn assert_sarif_is_valid(sarif: &str) {
    let errors = sarif_errors(sarif);
    assert!(errors.is_empty(), "{errors:#?}\n{sarif}");
}

/// What the shared set lacks: text that every format must escape (quotes, markup,
/// `%`, `:`, `,`, line breaks, a control character) in messages and in a path; a
/// related place without a line, one in another file without a column, one inside a
/// zip member; a file-level finding with help; a clean input between the others.
fn machine_edge_cases() -> Vec<Input> {
    const ODD: &str = "in/odd: name, 100%.csv";
    let odd = vec![
        Finding {
            location: location(ODD, None, None, None),
            ..Finding::new(
                Rule::MixedLineEndings,
                "records end with both CRLF (lines 1-3) and LF (line 4)",
            )
            .with_help("end every line the same way")
        },
        Finding {
            location: Location {
                field: Some("Status \"now\"".into()),
                ..location(ODD, Some(2), Some(5), Some(1))
            },
            related: vec![
                Related {
                    file: Arc::from(ODD),
                    member: None,
                    line: None,
                    column: None,
                    message: "the file's header declares <Status> & more".into(),
                },
                Related {
                    file: Arc::from("lookup.csv"),
                    member: None,
                    line: Some(4),
                    column: None,
                    message: "'open' is defined here".into(),
                },
            ],
            ..Finding::new(
                Rule::InvalidEnum,
                "Status \"a<b> & c\r\n50%, done: yes\u{1}\" is not one of open, closed",
            )
            .with_help("write `open` or `closed`\nnot 'a<b>'")
        },
    ];
    let bundle = vec![Finding {
        location: Location {
            member: Some(Arc::from("users.csv")),
            field: Some("User ID".into()),
            ..location("bundle.zip", Some(3), Some(1), Some(2))
        },
        related: vec![Related {
            file: Arc::from("bundle.zip"),
            member: Some(Arc::from("users.csv")),
            line: Some(2),
            column: Some(1),
            message: "\"u1\" first seen here".into(),
        }],
        ..Finding::new(Rule::DuplicateKey, "User ID \"u1\" was seen before")
    }];
    vec![
        (InputInfo::new(ODD), odd),
        (InputInfo::new("clean.csv"), Vec::new()),
        (
            InputInfo {
                file: "bundle.zip",
                member: Some("users.csv"),
            },
            bundle,
        ),
    ]
}

const EDGE_SUMMARY: Summary = Summary {
    files: 3,
    records: 5,
    errors: 2,
    warnings: 1,
    infos: 0,
};

fn render_machine(format: Format, inputs: &[Input], summary: &Summary) -> String {
    let text = run_with_summary(format, inputs, summary);
    if format == Format::Sarif {
        without_version(&text)
    } else {
        text
    }
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github));
}

#[test]
fn github_edge_cases() {
    insta::assert_snapshot!(render_machine(
        Format::Github,
        &machine_edge_cases(),
        &EDGE_SUMMARY
    ));
}

#[test]
fn github_is_one_command_per_finding() {
    let text = render(Format::Github);
    let lines: Vec<_> = text.lines().collect();
    let count = all(&inputs()).count();
    assert_eq!(lines.len(), count + 1);
    assert_eq!(lines[count], SUMMARY.to_string());
    for (line, finding) in lines.iter().zip(all(&inputs())) {
        let kind = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        assert!(line.starts_with(&format!("::{kind} file=")), "{line}");
        assert!(
            line.contains(&format!(",title=csvgate({})::", finding.rule)),
            "{line}"
        );
    }
    // --quiet drops the summary line.
    let quiet = HumanOptions {
        quiet: true,
        ..HumanOptions::default()
    };
    let expected = text.strip_suffix(&format!("{SUMMARY}\n")).unwrap();
    assert_eq!(render_with(Format::Github, &quiet, &inputs()), expected);
}

#[test]
fn gitlab() {
    insta::assert_snapshot!(render(Format::Gitlab));
}

#[test]
fn gitlab_edge_cases() {
    insta::assert_snapshot!(render_machine(
        Format::Gitlab,
        &machine_edge_cases(),
        &EDGE_SUMMARY
    ));
}

#[test]
fn gitlab_is_a_code_quality_report() {
    for inputs in [inputs(), machine_edge_cases()] {
        let text = run_with_summary(Format::Gitlab, &inputs, &SUMMARY);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let issues = value.as_array().unwrap();
        assert_eq!(issues.len(), all(&inputs).count());
        let mut fingerprints = std::collections::HashSet::new();
        for (issue, finding) in issues.iter().zip(all(&inputs)) {
            assert!(issue["description"]
                .as_str()
                .unwrap()
                .contains(finding.message.as_str()));
            assert_eq!(issue["check_name"], finding.rule.name());
            let fingerprint = issue["fingerprint"].as_str().unwrap();
            assert_eq!(fingerprint.len(), 32);
            assert!(fingerprints.insert(fingerprint.to_owned()), "{fingerprint}");
            let severity = issue["severity"].as_str().unwrap();
            assert!(["info", "minor", "major"].contains(&severity));
            assert_eq!(issue["location"]["path"], *finding.location.file);
            assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        }
    }
    // The same findings give the same fingerprints on every run.
    assert_eq!(render(Format::Gitlab), render(Format::Gitlab));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render_machine(Format::Sarif, &inputs(), &SUMMARY));
}

#[test]
fn sarif_edge_cases() {
    insta::assert_snapshot!(render_machine(
        Format::Sarif,
        &machine_edge_cases(),
        &EDGE_SUMMARY
    ));
}

#[test]
fn sarif_validates_against_the_schema() {
    let sarif = render(Format::Sarif);
    assert_sarif_is_valid(&sarif);
    assert_sarif_is_valid(&run_with_summary(
        Format::Sarif,
        &machine_edge_cases(),
        &EDGE_SUMMARY,
    ));
    // And the check has teeth: a level SARIF does not know, a line 0, a region with
    // nothing in it are each caught.
    for (from, to) in [
        (r#""level":"note""#, r#""level":"info""#),
        (r#""startLine":3,"#, r#""startLine":0,"#),
        (
            r#""region":{"startLine":6}"#,
            r#""region":{"startColumn":6}"#,
        ),
        (r#""version":"2.1.0""#, r#""version":"2.1""#),
    ] {
        assert!(sarif.contains(from), "{from}");
        let broken = sarif.replacen(from, to, 1);
        assert!(!sarif_errors(&broken).is_empty(), "{to} passed");
    }
}

#[test]
fn sarif_results_match_the_findings() {
    for inputs in [inputs(), machine_edge_cases()] {
        let text = run_with_summary(Format::Sarif, &inputs, &SUMMARY);
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "csvgate");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), all(&inputs).count());
        let mut used = Vec::new();
        for (result, finding) in results.iter().zip(all(&inputs)) {
            let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(result["ruleId"], finding.rule.name());
            assert_eq!(rules[index]["id"], finding.rule.name());
            used.push(finding.rule.name());
            let physical = &result["locations"][0]["physicalLocation"];
            let region = &physical["region"];
            match finding.location.line {
                Some(line) => assert_eq!(region["startLine"], line),
                None => assert!(region.is_null()),
            }
            match finding.location.column {
                Some(column) => assert_eq!(region["startColumn"], column),
                None => assert!(region["startColumn"].is_null()),
            }
            match &finding.location.member {
                Some(member) => {
                    assert_eq!(
                        physical["artifactLocation"]["properties"]["member"],
                        **member
                    )
                }
                None => assert!(physical["artifactLocation"]["properties"].is_null()),
            }
            let related = result["relatedLocations"].as_array().map_or(0, Vec::len);
            assert_eq!(related, finding.related.len());
            assert!(result["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(finding.message.as_str()));
        }
        // Every rule that has a result is listed once, and no other.
        let mut listed: Vec<_> = rules
            .iter()
            .map(|rule| rule["id"].as_str().unwrap())
            .collect();
        listed.sort_unstable();
        used.sort_unstable();
        used.dedup();
        assert_eq!(listed, used);
    }
}

#[test]
fn junit() {
    insta::assert_snapshot!(render(Format::Junit));
}

#[test]
fn junit_edge_cases() {
    insta::assert_snapshot!(render_machine(
        Format::Junit,
        &machine_edge_cases(),
        &EDGE_SUMMARY
    ));
}

#[test]
fn junit_has_a_test_case_per_input() {
    let text = render(Format::Junit);
    assert_eq!(text.matches("<testcase ").count(), inputs().len());
    // people.csv, empty.csv, bundle.zip[users.csv] and notes.csv have errors or
    // warnings; clean.csv has none.
    assert!(text.contains(r#"<testsuites name="csvgate" tests="5" failures="4" errors="0">"#));
    assert_eq!(text.matches("<failure ").count(), 4);
    assert!(text.contains(r#"<failure message="3 errors" type="missing-column, invalid-boolean, inconsistent-values">"#));
    assert!(text.contains(r#"<failure message="1 warning" type="unknown-column">"#));
    assert!(text.contains(r#"<testcase name="clean.csv" classname="csvgate"/>"#));
    assert!(text.contains(r#"<testcase name="bundle.zip[users.csv]" classname="csvgate">"#));
}
