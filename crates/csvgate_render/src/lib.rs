//! Output formats for csvgate's findings.
//!
//! # Brief overview
//!
//! The engine produces [`Finding`]s and knows nothing about terminals; this crate turns
//! them into text. Every format implements one push-style trait, [`Renderer`]: the caller
//! calls [`Renderer::begin`] once, [`Renderer::findings`] once per checked input (with
//! the input's name, findings already sorted in report order, possibly none), and
//! [`Renderer::finish`] once with the run's [`Summary`]. Renderers write as they go and
//! never hold more than one input's findings, so a run over thousands of files streams;
//! only `junit` keeps its test cases until the end, because the counts come first.
//!
//! | [`Format`] | output |
//! |---|---|
//! | `human` | each finding drawn by miette with the source line, a caret under the field, help and notes; then a summary line |
//! | `concise` | `file:line:column: severity[rule] message`, one line per finding; then a summary line |
//! | `json` | one JSON array of finding objects, one object per line |
//! | `json-lines` | one finding object per line |
//! | `github` | one GitHub Actions workflow command (`::error file=...::message`) per finding; then a summary line |
//! | `gitlab` | a GitLab Code Quality report: one JSON array of issues |
//! | `sarif` | one SARIF 2.1.0 log with one run |
//! | `junit` | JUnit XML: one test case per input, failed by its errors and warnings |
//!
//! The JSON fields are csvgate's outside contract (CONTRACT.md, "JSON output"): `rule`,
//! `severity`, `message`, `file`, `member`, `line`, `column`, `record`, `field`, `help`
//! and `related`, in that order, with `null` for what is not known. Each of the other
//! machine formats documents its mapping in its module.
//!
//! Renderers write to any [`std::io::Write`] and do no buffering of their own: hand them
//! a locked, buffered stdout.
//!
//! # Example
//!
//! ```
//! use csvgate_diagnostics::{Finding, Rule};
//! use csvgate_render::{renderer, Format, HumanOptions, InputInfo, Summary};
//!
//! let mut finding = Finding::new(Rule::EmptyFile, "the file is empty: it has no header row");
//! finding.location.file = "people.csv".into();
//!
//! let mut out = Vec::new();
//! let format: Format = "concise".parse()?;
//! let mut r = renderer(format, &HumanOptions::default());
//! r.begin(&mut out)?;
//! r.findings(&InputInfo::new("people.csv"), &[finding], &mut out)?;
//! let summary = Summary { files: 1, records: 0, errors: 1, warnings: 0, infos: 0 };
//! r.finish(&summary, &mut out)?;
//!
//! assert_eq!(
//!     String::from_utf8(out)?,
//!     "people.csv: error[empty-file] the file is empty: it has no header row\n\
//!      1 file, 0 records: 1 error, 0 warnings\n",
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;
use std::io;
use std::str::FromStr;

use csvgate_diagnostics::Finding;

mod concise;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod json_lines;
mod junit;
mod sarif;

#[cfg(test)]
mod tests;

pub use fingerprint::Fnv1a128;

/// An output format, as named by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Each finding with its source line and a caret under the field, like a compiler.
    Human,
    /// One `file:line:column: severity[rule] message` line per finding.
    Concise,
    /// One JSON array of all findings.
    Json,
    /// One JSON object per finding, one per line.
    JsonLines,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
    /// A SARIF 2.1.0 log.
    Sarif,
    /// JUnit XML: one test case per input.
    Junit,
}

impl Format {
    /// Whether its renderer writes each finding as it is given, whatever came before
    /// for the same input: a caller may then hand it one input's findings in several
    /// pieces, as they are confirmed, instead of holding them all. (The formats for
    /// people group an input's findings, and JUnit counts them before it lists them;
    /// SARIF writes its rules after its results, so that it remembers only rules.)
    pub fn writes_findings_one_by_one(self) -> bool {
        matches!(
            self,
            Format::Json | Format::JsonLines | Format::Github | Format::Gitlab | Format::Sarif
        )
    }

    /// Every format, in the order `--help` lists them.
    pub const ALL: &'static [Format] = &[
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::JsonLines,
        Format::Github,
        Format::Gitlab,
        Format::Sarif,
        Format::Junit,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::JsonLines => "json-lines",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|format| format.name() == s)
            .ok_or_else(|| UnknownFormatError { name: s.to_owned() })
    }
}

/// A `--format` value that names no [`Format`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormatError {
    name: String,
}

