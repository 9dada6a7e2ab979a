//! `csvgate schema show`: a schema's source.

use std::io::{self, Write};

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
