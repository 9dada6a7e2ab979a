//! Turning a `NAME|PATH` argument into a [`Schema`].

use std::fs;
use std::path::Path;

use csvgate_schema::{builtin, Bundle, Schema};

use crate::config::Config;
use crate::console::Console;
use crate::exit::Reported;

/// Whether a `NAME|PATH` argument is a path: it ends in `.toml`, names an existing
/// file, or holds a path separator (no built-in name does).
pub fn is_path(arg: &str) -> bool {
    arg.ends_with(".toml") || arg.contains(['/', '\\']) || Path::new(arg).is_file()
}

/// Loads the schema a `NAME|PATH` argument names: a schema file read and checked, or a
/// built-in schema. Every mistake is reported on `console`.
pub fn load(arg: &str, console: &Console) -> Result<Schema, Reported> {
    if is_path(arg) {
        let text = fs::read_to_string(arg)
            .map_err(|err| console.error(format_args!("cannot read schema file {arg}: {err}")))?;
        return Schema::parse(arg, &text).map_err(|err| console.diagnostic(&err));
    }
    match builtin::load(arg) {
        Some(Ok(schema)) => Ok(schema),
        Some(Err(err)) => Err(console.diagnostic(&err)),
        None => Err(unknown(arg, None, console)),
    }
}

/// Loads the schema a `NAME|PATH` argument names, a schema of the config's
/// `schema-dirs` first (it wins over a built-in of the same name).
pub fn load_known(
    arg: &str,
    config: Option<&Config>,
    console: &Console,
) -> Result<Schema, Reported> {
    if !is_path(arg) {
        if let Some(schema) = config.and_then(|config| config.schema(arg)) {
            return Ok(schema.clone());
        }
        if builtin::source(arg).is_none() {
            return Err(unknown(arg, config, console));
        }
    }
    load(arg, console)
}

/// The schema a bundle's member names: the config's `schema-dirs` first, then the
/// built-ins; `None` if there is none (the bundle's own error says so).
pub fn load_known_quiet(name: &str, config: Option<&Config>) -> Option<Schema> {
    config
        .and_then(|config| config.schema(name).cloned())
        .or_else(|| builtin::load(name).and_then(Result::ok))
}

/// Every schema known by name, in name order: the built-ins and the config's
/// `schema-dirs` (which replace a built-in of the same name).
pub fn load_all(config: Option<&Config>, console: &Console) -> Result<Vec<Schema>, Reported> {
    let mut schemas = load_builtins(console)?;
    if let Some(config) = config {
        schemas.retain(|schema| config.schema(&schema.name).is_none());
        schemas.extend(config.schemas.iter().cloned());
        schemas.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(schemas)
}

/// Every built-in bundle, parsed, in name order.
pub fn load_bundles(console: &Console) -> Result<Vec<Bundle>, Reported> {
    let mut names: Vec<&str> = builtin::bundle_names().collect();
    names.sort_unstable();
    let mut bundles = Vec::with_capacity(names.len());
    for name in names {
        match builtin::load_bundle(name) {
            Some(Ok(bundle)) => bundles.push(bundle),
            Some(Err(err)) => return Err(console.diagnostic(&err)),
            None => {}
        }
    }
    Ok(bundles)
}

/// Every built-in schema, parsed, in name order.
pub fn load_builtins(console: &Console) -> Result<Vec<Schema>, Reported> {
    let mut names: Vec<&str> = builtin::names().collect();
    names.sort_unstable();
    let mut schemas = Vec::with_capacity(names.len());
    let mut failed = false;
    for name in names {
        match builtin::load(name) {
            Some(Ok(schema)) => schemas.push(schema),
            Some(Err(err)) => {
                console.diagnostic(&err);
                failed = true;
            }
            None => {}
        }
    }
    if failed {
        Err(Reported)
    } else {
        Ok(schemas)
    }
}

fn unknown(arg: &str, config: Option<&Config>, console: &Console) -> Reported {
    let mut names: Vec<&str> = builtin::names().collect();
    if let Some(config) = config {
        names.extend(config.schemas.iter().map(|schema| schema.name.as_str()));
    }
    names.sort_unstable();
    names.dedup();
    let mut help = Vec::new();
    if let Some(near) = csvgate_schema::suggest(arg, names.iter().copied()) {
        help.push(format!("did you mean `{near}`?"));
    }
    let kind = if config.is_some_and(|config| !config.schemas.is_empty()) {
        "known"
    } else {
        "built-in"
    };
    help.push(format!(
        "the {kind} schemas are {} (`csvgate schemas` lists them); give a schema file by its path",
        names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    console.error_with_help(format_args!("unknown schema `{arg}`"), &help)
}

#[cfg(test)]
mod tests {
    use super::is_path;

    #[test]
    fn names_and_paths_are_told_apart() {
        assert!(!is_path("entitlements-upload"));
        assert!(is_path("mine.toml"));
        assert!(is_path("schemas/entitlements-upload"));
        assert!(is_path(r"schemas\mine"));
    }
}
