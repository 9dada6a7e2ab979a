//! The baseline: the findings a repository already had when it adopted csvgate.
//!
//! `check --write-baseline FILE` records the run's findings (after `--select` and
//! `--ignore`) in FILE; `check --baseline FILE` then drops every finding the baseline
//! holds before counting, rendering and the exit status, so only new findings fail.
//!
//! The file is JSON, pretty-printed and sorted so that it diffs well under version
//! control:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "rule": "invalid-email",
//!       "file": "data/users.csv",
//!       "member": null,
//!       "field": "Email",
//!       "fingerprint": "…32 hex digits…",
//!       "count": 2
//!     }
//!   ]
//! }
//! ```
//!
//! A finding is matched by its rule, file (the path as given), zip member, field and
//! fingerprint, never by its line: rows added or removed above a finding do not make
//! it new. The fingerprint is FNV-1a 128 ([`Fnv1a128`]) over the rule's name, the
//! file, the member, the field and the message with every line number taken out
//! (`line 12` becomes `line N`; cross-row messages such as `duplicate-key`'s "was
//! already used on line 12" name the earlier row). Messages quote the offending value,
//! so two findings of one rule in one column differ when their values differ.
//! Identical findings are counted (`count`, left out when 1): with 3 in the baseline
//! and 4 in the run, one of the run's is new (the last one, in report order).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use csvgate_diagnostics::Finding;
use csvgate_render::Fnv1a128;
use serde::{Deserialize, Serialize};

/// The version of the file format this csvgate reads and writes.
const VERSION: u32 = 1;

/// What identifies a finding in a baseline. Ordered as the file lists its entries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    rule: String,
    file: String,
    member: Option<String>,
    field: Option<String>,
    fingerprint: String,
}

impl Key {
    fn of(finding: &Finding) -> Key {
        let location = &finding.location;
        Key {
            rule: finding.rule.name().to_owned(),
            file: location.file.to_string(),
            member: location.member.as_deref().map(str::to_owned),
            field: location.field.clone(),
            fingerprint: fingerprint(finding),
        }
    }
}

/// The finding's fingerprint, 32 lowercase hex digits (see the module's docs).
pub fn fingerprint(finding: &Finding) -> String {
    let location = &finding.location;
    let mut hash = Fnv1a128::new();
    hash.part(Some(finding.rule.name()));
    hash.part(Some(&location.file));
    hash.part(location.member.as_deref());
    hash.part(location.field.as_deref());
    hash.part(Some(&without_line_numbers(&finding.message)));
    format!("{:032x}", hash.value())
}

/// `message` with the digits after every `line ` replaced by `N`.
fn without_line_numbers(message: &str) -> String {
    const LINE: &str = "line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(LINE) {
        let (before, after) = rest.split_at(at + LINE.len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push('N');
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The file as written and read.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// Just the version, read first so that a file of another version is named as such.
#[derive(Deserialize)]
struct Versioned {
    version: u32,
}

/// One entry of the file: a key and how many findings have it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    file: String,
    member: Option<String>,
    field: Option<String>,
    fingerprint: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: u64,
}

fn one() -> u64 {
    1
}

fn is_one(count: &u64) -> bool {
    *count == 1
}

/// A loaded baseline (`--baseline`): the findings it still has to absorb.
#[derive(Debug, Default)]
pub struct Baseline {
    remaining: HashMap<Key, u64>,
    /// Findings dropped so far because the baseline holds them.
    pub matched: u64,
}

impl Baseline {
    /// Reads the baseline at `path`; the error is a message for the person running
    /// csvgate.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read the baseline {shown}: {err}"))?;
        Baseline::parse(&text).map_err(|err| format!("{shown} is not a csvgate baseline: {err}"))
    }

    fn parse(text: &str) -> Result<Baseline, String> {
        let versioned: Versioned = serde_json::from_str(text).map_err(|err| err.to_string())?;
        if versioned.version != VERSION {
            return Err(format!(
                "it is of version {}, and this csvgate reads version {VERSION}",
                versioned.version
            ));
        }
        let file: BaselineFile = serde_json::from_str(text).map_err(|err| err.to_string())?;
        let mut remaining = HashMap::new();
        for entry in file.findings {
            let key = Key {
                rule: entry.rule,
                file: entry.file,
                member: entry.member,
                field: entry.field,
                fingerprint: entry.fingerprint,
            };
            *remaining.entry(key).or_insert(0) += entry.count;
        }
        Ok(Baseline {
            remaining,
            matched: 0,
        })
    }

    /// Drops from `findings` those the baseline holds, each entry absorbing at most
    /// its count.
    pub fn absorb(&mut self, findings: &mut Vec<Finding>) {
        if self.remaining.is_empty() {
            return;
        }
        let mut matched = 0;
        findings.retain(|finding| match self.remaining.get_mut(&Key::of(finding)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                matched += 1;
                false
            }
            _ => true,
        });
        self.matched += matched;
    }
}

/// The findings of a run, counted by key, for `--write-baseline`.
#[derive(Debug, Default)]
pub struct Recorder {
    counts: BTreeMap<Key, u64>,
    /// Findings recorded.
    pub total: u64,
}

impl Recorder {
    /// Counts `findings`.
    pub fn record(&mut self, findings: &[Finding]) {
        for finding in findings {
            *self.counts.entry(Key::of(finding)).or_insert(0) += 1;
            self.total += 1;
        }
    }

