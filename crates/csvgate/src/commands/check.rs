//! `csvgate check`: check inputs in parallel, print their findings in input order.
//!
//! Inputs are checked on a rayon pool, several at once; their reports are handed to
//! the renderer strictly in input order as soon as each one's turn comes, so the output
//! is the same bytes at any thread count and still streams on a long run.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use csvgate_diagnostics::{Finding, Rule, Severity};
use csvgate_engine::{Detection, FileReport, HeldBack, Input, Options, SchemaChoice, Stream};
use csvgate_render::{Format, HumanOptions, InputInfo, Renderer, Summary};
use csvgate_schema::{Bundle, Schema};
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::baseline::{Baseline, Recorder};
use crate::bundles::{self, Checked, Job};
use crate::cli::{CheckArgs, Cli, FailOn};
use crate::config::{self, Config, Target};
use crate::console::Console;
use crate::exit::{ExitStatus, Reported};
use crate::fixing;
use crate::inputs::{self, Source};
use crate::progress::Progress;
use crate::schema_arg;
use crate::selection::Selection;

/// Which schema checks the inputs, as `--schema` decided.
enum Chosen {
    /// `--schema NAME|PATH`.
    Named(Box<Schema>),
    /// `--schema none`.
    Nothing,
    /// No `--schema`: each input's schema is detected among these.
    Detect(Vec<Schema>),
}

impl Chosen {
    fn from_arg(
        arg: Option<&str>,
        config: Option<&Config>,
        console: &Console,
    ) -> Result<Chosen, Reported> {
        match arg {
            Some("none") => Ok(Chosen::Nothing),
            Some(arg) => schema_arg::load_known(arg, config, console)
                .map(|schema| Chosen::Named(Box::new(schema))),
            None => schema_arg::load_all(config, console).map(Chosen::Detect),
        }
    }

    fn choice(&self) -> SchemaChoice<'_> {
        match self {
            Chosen::Named(schema) => SchemaChoice::Use(schema),
            Chosen::Nothing => SchemaChoice::None,
            Chosen::Detect(schemas) => SchemaChoice::Detect(schemas),
        }
    }

    fn find(&self, name: &str) -> Option<&Schema> {
        match self {
            Chosen::Named(schema) => Some(&**schema).filter(|schema| schema.name == name),
            Chosen::Nothing => None,
            Chosen::Detect(schemas) => schemas.iter().find(|schema| schema.name == name),
        }
    }
}

/// How each input's schema is chosen: `--schema`, else the config's `[[schemas]]`,
/// else detection.
#[derive(Clone, Copy)]
struct Choices<'a> {
    chosen: &'a Chosen,
    /// The config, when its mapping applies (no `--schema`).
    mapping: Option<&'a Config>,
}

impl<'a> Choices<'a> {
    /// The choice for the input at `path` (`None`: standard input).
    fn for_path(&self, path: Option<&Path>) -> SchemaChoice<'a> {
        let mapped = self
            .mapping
            .zip(path)
            .and_then(|(config, path)| config.mapping(path));
        match mapped {
            Some((Target::Schema(schema), _)) => SchemaChoice::Use(schema),
            Some((Target::Nothing, _)) => SchemaChoice::None,
            None => self.chosen.choice(),
        }
    }

    /// Whether the config maps the input at `path` to a schema.
    fn is_mapped(&self, path: &Path) -> bool {
        self.mapping
            .is_some_and(|config| config.mapping(path).is_some())
    }
}

