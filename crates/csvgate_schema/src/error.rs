//! Mistakes in a schema file, as diagnostics that point into the file.

use std::fmt;
use std::ops::Range;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan,
    SpanContents,
};

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
    source: MistakeSource,
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
            source: MistakeSource::new(origin, text, span),
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
        self.0.source.span.clone()
    }

    /// The 1-based line and column the mistake starts at, if known.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.0.source.line_column()
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
        let label = self.0.source.label(&self.0.label)?;
        Some(Box::new(std::iter::once(label)))
    }
}

/// A line longer than this (in bytes) is shown as a window around the mistake: miette
/// draws a line whole (a file on one line of 200 KB would print it all), and cannot
/// draw an underline past column 65,535.
const LONG_LINE: usize = 400;

/// The bytes of a long line shown around the mistake.
const WINDOW: usize = 240;

/// A TOML file with a mistake in it, as miette reads it to draw the mistake: the whole
/// text, or, when the mistake's line is long, a window of that line alone, with the
/// line and columns of the whole text. Shared by the schema's and the config's errors.
#[derive(Debug)]
pub struct MistakeSource {
    source: NamedSource<String>,
    span: Option<Range<usize>>,
}

impl MistakeSource {
    /// The text of the file `origin`, its mistake at `span` if known.
    pub fn new(origin: &str, text: &str, span: Option<Range<usize>>) -> MistakeSource {
        MistakeSource {
            source: NamedSource::new(origin, text.to_owned()).with_language("toml"),
            span,
        }
    }

    /// The file's name as given.
    pub fn name(&self) -> &str {
        self.source.name()
    }

    /// The 1-based line and column the mistake starts at, if known.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        line_column(self.source.inner(), self.span.as_ref()?.start)
    }

    /// The label under the mistake, kept inside what is shown of its line.
    pub fn label(&self, text: &str) -> Option<LabeledSpan> {
        let span = self.span.clone()?;
        let (start, end) = match self.window() {
            Some(window) => {
                let start = span.start.clamp(window.start, window.end);
                (start, span.end.clamp(start, window.end))
            }
            None => (span.start, span.end),
        };
        let len = end.saturating_sub(start).max(1);
        Some(LabeledSpan::new_primary_with_span(
            Some(text.to_owned()),
            (start, len),
        ))
    }

    /// The part of the mistake's line that is shown, when the line is too long to
    /// show whole.
    fn window(&self) -> Option<Range<usize>> {
        let text = self.source.inner();
        let start = floor_char_boundary(text, self.span.as_ref()?.start);
        let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |at| start + at);
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        let from = floor_char_boundary(text, start.saturating_sub(WINDOW / 3).max(line_start));
        let to = floor_char_boundary(text, (from + WINDOW).min(line_end)).max(start);
        Some(from..to)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for MistakeSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let Some(window) = self.window() else {
            return self
                .source
                .read_span(span, context_lines_before, context_lines_after);
        };
        let text = self.source.inner();
        let line_start = text[..window.start].rfind('\n').map_or(0, |at| at + 1);
        let line = text[..line_start].matches('\n').count();
        // Asked without context, miette wants where the span starts (for the
        // `[file:line:column]` header); with it, where the lines shown start.
        let column_at = match context_lines_before {
            0 => floor_char_boundary(text, span.offset()).clamp(window.start, window.end),
            _ => window.start,
        };
        let column = text[line_start..column_at].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name().to_owned(),
            &text.as_bytes()[window.clone()],
            SourceSpan::new(window.start.into(), window.len()),
            line,
            column,
            1,
        )))
    }
}
