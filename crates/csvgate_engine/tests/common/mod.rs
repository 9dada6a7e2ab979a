//! What the tests share: one line per finding, for snapshots; the pieces generated
//! inputs are made of, and the schemas they are checked against.
#![allow(clippy::unwrap_used, dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use csvgate_diagnostics::Finding;
use csvgate_schema::Schema;

/// The bytes that matter to CSV (delimiters, quotes, line breaks, spaces, multi-byte
/// and invalid UTF-8, a byte order mark) and values and names the schemas know.
pub const CSV_PIECES: &[&[u8]] = &[
    b",",
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"a",
    b"Ana",
    b"true",
    b"x@y.io",
    b"2024-02-29",
    b"\xEF\xBB\xBF",
    "é".as_bytes(),
    "日本".as_bytes(),
    b"\xFF",
    b"\xC3",
    b"Email",
    b"User ID",
    b"Username",
    b"Resource",
    b"Resource Type",
    b"1",
    b"",
];

/// A header the built-in schemas know, so that value rules run.
pub const KNOWN_HEADER: &[u8] = b"Email,User ID,Username,Resource,Resource Type\n";

/// The built-in schemas, and the rule fixtures' schemas with cross-row rules: every
/// kind of rule.
pub fn schemas_with_every_kind_of_rule() -> Vec<Schema> {
    let mut schemas: Vec<Schema> = csvgate_schema::builtin::names()
        .map(|n| csvgate_schema::builtin::load(n).unwrap().unwrap())
        .collect();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    for rule in [
        "inconsistent-values",
        "duplicate-key",
        "value-order",
        "missing-dependency",
    ] {
        let text = fs::read_to_string(rules.join(rule).join("schema.toml")).unwrap();
        schemas.push(Schema::parse(rule, &text).unwrap());
    }
    schemas
}

/// A finding as `line:column severity[rule] record= field= message`, with its help
/// and related places indented below.
pub fn render(finding: &Finding) -> String {
    let place = |v: Option<u64>| v.map_or("-".to_owned(), |n| n.to_string());
    let mut out = format!(
        "{}:{} {}[{}] record={} field={} {}",
        place(finding.location.line),
        place(finding.location.column),
        finding.severity.as_str(),
        finding.rule.name(),
        place(finding.location.record),
        finding.location.field.as_deref().unwrap_or("-"),
        finding.message
    );
    if let Some(help) = &finding.help {
        write!(out, "\n    help: {help}").unwrap();
    }
    for related in &finding.related {
        write!(
            out,
            "\n    related: line {} {}",
            place(related.line),
            related.message
        )
        .unwrap();
    }
    out
}