/// Runs `csvgate check`.
pub fn run(args: &CheckArgs, cli: &Cli, console: &Console) -> ExitStatus {
    let color = cli.color;
    // The table is for people; a machine format's consumer counts for itself.
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise) {
        console.error(format_args!(
            "--statistics prints a table for people: use it with --format human or concise, not {}",
            args.format.name()
        ));
        return ExitStatus::Error;
    }
    // A baseline that cannot be read would report every old finding as new.
    let baseline = match args.baseline.as_deref().map(Baseline::load) {
        None => None,
        Some(Ok(baseline)) => Some(baseline),
        Some(Err(message)) => {
            console.error(message);
            return ExitStatus::Error;
        }
    };
    // A config with a mistake would check with settings nobody meant.
    let Ok(config) = config::discover(cli.config.as_deref(), cli.no_config, console) else {
        return ExitStatus::Error;
    };
    let config = config.map(Arc::new);
    // A schema that cannot be loaded leaves nothing meaningful to check against.
    let Ok(chosen) = Chosen::from_arg(args.schema.as_deref(), config.as_deref(), console) else {
        return ExitStatus::Error;
    };
    let choices = Choices {
        chosen: &chosen,
        mapping: config.as_deref().filter(|_| args.schema.is_none()),
    };
    let excluded: inputs::Excluded = match &config {
        Some(config) => {
            let config = Arc::clone(config);
            Arc::new(move |path: &Path| config.excludes(path))
        }
        None => Arc::new(|_: &Path| false),
    };
    let expanded = inputs::expand_excluding(&args.paths, console, &excluded);
    let Ok(bundles) = schema_arg::load_bundles(console) else {
        return ExitStatus::Error;
    };
    // Files named like a bundle's members are checked together, unless `--schema`
    // says how to check every input (or the config maps them to a schema).
    let grouping: &[Bundle] = if args.schema.is_some() { &[] } else { &bundles };
    // `--fix` rewrites the files first, and the check then reports what is left;
    // `--diff` only shows what it would change.
    let mut fix_failed = false;
    if args.fix || args.diff {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let fixed = fixing::run(
            &expanded.sources,
            |_, name| chosen.find(name),
            |path| choices.for_path(Some(path)),
            args.diff,
            &mut out,
            console,
        );
        match fixed {
            Ok(fixed) if args.diff => {
                return if fixed.failed {
                    ExitStatus::Error
                } else if fixed.changed > 0 {
                    ExitStatus::Failure
                } else {
                    ExitStatus::Success
                };
            }
            Ok(fixed) => fix_failed = fixed.failed,
            Err(err) => {
                console.error(format_args!("cannot write to standard output: {err}"));
                return ExitStatus::Error;
            }
        }
    }
    let jobs = bundles::plan(expanded.sources, grouping, |path| choices.is_mapped(path));
    let fail_on = args
        .fail_on
        .or(config.as_ref().and_then(|config| config.fail_on))
        .unwrap_or(FailOn::Error);
    let pool = match ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
    {
        Ok(pool) => pool,
        Err(err) => {
            console.error(format_args!("cannot start the worker threads: {err}"));
            return ExitStatus::Error;
        }
    };

    // Only the formats for people are capped; machines get every finding.
    let max_per_rule = match args.format {
        Format::Human | Format::Concise => args.max_per_rule,
        _ => 0,
    };
    let options = Options {
        // Only `human` shows source lines; the others need not capture them.
        snippets: args.format == Format::Human && !args.statistics,
        // What a capped report shows of each group, and the lines it names after
        // that, is all the engine needs to keep (the statistics need only counts): its
        // memory then does not grow with a file's findings. A baseline (read or
        // written) needs every finding.
        keep_per_group: if baseline.is_some() || args.write_baseline.is_some() {
            None
        } else if args.statistics {
            Some(0)
        } else {
            (max_per_rule > 0).then_some(max_per_rule + LINES_NAMED)
        },
        // A large file's cross-row checks get a thread of their own when there are
        // threads to spare; the output is the same bytes either way.
        parallel: pool.current_num_threads() > 1,
        progress: Some(Arc::new(AtomicU64::new(0))),
        ..Options::default()
    };
    // Findings are printed as the engine confirms them, a file's findings never all
    // held at once, in the formats that write them one by one (the others need a
    // file's findings together: grouped reports, documents, the statistics table).
    let stream = args.format.writes_findings_one_by_one() && !args.statistics;
    let progress = options
        .progress
        .clone()
        .and_then(|counter| Progress::start(counter, bundles::total_bytes(&jobs), args.quiet));
    let human = HumanOptions {
        color: color.for_stdout(),
        unicode: true,
        width: report_width(),
        quiet: args.quiet,
    };
    let stdout = io::stdout();
    let mut printer = Printer {
        renderer: csvgate_render::renderer(args.format, &human),
        out: BufWriter::new(stdout.lock()),
        summary: Summary::default(),
        threshold: fail_on.threshold(),
        failed: false,
        problem: expanded.failed || fix_failed,
        notes: args.format == Format::Human && !args.quiet,
        max_per_rule,
        selection: Selection::new(&args.select, &args.ignore),
        statistics: args.statistics.then(BTreeMap::new),
        baseline,
        recorder: args.write_baseline.is_some().then(Recorder::default),
        chosen: &chosen,
        config: config.as_deref(),
        mapped: choices.mapping,
        console,
    };

    let written =
        printer
            .renderer
            .begin(&mut printer.out)
            .and_then(|()| {
                check_in_order(&pool, &jobs, &bundles, choices, &options, stream, |piece| {
                    match piece {
                        Piece::Findings(file, findings) => printer.streamed(&file, findings),
                        Piece::Checked(checked) => printer.input(checked),
                    }
                })
            })
            .and_then(|()| printer.statistics())
            .and_then(|()| printer.renderer.finish(&printer.summary, &mut printer.out))
            .and_then(|()| printer.out.flush());
    drop(progress);
    if let Err(err) = written {
        // A closed pipe (`csvgate check ... | head`) is the reader's choice, not a
        // problem; the status still says what was found up to there.
        if err.kind() != io::ErrorKind::BrokenPipe {
            console.error(format_args!("cannot write to standard output: {err}"));
            printer.problem = true;
        }
    }

    if let Some(baseline) = &printer.baseline {
        let shows_summary = matches!(args.format, Format::Human | Format::Concise);
        if baseline.matched > 0 && shows_summary && !args.quiet {
            let n = baseline.matched;
            let s = if n == 1 { "" } else { "s" };
            console.note(format_args!("{n} finding{s} in the baseline not shown"));
        }
    }
    if let (Some(path), Some(recorder)) = (&args.write_baseline, &printer.recorder) {
        // A baseline without the findings of an input that could not be read would
        // later report them all as new: write none.
        if printer.problem {
            console.error(format_args!(
                "{}: baseline not written: not every input could be checked",
                path.display()
            ));
            return ExitStatus::Error;
        }
        if let Err(err) = recorder.write(path) {
            console.error(format_args!(
                "cannot write the baseline {}: {err}",
                path.display()
            ));
            return ExitStatus::Error;
        }
        let n = recorder.total;
        let s = if n == 1 { "" } else { "s" };
        console.note(format_args!(
            "{n} finding{s} recorded in the baseline {}",
            path.display()
        ));
        // Recording today's findings is the point: they do not fail the run.
        return ExitStatus::Success;
    }

    if printer.problem {
        ExitStatus::Error
    } else if printer.failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Checks `jobs` on `pool`, calling `each` with every report in input order. With