impl UnknownFormatError {
    /// The name that was not recognised.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnknownFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown format `{}`, expected ", self.name)?;
        for (i, format) in Format::ALL.iter().enumerate() {
            match i {
                0 => {}
                i if i + 1 == Format::ALL.len() => f.write_str(" or ")?,
                _ => f.write_str(", ")?,
            }
            f.write_str(format.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownFormatError {}

/// The totals of a run, for the closing line of `human` and `concise`.
///
/// Its [`Display`](fmt::Display) is that line, without a newline:
/// `3 files, 120 records: 2 errors, 1 warning`, with `, N infos` only when there are
/// some, or `3 files, 120 records: no problems found`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs checked (a zip member counts as one).
    pub files: u64,
    /// Data records read, headers not counted.
    pub records: u64,
    /// Findings reported as errors.
    pub errors: u64,
    /// Findings reported as warnings.
    pub warnings: u64,
    /// Findings reported as infos.
    pub infos: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}: ",
            Counted(self.files, "file"),
            Counted(self.records, "record")
        )?;
        if self.errors == 0 && self.warnings == 0 && self.infos == 0 {
            return f.write_str("no problems found");
        }
        write!(
            f,
            "{}, {}",
            Counted(self.errors, "error"),
            Counted(self.warnings, "warning")
        )?;
        if self.infos > 0 {
            write!(f, ", {}", Counted(self.infos, "info"))?;
        }
        Ok(())
    }
}

/// `1 file`, `2 files`, `0 files`.
struct Counted(u64, &'static str);

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.0 == 1 { "" } else { "s" };
        write!(f, "{} {}{plural}", self.0, self.1)
    }
}

/// How the `human` format draws, and whether `human`, `concise` and `github` end with
/// the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanOptions {
    /// Use ANSI colours (the caller has already honoured `--color` and `NO_COLOR`).
    pub color: bool,
    /// Draw boxes and arrows with Unicode characters rather than ASCII.
    pub unicode: bool,
    /// The width to wrap messages and help at, in columns.
    pub width: usize,
    /// Print only the findings, without the closing summary line. Applies to `human`,
    /// `concise` and `github`; the JSON, SARIF and JUnit formats never print one.
    pub quiet: bool,
}

impl Default for HumanOptions {
    /// No colour, Unicode, 80 columns, with the summary line: what a pipe or a CI log
    /// gets.
    fn default() -> Self {
        HumanOptions {
            color: false,
            unicode: true,
            width: 80,
            quiet: false,
        }
    }
}

/// The input a [`Renderer::findings`] call is about, named even when it has no
/// findings (a `junit` test case, for one, needs the name of every input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputInfo<'a> {
    /// The input path as the user gave it, `-` for standard input (for a zip member,
    /// the zip's path), as in [`Location::file`](csvgate_diagnostics::Location::file).
    pub file: &'a str,
    /// The member's name inside a zip, if the input is one.
    pub member: Option<&'a str>,
}

impl<'a> InputInfo<'a> {
    /// A plain input (not a zip member) named `file`.
    pub fn new(file: &'a str) -> InputInfo<'a> {
        InputInfo { file, member: None }
    }
}

/// One output format. The caller drives it: [`begin`](Renderer::begin) once,
/// [`findings`](Renderer::findings) once per checked input in input order, then
/// [`finish`](Renderer::finish) once.
pub trait Renderer {
    /// Called once before any input.
    fn begin(&mut self, out: &mut dyn io::Write) -> io::Result<()> {
        let _ = out;
        Ok(())
    }

    /// The findings of one input, already in report order. Called for every input that
    /// was checked, with an empty slice for a clean one; not for an input that could
    /// not be read.
    fn findings(
        &mut self,
        input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()>;

    /// Called once after the last input.
    fn finish(&mut self, summary: &Summary, out: &mut dyn io::Write) -> io::Result<()>;
}

/// The renderer for `format`; `options` matter to `human` (all of them), and to
/// `concise` and `github` (only `quiet`).
pub fn renderer(format: Format, options: &HumanOptions) -> Box<dyn Renderer> {
    match format {
        Format::Human => Box::new(human::HumanRenderer::new(options)),
        Format::Concise => Box::new(concise::ConciseRenderer::new(options.quiet)),
        Format::Json => Box::new(json::JsonRenderer::default()),
        Format::JsonLines => Box::new(json_lines::JsonLinesRenderer),
        Format::Github => Box::new(github::GithubRenderer::new(options.quiet)),
        Format::Gitlab => Box::new(gitlab::GitlabRenderer::default()),
        Format::Sarif => Box::new(sarif::SarifRenderer::default()),
        Format::Junit => Box::new(junit::JunitRenderer::default()),
    }
}

/// A place as text: `file`, `file[member]`, then `:line` and `:column` when known.
///
/// A column without a line is dropped: `file:5` would read as line 5.
struct Place<'a> {
    file: &'a str,
    member: Option<&'a str>,
    line: Option<u64>,
    column: Option<u64>,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file)?;
        if let Some(member) = self.member {
            write!(f, "[{member}]")?;
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

impl<'a> Place<'a> {
    fn of_finding(finding: &'a Finding) -> Place<'a> {
        let location = &finding.location;
        Place {
            file: &location.file,
            member: location.member.as_deref(),
            line: location.line,
            column: location.column,
        }
    }

    fn of_related(related: &'a csvgate_diagnostics::Related) -> Place<'a> {
        Place {
            file: &related.file,
            member: related.member.as_deref(),
            line: related.line,
            column: related.column,
        }
    }
}
