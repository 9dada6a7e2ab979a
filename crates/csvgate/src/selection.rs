//! `--select` and `--ignore`: which rules' findings exist for a run.
//!
//! Each entry names a rule (`invalid-email`) or a catalogue group (`structure`,
//! `header`, `values`, `rows`). A rule is decided by the most specific entry that
//! names it: a rule name wins over its group, and between entries of the same
//! specificity `--ignore` wins over `--select`. A rule that no entry names is
//! selected unless `--select` was given.

use std::fmt;

use csvgate_diagnostics::{Finding, Rule, RuleGroup};

/// The catalogue's groups, in catalogue order.
const GROUPS: [RuleGroup; 4] = [
    RuleGroup::Structure,
    RuleGroup::Header,
    RuleGroup::Values,
    RuleGroup::Rows,
];

/// One entry of `--select` or `--ignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// A rule, by its name.
    Rule(Rule),
    /// Every rule of a catalogue group.
    Group(RuleGroup),
}

impl Selector {
    /// Reads a rule or group name (surrounding spaces are ignored).
    pub fn parse(text: &str) -> Result<Selector, UnknownName> {
        let name = text.trim();
        if let Some(rule) = Rule::from_name(name) {
            return Ok(Selector::Rule(rule));
        }
        if let Some(&group) = GROUPS.iter().find(|group| group.name() == name) {
            return Ok(Selector::Group(group));
        }
        let names = GROUPS
            .iter()
            .map(|group| group.name())
            .chain(Rule::ALL.iter().map(|rule| rule.name()));
        Err(UnknownName {
            name: name.to_owned(),
            near: csvgate_schema::suggest(name, names),
        })
    }

    /// How specific the entry is: a rule name is more specific than a group.
    fn specificity(self) -> u8 {
        match self {
            Selector::Group(_) => 1,
            Selector::Rule(_) => 2,
        }
    }

    fn names(self, rule: Rule) -> bool {
        match self {
            Selector::Rule(named) => named == rule,
            Selector::Group(group) => rule.group() == group,
        }
    }
}

/// A name that is neither a rule nor a group, with the closest one if any is close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    name: String,
    near: Option<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule or group `{}`", self.name)?;
        if let Some(near) = self.near {
            write!(f, "; did you mean `{near}`?")?;
        }
        f.write_str(" (`csvgate explain` lists every rule; the groups are structure, header, values and rows)")
    }
}

impl std::error::Error for UnknownName {}

/// The rules whose findings a run keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Indexed by the rule's position in [`Rule::ALL`].
    selected: Vec<bool>,
}

impl Selection {
    /// The selection `--select` and `--ignore` describe (no `--select`: every rule).
    pub fn new(select: &[Selector], ignore: &[Selector]) -> Selection {
        let selected = Rule::ALL
            .iter()
            .map(|&rule| {
                // The most specific entry naming the rule, `--ignore` first on a tie
                // (`max_by_key` keeps the last of equal keys).
                let decided = select
                    .iter()
                    .map(|entry| (entry, true))
                    .chain(ignore.iter().map(|entry| (entry, false)))
                    .filter(|(entry, _)| entry.names(rule))
                    .max_by_key(|(entry, _)| entry.specificity());
                match decided {
                    Some((_, selected)) => selected,
                    None => select.is_empty(),
                }
            })
            .collect();
        Selection { selected }
    }

    /// Whether findings of `rule` are kept.
    pub fn contains(&self, rule: Rule) -> bool {
        // `Rule::ALL` lists the variants in declaration order.
        self.selected.get(rule as usize).copied().unwrap_or(true)
    }

    /// Whether every rule is kept.
    pub fn is_everything(&self) -> bool {
        self.selected.iter().all(|&selected| selected)
    }

    /// Drops the findings of rules that are not selected.
    pub fn filter(&self, findings: &mut Vec<Finding>) {
        if !self.is_everything() {
            findings.retain(|finding| self.contains(finding.rule));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(names: &[&str]) -> Vec<Selector> {
        names
            .iter()
            .map(|name| Selector::parse(name).expect("a known name"))
            .collect()
    }

    fn selected(select: &[&str], ignore: &[&str]) -> Vec<&'static str> {
        let selection = Selection::new(&selectors(select), &selectors(ignore));
        Rule::ALL
            .iter()
            .filter(|&&rule| selection.contains(rule))
            .map(|rule| rule.name())
            .collect()
    }

    fn group(group: RuleGroup) -> Vec<&'static str> {
        Rule::ALL
            .iter()
            .filter(|rule| rule.group() == group)
            .map(|rule| rule.name())
            .collect()
    }

