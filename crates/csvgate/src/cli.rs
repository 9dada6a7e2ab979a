//! The command line, as clap definitions. Only parsing lives here; each subcommand's
//! behaviour is in `commands/`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use csvgate_diagnostics::Severity;
use csvgate_render::Format;

use crate::selection::Selector;

/// Checks CSV files against schemas, offline.
#[derive(Debug, Parser)]
#[command(name = "csvgate", version, about, propagate_version = true)]
pub struct Cli {
    /// When to colour output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Read this config file instead of looking for `csvgate.toml` from the working
    /// folder upward.
    #[arg(long, value_name = "PATH", global = true, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any `csvgate.toml`.
    #[arg(long, global = true)]
    pub no_config: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check CSV files against a schema.
    Check(CheckArgs),
    /// List the schemas csvgate knows.
    Schemas,
    /// Work with one schema.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Explain a rule: what it checks, why, an example, how to fix. Without a rule,
    /// list every rule.
    Explain {
        /// The rule's name, such as `ragged-row`.
        rule: Option<String>,
    },
    /// Print an empty CSV file: the header row of a schema.
    Template {
        /// A built-in schema's name, or the path of a schema file.
        #[arg(value_name = "NAME|PATH")]
        schema: String,
    },
    /// Print a draft schema (TOML) inferred from a sample CSV file, to review and edit:
    /// column types, filled columns, few-valued and unique columns, keys.
    Infer {
        /// The sample: a CSV file, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The schema's name (default: the file's name without its extension).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Print a shell completion script for csvgate.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print csvgate's manual page (roff), for `man -l -` or a man folder.
    Man,
}

/// `csvgate schema ...`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Print a schema's source.
    Show {
        /// A built-in schema's name, or the path of a schema file.
        #[arg(value_name = "NAME|PATH")]
        schema: String,
    },
    /// Check schema or bundle files without any data: exit 0 if all are valid, 2 if
    /// one is not (its mistake shown at its line).
    Check {
        /// Schema files (`*.toml`); a file with `[[member]]` entries is a bundle.
        #[arg(required = true, value_name = "PATH")]
        files: Vec<std::path::PathBuf>,
    },
}

/// `csvgate check`'s arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, zip archives, folders (searched recursively for `*.csv` and `*.zip`), or
    /// `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check every input against this schema: a built-in schema's name, the path of a
    /// schema file, or `none` for only the structural and header checks. Without it,
    /// each input's schema comes from csvgate.toml's `[[schemas]]`, else from its file
    /// name, else from its header.
    #[arg(long, value_name = "NAME|PATH")]
    pub schema: Option<String>,

    /// How to print findings.
    #[arg(long, value_name = "FORMAT", default_value = "human", value_parser = format_parser())]
    pub format: Format,

    /// Which findings make the exit status 1 (default: csvgate.toml's `fail-on`, else
    /// error).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Print only the findings: no notes, no summary line.
    #[arg(long, short)]
    pub quiet: bool,

    /// How many threads to use (default: one per CPU). Inputs are checked several at
    /// once, and a large input's cross-row checks get a thread of their own; the
    /// output is the same at any count.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// In `human` and `concise` output, show at most N findings of one rule on one
    /// column per input, then say how many more there were and on which lines (0: show
    /// all). Machine formats show all.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_per_rule: usize,

    /// Keep only the findings of these rules: rule names or groups (structure, header,
    /// values, rows), comma-separated, repeatable (default: every rule). A rule name wins
    /// over its group; between equals, `--ignore` wins.
    ///
    /// A deselected rule's findings do not exist for the run: they are not shown, not
    /// counted and do not change the exit status. Precedence: each rule is decided by
    /// the most specific entry that names it, a rule name winning over its group
    /// (`--select rows --ignore missing-one-of` keeps the other row rules,
    /// `--select invalid-email --ignore values` keeps `invalid-email`); between
    /// entries equally specific, `--ignore` wins.
    #[arg(
        long,
        value_name = "RULES",
        value_delimiter = ',',
        value_parser = Selector::parse
    )]
    pub select: Vec<Selector>,

    /// Drop the findings of these rules: rule names or groups (structure, header,
    /// values, rows), comma-separated, repeatable. See `--select` for the precedence.
    ///
    /// A rule named here is dropped even if its group is selected; a group named here
    /// keeps the rules that `--select` names one by one.
    #[arg(
        long,
        value_name = "RULES",
        value_delimiter = ',',
        value_parser = Selector::parse
    )]
    pub ignore: Vec<Selector>,

    /// Instead of the findings, print how many there were of each rule and severity
    /// (count, rule, severity, summary), most frequent first; the exit status is
    /// unchanged. Only with `--format human` or `concise` (a usage error otherwise).
    #[arg(long)]
    pub statistics: bool,

    /// Rewrite what is safely fixable (a byte order mark, blank rows, whitespace around
    /// values, header names spelled another way) in each input file, atomically, then
    /// check it. Everything else stays byte for byte. Never zip members or standard
    /// input.
    #[arg(long)]
    pub fix: bool,

    /// Show what `--fix` would change, as a diff, without writing anything or checking;
    /// exit status 1 if there is something to change.
    #[arg(long)]
    pub diff: bool,

    /// Report and fail only on findings that this baseline file (written by
    /// `--write-baseline`) does not hold.
    ///
    /// Findings are matched by rule, file, zip member, field and a fingerprint of the
    /// message with line numbers taken out, so rows added above a finding do not make it
    /// new; identical findings are counted. A missing or malformed file is exit status 2.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record this run's findings (after `--select` and `--ignore`, every severity) in
    /// FILE, a sorted JSON baseline for `--baseline`, and exit 0 whatever was found.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// `--format`'s parser: the names csvgate_render implements, listed in `--help`.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.iter().map(|format| format.name()))
        .try_map(|name| name.parse::<Format>())
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
            }
        }
    }

    /// Whether to colour standard output.
    pub fn for_stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
}

impl FailOn {
    /// The lowest severity that fails the run.
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn format_accepts_every_renderer_name() {
        for format in Format::ALL {
            let cli = Cli::try_parse_from(["csvgate", "check", "--format", format.name(), "a.csv"])
                .expect("parses");
            match cli.command {
                Command::Check(args) => assert_eq!(args.format, *format),
                other => panic!("{other:?}"),
            }
        }
    }
}
