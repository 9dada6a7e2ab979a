//! `csvgate completions SHELL`: a shell completion script, generated from the clap
//! definitions so it never falls behind the command line.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit::ExitStatus;

/// Writes the completion script for `shell`.
pub fn run(shell: Shell, out: &mut dyn Write) -> io::Result<ExitStatus> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    // clap_complete writes through `&mut dyn Write` and cannot report an error; write
    // to memory first so a failure to write standard output is still reported.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    out.write_all(&script)?;
    Ok(ExitStatus::Success)
}
