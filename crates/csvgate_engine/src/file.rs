//! The checks of one file, record by record: structure on the raw bytes (blank lines,
//! line endings, UTF-8, quotes, field counts), then the header, then each data record's
//! values, row rules and cross-row rules.

use csvgate_diagnostics::Rule;
use csvgate_schema::Schema;

use crate::check::{Detection, FileReport, Stream};
use crate::detect::{self, HeaderMatch};
use crate::fields::{self, Passed};
use crate::header::{bind, Binding};
use crate::place::{value_ranges, Bound, Draft, RecordCtx, Sink, ValueRange};
use crate::position::{
    count_line_breaks, is_blank, leading_blank_lines, plain_quoted_starts, quotes_all_needed,
    scan_fields_into, QuoteIssue, Terminator,
};
use crate::reader::{Quotes, RawRecord, Run, MAX_RECORD_BYTES};
use crate::references::MemberLinks;
use crate::shifted;
use crate::stage::{Pipe, Progress, Worker};
use csvgate_diagnostics::Finding;
use std::sync::mpsc::Receiver;

/// How reading goes on after a record that went wrong.
pub(crate) enum Recovery {
    /// Read these bytes (from input offset `offset`) again, then the rest of the
    /// input: what follows the line of an unclosed quote.
    Unread { bytes: Vec<u8>, offset: u64 },
    /// Drop the input up to the next line break: a record too long to hold.
    SkipLine,
}

/// What is known once the header has been read.
struct Header {
    binding: Binding,
    width: usize,
    terminator: Terminator,
    /// The header row's names as written, and its raw bytes, kept to place a
    /// `shifted-columns` finding once data rows have shown it.
    names: Vec<String>,
    raw: HeaderCopy,
    /// The first data rows' values, while `shifted-columns` is still to be decided.
    sample: Option<Vec<Vec<String>>>,
}

/// An owned copy of the header record, to place findings on it later.
struct HeaderCopy {
    body: Vec<u8>,
    data: Vec<u8>,
    bounds: Vec<Bound>,
    offset: u64,
    line: u64,
}

/// Where the cross-row checks run.
enum Stage<'s> {
    /// Before the header: the bundle's links and the pipe (if the stage is threaded)
    /// wait for the checks to be compiled against the header.
    Waiting {
        links: MemberLinks<'s>,
        pipe: Option<Pipe<'s>>,
    },
    /// In this thread.
    Inline(Box<Worker<'s>>),
    /// On the stage's own thread, fed through the pipe.
    Piped(Pipe<'s>),
    /// The pipe is closed; the worker comes back from its thread.
    Closed,
}

/// The first record ending unlike the header, and how many more did.
struct MixedEndings {
    /// Where its finding is: a stream holds findings from there on back, since the
    /// finding's message gets the count of the others at the end.
    offset: u64,
    /// Records ending unlike the header after the first.
    more: u64,
}

/// Checks one file's records as they stream past.
pub(crate) struct FileChecker<'s> {
    sink: Sink<'s>,
    schema: Option<&'s Schema>,
    candidates: Option<&'s [Schema]>,
    detection: Detection,
    delimiter: u8,
    /// The physical line of the next raw byte.
    line: u64,
    /// Data records read.
    records: u64,
    header: Option<Header>,
    mixed: Option<MixedEndings>,
    /// The cross-row checks, with the bundle's references this file takes part in.
    stage: Stage<'s>,
    /// The input's size, until it has been used to size the cross-row state.
    size_hint: Option<u64>,
    /// Field starts of the current quoted record, reused from record to record.
    starts: Vec<usize>,
    /// The values that passed the own checks run on this thread (see [`Passed`]).
    passed: Passed,
    /// Where the values of a run's records are, kept for its allocation (see
    /// [`FileChecker::run`]).
    ranges: Vec<ValueRange>,
    /// The input is not text (`binary-file`) and was not read.
    not_text: bool,
    /// Records longer than this many bytes are cut by the reader.
    record_limit: usize,
    /// Where confirmed findings go, if they stream (see [`Options::stream`]).
    stream: Option<Stream>,
    /// The cross-row stage's findings, taken from it but not yet confirmed.
    from_stage: Vec<Finding>,
    /// The offset below which the cross-row stage has checked every record.
    stage_below: u64,
    /// The offset below which every finding has been streamed.
    streamed_below: u64,
    /// The stage thread's reports, kept once the pipe is closed, to be read at the end.
    stage_progress: Option<Receiver<Progress>>,
    /// Records between two looks for confirmed findings.
    stream_every: u64,
}

/// Records read between two hand-overs of confirmed findings to a stream, at most
/// (fewer with smaller batches, as tests use).
const STREAM_EVERY: u64 = 256;

