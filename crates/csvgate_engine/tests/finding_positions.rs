//! Property test (proptest, which shrinks a failure to a minimal input): every finding
//! that names a line and column points inside the input, at the start of the field it
//! names, as an independent, simple CSV splitter finds the fields; a finding on a whole
//! record points at the record's start; a blank-line finding at the blank line; quoting
//! findings at the quote (or the text right after a closing quote); `invalid-utf8` at
//! the bad byte; `mixed-line-endings` at the record's line break.
//!
//! The inputs are made of the pieces that matter to CSV (`common::CSV_PIECES`, as
//! `arbitrary_input.rs`'s), checked with no schema and with one of the schemas (the
//! built-in ones and the rule fixtures' schemas with cross-row rules).
//!
//! Positions as `csvgate_diagnostics::Location` defines them: lines and columns are
//! 1-based, a line ends at LF, CRLF or a lone CR, and the column counts characters
//! (every byte that does not continue a UTF-8 sequence), from the line's start; the
//! byte order marks a file starts with are not part of line 1.
//!
//! `PROPTEST_CASES=N` runs more cases than the default (which runs in a few seconds in
//! a debug build); the generator is seeded, so a failure reproduces.

// A test harness: a failed read is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;

use common::{schemas_with_every_kind_of_rule, CSV_PIECES, KNOWN_HEADER};
use csvgate_diagnostics::{Finding, Rule};
use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::{normalize_header, Schema};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Cases run by default: a few seconds in a debug build.
const CASES: u32 = 1500;

// ---- an independent, simple CSV splitter ----

/// A field: where its first byte is (its opening quote, if quoted), and its value.
#[derive(Debug)]
struct Field {
    start: usize,
    value: Vec<u8>,
}

/// A record: its first byte, the end of its body (its line break, or the input's end),
/// its fields and its number (0 for the header and anything before it).
#[derive(Debug)]
struct Record {
    start: usize,
    end: usize,
    fields: Vec<Field>,
    number: u64,
}

/// The input as a CSV reader sees it.
#[derive(Debug)]
struct Layout {
    records: Vec<Record>,
    /// The start of each physical line; line 1 starts after the leading marks.
    line_starts: Vec<usize>,
    /// The start of each blank line (a line break where a record would start).
    blank_lines: Vec<usize>,
    /// The index of the header in `records`.
    header: Option<usize>,
}

