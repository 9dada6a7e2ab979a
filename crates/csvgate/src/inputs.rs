//! Expanding `check`'s PATH arguments into the inputs to check, in a deterministic
//! order: the arguments in the order given, each folder's CSV files in name order.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::console::Console;

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input, given as `-`.
    Stdin,
    /// A zip archive, checked member by member (as a bundle, when it holds one).
    Zip {
        /// Where to open it.
        path: PathBuf,
        /// How findings and messages name it.
        name: Arc<str>,
    },
    /// A file, named as the user gave it (joined to its folder when found by walking).
    File {
        /// Where to open it.
        path: PathBuf,
        /// How findings and messages name it.
        name: Arc<str>,
    },
}

impl Source {
    /// The name the input goes by in output: the path as given, or `-`.
    pub fn name(&self) -> Arc<str> {
        match self {
            Source::Stdin => Arc::from("-"),
            Source::File { name, .. } | Source::Zip { name, .. } => Arc::clone(name),
        }
    }
}

/// The inputs found, and whether some argument could not be used.
#[derive(Debug, Default)]
pub struct Expanded {
    /// What to check, in order.
    pub sources: Vec<Source>,
    /// Some argument was unreadable or unsupported; it has been reported.
    pub failed: bool,
}

/// Expands the arguments, reporting each one that cannot be used and carrying on.
pub fn expand(paths: &[PathBuf], console: &Console) -> Expanded {
    let mut expanded = Expanded::default();
    let mut stdin_seen = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if stdin_seen {
                console.error("`-` (standard input) is given more than once");
                expanded.failed = true;
            } else {
                stdin_seen = true;
                expanded.sources.push(Source::Stdin);
            }
            continue;
        }
        let shown = path.to_string_lossy();
        match fs::metadata(path) {
            Err(err) => {
                console.error(format_args!("{shown}: {err}"));
                expanded.failed = true;
            }
            Ok(meta) if meta.is_dir() => {
                let before = expanded.sources.len();
                walk(path, &mut expanded, console);
                if expanded.sources.len() == before {
                    console.warning(format_args!(
                        "{shown}: no .csv or .zip files in this folder"
                    ));
                }
            }
            Ok(_) => expanded.sources.push(file(path.clone())),
        }
    }
    expanded
}

fn file(path: PathBuf) -> Source {
    let name = Arc::from(path.to_string_lossy());
    if has_extension(&path, "zip") {
        Source::Zip { path, name }
    } else {
        Source::File { path, name }
    }
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(extension))
}

/// Adds the `*.csv` and `*.zip` files under `dir`, depth first, each folder's entries in name
/// order. Hidden entries (names starting with `.`) are skipped, and so are links to
/// folders, which could loop.
fn walk(dir: &Path, expanded: &mut Expanded, console: &Console) {
    let entries = match read_sorted(dir) {
        Ok(entries) => entries,
        Err(err) => {
            console.error(format_args!("{}: {err}", dir.to_string_lossy()));
            expanded.failed = true;
            return;
        }
    };
    for entry in entries {
        let hidden = entry
            .file_name()
            .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."));
        if hidden {
            continue;
        }
        let file_type = match fs::symlink_metadata(&entry) {
            Ok(meta) => meta.file_type(),
            Err(err) => {
                console.error(format_args!("{}: {err}", entry.to_string_lossy()));
                expanded.failed = true;
                continue;
            }
        };
        if file_type.is_dir() {
            walk(&entry, expanded, console);
        } else if has_extension(&entry, "csv") || has_extension(&entry, "zip") {
            // A link to a file is checked; a link to a folder is not followed.
            if file_type.is_symlink() && entry.is_dir() {
                continue;
            }
            expanded.sources.push(file(entry));
        }
    }
}

fn read_sorted(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ColorChoice;

    fn repo_root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn a_folder_gives_its_csv_files_in_name_order() {
        let root = repo_root();
        let folder = root.join("fixtures/rules/ragged-row");
        let expanded = expand(
            std::slice::from_ref(&folder),
            &Console::new(ColorChoice::Never),
        );
        assert!(!expanded.failed);
        let names: Vec<_> = expanded
            .sources
            .iter()
            .map(|source| match source {
                Source::File { path, .. } => path
                    .strip_prefix(&folder)
                    .expect("under the folder")
                    .to_string_lossy()
                    .into_owned(),
                Source::Zip { name, .. } => name.to_string(),
                Source::Stdin => "-".to_owned(),
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.iter().all(|name| name.ends_with(".csv")), "{names:?}");
        assert!(!names.is_empty());
    }

    #[test]
    fn stdin_once_and_missing_paths_are_reported() {
        let console = Console::new(ColorChoice::Never);
        let expanded = expand(
            &[PathBuf::from("-"), PathBuf::from("/no/such/file.csv")],
            &console,
        );
        assert_eq!(expanded.sources, vec![Source::Stdin]);
        assert!(expanded.failed);

        let twice = expand(&[PathBuf::from("-"), PathBuf::from("-")], &console);
        assert_eq!(twice.sources, vec![Source::Stdin]);
        assert!(twice.failed);
    }
}
