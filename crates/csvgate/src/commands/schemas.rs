//! `csvgate schemas`: the schemas csvgate knows, one per line.

use std::io::{self, Write};

use crate::config::Config;
use crate::console::Console;
use crate::exit::ExitStatus;
use crate::schema_arg;

/// Writes each known schema's (built-in or of csvgate.toml's `schema-dirs`) and
/// built-in bundle's name and description, in two aligned
/// columns, schemas then bundles, each sorted by name.
pub fn run(
    out: &mut dyn Write,
    config: Option<&Config>,
    console: &Console,
) -> io::Result<ExitStatus> {
    let (Ok(schemas), Ok(bundles)) = (
        schema_arg::load_all(config, console),
        schema_arg::load_bundles(console),
    ) else {
        return Ok(ExitStatus::Error);
    };
    let rows: Vec<(String, &str)> = schemas
        .iter()
        .map(|s| (s.name.clone(), s.description.as_str()))
        .chain(
            bundles
                .iter()
                .map(|b| (format!("{} (bundle)", b.name), b.description.as_str())),
        )
        .collect();
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    for (name, description) in &rows {
        writeln!(out, "{name:<width$}  {description}")?;
    }
    Ok(ExitStatus::Success)
}
