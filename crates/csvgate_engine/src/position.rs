//! Positions inside a record's raw bytes: where fields start, where quotes go wrong,
//! and the physical line and character column of any byte.
//!
//! Everything here works on one record's raw bytes and runs only when needed: for a
//! record that holds a quote (to check its quoting) or that has a finding (to place
//! it). The clean, quote-free path never calls it.

use memchr::{memchr, memchr2, memchr_iter};

use csvgate_diagnostics::Snippet;

use crate::place::Bound;

/// How a record ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Terminator {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// A lone `\r`.
    Cr,
    /// The end of the input.
    None,
}

impl Terminator {
    /// Splits a record's raw bytes (without leading blank lines) into body and
    /// terminator.
    pub(crate) fn split(raw: &[u8]) -> (&[u8], Terminator) {
        match raw {
            [body @ .., b'\r', b'\n'] => (body, Terminator::CrLf),
            [body @ .., b'\n'] => (body, Terminator::Lf),
            [body @ .., b'\r'] => (body, Terminator::Cr),
            body => (body, Terminator::None),
        }
    }

    /// How a person calls it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Terminator::Lf => "LF",
            Terminator::CrLf => "CRLF",
            Terminator::Cr => "CR",
            Terminator::None => "none",
        }
    }
}

/// The blank lines before a record: csv-core skips them silently, so they arrive as a
/// prefix of the next record's raw bytes. Returns the offset of each blank line and the
/// length of the prefix.
pub(crate) fn leading_blank_lines(raw: &[u8]) -> (Vec<usize>, usize) {
    let mut starts = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => {
                starts.push(i);
                i += 2;
            }
            b'\r' | b'\n' => {
                starts.push(i);
                i += 1;
            }
            _ => break,
        }
    }
    (starts, i)
}

/// Whether a field is empty once trimmed, by the same trim the values get (Unicode
/// whitespace; ASCII whitespace for bytes that are not UTF-8): `blank-row` and `--fix`
/// agree on what a blank record is.
pub(crate) fn is_blank(field: &[u8]) -> bool {
    // Nearly every field that is not blank starts with printable ASCII, which no trim
    // takes away: no need to read it as UTF-8.
    if field.first().is_some_and(u8::is_ascii_graphic) {
        return false;
    }
    std::str::from_utf8(field).map_or_else(
        |_| field.trim_ascii().is_empty(),
        |text| text.trim().is_empty(),
    )
}

/// The number of line breaks (`\n`, `\r\n` or a lone `\r`) in `bytes`.
pub(crate) fn count_line_breaks(bytes: &[u8]) -> u64 {
    let lf = memchr_iter(b'\n', bytes).count() as u64;
    if memchr(b'\r', bytes).is_none() {
        return lf;
    }
    let lone_cr = memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    lf + lone_cr
}

/// A quoting mistake inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteIssue {
    /// A quote inside a field that did not start with one, at this offset.
    InUnquotedField(usize),
    /// Text right after a closing quote, at this offset.
    AfterClosingQuote(usize),
}

/// The raw layout of a record body: where each field starts, and quoting mistakes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldScan {
    /// Offset of each field's first byte (its opening quote, if quoted).
    pub starts: Vec<usize>,
    /// Quoting mistakes, in order.
    pub issues: Vec<QuoteIssue>,
    /// The opening quote of a field still open at the end of the body.
    pub unclosed: Option<usize>,
}

#[derive(Clone, Copy)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Scans a record body the way csv-core parses it (quoting on, doubled quotes as
/// escapes, no escape character), so that field boundaries agree with csv-core's
/// fields exactly, including for the lenient readings of bad quoting.
pub(crate) fn scan_fields(body: &[u8], delimiter: u8) -> FieldScan {
    let mut starts = Vec::new();
    let (issues, unclosed) = scan_fields_into(body, delimiter, &mut starts);
    FieldScan {
        starts,
        issues,
        unclosed,
    }
}