/// `stream`, a single input's findings reach `each` as the engine confirms them, ahead
/// of its report (which then holds none), still in input order.
///
/// Each worker takes the next unchecked job, so jobs finish roughly in order and few
/// reports wait for their turn. When `each` fails, no further job is started.
fn check_in_order(
    pool: &ThreadPool,
    jobs: &[Job],
    bundles: &[Bundle],
    choices: Choices<'_>,
    options: &Options,
    stream: bool,
    mut each: impl FnMut(Piece) -> io::Result<()>,
) -> io::Result<()> {
    let next = AtomicUsize::new(0);
    pool.in_place_scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        for _ in 0..pool.current_num_threads().min(jobs.len()) {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move |_| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(index) else {
                    break;
                };
                // A single input's findings can go out as they are confirmed.
                let streaming;
                let options = match job {
                    Job::Single(_) if stream => {
                        let sender = sender.clone();
                        streaming = Options {
                            stream: Some(Stream::new(move |findings| {
                                // A closed receiver means output failed: nothing to do.
                                let _ = sender.send(Outcome::Streamed(index, findings));
                            })),
                            ..options.clone()
                        };
                        &streaming
                    }
                    _ => options,
                };
                let result = check_job(job, bundles, choices, options);
                // The receiver is gone only when output failed: stop.
                if sender.send(Outcome::Done(index, result)).is_err() {
                    break;
                }
            });
        }
        drop(sender);

        // Each job's streamed findings, then its reports, strictly in job order.
        let mut waiting: BTreeMap<usize, Waiting> = BTreeMap::new();
        let mut turn = 0;
        let name = |index: usize| match jobs.get(index) {
            Some(Job::Single(source)) => source.name(),
            _ => Arc::from(""),
        };
        for outcome in receiver {
            match outcome {
                Outcome::Streamed(index, findings) if index == turn => {
                    each(Piece::Findings(name(index), findings))?;
                }
                Outcome::Streamed(index, findings) => {
                    waiting.entry(index).or_default().0.push(findings);
                }
                Outcome::Done(index, reports) => {
                    waiting.entry(index).or_default().1 = Some(reports)
                }
            }
            while let Some((streamed, done)) = waiting.get_mut(&turn) {
                for findings in std::mem::take(streamed) {
                    each(Piece::Findings(name(turn), findings))?;
                }
                let Some(reports) = done.take() else {
                    break;
                };
                waiting.remove(&turn);
                for checked in reports {
                    each(Piece::Checked(checked))?;
                }
                turn += 1;
            }
        }
        Ok(())
    })
}

