//! Findings, severities and the rule catalogue shared by csvgate's engine and renderers.
//!
//! The engine produces [`Finding`]s; renderers only format them. Neither side needs the
//! other, so both depend on this crate alone.
//!
//! ```
//! use csvgate_diagnostics::{Finding, Rule, Severity};
//!
//! let finding = Finding::new(Rule::RaggedRow, "record has 3 fields, the header has 4");
//! assert_eq!(finding.rule.name(), "ragged-row");
//! assert_eq!(finding.severity, Severity::Error);
//! ```
#![deny(missing_docs)]

mod finding;
mod rule;

pub use finding::{Finding, Location, Related, Snippet};
pub use rule::{Rule, RuleGroup, Severity};
