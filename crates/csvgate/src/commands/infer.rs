//! `csvgate infer`: a draft schema from a sample file, to review and edit.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use csvgate_engine::infer::{infer, InferOptions};

use crate::console::Console;
use crate::exit::ExitStatus;

/// Writes the draft schema (TOML) inferred from `path` (`-` for standard input), under
/// a comment saying what it was drawn from. `name` is the schema's name (default: the
/// file's name without its extension).
pub fn run(
    path: &Path,
    name: Option<&str>,
    out: &mut dyn Write,
    console: &Console,
) -> io::Result<ExitStatus> {
    let stdin = path.as_os_str() == "-";
    let shown = if stdin {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let reader: Box<dyn Read> = if stdin {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(file),
            Err(err) => {
                console.error(format_args!("cannot read {shown}: {err}"));
                return Ok(ExitStatus::Error);
            }
        }
    };
    let name = match name {
        Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
        Some(_) => {
            console.error("the schema's name (--name) is empty");
            return Ok(ExitStatus::Error);
        }
        None => path
            .file_stem()
            .filter(|_| !stdin)
            .map_or_else(|| "draft".to_owned(), |s| s.to_string_lossy().into_owned()),
    };
    let options = InferOptions {
        name,
        ..InferOptions::default()
    };
    let draft = match infer(reader, &options) {
        Ok(draft) => draft,
        Err(err) => {
            console.error(format_args!("cannot read {shown} as CSV: {err}"));
            return Ok(ExitStatus::Error);
        }
    };
    let rows = if draft.rows == 1 { "row" } else { "rows" };
    let first = if draft.truncated { "the first " } else { "" };
    writeln!(
        out,
        "# A DRAFT schema, inferred by `csvgate infer` from {first}{} {rows} of {shown}.",
        draft.rows
    )?;
    writeln!(
        out,
        "# Review it before use: it says only what held in that sample (types, filled"
    )?;
    writeln!(
        out,
        "# columns, few values, keys). Add descriptions, drop rules that held by chance."
    )?;
    if draft.ragged > 0 {
        writeln!(
            out,
            "# {} records with another field count than the header were not used.",
            draft.ragged
        )?;
    }
    out.write_all(draft.to_toml().as_bytes())?;
    if draft.columns.is_empty() {
        console.warning(format_args!(
            "{shown} has no header: the draft has no column"
        ));
    }
    Ok(ExitStatus::Success)
}
