//! Throughput of the engine beside a raw `csv` crate parse of the same file.
//!
//! `cargo bench -p csvgate_engine --bench throughput` generates a realistic
//! entitlements-upload file (`target/bench-data/entitlements-<N>mb.csv`, kept for later
//! runs) and times, best of 3 (runs interleaved, so that a noisy neighbour hurts every
//! case alike):
//!
//! - `raw csv`: the `csv` crate reading every record into one reused `ByteRecord`, the
//!   floor any CSV tool pays;
//! - `engine, schema`: `csvgate_engine::check` with the built-in `entitlements-upload`
//!   schema, snippets on, as the CLI runs it;
//! - `engine, no schema`: the same with `SchemaChoice::None` (structure only).
//!
//! It prints a markdown table with MB/s (10^6 bytes) and each case's throughput as a
//! share of raw csv's (ratios are steadier than absolutes on a shared machine), of the
//! best runs and of the median ones, then two threads' speed over one's, and
//! the process's peak RSS.
//!
//! Settings (environment):
//! - `CSVGATE_BENCH_MB`: file size in MB, default 200;
//! - `CSVGATE_BENCH_DEFECT_RATE`: share of rows with a planted defect, default 0 (a
//!   file with defects is generated under its own name);
//! - `CSVGATE_BENCH_RUNS`: runs per case, default 3;
//! - `CSVGATE_BENCH_ONLY`: one case (`raw`, `schema`, `parallel` or `none`), run once
//!   and reported in a line, for a profiler to watch (`scripts/instructions.sh` counts
//!   its instructions, which unlike time do not depend on the machine's neighbours);
//! - `CSVGATE_BENCH_FILE`: the file to read instead of a generated one.
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it only checks a small
//! in-memory file, quickly.

// A benchmark binary: printing the table is its whole job.
#![allow(clippy::print_stdout)]
// Setup that fails (no schema, unreadable file) is a failed benchmark: panicking with
// the error is the right report.
#![allow(clippy::unwrap_used)]

mod generate;

use std::collections::BTreeMap;
use std::env;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use csvgate_engine::{check, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

use generate::{Config, Stats, MB};

/// The csv crate's read buffer, matched to the engine's 64 KiB reads so that both
/// make the same number of `read` calls.
const READ_BUFFER: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    RawCsv,
    EngineSchema,
    EngineSchemaParallel,
    EngineNoSchema,
}

impl Case {
    const ALL: [Case; 4] = [
        Case::RawCsv,
        Case::EngineSchema,
        Case::EngineSchemaParallel,
        Case::EngineNoSchema,
    ];

    /// The case `CSVGATE_BENCH_ONLY` names.
    fn named(name: &str) -> Option<Case> {
        match name {
            "raw" => Some(Case::RawCsv),
            "schema" => Some(Case::EngineSchema),
            "parallel" => Some(Case::EngineSchemaParallel),
            "none" => Some(Case::EngineNoSchema),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Case::RawCsv => "raw csv (ByteRecord loop)",
            Case::EngineSchema => "engine, schema entitlements-upload, 1 thread",
            Case::EngineSchemaParallel => {
                "engine, schema entitlements-upload, 2 threads (cross-row stage)"
            }
            Case::EngineNoSchema => "engine, no schema (structure only)",
        }
    }
}

/// What one run of a case saw.
#[derive(Default, Clone)]
struct Outcome {
    records: u64,
    /// Findings by rule name (none for raw csv).
    findings: BTreeMap<&'static str, u64>,
}

impl Outcome {
    fn total(&self) -> u64 {
        self.findings.values().sum()
    }
}

fn main() {
    let schema = csvgate_schema::builtin::load("entitlements-upload")
        .expect("the built-in schema entitlements-upload")
        .unwrap();
    if env::args().any(|a| a == "--bench") {
        bench(&schema);
    } else {
        smoke(&schema);
    }
}

