//! What the fixture tests share: one line per finding, for snapshots.
#![allow(clippy::unwrap_used, dead_code)]

use std::fmt::Write as _;

use csvgate_diagnostics::Finding;

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
