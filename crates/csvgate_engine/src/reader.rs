//! Streams CSV records with their raw bytes, driving csv-core directly.
//!
//! csv-core does the parsing (it is fast and allocation-free); this reader keeps, for
//! each record, the raw bytes it was parsed from and their offset in the input, so
//! that positions (line, character column, the opening quote of a field) can be worked
//! out later from the raw bytes, and only for the records that have a finding.
//!
//! Nearly every record of a real file is plain (see [`RecordReader::read_plain`]):
//! those are split with SIMD searches for the line break, the delimiter and the quote
//! instead of csv-core's byte-by-byte state machine, which reads every other record
//! from the same place. That is what the reader spends most of its time on: csv-core
//! costs about fourteen instructions a byte, the searches a few.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::place::{bounds_of_ends, Bound};
use crate::plain::{self, PlainLine};
use crate::rules::binary_file::SNIFF_BYTES;

/// The UTF-8 byte order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

const INPUT_BUFFER: usize = 64 * 1024;

/// One event of the stream.
pub(crate) enum Event<'r> {
    /// A record, with the raw bytes it was parsed from.
    Record(RawRecord<'r>),
    /// A record longer than the reader's limit, cut there: its raw bytes so far (the
    /// fields are not complete). The caller decides how to go on: [`RecordReader::unread`]
    /// or [`RecordReader::skip_line`].
    Oversized(RawRecord<'r>),
    /// The input is over; `trailing` holds the bytes after the last record (blank
    /// lines), starting at input offset `offset`.
    End { trailing: &'r [u8], offset: u64 },
}

/// The longest record read in one piece: past it, the record is handed over cut
/// ([`Event::Oversized`]), so that a quote left open early in a large file does not
/// make the reader hold the rest of the file.
pub(crate) const MAX_RECORD_BYTES: usize = 8 << 20;

/// A record as csv-core parsed it, plus its raw bytes.
pub(crate) struct RawRecord<'r> {
    /// The raw bytes: any blank lines before the record, the record, its terminator.
    pub raw: &'r [u8],
    /// The input offset of `raw[0]`.
    pub offset: u64,
    /// The bytes the fields are in: for a plain record (quotes known), its body (the
    /// start of `raw`) itself; else csv-core's unescaped fields, back to back.
    pub data: &'r [u8],
    /// Where each field is in `data`.
    pub bounds: &'r [Bound],
    /// What the reader found out about the record's quotes.
    pub quotes: Quotes,
}

/// What the reader found out about a record's quotes, so that the checker need not
/// look again. A record whose quotes are known (not `Unknown`) was split by the
/// plain path: no blank line comes before it, and no line break is in its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quotes {
    /// Not looked at (csv-core read the record): the checker scans the body.
    Unknown,
    /// The body holds no quote.
    None,
    /// Every quote of the body opens or closes a whole field, none doubled; `needed`:
    /// every quoted field needs its quotes (see [`PlainLine::quotes_needed`]).
    Plain { needed: bool },
}

impl RawRecord<'_> {
    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.bounds.len()
    }

    /// The unescaped bytes of field `index`.
    pub(crate) fn field(&self, index: usize) -> &[u8] {
        let [start, end] = self.bounds[index];
        &self.data[start..end]
    }
}

/// Plain records back to back, split where they lie in the reader's buffer (see
/// [`RecordReader::next_run`]).
pub(crate) struct Run<'r> {
    /// The records' raw bytes.
    pub bytes: &'r [u8],
    /// The input offset of `bytes[0]`.
    pub offset: u64,
    records: &'r [RunRecord],
    /// The fields of every record, each record's from its own start.
    bounds: &'r [Bound],
}

/// Where one record of a [`Run`] is.
struct RunRecord {
    /// Its first byte in the run's bytes.
    start: usize,
    line: PlainLine,
    /// Its fields in the run's bounds.
    fields: std::ops::Range<usize>,
}

