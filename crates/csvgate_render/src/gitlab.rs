//! `gitlab`: a GitLab Code Quality report (the subset of the Code Climate issue format
//! that GitLab reads, `artifacts:reports:codequality`): one JSON array of issues,
//! streamed one compact object per line like `json`.
//!
//! ```json
//! {"description":"Privilege Value \"yes\" is not a boolean (help: write true or false)","check_name":"invalid-boolean","fingerprint":"…","severity":"major","location":{"path":"people.csv","lines":{"begin":3}}}
//! ```
//!
//! - `description`: the message, then ` (help: ...)` when there is help.
//! - `check_name`: the rule's name.
//! - `fingerprint`: 32 hex digits, the same for the same finding on every run (see
//!   `fingerprint.rs`); GitLab tells new findings from old ones by it.
//! - `severity`: error → `major`, warning → `minor`, info → `info` (GitLab's scale is
//!   info, minor, major, critical, blocker).
//! - `location.path`: the input path as given; `location.lines.begin`: the line, or 1
//!   for a finding about the whole file (GitLab requires a line).
//! - A finding inside a zip member is placed on the zip at line 1, and its description
//!   starts with the place inside the member: `bundle.zip[users.csv]:1:9: ...`.

use std::io;

use csvgate_diagnostics::{Finding, Severity};

use crate::fingerprint::Fingerprint;
use crate::{InputInfo, Place, Renderer, Summary};

#[derive(serde::Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(serde::Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(serde::Serialize)]
struct Lines {
    begin: u64,
}

impl<'a> Issue<'a> {
    fn new(finding: &'a Finding) -> Issue<'a> {
        let location = &finding.location;
        let in_member = location.member.is_some();
        let mut description = if in_member {
            format!("{}: {}", Place::of_finding(finding), finding.message)
        } else {
            finding.message.clone()
        };
        if let Some(help) = &finding.help {
            description.push_str(" (help: ");
            description.push_str(help);
            description.push(')');
        }
        let line = if in_member { None } else { location.line };
        Issue {
            description,
            check_name: finding.rule.name(),
            fingerprint: Fingerprint::of(finding).to_string(),
            severity: match finding.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            location: IssueLocation {
                path: &location.file,
                lines: Lines {
                    begin: line.unwrap_or(1),
                },
            },
        }
    }
}

/// Writes `[`, each issue on its own line, then `]`, as `json` does.
#[derive(Default)]
pub(crate) struct GitlabRenderer {
    written: u64,
}

impl Renderer for GitlabRenderer {
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
            out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *out, &Issue::new(finding))?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })
    }
}
