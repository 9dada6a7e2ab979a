//! Turning a rule's verdict into a [`Finding`]: its severity after the schema's
//! overrides, the author's wording, and its exact place (line, character column,
//! snippet), worked out from the record's raw bytes only now that it is needed.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::sync::Arc;

use csvgate_diagnostics::{Finding, Location, Related, Rule, Severity};
use csvgate_schema::{RuleText, Schema, SeveritySetting};

use crate::held::Keeper;
use crate::position::{scan_fields, snippet, snippet_at, Cursor};

/// One record's raw bytes and where they are in the input.
pub(crate) struct RecordCtx<'a> {
    /// The record's raw bytes without leading blank lines or terminator.
    pub body: &'a [u8],
    /// The input offset of `body[0]`.
    pub offset: u64,
    /// The physical line of `body[0]`.
    pub line: u64,
    /// The data record number; 0 for the header.
    pub record: u64,
    /// The bytes the fields are in: `body` itself when they are there as they are
    /// (see [`Self::fields_in_body`]), else the unescaped fields back to back.
    pub data: &'a [u8],
    /// Where each field is in `data`.
    pub bounds: &'a [Bound],
    /// Whether `data` is `body`.
    in_body: bool,
    /// Whether `body` is its values written with the fewest quotes (see
    /// [`Self::quotes_needed`]).
    quotes_needed: bool,
    /// `data` as text, when it is valid UTF-8: checked once per record, when first
    /// needed (fields are then sliced from it).
    text: OnceCell<Option<&'a str>>,
    delimiter: u8,
    /// Where each field starts in `body`: scanned only when a finding needs it, unless
    /// the quote check has already done so.
    starts: OnceCell<Cow<'a, [usize]>>,
    /// Whether `starts` were set from elsewhere than this body (a quote's line read
    /// again with the quote as a plain character), so that a scan of the body would
    /// not find them again.
    starts_fixed: bool,
    /// The last position a finding was placed at (see [`Cursor`]).
    cursor: Cell<Cursor>,
    /// The record's values, when worked out ahead (see [`value_ranges`]): the rules ask
    /// for the same values many times over.
    values: Option<Values<'a>>,
}

/// Where a trimmed value is in a record's `data`.
pub(crate) type ValueRange = [u32; 2];

/// Where one field's unescaped bytes are in its record's data: from, to.
///
/// Why bounds and not csv-core's ends of fields back to back: a plain record's fields
/// are in its raw bytes as they are, so it needs no copy of them, only their bounds
/// (see `plain.rs`).
pub(crate) type Bound = [usize; 2];

/// The bounds of fields back to back, from where each ends (csv-core's form).
pub(crate) fn bounds_of_ends(ends: &[usize], out: &mut Vec<Bound>) {
    out.clear();
    let mut start = 0;
    out.extend(ends.iter().map(|&end| {
        let bound = [start, end];
        start = end;
        bound
    }));
}

/// A record's text and where each field's trimmed value is in it.
#[derive(Clone, Copy)]
pub(crate) struct Values<'a> {
    pub text: &'a str,
    /// Each field's trimmed value; empty when no value has white space around it
    /// (each value is then its whole field, and nothing needs keeping).
    pub ranges: &'a [ValueRange],
    /// Which values are empty (see [`value_ranges`]).
    pub empty: u64,
}

/// The fields whose emptiness [`value_ranges`] gives in a bit each.
const EMPTY_BITS: usize = 64;

