//! `--fix`: rewrites what is safely fixable, copying everything else byte for byte.
//!
//! Fixed: a byte order mark (dropped), blank lines and blank records (dropped), values
//! with whitespace around them (trimmed, inside their quotes if quoted), and header
//! names spelled another way than the schema's (renamed). Nothing else changes: not
//! the quoting of other fields, not the line endings, not the order of anything. A
//! record whose quoting is broken, or whose field count differs from the header's, is
//! copied as it is: what it holds cannot be known for sure.

use std::io::{self, Read, Write};

use csvgate_diagnostics::Rule;
use csvgate_schema::Schema;

use crate::header::{bind, Binding};
use crate::position::{count_line_breaks, is_blank, leading_blank_lines, scan_fields, Terminator};
use crate::reader::{Event, RawRecord, RecordReader, BOM};

/// One change `fix` made (or would make).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule whose finding it fixes.
    pub rule: Rule,
    /// The physical line it was on in the input.
    pub line: u64,
    /// The record's text before (lossy UTF-8), empty for a dropped byte order mark.
    pub before: String,
    /// The record's text after; `None` when the record or line was dropped.
    pub after: Option<String>,
}

/// What `fix` did.
#[derive(Debug, Clone, Default)]
pub struct FixReport {
    /// The changes, in input order.
    pub changes: Vec<Change>,
}

/// Copies `input` to `output`, fixing what is safely fixable.
///
/// # Errors
///
/// Only those of reading or writing.
pub fn fix<R: Read, W: Write>(
    input: R,
    schema: Option<&Schema>,
    mut output: W,
) -> io::Result<FixReport> {
    let delimiter = schema.map_or(b',', |s| s.delimiter);
    // A record is held whole: a fix never cuts one.
    let mut reader = RecordReader::new(input, delimiter, 0).with_record_limit(usize::MAX);
    let mut fixer = Fixer {
        schema,
        delimiter,
        line: 1,
        header: None,
        report: FixReport::default(),
    };
    loop {
        match reader.next_event()? {
            Event::Record(raw) => {
                if let Some((rest, offset)) = fixer.leading_marks(&raw) {
                    reader.unread(&rest, offset);
                    continue;
                }
                fixer.record(&raw, &mut output)?;
            }
            // Not with an unlimited record length; copy it if it ever comes.
            Event::Oversized(raw) => output.write_all(raw.raw)?,
            Event::End { trailing, .. } => {
                fixer.blank_lines(trailing);
                break;
            }
        }
    }
    // One change for the marks at the start, whether the reader skipped them or the
    // fixer dropped those past the reader's look.
    let noted = fixer
        .report
        .changes
        .first()
        .is_some_and(|c| c.rule == Rule::Utf8Bom && c.line == 1);
    if reader.had_bom() && !noted {
        fixer.report.changes.insert(
            0,
            Change {
                rule: Rule::Utf8Bom,
                line: 1,
                before: String::new(),
                after: None,
            },
        );
    }
    output.flush()?;
    Ok(fixer.report)
}

struct Header {
    binding: Binding,
    width: usize,
}

struct Fixer<'s> {
    schema: Option<&'s Schema>,
    delimiter: u8,
    line: u64,
    header: Option<Header>,
    report: FixReport,
}

