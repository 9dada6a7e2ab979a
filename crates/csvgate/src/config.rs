//! `csvgate.toml`: a project's settings for `check`, found from the working folder
//! upward (or given with `--config PATH`; `--no-config` ignores any).
//!
//! ```toml
//! schema-dirs = ["schemas"]          # more schema files (*.toml), known by name
//! exclude = ["archive/**"]           # never checked
//! fail-on = "warning"                # the default of --fail-on
//!
//! [rules]                            # severities for every file ("off" drops the rule)
//! duplicate-row = "off"
//!
//! [[schemas]]                        # the first entry whose paths match wins
//! paths = ["exports/**/users*.csv"]
//! schema = "entitlements-upload"     # a schema's name, a schema file's path, or "none"
//!
//! [[overrides]]                      # severities for some files (later entries win)
//! paths = ["legacy/**"]
//! rules = { invalid-email = "warning" }
//! ```
//!
//! Globs are matched against an input's path relative to the config file's folder
//! (`*` stays inside one folder, `**` crosses them); a glob without a `/` is matched
//! against the file name alone, in any folder. Every mistake is a [`ConfigError`] that
//! points into the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use csvgate_diagnostics::{Finding, Rule, Severity};
use csvgate_engine::HeldBack;
use csvgate_schema::MistakeSource;
use csvgate_schema::{builtin, suggest, Schema, SeveritySetting};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, LabeledSpan, SourceCode};
use serde::Deserialize;
use toml::Spanned;

use crate::cli::FailOn;
use crate::console::Console;
use crate::exit::Reported;

/// The file name looked for from the working folder upward.
pub const FILE_NAME: &str = "csvgate.toml";

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    schema_dirs: Vec<S<String>>,
    #[serde(default)]
    exclude: Vec<S<String>>,
    #[serde(default)]
    fail_on: Option<S<String>>,
    #[serde(default)]
    rules: BTreeMap<S<String>, S<String>>,
    #[serde(default)]
    schemas: Vec<S<RawMapping>>,
    #[serde(default)]
    overrides: Vec<S<RawOverride>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMapping {
    paths: Vec<S<String>>,
    schema: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<S<String>>,
    rules: BTreeMap<S<String>, S<String>>,
}

/// A mistake in a config file, pointing at the place in the file.
#[derive(Debug)]
pub struct ConfigError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    message: String,
    help: Option<String>,
    source: MistakeSource,
}

impl ConfigError {
    fn new(origin: &str, text: &str, span: Option<Range<usize>>, message: String) -> ConfigError {
        ConfigError(Box::new(Inner {
            message,
            help: None,
            source: MistakeSource::new(origin, text, span),
        }))
    }

    fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        self.0.help = Some(help.into());
        self
    }

    /// The 1-based line and column the mistake starts at, if known.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.0.source.line_column()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid config {}", self.0.source.name())?;
        if let Some((line, column)) = self.line_column() {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.0.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("csvgate::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.0.source.label("here")?;
        Some(Box::new(std::iter::once(label)))
    }
}

/// Why a config could not be loaded: its own mistake, or one in a schema file it names.
#[derive(Debug)]
pub enum LoadError {
    /// A mistake in the config file.
    Config(ConfigError),
    /// A mistake in a schema file of `schema-dirs` or of a `[[schemas]]` entry.
    Schema(csvgate_schema::SchemaError),
}

impl From<ConfigError> for LoadError {
    fn from(err: ConfigError) -> LoadError {
        LoadError::Config(err)
    }
}

/// Path globs, matched against paths relative to the config file's folder.
#[derive(Debug)]
struct Globs {
    /// Globs holding a `/`: matched against the whole relative path.
    paths: GlobSet,
    /// Globs without one: matched against the file name.
    names: GlobSet,
    /// The globs as written, by the index of each set.
    path_patterns: Vec<String>,
    name_patterns: Vec<String>,
}

impl Globs {
    /// The first glob (as written) that matches `relative` (`/`-separated), if any.
    fn matching(&self, relative: &str) -> Option<&str> {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let by_path = self.paths.matches(relative).into_iter().min();
        let by_name = self.names.matches(name).into_iter().min();
        by_path
            .map(|i| self.path_patterns[i].as_str())
            .or_else(|| by_name.map(|i| self.name_patterns[i].as_str()))
    }
}

