//! The cross-row stage: the checks that carry state from row to row (identity
//! consistency, unique keys, duplicate rows, references across a bundle), run either
//! inline or on a thread of their own, fed with batches of records in file order.
//!
//! Why a stage: on a large file these checks cost as much as everything else together
//! (their state is a few large hash tables, so every row is a few cache misses), and
//! they need the rows in order. Running them beside the per-record checks uses a second
//! core without changing what is found: the stage sees the same records in the same
//! order, and its findings go to a sink of their own, merged before the final sort,
//! inline or threaded alike. So the output is the same bytes at any thread count.

use std::ops::Range;
use std::sync::mpsc::{Receiver, Sender, SyncSender, TrySendError};

use csvgate_diagnostics::Finding;

use csvgate_schema::Schema;

use crate::cross_row::CrossRow;
use crate::fields::{self, Passed};
use crate::header::Binding;
use crate::place::{value_ranges, Bound, RecordCtx, Sink, ValueRange};
use crate::references::MemberLinks;

/// How many data records to read before sizing the cross-row state from the input's
/// size.
const SAMPLE_RECORDS: u64 = 1000;

/// The most rows the cross-row state is sized for up front (about 400 MB of
/// duplicate-row entries).
const MAX_RESERVED_ROWS: u64 = 16 << 20;

/// Records whose cross-row lookups are prepared together (see
/// [`CrossRow::prepare`]).
const PREPARE_WINDOW: usize = 128;

/// The cross-row checks of one file, with their state and their own findings.
pub(crate) struct Worker<'s> {
    schema: Option<&'s Schema>,
    binding: Binding,
    cross_row: CrossRow<'s>,
    links: MemberLinks<'s>,
    sink: Sink<'s>,
    delimiter: u8,
    /// The input's size, until it has sized the state.
    size_hint: Option<u64>,
    records: u64,
    /// Records [queued](Worker::queue) in this thread, not yet checked.
    queued: Batch,
    /// When findings stream and this worker has a thread of its own: where to send
    /// its findings after each batch, with the offset below which every record has
    /// been checked.
    report: Option<Sender<Progress>>,
    /// The values that passed the own checks run on this thread (see [`Passed`]).
    passed: Passed,
}

/// A stage thread's findings, and the offset below which it has checked every record.
pub(crate) type Progress = (Vec<Finding>, u64);

