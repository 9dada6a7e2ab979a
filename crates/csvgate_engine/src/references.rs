//! References across the files of a bundle: the key values one member collects, and
//! the lookups another member makes into them.
//!
//! A bundle's members are checked one after the other, referenced members first
//! ([`csvgate_schema::Bundle::check_order`]), so a referring member is checked with the
//! complete set of keys at hand and its `dangling-reference` findings are placed like
//! any other finding, while the record is in memory. Keys are kept as 128-bit hashes.

use std::io::{self, Read};
use std::sync::Arc;

use csvgate_diagnostics::{Finding, Rule};
use csvgate_schema::{Bundle, ColumnId, RuleText, Schema};
use foldhash::HashSet;

use crate::check::{check_linked, FileReport, Input, Options};
use crate::header::Binding;
use crate::key_table::hash128;
use crate::place::{Draft, RecordCtx, Sink};
use crate::values::show;

/// The values of one key column of one member.
#[derive(Default)]
pub(crate) struct KeySet(HashSet<u128>);

/// A 128-bit hash of a key: at 128 bits two distinct keys never share one in practice.
fn key_hash(value: &str) -> u128 {
    let [high, low] = hash128(value.as_bytes());
    (u128::from(high) << 64) | u128::from(low)
}

/// A column whose values must be keys of another member.
pub(crate) struct Lookup<'s> {
    column: ColumnId,
    keys: &'s KeySet,
    target_file: &'s str,
    target_column: &'s str,
    text: &'s RuleText,
}

/// What one member's check does for the bundle: collect keys, look values up.
#[derive(Default)]
pub(crate) struct MemberLinks<'s> {
    /// Key columns whose values this member collects, with the reference each serves.
    collect: Vec<(ColumnId, usize, KeySet)>,
    lookups: Vec<Lookup<'s>>,
}

impl MemberLinks<'_> {
    /// Collects keys from, and checks references of, one data record.
    pub(crate) fn check(
        &mut self,
        schema: &Schema,
        binding: &Binding,
        rec: &RecordCtx<'_>,
        sink: &mut Sink<'_>,
    ) {
        for (column, _, keys) in &mut self.collect {
            if let Some(field) = binding.column_field[*column] {
                let value = rec.value(field);
                if !value.is_empty() {
                    keys.0.insert(key_hash(value));
                }
            }
        }
        for lookup in &self.lookups {
            let Some(field) = binding.column_field[lookup.column] else {
                continue;
            };
            let value = rec.value(field);
            if value.is_empty() || lookup.keys.0.contains(&key_hash(value)) {
                continue;
            }
            let name = &schema.columns[lookup.column].name;
            let draft = Draft::new(
                Rule::DanglingReference,
                format!(
                    "`{name}` {} is not a `{}` of {}",
                    show(value),
                    lookup.target_column,
                    lookup.target_file
                ),
            )
            .help(format!(
                "add it to {}, or correct the value",
                lookup.target_file
            ))
            .field(name.as_str())
            .value(value)
            .text(lookup.text);
            sink.at_field(rec, field, draft);
        }
    }
}

/// The check of one bundle: its members one by one, referenced members first, then the
/// members the bundle lacks or does not know.
pub struct BundleRun<'b> {
    bundle: &'b Bundle,
    /// For each reference, the target's keys once the target has been checked.
    keys: Vec<Option<KeySet>>,
}

