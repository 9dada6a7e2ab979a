//! The checked schema: what the engine compiles against a file's header.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use csvgate_diagnostics::{Rule, Severity};
use regex::Regex;

/// Index of a column in [`Schema::columns`].
pub type ColumnId = usize;

/// A severity as a schema may set it: a level, or the rule turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeveritySetting {
    /// The rule does not run.
    Off,
    /// Findings get this severity.
    Level(Severity),
}

impl SeveritySetting {
    /// Parses `error`, `warning`, `info` or `off`.
    pub fn parse(text: &str) -> Option<SeveritySetting> {
        match text {
            "off" => Some(SeveritySetting::Off),
            other => other.parse().ok().map(SeveritySetting::Level),
        }
    }
}

/// The schema author's own words and severity for a column's or a rule's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleText {
    /// Replaces the built-in message; `{value}` and `{field}` are filled in.
    pub message: Option<String>,
    /// Replaces the built-in help; `{value}` and `{field}` are filled in.
    pub help: Option<String>,
    /// Replaces the rule's severity for these findings.
    pub severity: Option<SeveritySetting>,
}

/// The kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// Any text.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Number,
    /// `true` or `false`, in any case.
    Bool,
    /// An email address (`local@domain.tld`).
    Email,
    /// A ULID: 26 characters of Crockford base32.
    Ulid,
    /// A BRN: `brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>`.
    Brn,
    /// A time as Go prints it (`2024-04-27 06:33:31 +0000 UTC`), or RFC 3339.
    GoTimestamp,
    /// `YYYY-MM-DD`, a real calendar date.
    Date,
    /// `YYYY-MM-DD HH:MM:SS` or RFC 3339.
    Datetime,
    /// A Go duration such as `1h30m` or `250ms`.
    GoDuration,
    /// A JSON object.
    JsonObject,
    /// A JSON array.
    JsonArray,
    /// A delimited list (`a,b,c`) whose items must not be empty.
    List,
}

impl ValueType {
    /// Every type with its name in schema files.
    pub const ALL: &'static [(&'static str, ValueType)] = &[
        ("text", ValueType::Text),
        ("integer", ValueType::Integer),
        ("number", ValueType::Number),
        ("bool", ValueType::Bool),
        ("email", ValueType::Email),
        ("ulid", ValueType::Ulid),
        ("brn", ValueType::Brn),
        ("go-timestamp", ValueType::GoTimestamp),
        ("date", ValueType::Date),
        ("datetime", ValueType::Datetime),
        ("go-duration", ValueType::GoDuration),
        ("json-object", ValueType::JsonObject),
        ("json-array", ValueType::JsonArray),
        ("list", ValueType::List),
    ];

    /// The type's name in schema files.
    pub fn name(self) -> &'static str {
        ValueType::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("text", |(name, _)| name)
    }

    /// Looks a type up by its name in schema files.
    pub fn from_name(name: &str) -> Option<ValueType> {
        ValueType::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }

    /// Whether values of the type have an order that `order` rules can compare.
    pub fn is_ordered(self) -> bool {
        matches!(
            self,
            ValueType::Integer
                | ValueType::Number
                | ValueType::Date
                | ValueType::Datetime
                | ValueType::GoTimestamp
        )
    }
}

/// Whether two values are the same without case: ASCII ones letter by letter, any
/// others by their Unicode lowercase (so `Ümit` is `ümit`, and `K`, the Kelvin sign,
/// is `k`).
pub fn same_without_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

/// A set of allowed values, compared with or without case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// The values as the schema lists them.
    pub values: Vec<String>,
    /// Whether case matters.
    pub case_sensitive: bool,
}

impl Matcher {
    /// Whether `value` is one of the values.
    pub fn matches(&self, value: &str) -> bool {
        if self.case_sensitive {
            self.values.iter().any(|v| v == value)
        } else {
            self.values.iter().any(|v| same_without_case(v, value))
        }
    }

    /// The values listed for a person: `a, b or c`.
    pub fn describe(&self) -> String {
        let quoted: Vec<String> = self
            .values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    "empty".to_owned()
                } else {
                    format!("`{v}`")
                }
            })
            .collect();
        match quoted.split_last() {
            None => "nothing".to_owned(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }
}

/// One column of a format.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// The canonical name.
    pub name: String,
    /// Other names accepted (with a `non-canonical-header` warning).
    pub aliases: Vec<String>,
    /// What the column holds, for people.
    pub description: Option<String>,
    /// The header must contain the column.
    pub required: bool,
    /// Every data row must have a non-empty value.
    pub value_required: bool,
    /// The kind of value.
    pub value_type: ValueType,
    /// The allowed values, if restricted.
    pub enum_values: Option<Matcher>,
    /// A pattern the whole value must match.
    pub pattern: Option<Regex>,
    /// Fewest characters a non-empty value may have.
    pub min_length: Option<usize>,
    /// Most characters a value may have.
    pub max_length: Option<usize>,
    /// For `list` columns: the item separator.
    pub list_delimiter: char,
    /// For JSON columns: keys every object must have (each element's, for arrays).
    pub json_keys: Vec<String>,
    /// For JSON columns: allowed values of some keys (strings; `""` allows empty or null).
    pub json_values: BTreeMap<String, Vec<String>>,
    /// The author's wording and severity for this column's value findings.
    pub text: RuleText,
}

