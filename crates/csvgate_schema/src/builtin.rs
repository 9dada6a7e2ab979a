//! The built-in schemas: the repository's `schemas/*.toml`, embedded at build time.
//!
//! They are parsed only when asked for, so that a run that names one schema does not
//! pay for the others.

use crate::{Schema, SchemaError};

/// Each built-in schema file: its file name and its text.
pub static FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The names of the built-in schemas (their file names without `.toml`).
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES
        .iter()
        .map(|(file, _)| file.strip_suffix(".toml").unwrap_or(file))
}

/// The source text of the built-in schema with this name.
pub fn source(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(file, _)| file.strip_suffix(".toml") == Some(name))
        .map(|(_, text)| *text)
}

/// Parses the built-in schema with this name.
///
/// # Errors
///
/// Only if the built-in file itself is broken, which the test suite rules out.
pub fn load(name: &str) -> Option<Result<Schema, SchemaError>> {
    let text = source(name)?;
    Some(Schema::parse(&format!("schemas/{name}.toml"), text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_parses_and_is_named_after_its_file() {
        assert!(!super::FILES.is_empty());
        for name in super::names() {
            let schema = match super::load(name).expect("listed") {
                Ok(schema) => schema,
                Err(err) => panic!("{err}"),
            };
            assert_eq!(schema.name, name);
            assert!(!schema.description.is_empty(), "{name} has no description");
        }
    }
}
