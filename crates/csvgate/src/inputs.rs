//! Expanding `check`'s PATH arguments into the inputs to check, in a deterministic
//! order: the arguments in the order given, each folder's CSV files in name order.
//! Folders are walked with ripgrep's walker (the `ignore` crate), honouring
//! `.gitignore` and `.ignore` files; csvgate.toml's `exclude` drops more.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;

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
#[cfg(test)]
pub fn expand(paths: &[PathBuf], console: &Console) -> Expanded {
    let nothing: Excluded = Arc::new(|_: &Path| false);
    expand_excluding(paths, console, &nothing)
}

/// Which paths csvgate.toml excludes.
pub type Excluded = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// Expands the arguments like [`expand`], leaving out what `excluded` says (files and
/// folders found by walking silently, files given by name with a note).
pub fn expand_excluding(paths: &[PathBuf], console: &Console, excluded: &Excluded) -> Expanded {
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
                walk(path, &mut expanded, console, excluded);
                if expanded.sources.len() == before {
                    console.warning(format_args!(
                        "{shown}: no .csv or .zip files in this folder"
                    ));
                }
            }
            Ok(_) if excluded(path) => {
                console.note(format_args!(
                    "{shown}: skipped (excluded by the config file)"
                ));
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
/// order. Hidden entries (names starting with `.`), what `.gitignore` and `.ignore`
/// files leave out (in a git repository or not; not the user's global excludes, so
/// that every machine checks the same files) and what `excluded` says are skipped,
/// and so are links to folders, which could loop.
fn walk(dir: &Path, expanded: &mut Expanded, console: &Console, excluded: &Excluded) {
    let excluded = Arc::clone(excluded);
    let walker = WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| entry.depth() == 0 || !excluded(entry.path()))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                console.error(format_args!("{}: {err}", dir.to_string_lossy()));
                expanded.failed = true;
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        let path = entry.path();
        if has_extension(path, "csv") || has_extension(path, "zip") {
            // A link to a file is checked; a link to a folder is not followed.
            if file_type.is_symlink() && path.is_dir() {
                continue;
            }
            expanded.sources.push(file(entry.into_path()));
        }
    }
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