/// Works out where each field's trimmed value is in a record's data (`bytes`, taken
/// as UTF-8), and which values are empty: bit `i` of the mask it returns is set when
/// the trimmed value of field `i` is empty, for the first [`EMPTY_BITS`] fields (the
/// row rules ask that of the same fields again and again). When every value starts
/// and ends with printable ASCII (nothing to trim), appends nothing; else appends
/// every value's range to `out`. `None`, and nothing appended, when that cannot be
/// done (a record longer than the ranges hold, or a value to trim that is not UTF-8).
pub(crate) fn value_ranges(
    bytes: &[u8],
    bounds: &[Bound],
    out: &mut Vec<ValueRange>,
) -> Option<u64> {
    u32::try_from(bytes.len()).ok()?;
    // Nearly every record: printable ASCII at both ends of every value, nothing to trim.
    // (One pass with nothing to stop it: the fields are few, and a branch per field
    // costs more than looking at them all.)
    let mut empty = 0;
    let mut to_trim = false;
    for (field, &[start, end]) in bounds.iter().enumerate() {
        if start == end {
            empty |= empty_bit(field);
        } else {
            let ends = (bytes.get(start), bytes.get(end - 1));
            to_trim |= !matches!(ends, (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic());
        }
    }
    if !to_trim {
        return Some(empty);
    }
    let before = out.len();
    let mut empty = 0;
    for (index, &[start, end]) in bounds.iter().enumerate() {
        let Some(field) = std::str::from_utf8(&bytes[start..end]).ok() else {
            out.truncate(before);
            return None;
        };
        let from = start + field.len() - field.trim_start().len();
        let to = start + field.trim_end().len();
        if to <= from {
            empty |= empty_bit(index);
        }
        // Both fit: the whole text's length does.
        out.push([from as u32, to.max(from) as u32]);
    }
    Some(empty)
}

/// Field `index`'s bit in [`value_ranges`]' mask of empty values (none past the bits
/// there are).
#[inline]
pub(crate) fn empty_bit(index: usize) -> u64 {
    if index < EMPTY_BITS {
        1 << index
    } else {
        0
    }
}

impl<'a> RecordCtx<'a> {
    pub(crate) fn new(
        body: &'a [u8],
        offset: u64,
        line: u64,
        record: u64,
        data: &'a [u8],
        bounds: &'a [Bound],
        delimiter: u8,
    ) -> RecordCtx<'a> {
        RecordCtx {
            body,
            offset,
            line,
            record,
            data,
            bounds,
            in_body: false,
            quotes_needed: false,
            text: OnceCell::new(),
            delimiter,
            starts: OnceCell::new(),
            starts_fixed: false,
            cursor: Cell::new(Cursor::default()),
            values: None,
        }
    }

    /// Sets the record's text (`None`: it is not UTF-8) and, when worked out, where
    /// its trimmed values are (`ranges`, see [`value_ranges`]: empty when no value is
    /// trimmed) and which are empty.
    pub(crate) fn with_values(
        self,
        text: Option<&'a str>,
        values: Option<(&'a [ValueRange], u64)>,
    ) -> RecordCtx<'a> {
        // A fresh cell is always empty, so `set` cannot fail here.
        let _ = self.text.set(text);
        let fits = |(ranges, _): &(&[ValueRange], u64)| {
            ranges.is_empty() || ranges.len() == self.bounds.len()
        };
        let values = text
            .zip(values.filter(fits))
            .map(|(text, (ranges, empty))| Values {
                text,
                ranges,
                empty,
            });
        RecordCtx { values, ..self }
    }

    /// Says that the fields are in the body as they are (`data` is `body`: a plain
    /// record's), so that their starts need no scan of the body; and, with
    /// `quotes_needed`, that every quoted field needs its quotes (holds the delimiter
    /// or a line break), so that the body is the values written with the fewest
    /// quotes.
    pub(crate) fn fields_in_body(self, quotes_needed: bool) -> RecordCtx<'a> {
        debug_assert!(std::ptr::eq(self.data, self.body));
        RecordCtx {
            in_body: true,
            quotes_needed,
            ..self
        }
    }

    /// Says whether the body is the record's values written with the fewest quotes
    /// (every quoted field holding a delimiter, quote or line break, and no quoting
    /// mistake), as the quote check of a record csv-core read finds out.
    pub(crate) fn with_quotes_needed(self, quotes_needed: bool) -> RecordCtx<'a> {
        RecordCtx {
            quotes_needed,
            ..self
        }
    }

    /// Whether `body` is the values written with the fewest quotes (see
    /// [`Self::fields_in_body`], [`Self::with_quotes_needed`]): then it is the row's
    /// text as it lies.
    pub(crate) fn quotes_needed(&self) -> bool {
        self.quotes_needed
    }

    /// Whether `data` is `body` (see [`Self::fields_in_body`]).
    pub(crate) fn is_in_body(&self) -> bool {
        self.in_body
    }

    /// Whether every field is valid UTF-8.
    pub(crate) fn is_utf8(&self) -> bool {
        self.text().is_some()
    }

    /// The record's `data` as text, if it is valid UTF-8 (then so is every field).
    pub(crate) fn text(&self) -> Option<&'a str> {
        *self
            .text
            .get_or_init(|| std::str::from_utf8(self.data).ok())
    }

    /// The field's text, or `None` if it is not valid UTF-8.
    pub(crate) fn field_text(&self, index: usize) -> Option<&'a str> {
        let [start, end] = self.bounds[index];
        match self.text() {
            Some(text) => text.get(start..end),
            None => std::str::from_utf8(self.field(index)).ok(),
        }
    }

    /// Sets the field starts, already scanned from the body.
    pub(crate) fn with_starts(self, starts: &'a [usize]) -> RecordCtx<'a> {
        // A fresh cell is always empty, so `set` cannot fail here.
        let _ = self.starts.set(Cow::Borrowed(starts));
        self
    }

    /// Sets field starts that a scan of the body would not find (see `starts_fixed`).
    pub(crate) fn with_fixed_starts(self, starts: impl Into<Cow<'a, [usize]>>) -> RecordCtx<'a> {
        // A fresh cell is always empty, so `set` cannot fail here.
        let _ = self.starts.set(starts.into());
        RecordCtx {
            starts_fixed: true,
            ..self
        }
    }

    /// The field starts if they were set with [`Self::with_fixed_starts`]: those a copy
    /// of the record must keep (any others it can scan again, if ever needed).
    pub(crate) fn fixed_starts(&self) -> Option<&[usize]> {
        match self.starts_fixed {
            true => self.starts.get().map(|starts| &**starts),
            false => None,
        }
    }

    /// The delimiter between its fields.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.bounds.len()
    }

    /// The record's values, if worked out ahead (see [`value_ranges`]).
    pub(crate) fn values(&self) -> Option<Values<'a>> {
        self.values
    }

    /// The unescaped bytes of field `index`.
    pub(crate) fn field(&self, index: usize) -> &'a [u8] {
        let [start, end] = self.bounds[index];
        &self.data[start..end]
    }

    /// Where field `index`'s trimmed value is in the record's text, if worked out.
    #[inline]
    fn value_bounds(&self, index: usize) -> Option<(&'a str, usize, usize)> {
        let values = self.values?;
        Some(match values.ranges.get(index) {
            Some(&[from, to]) => (values.text, from as usize, to as usize),
            None => {
                let [start, end] = self.bounds[index];
                (values.text, start, end)
            }
        })
    }

    /// Whether the field's [value](Self::value) is empty.
    #[inline]
    pub(crate) fn value_is_empty(&self, index: usize) -> bool {
        if let Some(values) = &self.values {
            if index < EMPTY_BITS {
                return values.empty & (1 << index) != 0;
            }
        }
        match self.value_bounds(index) {
            Some((_, from, to)) => from == to,
            None => self.value(index).is_empty(),
        }
    }

    /// The field's value as text, trimmed; invalid UTF-8 (reported on its own) reads as
    /// U+FFFD, a non-empty value, so that it does not also read as missing.
    #[inline]
    pub(crate) fn value(&self, index: usize) -> &'a str {
        if let Some((text, from, to)) = self.value_bounds(index) {
            return text.get(from..to).unwrap_or("\u{FFFD}");
        }
        self.field_text(index).map_or("\u{FFFD}", trim)
    }

    /// Where each field starts in `body`.
    pub(crate) fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            Cow::Owned(match self.in_body {
                // A field in the body starts where its value does, or at the quote
                // before it: no value starts right after a quote that is not its own.
                true => self
                    .bounds
                    .iter()
                    .map(|&[start, _]| {
                        let quoted = self.body.get(start.wrapping_sub(1)) == Some(&b'"');
                        start - usize::from(quoted)
                    })
                    .collect(),
                false => scan_fields(self.body, self.delimiter).starts,
            })
        })
    }

    /// The raw byte range of field `index` in `body`, quotes included.
    pub(crate) fn field_span(&self, index: usize) -> Range<usize> {
        let starts = self.starts();
        let start = starts.get(index).copied().unwrap_or(self.body.len());
        let end = starts
            .get(index + 1)
            .map_or(self.body.len(), |&next| next.saturating_sub(1));
        start..end.max(start)
    }

    /// Where byte `pos` of `body` is, moving on from the last position asked for.
    pub(crate) fn locate(&self, pos: usize) -> Cursor {
        let mut cursor = self.cursor.get();
        cursor.advance(self.body, pos);
        self.cursor.set(cursor);
        cursor
    }

    /// The index of the field holding byte `pos` of `body`.
    pub(crate) fn field_at(&self, pos: usize) -> usize {
        self.starts()
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }
}

