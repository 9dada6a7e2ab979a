//! csvgate's schema language: TOML files that declare a CSV format's columns, their
//! types, and the rules across fields, rows and files.
//!
//! [`Schema::parse`] reads a schema file and checks it: a mistake in the file gives a
//! [`SchemaError`] that points at its line and column (a miette diagnostic). The
//! built-in schemas, compiled into the binary from the repository's `schemas/` folder,
//! are in [`builtin`].
//!
//! ```
//! use csvgate_schema::{Schema, ValueType};
//!
//! let schema = Schema::parse("mine.toml", r#"
//! name = "mine"
//! description = "A tiny format"
//!
//! [[column]]
//! name = "ID"
//! required = true
//! value-required = true
//! type = "integer"
//! unique = true
//! "#).unwrap();
//! assert_eq!(schema.columns[0].value_type, ValueType::Integer);
//! ```
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod builtin;
mod bundle;
mod error;
mod model;
mod names;
mod parse;
mod raw;

pub use bundle::{Bundle, Member, Reference};
pub use error::{line_column, MistakeSource, SchemaError, SchemaErrorKind};
pub use model::{
    same_without_case, ColumnId, ColumnSpec, CrossRowRule, CrossRowRuleKind, HeaderRule,
    HeaderRuleKind, Matcher, RowRule, RowRuleKind, RuleText, Schema, SeveritySetting, ValueType,
};
pub use names::{normalize_header, suggest};