/// What a `[[schemas]]` entry maps its paths to.
#[derive(Debug)]
pub enum Target {
    /// Check against this schema.
    Schema(Box<Schema>),
    /// `schema = "none"`: only the structural and header checks.
    Nothing,
}

#[derive(Debug)]
struct Mapping {
    globs: Globs,
    target: Target,
}

#[derive(Debug)]
struct Override {
    globs: Globs,
    rules: HashMap<Rule, SeveritySetting>,
}

/// A loaded and checked `csvgate.toml`.
#[derive(Debug)]
pub struct Config {
    /// How messages name the file.
    pub origin: String,
    /// The folder globs and relative paths are taken from, absolute.
    dir: PathBuf,
    /// The schemas of `schema-dirs`, in name order.
    pub schemas: Vec<Schema>,
    mappings: Vec<Mapping>,
    exclude: Option<Globs>,
    rules: HashMap<Rule, SeveritySetting>,
    overrides: Vec<Override>,
    /// `fail-on`.
    pub fail_on: Option<FailOn>,
}

/// Finds and loads the config: `explicit` if given, else `csvgate.toml` from the
/// working folder upward; none with `--no-config` or when there is none. Every
/// mistake is reported on `console`.
pub fn discover(
    explicit: Option<&Path>,
    disabled: bool,
    console: &Console,
) -> Result<Option<Config>, Reported> {
    if disabled {
        return Ok(None);
    }
    let cwd = std::env::current_dir()
        .map_err(|err| console.error(format_args!("cannot read the working folder: {err}")))?;
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match find_upward(&cwd) {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    let text = fs::read_to_string(&path).map_err(|err| {
        console.error(format_args!(
            "cannot read config file {}: {err}",
            path.display()
        ))
    })?;
    let absolute = normalize(&cwd.join(&path));
    let dir = absolute
        .parent()
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    match Config::parse(&path.to_string_lossy(), &text, &dir) {
        Ok(config) => Ok(Some(config)),
        Err(LoadError::Config(err)) => Err(console.diagnostic(&err)),
        Err(LoadError::Schema(err)) => Err(console.diagnostic(&err)),
    }
}

/// The nearest `csvgate.toml` in `start` or a folder above it, as a path relative to
/// `start` (`csvgate.toml`, `../csvgate.toml`, ...), so messages name it the same on
/// every machine.
fn find_upward(start: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for dir in start.ancestors() {
        if dir.join(FILE_NAME).is_file() {
            return Some(relative.join(FILE_NAME));
        }
        relative.push("..");
    }
    None
}

/// `path` with `.` taken out and each `..` taken back, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

struct Parser<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.origin, self.text, Some(span), message.into())
    }

    fn globs(
        &self,
        patterns: &[S<String>],
        what: &str,
        span: Range<usize>,
    ) -> Result<Globs, ConfigError> {
        if patterns.is_empty() {
            return Err(self.error(span, format!("{what} has no paths")));
        }
        let mut paths = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        let (mut path_patterns, mut name_patterns) = (Vec::new(), Vec::new());
        for pattern in patterns {
            let written = pattern.get_ref();
            let trimmed = written.strip_prefix("./").unwrap_or(written);
            let glob = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|err| {
                    self.error(pattern.span(), format!("invalid glob `{written}`: {}", err.kind()))
                        .with_help("`*` matches within a folder, `**` across folders, `?` one character, `{a,b}` either")
                })?;
            if trimmed.contains('/') {
                paths.add(glob);
                path_patterns.push(written.clone());
            } else {
                names.add(glob);
                name_patterns.push(written.clone());
            }
        }
        let build = |builder: GlobSetBuilder| {
            builder
                .build()
                .map_err(|err| self.error(span.clone(), format!("invalid globs: {err}")))
        };
        Ok(Globs {
            paths: build(paths)?,
            names: build(names)?,
            path_patterns,
            name_patterns,
        })
    }

    fn rules(
        &self,
        raw: &BTreeMap<S<String>, S<String>>,
    ) -> Result<HashMap<Rule, SeveritySetting>, ConfigError> {
        let mut rules = HashMap::new();
        for (name, setting) in raw {
            let Some(rule) = Rule::from_name(name.get_ref()) else {
                let help = suggest(name.get_ref(), Rule::ALL.iter().map(|r| r.name())).map_or_else(
                    || "`csvgate explain` lists the rules".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                return Err(self
                    .error(name.span(), format!("unknown rule `{}`", name.get_ref()))
                    .with_help(help));
            };
            let severity = SeveritySetting::parse(setting.get_ref()).ok_or_else(|| {
                self.error(
                    setting.span(),
                    format!("unknown severity `{}`", setting.get_ref()),
                )
                .with_help("use \"error\", \"warning\", \"info\" or \"off\"")
            })?;
            rules.insert(rule, severity);
        }
        Ok(rules)
    }
}

