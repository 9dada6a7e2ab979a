//! Mistakes in a schema file, as diagnostics that point into the file.

use std::fmt;
use std::ops::Range;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

/// What kind of mistake a schema file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaErrorKind {
    /// Not valid TOML, an unknown key, or a value of the wrong kind.
    Syntax,
    /// A rule names a column the schema does not declare.
    UnknownColumn,
    /// An unknown value type.
    UnknownType,
    /// A pattern that is not a valid regular expression.
    InvalidRegex,
    /// Any other value that makes no sense where it stands.
    InvalidValue,
}

impl SchemaErrorKind {
    fn code(self) -> &'static str {
        match self {
            SchemaErrorKind::Syntax => "csvgate::schema::syntax",
            SchemaErrorKind::UnknownColumn => "csvgate::schema::unknown-column",
            SchemaErrorKind::UnknownType => "csvgate::schema::unknown-type",
            SchemaErrorKind::InvalidRegex => "csvgate::schema::invalid-regex",
            SchemaErrorKind::InvalidValue => "csvgate::schema::invalid-value",
        }
    }
}

/// A mistake in a schema file, pointing at the place in the file.
///
/// The details live behind a box, so that a `Result<_, SchemaError>` stays one pointer
/// wide however much the error carries (its message, help and the schema's text).
#[derive(Debug)]
pub struct SchemaError(Box<Inner>);

/// The details of a [`SchemaError`].
#[derive(Debug)]
struct Inner {
    kind: SchemaErrorKind,
    message: String,
    label: String,
    help: Option<String>,
    span: Option<Range<usize>>,
    source: NamedSource<String>,
}

impl SchemaError {
    pub(crate) fn new(
        kind: SchemaErrorKind,
        origin: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> SchemaError {
        SchemaError(Box::new(Inner {
            kind,
            label: "here".to_owned(),
            message: message.into(),
            help: None,
            span,
            source: NamedSource::new(origin, text.to_owned()).with_language("toml"),
        }))
    }

    pub(crate) fn with_label(mut self, label: impl Into<String>) -> SchemaError {
        self.0.label = label.into();
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> SchemaError {
        self.0.help = Some(help.into());
        self
    }

    /// What kind of mistake it is.
    pub fn kind(&self) -> SchemaErrorKind {
        self.0.kind
    }

    /// The byte range in the schema file the mistake is at, if known.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.span.clone()
    }

    /// The 1-based line and column the mistake starts at, if known.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        line_column(self.0.source.inner(), self.0.span.as_ref()?.start)
    }
}

/// The 1-based line and character column of byte `offset` in `text` (a TOML file being
/// reported on); `None` if the offset is not inside the text.
pub fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((line, before[line_start..].chars().count() + 1))
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid schema {}", self.0.source.name())?;
        if let Some((line, column)) = self.line_column() {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.0.message)
    }
}

impl std::error::Error for SchemaError {}

impl Diagnostic for SchemaError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span.clone()?;
        let len = span.end.saturating_sub(span.start).max(1);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.0.label.clone()), (span.start, len)),
        )))
    }
}