impl<'r> Run<'r> {
    /// The records, in order.
    pub(crate) fn records(&self) -> impl Iterator<Item = RawRecord<'r>> + '_ {
        self.records.iter().map(|record| {
            let raw = &self.bytes[record.start..record.start + record.line.len];
            RawRecord {
                raw,
                offset: self.offset + record.start as u64,
                data: &raw[..record.line.body],
                bounds: &self.bounds[record.fields.clone()],
                quotes: record.line.quotes(),
            }
        })
    }

    /// The number of records.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// Reads records from any `Read`, keeping each record's raw bytes.
pub(crate) struct RecordReader<R> {
    source: R,
    core: Reader,
    delimiter: u8,
    /// Records longer than this are cut.
    record_limit: usize,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    /// Input offset of `buf[pos]`.
    offset: u64,
    raw: Vec<u8>,
    raw_offset: u64,
    data: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nends: usize,
    /// csv-core's last record's field ends as bounds.
    bounds: Vec<Bound>,
    started: bool,
    bom: bool,
    /// Whether `core` has read since it was built or reset.
    core_has_read: bool,
    /// Bytes read so far, shared with whoever shows progress.
    progress: Option<Arc<AtomicU64>>,
    /// Whether plain records are read without csv-core (not with a delimiter that
    /// is a quote or a line break).
    plain: bool,
    /// Whether records were read without csv-core since it last read one: its state
    /// is then stale, and it is reset before it reads again.
    core_stale: bool,
    /// The last plain record's fields.
    plain_fields: Vec<Bound>,
    /// The records of the last [run](RecordReader::next_run), and their fields.
    run_records: Vec<RunRecord>,
    run_bounds: Vec<Bound>,
    /// The input offset of a record [`RecordReader::next_run`] found not plain (or
    /// not whole in the buffer), so that `next_event` does not try again.
    not_plain_at: Option<u64>,
    /// Records in a row that were not plain (see [`PLAIN_MISSES`]).
    plain_misses: u32,
    /// Records still to be read with csv-core alone before the plain path is tried
    /// again.
    plain_rest: u32,
}

/// After this many records in a row that were not plain, the next [`PLAIN_REST`] are
/// read with csv-core without trying the plain path: a file whose records are not
/// plain (a doubled quote in every row) would pay for a failed attempt at each.
const PLAIN_MISSES: u32 = 16;
const PLAIN_REST: u32 = 256;

impl<R: Read> RecordReader<R> {
    /// A reader of `source`, whose first byte is at input offset `offset`.
    pub(crate) fn new(source: R, delimiter: u8, offset: u64) -> RecordReader<R> {
        RecordReader {
            source,
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            record_limit: MAX_RECORD_BYTES,
            buf: vec![0; INPUT_BUFFER].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            offset,
            raw: Vec::with_capacity(1024),
            raw_offset: offset,
            data: vec![0; 1024],
            ends: vec![0; 64],
            nout: 0,
            nends: 0,
            bounds: Vec::new(),
            started: false,
            bom: false,
            core_has_read: false,
            progress: None,
            plain: !matches!(delimiter, b'"' | b'\n' | b'\r'),
            core_stale: false,
            plain_fields: Vec::new(),
            run_records: Vec::new(),
            run_bounds: Vec::new(),
            not_plain_at: None,
            plain_misses: 0,
            plain_rest: 0,
        }
    }

    /// Cuts records longer than `bytes` (instead of [`MAX_RECORD_BYTES`]).
    pub(crate) fn with_record_limit(mut self, bytes: usize) -> RecordReader<R> {
        self.record_limit = bytes.max(1);
        self
    }

    /// Goes on reading at `bytes` (which start at input offset `offset`) and then the
    /// rest of the input, with the parser's state reset: how a record that went wrong
    /// is read again from a point inside it.
    pub(crate) fn unread(&mut self, bytes: &[u8], offset: u64) {
        let rest = &self.buf[self.pos..self.len];
        let len = bytes.len() + rest.len();
        let mut buf = vec![0; len.max(INPUT_BUFFER)];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[bytes.len()..len].copy_from_slice(rest);
        self.buf = buf.into_boxed_slice();
        self.pos = 0;
        self.len = len;
        self.offset = offset;
        self.core = ReaderBuilder::new().delimiter(self.delimiter).build();
        self.core_has_read = false;
        self.core_stale = false;
        self.not_plain_at = None;
    }