impl<'b> BundleRun<'b> {
    /// A run of `bundle`, nothing checked yet.
    pub fn new(bundle: &'b Bundle) -> BundleRun<'b> {
        BundleRun {
            bundle,
            keys: bundle.references.iter().map(|_| None).collect(),
        }
    }

    /// Checks member `member` (an index into the bundle's members). Check the members
    /// in [`Bundle::check_order`], so that references find their keys.
    ///
    /// # Errors
    ///
    /// Only those of reading the input.
    pub fn check_member<R: Read>(
        &mut self,
        member: usize,
        input: Input<R>,
        options: &Options,
    ) -> io::Result<FileReport> {
        let bundle = self.bundle;
        let mut links = MemberLinks::default();
        for (index, reference) in bundle.references.iter().enumerate() {
            if reference.target == member {
                links
                    .collect
                    .push((reference.target_column, index, KeySet::default()));
            }
            if reference.member == member {
                let Some(keys) = &self.keys[index] else {
                    continue;
                };
                let target = &bundle.members[reference.target];
                for &column in &reference.columns {
                    links.lookups.push(Lookup {
                        column,
                        keys,
                        target_file: &target.file,
                        target_column: &target.schema.columns[reference.target_column].name,
                        text: &reference.text,
                    });
                }
            }
        }
        let schema = &bundle.members[member].schema;
        let (report, links) = check_linked(input, schema, options, links, &bundle.name)?;
        let collected = links.collect;
        for (_, index, keys) in collected {
            self.keys[index] = Some(keys);
        }
        Ok(report)
    }
}

/// The bundle-level findings of an archive holding `names`: `missing-member` for each
/// member it lacks, `unexpected-member` for each file the bundle does not know.
pub fn member_findings(bundle: &Bundle, file: &Arc<str>, names: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for member in &bundle.members {
        if !names.iter().any(|n| {
            bundle
                .member_named(n)
                .is_some_and(|i| bundle.members[i].file == member.file)
        }) {
            let mut finding = Finding::new(
                Rule::MissingMember,
                format!(
                    "the {} bundle lacks its member `{}`",
                    bundle.name, member.file
                ),
            )
            .with_help(format!(
                "add `{}` ({}) to the archive",
                member.file, member.schema.description
            ));
            finding.location.file = file.clone();
            findings.push(finding);
        }
    }
    for name in names {
        if bundle.member_named(name).is_none() {
            let known: Vec<&str> = bundle.members.iter().map(|m| m.file.as_str()).collect();
            let mut finding = Finding::new(
                Rule::UnexpectedMember,
                format!("`{name}` is not a member of the {} bundle", bundle.name),
            )
            .with_help(format!(
                "the bundle holds {}; remove the file from the archive",
                known.join(" and ")
            ));
            finding.location.file = file.clone();
            finding.location.member = Some(name.as_str().into());
            findings.push(finding);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        let schema = |name: &str| {
            let text = match name {
                "keys" => "name = \"keys\"\n[[column]]\nname = \"BRN\"\n",
                "refs" => {
                    "name = \"refs\"\n[[column]]\nname = \"Parent\"\n[[column]]\nname = \"Child\"\n"
                }
                _ => return None,
            };
            Schema::parse(name, text).ok()
        };
        let text = r#"
name = "b"
description = "two files"
[[member]]
file = "refs.csv"
schema = "refs"
[[member]]
file = "keys.csv"
schema = "keys"
[[reference]]
member = "refs.csv"
columns = ["Parent", "Child"]
target = "keys.csv"
target-column = "BRN"
"#;
        Bundle::parse("b.toml", text, schema).unwrap()
    }

    #[test]
    fn every_missing_reference_is_reported_at_its_field() {
        let bundle = bundle();
        let mut run = BundleRun::new(&bundle);
        let order = bundle.check_order();
        assert_eq!(order, [1, 0]);
        let options = Options {
            snippets: false,
            ..Options::default()
        };
        let keys = "BRN\nb:1\n\" b:2 \"\n";
        let report = run
            .check_member(1, Input::new("keys.csv", keys.as_bytes()), &options)
            .unwrap();
        assert!(report
            .findings
            .iter()
            .all(|f| f.rule != Rule::DanglingReference));
        let refs = "Parent,Child\nb:1,b:2\nb:1,b:9\nb:8,\n";
        let report = run
            .check_member(0, Input::new("refs.csv", refs.as_bytes()), &options)
            .unwrap();
        let dangling: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == Rule::DanglingReference)
            .map(|f| {
                (
                    f.location.line,
                    f.location.column,
                    f.location.field.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            dangling,
            [
                (Some(3), Some(5), Some("Child")),
                (Some(4), Some(1), Some("Parent"))
            ]
        );
    }

    #[test]
    fn archives_report_missing_and_unknown_members() {
        let bundle = bundle();
        let file: Arc<str> = "export.zip".into();
        let names = ["dir/KEYS.csv".to_owned(), "notes.txt".to_owned()];
        let findings = member_findings(&bundle, &file, &names);
        let rules: Vec<_> = findings
            .iter()
            .map(|f| (f.rule, f.location.member.as_deref()))
            .collect();
        assert_eq!(
            rules,
            [
                (Rule::MissingMember, None),
                (Rule::UnexpectedMember, Some("notes.txt"))
            ]
        );
    }
}
