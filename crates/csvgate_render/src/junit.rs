//! `junit`: JUnit XML, the test report format CI systems (GitLab, Jenkins, Azure
//! Pipelines, GitHub test-report actions) show as a list of passed and failed tests.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="csvgate" tests="2" failures="1" errors="0">
//!   <testsuite name="csvgate" tests="2" failures="1" errors="0" skipped="0">
//!     <testcase name="people.csv" classname="csvgate">
//!       <failure message="1 error" type="invalid-boolean">people.csv:3:17: error[invalid-boolean] ...
//!   help: write true or false
//! </failure>
//!     </testcase>
//!     <testcase name="clean.csv" classname="csvgate"/>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! - One `<testcase>` per checked input, clean or not, named by its path as given
//!   (`zip[member]` for a zip member), class `csvgate`.
//! - An input with findings at error or warning level fails with exactly one
//!   `<failure>`: its `message` counts them (`2 errors, 1 warning`, `1 warning`), its `type` names
//!   their rules (distinct, in report order, `, `-separated), and its text lists
//!   them, one `concise` line each with `help:` and `note:` lines under it. One
//!   failure per test case because that is what the JUnit schema allows and what CI
//!   viewers show: most show only the first of several. Info findings do not fail a
//!   test; they are listed the same way in the test case's `<system-out>`.
//! - The failure level is fixed (warnings fail a test case even under `--fail-on
//!   error`): a renderer does not know the run's fail level, and a test report that
//!   hid warnings would hide them from everyone.
//! - An input that could not be read gets no test case; it is reported on standard
//!   error and makes the exit status 2.
//!
//! The counts come first in the document, so the test cases are kept until the end
//! (each one's text, not its findings).

use std::fmt::{self, Write as _};
use std::io;

use csvgate_diagnostics::{Finding, Rule, Severity};

use crate::concise::OneLine;
use crate::{InputInfo, Place, Renderer, Summary};

#[derive(Default)]
pub(crate) struct JunitRenderer {
    /// The `<testcase>` elements so far, indented and each ending with a newline.
    cases: String,
    tests: u64,
    failures: u64,
}