/// A job's output waiting for its turn: findings streamed so far, then its reports.
type Waiting = (Vec<Vec<Finding>>, Option<Vec<Checked>>);

/// What a check job sends the printing thread.
enum Outcome {
    /// Findings of job `.0`'s input, confirmed so far.
    Streamed(usize, Vec<Finding>),
    /// Job `.0` is done: its reports (of streamed inputs, without their findings).
    Done(usize, Vec<Checked>),
}

/// What the printer is handed, in output order.
enum Piece {
    /// Findings of the input named `.0`, streamed ahead of its report.
    Findings(Arc<str>, Vec<Finding>),
    /// An input's report.
    Checked(Checked),
}

/// Checks one job: its reports, in the order to print them.
fn check_job(
    job: &Job,
    bundles: &[Bundle],
    choices: Choices<'_>,
    options: &Options,
) -> Vec<Checked> {
    match job {
        Job::Single(source) => {
            let path = match source {
                Source::File { path, .. } | Source::Zip { path, .. } => Some(path.as_path()),
                Source::Stdin => None,
            };
            vec![Checked {
                file: source.name(),
                member: None,
                result: check_one(source, choices.for_path(path), options),
                is_file: true,
            }]
        }
        Job::Zip { path, name } => {
            let choice = choices.for_path(Some(path));
            // An archive the config maps is checked member by member with its schema.
            let grouping = if choices.is_mapped(path) {
                &[]
            } else {
                bundles
            };
            bundles::check_zip(path, name, grouping, choice, options)
        }
        Job::Loose { bundle, members } => match bundles.get(*bundle) {
            Some(bundle) => bundles::check_loose(bundle, members, options),
            None => Vec::new(),
        },
    }
}

fn check_one(
    source: &Source,
    choice: SchemaChoice<'_>,
    options: &Options,
) -> io::Result<FileReport> {
    match source {
        Source::Zip { .. } => Err(io::Error::other("an archive is not a CSV file")),
        Source::Stdin => csvgate_engine::check(
            Input::new(source.name(), io::stdin().lock()),
            choice,
            options,
        ),
        Source::File { path, name } => {
            // The engine buffers its reads itself.
            let file = File::open(path)?;
            let size = file.metadata()?.len();
            let input = Input::new(name.clone(), file).with_size_hint(size);
            csvgate_engine::check(input, choice, options)
        }
    }
}

/// Renders each input's report and keeps the run's totals.
struct Printer<'a, W: Write> {
    renderer: Box<dyn Renderer>,
    out: W,
    summary: Summary,
    threshold: Severity,
    /// A finding at or above the fail level was seen.
    failed: bool,
    /// The run could not be done in full (reported on standard error).
    problem: bool,
    /// Say on standard error which schema checked each input.
    notes: bool,
    /// Findings of one rule shown per input; 0 for all.
    max_per_rule: usize,
    /// The rules whose findings exist for this run (`--select`, `--ignore`).
    selection: Selection,
    /// With `--statistics`: the findings counted by rule and severity, printed as a
    /// table at the end instead of the findings.
    statistics: Option<BTreeMap<(Rule, Severity), usize>>,
    /// With `--baseline`: the findings it holds, dropped before anything else.
    baseline: Option<Baseline>,
    /// With `--write-baseline`: the findings of the run, for the baseline file.
    recorder: Option<Recorder>,
    chosen: &'a Chosen,
    /// The config: its `[rules]` and `[[overrides]]` apply to every input.
    config: Option<&'a Config>,
    /// The config whose `[[schemas]]` chose schemas (no `--schema`), for the notes.
    mapped: Option<&'a Config>,
    console: &'a Console,
}