impl<'s> Worker<'s> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        schema: Option<&'s Schema>,
        binding: Binding,
        duplicate_rows: bool,
        links: MemberLinks<'s>,
        sink: Sink<'s>,
        delimiter: u8,
        size_hint: Option<u64>,
    ) -> Worker<'s> {
        Worker {
            cross_row: CrossRow::new(schema, &binding, duplicate_rows),
            schema,
            binding,
            links,
            sink,
            delimiter,
            size_hint,
            records: 0,
            queued: Batch::default(),
            report: None,
            passed: Passed::default(),
        }
    }

    /// Checks one data record (one that passed the field-count check), its lookups
    /// prepared with its window (see [`Worker::check_batch`]).
    fn check(&mut self, rec: &RecordCtx<'_>) {
        self.records += 1;
        if self.records == SAMPLE_RECORDS {
            if let Some(bytes) = self.size_hint.take() {
                // The records so far tell the average record's length.
                let average = (rec.offset + rec.body.len() as u64) / (SAMPLE_RECORDS + 1);
                let rows = bytes.saturating_sub(rec.offset) / average.max(1);
                // A size hint is a guess (a zip member may lie about its size): never
                // reserve more than a sane amount up front; beyond it the state grows.
                let rows = rows.min(MAX_RESERVED_ROWS);
                self.cross_row
                    .reserve(usize::try_from(rows).unwrap_or(usize::MAX));
            }
        }
        if let Some(schema) = self.schema {
            self.links.check(schema, &self.binding, rec, &mut self.sink);
        }
        self.cross_row.check(rec, &mut self.sink);
    }

    /// Checks every record of a batch, in order; with their own checks too when the
    /// reading thread has left them to this one.
    fn check_batch(&mut self, batch: &mut Batch, with_fields: bool) {
        batch.seal();
        // The row hashes of a window of records are worked out, and their slots
        // touched, before the records are checked: small enough a window that the
        // touched cache lines are still there when the checks need them.
        let mut records = Vec::with_capacity(PREPARE_WINDOW);
        for window in batch.records.chunks(PREPARE_WINDOW) {
            records.clear();
            records.extend(window.iter().map(|meta| batch.record(meta, self.delimiter)));
            self.check_window(&records, with_fields);
        }
    }

    /// Checks a window of records, in order, their lookups prepared together.
    fn check_window(&mut self, records: &[RecordCtx<'_>], with_fields: bool) {
        self.cross_row.prepare(records);
        for rec in records {
            if with_fields {
                fields::check(
                    self.schema,
                    &self.binding,
                    rec,
                    &mut self.passed,
                    &mut self.sink,
                );
            }
            self.check(rec);
        }
        self.sink.cut_if_due();
    }

    /// Checks records with their own checks where they lie, in the reader's buffer
    /// (see `FileChecker::run`): what a batch does with a copy of them, without the
    /// copy. Records queued before them are checked first.
    pub(crate) fn check_in_place(&mut self, records: &[RecordCtx<'_>]) {
        if !self.queued.records.is_empty() {
            let mut queued = std::mem::take(&mut self.queued);
            self.check_batch(&mut queued, true);
            queued.clear();
            self.queued = queued;
        }
        for window in records.chunks(PREPARE_WINDOW) {
            self.check_window(window, true);
        }
    }

    /// Checks a record with its own checks, in this thread: queued, and checked with
    /// the batch it fills (see [`Worker::check_batch`]).
    pub(crate) fn queue(&mut self, rec: &RecordCtx<'_>) {
        let mut queued = std::mem::take(&mut self.queued);
        queued.push(rec);
        if queued.records.len() >= PREPARE_WINDOW {
            self.check_batch(&mut queued, true);
            queued.clear();
        }
        self.queued = queued;
    }

    /// Its findings so far, taken out, and the offset below which every record queued
    /// with it has been checked (`u64::MAX` when none waits).
    pub(crate) fn take_findings(&mut self) -> (Vec<Finding>, u64) {
        let below = self
            .queued
            .records
            .first()
            .map_or(u64::MAX, |meta| meta.offset);
        (std::mem::take(&mut self.sink.findings), below)
    }

    /// The findings (in their sink), and the links with the keys they collected.
    pub(crate) fn finish(mut self) -> (Sink<'s>, MemberLinks<'s>) {
        let mut queued = std::mem::take(&mut self.queued);
        self.check_batch(&mut queued, true);
        (self.sink, self.links)
    }
}

/// Records copied out of the reader's buffers, to be checked on the stage's thread.
#[derive(Default)]
pub(crate) struct Batch {
    /// The bodies of the records whose fields are not in them as they are; once
    /// [sealed](Batch::seal), also the data of the records that are not UTF-8.
    bytes: Vec<u8>,
    /// The data of the records (see [`RecordCtx::data`]: a plain record's body), back
    /// to back, as copied: not yet known to be UTF-8.
    unchecked: Vec<u8>,
    /// The same once [sealed](Batch::seal): the data of the records that are UTF-8,
    /// validated in one pass for the whole batch (a pass per record costs twice as
    /// much: the validation's fast path reads aligned words, and a record's ends are
    /// read a byte at a time).
    text: String,
    bounds: Vec<Bound>,
    /// Field starts of the records whose body would not give them again (a quote's
    /// line read again with the quote as a plain character); the others' are found
    /// again from the body and bounds if a finding ever needs them.
    starts: Vec<usize>,
    /// Where the trimmed values of the UTF-8 records are (see [`value_ranges`]).
    values: Vec<ValueRange>,
    records: Vec<Meta>,
}

/// Where a run copied by [`Batch::start_run`] starts: in the batch's bytes, and in
/// the input.
#[derive(Clone, Copy)]
pub(crate) struct RunStart {
    base: usize,
    offset: u64,
}

/// Where one record of a batch is.
struct Meta {
    /// Its data: in `unchecked` until the batch is sealed, then in `text` when it is
    /// UTF-8, else in `bytes`.
    data: Range<usize>,
    /// Its body in `bytes`; `None` when its fields are in its body as they are (see
    /// [`RecordCtx::fields_in_body`]): the body is then its data.
    body: Option<Range<usize>>,
    /// Whether its body is its values written with the fewest quotes (see
    /// [`RecordCtx::quotes_needed`]).
    quotes_needed: bool,
    utf8: bool,
    bounds: Range<usize>,
    starts: Option<Range<usize>>,
    /// Where its value ranges are (an empty range when no value needs trimming), if
    /// worked out.
    values: Option<Range<usize>>,
    /// Which of its values are empty, when they were worked out.
    empty: u64,
    offset: u64,
    line: u64,
    record: u64,
}

impl Batch {
    /// Validates the records' text, once, before any is read (see `text`), and works
    /// out where their values are.
    fn seal(&mut self) {
        if self.unchecked.is_empty() {
            return;
        }
        let unchecked = std::mem::take(&mut self.unchecked);
        match String::from_utf8(unchecked) {
            Ok(text) => self.text = text,
            // Some record is not UTF-8: each record on its own, then.
            Err(err) => {
                let unchecked = err.into_bytes();
                self.text.clear();
                for meta in &mut self.records {
                    let data = &unchecked[meta.data.clone()];
                    match std::str::from_utf8(data) {
                        Ok(text) => {
                            meta.data = self.text.len()..self.text.len() + text.len();
                            self.text.push_str(text);
                        }
                        Err(_) => {
                            meta.data = self.bytes.len()..self.bytes.len() + data.len();
                            self.bytes.extend_from_slice(data);
                            meta.utf8 = false;
                        }
                    }
                }
                self.unchecked = unchecked;
                self.unchecked.clear();
            }
        }
        for meta in self.records.iter_mut().filter(|meta| meta.utf8) {
            let data = &self.text.as_bytes()[meta.data.clone()];
            let at = self.values.len();
            let empty = value_ranges(data, &self.bounds[meta.bounds.clone()], &mut self.values);
            meta.values = empty.map(|_| at..self.values.len());
            meta.empty = empty.unwrap_or(0);
        }
    }

    /// Calls `each` with every record, in order.
    pub(crate) fn for_each_record(&mut self, delimiter: u8, mut each: impl FnMut(&RecordCtx<'_>)) {
        self.seal();
        for meta in &self.records {
            each(&self.record(meta, delimiter));
        }
    }

    /// One record of the batch.
    fn record(&self, meta: &Meta, delimiter: u8) -> RecordCtx<'_> {
        let (data, text) = if meta.utf8 {
            let text = self.text.get(meta.data.clone()).unwrap_or("");
            (text.as_bytes(), Some(text))
        } else {
            (&self.bytes[meta.data.clone()], None)
        };
        let body = match &meta.body {
            Some(body) => &self.bytes[body.clone()],
            None => data,
        };
        let rec = RecordCtx::new(
            body,
            meta.offset,
            meta.line,
            meta.record,
            data,
            &self.bounds[meta.bounds.clone()],
            delimiter,
        )
        .with_values(
            text,
            meta.values
                .clone()
                .map(|range| (&self.values[range], meta.empty)),
        );
        let rec = match meta.body {
            Some(_) => rec.with_quotes_needed(meta.quotes_needed),
            None => rec.fields_in_body(meta.quotes_needed),
        };
        match &meta.starts {
            Some(starts) => rec.with_fixed_starts(&self.starts[starts.clone()]),
            None => rec,
        }
    }

    fn push(&mut self, rec: &RecordCtx<'_>) {
        // Taken for UTF-8 until the batch is sealed, when that is checked for all its
        // records at once.
        let data = self.unchecked.len()..self.unchecked.len() + rec.data.len();
        self.unchecked.extend_from_slice(rec.data);
        self.push_placed(rec, data);
    }

    /// Copies the bytes of a run of plain records (from input offset `offset`) in one
    /// piece, for [`Batch::push_from_run`] to push those of its records that pass on:
    /// one copy for the run costs less than one for each record.
    pub(crate) fn start_run(&mut self, bytes: &[u8], offset: u64) -> RunStart {
        let base = self.unchecked.len();
        self.unchecked.extend_from_slice(bytes);
        RunStart { base, offset }
    }

    /// Pushes a record of the run [`Batch::start_run`] copied.
    pub(crate) fn push_from_run(&mut self, run: RunStart, rec: &RecordCtx<'_>) {
        // A plain record's data is its body, at the start of its bytes in the run.
        let start = usize::try_from(rec.offset.wrapping_sub(run.offset))
            .ok()
            .and_then(|start| run.base.checked_add(start))
            .filter(|&start| {
                rec.is_in_body() && start.saturating_add(rec.data.len()) <= self.unchecked.len()
            });
        match start {
            Some(start) => {
                let data = start..start + rec.data.len();
                debug_assert_eq!(&self.unchecked[data.clone()], rec.data);
                self.push_placed(rec, data);
            }
            None => self.push(rec),
        }
    }

    /// Pushes the record whose data is at `data` in `unchecked`.
    fn push_placed(&mut self, rec: &RecordCtx<'_>, data: Range<usize>) {
        let body = (!rec.is_in_body()).then(|| {
            let body = self.bytes.len()..self.bytes.len() + rec.body.len();
            self.bytes.extend_from_slice(rec.body);
            body
        });
        let bounds = self.bounds.len()..self.bounds.len() + rec.bounds.len();
        self.bounds.extend_from_slice(rec.bounds);
        let starts = rec.fixed_starts().map(|starts| {
            let range = self.starts.len()..self.starts.len() + starts.len();
            self.starts.extend_from_slice(starts);
            range
        });
        self.records.push(Meta {
            data,
            body,
            quotes_needed: rec.quotes_needed(),
            // Until `seal` finds otherwise.
            utf8: true,
            bounds,
            starts,
            // Worked out when the batch is sealed: on the thread that checks it.
            values: None,
            empty: 0,
            offset: rec.offset,
            line: rec.line,
            record: rec.record,
        });
    }

    fn clear(&mut self) {
        self.bytes.clear();
        // The text's allocation takes the next batch's unchecked fields.
        self.unchecked = std::mem::take(&mut self.text).into_bytes();
        self.unchecked.clear();
        self.values.clear();
        self.bounds.clear();
        self.starts.clear();
        self.records.clear();
    }
}

/// A message to the stage's thread.
pub(crate) enum Message<'s> {
    /// The header has been read: here are the checks, compiled against it.
    Start(Box<Worker<'s>>),
    /// Records to check, with their own checks too when `with_fields`.
    Records {
        /// The records.
        batch: Batch,
        /// Whether the records' own checks are left to the stage's thread.
        with_fields: bool,
    },
}

/// The reading side of a threaded stage.
pub(crate) struct Pipe<'s> {
    sender: SyncSender<Message<'s>>,
    /// With a stream: where the stage thread reports its findings and the offset
    /// below which it has checked every record, batch by batch (the sender goes to
    /// the worker when it starts).
    pub(crate) progress: Option<Receiver<Progress>>,
    progress_sender: Option<Sender<Progress>>,
    /// Batches the thread has finished with, to be filled again.
    returned: Receiver<Batch>,
    batch: Batch,
    batch_records: usize,
}