/// The field starts of a record whose quoting is plain, as nearly every quoted record
/// of a real file is: each quote opens or closes a whole field, with none doubled
/// inside it and none elsewhere. Worked out from csv-core's reading of the record (the
/// bounds of its unescaped fields) and the body's quotes, without walking the body byte
/// by byte. `true`: the starts are in `starts`, and [`scan_fields_into`] would find the
/// same starts and no quoting mistake; `false`: ask it.
pub(crate) fn plain_quoted_starts(
    body: &[u8],
    delimiter: u8,
    bounds: &[Bound],
    starts: &mut Vec<usize>,
) -> bool {
    starts.clear();
    if bounds.is_empty() {
        return false;
    }
    let mut quotes = memchr_iter(b'"', body);
    let mut pos = 0;
    for (index, &[from, to]) in bounds.iter().enumerate() {
        if index > 0 {
            if body.get(pos) != Some(&delimiter) {
                return false;
            }
            pos += 1;
        }
        starts.push(pos);
        let len = to - from;
        if body.get(pos) == Some(&b'"') {
            // Quoted: the value as it is, between two quotes that are the next two
            // quotes of the body; a quote between them would be a doubled one.
            let close = pos + len + 1;
            if quotes.next() != Some(pos) || quotes.next() != Some(close) {
                return false;
            }
            pos = close + 1;
        } else {
            // Unquoted: the value as it is; a quote in it is left for the iterator to
            // meet out of turn.
            pos += len;
        }
    }
    pos == body.len() && quotes.next().is_none()
}

/// Whether `bytes` hold what a CSV value must be quoted for: the delimiter, a quote or
/// a line break. (Folded without stopping early, which the compiler turns into wide
/// compares: values are short, and a search's set-up would cost more.)
pub(crate) fn needs_quotes(bytes: &[u8], delimiter: u8) -> bool {
    bytes.iter().fold(false, |needs, &b| {
        needs | (b == delimiter) | (b == b'"') | (b == b'\n') | (b == b'\r')
    })
}

/// Whether every quoted field of a record whose quoting has no mistake, its fields
/// starting at `starts` in `body`, needs its quotes (holds the delimiter, a quote or
/// a line break): the body is then the values written with the fewest quotes.
pub(crate) fn quotes_all_needed(body: &[u8], starts: &[usize], delimiter: u8) -> bool {
    starts.iter().enumerate().all(|(index, &start)| {
        let end = starts
            .get(index + 1)
            .map_or(body.len(), |&next| next.saturating_sub(1));
        match body.get(start..end) {
            Some([b'"', inner @ .., b'"']) => needs_quotes(inner, delimiter),
            Some(_) => true,
            None => false,
        }
    })
}

/// [`scan_fields`] into a buffer the caller reuses from record to record (`starts` is
/// cleared first): the quoting mistakes and the unclosed quote are returned, the field
/// starts left in `starts`.
pub(crate) fn scan_fields_into(
    body: &[u8],
    delimiter: u8,
    starts: &mut Vec<usize>,
) -> (Vec<QuoteIssue>, Option<usize>) {
    starts.clear();
    starts.push(0);
    let mut scan = Scan {
        starts,
        issues: Vec::new(),
        unclosed: None,
    };
    let mut state = State::FieldStart;
    let mut opening = 0;
    let mut i = 0;
    while i < body.len() {
        match state {
            State::FieldStart => {
                if body[i] == b'"' {
                    opening = i;
                    state = State::Quoted;
                } else if body[i] == delimiter {
                    scan.starts.push(i + 1);
                } else {
                    state = State::Unquoted;
                    continue;
                }
                i += 1;
            }
            State::Unquoted => match memchr2(delimiter, b'"', &body[i..]) {
                None => i = body.len(),
                Some(n) => {
                    i += n;
                    if body[i] == b'"' {
                        scan.issues.push(QuoteIssue::InUnquotedField(i));
                    } else {
                        scan.starts.push(i + 1);
                        state = State::FieldStart;
                    }
                    i += 1;
                }
            },
            State::Quoted => match memchr(b'"', &body[i..]) {
                None => i = body.len(),
                Some(n) => {
                    i += n + 1;
                    state = State::QuoteInQuoted;
                }
            },
            State::QuoteInQuoted => {
                if body[i] == b'"' {
                    state = State::Quoted;
                } else if body[i] == delimiter {
                    scan.starts.push(i + 1);
                    state = State::FieldStart;
                } else {
                    scan.issues.push(QuoteIssue::AfterClosingQuote(i));
                    state = State::Unquoted;
                }
                i += 1;
            }
        }
    }
    if matches!(state, State::Quoted) {
        scan.unclosed = Some(opening);
    }
    (scan.issues, scan.unclosed)
}

/// The scan in progress.
struct Scan<'b> {
    starts: &'b mut Vec<usize>,
    issues: Vec<QuoteIssue>,
    unclosed: Option<usize>,
}