impl<'s> FileChecker<'s> {
    pub(crate) fn new(
        sink: Sink<'s>,
        schema: Option<&'s Schema>,
        candidates: Option<&'s [Schema]>,
        detection: Detection,
        links: MemberLinks<'s>,
    ) -> FileChecker<'s> {
        let delimiter = schema.map_or(b',', |s| s.delimiter);
        FileChecker {
            sink,
            schema,
            candidates,
            detection,
            delimiter,
            line: 1,
            records: 0,
            header: None,
            mixed: None,
            stage: Stage::Waiting { links, pipe: None },
            size_hint: None,
            starts: Vec::new(),
            passed: Passed::default(),
            ranges: Vec::new(),
            not_text: false,
            record_limit: MAX_RECORD_BYTES,
            stream: None,
            from_stage: Vec::new(),
            stage_below: 0,
            streamed_below: 0,
            stage_progress: None,
            stream_every: STREAM_EVERY,
        }
    }

    /// Sizes the cross-row state from the input's size, once some records have shown
    /// how long a record is.
    pub(crate) fn with_size_hint(mut self, bytes: Option<u64>) -> FileChecker<'s> {
        self.size_hint = bytes;
        self
    }

    /// Hands the findings to `stream` as they are confirmed, looking for confirmed
    /// ones every `every` records.
    pub(crate) fn with_stream(mut self, stream: Option<Stream>, every: usize) -> FileChecker<'s> {
        self.stream = stream;
        self.stream_every = (every as u64).clamp(1, STREAM_EVERY);
        self
    }

    /// Hands the findings no later finding can precede to the stream, if there is one.
    ///
    /// A finding is confirmed when its offset is below what every source of findings
    /// still to come has passed: the reading side's are all at or after the record it
    /// reads next; the cross-row stage's at or after the first record it has not
    /// checked. Two findings are placed early but made late, and hold the rest back
    /// until they are settled: `shifted-columns` (on the header, decided after the
    /// first rows) and the first `mixed-line-endings` (whose message counts the
    /// others at the end). Nothing streams before the header: a file of blank lines
    /// is one `empty-file` in the end.
    ///
    /// `read_to` is the offset the reading side has read to.
    fn stream_confirmed(&mut self, read_to: u64) {
        let Some(stream) = &self.stream else {
            return;
        };
        match &mut self.stage {
            Stage::Inline(worker) => {
                let (findings, below) = worker.take_findings();
                self.from_stage.extend(findings);
                self.stage_below = below;
            }
            Stage::Piped(pipe) => {
                if let Some(progress) = &pipe.progress {
                    while let Ok((findings, below)) = progress.try_recv() {
                        self.from_stage.extend(findings);
                        self.stage_below = below;
                    }
                }
            }
            Stage::Waiting { .. } | Stage::Closed => return,
        }
        let Some(header) = &self.header else {
            return;
        };
        let mut below = self.stage_below.min(read_to);
        if header.sample.is_some() {
            below = below.min(header.raw.offset);
        }
        if let Some(mixed) = &self.mixed {
            below = below.min(mixed.offset);
        }
        // Findings still to come are all at or past the last bound, so nothing waiting
        // is confirmed until the bound moves (a hold can keep it still for long: the
        // waiting findings are not looked through again each time).
        if below <= self.streamed_below {
            return;
        }
        self.streamed_below = below;
        let confirmed = |f: &Finding| f.location.byte_offset.is_none_or(|at| at < below);
        let (mut ready, rest): (Vec<Finding>, Vec<Finding>) =
            self.sink.findings.drain(..).partition(confirmed);
        self.sink.findings = rest;
        let (from_stage, rest): (Vec<Finding>, Vec<Finding>) =
            self.from_stage.drain(..).partition(confirmed);
        self.from_stage = rest;
        ready.extend(from_stage);
        ready.sort_by_key(|f| f.sort_key());
        stream.send(ready);
    }

    /// Runs the cross-row checks on another thread, fed through `pipe`.
    pub(crate) fn set_pipe(&mut self, pipe: Pipe<'s>) {
        if let Stage::Waiting { pipe: slot, .. } = &mut self.stage {
            *slot = Some(pipe);
        }
    }

    /// Reports an input that is not text, `kind` saying what it seems to be. Returns
    /// whether to stop there (unless the schema turned `binary-file` off, when the
    /// input is read as text after all).
    pub(crate) fn not_text(&mut self, kind: &str) -> bool {
        if !self.sink.enabled(Rule::BinaryFile) {
            return false;
        }
        self.not_text = true;
        self.sink.at_file(
            Draft::new(
                Rule::BinaryFile,
                format!("the file is not text: it looks like {kind}"),
            )
            .help("export the data as CSV, saved as UTF-8 (in Excel: CSV UTF-8)"),
        );
        true
    }

    /// Sends the last records to the stage's thread and closes the pipe, which ends
    /// the thread.
    pub(crate) fn close_pipe(&mut self) {
        match &mut self.stage {
            Stage::Piped(pipe) => {
                // Reports still on their way are read after the thread has ended.
                self.stage_progress = pipe.progress.take();
                self.flush_pipe();
                self.stage = Stage::Closed;
            }
            Stage::Waiting { pipe, .. } => *pipe = None,
            Stage::Inline(_) | Stage::Closed => {}
        }
    }

    /// The field delimiter the input is read with.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    pub(crate) fn sink(&mut self) -> &mut Sink<'s> {
        &mut self.sink
    }

    /// Checks one raw record. Returns how to go on when the record went wrong: an
    /// unclosed quote that swallowed the rest of the input, or (when `cut`, the
    /// record is longer than the reader holds) a line without an end.
    pub(crate) fn record(&mut self, raw: &RawRecord<'_>, cut: bool) -> Option<Recovery> {
        // A record whose quotes the reader knows is a plain one: its fields are in its
        // body as they are, no blank line comes before it, and no line break is in it.
        // The rest of this is for the records csv-core read (and holds for any).
        if raw.quotes != Quotes::Unknown && !cut {
            self.plain_record(raw);
            return None;
        }
        let (blank_lines, skip) = leading_blank_lines(raw.raw);
        for &at in &blank_lines {
            self.blank_line(raw.offset + at as u64);
        }
        let (body, terminator) = Terminator::split(&raw.raw[skip..]);
        let offset = raw.offset + skip as u64;
        let line = self.line;
        let record = if self.header.is_some() {
            self.records + 1
        } else {
            0
        };
        // The field starts of a quoted record go into a buffer kept from record to
        // record, so that the quote check allocates nothing.
        let mut starts = std::mem::take(&mut self.starts);
        let quoted = memchr::memchr(b'"', body).is_some();
        let (issues, unclosed) =
            if quoted && !plain_quoted_starts(body, self.delimiter, raw.bounds, &mut starts) {
                scan_fields_into(body, self.delimiter, &mut starts)
            } else {
                (Vec::new(), None)
            };
        let mut rec = RecordCtx::new(
            body,
            offset,
            line,
            record,
            raw.data,
            raw.bounds,
            self.delimiter,
        );
        if quoted {
            // Whether the body is the row's text as it lies (see
            // `RecordCtx::quotes_needed`): when its quotes are all right and all needed.
            let quotes_needed = issues.is_empty()
                && unclosed.is_none()
                && quotes_all_needed(body, &starts, self.delimiter);
            rec = rec
                .with_starts(&starts[..])
                .with_quotes_needed(quotes_needed);
        } else {
            // Without a quote, the body is always the row's text.
            rec = rec.with_quotes_needed(true);
        }
        if quoted {
            // One bad quote throws the rest of the record off (every later quote then
            // looks misplaced too), so the first is reported and the rest counted.
            if let Some((&first, rest)) = issues.split_first() {
                self.stray_quote(&rec, first, rest.len());
            }
            if let Some(open) = unclosed {
                let recovery = self.unclosed_quote(raw, skip, &rec, open, cut);
                self.starts = starts;
                return Some(recovery);
            }
            // A line break inside the body is a quoted field's: rare, and counted then.
            let inner_break = memchr::memchr2(b'\n', b'\r', body).is_some();
            self.line += match inner_break {
                true => count_line_breaks(&raw.raw[skip..]),
                false => u64::from(terminator != Terminator::None),
            };
        } else {
            // Without a quote, no field can hold a line break: only the terminator ends
            // a line, so the clean path needs no scan for line breaks.
            self.line += u64::from(terminator != Terminator::None);
        }
        if cut {
            // Not inside a quote, and still no line break: nothing to check in pieces.
            self.sink.at_record(
                &rec,
                Draft::new(
                    Rule::OversizedRecord,
                    format!(
                        "this record runs past {} without a line break; the rest of its line is skipped",
                        size(self.record_limit)
                    ),
                )
                .help("a CSV file has one record per line: check the line endings, or whether this is a CSV file at all"),
            );
            self.starts = starts;
            return Some(Recovery::SkipLine);
        }
        if self.content(&rec, terminator) {
            self.pass_on(&rec);
        }
        drop(rec);
        self.starts = starts;
        self.after_record(raw);
        None
    }

    /// Checks a run of plain records read where they lie (see
    /// [`RecordReader::next_run`](crate::reader::RecordReader::next_run)). With the
    /// cross-row stage inline, the records that pass on to it are checked there
    /// together, in place, once the run's structure has been checked: no copy; with
    /// the stage on its own thread, they go to it in one copy of the run.
    pub(crate) fn run(&mut self, run: &Run<'_>) {
        match self.stage {
            Stage::Inline(_) => self.run_inline(run),
            Stage::Piped(_) if self.header.is_some() => self.run_piped(run),
            _ => {
                for raw in run.records() {
                    self.plain_record(&raw);
                }
            }
        }
    }

    /// Checks a run's structure, and hands the records that pass to the stage's
    /// thread in one copy (the thread that checks them works out their values).
    fn run_piped(&mut self, run: &Run<'_>) {
        let Stage::Piped(pipe) = &mut self.stage else {
            return;
        };
        // Out of the pipe while the structure checks borrow the checker.
        let mut batch = pipe.take_batch();
        let run_start = batch.start_run(run.bytes, run.offset);
        for raw in run.records() {
            let (rec, terminator) = self.open_plain(&raw);
            if self.content(&rec, terminator) {
                batch.push_from_run(run_start, &rec);
            }
            self.sink.cut_if_due();
        }
        let full = match &mut self.stage {
            Stage::Piped(pipe) => pipe.put_batch(batch),
            _ => false,
        };
        if full {
            self.flush_pipe();
        }
        if self.stream.is_some() {
            self.stream_confirmed(run.offset + run.bytes.len() as u64);
        }
    }

    /// Checks a run with the cross-row stage inline: its records where they lie.
    fn run_inline(&mut self, run: &Run<'_>) {
        // Each record's text and values are worked out first, as a batch works them
        // out (see `stage::Batch`), so that the record the structure checks see is
        // the one the other checks see.
        let text = std::str::from_utf8(run.bytes).ok();
        let mut ranges = std::mem::take(&mut self.ranges);
        ranges.clear();
        let found: Vec<_> = run
            .records()
            .map(|raw| {
                let text = match text {
                    Some(text) => {
                        let start = usize::try_from(raw.offset - run.offset).unwrap_or(usize::MAX);
                        text.get(start..start.saturating_add(raw.data.len()))
                    }
                    None => std::str::from_utf8(raw.data).ok(),
                };
                let at = ranges.len();
                let values = text
                    .and_then(|_| value_ranges(raw.data, raw.bounds, &mut ranges))
                    .map(|empty| (at..ranges.len(), empty));
                (text, values)
            })
            .collect();
        let mut passing = Vec::with_capacity(run.len());
        for (raw, (text, values)) in run.records().zip(found) {
            let (rec, terminator) = self.open_plain(&raw);
            let rec = rec.with_values(text, values.map(|(range, empty)| (&ranges[range], empty)));
            if self.content(&rec, terminator) {
                passing.push(rec);
            }
            self.sink.cut_if_due();
        }
        if let Stage::Inline(worker) = &mut self.stage {
            worker.check_in_place(&passing);
        }
        drop(passing);
        self.ranges = ranges;
        if self.stream.is_some() {
            self.stream_confirmed(run.offset + run.bytes.len() as u64);
        }
    }

    /// Checks a plain record (see [`Quotes`]) read on its own.
    fn plain_record(&mut self, raw: &RawRecord<'_>) {
        let (rec, terminator) = self.open_plain(raw);
        if self.content(&rec, terminator) {
            self.pass_on(&rec);
        }
        drop(rec);
        self.after_record(raw);
    }

    /// A plain record (see [`Quotes`]) as the checks see it, with its terminator; the
    /// line count moved past it.
    fn open_plain<'r>(&mut self, raw: &RawRecord<'r>) -> (RecordCtx<'r>, Terminator) {
        let (body, terminator) = Terminator::split(raw.raw);
        let record = if self.header.is_some() {
            self.records + 1
        } else {
            0
        };
        let quotes_needed = matches!(raw.quotes, Quotes::None | Quotes::Plain { needed: true });
        let rec = RecordCtx::new(
            body,
            raw.offset,
            self.line,
            record,
            raw.data,
            raw.bounds,
            self.delimiter,
        )
        .fields_in_body(quotes_needed);
        // No line break inside: only the terminator ends a line.
        self.line += u64::from(terminator != Terminator::None);
        (rec, terminator)
    }

    /// What follows every record read one at a time.
    fn after_record(&mut self, raw: &RawRecord<'_>) {
        self.sink.cut_if_due();
        if self.stream.is_some() && self.records.is_multiple_of(self.stream_every) {
            self.stream_confirmed(raw.offset + raw.raw.len() as u64);
        }
    }

    /// The rest of an oversized record's line was dropped, up to a line break if
    /// there was one.
    pub(crate) fn skipped(&mut self, line_break: bool) {
        self.line += u64::from(line_break);
    }

    /// Sets the record length past which records are cut (for messages).
    pub(crate) fn set_record_limit(&mut self, bytes: usize) {
        self.record_limit = bytes;
    }

    /// The bytes after the last record: blank lines only.
    pub(crate) fn end(&mut self, trailing: &[u8], offset: u64) {
        let (blank_lines, _) = leading_blank_lines(trailing);
        for &at in &blank_lines {
            self.blank_line(offset + at as u64);
        }
    }

    /// The report, findings in order, and the links with the keys they collected.
    /// `threaded` is the worker back from the stage's thread, if it ran there.
    pub(crate) fn finish(
        mut self,
        threaded: Option<Box<Worker<'s>>>,
    ) -> (FileReport, MemberLinks<'s>) {
        self.decide_shift();
        if self.header.is_none() && !self.not_text {
            // Nothing but blank lines: one finding says it all.
            self.sink.findings.retain(|f| f.rule != Rule::BlankRow);
            if let Some(keeper) = &mut self.sink.keeper {
                keeper.forget(Rule::BlankRow);
            }
            self.sink.at_file(
                Draft::new(Rule::EmptyFile, "the file is empty: it has no header row")
                    .help("a CSV file starts with a header row naming its columns; `csvgate template` prints one"),
            );
        }
        if let Some(mixed) = &self.mixed {
            if mixed.more > 0 {
                // Found by its rule: there is one at most (and none when the rule is
                // off, when an index would have named another finding).
                let finding = self
                    .sink
                    .findings
                    .iter_mut()
                    .find(|f| f.rule == Rule::MixedLineEndings);
                if let Some(finding) = finding {
                    let more = match mixed.more {
                        1 => " (1 more record ends the same way)".to_owned(),
                        n => format!(" ({n} more records end the same way)"),
                    };
                    finding.message.push_str(&more);
                }
            }
        }
        let (worker, waiting_links) = match std::mem::replace(&mut self.stage, Stage::Closed) {
            Stage::Inline(worker) => (Some(worker), None),
            Stage::Waiting { links, .. } => (None, Some(links)),
            Stage::Piped(_) | Stage::Closed => (threaded, None),
        };
        // What the stage thread reported before it ended, then what it holds.
        if let Some(progress) = self.stage_progress.take() {
            self.from_stage
                .extend(progress.try_iter().flat_map(|(findings, _)| findings));
        }
        self.sink.findings.append(&mut self.from_stage);
        let links = match worker {
            Some(worker) => {
                let (sink, links) = worker.finish();
                self.sink.findings.extend(sink.findings);
                if let (Some(keeper), Some(theirs)) = (&mut self.sink.keeper, sink.keeper) {
                    keeper.absorb(theirs);
                }
                links
            }
            None => waiting_links.unwrap_or_default(),
        };
        let mut findings = self.sink.findings;
        findings.sort_by_key(|f| f.sort_key());
        // Each sink kept the first findings of each group among its own; of both, the
        // first are kept.
        let held_back = match self.sink.keeper {
            Some(mut keeper) => {
                keeper.cut(&mut findings);
                keeper.into_held_back()
            }
            None => Vec::new(),
        };
        if let Some(stream) = &self.stream {
            stream.send(std::mem::take(&mut findings));
        }
        let report = FileReport {
            findings,
            held_back,
            records: self.records,
            schema: self.schema.map(|s| s.name.clone()),
            detection: self.detection,
        };
        (report, links)
    }

    fn blank_line(&mut self, offset: u64) {
        let line = self.line;
        self.line += 1;
        self.sink.at_line(
            line,
            None,
            None,
            offset,
            Draft::new(Rule::BlankRow, "an empty line")
                .help("remove the line (csvgate --fix does)"),
        );
    }

    fn stray_quote(&mut self, rec: &RecordCtx<'_>, issue: QuoteIssue, more: usize) {
        let (at, message, help) = match issue {
            QuoteIssue::InUnquotedField(at) => (
                at,
                "a quote inside a value that does not start with a quote",
                "quote the whole value and double the quote inside it: \"5\"\" screen\"",
            ),
            QuoteIssue::AfterClosingQuote(at) => (
                at,
                "text right after a closing quote",
                "put the whole value inside the quotes, doubling any quote in it: \"a \"\"b\"\" c\"",
            ),
        };
        let field = rec.field_at(at);
        let message = match more {
            0 => message.to_owned(),
            1 => format!("{message} (and 1 more misplaced quote after it in this record)"),
            n => format!("{message} (and {n} more misplaced quotes after it in this record)"),
        };
        let draft = self
            .field_draft(Rule::StrayQuote, &message, field)
            .help(help);
        self.sink.at_span(rec, at..at + 1, draft);
    }

    /// Reports the unclosed quote, checks its line read with the quote as a plain
    /// character, and returns the bytes after that line.
    fn unclosed_quote(
        &mut self,
        raw: &RawRecord<'_>,
        skip: usize,
        rec: &RecordCtx<'_>,
        open: usize,
        cut: bool,
    ) -> Recovery {
        let starts = rec.starts();
        let field = rec.field_at(open);
        let message = if cut {
            format!(
                "this quote is not closed within {}: the rest of the file would be read as one value",
                size(self.record_limit)
            )
        } else {
            "this quote is never closed: the rest of the file would be read as one value".to_owned()
        };
        let draft = self.field_draft(Rule::UnclosedQuote, &message, field).help(
            "close the quote where the value ends, or double it (\"\") if it is part of the value",
        );
        self.sink.at_span(rec, open..open + 1, draft);

        let body = rec.body;
        // The record's raw bytes with its terminator, which the body lacks.
        let full = &raw.raw[skip..];
        let line_end =
            memchr::memchr2(b'\n', b'\r', &body[open..]).map_or(body.len(), |n| open + n);
        let after_line = match &full[line_end..] {
            [b'\r', b'\n', ..] => line_end + 2,
            [b'\n' | b'\r', ..] => line_end + 1,
            _ => line_end,
        };
        // The fields before the quote as csv-core read them, then the quote's line
        // split at each delimiter with quotes as plain characters.
        let mut data = Vec::with_capacity(line_end);
        let mut bounds = Vec::new();
        let mut field_starts = Vec::new();
        let before = starts.iter().take_while(|&&s| s < open).count();
        for (index, &start) in starts[..before].iter().enumerate() {
            let from = data.len();
            data.extend_from_slice(raw_field(raw, index));
            bounds.push([from, data.len()]);
            field_starts.push(start);
        }
        let mut start = open;
        for piece in body[open..line_end].split(|&b| b == self.delimiter) {
            let from = data.len();
            data.extend_from_slice(piece);
            bounds.push([from, data.len()]);
            field_starts.push(start);
            start += piece.len() + 1;
        }
        let terminator = Terminator::split(&full[..after_line]).1;
        let line = rec.line;
        self.line = line + count_line_breaks(&full[..after_line]);
        let reread = RecordCtx::new(
            &body[..line_end],
            rec.offset,
            line,
            rec.record,
            &data,
            &bounds,
            self.delimiter,
        )
        .with_fixed_starts(field_starts);
        if self.content(&reread, terminator) {
            self.pass_on(&reread);
        }
        Recovery::Unread {
            bytes: raw.raw[skip + after_line..].to_vec(),
            offset: rec.offset + after_line as u64,
        }
    }

    /// The checks of a record's content, after its quotes. Returns whether the record
    /// passes on to its own and cross-row checks (see [`FileChecker::pass_on`]).
    #[must_use]
    fn content(&mut self, rec: &RecordCtx<'_>, terminator: Terminator) -> bool {
        // A blank record is valid UTF-8; a data record that gets as far as its own
        // checks has its UTF-8 checked with them (on whichever thread runs them).
        let blank = (0..rec.len()).all(|i| is_blank(rec.field(i)));
        let Some(header) = &mut self.header else {
            fields::check_utf8(&[], rec, &mut self.sink);
            if blank {
                self.sink.at_record(
                    rec,
                    Draft::new(Rule::BlankRow, "a blank record before the header")
                        .help("remove the line (csvgate --fix does)"),
                );
            } else {
                self.header(rec, terminator);
            }
            return false;
        };
        self.records += 1;
        if terminator != Terminator::None
            && terminator != header.terminator
            && header.terminator != Terminator::None
        {
            let expected = header.terminator;
            match &mut self.mixed {
                Some(mixed) => mixed.more += 1,
                None => {
                    let at = rec.body.len();
                    self.mixed = Some(MixedEndings {
                        offset: rec.offset + at as u64,
                        more: 0,
                    });
                    self.sink.at_span(
                        rec,
                        at..at,
                        Draft::new(
                            Rule::MixedLineEndings,
                            format!(
                                "this record ends with {}, but the header ends with {}",
                                terminator.name(),
                                expected.name()
                            ),
                        )
                        .help(format!("end every line with {}", expected.name())),
                    );
                }
            }
        }
        if blank {
            self.sink.at_record(
                rec,
                Draft::new(Rule::BlankRow, "a record whose fields are all empty")
                    .help("remove the record (csvgate --fix does)"),
            );
            return false;
        }
        if rec.len() != header.width {
            fields::check_utf8(&header.binding.field_names, rec, &mut self.sink);
            let (count, width) = (rec.len(), header.width);
            let draft = Draft::new(
                Rule::RaggedRow,
                format!("this record has {count} fields, but the header has {width}"),
            );
            if count > width {
                let draft = draft
                    .help("a value that holds the delimiter must be in quotes: \"São Paulo, BR\"");
                let span = rec.field_span(width);
                self.sink.at_span(rec, span, draft);
            } else {
                let draft = draft.help("add the missing fields, empty ones too: a,,c");
                self.sink.at_record(rec, draft);
            }
            return false;
        }
        if let Some(sample) = &mut header.sample {
            sample.push((0..rec.len()).map(|i| rec.value(i).to_owned()).collect());
            if sample.len() >= shifted::SAMPLE_ROWS {
                self.decide_shift();
            }
        }
        true
    }

    /// Hands a data record that passed the structure checks to its own and cross-row
    /// checks.
    fn pass_on(&mut self, rec: &RecordCtx<'_>) {
        let Some(header) = &self.header else {
            return;
        };
        match &mut self.stage {
            // The record's own checks wait for the batch, which is checked on this
            // thread or the stage's, whichever has time (see `flush_pipe`).
            Stage::Piped(pipe) => {
                if pipe.push(rec) {
                    self.flush_pipe();
                }
            }
            Stage::Inline(worker) => worker.queue(rec),
            Stage::Waiting { .. } | Stage::Closed => {
                own_checks(
                    self.schema,
                    &header.binding,
                    &mut self.passed,
                    &mut self.sink,
                )(rec);
            }
        }
    }

    /// Hands the full batch to the stage's thread with its records' own checks, or,
    /// when that thread is behind, runs those checks here first: the work balances
    /// itself between the two threads, and the findings are the same either way.
    fn flush_pipe(&mut self) {
        let (Stage::Piped(pipe), Some(header)) = (&mut self.stage, &self.header) else {
            return;
        };
        if let Some(mut batch) = pipe.try_hand_off() {
            let checks = own_checks(
                self.schema,
                &header.binding,
                &mut self.passed,
                &mut self.sink,
            );
            batch.for_each_record(self.delimiter, checks);
            pipe.send_checked(batch);
        }
    }

    fn header(&mut self, rec: &RecordCtx<'_>, terminator: Terminator) {
        let names: Vec<String> = (0..rec.len())
            .map(|i| String::from_utf8_lossy(rec.field(i)).into_owned())
            .collect();
        if let Some(candidates) = self.candidates {
            match detect::by_header(&names, candidates) {
                HeaderMatch::Fits(schema, fit) => {
                    self.schema = Some(schema);
                    self.detection = Detection::Header {
                        known: fit.known,
                        unknown: fit.unknown,
                    };
                    self.sink.set_schema(Some(schema));
                }
                HeaderMatch::Tie(tied) => {
                    let names: Vec<String> = tied.iter().map(|s| format!("`{}`", s.name)).collect();
                    self.detection = Detection::Ambiguous(tied.iter().map(|s| s.name.clone()).collect());
                    self.sink.at_file(
                        Draft::new(
                            Rule::NoSchema,
                            format!(
                                "the header fits {} equally well; only the structural and header checks ran",
                                names.join(" and ")
                            ),
                        )
                        .help(format!("name the schema: --schema {}", tied[0].name)),
                    );
                }
                HeaderMatch::Nothing => self.sink.at_file(
                    Draft::new(
                        Rule::NoSchema,
                        "no schema matched this file; only the structural and header checks ran",
                    )
                    .help("name the schema with --schema (csvgate schemas lists them), or --schema none"),
                ),
            }
        }
        let schema = self.schema;
        let (binding, findings) = bind(&names, schema);
        for finding in findings {
            let mut draft = Draft::new(finding.rule, finding.message);
            draft.help = finding.help;
            draft.field = finding.field_name.or_else(|| {
                finding
                    .field
                    .map(|f| binding.field_names[f].clone())
                    .filter(|n| !n.is_empty())
            });
            if let (Some(index), Some(schema)) = (finding.text, schema) {
                draft.text = Some(&schema.header_rules[index].text);
            }
            match finding.field {
                Some(field) => self.sink.at_field(rec, field, draft),
                None => self
                    .sink
                    .at_line(rec.line, None, Some(0), rec.offset, draft),
            }
        }
        let duplicate_rows = self.sink.enabled(Rule::DuplicateRow);
        if let Stage::Waiting { links, pipe } = std::mem::replace(&mut self.stage, Stage::Closed) {
            let worker = Worker::new(
                schema,
                binding.clone(),
                duplicate_rows,
                links,
                self.sink.fork(),
                self.delimiter,
                self.size_hint.take(),
            );
            self.stage = match pipe {
                Some(mut pipe) => {
                    pipe.start(worker);
                    Stage::Piped(pipe)
                }
                None => Stage::Inline(Box::new(worker)),
            };
        }
        let sample = (schema.is_some() && self.sink.enabled(Rule::ShiftedColumns))
            .then(|| Vec::with_capacity(shifted::SAMPLE_ROWS));
        self.header = Some(Header {
            width: names.len(),
            terminator,
            binding,
            raw: HeaderCopy {
                body: rec.body.to_vec(),
                // Apart from its body, even when its fields are in it: this copy
                // scans the body for field starts when it needs them.
                data: rec.data.to_vec(),
                bounds: rec.bounds.to_vec(),
                offset: rec.offset,
                line: rec.line,
            },
            names,
            sample,
        });
    }

    /// Decides `shifted-columns` from the rows sampled so far (once).
    fn decide_shift(&mut self) {
        let (Some(header), Some(schema)) = (&mut self.header, self.schema) else {
            return;
        };
        let Some(sample) = header.sample.take() else {
            return;
        };
        let Some(shift) = shifted::detect(schema, &header.binding, &header.names, &sample) else {
            return;
        };
        let under = header.names[shift.field].trim();
        let (message, help) = match shift.looks_like.map(|id| schema.columns[id].name.as_str()) {
            Some(missing) if shift.missing => (
                format!(
                    "the values sit one column right of their names from `{under}` on: a column name seems missing before `{under}`; its values look like `{missing}`"
                ),
                format!("add `{missing}` to the header before `{under}` (and remove the blank last cell)"),
            ),
            _ => (
                format!(
                    "the values sit one column left of their names from `{under}` on: the header seems to have a name too many at `{under}`"
                ),
                format!("remove `{under}` from the header, or add its values to the rows"),
            ),
        };
        let message = format!("{message} ({})", shift.evidence.join("; "));
        let raw = &header.raw;
        let rec = RecordCtx::new(
            &raw.body,
            raw.offset,
            raw.line,
            0,
            &raw.data,
            &raw.bounds,
            self.delimiter,
        );
        let draft = Draft::new(Rule::ShiftedColumns, message)
            .help(help)
            .field(header.binding.field_names[shift.field].clone());
        self.sink.at_field(&rec, shift.field, draft);
    }

    /// A draft on a field, named by the header when there is one.
    fn field_draft(&self, rule: Rule, message: &str, field: usize) -> Draft<'static> {
        let draft = Draft::new(rule, message);
        match self
            .header
            .as_ref()
            .and_then(|h| h.binding.field_names.get(field))
            .filter(|n| !n.is_empty())
        {
            Some(name) => draft.field(name.clone()),
            None => draft,
        }
    }
}

