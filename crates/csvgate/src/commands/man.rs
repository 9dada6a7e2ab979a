//! `csvgate man`: the manual page, in roff, generated from the clap definitions.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::ExitStatus;

/// Writes the manual page of `csvgate`: name, synopsis, description, global options,
/// the subcommands with their summaries, and the version.
///
/// The page starts with its `.TH` title line, as man pages conventionally do:
/// clap_mangen puts its definition of the apostrophe string (`.ie`/`.el` lines, used
/// only in the text) before the title, so those lines are moved right after it.
pub fn run(out: &mut dyn Write) -> io::Result<ExitStatus> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let lines: Vec<&[u8]> = page.split_inclusive(|&byte| byte == b'\n').collect();
    match lines.iter().position(|line| line.starts_with(b".TH ")) {
        Some(title) => {
            out.write_all(lines[title])?;
            for line in lines[..title].iter().chain(&lines[title + 1..]) {
                out.write_all(line)?;
            }
        }
        None => out.write_all(&page)?,
    }
    Ok(ExitStatus::Success)
}