impl<'s> Pipe<'s> {
    pub(crate) fn new(
        sender: SyncSender<Message<'s>>,
        returned: Receiver<Batch>,
        batch_records: usize,
    ) -> Pipe<'s> {
        Pipe {
            sender,
            returned,
            progress: None,
            progress_sender: None,
            batch: Batch::default(),
            batch_records: batch_records.max(1),
        }
    }

    /// Has the stage thread report its findings and progress after each batch.
    pub(crate) fn report_progress(&mut self) {
        let (sender, receiver) = std::sync::mpsc::channel();
        self.progress = Some(receiver);
        self.progress_sender = Some(sender);
    }

    /// Hands the checks to the thread.
    pub(crate) fn start(&mut self, mut worker: Worker<'s>) {
        worker.report = self.progress_sender.take();
        // The thread lives until the sender is dropped, so the send cannot fail; if it
        // did, the thread has died, and joining it reports that.
        let _ = self.sender.send(Message::Start(Box::new(worker)));
    }

    /// Queues a record; says whether the batch is full.
    pub(crate) fn push(&mut self, rec: &RecordCtx<'_>) -> bool {
        self.batch.push(rec);
        self.is_full()
    }

    fn is_full(&self) -> bool {
        self.batch.records.len() >= self.batch_records
    }

    /// The batch being filled, taken out to be filled elsewhere (see
    /// [`Pipe::put_batch`]).
    pub(crate) fn take_batch(&mut self) -> Batch {
        std::mem::take(&mut self.batch)
    }

    /// Puts back the batch [`Pipe::take_batch`] took; says whether it is full.
    pub(crate) fn put_batch(&mut self, batch: Batch) -> bool {
        self.batch = batch;
        self.is_full()
    }

    /// Hands the queued records to the stage's thread with their own checks, if it
    /// has room for them; otherwise gives them back, for this thread to do those checks
    /// and then [`send_checked`](Pipe::send_checked) them.
    pub(crate) fn try_hand_off(&mut self) -> Option<Batch> {
        if self.batch.records.is_empty() {
            return None;
        }
        let batch = self.take();
        match self.sender.try_send(Message::Records {
            batch,
            with_fields: true,
        }) {
            Ok(()) | Err(TrySendError::Disconnected(_)) => None,
            Err(TrySendError::Full(Message::Records { batch, .. })) => Some(batch),
            Err(TrySendError::Full(Message::Start(_))) => None,
        }
    }

    /// Sends records whose own checks are done, waiting for room.
    pub(crate) fn send_checked(&mut self, batch: Batch) {
        // A closed channel means the thread has died; joining it reports that.
        let _ = self.sender.send(Message::Records {
            batch,
            with_fields: false,
        });
    }

    /// The queued records, leaving an empty batch (a recycled one, when there is one).
    fn take(&mut self) -> Batch {
        let mut next = self.returned.try_recv().unwrap_or_default();
        next.clear();
        std::mem::replace(&mut self.batch, next)
    }
}

