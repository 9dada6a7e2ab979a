//! One problem found in an input, with everything a renderer needs to show it.

use std::sync::Arc;

use crate::{Rule, Severity};

/// Where a finding is: the input, and inside it the line, column, record and field.
///
/// Lines and columns are 1-based; the column counts characters, not bytes, and points
/// at the field's first character (its opening quote if quoted). A file-level finding
/// has no line, column or record; a header finding has record 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The input path as the user gave it (for a zip member, the zip's path).
    pub file: Arc<str>,
    /// The member's name inside a zip, if any.
    pub member: Option<Arc<str>>,
    /// Byte offset into the input of the place the finding points at; used for ordering.
    pub byte_offset: Option<u64>,
    /// 1-based physical line.
    pub line: Option<u64>,
    /// 1-based character column on that line.
    pub column: Option<u64>,
    /// Data record number; the header is record 0.
    pub record: Option<u64>,
    /// The column's canonical name from the schema, else the header text.
    pub field: Option<String>,
}

/// Another place involved in a finding, such as the earlier row of a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The input path of the other place.
    pub file: Arc<str>,
    /// The zip member of the other place, if any.
    pub member: Option<Arc<str>>,
    /// 1-based physical line of the other place.
    pub line: Option<u64>,
    /// 1-based character column of the other place.
    pub column: Option<u64>,
    /// What the other place has to do with the finding.
    pub message: String,
}

/// A short excerpt of the input around a finding, captured while the record was in
/// memory so that renderers never have to read the input again (it may be stdin or a
/// zip member, or gigabytes long).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The 1-based line number of the excerpt's first line.
    pub first_line: u64,
    /// The excerpt: whole physical lines, without their terminators, possibly cut short
    /// at a character boundary when a line is very long.
    pub text: String,
    /// Byte range inside `text` to underline.
    pub span: std::ops::Range<usize>,
    /// Whether the excerpt was cut before the line's end.
    pub truncated: bool,
}

/// One problem in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The catalogue rule that found it.
    pub rule: Rule,
    /// Its severity after schema and configuration overrides.
    pub severity: Severity,
    /// One sentence for a person, naming the value and what was expected.
    pub message: String,
    /// A hint for the fix, if there is one.
    pub help: Option<String>,
    /// Where it is.
    pub location: Location,
    /// Other places involved.
    pub related: Vec<Related>,
    /// The source excerpt to show, when it was captured.
    pub snippet: Option<Snippet>,
}

impl Finding {
    /// A finding with the rule's default severity and no location yet.
    pub fn new(rule: Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            help: None,
            location: Location::default(),
            related: Vec::new(),
            snippet: None,
        }
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// The order findings are reported in: by input position, then catalogue order.
    /// File-level findings come first. Equal keys keep their emission order when sorted
    /// stably, which is deterministic because emission order is.
    pub fn sort_key(&self) -> (Option<u64>, Option<u64>, Rule) {
        (self.location.byte_offset, self.location.record, self.rule)
    }
}
