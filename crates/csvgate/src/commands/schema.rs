//! `csvgate schema show`: a schema's source; `csvgate schema check`: schema files
//! checked without data.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;

use csvgate_schema::{Bundle, Schema};

use crate::config::Config;
use crate::console::Console;
use crate::exit::ExitStatus;
use crate::schema_arg;

/// Writes the source of the schema `arg` names: a built-in schema's or bundle's file,
/// or a schema file's text once it has been checked.
pub fn show(
    arg: &str,
    out: &mut dyn Write,
    config: Option<&Config>,
    console: &Console,
) -> io::Result<ExitStatus> {
    if let Some(source) = csvgate_schema::builtin::bundle_source(arg) {
        out.write_all(source.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let Ok(schema) = schema_arg::load_known(arg, config, console) else {
        return Ok(ExitStatus::Error);
    };
    out.write_all(schema.source.as_bytes())?;
    if !schema.source.is_empty() && !schema.source.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(ExitStatus::Success)
}

/// Checks each schema (or bundle) file and says what it declares; every mistake is
/// shown on standard error, pointing into its file.
pub fn check(
    files: &[PathBuf],
    out: &mut dyn Write,
    config: Option<&Config>,
    console: &Console,
) -> io::Result<ExitStatus> {
    let mut status = ExitStatus::Success;
    for path in files {
        let shown = path.to_string_lossy();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                console.error(format_args!("cannot read schema file {shown}: {err}"));
                status = ExitStatus::Error;
                continue;
            }
        };
        // A bundle lists members; everything else is a schema.
        let is_bundle = text
            .lines()
            .any(|line| line.trim_start().starts_with("[[member]]"));
        let summary = if is_bundle {
            Bundle::parse(&shown, &text, |name| {
                schema_arg::load_known_quiet(name, config)
            })
            .map(|bundle| {
                format!(
                    "bundle `{}`: {} members, {} references",
                    bundle.name,
                    bundle.members.len(),
                    bundle.references.len()
                )
            })
        } else {
            Schema::parse(&shown, &text).map(|schema| {
                format!(
                    "schema `{}`: {} columns, {} header rules, {} row rules, {} cross-row rules",
                    schema.name,
                    schema.columns.len(),
                    schema.header_rules.len(),
                    schema.row_rules.len(),
                    schema.cross_row_rules.len()
                )
            })
        };
        match summary {
            Ok(summary) => writeln!(out, "{shown}: ok: {summary}")?,
            Err(err) => {
                console.diagnostic(&err);
                status = ExitStatus::Error;
            }
        }
    }
    Ok(status)
}
