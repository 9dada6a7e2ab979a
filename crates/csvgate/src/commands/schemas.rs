//! `csvgate schemas`: the schemas csvgate knows, one per line.

use std::io::{self, Write};

use crate::console::Console;
use crate::exit::ExitStatus;
use crate::schema_arg;

/// Writes each built-in schema's name and description, in two aligned columns,
/// sorted by name.
pub fn run(out: &mut dyn Write, console: &Console) -> io::Result<ExitStatus> {
    let Ok(mut schemas) = schema_arg::load_builtins(console) else {
        return Ok(ExitStatus::Error);
    };
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    let width = schemas
        .iter()
        .map(|schema| schema.name.chars().count())
        .max()
        .unwrap_or(0);
    for schema in &schemas {
        writeln!(out, "{:<width$}  {}", schema.name, schema.description)?;
    }
    Ok(ExitStatus::Success)
}