impl<W: Write> Printer<'_, W> {
    /// Findings of `file` streamed ahead of its report: settled and printed now.
    fn streamed(&mut self, file: &Arc<str>, mut findings: Vec<Finding>) -> io::Result<()> {
        self.settle(file, &mut findings);
        self.renderer
            .findings(&InputInfo { file, member: None }, &findings, &mut self.out)
    }

    /// What happens to every finding before it is shown: csvgate.toml's severities,
    /// then the selection and the baseline (whose findings do not exist for the run),
    /// recorded for a new baseline, counted.
    fn settle(&mut self, file: &str, findings: &mut Vec<Finding>) {
        if let Some(config) = self.config {
            config.apply(Path::new(file), findings);
        }
        self.selection.filter(findings);
        if let Some(recorder) = &mut self.recorder {
            recorder.record(findings);
        }
        if let Some(baseline) = &mut self.baseline {
            baseline.absorb(findings);
        }
        self.count(findings);
    }

    fn input(&mut self, checked: Checked) -> io::Result<()> {
        let label = checked.label();
        let Checked {
            file,
            member,
            result,
            is_file,
        } = checked;
        let mut report = match result {
            Ok(report) => report,
            Err(err) => {
                // Keep stdout and stderr in step on a terminal.
                self.out.flush()?;
                self.console.error(format_args!("{label}: {err}"));
                self.problem = true;
                return Ok(());
            }
        };
        if is_file {
            self.summary.files += 1;
        }
        self.summary.records += report.records;
        self.settle(&file, &mut report.findings);
        if let Some(config) = self.config {
            config.apply_held(Path::new(&*file), &mut report.held_back);
        }
        report
            .held_back
            .retain(|held| self.selection.contains(held.rule));
        for held in &report.held_back {
            self.count_one(held.severity, held.count);
        }
        if self.notes && is_file {
            self.out.flush()?;
            let mapped = self.mapped.and_then(|config| {
                config
                    .mapping(Path::new(&*file))
                    .map(|(_, glob)| (config.file_name(), glob.to_owned()))
            });
            self.console
                .note(note(&label, &report, self.chosen, mapped.as_ref()));
        }
        if let Some(table) = &mut self.statistics {
            for finding in &report.findings {
                *table.entry((finding.rule, finding.severity)).or_insert(0) += 1;
            }
            for held in &report.held_back {
                *table.entry((held.rule, held.severity)).or_insert(0) +=
                    usize::try_from(held.count).unwrap_or(usize::MAX);
            }
            return Ok(());
        }
        // Every checked input, clean or not: some formats list inputs, not findings.
        let (shown, hidden) = cap_per_rule(report.findings, &report.held_back, self.max_per_rule);
        self.renderer.findings(
            &InputInfo {
                file: &file,
                member: member.as_deref(),
            },
            &shown,
            &mut self.out,
        )?;
        for group in &hidden {
            writeln!(self.out, "{}", hidden_line(group, &label))?;
        }
        Ok(())
    }

    /// With `--statistics`, the table of counts.
    fn statistics(&mut self) -> io::Result<()> {
        match &self.statistics {
            Some(table) => write_statistics(table, &mut self.out),
            None => Ok(()),
        }
    }

    fn count(&mut self, findings: &[Finding]) {
        for finding in findings {
            self.count_one(finding.severity, 1);
        }
    }

    /// Counts `count` findings of `severity`.
    fn count_one(&mut self, severity: Severity, count: u64) {
        match severity {
            Severity::Error => self.summary.errors += count,
            Severity::Warning => self.summary.warnings += count,
            Severity::Info => self.summary.infos += count,
        }
        self.failed |= count > 0 && fails(severity, self.threshold);
    }
}

/// The human report's width: the terminal's when standard output is one, else 80, so
/// that a pipe, a CI log or a test gets the same text everywhere.
fn report_width() -> usize {
    let stdout = io::stdout();
    if !stdout.is_terminal() {
        return 80;
    }
    terminal_size::terminal_size_of(stdout).map_or(80, |(terminal_size::Width(width), _)| {
        usize::from(width).max(40)
    })
}

