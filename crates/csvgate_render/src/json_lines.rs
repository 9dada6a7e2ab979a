//! `json-lines`: one compact finding object per line (the `json` object layout), and no
//! summary, so that every line a consumer reads is a finding.

use std::io;

use csvgate_diagnostics::Finding;

use crate::json::FindingView;
use crate::{InputInfo, Renderer, Summary};

pub(crate) struct JsonLinesRenderer;

impl Renderer for JsonLinesRenderer {
    fn findings(
        &mut self,
        _input: &InputInfo<'_>,
        findings: &[Finding],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for finding in findings {
            FindingView::new(finding).write(out)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }
}
