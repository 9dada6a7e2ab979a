//! The check of one input: the public entry point, its types, and the driver that
//! reads records and hands each to the file's checks.
//!
//! Data flows one way: [`RecordReader`] yields raw records, [`FileChecker`] runs the
//! structural checks on their raw bytes, binds the header, and runs the value, row
//! and cross-row checks on each data record; every verdict goes to the [`Sink`], which
//! places it (line, column, snippet) and keeps it; the findings are sorted at the end.

use std::io::{self, Read};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;
use std::sync::Arc;

use csvgate_diagnostics::{Finding, Rule};
use csvgate_schema::Schema;

use crate::detect;
use crate::file::{FileChecker, Recovery};
use crate::held::HeldBack;
use crate::place::{Draft, Sink};
use crate::reader::{Event, RecordReader, BOM};
use crate::references::MemberLinks;
use crate::rules::binary_file;
use crate::stage::{self, Pipe};

/// One input to check: its name as the user gave it, and its bytes.
pub struct Input<R> {
    /// The path as given (for a zip member, the zip's path).
    pub file: Arc<str>,
    /// The member's name inside a zip.
    pub member: Option<Arc<str>>,
    /// The bytes.
    pub reader: R,
    /// The input's size in bytes, when known: lets the cross-row state be sized once
    /// instead of growing step by step.
    pub size_hint: Option<u64>,
}

impl<R> Input<R> {
    /// The same input, its size known.
    #[must_use]
    pub fn with_size_hint(mut self, bytes: u64) -> Input<R> {
        self.size_hint = Some(bytes);
        self
    }

    /// An input that is not inside an archive.
    pub fn new(file: impl Into<Arc<str>>, reader: R) -> Input<R> {
        Input {
            file: file.into(),
            member: None,
            reader,
            size_hint: None,
        }
    }
}

/// Which schema checks an input.
#[derive(Clone, Copy)]
pub enum SchemaChoice<'s> {
    /// This one.
    Use(&'s Schema),
    /// None: only the structural and header checks run.
    None,
    /// The best of these, by file name, else by header.
    Detect(&'s [Schema]),
}

/// How the schema of an input was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// The caller named it (or named none).
    Named,
    /// The input's file name matched this glob of the schema.
    FileName(String),
    /// The header held `known` of the schema's columns and `unknown` other names.
    Header {
        /// Header names that are the schema's columns.
        known: usize,
        /// Header names the schema does not know.
        unknown: usize,
    },
    /// No schema fitted.
    NoMatch,
    /// The header fitted these schemas equally well, so none was chosen.
    Ambiguous(Vec<String>),
    /// The input is a member of this bundle (a zip, or files given together).
    Bundle(String),
}

/// Settings of a check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Capture the source line of each finding for renderers that show it.
    pub snippets: bool,
    /// Run the cross-row checks on a second thread, for inputs of at least
    /// [`PARALLEL_MIN_BYTES`] (or of unknown size). The findings are the same either way.
    pub parallel: bool,
    /// Records per batch handed to that thread (default [`BATCH_RECORDS`]).
    pub batch_records: usize,
    /// The most plain records read and checked together where they lie in the
    /// reader's buffer (default [`RUN_RECORDS`]; any count gives the same findings).
    pub run_records: usize,
    /// Bytes read, added to as the input is read, for a progress display.
    pub progress: Option<Arc<AtomicU64>>,
    /// The longest record read in one piece (8 MiB): a quote still open past it is
    /// reported as unclosed, an unquoted record past it as `oversized-record`.
    pub max_record_bytes: usize,
    /// Keep only the first this many findings of each rule on each field (at each
    /// severity, in report order) and count the others in [`FileReport::held_back`]:
    /// for reports that show no more, so that memory does not grow with a file's
    /// findings. `None` keeps them all.
    pub keep_per_group: Option<usize>,
    /// Hand the findings to this, in report order, as soon as no finding still to
    /// come can precede them, instead of keeping them to the end: memory then does
    /// not grow with a file's findings, and the report's `findings` is empty. (Not
    /// with `keep_per_group`, which it makes moot.)
    pub stream: Option<Stream>,
}