/// Findings of one rule on one column that were not shown.
struct Hidden {
    rule: Rule,
    field: Option<String>,
    count: usize,
    /// The first lines they are on.
    lines: Vec<u64>,
}

/// Lines named in the "and N more" line of a group.
const LINES_NAMED: usize = 8;

/// The findings to show: at most `max` of each rule on each column (all when `max` is
/// 0), so that a thousand missing values in one column read as one problem; and what
/// was left out of each group, in catalogue order. `held` are the findings the engine
/// counted without keeping them (they come after the kept ones of their group).
fn cap_per_rule(
    findings: Vec<Finding>,
    held: &[HeldBack],
    max: usize,
) -> (Vec<Finding>, Vec<Hidden>) {
    if max == 0 {
        return (findings, Vec::new());
    }
    let mut groups: BTreeMap<(Rule, Option<String>), Hidden> = BTreeMap::new();
    let mut shown = Vec::with_capacity(findings.len().min(max * 8));
    for finding in findings {
        let key = (finding.rule, finding.location.field.clone());
        let group = groups.entry(key).or_insert_with(|| Hidden {
            rule: finding.rule,
            field: finding.location.field.clone(),
            count: 0,
            lines: Vec::new(),
        });
        group.count += 1;
        if group.count <= max {
            shown.push(finding);
        } else if let (Some(line), true) = (finding.location.line, group.lines.len() < LINES_NAMED)
        {
            group.lines.push(line);
        }
    }
    for held in held {
        let group = groups
            .entry((held.rule, held.field.clone()))
            .or_insert_with(|| Hidden {
                rule: held.rule,
                field: held.field.clone(),
                count: 0,
                lines: Vec::new(),
            });
        group.count += usize::try_from(held.count).unwrap_or(usize::MAX);
    }
    let hidden = groups
        .into_values()
        .filter(|group| group.count > max)
        .map(|group| Hidden {
            count: group.count - max,
            ..group
        })
        .collect();
    (shown, hidden)
}

/// `... and 12 more missing-value findings on `Email` in a.csv, on lines 40, 41, …`
fn hidden_line(hidden: &Hidden, label: &str) -> String {
    let Hidden {
        rule,
        field,
        count,
        lines,
    } = hidden;
    let s = if *count == 1 { "" } else { "s" };
    let on = field
        .as_deref()
        .map_or(String::new(), |field| format!(" on `{field}`"));
    let mut at = String::new();
    if !lines.is_empty() {
        let named: Vec<String> = lines.iter().map(u64::to_string).collect();
        let more = if *count > lines.len() { ", …" } else { "" };
        let word = if lines.len() == 1 { "line" } else { "lines" };
        at = format!(", on {word} {}{more}", named.join(", "));
    }
    format!(
        "... and {count} more {} finding{s}{on} in {label}{at} (--max-per-rule 0 shows all)",
        rule.name()
    )
}

/// `--statistics`' table: one line per rule and severity, with the count, the rule's
/// name, the severity and the rule's summary, most frequent first, then by rule name
/// (then the more severe first).
fn write_statistics(
    table: &BTreeMap<(Rule, Severity), usize>,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut rows: Vec<_> = table
        .iter()
        .map(|(&(rule, severity), &count)| (count, rule, severity))
        .collect();
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.name().cmp(b.1.name()))
            .then_with(|| b.2.cmp(&a.2))
    });
    let count_width = rows.iter().map(|row| row.0.to_string().len()).max();
    let name_width = rows.iter().map(|row| row.1.name().len()).max();
    let severity_width = rows.iter().map(|row| row.2.as_str().len()).max();
    let (Some(count_width), Some(name_width), Some(severity_width)) =
        (count_width, name_width, severity_width)
    else {
        return Ok(());
    };
    for (count, rule, severity) in rows {
        writeln!(
            out,
            "{count:>count_width$}  {:<name_width$}  {:<severity_width$}  {}",
            rule.name(),
            severity.as_str(),
            rule.summary()
        )?;
    }
    Ok(())
}

/// Whether a finding of `severity` fails a run whose fail level is `threshold`.
fn fails(severity: Severity, threshold: Severity) -> bool {
    severity >= threshold
}

