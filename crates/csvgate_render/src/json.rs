//! `json`: one array of all findings across all inputs, streamed one compact object per
//! line so that a diff of two runs shows which findings changed.
//!
//! The object layout ([`FindingView`]) is shared with `json-lines`; its keys and their
//! order are csvgate's outside contract (CONTRACT.md, "JSON output").

use std::io;

use csvgate_diagnostics::{Finding, Related, Rule, Severity};
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::{InputInfo, Renderer, Summary};

/// A finding as the JSON formats show it, borrowed so that serialising allocates
/// nothing. Field order here is the key order in the output.
#[derive(serde::Serialize)]
pub(crate) struct FindingView<'a> {
    rule: Rule,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    member: Option<&'a str>,
    line: Option<u64>,
    column: Option<u64>,
    record: Option<u64>,
    field: Option<&'a str>,
    help: Option<&'a str>,
    related: RelatedList<'a>,
}

impl<'a> FindingView<'a> {
    pub(crate) fn new(finding: &'a Finding) -> FindingView<'a> {
        let location = &finding.location;
        FindingView {
            rule: finding.rule,
            severity: finding.severity,
            message: &finding.message,
            file: &location.file,
            member: location.member.as_deref(),
            line: location.line,
            column: location.column,
            record: location.record,
            field: location.field.as_deref(),
            help: finding.help.as_deref(),
            related: RelatedList(&finding.related),
        }
    }

    /// Writes the finding as one line of compact JSON, without the newline.
    pub(crate) fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        serde_json::to_writer(out, self).map_err(io::Error::from)
    }
}

/// `related` as a JSON array, mapped entry by entry rather than collected into a `Vec`.
struct RelatedList<'a>(&'a [Related]);

impl Serialize for RelatedList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for related in self.0 {
            seq.serialize_element(&RelatedView {
                file: &related.file,
                member: related.member.as_deref(),
                line: related.line,
                column: related.column,
                message: &related.message,
            })?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct RelatedView<'a> {
    file: &'a str,
    member: Option<&'a str>,
    line: Option<u64>,
    column: Option<u64>,
    message: &'a str,
}

/// Writes `[`, then each finding on its own line, then `]`: valid JSON once finished,
/// and nothing held back in memory.
#[derive(Default)]
pub(crate) struct JsonRenderer {
    written: u64,
}

impl Renderer for JsonRenderer {
    fn begin(&mut self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for finding in findings {
            // The separator goes before each element, so the last needs no lookahead.
            out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
            FindingView::new(finding).write(out)?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })
    }
}
