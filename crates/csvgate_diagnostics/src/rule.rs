//! The rule catalogue: every rule's stable name, group and default severity.
//!
//! The names are part of csvgate's outside contract (CONTRACT.md): scripts gate on them,
//! so a name never changes once published.

use std::fmt;
use std::str::FromStr;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably wrong; fails a run only with `--fail-on warning`.
    Warning,
    /// Wrong; the upload would be rejected or would import bad data.
    Error,
}

impl Severity {
    /// The lowercase name used in output and in schema files.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}`, expected error, warning or info"
            )),
        }
    }
}

/// The catalogue's groups, which are also names for selecting rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleGroup {
    /// File and record structure: encoding, quoting, field counts.
    Structure,
    /// The header row against the schema.
    Header,
    /// Single values against their column's type.
    Values,
    /// Across fields, rows and files.
    Rows,
}

impl RuleGroup {
    /// The group's name as written in the catalogue.
    pub fn name(self) -> &'static str {
        match self {
            RuleGroup::Structure => "structure",
            RuleGroup::Header => "header",
            RuleGroup::Values => "values",
            RuleGroup::Rows => "rows",
        }
    }
}

macro_rules! catalogue {
    ($( $variant:ident => $name:literal, $group:ident, $severity:ident, $fixable:literal, $summary:literal; )*) => {
        /// A rule of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in catalogue order (which is also the order findings at one
            /// place are sorted in).
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The catalogue group the rule belongs to.
            pub fn group(self) -> RuleGroup {
                match self { $(Rule::$variant => RuleGroup::$group,)* }
            }

            /// The severity a finding has unless a schema or config changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// Whether `--fix` can repair the finding safely.
            pub fn is_fixable(self) -> bool {
                match self { $(Rule::$variant => $fixable,)* }
            }

            /// One line saying what the rule finds.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }
        }
    };
}

catalogue! {
    EmptyFile => "empty-file", Structure, Error, false, "The file has no header row at all.";
    BinaryFile => "binary-file", Structure, Error, false, "The file is not UTF-8 text: an image, an archive, a spreadsheet, or UTF-16 text.";
    InvalidUtf8 => "invalid-utf8", Structure, Error, false, "Bytes that are not UTF-8.";
    Utf8Bom => "utf8-bom", Structure, Warning, true, "The file starts with a UTF-8 byte order mark.";
    UnclosedQuote => "unclosed-quote", Structure, Error, false, "A quoted field is still open at the end of the file.";
    StrayQuote => "stray-quote", Structure, Error, false, "A quote inside an unquoted field, or text after a closing quote.";
    RaggedRow => "ragged-row", Structure, Error, false, "A record with more or fewer fields than the header.";
    OversizedRecord => "oversized-record", Structure, Error, false, "A record longer than csvgate reads in one piece (8 MiB) without a line break.";
    BlankRow => "blank-row", Structure, Warning, true, "An empty line, or a record whose fields are all empty.";
    MixedLineEndings => "mixed-line-endings", Structure, Warning, false, "Both CRLF and LF record terminators in one file.";
    SurroundingWhitespace => "surrounding-whitespace", Structure, Warning, true, "A value with leading or trailing spaces.";
    DuplicateRow => "duplicate-row", Structure, Warning, false, "A record identical to an earlier one.";
    BlankHeader => "blank-header", Header, Error, false, "An empty column name.";
    DuplicateHeader => "duplicate-header", Header, Error, false, "The same column name twice.";
    MissingColumn => "missing-column", Header, Error, false, "A column the schema requires, alone or because another present column needs it.";
    UnknownColumn => "unknown-column", Header, Warning, false, "A column the schema does not know.";
    NonCanonicalHeader => "non-canonical-header", Header, Warning, true, "A known column spelled another way: case, spaces, a trailing `*`, an alias.";
    ShiftedColumns => "shifted-columns", Header, Warning, false, "The values sit one column away from their names.";
    MissingValue => "missing-value", Values, Error, false, "A required value is empty.";
    InvalidBoolean => "invalid-boolean", Values, Error, false, "The value is not a boolean.";
    InvalidEmail => "invalid-email", Values, Error, false, "The value is not an email address.";
    InvalidDate => "invalid-date", Values, Error, false, "The value is not a YYYY-MM-DD calendar date.";
    InvalidDatetime => "invalid-datetime", Values, Error, false, "The value is not a date and time.";
    InvalidTimestamp => "invalid-timestamp", Values, Error, false, "The value is not a timestamp in Go's or RFC 3339 form.";
    InvalidDuration => "invalid-duration", Values, Error, false, "The value is not a Go duration.";
    InvalidUlid => "invalid-ulid", Values, Error, false, "The value is not a ULID.";
    InvalidBrn => "invalid-brn", Values, Error, false, "The value is not a BRN.";
    InvalidJson => "invalid-json", Values, Error, false, "The value is not JSON of the expected kind, or lacks a required key.";
    InvalidNumber => "invalid-number", Values, Error, false, "The value is not a number of the column's kind (integer or number).";
    InvalidEnum => "invalid-enum", Values, Error, false, "The value is not one of the allowed values.";
    PatternMismatch => "pattern-mismatch", Values, Error, false, "The value does not match the column's pattern.";
    InvalidLength => "invalid-length", Values, Error, false, "The value is shorter or longer than the column allows.";
    InvalidList => "invalid-list", Values, Warning, false, "An empty item in a delimited list.";
    IncompletePair => "incomplete-pair", Rows, Error, false, "One of two columns that go together is empty.";
    MissingDependency => "missing-dependency", Rows, Error, false, "A value that needs other values is present without them.";
    MissingOneOf => "missing-one-of", Rows, Error, false, "None of a group of columns has a value.";
    InconsistentValues => "inconsistent-values", Rows, Error, false, "A key seen earlier with another value in a column that it determines.";
    DuplicateKey => "duplicate-key", Rows, Error, false, "A value, or combination, that must be unique was seen before.";
    DanglingReference => "dangling-reference", Rows, Error, false, "A reference to a key that the referenced file does not hold.";
    ValueOrder => "value-order", Rows, Error, false, "Values out of order, such as a completion date before its creation date.";
    FieldMismatch => "field-mismatch", Rows, Warning, false, "Two fields that must agree do not.";
    MissingMember => "missing-member", Rows, Error, false, "A bundle without a member it needs.";
    UnexpectedMember => "unexpected-member", Rows, Warning, false, "A bundle with a member it does not know.";
    NoSchema => "no-schema", Rows, Warning, false, "No schema matched this input; only structural checks ran.";
}

impl Rule {
    /// Looks a rule up by its catalogue name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.name() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &rule in Rule::ALL {
            assert!(seen.insert(rule.name()), "{} twice", rule.name());
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
        }
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }

    #[test]
    fn fixable_rules_are_the_contract_ones() {
        let fixable: Vec<_> = Rule::ALL
            .iter()
            .filter(|r| r.is_fixable())
            .map(|r| r.name())
            .collect();
        assert_eq!(
            fixable,
            [
                "utf8-bom",
                "blank-row",
                "surrounding-whitespace",
                "non-canonical-header"
            ]
        );
    }
}