/// Where a byte of a record's body is: how many line breaks come before it, where
/// its line starts, and how many characters of that line come before it.
///
/// Kept from one finding of a record to the next and moved on from there when the
/// next is further on (findings come mostly in field order): placing many findings
/// along one long record (a header of 100,000 unknown names) stays linear.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cursor {
    pos: usize,
    /// Line breaks before `pos`.
    pub line: u64,
    /// The start of `pos`'s line.
    pub line_start: usize,
    /// Characters from `line_start` to `pos`.
    pub column: u64,
}

impl Cursor {
    /// Moves the cursor to `pos` (at most the body's end).
    pub(crate) fn advance(&mut self, body: &[u8], pos: usize) {
        let pos = pos.min(body.len());
        let inside_crlf =
            |at: usize| at > 0 && body[at - 1] == b'\r' && body.get(at) == Some(&b'\n');
        // Counting line breaks piece by piece is exact unless a piece starts or ends
        // inside a CRLF; back from the start then (as for a position before the
        // cursor).
        if pos < self.pos || inside_crlf(pos) || inside_crlf(self.pos) {
            *self = Cursor::default();
        }
        let piece = &body[self.pos..pos];
        let breaks = count_line_breaks(piece);
        if breaks == 0 {
            self.column += char_count(piece) as u64;
        } else {
            self.line += breaks;
            self.line_start = self.pos + last_line_start(piece);
            self.column = char_count(&body[self.line_start..pos]) as u64;
        }
        self.pos = pos;
    }
}

/// Characters in possibly invalid UTF-8: every byte that does not continue a sequence.
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn last_line_start(before: &[u8]) -> usize {
    match memchr::memrchr2(b'\n', b'\r', before) {
        Some(i) => i + 1,
        None => 0,
    }
}

/// Longest excerpt kept of one line, in bytes; very long lines are cut around the span.
const SNIPPET_MAX: usize = 240;

/// The physical line of `body` holding `span.start`, as a [`Snippet`] whose span covers
/// `span` (cut at the line's end).
pub(crate) fn snippet(body: &[u8], first_line: u64, span: std::ops::Range<usize>) -> Snippet {
    let mut cursor = Cursor::default();
    cursor.advance(body, span.start);
    snippet_at(body, first_line, span, &cursor)
}

/// [`snippet`], with `at` a cursor at `span.start`.
pub(crate) fn snippet_at(
    body: &[u8],
    first_line: u64,
    span: std::ops::Range<usize>,
    at: &Cursor,
) -> Snippet {
    let start = span.start.min(body.len());
    let line_start = at.line_start;
    // The line's end is looked for only as far as the snippet could reach: past that,
    // any end gives the same cut window (and a long line searched to its end for
    // each of many findings would make placing them quadratic).
    let reach = span
        .end
        .max(start + 2 * SNIPPET_MAX)
        .saturating_add(4)
        .min(body.len());
    let line_end = memchr2(b'\n', b'\r', &body[start..reach]).map_or(reach, |n| start + n);
    cut_line(body, line_start..line_end, span, first_line + at.line)
}