/// Where a check hands its findings as they are confirmed ([`Options::stream`]): runs
/// of findings, each in report order, the runs in order.
#[derive(Clone)]
pub struct Stream(Arc<dyn Fn(Vec<Finding>) + Send + Sync>);

impl Stream {
    /// A stream to `each`.
    pub fn new(each: impl Fn(Vec<Finding>) + Send + Sync + 'static) -> Stream {
        Stream(Arc::new(each))
    }

    pub(crate) fn send(&self, findings: Vec<Finding>) {
        if !findings.is_empty() {
            (self.0)(findings);
        }
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream")
    }
}

/// Inputs smaller than this are checked on one thread even when [`Options::parallel`]
/// is set: starting a thread would cost more than it saves.
pub const PARALLEL_MIN_BYTES: u64 = 1 << 20;

/// Records per batch handed to the cross-row thread. Small enough that the batches in
/// flight (four in the channel, each record's body, bounds and place, ~0.5 KB) stay
/// in cache between the thread that fills them and the one that reads them: with
/// 4,096 a batch was ~2 MB, and two threads spent a quarter more processor time
/// than one on the same file (1 GB: user 3.5 s against 2.8 s); with 1,024 about the
/// same (2.6-2.7 s), and the wall time fell from 1.8-2.4 s to 1.5-1.6 s.
pub const BATCH_RECORDS: usize = 1024;

/// The most plain records read and checked together where they lie (see
/// [`Options::run_records`]): the window of records whose table lookups are prepared
/// together.
pub const RUN_RECORDS: usize = 128;

impl Default for Options {
    fn default() -> Options {
        Options {
            snippets: true,
            parallel: false,
            batch_records: BATCH_RECORDS,
            run_records: RUN_RECORDS,
            progress: None,
            max_record_bytes: crate::reader::MAX_RECORD_BYTES,
            keep_per_group: None,
            stream: None,
        }
    }
}

/// What the check of one input found.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The findings, in report order (by position, then catalogue order).
    pub findings: Vec<Finding>,
    /// The findings counted but not kept, by group (with [`Options::keep_per_group`]);
    /// each group's come after its kept findings in report order.
    pub held_back: Vec<HeldBack>,
    /// Data records read (the header is not counted).
    pub records: u64,
    /// The name of the schema that checked the input, if any.
    pub schema: Option<String>,
    /// How that schema was chosen.
    pub detection: Detection,
}

/// Checks one input against a schema (or a schema chosen for it), streaming it.
///
/// Errors are only those of reading the input; everything wrong inside it is a finding.
pub fn check<R: Read>(
    input: Input<R>,
    choice: SchemaChoice<'_>,
    options: &Options,
) -> io::Result<FileReport> {
    let mut sink = Sink::new(input.file.clone(), input.member.clone(), options.snippets)
        .keep_per_group(options.keep_per_group.filter(|_| options.stream.is_none()));
    let name = input.member.as_deref().unwrap_or(&input.file);
    let (schema, candidates, detection) = match choice {
        SchemaChoice::Use(schema) => (Some(schema), None, Detection::Named),
        SchemaChoice::None => (None, None, Detection::Named),
        SchemaChoice::Detect(schemas) => match detect::by_file_name(name, schemas) {
            Some((schema, glob)) => (Some(schema), None, Detection::FileName(glob)),
            None => (None, Some(schemas), Detection::NoMatch),
        },
    };
    sink.set_schema(schema);
    let checker = FileChecker::new(sink, schema, candidates, detection, MemberLinks::default())
        .with_size_hint(input.size_hint)
        .with_stream(options.stream.clone(), options.batch_records);
    Ok(run(input.reader, checker, options, input.size_hint)?.0)
}

