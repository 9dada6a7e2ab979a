//! `github`: GitHub Actions workflow commands, one line per finding, which the runner
//! turns into annotations on the run and, for files in the repository, on the pull
//! request's diff:
//!
//! ```text
//! ::error file=people.csv,line=3,col=17,title=csvgate(invalid-boolean)::Privilege Value "yes" is not a boolean%0Ahelp: write true or false
//! ```
//!
//! - The command is the severity: `error`, `warning`, or `notice` for an info.
//! - `file` is the input path as given; `line` and `col` (1-based, characters) are left
//!   out when unknown, `col` also when there is no line.
//! - `title` is `csvgate(RULE)`.
//! - The message is followed by `help: ...` and one `note: place: ...` per related
//!   place, each on a line of its own (`%0A`).
//! - A finding inside a zip member is annotated on the zip file without a line or
//!   column (those count the member's lines, not the archive's bytes), and its message
//!   starts with the place inside the member: `bundle.zip[users.csv]:1:9: ...`.
//!
//! Escaping follows the runner's rules (the actions toolkit's `escapeData` and
//! `escapeProperty`): `%`, CR and LF become `%25`, `%0D` and `%0A` in the message, and
//! in property values also `:` and `,` become `%3A` and `%2C`.
//!
//! Other lines of a step's output are only logged, so the summary line closes the run
//! as in `concise` (not with `--quiet`).

use std::fmt;
use std::io;

use csvgate_diagnostics::{Finding, Severity};

use crate::{InputInfo, Place, Renderer, Summary};

pub(crate) struct GithubRenderer {
    quiet: bool,
}

impl GithubRenderer {
    pub(crate) fn new(quiet: bool) -> GithubRenderer {
        GithubRenderer { quiet }
    }
}

impl Renderer for GithubRenderer {
    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for finding in findings {
            writeln!(out, "{}", Command(finding))?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        writeln!(out, "{summary}")
    }
}

/// One finding as a workflow command, without the newline.
struct Command<'a>(&'a Finding);

impl fmt::Display for Command<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = self.0;
        let location = &finding.location;
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        write!(f, "::{command} file={}", Property(&location.file))?;
        let in_member = location.member.is_some();
        if let (Some(line), false) = (location.line, in_member) {
            write!(f, ",line={line}")?;
            if let Some(column) = location.column {
                write!(f, ",col={column}")?;
            }
        }
        write!(
            f,
            ",title={}::",
            Property(&format_args!("csvgate({})", finding.rule))
        )?;
        if in_member {
            write!(
                f,
                "{}",
                Data(&format_args!("{}: ", Place::of_finding(finding)))
            )?;
        }
        write!(f, "{}", Data(&finding.message))?;
        if let Some(help) = &finding.help {
            write!(f, "%0Ahelp: {}", Data(help))?;
        }
        for related in &finding.related {
            write!(
                f,
                "%0Anote: {}",
                Data(&format_args!(
                    "{}: {}",
                    Place::of_related(related),
                    related.message
                ))
            )?;
        }
        Ok(())
    }
}

/// A command's message, escaped: `%`, CR, LF.
struct Data<'a, T: fmt::Display + ?Sized>(&'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Data<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0.to_string(), false)
    }
}

/// A property value, escaped: `%`, CR, LF, `:`, `,`.
struct Property<'a, T: fmt::Display + ?Sized>(&'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Property<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0.to_string(), true)
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str, property: bool) -> fmt::Result {
    let mut rest = text;
    let special = |c: char| matches!(c, '%' | '\r' | '\n') || (property && matches!(c, ':' | ','));
    while let Some(at) = rest.find(special) {
        f.write_str(&rest[..at])?;
        f.write_str(match rest.as_bytes()[at] {
            b'%' => "%25",
            b'\r' => "%0D",
            b'\n' => "%0A",
            b':' => "%3A",
            _ => "%2C",
        })?;
        rest = &rest[at + 1..];
    }
    f.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::{Data, Property};

    #[test]
    fn data_escapes_percent_and_line_breaks() {
        assert_eq!(
            Data("100% a\r\nb: c, d").to_string(),
            "100%25 a%0D%0Ab: c, d"
        );
        // Already-escaped text is escaped again, so it reads back unchanged.
        assert_eq!(Data("%0A").to_string(), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            Property("C:\\data\\a,b%\n.csv").to_string(),
            "C%3A\\data\\a%2Cb%25%0A.csv"
        );
        assert_eq!(Property("plain/path.csv").to_string(), "plain/path.csv");
    }
}