/// Which schema checked an input, and why. `mapped`: the config file's name and the
/// glob of its `[[schemas]]` entry that chose the schema.
fn note(
    name: &str,
    report: &FileReport,
    chosen: &Chosen,
    mapped: Option<&(String, String)>,
) -> String {
    if let (Some((config, glob)), Detection::Named) = (mapped, &report.detection) {
        return match report.schema.as_deref() {
            Some(schema) => format!("{name}: checked against {schema} ({config} maps {glob})"),
            None => format!(
                "{name}: checked without a schema (only structural and header checks; {config} maps {glob})"
            ),
        };
    }
    let Some(schema) = report.schema.as_deref() else {
        return match &report.detection {
            Detection::NoMatch => format!("{name}: no schema matched"),
            Detection::Ambiguous(tied) => format!(
                "{name}: no schema chosen: the header fits {} equally well",
                tied.join(" and ")
            ),
            _ => format!("{name}: checked without a schema (only structural and header checks)"),
        };
    };
    let why = match &report.detection {
        Detection::Named => "named with --schema".to_owned(),
        Detection::FileName(glob) => format!("file name matches {glob}"),
        Detection::Header { known, unknown } => {
            let total = chosen
                .find(schema)
                .map_or(String::new(), |schema| format!(" {}", schema.columns.len()));
            format!("header has {known} of its{total} columns, {unknown} unknown")
        }
        Detection::NoMatch | Detection::Ambiguous(_) => "no schema matched".to_owned(),
        Detection::Bundle(bundle) => format!("a member of the {bundle} bundle"),
    };
    format!("{name}: checked against {schema} ({why})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fail_level_is_inclusive() {
        use Severity::{Error, Info, Warning};
        assert!(fails(Error, Error));
        assert!(!fails(Warning, Error));
        assert!(!fails(Info, Error));
        assert!(fails(Error, Warning));
        assert!(fails(Warning, Warning));
        assert!(!fails(Info, Warning));
    }

    fn report(schema: Option<&str>, detection: Detection) -> FileReport {
        FileReport {
            findings: Vec::new(),
            held_back: Vec::new(),
            records: 0,
            schema: schema.map(str::to_owned),
            detection,
        }
    }

    #[test]
    fn statistics_are_sorted_by_count_then_name() {
        let table = BTreeMap::from([
            ((Rule::InvalidEmail, Severity::Error), 1),
            ((Rule::InconsistentValues, Severity::Error), 12),
            ((Rule::BlankRow, Severity::Warning), 1),
            ((Rule::InvalidEmail, Severity::Warning), 1),
        ]);
        let mut out = Vec::new();
        write_statistics(&table, &mut out).expect("writes");
        let expected = [
            format!(
                "12  inconsistent-values  error    {}",
                Rule::InconsistentValues.summary()
            ),
            format!(
                " 1  blank-row            warning  {}",
                Rule::BlankRow.summary()
            ),
            format!(
                " 1  invalid-email        error    {}",
                Rule::InvalidEmail.summary()
            ),
            format!(
                " 1  invalid-email        warning  {}",
                Rule::InvalidEmail.summary()
            ),
        ];
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            expected.map(|line| line + "\n").concat()
        );
        let mut out = Vec::new();
        write_statistics(&BTreeMap::new(), &mut out).expect("writes");
        assert!(out.is_empty());
    }

    #[test]
    fn notes_say_why() {
        let chosen = Chosen::Detect(Vec::new());
        let cases = [
            (
                report(Some("s"), Detection::Named),
                "a.csv: checked against s (named with --schema)",
            ),
            (
                report(Some("s"), Detection::FileName("*s*.csv".into())),
                "a.csv: checked against s (file name matches *s*.csv)",
            ),
            (
                report(
                    Some("s"),
                    Detection::Header {
                        known: 7,
                        unknown: 1,
                    },
                ),
                "a.csv: checked against s (header has 7 of its columns, 1 unknown)",
            ),
            (report(None, Detection::NoMatch), "a.csv: no schema matched"),
        ];
        for (report, expected) in cases {
            assert_eq!(note("a.csv", &report, &chosen, None), expected);
        }
        let mapped = ("csvgate.toml".to_owned(), "exports/**/u*.csv".to_owned());
        assert_eq!(
            note(
                "a.csv",
                &report(Some("s"), Detection::Named),
                &chosen,
                Some(&mapped)
            ),
            "a.csv: checked against s (csvgate.toml maps exports/**/u*.csv)"
        );
    }
}
