//! `concise`: one `file:line:column: severity[rule] message` line per finding, the form
//! editors and `grep` understand, then the summary line.

use std::io;

use csvgate_diagnostics::Finding;

use crate::{InputInfo, Place, Renderer, Summary};

pub(crate) struct ConciseRenderer {
    quiet: bool,
}

impl ConciseRenderer {
    pub(crate) fn new(quiet: bool) -> ConciseRenderer {
        ConciseRenderer { quiet }
    }
}

impl Renderer for ConciseRenderer {
    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for finding in findings {
            writeln!(
                out,
                "{}: {}[{}] {}",
                Place::of_finding(finding),
                finding.severity,
                finding.rule,
                OneLine(&finding.message),
            )?;
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

/// A message with its line breaks escaped: a message that quotes a multi-line value
/// must not split one finding over two lines of a line-oriented format.
pub(crate) struct OneLine<'a>(pub(crate) &'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['\n', '\r']) {
            f.write_str(&rest[..at])?;
            f.write_str(if rest.as_bytes()[at] == b'\n' {
                "\\n"
            } else {
                "\\r"
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::OneLine;

    #[test]
    fn line_breaks_are_escaped() {
        assert_eq!(OneLine("a\r\nb\nc").to_string(), "a\\r\\nb\\nc");
        assert_eq!(OneLine("plain").to_string(), "plain");
    }
}