/// `str::trim`, without its walk through Unicode's white space in the common case of
/// a value that starts and ends with a printable ASCII character.
pub(crate) fn trim(value: &str) -> &str {
    match value.as_bytes() {
        [] => value,
        [first, .., last] | [first @ last]
            if first.is_ascii_graphic() && last.is_ascii_graphic() =>
        {
            value
        }
        _ => value.trim(),
    }
}

/// A finding before it is placed.
pub(crate) struct Draft<'a> {
    pub rule: Rule,
    pub message: String,
    pub help: Option<String>,
    /// The field's name (canonical, else the header text).
    pub field: Option<String>,
    /// The schema author's wording and severity, if the rule or column has them.
    pub text: Option<&'a RuleText>,
    /// The value, for `{value}` in the author's wording.
    pub value: Option<&'a str>,
    pub related: Vec<(u64, String)>,
}

impl<'a> Draft<'a> {
    pub(crate) fn new(rule: Rule, message: impl Into<String>) -> Draft<'a> {
        Draft {
            rule,
            message: message.into(),
            help: None,
            field: None,
            text: None,
            value: None,
            related: Vec::new(),
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Draft<'a> {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Draft<'a> {
        self.field = Some(field.into());
        self
    }

    pub(crate) fn text(mut self, text: &'a RuleText) -> Draft<'a> {
        self.text = Some(text);
        self
    }

    pub(crate) fn value(mut self, value: &'a str) -> Draft<'a> {
        self.value = Some(value);
        self
    }

    /// Names an earlier line involved in the finding.
    pub(crate) fn related(mut self, line: u64, message: impl Into<String>) -> Draft<'a> {
        self.related.push((line, message.into()));
        self
    }
}

/// Collects one input's findings.
pub(crate) struct Sink<'s> {
    file: Arc<str>,
    member: Option<Arc<str>>,
    schema: Option<&'s Schema>,
    snippets: bool,
    pub findings: Vec<Finding>,
    /// When set, keeps only the first findings of each group (see `held.rs`).
    pub keeper: Option<Keeper>,
}

impl<'s> Sink<'s> {
    pub(crate) fn new(file: Arc<str>, member: Option<Arc<str>>, snippets: bool) -> Sink<'s> {
        Sink {
            file,
            member,
            schema: None,
            snippets,
            findings: Vec::new(),
            keeper: None,
        }
    }

