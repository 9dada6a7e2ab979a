//! `check --fix` and `--diff`: each input file rewritten with what is safely fixable,
//! through a temporary file beside it renamed over it only once complete.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use csvgate_diagnostics::Rule;
use csvgate_engine::{fix, Change, Input, Options, SchemaChoice};
use csvgate_schema::Schema;

use crate::console::Console;
use crate::inputs::Source;

/// What a fix pass did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Files that had (or, with `--diff`, would have) changes.
    pub changed: usize,
    /// A file could not be read or written (reported).
    pub failed: bool,
}

/// Fixes (or, with `diff`, shows the fixes of) each file among `sources`; `schema_for`
/// gives the schema that checks a file, as the check would choose it.
pub fn run<'s>(
    sources: &[Source],
    schema_for: impl Fn(&Path, &str) -> Option<&'s Schema>,
    choice_for: impl Fn(&Path) -> SchemaChoice<'s>,
    diff: bool,
    out: &mut dyn Write,
    console: &Console,
) -> io::Result<Fixed> {
    let mut fixed = Fixed::default();
    for source in sources {
        let (path, name) = match source {
            Source::File { path, name } => (path, name),
            Source::Zip { name, .. } => {
                console.note(format_args!(
                    "{name}: --fix leaves the members of zip archives as they are"
                ));
                continue;
            }
            Source::Stdin => {
                console.note("-: --fix leaves standard input as it is");
                continue;
            }
        };
        match fix_file(path, name, &schema_for, &choice_for, diff, out) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                fixed.changed += 1;
                if !diff {
                    console.note(format_args!("{name}: {}", summary(&changes)));
                }
            }
            Err(err) => {
                console.error(format_args!("{name}: cannot fix: {err}"));
                fixed.failed = true;
            }
        }
    }
    Ok(fixed)
}

fn fix_file<'s>(
    path: &Path,
    name: &str,
    schema_for: &impl Fn(&Path, &str) -> Option<&'s Schema>,
    choice_for: &impl Fn(&Path) -> SchemaChoice<'s>,
    diff: bool,
    out: &mut dyn Write,
) -> io::Result<Vec<Change>> {
    // The schema the check would use: named, mapped, or detected from this file.
    let schema = match choice_for(path) {
        SchemaChoice::Use(schema) => Some(schema),
        SchemaChoice::None => None,
        choice @ SchemaChoice::Detect(_) => {
            let report = csvgate_engine::check(
                Input::new(name, File::open(path)?),
                choice,
                &Options {
                    snippets: false,
                    ..Options::default()
                },
            )?;
            report.schema.and_then(|schema| schema_for(path, &schema))
        }
    };
    if diff {
        let report = fix(File::open(path)?, schema, io::sink())?;
        write_diff(name, &report.changes, out)?;
        return Ok(report.changes);
    }
    // Beside the input, so that the rename stays on one file system and is atomic.
    let temporary = path.with_file_name(format!(
        ".{}.csvgate-fix",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    let result = (|| {
        let mut writer = BufWriter::new(File::create(&temporary)?);
        let report = fix(File::open(path)?, schema, &mut writer)?;
        writer.flush()?;
        writer.get_ref().sync_all()?;
        Ok::<_, io::Error>(report)
    })();
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            let _ = fs::remove_file(&temporary);
            return Err(err);
        }
    };
    if report.changes.is_empty() {
        fs::remove_file(&temporary)?;
        return Ok(report.changes);
    }
    let permissions = fs::metadata(path)?.permissions();
    fs::set_permissions(&temporary, permissions)?;
    fs::rename(&temporary, path)?;
    Ok(report.changes)
}

/// `removed the byte order mark, removed 2 blank rows, trimmed 5 values, renamed 1 header`.
fn summary(changes: &[Change]) -> String {
    let count = |rule: Rule| changes.iter().filter(|c| c.rule == rule).count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = Vec::new();
    if count(Rule::Utf8Bom) > 0 {
        parts.push("removed the byte order mark".to_owned());
    }
    let blank = count(Rule::BlankRow);
    if blank > 0 {
        parts.push(format!(
            "removed {}",
            plural(blank, "blank row", "blank rows")
        ));
    }
    let trimmed = count(Rule::SurroundingWhitespace);
    if trimmed > 0 {
        parts.push(format!(
            "trimmed {}",
            plural(trimmed, "record's values", "records' values")
        ));
    }
    let renamed = count(Rule::NonCanonicalHeader);
    if renamed > 0 {
        parts.push("renamed header names to the schema's".to_owned());
    }
    parts.join(", ")
}

/// The changes as a diff: `-` the record before, `+` after, by input line.
fn write_diff(name: &str, changes: &[Change], out: &mut dyn Write) -> io::Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    writeln!(out, "--- {name}")?;
    writeln!(out, "+++ {name} (fixed)")?;
    for change in changes {
        writeln!(out, "@@ line {} [{}] @@", change.line, change.rule.name())?;
        if change.rule == Rule::Utf8Bom {
            writeln!(out, "-<byte order mark>")?;
            continue;
        }
        for line in change
            .before
            .lines()
            .chain(change.before.is_empty().then_some(""))
        {
            writeln!(out, "-{line}")?;
        }
        if let Some(after) = &change.after {
            for line in after.lines() {
                writeln!(out, "+{line}")?;
            }
        }
    }
    Ok(())
}