fn is_break(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// The offset after the line break at `at` (CRLF is one break), or `at` at the end.
fn after_break(input: &[u8], at: usize) -> usize {
    match input.get(at) {
        Some(b'\r') if input.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r' | b'\n') => at + 1,
        _ => at,
    }
}

/// One record from `at` (which is not a line break): its fields, the end of its body,
/// where the next record may start, and the opening quote of a quoted field that the
/// input ends inside.
fn parse_record(input: &[u8], at: usize, delimiter: u8) -> (Vec<Field>, usize, Option<usize>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Start,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let mut fields = vec![Field {
        start: at,
        value: Vec::new(),
    }];
    let mut state = State::Start;
    let mut i = at;
    while i < input.len() {
        let byte = input[i];
        let field = fields.last_mut().unwrap();
        match state {
            State::Quoted => {
                if byte == b'"' {
                    state = State::AfterQuote;
                } else {
                    field.value.push(byte);
                }
            }
            _ if byte == delimiter => {
                fields.push(Field {
                    start: i + 1,
                    value: Vec::new(),
                });
                state = State::Start;
            }
            _ if is_break(byte) => return (fields, i, None),
            State::Start if byte == b'"' => state = State::Quoted,
            // A doubled quote inside quotes is one quote.
            State::AfterQuote if byte == b'"' => {
                field.value.push(b'"');
                state = State::Quoted;
            }
            // Anything else is part of the value: text after a closing quote, and a
            // quote inside a value that did not start with one, as they are.
            _ => {
                field.value.push(byte);
                state = State::Unquoted;
            }
        }
        i += 1;
    }
    let open = (state == State::Quoted).then(|| {
        fields
            .last()
            .map(|f| f.start)
            .expect("a record has a field")
    });
    (fields, input.len(), open)
}

/// Blank as `--fix` and the checks see it: only whitespace, or nothing.
fn is_blank(value: &[u8]) -> bool {
    std::str::from_utf8(value).map_or_else(
        |_| value.trim_ascii().is_empty(),
        |text| text.trim().is_empty(),
    )
}

fn split(input: &[u8], delimiter: u8) -> Layout {
    let mut marks = 0;
    while input[marks..].starts_with(BOM) {
        marks += BOM.len();
    }
    let mut line_starts = vec![marks];
    for (i, &byte) in input.iter().enumerate().skip(marks) {
        if byte == b'\n' || (byte == b'\r' && input.get(i + 1) != Some(&b'\n')) {
            line_starts.push(i + 1);
        }
    }
    let mut layout = Layout {
        records: Vec::new(),
        line_starts,
        blank_lines: Vec::new(),
        header: None,
    };
    let mut data_records = 0;
    let mut i = marks;
    while i < input.len() {
        if is_break(input[i]) {
            layout.blank_lines.push(i);
            i = after_break(input, i);
            continue;
        }
        let start = i;
        let (mut fields, mut end, open) = parse_record(input, i, delimiter);
        if let Some(open) = open {
            // A quote never closed would swallow the rest of the input: csvgate reads
            // the quote's line with the quote as a plain character (split at every
            // delimiter) and goes on after that line.
            fields.retain(|f| f.start < open);
            end = input[open..]
                .iter()
                .position(|&b| is_break(b))
                .map_or(input.len(), |n| open + n);
            let mut at = open;
            for piece in input[open..end].split(|&b| b == delimiter) {
                fields.push(Field {
                    start: at,
                    value: piece.to_vec(),
                });
                at += piece.len() + 1;
            }
        }
        i = after_break(input, end);
        let number = if layout.header.is_some() {
            data_records += 1;
            data_records
        } else {
            if !fields.iter().all(|f| is_blank(&f.value)) {
                layout.header = Some(layout.records.len());
            }
            0
        };
        layout.records.push(Record {
            start,
            end,
            fields,
            number,
        });
    }
    layout
}

impl Layout {
    /// The 1-based line `offset` is on.
    fn line_of(&self, offset: usize) -> u64 {
        self.line_starts.partition_point(|&s| s <= offset).max(1) as u64
    }

    /// The byte offset of 1-based `column` on 1-based `line`: the first byte of that
    /// character, or the line's end just after its last character.
    fn offset_of(&self, input: &[u8], line: u64, column: u64) -> Option<usize> {
        let start = *self
            .line_starts
            .get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let wanted = column.checked_sub(1)?;
        let mut chars = 0;
        for (i, &byte) in input.iter().enumerate().skip(start) {
            if is_break(byte) {
                break;
            }
            // A byte that does not continue a UTF-8 sequence starts a character.
            if (byte as i8) >= -0x40 {
                if chars == wanted {
                    return Some(i);
                }
                chars += 1;
            }
        }
        let end = input[start..]
            .iter()
            .position(|&b| is_break(b))
            .map_or(input.len(), |n| start + n);
        (chars == wanted).then_some(end)
    }

    /// The record whose bytes (its line break included) hold `offset`.
    fn record_at(&self, offset: usize) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| (r.start..=r.end).contains(&offset))
    }

    /// Whether field `index` of the header can be the one a finding names `name`: its
    /// text, or a spelling of the schema's column `name` (normalised, or an alias).
    /// `None` when the header has no such field.
    fn header_names(&self, index: usize, name: &str, schema: Option<&Schema>) -> Option<bool> {
        let header = &self.records[self.header?];
        let text = String::from_utf8_lossy(&header.fields.get(index)?.value).into_owned();
        let spelled = |other: &str| normalize_header(other) == normalize_header(&text);
        let column = schema.and_then(|s| s.columns.iter().find(|c| c.name == name));
        Some(
            text == name
                || spelled(name)
                || column.is_some_and(|c| c.aliases.iter().any(|alias| spelled(alias))),
        )
    }
}

