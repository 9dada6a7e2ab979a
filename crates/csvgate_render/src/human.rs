//! `human`: each finding drawn by miette's [`GraphicalReportHandler`], with the
//! captured source lines, the real line numbers in the gutter and the field underlined,
//! then the help and one note per related place; a summary line closes the run.
//!
//! A [`Finding`] is adapted to [`Diagnostic`] by [`FindingDiagnostic`], and its
//! [`Snippet`](csvgate_diagnostics::Snippet) to [`SourceCode`] by [`SnippetSource`],
//! which never touches the input again: the input may be stdin, a zip member or
//! gigabytes long.

use std::fmt;
use std::io;
use std::ops::Range;

use csvgate_diagnostics::{Finding, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents, ThemeCharacters, ThemeStyles,
};

use crate::{HumanOptions, InputInfo, Place, Renderer, Summary};

pub(crate) struct HumanRenderer {
    handler: GraphicalReportHandler,
    quiet: bool,
    /// Whether a finding was written, so the next block (finding or summary) is set off
    /// by a blank line.
    wrote_any: bool,
}

impl HumanRenderer {
    pub(crate) fn new(options: &HumanOptions) -> HumanRenderer {
        HumanRenderer {
            handler: handler(options),
            quiet: options.quiet,
            wrote_any: false,
        }
    }
}

/// The graphical handler for `options`, with nothing in it that depends on the
/// environment (terminal, `NO_COLOR`): the same options always give the same bytes.
fn handler(options: &HumanOptions) -> GraphicalReportHandler {
    let characters = if options.unicode {
        ThemeCharacters::unicode()
    } else {
        ThemeCharacters::ascii()
    };
    let styles = if options.color {
        ThemeStyles::ansi()
    } else {
        ThemeStyles::none()
    };
    GraphicalReportHandler::new_themed(GraphicalTheme { characters, styles })
        .with_width(options.width)
        .with_urls(false)
        .without_syntax_highlighting()
}

impl Renderer for HumanRenderer {
    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let mut text = String::new();
        for finding in findings {
            text.clear();
            render(&self.handler, finding, &mut text).map_err(io::Error::other)?;
            if self.wrote_any {
                out.write_all(b"\n")?;
            }
            out.write_all(text.as_bytes())?;
            self.wrote_any = true;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        if self.wrote_any {
            out.write_all(b"\n")?;
        }
        writeln!(out, "{summary}")
    }
}

/// Draws one finding into `out`, ending with a newline.
fn render(handler: &GraphicalReportHandler, finding: &Finding, out: &mut String) -> fmt::Result {
    use fmt::Write as _;

    handler.render_report(out, &FindingDiagnostic::new(finding))?;
    // miette draws `related()` as whole nested reports ("Error: × ..."), which for a
    // bare place reads as a second finding; one note line per place says it plainly.
    for related in &finding.related {
        writeln!(
            out,
            "  note: {}: {}",
            Place::of_related(related),
            related.message
        )?;
    }
    Ok(())
}

/// A [`Finding`] seen as a miette [`Diagnostic`]: `severity[rule]: message` as the
/// error text, the help, and a primary label on the snippet's span.
///
/// A finding without a snippet has no source to draw, so its place follows the message
/// on a line of its own (`at file:line`); miette draws it inside the message's margin.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<SnippetSource>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding) -> FindingDiagnostic<'a> {
        let source = finding.snippet.as_ref().map(|snippet| SnippetSource {
            name: Place {
                line: None,
                column: None,
                ..Place::of_finding(finding)
            }
            .to_string(),
            // miette draws a line only once it has seen a character of it, so an
            // excerpt that is or ends with an empty line (a blank row) would lose that
            // line; a final newline gives it one.
            text: format!("{}\n", snippet.text),
            first_line: snippet.first_line,
            span: snippet.span.clone(),
        });
        FindingDiagnostic { finding, source }
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Like a compiler: `error[rule]: message`, so the rule to `explain` sits with the
        // message rather than on a line of its own above it.
        write!(
            f,
            "{}[{}]: {}",
            self.finding.severity.as_str(),
            self.finding.rule.name(),
            self.finding.message
        )?;
        if self.source.is_none() {
            write!(f, "\nat {}", Place::of_finding(self.finding))?;
        }
        Ok(())
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_deref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let label =
            LabeledSpan::new_primary_with_span(self.finding.location.field.clone(), source.span());
        Some(Box::new(std::iter::once(label)))
    }
}

/// A [`Snippet`](csvgate_diagnostics::Snippet) as miette source code: reads go to the excerpt alone, and the line
/// numbers reported are the input's, so the gutter and the `[file:line:column]` header
/// show where the excerpt really is.
#[derive(Debug)]
struct SnippetSource {
    /// `file` or `file[member]`: the name miette puts in the header.
    name: String,
    /// The snippet's text plus a newline.
    text: String,
    /// The 1-based line number of the text's first line.
    first_line: u64,
    /// The byte range to underline, as the engine gave it.
    span: Range<usize>,
}

impl SnippetSource {
    /// The span to underline, kept inside the text and on character boundaries: a
    /// span the engine got wrong should still draw rather than make miette print a
    /// read error in place of the source.
    fn span(&self) -> SourceSpan {
        // Without the added newline: the span stays on the engine's text.
        let text = &self.text[..self.text.len() - 1];
        let start = floor_char_boundary(text, self.span.start);
        let end = floor_char_boundary(text, self.span.end.max(start));
        SourceSpan::new(start.into(), end - start)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for SnippetSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let contents = text.read_span(span, context_lines_before, context_lines_after)?;
        // miette counts the column in bytes; the contract's column counts characters,
        // and the header must agree with the `line:column` printed everywhere else.
        let column = if context_lines_before == 0 {
            let start = floor_char_boundary(text, span.offset());
            let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
            text[line_start..start].chars().count()
        } else {
            contents.column()
        };
        let first_line = usize::try_from(self.first_line.saturating_sub(1)).unwrap_or(usize::MAX);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            first_line.saturating_add(contents.line()),
            column,
            contents.line_count(),
        )))
    }
}