impl Config {
    /// Parses and checks a config file's `text`; `origin` names it in messages and
    /// `dir` (absolute) is the folder its relative paths and globs start from.
    ///
    /// # Errors
    ///
    /// The first mistake, pointing into the file (or into a schema file it names).
    pub fn parse(origin: &str, text: &str, dir: &Path) -> Result<Config, LoadError> {
        let parser = Parser { origin, text };
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            ConfigError::new(origin, text, err.span(), err.message().trim().to_owned())
        })?;

        let mut schemas: Vec<Schema> = Vec::new();
        for folder in &raw.schema_dirs {
            let path = dir.join(folder.get_ref());
            let entries = fs::read_dir(&path).map_err(|err| {
                parser.error(
                    folder.span(),
                    format!("cannot read schema folder {}: {err}", folder.get_ref()),
                )
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|file| file.extension().is_some_and(|ext| ext == "toml") && file.is_file())
                .collect();
            files.sort();
            for file in files {
                let shown = Path::new(folder.get_ref())
                    .join(file.file_name().unwrap_or_default())
                    .to_string_lossy()
                    .into_owned();
                let schema_text = fs::read_to_string(&file).map_err(|err| {
                    parser.error(
                        folder.span(),
                        format!("cannot read schema file {shown}: {err}"),
                    )
                })?;
                let schema = Schema::parse(&shown, &schema_text).map_err(LoadError::Schema)?;
                if schemas.iter().any(|known| known.name == schema.name) {
                    return Err(parser
                        .error(
                            folder.span(),
                            format!(
                                "two schema files of schema-dirs are named `{}`",
                                schema.name
                            ),
                        )
                        .into());
                }
                schemas.push(schema);
            }
        }
        schemas.sort_by(|a, b| a.name.cmp(&b.name));

        let mut mappings = Vec::with_capacity(raw.schemas.len());
        for entry in &raw.schemas {
            let span = entry.span();
            let entry = entry.get_ref();
            let globs = parser.globs(&entry.paths, "a [[schemas]] entry", span)?;
            let target = resolve(&parser, &entry.schema, dir, &schemas)?;
            mappings.push(Mapping { globs, target });
        }

        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(parser.globs(&raw.exclude, "exclude", 0..0)?)
        };

        let rules = parser.rules(&raw.rules)?;
        let mut overrides = Vec::with_capacity(raw.overrides.len());
        for entry in &raw.overrides {
            let span = entry.span();
            let entry = entry.get_ref();
            overrides.push(Override {
                globs: parser.globs(&entry.paths, "an [[overrides]] entry", span)?,
                rules: parser.rules(&entry.rules)?,
            });
        }

        let fail_on = match &raw.fail_on {
            None => None,
            Some(value) => Some(match value.get_ref().as_str() {
                "error" => FailOn::Error,
                "warning" => FailOn::Warning,
                other => {
                    return Err(parser
                        .error(value.span(), format!("unknown fail-on level `{other}`"))
                        .with_help("use \"error\" or \"warning\"")
                        .into())
                }
            }),
        };

        Ok(Config {
            origin: origin.to_owned(),
            dir: dir.to_path_buf(),
            schemas,
            mappings,
            exclude,
            rules,
            overrides,
            fail_on,
        })
    }

    /// How messages name the config: its file name (`csvgate.toml`).
    pub fn file_name(&self) -> String {
        Path::new(&self.origin).file_name().map_or_else(
            || self.origin.clone(),
            |name| name.to_string_lossy().into_owned(),
        )
    }

    /// The input's path relative to the config's folder, `/`-separated; for a path
    /// outside that folder, the path as given.
    fn relative(&self, path: &Path) -> String {
        let absolute = match std::env::current_dir() {
            Ok(cwd) => normalize(&cwd.join(path)),
            Err(_) => normalize(path),
        };
        let relative = absolute
            .strip_prefix(&self.dir)
            .map_or_else(|_| normalize(path), Path::to_path_buf);
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The first `[[schemas]]` entry matching `path`: its target and the glob that
    /// matched.
    pub fn mapping(&self, path: &Path) -> Option<(&Target, &str)> {
        let relative = self.relative(path);
        self.mappings.iter().find_map(|mapping| {
            mapping
                .globs
                .matching(&relative)
                .map(|glob| (&mapping.target, glob))
        })
    }

    /// Whether `path` (a file or a folder) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|globs| globs.matching(&self.relative(path)).is_some())
    }

    /// Applies `[rules]` and the `[[overrides]]` matching `file` to its findings:
    /// severities changed, findings of rules turned off dropped.
    pub fn apply(&self, file: &Path, findings: &mut Vec<Finding>) {
        self.apply_to(file, findings, |f| (f.rule, &mut f.severity));
    }

    /// [`Config::apply`] for the findings counted but not kept.
    pub fn apply_held(&self, file: &Path, held: &mut Vec<HeldBack>) {
        self.apply_to(file, held, |h| (h.rule, &mut h.severity));
    }

    fn apply_to<T>(
        &self,
        file: &Path,
        items: &mut Vec<T>,
        rule_and_severity: impl Fn(&mut T) -> (Rule, &mut Severity),
    ) {
        if self.rules.is_empty() && self.overrides.is_empty() {
            return;
        }
        let mut rules = self.rules.clone();
        if !self.overrides.is_empty() {
            let relative = self.relative(file);
            for entry in &self.overrides {
                if entry.globs.matching(&relative).is_some() {
                    rules.extend(entry.rules.iter().map(|(rule, setting)| (*rule, *setting)));
                }
            }
        }
        if rules.is_empty() {
            return;
        }
        items.retain_mut(|item| {
            let (rule, severity) = rule_and_severity(item);
            match rules.get(&rule) {
                None => true,
                Some(SeveritySetting::Off) => false,
                Some(SeveritySetting::Level(level)) => {
                    *severity = *level;
                    true
                }
            }
        });
    }

    /// The schema of `schema-dirs` named `name`.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|schema| schema.name == name)
    }
}