// ---- the property ----

/// Where `finding` says it is, against where the splitter says that is.
fn placed(
    input: &[u8],
    layout: &Layout,
    schema: Option<&Schema>,
    finding: &Finding,
) -> Result<&'static str, String> {
    let at = &finding.location;
    let Some(line) = at.line else {
        return Ok("file");
    };
    let offset = at
        .byte_offset
        .and_then(|o| usize::try_from(o).ok())
        .ok_or("a finding with a line has a byte offset")?;
    if offset > input.len() {
        return Err(format!("offset {offset} past the input's end"));
    }
    if finding.rule == Rule::Utf8Bom {
        return if (line, at.column, offset) == (1, Some(1), 0) && input.starts_with(BOM) {
            Ok("byte order mark")
        } else {
            Err("a byte order mark is at line 1, column 1, offset 0".into())
        };
    }
    let Some(column) = at.column else {
        return match at.record {
            // A blank line, no record.
            None if layout.blank_lines.contains(&offset) && layout.line_of(offset) == line => {
                Ok("blank line")
            }
            None => Err(format!("offset {offset} is not that of blank line {line}")),
            // A record as a whole: its start.
            Some(number) => match layout.records.iter().find(|r| r.start == offset) {
                Some(r) if r.number == number && layout.line_of(offset) == line => Ok("record"),
                Some(r) => Err(format!(
                    "the record at offset {offset} is record {} on line {}",
                    r.number,
                    layout.line_of(offset)
                )),
                None => Err(format!("no record starts at offset {offset}")),
            },
        };
    };
    let p = layout
        .offset_of(input, line, column)
        .ok_or_else(|| format!("line {line}, column {column} is not in the input"))?;
    if p != offset {
        return Err(format!(
            "line {line}, column {column} is offset {p}, but the finding says {offset}"
        ));
    }
    let record = layout
        .record_at(p)
        .ok_or_else(|| format!("offset {p} is in no record"))?;
    if at.record != Some(record.number) {
        return Err(format!(
            "offset {p} is in record {}, the finding says {:?}",
            record.number, at.record
        ));
    }
    let byte = input.get(p).copied();
    let field = record.fields.iter().position(|f| f.start == p);
    match finding.rule {
        Rule::UnclosedQuote if byte == Some(b'"') && field.is_some() => Ok("unclosed quote"),
        Rule::UnclosedQuote => Err("not at an opening quote".into()),
        Rule::StrayQuote
            if byte == Some(b'"') || p.checked_sub(1).map(|q| input[q]) == Some(b'"') =>
        {
            Ok("stray quote")
        }
        Rule::StrayQuote => Err("neither at a quote nor right after one".into()),
        Rule::InvalidUtf8 => match std::str::from_utf8(&input[p..input.len().min(p + 4)]) {
            Err(err) if err.valid_up_to() == 0 => Ok("invalid byte"),
            _ => Err("not at a byte that is not UTF-8".into()),
        },
        Rule::MixedLineEndings if p == record.end && byte.is_some_and(is_break) => Ok("line break"),
        Rule::MixedLineEndings => Err("not at the record's line break".into()),
        _ => {
            let field = field.ok_or_else(|| format!("offset {p} starts no field"))?;
            let name = at.field.as_deref();
            match name.and_then(|name| layout.header_names(field, name, schema)) {
                Some(false) => Err(format!(
                    "at field {field}, which the header does not name {name:?}"
                )),
                Some(true) => Ok("named field"),
                None => Ok("field"),
            }
        }
    }
}