    /// Keeps only the first `keep` findings of each rule on each field (at each
    /// severity), counting the others.
    pub(crate) fn keep_per_group(mut self, keep: Option<usize>) -> Sink<'s> {
        self.keeper = keep.map(Keeper::new);
        self
    }

    /// Cuts the findings down to what the keeper keeps, if that is due.
    pub(crate) fn cut_if_due(&mut self) {
        if let Some(keeper) = &mut self.keeper {
            if keeper.due(&self.findings) {
                keeper.cut(&mut self.findings);
            }
        }
    }

    /// An empty sink for the same input and schema, for findings made elsewhere and
    /// merged later.
    pub(crate) fn fork(&self) -> Sink<'s> {
        Sink {
            file: self.file.clone(),
            member: self.member.clone(),
            schema: self.schema,
            snippets: self.snippets,
            findings: Vec::new(),
            keeper: self.keeper.as_ref().map(Keeper::fresh),
        }
    }

    pub(crate) fn set_schema(&mut self, schema: Option<&'s Schema>) {
        self.schema = schema;
    }

    /// The severity of a rule's findings, or `None` if the rule is off: the rule's or
    /// column's own setting, else the schema's `[rules]`, else the catalogue default.
    pub(crate) fn severity(&self, rule: Rule, text: Option<&RuleText>) -> Option<Severity> {
        let setting = text.and_then(|t| t.severity).or_else(|| {
            self.schema
                .and_then(|s| s.rule_severity.get(&rule).copied())
        });
        match setting {
            Some(SeveritySetting::Off) => None,
            Some(SeveritySetting::Level(level)) => Some(level),
            None => Some(rule.default_severity()),
        }
    }

    /// Whether the rule runs at all (with no per-entry override).
    pub(crate) fn enabled(&self, rule: Rule) -> bool {
        self.severity(rule, None).is_some()
    }

    /// A finding on the input as a whole.
    pub(crate) fn at_file(&mut self, draft: Draft<'_>) {
        self.push(draft, None, None, None, None, None);
    }

    /// A finding on a physical line rather than a field: a blank line (no record), the
    /// header as a whole (record 0), the byte order mark (column 1).
    pub(crate) fn at_line(
        &mut self,
        line: u64,
        column: Option<u64>,
        record: Option<u64>,
        offset: u64,
        draft: Draft<'_>,
    ) {
        self.push(draft, Some(offset), Some(line), column, record, None);
    }

    /// A finding on a record as a whole: its first line, no column.
    pub(crate) fn at_record(&mut self, rec: &RecordCtx<'_>, draft: Draft<'_>) {
        let Some(severity) = self.severity(draft.rule, draft.text) else {
            return;
        };
        let snippet = self.snippets.then(|| {
            let end = memchr::memchr2(b'\n', b'\r', rec.body).unwrap_or(rec.body.len());
            snippet(rec.body, rec.line, 0..end)
        });
        let finding = self.build(
            draft,
            severity,
            Some(rec.offset),
            Some(rec.line),
            None,
            Some(rec.record),
            snippet,
        );
        self.findings.push(finding);
    }

    /// A finding on field `index` of a record: at its first character.
    pub(crate) fn at_field(&mut self, rec: &RecordCtx<'_>, index: usize, draft: Draft<'_>) {
        if self.severity(draft.rule, draft.text).is_none() {
            return;
        }
        let span = rec.field_span(index);
        self.at_span(rec, span, draft);
    }

    /// A finding on a byte range of a record's body.
    pub(crate) fn at_span(&mut self, rec: &RecordCtx<'_>, span: Range<usize>, draft: Draft<'_>) {
        let Some(severity) = self.severity(draft.rule, draft.text) else {
            return;
        };
        let at = rec.locate(span.start);
        let (line, column) = (rec.line + at.line, at.column + 1);
        let snippet = self.snippets.then(|| {
            // Underline at least one character, so that an empty field still shows.
            let end = span.end.max(span.start + 1);
            snippet_at(rec.body, rec.line, span.start..end, &at)
        });
        let finding = self.build(
            draft,
            severity,
            Some(rec.offset + span.start as u64),
            Some(line),
            Some(column),
            Some(rec.record),
            snippet,
        );
        self.findings.push(finding);
    }

    fn push(
        &mut self,
        draft: Draft<'_>,
        offset: Option<u64>,
        line: Option<u64>,
        column: Option<u64>,
        record: Option<u64>,
        snippet: Option<csvgate_diagnostics::Snippet>,
    ) {
        if let Some(severity) = self.severity(draft.rule, draft.text) {
            let finding = self.build(draft, severity, offset, line, column, record, snippet);
            self.findings.push(finding);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        draft: Draft<'_>,
        severity: Severity,
        byte_offset: Option<u64>,
        line: Option<u64>,
        column: Option<u64>,
        record: Option<u64>,
        snippet: Option<csvgate_diagnostics::Snippet>,
    ) -> Finding {
        let fill = |template: &str| {
            template
                .replace("{value}", draft.value.unwrap_or(""))
                .replace("{field}", draft.field.as_deref().unwrap_or(""))
        };
        let message = match draft.text.and_then(|t| t.message.as_deref()) {
            Some(own) => fill(own),
            None => draft.message,
        };
        let help = match draft.text.and_then(|t| t.help.as_deref()) {
            Some(own) => Some(fill(own)),
            None => draft.help,
        };
        let related = draft
            .related
            .into_iter()
            .map(|(line, message)| Related {
                file: self.file.clone(),
                member: self.member.clone(),
                line: Some(line),
                column: None,
                message,
            })
            .collect();
        Finding {
            rule: draft.rule,
            severity,
            message,
            help,
            location: Location {
                file: self.file.clone(),
                member: self.member.clone(),
                byte_offset,
                line,
                column,
                record,
                field: draft.field,
            },
            related,
            snippet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{trim, value_ranges};

    /// Values with and without white space (ASCII, Unicode, line breaks) around them.
    const SAMPLES: [&str; 15] = [
        "",
        "a",
        " ",
        "ab",
        " a",
        "a ",
        " a ",
        "\u{A0}x\u{3000}",
        "x\u{85}",
        "\té",
        "é",
        "a b",
        "\u{7F}",
        "\u{2003}",
        "\r\n",
    ];

    #[test]
    fn trim_is_str_trim() {
        for value in SAMPLES {
            assert_eq!(trim(value), value.trim(), "{value:?}");
        }
    }

    #[test]
    fn value_ranges_are_where_str_trim_puts_each_value() {
        let pieces = SAMPLES;
        let mut picker = crate::testing::picker(7);
        for _ in 0..2_000 {
            let fields: Vec<&str> = (0..picker(6) + 1)
                .map(|_| pieces[picker(pieces.len())])
                .collect();
            let text = fields.concat();
            let bounds = crate::testing::bounds_of(&fields);
            let mut ranges = vec![[9, 9]];
            let trimmed = fields.iter().any(|f| f.trim() != *f);
            let Some(empty_mask) = value_ranges(text.as_bytes(), &bounds, &mut ranges) else {
                panic!("worked out: {fields:?}")
            };
            let empty = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.trim().is_empty())
                .fold(0, |mask, (i, _)| mask | 1 << i);
            assert_eq!(empty_mask, empty, "{fields:?}");
            if ranges.len() == 1 {
                assert!(!trimmed, "a value to trim: {fields:?}");
                assert_eq!(ranges.len(), 1, "nothing appended: {fields:?}");
                continue;
            }
            assert_eq!(
                ranges.len(),
                fields.len() + 1,
                "appended after what was there"
            );
            for (field, [from, to]) in fields.iter().zip(&ranges[1..]) {
                assert_eq!(
                    &text[*from as usize..*to as usize],
                    field.trim(),
                    "{fields:?}"
                );
            }
        }
        // Field ends inside a character: not worked out, nothing appended.
        let mut ranges = Vec::new();
        assert_eq!(
            value_ranges(" é ".as_bytes(), &[[0, 2], [2, 4]], &mut ranges),
            None
        );
        assert!(ranges.is_empty());
    }
}
