//! End-to-end tests of the `csvgate` binary: arguments in, stdout, stderr and exit
//! status out, snapshotted with insta (`tests/snapshots/`).
//!
//! Every command runs from the repository root with relative paths, so the output holds
//! no machine-specific path. Colour is off because the output is a pipe (and
//! `NO_COLOR`, `CLICOLOR_FORCE` are cleared so the caller's environment cannot change
//! that).

use std::io::Write;

/// The benchmark's generator of realistic entitlements uploads, with planted defects.
#[path = "../crates/csvgate_engine/benches/generate/mod.rs"]
#[allow(clippy::unwrap_used, clippy::print_stdout)]
mod generate;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csvgate"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("NO_GRAPHICS")
        .stdin(Stdio::null());
    command
}

fn output(mut command: Command, stdin: Option<&[u8]>) -> Output {
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the csvgate binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(bytes).expect("stdin takes the input");
    }
    child.wait_with_output().expect("csvgate finishes")
}

/// The exit status, stdout and stderr of one run, as one text to snapshot.
fn shown(output: &Output) -> String {
    let code = output
        .status
        .code()
        .map_or_else(|| "killed by a signal".to_owned(), |code| code.to_string());
    format!(
        "exit: {code}\n----- stdout -----\n{}----- stderr -----\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

fn run(args: &[&str]) -> Output {
    output(command(&repo_root(), args), None)
}

fn csvgate(args: &[&str]) -> String {
    shown(&run(args))
}

fn csvgate_with_stdin(args: &[&str], stdin: &[u8]) -> String {
    shown(&output(command(&repo_root(), args), Some(stdin)))
}

const SEED: &str = "fixtures/formats/entitlements-upload/seed_sample.csv";
const CLEAN: &str = "fixtures/formats/entitlements-upload/clean.csv";
const DEFECTS: &str = "fixtures/formats/entitlements-upload/defects.csv";

// ---- schemas, schema show, template, explain ----

#[test]
fn schemas_lists_the_builtins() {
    insta::assert_snapshot!("schemas", csvgate(&["schemas"]));
}

#[test]
fn schema_show_prints_a_builtin_source() {
    let out = run(&["schema", "show", "entitlements-upload"]);
    assert_eq!(out.status.code(), Some(0));
    let source = std::fs::read(repo_root().join("schemas/entitlements-upload.toml"))
        .expect("the schema file");
    assert_eq!(out.stdout, source);
    assert!(out.stderr.is_empty());
}

#[test]
fn schema_show_prints_a_schema_file() {
    let path = "fixtures/rules/ragged-row/schema.toml";
    let out = run(&["schema", "show", path]);
    assert_eq!(out.status.code(), Some(0));
    let source = std::fs::read(repo_root().join(path)).expect("the schema file");
    assert_eq!(out.stdout, source);
}

#[test]
fn schema_show_of_a_broken_file() {
    insta::assert_snapshot!(
        "schema_show_broken",
        csvgate(&["schema", "show", "fixtures/schemas/broken_unknown_key.toml"])
    );
}

#[test]
fn schema_show_of_an_unknown_name() {
    insta::assert_snapshot!(
        "schema_show_unknown",
        csvgate(&["schema", "show", "entitlement-uploads"])
    );
}

#[test]
fn template_prints_the_header_row() {
    insta::assert_snapshot!(
        "template_entitlements_upload",
        csvgate(&["template", "entitlements-upload"])
    );
}

#[test]
fn template_quotes_names_that_need_it() {
    let dir = scratch("template_quotes");
    std::fs::write(
        dir.join("quoted.toml"),
        "name = \"quoted\"\ndescription = \"names needing quotes\"\n\n\
         [[column]]\nname = \"Plain\"\n\n[[column]]\nname = \"Last, First\"\n\n\
         [[column]]\nname = 'Say \"hi\"'\n",
    )
    .expect("write the schema");
    let out = output(command(&dir, &["template", "quoted.toml"]), None);
    assert_eq!(shown(&out), "exit: 0\n----- stdout -----\nPlain,\"Last, First\",\"Say \"\"hi\"\"\"\n----- stderr -----\n");
}

#[test]
fn explain_a_rule() {
    insta::assert_snapshot!("explain_ragged_row", csvgate(&["explain", "ragged-row"]));
}

#[test]
fn explain_an_unknown_rule() {
    insta::assert_snapshot!("explain_unknown_rule", csvgate(&["explain", "raged-row"]));
}

#[test]
fn explain_without_a_rule_lists_them_all() {
    insta::assert_snapshot!("explain_list", csvgate(&["explain"]));
}

// ---- broken schemas: exit 2 with the place of the mistake ----

fn broken_schema(file: &str) -> String {
    csvgate(&[
        "check",
        "--schema",
        &format!("fixtures/schemas/{file}"),
        CLEAN,
    ])
}

#[test]
fn broken_schema_unknown_key() {
    let out = broken_schema("broken_unknown_key.toml");
    assert!(out.contains("broken_unknown_key.toml:7:1"), "{out}");
    insta::assert_snapshot!("broken_schema_unknown_key", out);
}

#[test]
fn broken_schema_unknown_type() {
    let out = broken_schema("broken_unknown_type.toml");
    assert!(out.contains("broken_unknown_type.toml:7:8"), "{out}");
    insta::assert_snapshot!("broken_schema_unknown_type", out);
}

#[test]
fn broken_schema_bad_regex() {
    let out = broken_schema("broken_bad_regex.toml");
    assert!(out.contains("broken_bad_regex.toml:7:11"), "{out}");
    insta::assert_snapshot!("broken_schema_bad_regex", out);
}

#[test]
fn broken_schema_regex_over_the_size_limit() {
    let started = std::time::Instant::now();
    let out = broken_schema("broken_regex_too_big.toml");
    assert!(started.elapsed().as_secs() < 5);
    assert!(out.contains("broken_regex_too_big.toml:7:11"), "{out}");
    insta::assert_snapshot!("broken_schema_regex_too_big", out);
}

/// A schema file of arrays nested 100,000 deep: a clear error at its place and exit 2,
/// not a stack overflow.
#[test]
fn broken_schema_nested_too_deep() {
    let dir = scratch("deep_schema");
    let depth = 100_000;
    let text = format!(
        "name = \"deep\"\nx = {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.join("deep.toml"), text).expect("write the schema");
    let out = output(
        command(
            &dir,
            &[
                "check",
                "--schema",
                "deep.toml",
                "--color",
                "never",
                "x.csv",
            ],
        ),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid schema deep.toml:2:"),
        "{stderr:.300}"
    );
    assert!(stderr.contains("recursion"), "{stderr:.300}");
    assert_lines_are_short(&stderr);
}

/// No line of `text` longer than a window around a mistake and the margins.
fn assert_lines_are_short(text: &str) {
    let longest = text.lines().map(|line| line.chars().count()).max();
    assert!(
        longest.unwrap_or(0) < 400,
        "a line of {longest:?} characters"
    );
}

/// A mistake at column 200,018 of a schema's line: its place in the message, the line
/// shown as a window around it (miette cannot draw an underline past column 65,535: it
/// panicked here), exit 2.
#[test]
fn broken_schema_mistake_far_along_a_long_line() {
    let dir = scratch("long_line_schema");
    let text = format!(
        "name = \"long\"\n[[column]]\nname = \"a\"\ndescription = \"{}\" bad\n",
        "y".repeat(200_000)
    );
    std::fs::write(dir.join("long.toml"), text).expect("write the schema");
    let out = output(
        command(
            &dir,
            &[
                "check",
                "--schema",
                "long.toml",
                "--color",
                "never",
                "x.csv",
            ],
        ),
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr:.600}");
    assert!(
        stderr.contains("invalid schema long.toml:4:200018:"),
        "{stderr:.600}"
    );
    assert!(
        stderr.contains("\" bad"),
        "the window shows the mistake: {stderr:.600}"
    );
    assert_lines_are_short(&stderr);
}

/// The same for a config file: its mistake far along a long line drawn as a window.
#[test]
fn broken_config_mistake_far_along_a_long_line() {
    let dir = scratch("long_line_config");
    let text = format!("schema-dirs = [\"{}\"] bad\n", "a".repeat(200_000));
    std::fs::write(dir.join("csvgate.toml"), text).expect("write the config");
    std::fs::write(dir.join("x.csv"), "a\n1\n").expect("write the input");
    let out = output(command(&dir, &["check", "--color", "never", "x.csv"]), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr:.600}");
    assert!(stderr.contains("csvgate.toml:1:200020:"), "{stderr:.600}");
    assert_lines_are_short(&stderr);
}

/// A value of 100,000 characters with a finding: the source line drawn as a window, the
/// underline cut with it.
#[test]
fn a_finding_on_a_very_long_value_draws_a_window() {
    let dir = scratch("long_value");
    let text = format!(
        "Privilege Name,Privilege Value,Email\np,true,{}@\n",
        "x".repeat(100_000)
    );
    std::fs::write(dir.join("long.csv"), text).expect("write the input");
    let out = output(
        command(
            &dir,
            &[
                "check",
                "--schema",
                "entitlements-upload",
                "--color",
                "never",
                "long.csv",
            ],
        ),
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout:.600}");
    assert!(stdout.contains("[long.csv:2:8]"), "{stdout:.600}");
    assert_lines_are_short(&stdout);
}

#[test]
fn broken_schema_rule_names_a_missing_column() {
    let out = broken_schema("broken_missing_column.toml");
    assert!(out.contains("broken_missing_column.toml:12:21"), "{out}");
    insta::assert_snapshot!("broken_schema_missing_column", out);
}

#[test]
fn schema_file_that_cannot_be_read() {
    insta::assert_snapshot!(
        "schema_file_missing",
        csvgate(&["check", "--schema", "fixtures/schemas/no_such.toml", CLEAN])
    );
}

// ---- check: arguments and inputs ----

#[test]
fn check_with_an_unknown_schema_name() {
    insta::assert_snapshot!(
        "check_schema_nonexistent",
        csvgate(&["check", "--schema", "nonexistent", CLEAN])
    );
}

#[test]
fn check_with_a_misspelt_schema_name() {
    insta::assert_snapshot!(
        "check_schema_misspelt",
        csvgate(&["check", "--schema", "entitlement-upload", CLEAN])
    );
}

#[test]
fn check_without_paths_is_a_usage_error() {
    insta::assert_snapshot!("check_no_paths", csvgate(&["check"]));
}

#[test]
fn check_with_an_unknown_format() {
    insta::assert_snapshot!(
        "check_unknown_format",
        csvgate(&["check", "--format", "xml", CLEAN])
    );
}

#[test]
fn an_unreadable_path_does_not_stop_the_others() {
    let out = run(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--color",
        "never",
        "fixtures/no_such_file.csv",
        CLEAN,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixtures/no_such_file.csv: "), "{stderr}");
    assert!(stderr.contains(CLEAN), "{stderr}");
    insta::assert_snapshot!("check_unreadable_path", shown(&out));
}

#[test]
fn an_empty_zip_archive_is_reported_and_the_others_checked() {
    let dir = scratch("zip");
    // An empty zip archive: the end-of-central-directory record alone.
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend([0; 18]);
    std::fs::write(dir.join("bundle.zip"), empty_zip).expect("write the zip");
    std::fs::copy(repo_root().join(CLEAN), dir.join("entitlements.csv")).expect("copy");
    let out = output(
        command(
            &dir,
            &[
                "check",
                "--color",
                "never",
                "bundle.zip",
                "entitlements.csv",
            ],
        ),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("check_empty_zip", shown(&out));
}

#[test]
fn check_standard_input() {
    let clean = std::fs::read(repo_root().join(CLEAN)).expect("the fixture");
    insta::assert_snapshot!(
        "check_stdin",
        csvgate_with_stdin(
            &[
                "check",
                "--schema",
                "entitlements-upload",
                "--color",
                "never",
                "-"
            ],
            &clean,
        )
    );
}

#[test]
fn check_a_folder_walks_it_in_name_order() {
    insta::assert_snapshot!(
        "check_folder",
        csvgate(&[
            "check",
            "--schema",
            "entitlements-upload",
            "--format",
            "concise",
            "fixtures/formats/entitlements-upload",
        ])
    );
}

#[test]
fn check_detects_the_schema() {
    insta::assert_snapshot!(
        "check_detect",
        csvgate(&["check", "--color", "never", CLEAN, SEED])
    );
}

#[test]
fn check_with_schema_none() {
    insta::assert_snapshot!(
        "check_schema_none",
        csvgate(&["check", "--schema", "none", "--format", "concise", SEED])
    );
}

#[test]
fn check_quiet_prints_only_findings() {
    let out = run(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--color",
        "never",
        "--quiet",
        SEED,
    ]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("check_quiet", shown(&out));
}

// ---- --fail-on ----

#[test]
fn fail_on_error_and_warning() {
    let run_with = |fail_on: &str, schema: &str, file: &str| {
        csvgate(&[
            "check",
            "--schema",
            schema,
            "--format",
            "concise",
            "--fail-on",
            fail_on,
            file,
        ])
    };
    // Only warnings (a repeated record), errors, and nothing at all.
    let cases = [
        (
            "fixtures/rules/duplicate-row/schema.toml",
            "fixtures/rules/duplicate-row/invalid_exact_copy.csv",
        ),
        ("entitlements-upload", DEFECTS),
        ("entitlements-upload", CLEAN),
    ];
    let mut text = String::new();
    for (schema, file) in cases {
        for fail_on in ["error", "warning"] {
            text.push_str(&format!(
                "===== --fail-on {fail_on} {file}\n{}\n",
                run_with(fail_on, schema, file)
            ));
        }
    }
    insta::assert_snapshot!("fail_on", text);
}

// ---- check output over the format fixtures ----

fn check_human(file: &str) -> String {
    csvgate(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--color",
        "never",
        file,
    ])
}

fn check_json(file: &str) -> String {
    csvgate(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--format",
        "json",
        file,
    ])
}

#[test]
fn seed_sample_human() {
    insta::assert_snapshot!("seed_sample_human", check_human(SEED));
}

#[test]
fn seed_sample_json() {
    insta::assert_snapshot!("seed_sample_json", check_json(SEED));
}

#[test]
fn clean_human() {
    insta::assert_snapshot!("clean_human", check_human(CLEAN));
}

#[test]
fn clean_json() {
    insta::assert_snapshot!("clean_json", check_json(CLEAN));
}

#[test]
fn defects_human() {
    insta::assert_snapshot!("defects_human", check_human(DEFECTS));
}

#[test]
fn defects_json() {
    insta::assert_snapshot!("defects_json", check_json(DEFECTS));
}

// ---- the machine formats over the defect fixture ----

fn check_as(format: &str, files: &[&str]) -> String {
    let mut args = vec![
        "check",
        "--schema",
        "entitlements-upload",
        "--format",
        format,
    ];
    args.extend_from_slice(files);
    let text = csvgate(&args);
    // The tool's version is in the SARIF log; a release must not change the snapshot.
    text.replace(
        &format!(r#""version":"{}","rules""#, env!("CARGO_PKG_VERSION")),
        r#""version":"[version]","rules""#,
    )
}

#[test]
fn defects_github() {
    insta::assert_snapshot!("defects_github", check_as("github", &[DEFECTS]));
}

#[test]
fn defects_gitlab() {
    insta::assert_snapshot!("defects_gitlab", check_as("gitlab", &[DEFECTS]));
}

#[test]
fn defects_sarif() {
    insta::assert_snapshot!("defects_sarif", check_as("sarif", &[DEFECTS]));
}

#[test]
fn defects_junit() {
    insta::assert_snapshot!("defects_junit", check_as("junit", &[DEFECTS]));
}

#[test]
fn junit_has_a_test_case_for_a_clean_input_too() {
    let text = check_as("junit", &[CLEAN, DEFECTS]);
    assert!(text.starts_with("exit: 1\n"), "{text}");
    assert!(
        text.contains(&format!(
            r#"<testcase name="{CLEAN}" classname="csvgate"/>"#
        )),
        "{text}"
    );
    assert!(
        text.contains(r#"<testsuites name="csvgate" tests="2" failures="1" errors="0">"#),
        "{text}"
    );
}

#[test]
fn machine_formats_of_a_clean_run() {
    let out = run(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--format",
        "gitlab",
        CLEAN,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[]\n");
    let out = run(&[
        "check",
        "--schema",
        "entitlements-upload",
        "--format",
        "sarif",
        CLEAN,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""results":[],"#));
}

// ---- determinism ----

#[test]
fn output_is_the_same_at_any_thread_count() {
    let at = |threads: &str| {
        run(&[
            "check",
            "--format",
            "json-lines",
            "--threads",
            threads,
            "fixtures",
        ])
    };
    let one = at("1");
    assert!(!one.stdout.is_empty());
    for threads in ["2", "16"] {
        let other = at(threads);
        assert_eq!(
            other.status.code(),
            one.status.code(),
            "--threads {threads}"
        );
        assert!(
            other.stdout == one.stdout,
            "--threads {threads} changed the output"
        );
        assert_eq!(other.stderr, one.stderr, "--threads {threads}");
    }
}

/// A fresh folder of this test's own under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    dir
}

/// The Entity RBAC bundle: zips read in memory, references across the members, and
/// members missing or unknown; the same files given loose are checked as the bundle.
#[test]
fn bundles_in_zips_and_loose() {
    for (case, path) in [
        ("clean_zip", "fixtures/bundles/entity-rbac/clean.zip"),
        ("dangling_zip", "fixtures/bundles/entity-rbac/dangling.zip"),
        (
            "missing_member_zip",
            "fixtures/bundles/entity-rbac/missing_member.zip",
        ),
        (
            "unexpected_member_zip",
            "fixtures/bundles/entity-rbac/unexpected_member.zip",
        ),
        ("dangling_loose", "fixtures/bundles/entity-rbac/dangling"),
        (
            "seed_header_fixed_zip",
            "fixtures/bundles/entity-rbac/seed_header_fixed.zip",
        ),
    ] {
        insta::assert_snapshot!(
            format!("bundle_{case}_json"),
            csvgate(&["check", "--format", "json", path])
        );
    }
    insta::assert_snapshot!(
        "bundle_dangling_zip_human",
        csvgate(&[
            "check",
            "--color",
            "never",
            "fixtures/bundles/entity-rbac/dangling.zip"
        ])
    );
}

/// Without `--schema`, a header no schema fits, or that fits two equally, gets
/// `no-schema` (naming both in the tie) and only the structural and header checks.
#[test]
fn detection_says_when_no_schema_or_two_fit() {
    for (case, path) in [
        ("tie", "fixtures/detection/shared_columns_only.csv"),
        ("nothing", "fixtures/detection/unrelated_format.csv"),
    ] {
        insta::assert_snapshot!(
            format!("detection_{case}"),
            csvgate(&["check", "--color", "never", path])
        );
    }
}

/// Every built-in format's clean fixture passes, with its schema named and with the
/// schema detected (the note names the right one).
#[test]
fn every_clean_fixture_passes_named_and_detected() {
    let formats = repo_root().join("fixtures/formats");
    let mut names: Vec<String> = std::fs::read_dir(&formats)
        .expect("fixtures/formats")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let clean = format!("fixtures/formats/{name}/clean.csv");
        let named = run(&["check", "--schema", &name, "--color", "never", &clean]);
        assert_eq!(
            named.status.code(),
            Some(0),
            "{clean} with --schema {name}:\n{}",
            shown(&named)
        );
        let detected = run(&["check", "--color", "never", &clean]);
        assert_eq!(
            detected.status.code(),
            Some(0),
            "{clean} detected:\n{}",
            shown(&detected)
        );
        let note = String::from_utf8_lossy(&detected.stderr);
        assert!(
            note.contains(&format!("checked against {name} (")),
            "{clean}: detected another schema: {note}"
        );
    }
}

/// People's formats show at most N findings of a rule on a column per input and count
/// the rest, naming their first lines; the summary still counts every finding, and
/// machine formats show all.
#[test]
fn max_per_rule_caps_what_people_see() {
    let dir = scratch("max_per_rule");
    let mut csv = String::from("Project,Privilege Name,Privilege Value,Email\n");
    for i in 0..30 {
        csv.push_str(&format!("balkanid,,true,user{i}@example.com\n"));
    }
    csv.push_str("balkanid,pull,maybe,last@example.com\n");
    std::fs::write(dir.join("entitlements.csv"), csv).expect("write the input");
    let args = |extra: &[&'static str]| {
        let mut args = vec!["check", "--format", "concise"];
        args.extend_from_slice(extra);
        args.push("entitlements.csv");
        args
    };
    insta::assert_snapshot!(
        "max_per_rule_concise",
        shown(&output(
            command(&dir, &args(&["--max-per-rule", "3"])),
            None
        ))
    );
    let json = output(
        command(
            &dir,
            &[
                "check",
                "--format",
                "json",
                "--max-per-rule",
                "3",
                "entitlements.csv",
            ],
        ),
        None,
    );
    let all = output(
        command(&dir, &["check", "--format", "json", "entitlements.csv"]),
        None,
    );
    assert_eq!(json.stdout, all.stdout, "machine formats are never capped");
}

/// A file with a finding on every row: people's formats still count every finding
/// (the engine keeps only what they show, so memory does not grow with the findings),
/// at any thread count.
#[test]
fn every_finding_is_counted_when_only_a_few_are_kept() {
    let dir = scratch("kept_per_group");
    let mut csv = String::from("Project,Privilege Name,Privilege Value,Email\n");
    for i in 0..6000 {
        csv.push_str(&format!("balkanid,pull,maybe,user{i}@example.com\n"));
    }
    std::fs::write(dir.join("entitlements.csv"), csv).expect("write the input");
    for threads in ["1", "2"] {
        let out = output(
            command(
                &dir,
                &[
                    "check",
                    "--format",
                    "concise",
                    "--threads",
                    threads,
                    "entitlements.csv",
                ],
            ),
            None,
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(
            text.contains("... and 5990 more invalid-boolean findings on `Privilege Value`"),
            "{text}"
        );
        assert!(text.contains("6000 errors"), "{text}");
        assert_eq!(out.status.code(), Some(1));
        // The statistics count them all too (the engine keeps none for them).
        let out = output(
            command(
                &dir,
                &[
                    "check",
                    "--statistics",
                    "--threads",
                    threads,
                    "entitlements.csv",
                ],
            ),
            None,
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(text.starts_with("6000  invalid-boolean  error"), "{text}");
        assert_eq!(out.status.code(), Some(1));
    }
}

/// JSON (array and lines) is printed as the engine confirms the findings (a file's
/// findings never all held at once): the same bytes at any thread count, the lines the
/// array's findings in order, next to other inputs whose output waits for its turn.
#[test]
fn streamed_formats_give_the_json_findings_in_order() {
    let dir = scratch("json_lines_stream");
    let config = generate::Config::bytes(2_000_000).defect_rate(0.3);
    generate::write_file(&config, &dir.join("big.csv")).expect("generate the input");
    std::fs::write(
        dir.join("small.csv"),
        "Project,Privilege Name,Privilege Value,Email\nbalkanid,,maybe,x\n",
    )
    .expect("write the input");
    let run_with = |format: &str, threads: &str| {
        output(
            command(
                &dir,
                &[
                    "check",
                    "--schema",
                    "entitlements-upload",
                    "--format",
                    format,
                    "--threads",
                    threads,
                    "small.csv",
                    "big.csv",
                    "small.csv",
                ],
            ),
            None,
        )
    };
    let json = run_with("json", "1");
    let array: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).expect("a JSON array");
    assert!(array.len() > 1000, "{} findings", array.len());
    for threads in ["1", "2", "3"] {
        // The array streams too: the same bytes at any thread count.
        let streamed_array = run_with("json", threads);
        assert!(
            streamed_array.stdout == json.stdout,
            "json, --threads {threads}"
        );
        let lines = run_with("json-lines", threads);
        assert_eq!(lines.status.code(), json.status.code());
        let streamed: Vec<serde_json::Value> = String::from_utf8(lines.stdout)
            .expect("UTF-8")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON object"))
            .collect();
        assert!(streamed == array, "--threads {threads}");
    }
    // SARIF and GitLab stream too: the JSON array's findings, in its order, the same
    // bytes at any thread count.
    let rules: Vec<&serde_json::Value> = array.iter().map(|f| &f["rule"]).collect();
    for (format, findings, rule) in [
        ("sarif", "/runs/0/results", "ruleId"),
        ("gitlab", "", "check_name"),
    ] {
        let first = run_with(format, "1");
        let report: serde_json::Value = serde_json::from_slice(&first.stdout).expect("JSON");
        let listed = report
            .pointer(findings)
            .and_then(|f| f.as_array())
            .expect("findings");
        let listed_rules: Vec<&serde_json::Value> = listed.iter().map(|f| &f[rule]).collect();
        assert!(
            listed_rules == rules,
            "{format}: the JSON array's rules, in order"
        );
        for threads in ["2", "3"] {
            let again = run_with(format, threads);
            assert!(
                again.stdout == first.stdout,
                "{format}, --threads {threads}"
            );
        }
    }
}

#[test]
fn the_same_output_at_any_thread_count() {
    let dir = scratch("threads");
    let path = dir.join("generated_entitlements_upload.csv");
    let config = generate::Config::bytes(3_000_000).defect_rate(0.05);
    generate::write_file(&config, &path).expect("generate the input");
    let at = |threads: &str| {
        output(
            command(
                &dir,
                &[
                    "check",
                    "--format",
                    "json",
                    "--threads",
                    threads,
                    "generated_entitlements_upload.csv",
                ],
            ),
            None,
        )
    };
    let one = at("1");
    assert_eq!(one.status.code(), Some(1));
    assert!(
        one.stdout.len() > 10_000,
        "the input should have many findings"
    );
    for threads in ["2", "3", "8"] {
        let other = at(threads);
        assert_eq!(
            other.status.code(),
            one.status.code(),
            "--threads {threads}"
        );
        assert!(
            other.stdout == one.stdout,
            "--threads {threads} changed the output"
        );
    }
}

// ---- --select, --ignore, --statistics ----

/// `--select` and `--ignore` take rule names and groups; a deselected rule's findings
/// are not shown, counted or failed on, and a rule name wins over its group.
#[test]
fn select_and_ignore_choose_the_rules() {
    let concise = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "concise"];
        args.extend_from_slice(extra);
        args.push(DEFECTS);
        csvgate(&args)
    };
    insta::assert_snapshot!("select_values", concise(&["--select", "values"]));
    insta::assert_snapshot!(
        "ignore_inconsistent_values",
        concise(&["--ignore", "inconsistent-values"])
    );
    insta::assert_snapshot!(
        "select_rows_ignore_missing_one_of",
        concise(&["--select", "rows", "--ignore", "missing-one-of"])
    );
    insta::assert_snapshot!("select_unknown_name", concise(&["--select", "rows,valuse"]));
    // Comma-separated and repeated entries are the same; with nothing left, exit 0.
    assert_eq!(
        concise(&["--select", "invalid-email,invalid-list"]),
        concise(&["--select", "invalid-email", "--select", "invalid-list"])
    );
    let nothing = run(&[
        "check",
        "--select",
        "invalid-list",
        "--ignore",
        "values",
        DEFECTS,
    ]);
    assert_eq!(nothing.status.code(), Some(0));
}

/// `--statistics` prints a count per rule and severity instead of the findings; the
/// exit status is the same; machine formats refuse it.
#[test]
fn statistics_count_the_findings() {
    insta::assert_snapshot!(
        "statistics_human",
        csvgate(&["check", "--statistics", DEFECTS])
    );
    insta::assert_snapshot!(
        "statistics_concise_ignore",
        csvgate(&[
            "check",
            "--statistics",
            "--format",
            "concise",
            "--ignore",
            "rows",
            DEFECTS
        ])
    );
    insta::assert_snapshot!(
        "statistics_json",
        csvgate(&["check", "--statistics", "--format", "json", DEFECTS])
    );
}

// ---- completions, man ----

#[test]
fn completions_for_bash_know_the_subcommands_and_options() {
    let out = run(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let script = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(script.contains("check"), "{script}");
    assert!(script.contains("--schema"), "{script}");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(!out.stdout.is_empty(), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_prints_a_roff_page() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(page.starts_with(".TH "), "{page}");
    assert!(page.contains("check"), "{page}");
}

// ---- baseline ----

/// `--write-baseline` records today's findings and exits 0; `--baseline` then reports
/// only new findings: rows added above the old ones move every line but match, and a
/// new defect is the only finding shown.
#[test]
fn a_baseline_hides_old_findings_and_shows_new_ones() {
    let dir = scratch("baseline");
    let baseline = dir.join("baseline.json");
    let baseline_arg = baseline.to_str().expect("a UTF-8 path");
    let written = run(&["check", "--write-baseline", baseline_arg, DEFECTS]);
    assert_eq!(written.status.code(), Some(0), "{}", shown(&written));
    let stderr = String::from_utf8_lossy(&written.stderr);
    assert!(
        stderr.contains("10 findings recorded in the baseline"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&baseline).expect("the baseline is written");
    assert!(text.starts_with("{\n  \"version\": 1,\n"), "{text}");
    // Written again, byte for byte the same.
    let again = run(&["check", "--write-baseline", baseline_arg, DEFECTS]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&baseline).expect("rewritten"), text);

    // The same relative path as the baseline names, under the scratch folder.
    let copy = dir.join(DEFECTS);
    std::fs::create_dir_all(copy.parent().expect("a parent")).expect("create folders");
    let original = std::fs::read_to_string(repo_root().join(DEFECTS)).expect("read");
    let (header, rows) = original.split_once('\n').expect("a header");
    let check = |contents: String| {
        std::fs::write(&copy, contents).expect("write the copy");
        output(
            command(
                &dir,
                &[
                    "check",
                    "--format",
                    "concise",
                    "--baseline",
                    baseline_arg,
                    DEFECTS,
                ],
            ),
            None,
        )
    };

    let moved = check(format!(
        "{header}\nbalkanid,pull,true,new1@example.com,,,,,,,,,,\n\
         balkanid,push,true,new2@example.com,,,,,,,,,,\n{rows}"
    ));
    assert_eq!(moved.status.code(), Some(0), "{}", shown(&moved));
    assert_eq!(
        String::from_utf8_lossy(&moved.stdout),
        "1 file, 15 records: no problems found\n"
    );
    assert!(
        String::from_utf8_lossy(&moved.stderr).contains("10 findings in the baseline not shown"),
        "{}",
        shown(&moved)
    );

    let new = check(format!(
        "{header}\nbalkanid,pull,maybe,new1@example.com,,,,,,,,,,\n{rows}"
    ));
    assert_eq!(new.status.code(), Some(1), "{}", shown(&new));
    let stdout = String::from_utf8_lossy(&new.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("{DEFECTS}:2:15: error[invalid-boolean]"))
            && lines[0].contains("\"maybe\""),
        "{stdout}"
    );
    assert_eq!(lines[1], "1 file, 14 records: 1 error, 0 warnings");
}

/// A baseline that is missing or is not one is a run that cannot be done.
#[test]
fn a_missing_or_malformed_baseline_is_exit_2() {
    let dir = scratch("baseline_broken");
    let missing = run(&[
        "check",
        "--baseline",
        dir.join("missing.json").to_str().expect("UTF-8"),
        DEFECTS,
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the baseline"));
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"version\": 1,\n \"findings\": [}\n").expect("write");
    let malformed = run(&[
        "check",
        "--baseline",
        broken.to_str().expect("UTF-8"),
        DEFECTS,
    ]);
    assert_eq!(malformed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(
        stderr.contains("is not a csvgate baseline") && stderr.contains("line 2 column"),
        "{stderr}"
    );
    assert!(malformed.stdout.is_empty());
}

// ---- hostile archives (fixtures/hostile/, written by make_zips.py) ----

/// Checks `fixtures/hostile/ARCHIVE` without a schema, asserting that it is done
/// quickly (nothing is decompressed past a limit): exit status, stdout, stderr.
fn check_hostile(archive: &str) -> (Option<i32>, String, String) {
    let path = format!("fixtures/hostile/{archive}");
    let started = std::time::Instant::now();
    let out = run(&["check", "--schema", "none", &path]);
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(5),
        "{archive} took {took:?}"
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    (out.status.code(), stdout, stderr)
}

/// The archive's harmless `ok.csv` is checked whatever its neighbour does.
fn assert_ok_member_checked(archive: &str, stdout: &str, stderr: &str) {
    assert!(
        stderr.contains(&format!(
            "note: fixtures/hostile/{archive}[ok.csv]: checked"
        )),
        "{stderr}"
    );
    assert!(stdout.contains("1 file, 2 records"), "{stdout}");
}

#[test]
fn a_zip_bomb_member_is_refused_by_its_ratio_and_the_rest_checked() {
    let (code, stdout, stderr) = check_hostile("bomb.zip");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("error: fixtures/hostile/bomb.zip[bomb.csv]: member bomb.csv expands"),
        "{stderr}"
    );
    assert!(stderr.contains("zip bomb"), "{stderr}");
    assert_ok_member_checked("bomb.zip", &stdout, &stderr);
}

#[test]
fn a_member_larger_than_its_declared_size_stops_with_a_read_error() {
    let (code, stdout, stderr) = check_hostile("lying-size.zip");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("error: fixtures/hostile/lying-size.zip[liar.csv]: member liar.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("declared"), "{stderr}");
    assert_ok_member_checked("lying-size.zip", &stdout, &stderr);
}

#[test]
fn an_encrypted_member_is_an_error_and_the_rest_checked() {
    let (code, stdout, stderr) = check_hostile("encrypted.zip");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: fixtures/hostile/encrypted.zip[secret.csv]: member secret.csv is \
             encrypted: csvgate cannot read it"
        ),
        "{stderr}"
    );
    assert_ok_member_checked("encrypted.zip", &stdout, &stderr);
}

#[test]
fn an_unsupported_compression_method_is_an_error_and_the_rest_checked() {
    let (code, stdout, stderr) = check_hostile("bzip2.zip");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: fixtures/hostile/bzip2.zip[packed.csv]: member packed.csv is \
             compressed with Bzip2: csvgate cannot read it"
        ),
        "{stderr}"
    );
    assert_ok_member_checked("bzip2.zip", &stdout, &stderr);
}

/// `../escape.csv`, `/abs/path.csv` and `dir\evil.csv` are checked under their names
/// as given, nothing is written anywhere, and a nested archive is not opened.
#[test]
fn member_names_are_only_names_and_nested_archives_are_not_opened() {
    let (code, stdout, stderr) = check_hostile("names.zip");
    assert_eq!(code, Some(0), "{stderr}");
    for member in ["../escape.csv", "/abs/path.csv", "dir\\evil.csv", "ok.csv"] {
        assert!(
            stderr.contains(&format!(
                "note: fixtures/hostile/names.zip[{member}]: checked"
            )),
            "{member}: {stderr}"
        );
    }
    assert!(!stderr.contains("inner.zip"), "{stderr}");
    assert!(!stderr.contains("nested.csv"), "{stderr}");
    assert!(stdout.contains("4 files, 8 records"), "{stdout}");
    let root = repo_root();
    for written in [
        root.join("../escape.csv"),
        root.join("fixtures/escape.csv"),
        PathBuf::from("/abs/path.csv"),
    ] {
        assert!(!written.exists(), "{}", written.display());
    }
}

/// An archive over 1 GiB is refused from its size, before a byte is read (the file
/// is sparse: it takes no disk space).
#[test]
fn an_archive_over_the_size_limit_is_refused_before_it_is_read() {
    let path = std::env::temp_dir().join(format!("csvgate-huge-{}.zip", std::process::id()));
    let file = std::fs::File::create(&path).expect("temporary file");
    file.set_len((1 << 30) + 1).expect("sparse file");
    drop(file);
    let started = std::time::Instant::now();
    let out = run(&["check", path.to_str().expect("UTF-8 path")]);
    let took = started.elapsed();
    std::fs::remove_file(&path).expect("remove the temporary file");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("over csvgate's limit of 1 GiB for an archive"),
        "{stderr}"
    );
}

// ---- csvgate.toml ----

/// A project folder with a `csvgate.toml`, a schema folder and a few inputs:
/// `exports/2024/users-1.csv` (mapped to the `mine` schema of `schemas/`),
/// `dup.csv` (a duplicate row and surrounding whitespace), `legacy/l.csv`
/// (whitespace, raised to an error for `legacy/**`) and `archive/old.csv` (excluded).
fn project(name: &str, config: &str) -> PathBuf {
    let dir = scratch(name);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the folder");
        std::fs::write(path, text).expect("write the file");
    };
    write(
        "schemas/mine.toml",
        "name = \"mine\"\ndescription = \"A tiny format\"\n\n[[column]]\nname = \"ID\"\n\
         required = true\nvalue-required = true\ntype = \"integer\"\n\n[[column]]\nname = \"Note\"\n",
    );
    write("csvgate.toml", config);
    write("exports/2024/users-1.csv", "ID,Note\n1,a\nx,b\n");
    write("dup.csv", "ID,Note\n1,a\n1,a\n2, b\n");
    write("legacy/l.csv", "ID,Note\n1, b\n");
    write("archive/old.csv", "ID,Note\nx,b\n");
    dir
}

const PROJECT: &str = r#"schema-dirs = ["schemas"]
exclude = ["archive/**"]

[rules]
duplicate-row = "off"

[[schemas]]
paths = ["exports/**/users*.csv"]
schema = "mine"

[[overrides]]
paths = ["legacy/**"]
rules = { surrounding-whitespace = "error" }
"#;

fn in_dir(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = output(command(dir, args), None);
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

#[test]
fn config_maps_a_glob_to_a_schema_of_its_schema_dirs() {
    let dir = project("config_mapping", PROJECT);
    let (code, stdout, stderr) = in_dir(&dir, &["check", "exports/2024/users-1.csv"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "note: exports/2024/users-1.csv: checked against mine (csvgate.toml maps exports/**/users*.csv)"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("invalid-number"), "{stdout}");
    // --schema wins over the mapping; a schema-dirs schema is known by name.
    let (code, _, stderr) = in_dir(
        &dir,
        &["check", "--schema", "none", "exports/2024/users-1.csv"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = in_dir(&dir, &["check", "--schema", "mine", "dup.csv"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("checked against mine (named with --schema)"),
        "{stderr}"
    );
    // `schemas` and `template` know it too.
    let (code, stdout, _) = in_dir(&dir, &["schemas"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("mine "), "{stdout}");
    let (code, stdout, _) = in_dir(&dir, &["template", "mine"]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "ID,Note\n");
}

#[test]
fn config_turns_rules_off_and_overrides_them_for_a_glob() {
    let dir = project("config_rules", PROJECT);
    let (code, stdout, stderr) = in_dir(
        &dir,
        &["check", "--format", "concise", "dup.csv", "legacy/l.csv"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stdout.contains("duplicate-row"), "{stdout}");
    assert!(
        stdout.contains("dup.csv:4:3: warning[surrounding-whitespace]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("legacy/l.csv:2:3: error[surrounding-whitespace]"),
        "{stdout}"
    );
    // Without the config, the catalogue's defaults.
    let (_, stdout, _) = in_dir(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "concise",
            "dup.csv",
            "legacy/l.csv",
        ],
    );
    assert!(stdout.contains("warning[duplicate-row]"), "{stdout}");
    assert!(
        stdout.contains("legacy/l.csv:2:3: warning[surrounding-whitespace]"),
        "{stdout}"
    );
}

#[test]
fn config_fail_on_is_the_default_and_the_command_line_wins() {
    let dir = project(
        "config_fail_on",
        &format!("fail-on = \"warning\"\n{PROJECT}"),
    );
    let (code, _, stderr) = in_dir(&dir, &["check", "dup.csv"]);
    assert_eq!(code, Some(1), "{stderr}");
    let (code, _, stderr) = in_dir(&dir, &["check", "--fail-on", "error", "dup.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    let dir = project("config_fail_on_default", PROJECT);
    let (code, _, stderr) = in_dir(&dir, &["check", "dup.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn config_exclude_skips_walked_and_given_files() {
    let dir = project("config_exclude", PROJECT);
    let (_, stdout, stderr) = in_dir(&dir, &["check", "--format", "concise", "."]);
    assert!(!stdout.contains("old.csv"), "{stdout}");
    assert!(stdout.contains("3 files"), "{stdout}");
    let (code, stdout, stderr2) = in_dir(&dir, &["check", "archive/old.csv", "dup.csv"]);
    assert_eq!(code, Some(0), "{stdout}{stderr2}");
    assert!(
        stderr2.contains("note: archive/old.csv: skipped (excluded by the config file)"),
        "{stderr2}"
    );
    assert!(stdout.contains("1 file, 3 records"), "{stdout}{stderr}");
}

#[test]
fn config_is_found_from_a_subfolder_upward() {
    let dir = project("config_upward", PROJECT);
    let sub = dir.join("exports/2024");
    let (code, stdout, stderr) = in_dir(&sub, &["check", "users-1.csv"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("checked against mine (csvgate.toml maps exports/**/users*.csv)"),
        "{stderr}"
    );
    let (code, _, stderr) = in_dir(&sub, &["check", "--no-config", "users-1.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("mine"), "{stderr}");
}

#[test]
fn a_bad_config_is_exit_2_with_the_line_shown() {
    let dir = project(
        "config_bad",
        "exclude = [\"archive/**\"]\n\n[rules]\nduplicate-rows = \"off\"\n",
    );
    let (code, stdout, stderr) = in_dir(&dir, &["check", "dup.csv"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("invalid config csvgate.toml:4:1: unknown rule `duplicate-rows`"),
        "{stderr}"
    );
    assert!(stderr.contains("4 │ duplicate-rows = \"off\""), "{stderr}");
    assert!(stderr.contains("did you mean `duplicate-row`?"), "{stderr}");
    // --config names another file; --no-config ignores the broken one.
    std::fs::write(dir.join("other.toml"), "fail-on = \"loud\"\n").expect("write");
    let (code, _, stderr) = in_dir(&dir, &["check", "--config", "other.toml", "dup.csv"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("other.toml:1:11: unknown fail-on level `loud`"),
        "{stderr}"
    );
    let (code, _, stderr) = in_dir(&dir, &["check", "--no-config", "dup.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn walking_a_folder_honours_gitignore() {
    let dir = scratch("gitignore");
    std::fs::create_dir_all(dir.join("data/tmp")).expect("create");
    std::fs::write(dir.join("data/.gitignore"), "tmp/\nscratch-*.csv\n").expect("write");
    for file in [
        "data/a.csv",
        "data/scratch-1.csv",
        "data/tmp/b.csv",
        "data/z.csv",
    ] {
        std::fs::write(dir.join(file), "ID,Note\n1,a\n").expect("write");
    }
    let (code, stdout, stderr) =
        in_dir(&dir, &["check", "--no-config", "--schema", "none", "data"]);
    assert_eq!(code, Some(0), "{stderr}");
    let checked: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("note: "))
        .filter_map(|line| line.split(':').next())
        .collect();
    assert_eq!(checked, ["data/a.csv", "data/z.csv"], "{stderr}");
    assert!(stdout.contains("2 files"), "{stdout}");
}

/// `schema check` checks schema and bundle files without data: valid ones are
/// summarised, a broken one is shown at its line with exit status 2.
#[test]
fn schema_check_without_data() {
    insta::assert_snapshot!(
        "schema_check",
        csvgate(&[
            "--color",
            "never",
            "schema",
            "check",
            "schemas/entitlements-upload.toml",
            "schemas/bundles/entity-rbac.toml",
            "fixtures/schemas/broken_unknown_type.toml",
        ])
    );
}

// ---- infer ----

#[test]
fn infer_drafts_a_schema_the_sample_passes() {
    insta::assert_snapshot!(
        "infer_entitlements_upload_clean",
        csvgate(&["infer", CLEAN])
    );
    // The draft, saved, is a schema the sample passes, and finds defects elsewhere.
    let out = run(&["infer", "--name", "drafted", CLEAN]);
    assert_eq!(out.status.code(), Some(0));
    let dir = scratch("infer");
    let schema = dir.join("drafted.toml");
    std::fs::write(&schema, &out.stdout).expect("write");
    let schema = schema.to_string_lossy().into_owned();
    let (code, stdout, stderr) = in_dir(
        &repo_root(),
        &["check", "--no-config", "--schema", &schema, CLEAN],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let (code, stdout, _) = in_dir(
        &repo_root(),
        &["check", "--no-config", "--schema", &schema, DEFECTS],
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("invalid-email"), "{stdout}");
    let (code, _, stderr) = in_dir(&repo_root(), &["infer", "no/such/file.csv"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot read no/such/file.csv"), "{stderr}");
}

/// `--diff` shows what `--fix` would change and writes nothing; `--fix` rewrites the
/// file (only what is fixable), says what it did, and the check then reports what is
/// left; zip members and standard input are never rewritten.
#[test]
fn fix_and_diff() {
    let dir = scratch("fix");
    let original: &[u8] = b"\xef\xbb\xbfproject,Privilege Name*,Privilege Value,Email\n\nbalkanid, pull ,true,\"  a@b.co \"\r\n,,,\nbalkanid,push,maybe,c@d.co\n";
    let path = dir.join("entitlements.csv");
    std::fs::write(&path, original).expect("write the input");
    let diff = output(
        command(&dir, &["check", "--diff", "entitlements.csv"]),
        None,
    );
    insta::assert_snapshot!("fix_diff", shown(&diff));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        original,
        "--diff writes nothing"
    );

    let fixed = output(
        command(
            &dir,
            &["check", "--fix", "--format", "concise", "entitlements.csv"],
        ),
        None,
    );
    insta::assert_snapshot!("fix_fixed", shown(&fixed));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"Project,Privilege Name,Privilege Value,Email\nbalkanid,pull,true,\"a@b.co\"\r\nbalkanid,push,maybe,c@d.co\n",
        "only the fixable parts changed, byte for byte"
    );
    let again = output(
        command(&dir, &["check", "--diff", "entitlements.csv"]),
        None,
    );
    assert_eq!(again.status.code(), Some(0), "nothing left to fix");
    assert!(
        std::fs::read_dir(&dir).expect("dir").all(|e| {
            !e.expect("entry")
                .file_name()
                .to_string_lossy()
                .ends_with(".csvgate-fix")
        }),
        "no temporary file is left behind"
    );

    let zip = output(
        command(
            &repo_root(),
            &[
                "check",
                "--fix",
                "--format",
                "concise",
                "fixtures/bundles/entity-rbac/clean.zip",
            ],
        ),
        None,
    );
    assert!(String::from_utf8_lossy(&zip.stderr)
        .contains("--fix leaves the members of zip archives as they are"));
}