    #[test]
    fn names_and_groups_parse() {
        assert_eq!(
            Selector::parse("invalid-email"),
            Ok(Selector::Rule(Rule::InvalidEmail))
        );
        assert_eq!(
            Selector::parse(" rows "),
            Ok(Selector::Group(RuleGroup::Rows))
        );
        for group in GROUPS {
            assert_eq!(Selector::parse(group.name()), Ok(Selector::Group(group)));
            assert!(
                Rule::from_name(group.name()).is_none(),
                "{} is a group and a rule",
                group.name()
            );
        }
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let err = Selector::parse("valuse").expect_err("not a name");
        assert_eq!(err.near, Some("values"));
        assert!(err
            .to_string()
            .starts_with("unknown rule or group `valuse`; did you mean `values`?"));
        let err = Selector::parse("invalid-emial").expect_err("not a name");
        assert_eq!(err.near, Some("invalid-email"));
        let err = Selector::parse("zzz").expect_err("not a name");
        assert_eq!(err.near, None);
        assert!(Selector::parse("").is_err());
    }

    #[test]
    fn rules_index_the_catalogue() {
        for (index, &rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(rule as usize, index);
        }
    }

    #[test]
    fn nothing_given_selects_everything() {
        let selection = Selection::new(&[], &[]);
        assert!(selection.is_everything());
        assert_eq!(selected(&[], &[]).len(), Rule::ALL.len());
    }

    #[test]
    fn select_keeps_only_what_it_names() {
        assert_eq!(selected(&["values"], &[]), group(RuleGroup::Values));
        assert_eq!(
            selected(&["invalid-email", "header"], &[]),
            [group(RuleGroup::Header), vec!["invalid-email"]].concat()
        );
    }

    #[test]
    fn ignore_removes_from_everything() {
        let all = selected(&["structure"], &["utf8-bom"]);
        assert!(!all.contains(&"utf8-bom"));
        assert_eq!(all.len(), group(RuleGroup::Structure).len() - 1);
        let without_rows = selected(&[], &["rows"]);
        assert_eq!(
            without_rows.len(),
            Rule::ALL.len() - group(RuleGroup::Rows).len()
        );
        assert!(!Selection::new(&[], &selectors(&["rows"])).is_everything());
    }

    #[test]
    fn a_rule_name_wins_over_a_group() {
        // Ignored by name inside a selected group: ignored.
        let rows = selected(&["rows"], &["missing-one-of"]);
        assert!(!rows.contains(&"missing-one-of"));
        assert_eq!(rows.len(), group(RuleGroup::Rows).len() - 1);
        // Selected by name inside an ignored group: selected.
        assert_eq!(selected(&["invalid-email"], &["values"]), ["invalid-email"]);
        assert_eq!(
            selected(&["values", "invalid-email"], &["values"]),
            ["invalid-email"]
        );
        // The order of the entries does not matter.
        assert_eq!(
            selected(&["invalid-email", "values"], &["values"]),
            ["invalid-email"]
        );
    }

    #[test]
    fn on_equal_specificity_ignore_wins() {
        assert!(selected(&["values"], &["values"]).is_empty());
        assert!(selected(&["invalid-email"], &["invalid-email"]).is_empty());
        assert_eq!(
            selected(&["invalid-email", "invalid-date"], &["invalid-email"]),
            ["invalid-date"]
        );
    }

    #[test]
    fn filter_drops_deselected_findings() {
        let selection = Selection::new(&selectors(&["values"]), &selectors(&["invalid-email"]));
        let mut findings = vec![
            Finding::new(Rule::InvalidEmail, "a"),
            Finding::new(Rule::InvalidBoolean, "b"),
            Finding::new(Rule::RaggedRow, "c"),
        ];
        selection.filter(&mut findings);
        let rules: Vec<_> = findings.iter().map(|finding| finding.rule).collect();
        assert_eq!(rules, [Rule::InvalidBoolean]);
    }
}