/// Checks one member of a bundle against its schema, with the bundle's references.
pub(crate) fn check_linked<'s, R: Read>(
    input: Input<R>,
    schema: &'s Schema,
    options: &Options,
    links: MemberLinks<'s>,
    bundle: &str,
) -> io::Result<(FileReport, MemberLinks<'s>)> {
    let mut sink = Sink::new(input.file.clone(), input.member.clone(), options.snippets)
        .keep_per_group(options.keep_per_group.filter(|_| options.stream.is_none()));
    sink.set_schema(Some(schema));
    let detection = Detection::Bundle(bundle.to_owned());
    let checker = FileChecker::new(sink, Some(schema), None, detection, links)
        .with_size_hint(input.size_hint)
        .with_stream(options.stream.clone(), options.batch_records);
    run(input.reader, checker, options, input.size_hint)
}

/// Streams `source` through `checker`, with the cross-row stage on a thread of its own
/// when the options and the input's size ask for it.
fn run<'s, R: Read>(
    source: R,
    mut checker: FileChecker<'s>,
    options: &Options,
    size_hint: Option<u64>,
) -> io::Result<(FileReport, MemberLinks<'s>)> {
    if !options.parallel || size_hint.is_some_and(|bytes| bytes < PARALLEL_MIN_BYTES) {
        read(source, &mut checker, options)?;
        return Ok(checker.finish(None));
    }
    std::thread::scope(|scope| {
        let (sender, messages) = mpsc::sync_channel(4);
        let (returns, returned) = mpsc::sync_channel(4);
        let stage = scope.spawn(move || stage::serve(messages, returns));
        let mut pipe = Pipe::new(sender, returned, options.batch_records);
        if options.stream.is_some() {
            pipe.report_progress();
        }
        checker.set_pipe(pipe);
        let read = read(source, &mut checker, options);
        // Closing the pipe ends the thread, also after a read error.
        checker.close_pipe();
        let worker = stage
            .join()
            .map_err(|_| io::Error::other("the cross-row checks stopped unexpectedly"))?;
        read?;
        Ok(checker.finish(worker))
    })
}

/// Reads every record of `source` into `checker`.
fn read<R: Read>(source: R, checker: &mut FileChecker<'_>, options: &Options) -> io::Result<()> {
    let delimiter = checker.delimiter();

    let mut reader = RecordReader::new(source, delimiter, 0)
        .with_progress(options.progress.clone())
        .with_record_limit(options.max_record_bytes);
    checker.set_record_limit(options.max_record_bytes);
    if let Some(kind) = binary_file::sniff(reader.start_bytes()?) {
        if checker.not_text(&kind) {
            return Ok(());
        }
    }
    // Known once the start is read: reported now, so that a stream of findings never
    // waits for it.
    if reader.had_bom() {
        checker.sink().at_line(
            1,
            Some(1),
            None,
            0,
            Draft::new(
                Rule::Utf8Bom,
                format!(
                    "the file starts with a UTF-8 byte order mark ({} bytes)",
                    BOM.len()
                ),
            )
            .help("save the file as UTF-8 without a byte order mark (csvgate --fix removes it)"),
        );
    }
    loop {
        if let Some(run) = reader.next_run(options.run_records.max(1))? {
            checker.run(&run);
            continue;
        }
        let recovery = match reader.next_event()? {
            Event::Record(record) => checker.record(&record, false),
            Event::Oversized(record) => checker.record(&record, true),
            Event::End { trailing, offset } => {
                checker.end(trailing, offset);
                break;
            }
        };
        match recovery {
            None => {}
            // An unclosed quote swallows the rest of the input into one field: its line
            // is checked with the quote as a plain character, and reading goes on after
            // that line.
            Some(Recovery::Unread { bytes, offset }) => reader.unread(&bytes, offset),
            Some(Recovery::SkipLine) => {
                let line_break = reader.skip_line()?;
                checker.skipped(line_break);
            }
        }
    }
    Ok(())
}