/// A `[[schemas]]` entry's `schema`: `none`, a schema file's path (relative to the
/// config's folder), a schema of `schema-dirs`, or a built-in schema.
fn resolve(
    parser: &Parser<'_>,
    value: &S<String>,
    dir: &Path,
    known: &[Schema],
) -> Result<Target, LoadError> {
    let arg = value.get_ref();
    if arg == "none" {
        return Ok(Target::Nothing);
    }
    if let Some(schema) = known.iter().find(|schema| &schema.name == arg) {
        return Ok(Target::Schema(Box::new(schema.clone())));
    }
    if crate::schema_arg::is_path(arg) || dir.join(arg).is_file() {
        let text = fs::read_to_string(dir.join(arg)).map_err(|err| {
            parser.error(
                value.span(),
                format!("cannot read schema file {arg}: {err}"),
            )
        })?;
        let schema = Schema::parse(arg, &text).map_err(LoadError::Schema)?;
        return Ok(Target::Schema(Box::new(schema)));
    }
    match builtin::load(arg) {
        Some(Ok(schema)) => Ok(Target::Schema(Box::new(schema))),
        Some(Err(err)) => Err(LoadError::Schema(err)),
        None => {
            let mut names: Vec<&str> = builtin::names().collect();
            names.extend(known.iter().map(|schema| schema.name.as_str()));
            names.sort_unstable();
            names.dedup();
            let help = suggest(arg, names.iter().copied()).map_or_else(
                || {
                    format!(
                        "the schemas are {}; give a schema file by its path",
                        names.join(", ")
                    )
                },
                |near| format!("did you mean `{near}`?"),
            );
            Err(parser
                .error(value.span(), format!("unknown schema `{arg}`"))
                .with_help(help)
                .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csvgate_diagnostics::Severity;

    fn parse(text: &str) -> Result<Config, LoadError> {
        Config::parse("csvgate.toml", text, Path::new("/project"))
    }

    fn error(text: &str) -> ConfigError {
        match parse(text) {
            Err(LoadError::Config(err)) => err,
            Err(LoadError::Schema(err)) => panic!("a schema error: {err}"),
            Ok(_) => panic!("parsed: {text}"),
        }
    }

    const FULL: &str = r#"
exclude = ["archive/**", "*.bak.csv"]
fail-on = "warning"

[rules]
duplicate-row = "off"
surrounding-whitespace = "error"

[[schemas]]
paths = ["exports/**/users*.csv"]
schema = "entitlements-upload"

[[schemas]]
paths = ["raw/*.csv"]
schema = "none"

[[overrides]]
paths = ["legacy/**"]
rules = { surrounding-whitespace = "info", blank-row = "off" }
"#;

    #[test]
    fn a_full_config_parses() {
        let config = parse(FULL).expect("parses");
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        let (target, glob) = config
            .mapping(Path::new("/project/exports/2024/q1/users-eu.csv"))
            .expect("mapped");
        assert_eq!(glob, "exports/**/users*.csv");
        assert!(matches!(target, Target::Schema(schema) if schema.name == "entitlements-upload"));
        assert!(matches!(
            config.mapping(Path::new("/project/raw/a.csv")),
            Some((Target::Nothing, "raw/*.csv"))
        ));
        // `*` stays inside one folder.
        assert!(config.mapping(Path::new("/project/raw/x/a.csv")).is_none());
        assert!(config
            .mapping(Path::new("/elsewhere/exports/users.csv"))
            .is_none());
        assert!(config.excludes(Path::new("/project/archive/old/a.csv")));
        assert!(config.excludes(Path::new("/project/deep/down/b.bak.csv")));
        assert!(!config.excludes(Path::new("/project/exports/users.csv")));
    }

    #[test]
    fn rules_and_overrides_change_severities() {
        let config = parse(FULL).expect("parses");
        let finding = |rule| Finding::new(rule, "");
        let all = || {
            vec![
                finding(Rule::DuplicateRow),
                finding(Rule::SurroundingWhitespace),
                finding(Rule::BlankRow),
            ]
        };
        let mut findings = all();
        config.apply(Path::new("/project/a.csv"), &mut findings);
        let got: Vec<_> = findings.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            got,
            [
                (Rule::SurroundingWhitespace, Severity::Error),
                (Rule::BlankRow, Severity::Warning)
            ]
        );
        let mut findings = all();
        config.apply(Path::new("/project/legacy/x/a.csv"), &mut findings);
        let got: Vec<_> = findings.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(got, [(Rule::SurroundingWhitespace, Severity::Info)]);
    }

    #[test]
    fn mistakes_point_at_their_line_and_column() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "fail-on = \"warning\"\nexlude = []\n",
                (2, 1),
                "unknown field `exlude`",
            ),
            (
                "[rules]\nduplicate-rows = \"off\"\n",
                (2, 1),
                "unknown rule `duplicate-rows`",
            ),
            (
                "[rules]\nduplicate-row = \"loud\"\n",
                (2, 17),
                "unknown severity `loud`",
            ),
            ("exclude = [\"a/[b\"]\n", (1, 12), "invalid glob `a/[b`"),
            (
                "[[schemas]]\npaths = [\"*.csv\"]\nschema = \"entitlement-upload\"\n",
                (3, 10),
                "unknown schema `entitlement-upload`",
            ),
            (
                "fail-on = \"info\"\n",
                (1, 11),
                "unknown fail-on level `info`",
            ),
            (
                "[[overrides]]\npaths = [\"a/**\"]\nrules = { ragged = \"off\" }\n",
                (3, 11),
                "unknown rule `ragged`",
            ),
            ("fail-on = \n", (1, 11), ""),
        ];
        for (text, at, message) in cases {
            let err = error(text);
            assert_eq!(err.line_column(), Some(*at), "{text}: {err}");
            assert!(err.to_string().contains(message), "{text}: {err}");
        }
        let err = error("[rules]\nduplicate-rows = \"off\"\n");
        assert_eq!(
            err.help().map(|h| h.to_string()).as_deref(),
            Some("did you mean `duplicate-row`?")
        );
        assert!(err
            .to_string()
            .starts_with("invalid config csvgate.toml:2:1: unknown rule"));
    }

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    }
}
