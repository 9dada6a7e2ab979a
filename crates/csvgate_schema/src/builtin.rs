//! The built-in schemas: the repository's `schemas/*.toml`, embedded at build time.
//!
//! They are parsed only when asked for, so that a run that names one schema does not
//! pay for the others.

use crate::{Bundle, Schema, SchemaError};

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

/// Each built-in bundle file (`schemas/bundles/*.toml`): its file name and its text.
pub static BUNDLE_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_bundles.rs"));

/// The names of the built-in bundles.
pub fn bundle_names() -> impl Iterator<Item = &'static str> {
    BUNDLE_FILES
        .iter()
        .map(|(file, _)| file.strip_suffix(".toml").unwrap_or(file))
}

/// The source text of the built-in bundle with this name.
pub fn bundle_source(name: &str) -> Option<&'static str> {
    BUNDLE_FILES
        .iter()
        .find(|(file, _)| file.strip_suffix(".toml") == Some(name))
        .map(|(_, text)| *text)
}

/// Parses the built-in bundle with this name, its members' schemas from the built-ins.
///
/// # Errors
///
/// Only if a built-in file itself is broken, which the test suite rules out.
pub fn load_bundle(name: &str) -> Option<Result<Bundle, SchemaError>> {
    let text = bundle_source(name)?;
    Some(Bundle::parse(
        &format!("schemas/bundles/{name}.toml"),
        text,
        |schema| load(schema).and_then(Result::ok),
    ))
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
        for name in super::bundle_names() {
            let bundle = match super::load_bundle(name).expect("listed") {
                Ok(bundle) => bundle,
                Err(err) => panic!("{err}"),
            };
            assert_eq!(bundle.name, name);
            assert!(!bundle.description.is_empty(), "{name} has no description");
        }
    }
}