/// The snippet of the line `line` of `body` (physical line `line_number`), with `span`
/// cut at the line's end, and very long lines cut to a window around the span.
fn cut_line(
    body: &[u8],
    line: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
    line_number: u64,
) -> Snippet {
    let (line_start, line_end) = (line.start, line.end);
    let start = span.start.min(body.len());
    let end = span.end.clamp(start, line_end);
    // Cut very long lines to a window around the span, on character boundaries.
    let mut from = line_start;
    let mut to = line_end;
    let mut truncated = false;
    if to - from > SNIPPET_MAX {
        truncated = true;
        from = start.saturating_sub(SNIPPET_MAX / 3).max(line_start);
        while from > line_start && (body[from] as i8) < -0x40 {
            from -= 1;
        }
        // A span longer than the window is cut too: its start underlined to the
        // window's end (a value of 100,000 characters drawn whole helps no one).
        to = (from + SNIPPET_MAX).min(line_end);
        while to < line_end && (body[to] as i8) < -0x40 {
            to += 1;
        }
    }
    let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let text = lossy(&body[from..to]);
    let span_start = lossy(&body[from..start]).len();
    let span_end = span_start + lossy(&body[start..end.min(to)]).len();
    Snippet {
        first_line: line_number,
        text,
        span: span_start..span_end,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_those_the_trim_of_values_empties() {
        for field in [
            &b""[..],
            b" ",
            b"\t \r",
            "\u{A0}\u{3000}".as_bytes(),
            b"a",
            b" a ",
            b"~",
            "\u{A0}x".as_bytes(),
            b"\xFF",
            b" \xFF",
            b"\x0B\x0C",
        ] {
            let by_trim = match std::str::from_utf8(field) {
                Ok(text) => text.trim().is_empty(),
                Err(_) => field.trim_ascii().is_empty(),
            };
            assert_eq!(is_blank(field), by_trim, "{field:?}");
        }
    }

    #[test]
    fn terminators() {
        assert_eq!(
            Terminator::split(b"a,b\r\n"),
            (&b"a,b"[..], Terminator::CrLf)
        );
        assert_eq!(Terminator::split(b"a,b\n"), (&b"a,b"[..], Terminator::Lf));
        assert_eq!(Terminator::split(b"a,b"), (&b"a,b"[..], Terminator::None));
    }

    #[test]
    fn blank_line_prefix() {
        assert_eq!(leading_blank_lines(b"\n\r\n\ra,b\n"), (vec![0, 1, 3], 4));
        assert_eq!(leading_blank_lines(b"a\n"), (vec![], 0));
    }

    #[test]
    fn fields_start_at_opening_quotes_and_after_delimiters() {
        let scan = scan_fields(b"a,\"b,\nc\",,d", b',');
        assert_eq!(scan.starts, [0, 2, 9, 10]);
        assert!(scan.issues.is_empty());
        assert_eq!(scan.unclosed, None);
    }

    #[test]
    fn doubled_quotes_are_escapes_not_mistakes() {
        let scan = scan_fields(br#""say ""hi""",x"#, b',');
        assert_eq!(scan.starts, [0, 13]);
        assert!(scan.issues.is_empty());
    }

    #[test]
    fn stray_quotes_are_found_where_they_are() {
        let scan = scan_fields(br#"5" screen,"abc"def,"ok""#, b',');
        assert_eq!(
            scan.issues,
            [
                QuoteIssue::InUnquotedField(1),
                QuoteIssue::AfterClosingQuote(15)
            ]
        );
        assert_eq!(scan.starts, [0, 10, 19]);
    }

    #[test]
    fn unclosed_quote_is_reported_at_its_opening() {
        let scan = scan_fields(b"a,\"bc\nd,e", b',');
        assert_eq!(scan.unclosed, Some(2));
        assert_eq!(scan.starts, [0, 2]);
    }

    #[test]
    fn columns_count_characters_and_lines_count_inner_breaks() {
        let body = "é,\"x\ny\",日本,z".as_bytes();
        let scan = scan_fields(body, b',');
        assert_eq!(line_column(body, 5, scan.starts[1]), (5, 3));
        let third = scan.starts[2];
        assert_eq!(line_column(body, 5, third), (6, 4));
        assert_eq!(line_column(body, 5, scan.starts[3]), (6, 7));
    }

    /// The physical line and 1-based character column of `pos` in a record body that
    /// starts at column 1 of line `first_line`, worked out from the start.
    fn line_column(body: &[u8], first_line: u64, pos: usize) -> (u64, u64) {
        let before = &body[..pos.min(body.len())];
        let line_start = last_line_start(before);
        let line = first_line + count_line_breaks(before);
        (line, char_count(&before[line_start..]) as u64 + 1)
    }

    /// The snippet as worked out before cursors: the line's end searched to the end of
    /// the body, its number counted from the body's start.
    fn snippet_reference(body: &[u8], first_line: u64, span: std::ops::Range<usize>) -> Snippet {
        let start = span.start.min(body.len());
        let line_start = last_line_start(&body[..start]);
        let line_end = memchr2(b'\n', b'\r', &body[start..]).map_or(body.len(), |n| start + n);
        let line = first_line + count_line_breaks(&body[..line_start]);
        cut_line(body, line_start..line_end, span, line)
    }

    #[test]
    fn a_cursor_moved_on_finds_what_a_count_from_the_start_finds() {
        let long = "x".repeat(300);
        let pieces: &[&[u8]] = &[
            b"a",
            b",",
            b"\n",
            b"\r",
            b"\r\n",
            "é".as_bytes(),
            "日".as_bytes(),
            long.as_bytes(),
        ];
        let mut next = crate::testing::picker(0x853C_49E6_748F_EA9B_u64);
        for _ in 0..2000 {
            let mut body = Vec::new();
            for _ in 0..next(30) {
                body.extend_from_slice(pieces[next(pieces.len())]);
            }
            let mut cursor = Cursor::default();
            for _ in 0..10 {
                // Mostly forward, sometimes back.
                let pos = next(body.len() + 2);
                cursor.advance(&body, pos);
                let (line, column) = line_column(&body, 0, pos);
                assert_eq!(
                    (cursor.line, cursor.column + 1),
                    (line, column),
                    "{body:?} at {pos}"
                );
                let start = pos.min(body.len());
                assert_eq!(
                    cursor.line_start,
                    last_line_start(&body[..start]),
                    "{body:?} at {pos}"
                );
                let span = start..(start + next(900)).min(body.len());
                assert_eq!(
                    snippet_at(&body, 1, span.clone(), &cursor),
                    snippet_reference(&body, 1, span),
                    "{body:?} at {pos}"
                );
            }
        }
    }

    #[test]
    fn snippet_is_the_line_of_the_span() {
        let body = "a,\"x\ny\",日本,z".as_bytes();
        let s = snippet(body, 3, 8..14);
        assert_eq!(s.first_line, 4);
        assert_eq!(s.text, "y\",日本,z");
        assert_eq!(&s.text[s.span.clone()], "日本");
    }

    #[test]
    fn long_lines_are_cut_on_character_boundaries() {
        let body = "é".repeat(400);
        let s = snippet(body.as_bytes(), 1, 400..402);
        assert!(s.truncated);
        assert!(s.text.len() <= SNIPPET_MAX + 4);
        assert_eq!(&s.text[s.span.clone()], "é");
    }

    #[test]
    fn a_span_longer_than_the_window_is_cut_with_it() {
        let body = format!("a,{},b", "é".repeat(100_000));
        let s = snippet(body.as_bytes(), 1, 2..200_002);
        assert!(s.truncated);
        assert!(s.text.len() <= SNIPPET_MAX + 4, "{} bytes", s.text.len());
        assert_eq!(s.text, format!("a,{}", "é".repeat(119)));
        assert_eq!(s.span, 2..s.text.len());
    }

    /// csv-core's reading of the first record of `body`: its field ends.
    fn csv_core_ends(body: &[u8]) -> Vec<usize> {
        let mut reader = csv_core::Reader::new();
        let mut data = vec![0; body.len() + 1];
        let mut ends = vec![0; body.len() + 2];
        let (mut input, mut written, mut fields) = (body, 0, 0);
        loop {
            let (result, read, out, ended) =
                reader.read_record(input, &mut data[written..], &mut ends[fields..]);
            input = &input[read..];
            written += out;
            fields += ended;
            // Input used up: asked again with nothing, csv-core ends the record.
            if !matches!(result, csv_core::ReadRecordResult::InputEmpty) {
                return ends[..fields].to_vec();
            }
        }
    }

    #[test]
    fn plain_quoting_gives_the_starts_the_full_scan_gives() {
        assert!(plain_quoted_starts(
            b"a,\"b,c\",\"\"",
            b',',
            &[[0, 1], [1, 4], [4, 4]],
            &mut Vec::new()
        ));
        let pieces: [&[u8]; 9] = [
            b"a", b",", b"\"", b"\"\"", b"x y", b"\n", b"\"q\"", b"\"r,s\"", b"",
        ];
        let mut picker = crate::testing::picker(11);
        let (mut plain, mut not_plain) = (0, 0);
        let mut starts = Vec::new();
        for _ in 0..6_000 {
            let body: Vec<u8> = (0..picker(7) + 1)
                .flat_map(|_| pieces[picker(pieces.len())].iter().copied())
                .collect();
            let mut bounds = Vec::new();
            crate::place::bounds_of_ends(&csv_core_ends(&body), &mut bounds);
            let scan = scan_fields(&body, b',');
            if plain_quoted_starts(&body, b',', &bounds, &mut starts) {
                plain += 1;
                assert_eq!(
                    (&starts, scan.issues.len(), scan.unclosed),
                    (&scan.starts, 0, None),
                    "{:?}",
                    String::from_utf8_lossy(&body)
                );
            } else {
                not_plain += 1;
            }
        }
        assert!(
            plain > 500 && not_plain > 500,
            "{plain} plain, {not_plain} not"
        );
    }
}