    /// Drops the input up to and including the next line break, with the parser's state
    /// reset. Returns whether there was a line break (else the input is over).
    pub(crate) fn skip_line(&mut self) -> io::Result<bool> {
        self.core = ReaderBuilder::new().delimiter(self.delimiter).build();
        self.core_has_read = false;
        self.core_stale = false;
        self.not_plain_at = None;
        loop {
            if self.pos == self.len {
                if self.eof {
                    return Ok(false);
                }
                self.fill()?;
                continue;
            }
            match memchr::memchr2(b'\n', b'\r', &self.buf[self.pos..self.len]) {
                Some(n) => {
                    let at = self.pos + n;
                    self.offset += (n + 1) as u64;
                    self.pos = at + 1;
                    if self.buf[at] == b'\r' {
                        if self.pos == self.len && !self.eof {
                            self.fill()?;
                        }
                        if self.pos < self.len && self.buf[self.pos] == b'\n' {
                            self.pos += 1;
                            self.offset += 1;
                        }
                    }
                    return Ok(true);
                }
                None => {
                    self.offset += (self.len - self.pos) as u64;
                    self.pos = self.len;
                }
            }
        }
    }

    /// Adds every byte read to `counter`.
    pub(crate) fn with_progress(mut self, counter: Option<Arc<AtomicU64>>) -> RecordReader<R> {
        self.progress = counter;
        self
    }

    /// The first bytes of the input (up to a kilobyte), before any is parsed.
    pub(crate) fn start_bytes(&mut self) -> io::Result<&[u8]> {
        if !self.started {
            self.skip_bom()?;
        }
        Ok(&self.buf[self.pos..self.len])
    }

    /// Whether the input started with a byte order mark (which the reader skipped).
    /// Known once the first event has been read.
    pub(crate) fn had_bom(&self) -> bool {
        self.bom
    }

