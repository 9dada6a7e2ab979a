//! `csvgate template`: an empty CSV file with a schema's header row.

use std::io::{self, Write};

use crate::config::Config;
use crate::console::Console;
use crate::exit::ExitStatus;
use crate::schema_arg;

/// Writes the header row: every column's canonical name in schema order, separated by
/// the schema's delimiter, quoted where CSV needs it, ending in LF.
pub fn run(
    arg: &str,
    out: &mut dyn Write,
    config: Option<&Config>,
    console: &Console,
) -> io::Result<ExitStatus> {
    let Ok(schema) = schema_arg::load_known(arg, config, console) else {
        return Ok(ExitStatus::Error);
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(schema.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(schema.columns.iter().map(|column| column.name.as_str()))?;
    writer.flush()?;
    Ok(ExitStatus::Success)
}
