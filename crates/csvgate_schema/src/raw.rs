//! The schema file exactly as written: serde types with spans, before any checking.
//!
//! Keys are kebab-case and unknown keys are errors, so that a typo in a schema file is
//! reported instead of silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub(crate) type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawSchema {
    pub name: S<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub file_names: Vec<S<String>>,
    #[serde(default)]
    pub delimiter: Option<S<String>>,
    #[serde(default)]
    pub rules: BTreeMap<S<String>, S<String>>,
    #[serde(default)]
    pub column: Vec<S<RawColumn>>,
    #[serde(default)]
    pub header: Vec<S<RawRuleEntry>>,
    #[serde(default)]
    pub row: Vec<S<RawRuleEntry>>,
    #[serde(default)]
    pub cross_row: Vec<S<RawRuleEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawColumn {
    pub name: S<String>,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub value_required: bool,
    #[serde(default, rename = "type")]
    pub value_type: Option<S<String>>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<S<Vec<String>>>,
    #[serde(default)]
    pub case_sensitive: Option<bool>,
    #[serde(default)]
    pub pattern: Option<S<String>>,
    #[serde(default)]
    pub min_length: Option<S<i64>>,
    #[serde(default)]
    pub max_length: Option<S<i64>>,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub delimiter: Option<S<String>>,
    #[serde(default)]
    pub json_keys: Option<S<Vec<String>>>,
    #[serde(default)]
    pub json_values: Option<S<BTreeMap<String, Vec<String>>>>,
    #[serde(default)]
    pub severity: Option<S<String>>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
}

/// One `[[header]]`, `[[row]]` or `[[cross-row]]` entry. Its kind is given by which
/// kind key it holds (`pair = [...]`, `one-of = [...]`, ...); which other keys it may
/// hold depends on the kind and is checked after parsing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRuleEntry {
    // Kind keys.
    #[serde(default)]
    pub one_of: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub column: Option<S<String>>,
    #[serde(default)]
    pub pair: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub when: Option<S<String>>,
    #[serde(default)]
    pub order: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub agree: Option<S<String>>,
    #[serde(default)]
    pub consistent: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub key: Option<S<String>>,
    #[serde(default)]
    pub unique: Option<S<Vec<S<String>>>>,
    // Parameters.
    #[serde(default)]
    pub requires: Option<S<Vec<S<String>>>>,
    #[serde(default, rename = "in")]
    pub in_values: Option<S<Vec<String>>>,
    #[serde(default)]
    pub case_sensitive: Option<S<bool>>,
    #[serde(default)]
    pub strict: Option<S<bool>>,
    #[serde(default)]
    pub with: Option<S<String>>,
    #[serde(default)]
    pub part: Option<S<String>>,
    #[serde(default)]
    pub determines: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub ignore_case: Option<S<Vec<S<String>>>>,
    // Wording and severity.
    #[serde(default)]
    pub severity: Option<S<String>>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
}