/// A quick check that the generator and the cases agree, for `cargo test`.
fn smoke(schema: &Schema) {
    let (clean, stats) = generate::to_vec(&Config::bytes(300_000));
    let options = Options {
        snippets: true,
        ..Options::default()
    };
    let report = check(
        Input::new("smoke.csv", &clean[..]),
        SchemaChoice::Use(schema),
        &options,
    )
    .unwrap();
    assert_eq!(report.records, stats.records);
    assert!(
        report.findings.is_empty(),
        "a clean generated file has findings: {:#?}",
        &report.findings[..report.findings.len().min(5)]
    );
    let mut raw = csv::ReaderBuilder::new().from_reader(&clean[..]);
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while raw.read_byte_record(&mut record).unwrap() {
        records += 1;
    }
    assert_eq!(records, stats.records);

    let (dirty, stats) = generate::to_vec(&Config::bytes(300_000).defect_rate(0.02));
    let report = check(
        Input::new("smoke.csv", &dirty[..]),
        SchemaChoice::Use(schema),
        &options,
    )
    .unwrap();
    assert!(stats.defects.total() > 0);
    assert!(report.findings.len() as u64 >= stats.defects.total());
    println!(
        "throughput smoke test ok ({} records; run with `cargo bench` to measure)",
        stats.records
    );
}

fn bench(schema: &Schema) {
    let mb: u64 = env_or("CSVGATE_BENCH_MB", 200);
    let defect_rate: f64 = env_or("CSVGATE_BENCH_DEFECT_RATE", 0.0);
    let runs: usize = env_or("CSVGATE_BENCH_RUNS", 3).max(1);
    let name = if defect_rate > 0.0 {
        format!("entitlements-{mb}mb-defects{defect_rate}.csv")
    } else {
        format!("entitlements-{mb}mb.csv")
    };
    let path = match env::var_os("CSVGATE_BENCH_FILE") {
        Some(file) => PathBuf::from(file),
        None => bench_data_dir().join(name),
    };
    if path.exists() {
        println!("using {}", path.display());
    } else {
        println!("generating {} ...", path.display());
        let started = Instant::now();
        let config = Config::mb(mb).defect_rate(defect_rate);
        let stats = generate::write_file(&config, &path).unwrap();
        println!(
            "generated in {:.1}s: {}",
            started.elapsed().as_secs_f64(),
            describe(&stats)
        );
    }
    let size = fs::metadata(&path).unwrap().len();
    if let Ok(only) = env::var("CSVGATE_BENCH_ONLY") {
        let case = Case::named(&only).unwrap_or_else(|| {
            panic!("CSVGATE_BENCH_ONLY={only:?}: raw, schema, parallel or none")
        });
        let started = Instant::now();
        let outcome = run_case(case, &path, schema).unwrap();
        println!(
            "{}: {} records, {} findings, {:.3}s",
            case.label(),
            outcome.records,
            outcome.total(),
            started.elapsed().as_secs_f64()
        );
        return;
    }

    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); Case::ALL.len()];
    let mut outcomes: Vec<Outcome> = vec![Outcome::default(); Case::ALL.len()];
    for run in 0..runs {
        for (index, &case) in Case::ALL.iter().enumerate() {
            let started = Instant::now();
            let outcome = run_case(case, &path, schema).unwrap();
            let elapsed = started.elapsed();
            times[index].push(elapsed);
            println!(
                "  run {}/{runs} {:<36} {:>7.3}s",
                run + 1,
                case.label(),
                elapsed.as_secs_f64()
            );
            outcomes[index] = outcome;
        }
    }

    // The best run says what the code can do; the median, how much the machine's
    // neighbours moved it.
    let best = |index: usize| {
        times[index]
            .iter()
            .min()
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
    };
    let median = |index: usize| {
        let mut sorted = times[index].clone();
        sorted.sort();
        sorted
            .get(sorted.len() / 2)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
    };
    let (raw_best, raw_median) = (best(0), median(0));
    println!();
    println!(
        "file: {} ({:.1} MB, {} records)",
        path.display(),
        size as f64 / MB as f64,
        outcomes[0].records
    );
    println!();
    println!(
        "| case | best of {runs} (s) | MB/s | ratio to raw csv | median (s) | median ratio | records | findings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (index, &case) in Case::ALL.iter().enumerate() {
        let (secs, middle) = (best(index), median(index));
        let findings = match case {
            Case::RawCsv => "-".to_owned(),
            _ => outcomes[index].total().to_string(),
        };
        println!(
            "| {} | {:.3} | {:.1} | {:.2} | {:.3} | {:.2} | {} | {} |",
            case.label(),
            secs,
            size as f64 / MB as f64 / secs,
            raw_best / secs,
            middle,
            raw_median / middle,
            outcomes[index].records,
            findings
        );
    }
    // The second target is this ratio (at least 1.7 on two cores).
    let at = |wanted: Case| Case::ALL.iter().position(|&case| case == wanted);
    if let (Some(one), Some(all)) = (at(Case::EngineSchema), at(Case::EngineSchemaParallel)) {
        println!(
            "\ntwo threads over one (schema): {:.2} best, {:.2} median",
            best(one) / best(all),
            median(one) / median(all)
        );
    }
    for (index, &case) in Case::ALL.iter().enumerate() {
        if outcomes[index].records != outcomes[0].records {
            println!(
                "\nWARNING: {} read {} records, raw csv {}",
                case.label(),
                outcomes[index].records,
                outcomes[0].records
            );
        }
        if !outcomes[index].findings.is_empty() {
            let by_rule: Vec<String> = outcomes[index]
                .findings
                .iter()
                .map(|(rule, n)| format!("{rule} {n}"))
                .collect();
            println!("\nfindings of {}: {}", case.label(), by_rule.join(", "));
        }
    }
    println!();
    println!("peak RSS (VmHWM): {}", peak_rss());
}