/// The stage's thread: checks batches as they come, and hands back the worker.
pub(crate) fn serve<'s>(
    messages: Receiver<Message<'s>>,
    returned: SyncSender<Batch>,
) -> Option<Box<Worker<'s>>> {
    let mut worker: Option<Box<Worker<'s>>> = None;
    for message in messages {
        match message {
            Message::Start(w) => worker = Some(w),
            Message::Records {
                mut batch,
                with_fields,
            } => {
                if let Some(worker) = &mut worker {
                    worker.check_batch(&mut batch, with_fields);
                    if let (Some(report), Some(last)) = (&worker.report, batch.records.last()) {
                        let findings = std::mem::take(&mut worker.sink.findings);
                        // A closed receiver only means the reading side is done.
                        let _ = report.send((findings, last.offset + 1));
                    }
                }
                // A full return queue only means the reader has batches enough.
                let _ = returned.try_send(batch);
            }
        }
    }
    worker
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record's text (if UTF-8), fields and values, as a batch gives them back.
    type ReadBack = (Option<String>, Vec<Vec<u8>>, Vec<String>);

    fn read_back(rec: &RecordCtx<'_>) -> ReadBack {
        (
            rec.text().map(str::to_owned),
            (0..rec.len()).map(|i| rec.field(i).to_vec()).collect(),
            (0..rec.len()).map(|i| rec.value(i).to_owned()).collect(),
        )
    }

    #[test]
    fn a_batch_gives_back_its_records_whether_or_not_each_is_utf8() {
        let records: [&[&[u8]]; 5] = [
            &[b"a", b" b ", b""],
            &[b"\xFF", b"c"],
            &[b" \xC3\xA9 ", b"\xC3"],
            &[b"x"],
            &[b"", b"  "],
        ];
        for with_bad in [true, false] {
            let mut batch = Batch::default();
            let mut expected = Vec::new();
            for (index, fields) in records.into_iter().enumerate() {
                let data = fields.concat();
                if !with_bad && std::str::from_utf8(&data).is_err() {
                    continue;
                }
                let mut ends = Vec::new();
                let mut end = 0;
                for field in fields {
                    end += field.len();
                    ends.push(end);
                }
                let mut bounds = Vec::new();
                crate::place::bounds_of_ends(&ends, &mut bounds);
                let body = fields.join(&b","[..]);
                let rec = RecordCtx::new(&body, 0, 2, 1, &data, &bounds, b',');
                expected.push(read_back(&rec));
                batch.push(&rec);
                // The same record as a plain one, its fields in its body (the last
                // one quoted).
                let mut body = Vec::new();
                let mut in_body = Vec::new();
                for (at, field) in fields.iter().enumerate() {
                    if at > 0 {
                        body.push(b',');
                    }
                    let quoted = at + 1 == fields.len();
                    body.extend(quoted.then_some(b'"'));
                    in_body.push([body.len(), body.len() + field.len()]);
                    body.extend_from_slice(field);
                    body.extend(quoted.then_some(b'"'));
                }
                let rec =
                    RecordCtx::new(&body, 9, 3, 2, &body, &in_body, b',').fields_in_body(false);
                let plain = read_back(&rec);
                let same = &expected[expected.len() - 1];
                assert_eq!((&plain.1, &plain.2), (&same.1, &same.2), "record {index}");
                expected.push(plain);
                batch.push(&rec);
            }
            let mut got = Vec::new();
            batch.for_each_record(b',', |rec| got.push(read_back(rec)));
            assert_eq!(got, expected, "with a record that is not UTF-8: {with_bad}");
            // Cleared, the batch takes records again.
            batch.clear();
            assert!(batch.records.is_empty() && batch.unchecked.is_empty());
        }
    }
}