impl ColumnSpec {
    /// Whether any value (once present) is acceptable: plain text with no allowed
    /// values, pattern or length.
    pub fn accepts_any_value(&self) -> bool {
        self.value_type == ValueType::Text
            && self.enum_values.is_none()
            && self.pattern.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
    }
}

/// A rule on which columns the header holds.
#[derive(Debug, Clone)]
pub struct HeaderRule {
    /// What it requires.
    pub kind: HeaderRuleKind,
    /// The author's wording and severity.
    pub text: RuleText,
}

/// The header rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderRuleKind {
    /// At least one of these columns is in the header.
    OneOf(Vec<ColumnId>),
    /// When `column` is in the header, so are all of `requires`.
    Requires {
        /// The column whose presence needs others.
        column: ColumnId,
        /// The columns it needs.
        requires: Vec<ColumnId>,
    },
}

/// A rule across the fields of one row.
#[derive(Debug, Clone)]
pub struct RowRule {
    /// What it requires.
    pub kind: RowRuleKind,
    /// The author's wording and severity.
    pub text: RuleText,
}

/// The row rules.
#[derive(Debug, Clone)]
pub enum RowRuleKind {
    /// Both values are empty or both are not.
    Pair(ColumnId, ColumnId),
    /// A non-empty `column` needs non-empty values in all of `requires`.
    Requires {
        /// The column whose value needs others.
        column: ColumnId,
        /// The columns it needs.
        requires: Vec<ColumnId>,
    },
    /// When `column`'s value is one of `values`, `requires` must be non-empty.
    When {
        /// The condition's column.
        column: ColumnId,
        /// The values that trigger the condition.
        values: Matcher,
        /// The columns then required.
        requires: Vec<ColumnId>,
    },
    /// At least one of these values is non-empty.
    OneOf(Vec<ColumnId>),
    /// `before`'s value is not after `after`'s (strictly before, if `strict`).
    Order {
        /// The earlier column.
        before: ColumnId,
        /// The later column.
        after: ColumnId,
        /// Whether equal values are out of order.
        strict: bool,
    },
    /// `column`'s value equals the first capture group of `part` matched on `with`.
    Agree {
        /// The column that must agree.
        column: ColumnId,
        /// The column a part of which it must agree with.
        with: ColumnId,
        /// Extracts the part (capture group 1).
        part: Regex,
        /// Whether case matters in the comparison.
        case_sensitive: bool,
    },
}

/// A rule across the rows of a file.
#[derive(Debug, Clone)]
pub struct CrossRowRule {
    /// What it requires.
    pub kind: CrossRowRuleKind,
    /// The author's wording and severity.
    pub text: RuleText,
}

/// The cross-row rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrossRowRuleKind {
    /// Each of these columns determines the others: a non-empty value in one always
    /// appears with the same non-empty values in the rest (identity consistency).
    Consistent {
        /// The columns.
        columns: Vec<ColumnId>,
        /// The columns whose values compare without case.
        ignore_case: Vec<ColumnId>,
    },
    /// A non-empty `key` always appears with the same values in `determines`.
    Determines {
        /// The key column.
        key: ColumnId,
        /// The columns it determines.
        determines: Vec<ColumnId>,
        /// The columns whose values compare without case.
        ignore_case: Vec<ColumnId>,
    },
    /// No two rows share these values (all of them empty is not a key).
    Unique(Vec<ColumnId>),
}

/// A checked schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The schema's name (`entitlements-upload`).
    pub name: String,
    /// One line for `csvgate schemas`.
    pub description: String,
    /// The file the schema was read from, as given.
    pub origin: String,
    /// The schema file's text.
    pub source: Arc<str>,
    /// File-name globs that select the schema when none is named.
    pub file_names: Vec<String>,
    /// The field delimiter.
    pub delimiter: u8,
    /// Severity changes for whole rules (`[rules]`).
    pub rule_severity: HashMap<Rule, SeveritySetting>,
    /// The columns, in the order the schema lists them (the template's order).
    pub columns: Vec<ColumnSpec>,
    /// Rules on the header.
    pub header_rules: Vec<HeaderRule>,
    /// Rules within a row.
    pub row_rules: Vec<RowRule>,
    /// Rules across rows.
    pub cross_row_rules: Vec<CrossRowRule>,
}

impl Schema {
    /// The column with this canonical name.
    pub fn column_id(&self, name: &str) -> Option<ColumnId> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_the_same_without_case_in_any_script() {
        assert!(same_without_case("Identity", "iDENTITY"));
        assert!(same_without_case("ÜMIT", "ümit"));
        assert!(same_without_case("\u{212A}", "k"));
        assert!(!same_without_case("ümit", "umit"));
        assert!(!same_without_case("a", "ab"));
        let matcher = Matcher {
            values: vec!["Straße".to_owned()],
            case_sensitive: false,
        };
        assert!(matcher.matches("STRAßE"));
        assert!(!matcher.matches("strasse"));
    }
}
