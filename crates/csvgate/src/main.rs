//! `csvgate`: checks CSV files against schemas, offline.
//!
//! The command line and the JSON output are csvgate's outside contract
//! (CONTRACT.md). This binary parses arguments, finds inputs and schemas, runs the
//! engine and hands findings to a renderer; the exit status is 0 (nothing at or above
//! the fail level), 1 (something is) or 2 (the run could not be done), 2 winning.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

mod baseline;
mod bundles;
mod cli;
mod commands;
mod config;
mod console;
mod exit;
mod fixing;
mod inputs;
mod progress;
mod schema_arg;
mod selection;

use cli::{Cli, Command, SchemaCommand};
use console::Console;
use exit::ExitStatus;

fn main() -> ExitCode {
    // Usage mistakes end here with clap's message and status 2.
    let cli = Cli::parse();
    let console = Console::new(cli.color);
    let status = match &cli.command {
        Command::Check(args) => commands::check::run(args, &cli, &console),
        Command::Schemas => with_config(&cli, &console, |config| {
            to_stdout(&console, |out| {
                commands::schemas::run(out, config, &console)
            })
        }),
        Command::Schema(SchemaCommand::Show { schema }) => with_config(&cli, &console, |config| {
            to_stdout(&console, |out| {
                commands::schema::show(schema, out, config, &console)
            })
        }),
        Command::Schema(SchemaCommand::Check { files }) => with_config(&cli, &console, |config| {
            to_stdout(&console, |out| {
                commands::schema::check(files, out, config, &console)
            })
        }),
        Command::Explain { rule } => to_stdout(&console, |out| {
            commands::explain::run(rule.as_deref(), out, &console)
        }),
        Command::Template { schema } => with_config(&cli, &console, |config| {
            to_stdout(&console, |out| {
                commands::template::run(schema, out, config, &console)
            })
        }),
        Command::Infer { file, name } => to_stdout(&console, |out| {
            commands::infer::run(file, name.as_deref(), out, &console)
        }),
        Command::Completions { shell } => {
            to_stdout(&console, |out| commands::completions::run(*shell, out))
        }
        Command::Man => to_stdout(&console, commands::man::run),
    };
    status.into()
}

/// Runs a command with the config (`--config`, else `csvgate.toml` from the working
/// folder upward), whose `schema-dirs` add schemas known by name; a bad config is
/// status 2.
fn with_config(
    cli: &Cli,
    console: &Console,
    command: impl FnOnce(Option<&config::Config>) -> ExitStatus,
) -> ExitStatus {
    match config::discover(cli.config.as_deref(), cli.no_config, console) {
        Ok(config) => command(config.as_ref()),
        Err(_) => ExitStatus::Error,
    }
}

/// Runs a command that writes to a buffered standard output, turning a failure to
/// write into status 2 (a closed pipe excepted: the reader had what it wanted).
fn to_stdout(
    console: &Console,
    command: impl FnOnce(&mut dyn Write) -> io::Result<ExitStatus>,
) -> ExitStatus {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command(&mut out).and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => status,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(err) => {
            console.error(format_args!("cannot write to standard output: {err}"));
            ExitStatus::Error
        }
    }
}