fn run_case(case: Case, path: &Path, schema: &Schema) -> io::Result<Outcome> {
    let file = File::open(path)?;
    let options = Options {
        snippets: true,
        parallel: case == Case::EngineSchemaParallel,
        ..Options::default()
    };
    let name = path.display().to_string();
    let report = match case {
        Case::RawCsv => {
            let mut reader = csv::ReaderBuilder::new()
                .buffer_capacity(READ_BUFFER)
                .from_reader(file);
            let mut record = csv::ByteRecord::new();
            let mut records = 0;
            while reader.read_byte_record(&mut record)? {
                records += 1;
            }
            return Ok(Outcome {
                records,
                findings: BTreeMap::new(),
            });
        }
        // As the command line does: the file's size lets the engine size its state once.
        Case::EngineSchema | Case::EngineSchemaParallel | Case::EngineNoSchema => {
            let size = file.metadata()?.len();
            let input = Input::new(name, file).with_size_hint(size);
            let choice = match case {
                Case::EngineNoSchema => SchemaChoice::None,
                _ => SchemaChoice::Use(schema),
            };
            check(input, choice, &options)?
        }
    };
    let mut findings = BTreeMap::new();
    for finding in &report.findings {
        *findings.entry(finding.rule.name()).or_insert(0) += 1;
    }
    Ok(Outcome {
        records: report.records,
        findings,
    })
}

/// The generated files' folder: `<target>/bench-data`.
fn bench_data_dir() -> PathBuf {
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            // crates/csvgate_engine -> the workspace root.
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
            manifest
                .ancestors()
                .nth(2)
                .unwrap_or(manifest)
                .join("target")
        },
        PathBuf::from,
    );
    target.join("bench-data")
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a valid value")),
        Err(_) => default,
    }
}

fn describe(stats: &Stats) -> String {
    let fields = stats.fields().max(1) as f64;
    format!(
        "{:.1} MB, {} records, {} lines, {:.2}% of fields quoted with a comma, {} multi-line fields ({:.2}% of records), {} planted defects",
        stats.bytes as f64 / MB as f64,
        stats.records,
        stats.lines,
        100.0 * stats.quoted_with_comma as f64 / fields,
        stats.multiline_fields,
        100.0 * stats.multiline_fields as f64 / stats.records.max(1) as f64,
        stats.defects.total()
    )
}

/// The process's peak resident set size, from `/proc/self/status`.
fn peak_rss() -> String {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_owned())
}