impl Fixer<'_> {
    /// Drops blank lines, noting each.
    fn blank_lines(&mut self, raw: &[u8]) -> usize {
        let (starts, skip) = leading_blank_lines(raw);
        for _ in &starts {
            self.report.changes.push(Change {
                rule: Rule::BlankRow,
                line: self.line,
                before: String::new(),
                after: None,
            });
            self.line += 1;
        }
        skip
    }

    /// Before the header, a record that starts (after blank lines) with byte order
    /// marks: more marks than the reader skips at the start of the input (it looks at
    /// the first kilobyte it is given), or marks after a blank line. Fixing drops the
    /// blank lines, so the marks would start the output, and a second fix would drop
    /// them: they are dropped now. Notes the blank lines and the marks, and returns the
    /// rest of the record's bytes with their input offset, to be read again.
    fn leading_marks(&mut self, raw: &RawRecord<'_>) -> Option<(Vec<u8>, u64)> {
        if self.header.is_some() {
            return None;
        }
        let (_, skip) = leading_blank_lines(raw.raw);
        let mut at = skip;
        while raw.raw[at..].starts_with(BOM) {
            at += BOM.len();
        }
        if at == skip {
            return None;
        }
        self.blank_lines(raw.raw);
        self.report.changes.push(Change {
            rule: Rule::Utf8Bom,
            line: self.line,
            before: String::new(),
            after: None,
        });
        let offset = raw.offset + at as u64;
        Some((raw.raw[at..].to_vec(), offset))
    }

    fn record<W: Write>(&mut self, raw: &RawRecord<'_>, out: &mut W) -> io::Result<()> {
        let skip = self.blank_lines(raw.raw);
        let full = &raw.raw[skip..];
        let (body, _) = Terminator::split(full);
        let line = self.line;
        self.line += count_line_breaks(full);
        // Blank by the same trim the values get below: a record of only whitespace that
        // trimming would empty (a vertical tab, a no-break space) is dropped now, not
        // written as a blank line that a second fix would drop.
        let blank = (0..raw.len()).all(|i| is_blank(raw.field(i)));
        if blank {
            self.report.changes.push(Change {
                rule: Rule::BlankRow,
                line,
                before: String::from_utf8_lossy(body).into_owned(),
                after: None,
            });
            return Ok(());
        }
        let scan = scan_fields(body, self.delimiter);
        let broken = !scan.issues.is_empty() || scan.unclosed.is_some();
        let Some(header) = &self.header else {
            let names: Vec<String> = (0..raw.len())
                .map(|i| String::from_utf8_lossy(raw.field(i)).into_owned())
                .collect();
            let (binding, findings) = bind(&names, self.schema);
            let renames: Vec<(usize, String)> = findings
                .iter()
                .filter(|f| f.rule == Rule::NonCanonicalHeader)
                .filter_map(|f| Some((f.field?, f.field_name.clone()?)))
                .collect();
            self.header = Some(Header {
                binding,
                width: names.len(),
            });
            let edits = if broken { Vec::new() } else { renames };
            return self.write(
                out,
                body,
                full,
                &scan.starts,
                &edits,
                Rule::NonCanonicalHeader,
                line,
            );
        };
        if broken || raw.len() != header.width {
            return out.write_all(full);
        }
        let mut edits = Vec::new();
        for index in 0..raw.len() {
            let Ok(value) = std::str::from_utf8(raw.field(index)) else {
                continue;
            };
            let trimmed = value.trim();
            if trimmed.len() == value.len() {
                continue;
            }
            // A required value that is only whitespace is reported as missing, not as
            // whitespace: it stays as it is.
            let required = header.binding.field_column[index]
                .and_then(|id| self.schema.map(|s| s.columns[id].value_required))
                .unwrap_or(false);
            if trimmed.is_empty() && required {
                continue;
            }
            edits.push((index, trimmed.to_owned()));
        }
        let starts = scan.starts;
        self.write(
            out,
            body,
            full,
            &starts,
            &edits,
            Rule::SurroundingWhitespace,
            line,
        )
    }

    /// Writes a record with some fields replaced, quoting a new value only when the
    /// old one was quoted or the new one needs it; everything else as it was.
    #[allow(clippy::too_many_arguments)]
    fn write<W: Write>(
        &mut self,
        out: &mut W,
        body: &[u8],
        full: &[u8],
        starts: &[usize],
        edits: &[(usize, String)],
        rule: Rule,
        line: u64,
    ) -> io::Result<()> {
        if edits.is_empty() {
            return out.write_all(full);
        }
        let mut fixed = Vec::with_capacity(full.len());
        let mut copied = 0;
        for (index, value) in edits {
            let Some(&start) = starts.get(*index) else {
                continue;
            };
            let end = starts
                .get(index + 1)
                .map_or(body.len(), |&next| next.saturating_sub(1));
            fixed.extend_from_slice(&body[copied..start]);
            let was_quoted = body.get(start) == Some(&b'"');
            let needs_quotes = value
                .bytes()
                .any(|b| b == self.delimiter || b == b'"' || b == b'\n' || b == b'\r');
            if was_quoted || needs_quotes {
                fixed.push(b'"');
                fixed.extend_from_slice(value.replace('"', "\"\"").as_bytes());
                fixed.push(b'"');
            } else {
                fixed.extend_from_slice(value.as_bytes());
            }
            copied = end;
        }
        fixed.extend_from_slice(&body[copied..]);
        let after = String::from_utf8_lossy(&fixed).into_owned();
        fixed.extend_from_slice(&full[body.len()..]);
        out.write_all(&fixed)?;
        self.report.changes.push(Change {
            rule,
            line,
            before: String::from_utf8_lossy(body).into_owned(),
            after: Some(after),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::parse(
            "t.toml",
            "name = \"t\"\n[[column]]\nname = \"Name\"\nvalue-required = true\n[[column]]\nname = \"City\"\n",
        )
        .unwrap()
    }

    fn fixed(input: &str) -> (String, Vec<Rule>) {
        let schema = schema();
        let mut out = Vec::new();
        let report = fix(input.as_bytes(), Some(&schema), &mut out).unwrap();
        (
            String::from_utf8(out).unwrap(),
            report.changes.iter().map(|c| c.rule).collect(),
        )
    }

    #[test]
    fn fixes_what_is_fixable_and_keeps_the_rest_byte_for_byte() {
        let input = "\u{FEFF}name,CITY\r\n\r\n Ana ,\"  Lisbon \"\r\n,\r\n\"Bo\",\"Porto, PT\"\r\n   ,x\r\n";
        let (out, rules) = fixed(input);
        assert_eq!(
            out,
            "Name,City\r\nAna,\"Lisbon\"\r\n\"Bo\",\"Porto, PT\"\r\n   ,x\r\n"
        );
        assert_eq!(
            rules,
            [
                Rule::Utf8Bom,
                Rule::NonCanonicalHeader,
                Rule::BlankRow,
                Rule::SurroundingWhitespace,
                Rule::BlankRow,
            ]
        );
    }

    #[test]
    fn marks_past_the_readers_look_or_after_a_blank_line_are_dropped_and_noted() {
        let (out, rules) = fixed("\u{FEFF}\n\u{FEFF}name,City\n");
        assert_eq!(out, "Name,City\n");
        assert_eq!(
            rules,
            [
                Rule::Utf8Bom,
                Rule::BlankRow,
                Rule::Utf8Bom,
                Rule::NonCanonicalHeader
            ]
        );

        // A byte at a time: the reader skips the marks of its first kilobyte only.
        struct Bytewise<'a>(&'a [u8]);
        impl Read for Bytewise<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((&first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = first;
                self.0 = rest;
                Ok(1)
            }
        }
        let input = format!("{}Name,City\n", "\u{FEFF}".repeat(400));
        let mut out = Vec::new();
        let report = fix(Bytewise(input.as_bytes()), Some(&schema()), &mut out).unwrap();
        assert_eq!(out, b"Name,City\n");
        let changes: Vec<(Rule, u64)> = report.changes.iter().map(|c| (c.rule, c.line)).collect();
        assert_eq!(changes, [(Rule::Utf8Bom, 1)]);
    }

    #[test]
    fn broken_and_ragged_records_are_copied_as_they_are() {
        let input = "Name,City\n Ana ,\"x\"y \n Bo , a , b \n\"open, c\n";
        let (out, rules) = fixed(input);
        assert_eq!(out, input);
        assert!(rules.is_empty());
    }
}