/// A record's own checks on the reading thread, which keeps its own memo of passed
/// values (the stage's thread has another).
fn own_checks<'c, 's>(
    schema: Option<&'s Schema>,
    binding: &'c Binding,
    passed: &'c mut Passed,
    sink: &'c mut Sink<'s>,
) -> impl FnMut(&RecordCtx<'_>) + use<'c, 's> {
    move |rec| fields::check(schema, binding, rec, passed, sink)
}

/// A byte count for a message: `8 MiB`, or `100 bytes`.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Field `index` of a raw record as csv-core read it.
fn raw_field<'r>(raw: &'r RawRecord<'_>, index: usize) -> &'r [u8] {
    if index < raw.len() {
        raw.field(index)
    } else {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use csvgate_diagnostics::Rule;
    use csvgate_schema::Schema;

    use crate::{check, Input, Options, SchemaChoice};

    #[test]
    fn mixed_endings_counted_with_their_rule_off_change_no_other_message() {
        let schema = Schema::parse(
            "t.toml",
            "name = \"t\"\n[rules]\nmixed-line-endings = \"off\"\n[[column]]\nname = \"A\"\nvalue-required = true\n[[column]]\nname = \"B\"\n",
        )
        .unwrap();
        let input = b"A,B\r\n,1\nx,2,3\ny,3\n";
        let report = check(
            Input::new("t.csv", &input[..]),
            SchemaChoice::Use(&schema),
            &Options::default(),
        )
        .unwrap();
        let found: Vec<(Rule, &str)> = report
            .findings
            .iter()
            .map(|f| (f.rule, f.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Rule::MissingValue,
                    "`A` is empty, but every record needs a value"
                ),
                (
                    Rule::RaggedRow,
                    "this record has 3 fields, but the header has 2"
                )
            ]
        );
    }
}