    /// The baseline file's text: pretty-printed JSON, sorted, ending with a newline.
    fn text(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            findings: self
                .counts
                .iter()
                .map(|(key, &count)| Entry {
                    rule: key.rule.clone(),
                    file: key.file.clone(),
                    member: key.member.clone(),
                    field: key.field.clone(),
                    fingerprint: key.fingerprint.clone(),
                    count,
                })
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        let _ = writeln!(text);
        text
    }

    /// Writes the baseline to `path`: to a sibling temporary file first, then renamed
    /// over it, so an interrupted run never leaves half a baseline.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".csvgate-tmp");
        std::fs::write(&temporary, self.text())?;
        std::fs::rename(&temporary, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use csvgate_diagnostics::Rule;

    use super::*;

    fn finding(rule: Rule, line: u64, message: &str) -> Finding {
        let mut finding = Finding::new(rule, message);
        finding.location.file = Arc::from("data/users.csv");
        finding.location.line = Some(line);
        finding.location.column = Some(3);
        finding.location.record = Some(line - 1);
        finding.location.field = Some("Email".into());
        finding
    }

    fn baseline_of(findings: &[Finding]) -> Baseline {
        let mut recorder = Recorder::default();
        recorder.record(findings);
        Baseline::parse(&recorder.text()).expect("reads what it wrote")
    }

    #[test]
    fn line_numbers_are_taken_out_of_messages() {
        assert_eq!(
            without_line_numbers("`a` was already used on line 12, see line 3"),
            "`a` was already used on line N, see line N"
        );
        assert_eq!(without_line_numbers("a line ends"), "a line ends");
        assert_eq!(without_line_numbers("line 7"), "line N");
    }

    #[test]
    fn rows_added_above_keep_the_fingerprints() {
        let before = [
            finding(
                Rule::InvalidEmail,
                4,
                "Email \"r03.example.com\" is not an email",
            ),
            finding(
                Rule::DuplicateKey,
                9,
                "`Email` \"a@b\" was already used on line 5",
            ),
        ];
        // Two rows inserted above: every line, record and quoted line moves by two.
        let after = [
            finding(
                Rule::InvalidEmail,
                6,
                "Email \"r03.example.com\" is not an email",
            ),
            finding(
                Rule::DuplicateKey,
                11,
                "`Email` \"a@b\" was already used on line 7",
            ),
        ];
        for (a, b) in before.iter().zip(&after) {
            assert_eq!(fingerprint(a), fingerprint(b));
        }
        let mut baseline = baseline_of(&before);
        let mut run = after.to_vec();
        baseline.absorb(&mut run);
        assert!(run.is_empty(), "{run:?}");
        assert_eq!(baseline.matched, 2);
    }

    #[test]
    fn another_value_or_field_is_a_new_finding() {
        let old = finding(Rule::InvalidEmail, 4, "Email \"x\" is not an email");
        let mut other_value = old.clone();
        other_value.message = "Email \"y\" is not an email".into();
        let mut other_field = old.clone();
        other_field.location.field = Some("Manager Email".into());
        let mut other_file = old.clone();
        other_file.location.file = Arc::from("data/other.csv");
        let mut baseline = baseline_of(&[old]);
        let mut run = vec![other_value, other_field, other_file];
        baseline.absorb(&mut run);
        assert_eq!(run.len(), 3);
        assert_eq!(baseline.matched, 0);
    }

    #[test]
    fn an_extra_identical_finding_is_new() {
        let same = |line| {
            finding(
                Rule::DuplicateRow,
                line,
                "this record repeats the record on line 2",
            )
        };
        let mut baseline = baseline_of(&[same(3), same(4), same(5)]);
        let text = {
            let mut recorder = Recorder::default();
            recorder.record(&[same(3), same(4), same(5)]);
            recorder.text()
        };
        assert!(text.contains("\"count\": 3"), "{text}");
        let mut run = vec![same(3), same(4), same(5), same(6)];
        baseline.absorb(&mut run);
        assert_eq!(run.len(), 1);
        assert_eq!(run[0].location.line, Some(6));
        assert_eq!(baseline.matched, 3);
    }

    #[test]
    fn the_file_is_sorted_and_stable() {
        let a = finding(Rule::InvalidEmail, 4, "Email \"x\" is not an email");
        let b = finding(Rule::BlankRow, 2, "an empty line");
        let mut one = Recorder::default();
        one.record(&[a.clone(), b.clone()]);
        let mut other = Recorder::default();
        other.record(&[b, a]);
        assert_eq!(one.text(), other.text());
        let text = one.text();
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"findings\": [\n"),
            "{text}"
        );
        assert!(
            text.find("blank-row") < text.find("invalid-email"),
            "{text}"
        );
        assert!(!text.contains("count"), "{text}");
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        let err = Baseline::parse("{\"version\": 1,\n \"findings\": [}").expect_err("malformed");
        assert!(err.contains("line 2 column"), "{err}");
        let err = Baseline::parse("{\"version\": 2, \"findings\": []}").expect_err("version");
        assert!(err.contains("version 2"), "{err}");
        let err = Baseline::parse("{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}")
            .expect_err("missing keys");
        assert!(err.contains("missing field"), "{err}");
        let empty = Baseline::parse("{\"version\": 1, \"findings\": []}").expect("empty");
        assert!(empty.remaining.is_empty());
    }
}
