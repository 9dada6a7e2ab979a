//! Messages to the person running csvgate, on standard error: errors, warnings and
//! notes as `label: message` lines, and schema mistakes drawn by miette.
//!
//! Findings are not messages: they go to standard output through a renderer.

use std::fmt::{self, Display};
use std::io::{self, IsTerminal, Write};

use miette::{Diagnostic, MietteHandler, MietteHandlerOpts, ReportHandler};

use crate::cli::ColorChoice;
use crate::exit::Reported;

/// Standard error, with the colour decision made once.
pub struct Console {
    color: bool,
    terminal: bool,
}

#[derive(Clone, Copy)]
enum Label {
    Error,
    Warning,
    Note,
    Help,
}

impl Label {
    fn name(self) -> &'static str {
        match self {
            Label::Error => "error",
            Label::Warning => "warning",
            Label::Note => "note",
            Label::Help => "help",
        }
    }

    /// The ANSI style: bold, in the colour rustc and clap use for the same label.
    fn style(self) -> &'static str {
        match self {
            Label::Error => "\x1b[1;31m",
            Label::Warning => "\x1b[1;33m",
            Label::Note => "\x1b[1;32m",
            Label::Help => "\x1b[1;36m",
        }
    }
}

impl Console {
    /// A console that colours as `--color` says, judged on standard error.
    pub fn new(choice: ColorChoice) -> Console {
        let terminal = io::stderr().is_terminal();
        Console {
            color: choice.enabled(terminal),
            terminal,
        }
    }

    /// `error: message`. Returns [`Reported`], so that a caller can end with
    /// `return Err(console.error(...))`.
    pub fn error(&self, message: impl Display) -> Reported {
        self.emit(Label::Error, &message, &[]);
        Reported
    }

    /// `error: message`, then one indented `help:` line per hint.
    pub fn error_with_help(&self, message: impl Display, help: &[String]) -> Reported {
        self.emit(Label::Error, &message, help);
        Reported
    }

    /// `warning: message`: worth saying, but the run goes on and its status is unchanged.
    pub fn warning(&self, message: impl Display) {
        self.emit(Label::Warning, &message, &[]);
    }

    /// `note: message`.
    pub fn note(&self, message: impl Display) {
        self.emit(Label::Note, &message, &[]);
    }

    /// A diagnostic with source code (a schema file's mistake), drawn by miette.
    pub fn diagnostic(&self, diagnostic: &dyn Diagnostic) -> Reported {
        let mut options = MietteHandlerOpts::new()
            .force_graphical(true)
            .color(self.color)
            .unicode(true)
            .terminal_links(false);
        // miette measures a terminal itself; anything else (a pipe, a CI log, a test)
        // gets a fixed width so the text is the same everywhere.
        if !self.terminal {
            options = options.width(80);
        }
        let handler = options.build();
        let text = Drawn {
            handler: &handler,
            diagnostic,
        }
        .to_string();
        let mut stderr = io::stderr().lock();
        // Nothing useful can be done when standard error itself fails.
        let _ = stderr.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = stderr.write_all(b"\n");
        }
        Reported
    }

    fn emit(&self, label: Label, message: &dyn Display, help: &[String]) {
        let mut text = format!("{}: {message}\n", self.paint(label));
        for hint in help {
            text.push_str(&format!("  {}: {hint}\n", self.paint(Label::Help)));
        }
        // One write per message keeps lines whole; failure to write to standard error
        // has nowhere to be reported.
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }

    fn paint(&self, label: Label) -> String {
        if self.color {
            format!("{}{}\x1b[0m", label.style(), label.name())
        } else {
            label.name().to_owned()
        }
    }
}

/// A diagnostic as drawn by a miette handler, usable with `to_string`.
struct Drawn<'a> {
    handler: &'a MietteHandler,
    diagnostic: &'a dyn Diagnostic,
}

impl Display for Drawn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.handler.debug(self.diagnostic, f)
    }
}