    fn fill(&mut self) -> io::Result<()> {
        loop {
            match self.source.read(&mut self.buf) {
                Ok(n) => {
                    self.pos = 0;
                    self.len = n;
                    self.eof = n == 0;
                    if let Some(progress) = &self.progress {
                        progress.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    return Ok(());
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// Skips the byte order marks at the very start, however many there are and
    /// however the input arrives, and reads enough of the start to tell a file that
    /// is not text at all (`binary-file`).
    fn skip_bom(&mut self) -> io::Result<()> {
        self.started = true;
        loop {
            self.fill_to(SNIFF_BYTES.min(self.buf.len()))?;
            let before = self.pos;
            // Every mark of a run of them (a file saved with one added twice): one left
            // would start the text after the first is dropped, and `--fix` would not be
            // idempotent.
            while self.buf[self.pos..self.len].starts_with(BOM) {
                self.bom = true;
                self.pos += BOM.len();
                self.offset += BOM.len() as u64;
            }
            // Marks up to the end of what was read: more may follow.
            if self.pos == before || self.eof {
                break;
            }
        }
        self.raw_offset = self.offset;
        Ok(())
    }

    /// Moves the unparsed bytes to the buffer's front and reads until it holds `bytes`
    /// of them, or the input is over.
    fn fill_to(&mut self, bytes: usize) -> io::Result<()> {
        self.buf.copy_within(self.pos..self.len, 0);
        self.len -= self.pos;
        self.pos = 0;
        while self.len < bytes && !self.eof {
            let n = match self.source.read(&mut self.buf[self.len..]) {
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            self.eof = n == 0;
            self.len += n;
            if let Some(progress) = &self.progress {
                progress.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// csv-core ends a CRLF record at the `\r` and swallows the `\n` with the next
    /// record; taking it here keeps each record's terminator with the record, so that
    /// the next record's raw bytes start on its own line.
    fn take_lf_after_cr(&mut self) -> io::Result<()> {
        if self.raw.last() != Some(&b'\r') {
            return Ok(());
        }
        if self.pos == self.len && !self.eof {
            self.fill()?;
        }
        if self.pos < self.len && self.buf[self.pos] == b'\n' {
            self.raw.push(b'\n');
            self.pos += 1;
            self.offset += 1;
        }
        Ok(())
    }

    /// Reads the plain records (see [`plain::split`]) at the front of the buffer, up
    /// to `max` of them, split where they lie, as a [`Run`]; `None` when the next
    /// record is not plain or not whole in the buffer ([`RecordReader::next_event`]
    /// reads it then). A run lets its records be checked together without a copy.
    pub(crate) fn next_run(&mut self, max: usize) -> io::Result<Option<Run<'_>>> {
        if !self.started {
            self.skip_bom()?;
        }
        if !self.plain || self.plain_rest > 0 || self.not_plain_at == Some(self.offset) {
            return Ok(None);
        }
        self.run_records.clear();
        self.run_bounds.clear();
        let start = self.pos;
        let mut at = start;
        while self.run_records.len() < max {
            let input = &self.buf[at..self.len];
            let fields = self.run_bounds.len();
            let Some(line) = plain::split(input, self.delimiter, &mut self.run_bounds) else {
                break;
            };
            self.run_records.push(RunRecord {
                start: at - start,
                line,
                fields: fields..self.run_bounds.len(),
            });
            at += line.len;
        }
        let offset = self.offset;
        if self.run_records.is_empty() {
            self.not_plain_at = Some(offset);
            return Ok(None);
        }
        self.plain_misses = 0;
        self.core_stale = true;
        self.pos = at;
        self.offset += (at - start) as u64;
        Ok(Some(Run {
            bytes: &self.buf[start..at],
            offset,
            records: &self.run_records,
            bounds: &self.run_bounds,
        }))
    }

    /// Reads the next record, or the end.
    pub(crate) fn next_event(&mut self) -> io::Result<Event<'_>> {
        if !self.started {
            self.skip_bom()?;
        }
        self.raw.clear();
        self.raw_offset = self.offset;
        let tried = self.not_plain_at.take() == Some(self.offset);
        if self.plain_rest > 0 {
            self.plain_rest -= 1;
        } else if self.plain {
            if let Some(plain) = self.read_plain(tried) {
                self.plain_misses = 0;
                let start = self.pos;
                self.pos += plain.len;
                self.offset += plain.len as u64;
                self.core_stale = true;
                return Ok(Event::Record(RawRecord {
                    raw: &self.buf[start..self.pos],
                    offset: self.raw_offset,
                    data: &self.buf[start..start + plain.body],
                    bounds: &self.plain_fields,
                    quotes: plain.quotes(),
                }));
            }
            self.plain_misses += 1;
            if self.plain_misses >= PLAIN_MISSES {
                self.plain_misses = 0;
                self.plain_rest = PLAIN_REST;
            }
        }
        if self.core_stale {
            // csv-core's state is that of the end of the last record it read, which
            // may be waiting for the line feed of a CRLF: start it afresh.
            self.core.reset();
            self.core_has_read = false;
            self.core_stale = false;
        }
        self.nout = 0;
        self.nends = 0;
        loop {
            if self.pos == self.len && !self.eof {
                self.fill()?;
            }
            let mut input = &self.buf[self.pos..self.len];
            // A new csv-core parser drops a byte order mark at the start of its first
            // read; after `unread` or `skip_line` that would be a mark inside the
            // data, lost. Handing it the mark's first byte alone keeps it.
            if !self.core_has_read && input.starts_with(BOM) {
                input = &input[..1];
            }
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.data[self.nout..],
                &mut self.ends[self.nends..],
            );
            self.core_has_read = true;
            self.raw.extend_from_slice(&input[..nin]);
            self.pos += nin;
            self.offset += nin as u64;
            self.nout += nout;
            self.nends += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if self.raw.len() > self.record_limit {
                        bounds_of_ends(&self.ends[..self.nends], &mut self.bounds);
                        return Ok(Event::Oversized(RawRecord {
                            raw: &self.raw,
                            offset: self.raw_offset,
                            data: &self.data[..self.nout],
                            bounds: &self.bounds,
                            quotes: Quotes::Unknown,
                        }));
                    }
                }
                ReadRecordResult::OutputFull => {
                    let len = self.data.len();
                    self.data.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record => {
                    self.take_lf_after_cr()?;
                    bounds_of_ends(&self.ends[..self.nends], &mut self.bounds);
                    return Ok(Event::Record(RawRecord {
                        raw: &self.raw,
                        offset: self.raw_offset,
                        data: &self.data[..self.nout],
                        bounds: &self.bounds,
                        quotes: Quotes::Unknown,
                    }));
                }
                ReadRecordResult::End => {
                    return Ok(Event::End {
                        trailing: &self.raw,
                        offset: self.raw_offset,
                    });
                }
            }
        }
    }
}

impl<R> RecordReader<R> {
    /// Splits the next record into `plain_fields` without csv-core, when it is plain
    /// as [`plain::split`] says (no blank line before it, all of it in the buffer, up
    /// to its LF or CRLF) and `tried` does not say [`RecordReader::next_run`] has
    /// just found it is not. Any other record is left to csv-core (`None`), which
    /// reads it from the same place, as nothing has been taken.
    fn read_plain(&mut self, tried: bool) -> Option<PlainLine> {
        if tried {
            return None;
        }
        self.plain_fields.clear();
        plain::split(
            &self.buf[self.pos..self.len],
            self.delimiter,
            &mut self.plain_fields,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = (Vec<u8>, u64, Vec<String>);

    fn records(input: &[u8], buffer: usize) -> Vec<Read> {
        records_read(input, buffer, Reading::Runs(3))
    }

    /// How [`records_read`] reads.
    #[derive(Clone, Copy, Debug)]
    enum Reading {
        /// Every record with csv-core.
        Core,
        /// One event at a time: plain records split without csv-core.
        Events,
        /// Runs of at most this many plain records first (as `check` reads), events
        /// between them.
        Runs(usize),
    }

    /// Every record of `input` as read with a buffer of `buffer` bytes.
    fn records_read(input: &[u8], buffer: usize, reading: Reading) -> Vec<Read> {
        let mut reader = RecordReader::new(input, b',', 0);
        reader.buf = vec![0; buffer].into_boxed_slice();
        reader.plain = !matches!(reading, Reading::Core);
        let mut out = Vec::new();
        let read = |r: &RawRecord<'_>| {
            (
                r.raw.to_vec(),
                r.offset,
                (0..r.len())
                    .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                    .collect(),
            )
        };
        loop {
            if let Reading::Runs(max) = reading {
                if let Some(run) = reader.next_run(max).unwrap() {
                    assert!((1..=max).contains(&run.len()), "{max}: {}", run.len());
                    let records: Vec<_> = run.records().collect();
                    assert_eq!(
                        records.iter().map(|r| r.raw.len()).sum::<usize>(),
                        run.bytes.len(),
                        "a run's records are its bytes"
                    );
                    out.extend(records.iter().map(read));
                    continue;
                }
            }
            match reader.next_event().unwrap() {
                Event::Record(r) => out.push(read(&r)),
                Event::Oversized(_) => panic!("no record is that long here"),
                Event::End { trailing, offset } => {
                    out.push((trailing.to_vec(), offset, vec!["<end>".to_owned()]));
                    return out;
                }
            }
        }
    }

    #[test]
    fn after_a_run_of_records_that_are_not_plain_csv_core_reads_a_while_alone() {
        let mut input = b"\"a\"\"b\",c\n".repeat(20);
        input.extend(b"x,y\n".repeat(300));
        let mut reader = RecordReader::new(&input[..], b',', 0);
        let mut kinds = Vec::new();
        while let Event::Record(r) = reader.next_event().unwrap() {
            kinds.push(r.quotes);
        }
        // 16 attempts fail, the next 256 records go to csv-core, then the rest
        // (past the 20 with a doubled quote) are plain again.
        let plain = kinds.iter().filter(|&&q| q == Quotes::None).count();
        assert_eq!((kinds.len(), plain), (320, 320 - 16 - 256));
        assert_eq!(records(&input, 64), records_read(&input, 64, Reading::Core));
    }

    #[test]
    fn raw_bytes_and_offsets_cover_the_input_exactly() {
        let input = b"a,b\r\n\"x\ny\",2\n\n3,4";
        for buffer in [1, 2, 3, 7, 64] {
            let got = records(input, buffer);
            let mut joined = Vec::new();
            let mut offset = 0;
            for (raw, at, _) in &got {
                assert_eq!(*at, offset, "buffer {buffer}");
                offset += raw.len() as u64;
                joined.extend_from_slice(raw);
            }
            assert_eq!(joined, input, "buffer {buffer}");
            let fields: Vec<_> = got.iter().map(|(_, _, f)| f.join("|")).collect();
            assert_eq!(fields, ["a|b", "x\ny|2", "3|4", "<end>"], "buffer {buffer}");
        }
    }

    #[test]
    fn long_records_are_cut_and_reading_goes_on_where_told() {
        let input = b"a,b\nxxxxxxxxxxxxxxxxxxxx\r\nc,d\n";
        // Buffers smaller than the limit, as the real ones are (64 KiB against 8 MiB):
        // the limit is looked at each time the parser asks for more input.
        for buffer in [1, 3, 5] {
            let mut reader = RecordReader::new(&input[..], b',', 0).with_record_limit(8);
            reader.buf = vec![0; buffer].into_boxed_slice();
            assert!(matches!(reader.next_event().unwrap(), Event::Record(_)));
            let Event::Oversized(cut) = reader.next_event().unwrap() else {
                panic!("a cut record (buffer {buffer})")
            };
            assert_eq!(cut.offset, 4);
            assert!(cut.raw.len() > 8 && cut.raw.starts_with(b"xxxxxxxx"));
            assert!(reader.skip_line().unwrap());
            let Event::Record(next) = reader.next_event().unwrap() else {
                panic!("the record after the long line (buffer {buffer})")
            };
            assert_eq!((next.offset, next.field(0)), (26, &b"c"[..]));
        }
    }

    #[test]
    fn unread_bytes_are_read_again_from_their_offset() {
        let mut reader = RecordReader::new(&b"z,z\n"[..], b',', 0);
        reader.unread(b"a,\"b\n", 10);
        let Event::Record(first) = reader.next_event().unwrap() else {
            panic!("a record")
        };
        assert_eq!(first.offset, 10);
        assert_eq!(first.field(0), b"a");
        // The unread bytes end inside a quote: the parser takes the rest with it.
        assert_eq!(first.field(1), b"b\nz,z\n");
    }

    proptest::proptest! {
        // Small inputs, quick cases: enough of them to meet the rare shapes.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn plain_records_read_as_csv_core_reads_them(
            input in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b','), proptest::strategy::Just(b'"'),
                    proptest::strategy::Just(b'\n'), proptest::strategy::Just(b'\r'),
                    proptest::strategy::Just(b'a'), proptest::strategy::Just(0xEF),
                    proptest::strategy::Just(0xBB), proptest::strategy::Just(0xBF),
                ],
                0..60,
            ),
            buffer in 3usize..40,
            run in 1usize..5,
        ) {
            let core = records_read(&input, buffer, Reading::Core);
            proptest::prop_assert_eq!(&records_read(&input, buffer, Reading::Events), &core);
            proptest::prop_assert_eq!(&records_read(&input, buffer, Reading::Runs(run)), &core);
        }
    }

    #[test]
    fn crlf_terminator_belongs_to_its_record() {
        let got = records(b"a\r\nb\r\n", 64);
        assert_eq!(got[0].0, b"a\r\n");
        assert_eq!(got[1].0, b"b\r\n");
    }

    #[test]
    fn byte_order_mark_is_skipped_even_when_split() {
        let input = b"\xEF\xBB\xBFa,b\n";
        for buffer in [1, 2, 64] {
            let mut reader = RecordReader::new(&input[..], b',', 0);
            reader.buf = vec![0; buffer.max(3)].into_boxed_slice();
            let Event::Record(record) = reader.next_event().unwrap() else {
                panic!("a record")
            };
            assert_eq!(record.offset, 3);
            assert_eq!(record.field(0), b"a");
            assert!(reader.had_bom());
        }
    }
}
