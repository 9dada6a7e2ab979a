//! Memory that does not grow with the number of findings, when the report will not
//! show them all: a file with a defect on every one of its ten million rows would
//! otherwise hold ten million findings until it ends. Beyond the first few findings
//! of each rule on each field (all that a person's report shows of them), findings
//! are only counted.

use std::collections::BTreeMap;

use csvgate_diagnostics::{Finding, Rule, Severity};

/// Findings of one rule on one field at one severity that were counted, not kept: they
/// come after the kept ones of their group, in report order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    /// The rule.
    pub rule: Rule,
    /// The field they are on, as in their findings' location.
    pub field: Option<String>,
    /// Their severity.
    pub severity: Severity,
    /// How many.
    pub count: u64,
}

/// A group of findings: kept or held back together.
type Group = (Rule, Option<String>, Severity);

/// Keeps the first findings of each group, counts the rest.
#[derive(Debug, Clone)]
pub(crate) struct Keeper {
    keep: usize,
    /// The number of findings at which to cut again.
    next: usize,
    held: BTreeMap<Group, u64>,
}

/// Findings gathered between two cuts, at least: cutting costs a pass over them all.
const CUT_EVERY: usize = 4096;

impl Keeper {
    /// Keeps `keep` findings of each group.
    pub(crate) fn new(keep: usize) -> Keeper {
        Keeper {
            keep,
            next: CUT_EVERY,
            held: BTreeMap::new(),
        }
    }

    /// A keeper with the same setting, nothing counted.
    pub(crate) fn fresh(&self) -> Keeper {
        Keeper::new(self.keep)
    }

    /// Whether `findings` have grown enough to be cut again.
    pub(crate) fn due(&self, findings: &[Finding]) -> bool {
        findings.len() >= self.next
    }

    /// Cuts each group of `findings` to its first `keep` in report order (equal
    /// places in the order they were made, as the final stable sort orders them),
    /// counting the others; the kept ones stay in their order.
    pub(crate) fn cut(&mut self, findings: &mut Vec<Finding>) {
        let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
        for (index, finding) in findings.iter().enumerate() {
            groups.entry(group(finding)).or_default().push(index);
        }
        let mut dropped = vec![false; findings.len()];
        for (key, mut members) in groups {
            if members.len() <= self.keep {
                continue;
            }
            members.select_nth_unstable_by_key(self.keep, |&i| (findings[i].sort_key(), i));
            for &index in &members[self.keep..] {
                dropped[index] = true;
            }
            *self.held.entry(key).or_insert(0) += (members.len() - self.keep) as u64;
        }
        let mut index = 0;
        findings.retain(|_| {
            index += 1;
            !dropped[index - 1]
        });
        self.next = (findings.len() * 2).max(findings.len() + CUT_EVERY);
    }

    /// Adds what `other` counted.
    pub(crate) fn absorb(&mut self, other: Keeper) {
        for (key, count) in other.held {
            *self.held.entry(key).or_insert(0) += count;
        }
    }

    /// Forgets the findings of `rule` counted so far (they were withdrawn).
    pub(crate) fn forget(&mut self, rule: Rule) {
        self.held.retain(|(held, _, _), _| *held != rule);
    }

    /// What was held back, by group.
    pub(crate) fn into_held_back(self) -> Vec<HeldBack> {
        self.held
            .into_iter()
            .map(|((rule, field, severity), count)| HeldBack {
                rule,
                field,
                severity,
                count,
            })
            .collect()
    }
}

fn group(finding: &Finding) -> Group {
    (
        finding.rule,
        finding.location.field.clone(),
        finding.severity,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: Rule, field: &str, offset: u64) -> Finding {
        let mut finding = Finding::new(rule, format!("at {offset}"));
        finding.location.field = Some(field.to_owned());
        finding.location.byte_offset = Some(offset);
        finding
    }

    #[test]
    fn each_group_keeps_its_first_findings_in_order_and_counts_the_rest() {
        let mut findings = vec![
            finding(Rule::MissingValue, "Email", 50),
            finding(Rule::MissingValue, "Email", 10),
            finding(Rule::MissingValue, "Name", 5),
            finding(Rule::MissingValue, "Email", 30),
            finding(Rule::InvalidEmail, "Email", 40),
            finding(Rule::MissingValue, "Email", 20),
        ];
        let mut keeper = Keeper::new(2);
        keeper.cut(&mut findings);
        let kept: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(kept, ["at 10", "at 5", "at 40", "at 20"]);
        let held = keeper.into_held_back();
        assert_eq!(held.len(), 1);
        assert_eq!(
            (held[0].rule, held[0].field.as_deref(), held[0].count),
            (Rule::MissingValue, Some("Email"), 2)
        );
    }
}
