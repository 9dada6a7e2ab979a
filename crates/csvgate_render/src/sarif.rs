//! `sarif`: one SARIF 2.1.0 log (OASIS) with one run, for GitHub code scanning and
//! other SARIF viewers. Results are streamed one compact object per line; the tool
//! and its `rules` come after them (JSON objects are unordered), so that only the
//! rules seen so far need remembering, never the results.
//!
//! The mapping:
//!
//! - `run.columnKind` is `unicodeCodePoints`: csvgate's columns count characters.
//! - `tool.driver`: `name` `csvgate`, `version` this crate's (the workspace's)
//!   version, no `informationUri`. `rules` lists each rule that has a result, in order
//!   of first appearance: `id` the rule's name, `shortDescription` its catalogue
//!   summary, `defaultConfiguration.level` its default severity, and its catalogue
//!   group as the one tag. (The long explanations, `csvgate explain RULE`, live in the
//!   engine, which renderers do not depend on, so there is no `help` or `helpUri`.)
//! - A result: `ruleId`, `ruleIndex` (into `rules`), `level` (`error`, `warning`, or
//!   `note` for an info), `message.text` (the message, then `help: ...` on a line of
//!   its own), one location, `relatedLocations` (one per related place, with its
//!   message), `partialFingerprints` and, when known, the record number and field name
//!   as `properties.record` and `properties.field`.
//! - A location: `artifactLocation.uri` is the input path as given, with forward
//!   slashes and percent-encoded as a URI reference (an absolute path becomes a
//!   `file:` URI); `region` has `startLine` and, when known, `startColumn`, and is left
//!   out when there is no line (a finding about the whole file). Standard input is
//!   `-`.
//! - A zip member: the artifact is the zip (the file in the repository), and the
//!   member's name is `artifactLocation.properties.member`; the region then counts the
//!   member's lines and characters, not the archive's.
//! - `partialFingerprints["csvgate/v1"]`: 32 hex digits, the same for the same finding
//!   on every run (see `fingerprint.rs`: rule, file, member, line, column, record,
//!   field and message).

use std::io;

use csvgate_diagnostics::{Finding, Related, Rule, Severity};
use serde::Serialize;

use crate::fingerprint::Fingerprint;
use crate::{InputInfo, Renderer, Summary};

/// The OASIS schema's own id, as SARIF files name it.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Default)]
pub(crate) struct SarifRenderer {
    /// The rules with a result, in order of first appearance: a result's `ruleIndex`.
    rules: Vec<Rule>,
    written: u64,
}

impl SarifRenderer {
    fn rule_index(&mut self, rule: Rule) -> usize {
        if let Some(index) = self.rules.iter().position(|&seen| seen == rule) {
            return index;
        }
        self.rules.push(rule);
        self.rules.len() - 1
    }
}

impl Renderer for SarifRenderer {
    fn begin(&mut self, out: &mut dyn io::Write) -> io::Result<()> {
        write!(
            out,
            r#"{{"$schema":"{SCHEMA}","version":"2.1.0","runs":[{{"columnKind":"unicodeCodePoints","results":["#
        )
    }

    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for finding in findings {
            out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
            let rule_index = self.rule_index(finding.rule);
            serde_json::to_writer(&mut *out, &SarifResult::new(finding, rule_index))?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        if self.written > 0 {
            out.write_all(b"\n")?;
        }
        write!(
            out,
            r#"],"tool":{{"driver":{{"name":"csvgate","version":"{}","rules":["#,
            env!("CARGO_PKG_VERSION")
        )?;
        for (i, &rule) in self.rules.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *out, &ReportingDescriptor::new(rule))?;
        }
        if !self.rules.is_empty() {
            out.write_all(b"\n")?;
        }
        out.write_all(b"]}}}]}\n")
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule as SARIF's `reportingDescriptor`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    short_description: Text<&'static str>,
    default_configuration: Configuration,
    properties: Tags,
}

impl ReportingDescriptor {
    fn new(rule: Rule) -> ReportingDescriptor {
        ReportingDescriptor {
            id: rule.name(),
            short_description: Text {
                text: rule.summary(),
            },
            default_configuration: Configuration {
                level: level(rule.default_severity()),
            },
            properties: Tags {
                tags: [rule.group().name()],
            },
        }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Tags {
    tags: [&'static str; 1],
}

/// A `message` or `multiformatMessageString` with plain text only.
#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

impl<'a> SarifResult<'a> {
    fn new(finding: &'a Finding, rule_index: usize) -> SarifResult<'a> {
        let location = &finding.location;
        let text = match &finding.help {
            Some(help) => format!("{}\nhelp: {help}", finding.message),
            None => finding.message.clone(),
        };
        SarifResult {
            rule_id: finding.rule.name(),
            rule_index,
            level: level(finding.severity),
            message: Text { text },
            locations: [SarifLocation {
                physical_location: PhysicalLocation::new(
                    &location.file,
                    location.member.as_deref(),
                    location.line,
                    location.column,
                ),
            }],
            related_locations: finding
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| RelatedLocation::new(id, related))
                .collect(),
            partial_fingerprints: Fingerprints {
                csvgate: Fingerprint::of(finding).to_string(),
            },
            properties: ResultProperties {
                record: location.record,
                field: location.field.as_deref(),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    physical_location: PhysicalLocation<'a>,
    message: Text<&'a str>,
}

impl<'a> RelatedLocation<'a> {
    fn new(id: usize, related: &'a Related) -> RelatedLocation<'a> {
        RelatedLocation {
            id,
            physical_location: PhysicalLocation::new(
                &related.file,
                related.member.as_deref(),
                related.line,
                related.column,
            ),
            message: Text {
                text: &related.message,
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

impl<'a> PhysicalLocation<'a> {
    fn new(
        file: &str,
        member: Option<&'a str>,
        line: Option<u64>,
        column: Option<u64>,
    ) -> PhysicalLocation<'a> {
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(file),
                properties: member.map(|member| Member { member }),
            },
            region: line.map(|start_line| Region {
                start_line,
                start_column: column,
            }),
        }
    }
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Member<'a>>,
}

#[derive(Serialize)]
struct Member<'a> {
    member: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "csvgate/v1")]
    csvgate: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.record.is_none() && self.field.is_none()
    }
}

/// An input path as a URI reference: forward slashes; an absolute path (`/data/a.csv`,
/// `C:\data\a.csv`) as a `file:` URI; every byte that is not an unreserved character,
/// a sub-delimiter, `@` or `/` percent-encoded (`:` too, which in a relative path would
/// read as a scheme, except after a drive letter).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let (mut uri, rest) = if path.starts_with('/') {
        (String::from("file://"), path.as_str())
    } else if bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && bytes[2] == b'/'
    {
        (format!("file:///{}:", &path[..1]), &path[2..])
    } else {
        (String::new(), path.as_str())
    };
    for &byte in rest.as_bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte);
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("people.csv"), "people.csv");
        assert_eq!(uri("data/in/people.csv"), "data/in/people.csv");
        assert_eq!(uri("data\\in\\people.csv"), "data/in/people.csv");
        assert_eq!(uri("./a b/100%.csv"), "./a%20b/100%25.csv");
        assert_eq!(uri("données#1?.csv"), "donn%C3%A9es%231%3F.csv");
        assert_eq!(uri("a:b.csv"), "a%3Ab.csv");
        assert_eq!(uri("/srv/data/a.csv"), "file:///srv/data/a.csv");
        assert_eq!(uri("C:\\data\\a.csv"), "file:///C:/data/a.csv");
        assert_eq!(uri("-"), "-");
    }
}
