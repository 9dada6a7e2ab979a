//! Runs every example of the schema language reference (`docs/schema-language.md`), so
//! that the reference cannot drift from the parser.
//!
//! A fenced code block is run when its info string is one of:
//!
//! - `toml schema`: a complete schema file that must parse;
//! - `toml schema-error KIND`: a schema file that must fail with that error kind;
//! - `toml bundle`: a bundle file that must parse, its members' schemas taken from the
//!   built-in schemas;
//! - `toml bundle-error KIND`: a bundle file that must fail with that error kind.
//!
//! Plain `toml` blocks are fragments and are not run; any other `toml ...` info string
//! is a mistake in the document and fails the test.

// Helpers outside #[test] functions may unwrap: a panic is a test failure here.
#![allow(clippy::unwrap_used)]

use csvgate_schema::{builtin, Bundle, Schema, SchemaError, SchemaErrorKind};

/// The reference, relative to this crate.
const DOC: &str = "../../docs/schema-language.md";

/// The fewest tested examples the reference may have.
const MIN_TESTED: usize = 15;

/// One fenced code block: its info string, the line of its opening fence (1-based) in
/// the document, its text.
struct Block {
    info: String,
    line: usize,
    text: String,
}

/// What a marked block must do.
enum Expect {
    Schema,
    SchemaError(SchemaErrorKind),
    Bundle,
    BundleError(SchemaErrorKind),
}

fn read_doc() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The fenced code blocks of a Markdown text (backtick fences of three or more).
fn blocks(doc: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (index, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &mut open {
            None if ticks >= 3 => {
                let block = Block {
                    info: trimmed[ticks..].trim().to_owned(),
                    line: index + 1,
                    text: String::new(),
                };
                open = Some((ticks, block));
            }
            None => {}
            Some((fence, _)) if ticks >= *fence && trimmed[ticks..].trim().is_empty() => {
                found.push(open.take().unwrap().1);
            }
            Some((_, block)) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
        }
    }
    if let Some((_, block)) = open {
        panic!("{DOC}:{}: a code block is never closed", block.line);
    }
    found
}

fn kind(name: &str) -> Option<SchemaErrorKind> {
    Some(match name {
        "syntax" => SchemaErrorKind::Syntax,
        "unknown-column" => SchemaErrorKind::UnknownColumn,
        "unknown-type" => SchemaErrorKind::UnknownType,
        "invalid-regex" => SchemaErrorKind::InvalidRegex,
        "invalid-value" => SchemaErrorKind::InvalidValue,
        _ => return None,
    })
}

/// What a block's info string asks for: `Ok(None)` for a block that is not run.
fn expectation(info: &str) -> Result<Option<Expect>, String> {
    let words: Vec<&str> = info.split_whitespace().collect();
    let error_kind = |word: Option<&&str>| {
        let word = word.ok_or("the error kind is missing (e.g. `invalid-value`)")?;
        kind(word).ok_or_else(|| format!("unknown error kind `{word}`"))
    };
    let expect = match words.as_slice() {
        ["toml"] | [] => return Ok(None),
        [first, ..] if *first != "toml" => return Ok(None),
        ["toml", "schema"] => Expect::Schema,
        ["toml", "bundle"] => Expect::Bundle,
        ["toml", "schema-error", rest @ ..] if rest.len() <= 1 => {
            Expect::SchemaError(error_kind(rest.first())?)
        }
        ["toml", "bundle-error", rest @ ..] if rest.len() <= 1 => {
            Expect::BundleError(error_kind(rest.first())?)
        }
        _ => return Err(format!("unknown info string `{info}`")),
    };
    Ok(Some(expect))
}

fn parse_bundle(origin: &str, text: &str) -> Result<Bundle, SchemaError> {
    Bundle::parse(origin, text, |name| {
        builtin::load(name).and_then(Result::ok)
    })
}

/// Where an error is in the document: the block's fence line plus the error's line.
fn doc_place(block: &Block, err: &SchemaError) -> String {
    match err.line_column() {
        Some((line, column)) => format!(" (at {DOC}:{}:{column})", block.line + line),
        None => String::new(),
    }
}

/// Runs one block; `Err` says how it went wrong.
fn run(expect: &Expect, block: &Block) -> Result<(), String> {
    let (origin, text) = ("example.toml", block.text.as_str());
    let outcome = match expect {
        Expect::Schema | Expect::SchemaError(_) => Schema::parse(origin, text).map(|_| ()),
        Expect::Bundle | Expect::BundleError(_) => parse_bundle(origin, text).map(|_| ()),
    };
    match (expect, outcome) {
        (Expect::Schema | Expect::Bundle, Ok(())) => Ok(()),
        (Expect::Schema | Expect::Bundle, Err(err)) => {
            Err(format!("fails to parse{}: {err}", doc_place(block, &err)))
        }
        (Expect::SchemaError(_) | Expect::BundleError(_), Ok(())) => {
            Err("parses, but the reference says it is an error".to_owned())
        }
        (Expect::SchemaError(want) | Expect::BundleError(want), Err(err)) => {
            if err.kind() == *want {
                Ok(())
            } else {
                Err(format!(
                    "fails with {:?}, expected {want:?}{}: {err}",
                    err.kind(),
                    doc_place(block, &err)
                ))
            }
        }
    }
}

#[test]
fn every_example_in_the_reference_is_right() {
    let doc = read_doc();
    let mut failures = Vec::new();
    let mut tested = 0;
    for block in blocks(&doc) {
        let place = format!("{DOC}:{}", block.line);
        match expectation(&block.info) {
            Ok(None) => {}
            Ok(Some(expect)) => {
                tested += 1;
                if let Err(problem) = run(&expect, &block) {
                    failures.push(format!("{place} (```{}): {problem}", block.info));
                }
            }
            Err(problem) => failures.push(format!("{place}: {problem}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) of the reference are wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        tested >= MIN_TESTED,
        "only {tested} tested examples in {DOC}; expected at least {MIN_TESTED}"
    );
}

#[test]
fn error_examples_point_into_their_block() {
    // A schema-error example must fail at a line of its own text, not before it: a
    // sanity check that the blocks are extracted whole.
    let doc = read_doc();
    for block in blocks(&doc) {
        if let Ok(Some(Expect::SchemaError(_))) = expectation(&block.info) {
            let err = Schema::parse("example.toml", &block.text).unwrap_err();
            if let Some((line, _)) = err.line_column() {
                assert!(
                    line <= block.text.lines().count(),
                    "{DOC}:{}: the error is at line {line} of a shorter block",
                    block.line
                );
            }
        }
    }
}

#[test]
fn the_extractor_finds_marked_blocks_and_their_lines() {
    let doc = "text\n\n```toml schema\nname = \"a\"\n```\n\n````toml\nx = 1\n````\n";
    let found = blocks(doc);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].info, "toml schema");
    assert_eq!(found[0].line, 3);
    assert_eq!(found[0].text, "name = \"a\"\n");
    assert!(matches!(
        expectation("toml schema"),
        Ok(Some(Expect::Schema))
    ));
    assert!(matches!(
        expectation("toml schema-error unknown-column"),
        Ok(Some(Expect::SchemaError(SchemaErrorKind::UnknownColumn)))
    ));
    assert!(matches!(expectation("toml"), Ok(None)));
    assert!(matches!(expectation("sh"), Ok(None)));
    assert!(expectation("toml schemas").is_err());
    assert!(expectation("toml schema-error").is_err());
    assert!(expectation("toml schema-error no-such-kind").is_err());
}