fn shown(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

#[test]
fn every_finding_points_at_the_start_of_what_it_names() {
    let schemas = schemas_with_every_kind_of_rule();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let inputs = (
        any::<bool>(),
        vec(select(CSV_PIECES), 0..40),
        0..schemas.len(),
    );
    // How many findings of each kind were checked: every kind must have come up.
    let checked = RefCell::new(BTreeMap::<&str, usize>::new());
    let result = runner.run(&inputs, |(header, pieces, schema)| {
        let mut input = Vec::new();
        // A header the schemas know half of the time, so that value rules run.
        if header {
            input.extend_from_slice(KNOWN_HEADER);
        }
        for piece in pieces {
            input.extend_from_slice(piece);
        }
        let schema = &schemas[schema];
        for choice in [SchemaChoice::None, SchemaChoice::Use(schema)] {
            let report = check(
                Input::new("arbitrary.csv", &input[..]),
                choice,
                &Options::default(),
            )
            .unwrap();
            let layout = split(&input, b',');
            for finding in &report.findings {
                let used = match choice {
                    SchemaChoice::Use(s) => Some(s),
                    _ => None,
                };
                let kind = placed(&input, &layout, used, finding);
                if let Ok(kind) = kind {
                    *checked.borrow_mut().entry(kind).or_default() += 1;
                }
                if let Err(why) = kind {
                    let against = match choice {
                        SchemaChoice::Use(s) => s.name.as_str(),
                        _ => "no schema",
                    };
                    return Err(TestCaseError::fail(format!(
                        "{why}\ninput ({against}): {:?}\n{finding:#?}",
                        shown(&input)
                    )));
                }
            }
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    let checked = checked.into_inner();
    for kind in [
        "byte order mark",
        "blank line",
        "record",
        "unclosed quote",
        "stray quote",
        "invalid byte",
        "line break",
        "named field",
        "field",
    ] {
        assert!(
            checked.get(kind).is_some_and(|&n| n > 0),
            "{kind}: {checked:?}"
        );
    }
}

#[test]
fn the_splitter_splits_as_csv_readers_do() {
    let input = b"\xEF\xBB\xBFa,\"b\r\nc\",d\r\n\n x,\"y\"\"z\"\r\"open,q\nlast";
    let layout = split(input, b',');
    let starts: Vec<Vec<usize>> = layout
        .records
        .iter()
        .map(|r| r.fields.iter().map(|f| f.start).collect())
        .collect();
    assert_eq!(
        starts,
        [vec![3, 5, 12], vec![16, 19], vec![26, 32], vec![34]]
    );
    assert_eq!(layout.records[0].fields[1].value, b"b\r\nc");
    assert_eq!(layout.records[1].fields[1].value, b"y\"z");
    let numbers: Vec<u64> = layout.records.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [0, 1, 2, 3]);
    assert_eq!(layout.blank_lines, [15]);
    assert_eq!(layout.line_starts, [3, 9, 15, 16, 26, 34]);
    assert_eq!(layout.offset_of(input, 1, 1), Some(3));
    assert_eq!(layout.offset_of(input, 4, 3), Some(18));
    assert_eq!(layout.offset_of(input, 6, 5), Some(38));
    assert_eq!(layout.offset_of(input, 6, 6), None);
}

/// Found by the property test above (shrunk from `"\n\u{FEFF}\n\xFF`); the cause is
/// in reader.rs, left to its rewrite. After an unclosed quote, reading goes on after the
/// quote's line with a new csv-core parser (`RecordReader::unread`; `skip_line`, after an
/// oversized record, builds one too), and csv-core drops a byte order mark at the very
/// start of what a new parser reads. A line holding only a mark then reads as a blank
/// line folded into the next record's raw bytes (which no longer start at a line
/// start), so the next record is placed on the mark's line and numbered one too low;
/// a mark that starts a value is dropped from the value.
///
/// Here line 3 is a record whose value is U+FEFF (not blank), and line 4 a blank
/// record: csvgate reports the blank record at line 3, offset 4, record 2.
#[test]

fn a_mark_after_an_unclosed_quotes_line_is_read_as_a_value() {
    let input = "h\n\"\n\u{FEFF}\n \n".as_bytes();
    let report = check(
        Input::new("mark.csv", input),
        SchemaChoice::None,
        &Options::default(),
    )
    .unwrap();
    let blank = report
        .findings
        .iter()
        .find(|f| f.rule == Rule::BlankRow)
        .unwrap();
    let at = &blank.location;
    assert_eq!(
        (at.line, at.record, at.byte_offset),
        (Some(4), Some(3), Some(8))
    );
}