impl Renderer for JunitRenderer {
    fn findings(
        &mut self,
        input: &InputInfo<'_>,
        findings: &[Finding],
        _out: &mut dyn io::Write,
    ) -> io::Result<()> {
        self.tests += 1;
        let failed = write_case(&mut self.cases, input, findings).map_err(io::Error::other)?;
        if failed {
            self.failures += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        let counts = format!(
            r#"tests="{}" failures="{}" errors="0""#,
            self.tests, self.failures
        );
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="csvgate" {counts}>"#)?;
        if self.cases.is_empty() {
            writeln!(out, r#"  <testsuite name="csvgate" {counts} skipped="0"/>"#)?;
        } else {
            writeln!(out, r#"  <testsuite name="csvgate" {counts} skipped="0">"#)?;
            out.write_all(self.cases.as_bytes())?;
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}

/// Appends one input's `<testcase>` to `cases`; returns whether it failed.
fn write_case(
    cases: &mut String,
    input: &InputInfo<'_>,
    findings: &[Finding],
) -> Result<bool, fmt::Error> {
    let name = Place {
        file: input.file,
        member: input.member,
        line: None,
        column: None,
    };
    let failing = |finding: &&Finding| finding.severity >= Severity::Warning;
    let failures: Vec<&Finding> = findings.iter().filter(failing).collect();
    let infos: Vec<&Finding> = findings.iter().filter(|f| !failing(f)).collect();

    write!(
        cases,
        r#"    <testcase name="{}" classname="csvgate""#,
        Xml(&name)
    )?;
    if failures.is_empty() && infos.is_empty() {
        cases.push_str("/>\n");
        return Ok(false);
    }
    cases.push_str(">\n");
    if !failures.is_empty() {
        let errors = failures
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = failures.len() - errors;
        let message = match (errors, warnings) {
            (_, 0) => crate::Counted(errors as u64, "error").to_string(),
            (0, _) => crate::Counted(warnings as u64, "warning").to_string(),
            _ => format!(
                "{}, {}",
                crate::Counted(errors as u64, "error"),
                crate::Counted(warnings as u64, "warning")
            ),
        };
        let mut rules: Vec<Rule> = Vec::new();
        for finding in &failures {
            if !rules.contains(&finding.rule) {
                rules.push(finding.rule);
            }
        }
        let rules = rules
            .iter()
            .map(|rule| rule.name())
            .collect::<Vec<_>>()
            .join(", ");
        write!(
            cases,
            r#"      <failure message="{}" type="{}">"#,
            Xml(&message),
            Xml(&rules)
        )?;
        write_list(cases, &failures)?;
        cases.push_str("</failure>\n");
    }
    if !infos.is_empty() {
        cases.push_str("      <system-out>");
        write_list(cases, &infos)?;
        cases.push_str("</system-out>\n");
    }
    cases.push_str("    </testcase>\n");
    Ok(!failures.is_empty())
}

/// The findings as text: a `concise` line each, then its help and related places
/// indented under it; every line ends with a newline.
fn write_list(out: &mut String, findings: &[&Finding]) -> fmt::Result {
    for finding in findings {
        let line = format!(
            "{}: {}[{}] {}",
            Place::of_finding(finding),
            finding.severity,
            finding.rule,
            OneLine(&finding.message)
        );
        writeln!(out, "{}", XmlText(&line))?;
        if let Some(help) = &finding.help {
            writeln!(
                out,
                "{}",
                XmlText(&format_args!("  help: {}", OneLine(help)))
            )?;
        }
        for related in &finding.related {
            let note = format!(
                "  note: {}: {}",
                Place::of_related(related),
                OneLine(&related.message)
            );
            writeln!(out, "{}", XmlText(&note))?;
        }
    }
    Ok(())
}

/// Text escaped for an XML 1.0 attribute value: `&`, `<`, `>`, `"` and `'` as
/// entities; tab, CR and LF as character references (a parser would otherwise turn
/// them into spaces); any other character XML 1.0 cannot hold (C0 controls, U+FFFE,
/// U+FFFF) as U+FFFD, since not even a character reference may name those.
struct Xml<'a, T: fmt::Display + ?Sized>(&'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Xml<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(f, &self.0.to_string(), true)
    }
}

/// Text escaped for XML 1.0 element content: as [`Xml`], but quotes, tabs and line
/// feeds stay as they are (a CR is still a reference: a parser would read it as LF).
struct XmlText<'a, T: fmt::Display + ?Sized>(&'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for XmlText<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(f, &self.0.to_string(), false)
    }
}

fn escape(f: &mut fmt::Formatter<'_>, text: &str, attribute: bool) -> fmt::Result {
    let special = |c: char| match c {
        '&' | '<' | '>' | '\r' | '\u{fffe}' | '\u{ffff}' => true,
        '"' | '\'' | '\t' | '\n' => attribute,
        c => c < ' ',
    };
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        f.write_str(&rest[..at])?;
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '&' => f.write_str("&amp;")?,
            '<' => f.write_str("&lt;")?,
            '>' => f.write_str("&gt;")?,
            '"' => f.write_str("&quot;")?,
            '\'' => f.write_str("&apos;")?,
            '\t' => f.write_str("&#9;")?,
            '\n' => f.write_str("&#10;")?,
            '\r' => f.write_str("&#13;")?,
            _ => f.write_char('\u{fffd}')?,
        }
        rest = &rest[at + c.len_utf8()..];
    }
    f.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::{Xml, XmlText};

    #[test]
    fn attributes_escape_markup_quotes_and_breaks() {
        assert_eq!(
            Xml("a<b>&\"c\" 'd'").to_string(),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(Xml("a\tb\r\nc").to_string(), "a&#9;b&#13;&#10;c");
        assert_eq!(Xml("plain").to_string(), "plain");
    }

    #[test]
    fn text_escapes_markup_and_cr_only() {
        assert_eq!(
            XmlText("a<b>&\"c\" 'd'\tx\r\ny").to_string(),
            "a&lt;b&gt;&amp;\"c\" 'd'\tx&#13;\ny"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        for escaped in [
            Xml("bell\u{7} nul\u{0} \u{ffff} ok: é 東京 \u{1f600}").to_string(),
            XmlText("bell\u{7} nul\u{0} \u{ffff} ok: é 東京 \u{1f600}").to_string(),
        ] {
            assert_eq!(
                escaped,
                "bell\u{fffd} nul\u{fffd} \u{fffd} ok: é 東京 \u{1f600}"
            );
        }
    }
}
