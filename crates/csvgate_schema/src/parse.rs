//! From the schema file as written ([`crate::raw`]) to a checked [`Schema`].

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use csvgate_diagnostics::Rule;
use regex::{Regex, RegexBuilder};

use crate::error::{SchemaError, SchemaErrorKind};
use crate::model::{
    ColumnId, ColumnSpec, CrossRowRule, CrossRowRuleKind, HeaderRule, HeaderRuleKind, Matcher,
    RowRule, RowRuleKind, RuleText, Schema, SeveritySetting, ValueType,
};
use crate::names::suggest;
use crate::raw::{RawColumn, RawRuleEntry, RawSchema, S};

/// Largest compiled regex a schema may ask for; bigger ones are a mistake or an attack.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl Schema {
    /// Parses and checks a schema file. `origin` names the file in error messages.
    ///
    /// # Errors
    ///
    /// A [`SchemaError`] pointing at the first mistake in the file.
    pub fn parse(origin: &str, text: &str) -> Result<Schema> {
        let raw: RawSchema = toml::from_str(text).map_err(|err| {
            SchemaError::new(
                SchemaErrorKind::Syntax,
                origin,
                text,
                err.span(),
                err.message().trim().to_owned(),
            )
        })?;
        Builder { origin, text }.build(raw)
    }
}

struct Builder<'a> {
    origin: &'a str,
    text: &'a str,
}

type Result<T> = std::result::Result<T, SchemaError>;

impl Builder<'_> {
    fn error(
        &self,
        kind: SchemaErrorKind,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> SchemaError {
        SchemaError::new(kind, self.origin, self.text, Some(span), message)
    }

    fn invalid(&self, span: Range<usize>, message: impl Into<String>) -> SchemaError {
        self.error(SchemaErrorKind::InvalidValue, span, message)
    }

    fn build(&self, raw: RawSchema) -> Result<Schema> {
        let name = raw.name.get_ref().trim().to_owned();
        if name.is_empty() {
            return Err(self.invalid(raw.name.span(), "the schema's name is empty"));
        }
        let delimiter = match &raw.delimiter {
            None => b',',
            Some(d) => match d.get_ref().as_bytes() {
                [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => *b,
                _ => {
                    return Err(self
                        .invalid(d.span(), "the delimiter must be one ASCII character")
                        .with_help("use \",\", \";\", \"|\" or \"\\t\""))
                }
            },
        };

        let mut rule_severity = HashMap::new();
        for (rule_name, setting) in &raw.rules {
            let Some(rule) = Rule::from_name(rule_name.get_ref()) else {
                let help = suggest(rule_name.get_ref(), Rule::ALL.iter().map(|r| r.name()))
                    .map_or_else(
                        || "`csvgate explain` lists the rules".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    );
                return Err(self
                    .invalid(
                        rule_name.span(),
                        format!("unknown rule `{}`", rule_name.get_ref()),
                    )
                    .with_help(help));
            };
            rule_severity.insert(rule, self.severity(setting)?);
        }

        let mut columns = Vec::with_capacity(raw.column.len());
        let mut unique_columns = Vec::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for column in &raw.column {
            let span = column.span();
            let column = column.get_ref();
            for name in std::iter::once(&column.name).chain(&column.aliases) {
                let key = crate::names::normalize_header(name.get_ref());
                if key.is_empty() {
                    return Err(self.invalid(name.span(), "a column name is empty"));
                }
                if seen.insert(key, name.span()).is_some() {
                    return Err(self.invalid(
                        name.span(),
                        format!(
                            "the name `{}` is given to two columns (names compare without case, spaces or `*`)",
                            name.get_ref()
                        ),
                    ));
                }
            }
            let spec = self.column(column, span)?;
            if column.unique {
                unique_columns.push(CrossRowRule {
                    kind: CrossRowRuleKind::Unique(vec![columns.len()]),
                    text: spec.text.clone(),
                });
            }
            columns.push(spec);
        }

        let names = ColumnNames { columns: &columns };
        let header_rules = raw
            .header
            .iter()
            .map(|entry| self.header_rule(entry, &names))
            .collect::<Result<Vec<_>>>()?;
        let row_rules = raw
            .row
            .iter()
            .map(|entry| self.row_rule(entry, &names, &columns))
            .collect::<Result<Vec<_>>>()?;
        let mut cross_row_rules = unique_columns;
        for entry in &raw.cross_row {
            cross_row_rules.push(self.cross_row_rule(entry, &names)?);
        }

        Ok(Schema {
            name,
            description: raw.description.unwrap_or_default().trim().to_owned(),
            origin: self.origin.to_owned(),
            source: Arc::from(self.text),
            file_names: raw
                .file_names
                .into_iter()
                .map(|glob| self.glob(glob))
                .collect::<Result<_>>()?,
            delimiter,
            rule_severity,
            columns,
            header_rules,
            row_rules,
            cross_row_rules,
        })
    }

    fn severity(&self, setting: &S<String>) -> Result<SeveritySetting> {
        SeveritySetting::parse(setting.get_ref()).ok_or_else(|| {
            self.invalid(
                setting.span(),
                format!("unknown severity `{}`", setting.get_ref()),
            )
            .with_help("use \"error\", \"warning\", \"info\" or \"off\"")
        })
    }

    fn column(&self, raw: &RawColumn, span: Range<usize>) -> Result<ColumnSpec> {
        let value_type = match &raw.value_type {
            None => ValueType::Text,
            Some(name) => ValueType::from_name(name.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = ValueType::ALL.iter().map(|(n, _)| *n).collect();
                let help = match suggest(name.get_ref(), known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the types are {}", known.join(", ")),
                };
                self.error(
                    SchemaErrorKind::UnknownType,
                    name.span(),
                    format!("unknown type `{}`", name.get_ref()),
                )
                .with_label("not a type csvgate knows")
                .with_help(help)
            })?,
        };
        let pattern = raw
            .pattern
            .as_ref()
            .map(|p| self.regex(p, true))
            .transpose()?;
        let length = |v: &Option<S<i64>>| -> Result<Option<usize>> {
            v.as_ref()
                .map(|n| {
                    usize::try_from(*n.get_ref())
                        .map_err(|_| self.invalid(n.span(), "a length cannot be negative"))
                })
                .transpose()
        };
        let min_length = length(&raw.min_length)?;
        let max_length = length(&raw.max_length)?;
        if let (Some(min), Some(max), Some(raw_max)) = (min_length, max_length, &raw.max_length) {
            if min > max {
                return Err(self.invalid(
                    raw_max.span(),
                    format!("max-length {max} is below min-length {min}"),
                ));
            }
        }
        let list_delimiter = match &raw.delimiter {
            None => ',',
            Some(d) => {
                let mut chars = d.get_ref().chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => c,
                    _ => return Err(self.invalid(d.span(), "a list delimiter is one character")),
                }
            }
        };
        let is_json = matches!(value_type, ValueType::JsonObject | ValueType::JsonArray);
        for (key, present) in [
            ("json-keys", raw.json_keys.as_ref().map(S::span)),
            ("json-values", raw.json_values.as_ref().map(S::span)),
        ] {
            if let (Some(span), false) = (present, is_json) {
                return Err(self.invalid(
                    span,
                    format!("`{key}` applies only to columns of type json-object or json-array"),
                ));
            }
        }
        if let (Some(d), false) = (&raw.delimiter, value_type == ValueType::List) {
            return Err(self.invalid(d.span(), "`delimiter` applies only to columns of type list"));
        }
        let _ = span;
        Ok(ColumnSpec {
            name: raw.name.get_ref().trim().to_owned(),
            aliases: raw.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            description: raw.description.clone(),
            required: raw.required,
            value_required: raw.value_required,
            value_type,
            enum_values: raw.enum_values.as_ref().map(|values| Matcher {
                values: values.get_ref().clone(),
                case_sensitive: raw.case_sensitive.unwrap_or(true),
            }),
            pattern,
            min_length,
            max_length,
            list_delimiter,
            json_keys: raw
                .json_keys
                .as_ref()
                .map(|k| k.get_ref().clone())
                .unwrap_or_default(),
            json_values: raw
                .json_values
                .as_ref()
                .map(|k| k.get_ref().clone())
                .unwrap_or_default(),
            text: RuleText {
                message: raw.message.clone(),
                help: raw.help.clone(),
                severity: raw
                    .severity
                    .as_ref()
                    .map(|s| self.severity(s))
                    .transpose()?,
            },
        })
    }

    /// Compiles a pattern; `anchored` makes it match the whole value.
    fn regex(&self, pattern: &S<String>, anchored: bool) -> Result<Regex> {
        let source = if anchored {
            format!("^(?:{})$", pattern.get_ref())
        } else {
            pattern.get_ref().clone()
        };
        RegexBuilder::new(&source)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|err| {
                let detail = match err {
                    regex::Error::Syntax(text) => text
                        .lines()
                        .last()
                        .unwrap_or("invalid syntax")
                        .trim_start_matches("error: ")
                        .to_owned(),
                    regex::Error::CompiledTooBig(limit) => {
                        format!("the pattern compiles to more than {limit} bytes")
                    }
                    other => other.to_string(),
                };
                self.error(
                    SchemaErrorKind::InvalidRegex,
                    pattern.span(),
                    format!("invalid regular expression: {detail}"),
                )
                .with_label("this pattern")
                .with_help("patterns use the syntax of Rust's regex crate; escape `\\` in TOML basic strings, or use '...' literal strings")
            })
    }

    /// A `file-names` glob, checked so that a broken one is not silently never matched.
    fn glob(&self, glob: S<String>) -> Result<String> {
        match globset::Glob::new(glob.get_ref()) {
            Ok(_) => Ok(glob.into_inner()),
            Err(err) => Err(self
                .invalid(
                    glob.span(),
                    format!("not a valid file-name glob: {}", err.kind()),
                )
                .with_help(
                    "globs use `*` for any characters in a name, `?` for one, `[abc]` for a set",
                )),
        }
    }

    fn text(&self, entry: &RawRuleEntry) -> Result<RuleText> {
        Ok(RuleText {
            message: entry.message.clone(),
            help: entry.help.clone(),
            severity: entry
                .severity
                .as_ref()
                .map(|s| self.severity(s))
                .transpose()?,
        })
    }

    fn header_rule(&self, entry: &S<RawRuleEntry>, names: &ColumnNames<'_>) -> Result<HeaderRule> {
        let span = entry.span();
        let entry = entry.get_ref();
        let kind = match self.kind_of(entry, span.clone(), &["one-of", "column"], "[[header]]")? {
            "one-of" => {
                self.only(entry, &["one-of"], "one-of")?;
                HeaderRuleKind::OneOf(self.columns(entry.one_of.as_ref(), names, 1)?)
            }
            _ => {
                self.only(entry, &["column", "requires"], "column")?;
                HeaderRuleKind::Requires {
                    column: self.column_ref(entry.column.as_ref(), names)?,
                    requires: self.needed(entry.requires.as_ref(), span, "requires", names)?,
                }
            }
        };
        Ok(HeaderRule {
            kind,
            text: self.text(entry)?,
        })
    }

    fn row_rule(
        &self,
        entry: &S<RawRuleEntry>,
        names: &ColumnNames<'_>,
        columns: &[ColumnSpec],
    ) -> Result<RowRule> {
        let span = entry.span();
        let entry = entry.get_ref();
        let kinds = ["pair", "column", "when", "one-of", "order", "agree"];
        let kind = match self.kind_of(entry, span.clone(), &kinds, "[[row]]")? {
            "pair" => {
                self.only(entry, &["pair"], "pair")?;
                let pair = self.columns(entry.pair.as_ref(), names, 2)?;
                let [a, b] = pair[..] else {
                    return Err(self.exactly_two(entry.pair.as_ref(), span, "pair"));
                };
                RowRuleKind::Pair(a, b)
            }
            "column" => {
                self.only(entry, &["column", "requires"], "column")?;
                RowRuleKind::Requires {
                    column: self.column_ref(entry.column.as_ref(), names)?,
                    requires: self.needed(entry.requires.as_ref(), span, "requires", names)?,
                }
            }
            "when" => {
                self.only(entry, &["when", "in", "requires", "case-sensitive"], "when")?;
                let values = entry.in_values.as_ref().ok_or_else(|| {
                    self.invalid(
                        span.clone(),
                        "a `when` rule needs `in = [...]`, the values that trigger it",
                    )
                })?;
                RowRuleKind::When {
                    column: self.column_ref(entry.when.as_ref(), names)?,
                    values: Matcher {
                        values: values.get_ref().clone(),
                        case_sensitive: entry.case_sensitive.as_ref().is_none_or(|c| *c.get_ref()),
                    },
                    requires: self.needed(entry.requires.as_ref(), span, "requires", names)?,
                }
            }
            "one-of" => {
                self.only(entry, &["one-of"], "one-of")?;
                RowRuleKind::OneOf(self.columns(entry.one_of.as_ref(), names, 2)?)
            }
            "order" => {
                self.only(entry, &["order", "strict"], "order")?;
                let order = self.columns(entry.order.as_ref(), names, 2)?;
                let [before, after] = order[..] else {
                    return Err(self.exactly_two(entry.order.as_ref(), span, "order"));
                };
                for (id, raw) in [before, after]
                    .iter()
                    .zip(entry.order.iter().flat_map(|o| o.get_ref()))
                {
                    let column = &columns[*id];
                    if !column.value_type.is_ordered() {
                        return Err(self.invalid(
                            raw.span(),
                            format!(
                                "`{}` is of type {}, which has no order",
                                column.name,
                                column.value_type.name()
                            ),
                        ).with_help("order rules compare columns of type date, datetime, go-timestamp, integer or number"));
                    }
                }
                let numeric = |id: ColumnId| {
                    matches!(
                        columns[id].value_type,
                        ValueType::Integer | ValueType::Number
                    )
                };
                if numeric(before) != numeric(after) {
                    let raw = entry.order.as_ref().map_or(span.clone(), |o| o.span());
                    return Err(self
                        .invalid(
                            raw,
                            format!(
                                "`{}` ({}) and `{}` ({}) cannot be ordered against each other",
                                columns[before].name,
                                columns[before].value_type.name(),
                                columns[after].name,
                                columns[after].value_type.name()
                            ),
                        )
                        .with_help("order numbers against numbers (integer, number), and dates against dates or times (date, datetime, go-timestamp)"));
                }
                RowRuleKind::Order {
                    before,
                    after,
                    strict: entry.strict.as_ref().is_some_and(|s| *s.get_ref()),
                }
            }
            _ => {
                self.only(entry, &["agree", "with", "part", "case-sensitive"], "agree")?;
                let part = entry.part.as_ref().ok_or_else(|| {
                    self.invalid(span.clone(), "an `agree` rule needs `part`, a pattern whose first capture group is the part to compare")
                })?;
                let regex = self.regex(part, false)?;
                if regex.captures_len() < 2 {
                    return Err(self.invalid(
                        part.span(),
                        "`part` needs a capture group `( ... )` around the part to compare",
                    ));
                }
                RowRuleKind::Agree {
                    column: self.column_ref(entry.agree.as_ref(), names)?,
                    with: self.column_ref(entry.with.as_ref(), names).map_err(|e| {
                        if entry.with.is_none() {
                            self.invalid(
                                span.clone(),
                                "an `agree` rule needs `with`, the column to compare against",
                            )
                        } else {
                            e
                        }
                    })?,
                    part: regex,
                    case_sensitive: entry.case_sensitive.as_ref().is_none_or(|c| *c.get_ref()),
                }
            }
        };
        Ok(RowRule {
            kind,
            text: self.text(entry)?,
        })
    }

    fn cross_row_rule(
        &self,
        entry: &S<RawRuleEntry>,
        names: &ColumnNames<'_>,
    ) -> Result<CrossRowRule> {
        let span = entry.span();
        let entry = entry.get_ref();
        let ignore_case = entry
            .ignore_case
            .as_ref()
            .map(|cols| self.columns(Some(cols), names, 0))
            .transpose()?
            .unwrap_or_default();
        let kind = match self.kind_of(
            entry,
            span.clone(),
            &["consistent", "key", "unique"],
            "[[cross-row]]",
        )? {
            "consistent" => {
                self.only(entry, &["consistent", "ignore-case"], "consistent")?;
                CrossRowRuleKind::Consistent {
                    columns: self.columns(entry.consistent.as_ref(), names, 2)?,
                    ignore_case,
                }
            }
            "key" => {
                self.only(entry, &["key", "determines", "ignore-case"], "key")?;
                CrossRowRuleKind::Determines {
                    key: self.column_ref(entry.key.as_ref(), names)?,
                    determines: self.needed(
                        entry.determines.as_ref(),
                        span,
                        "determines",
                        names,
                    )?,
                    ignore_case,
                }
            }
            _ => {
                self.only(entry, &["unique"], "unique")?;
                CrossRowRuleKind::Unique(self.columns(entry.unique.as_ref(), names, 1)?)
            }
        };
        Ok(CrossRowRule {
            kind,
            text: self.text(entry)?,
        })
    }

    /// Which kind key an entry holds; exactly one is allowed.
    fn kind_of(
        &self,
        entry: &RawRuleEntry,
        span: Range<usize>,
        kinds: &[&'static str],
        table: &str,
    ) -> Result<&'static str> {
        let present: Vec<(&'static str, Range<usize>)> = kinds
            .iter()
            .filter_map(|kind| entry.key_span(kind).map(|s| (*kind, s)))
            .collect();
        match present.as_slice() {
            [(kind, _)] => Ok(kind),
            [] => Err(self
                .invalid(span, format!("this {table} entry says no rule kind"))
                .with_help(format!("give it one of the keys {}", backticked(kinds)))),
            [_, (second, second_span), ..] => Err(self
                .invalid(
                    second_span.clone(),
                    format!("a {table} entry has one kind, but this one also says `{second}`"),
                )
                .with_help("split it into two entries")),
        }
    }

    /// Rejects keys that do not belong to the entry's kind.
    fn only(&self, entry: &RawRuleEntry, allowed: &[&str], kind: &str) -> Result<()> {
        for key in RawRuleEntry::PARAMETER_KEYS {
            if allowed.contains(key) {
                continue;
            }
            if let Some(span) = entry.key_span(key) {
                return Err(self
                    .invalid(span, format!("`{key}` does not belong in a `{kind}` rule"))
                    .with_help(format!("a `{kind}` rule takes {}", backticked(allowed))));
            }
        }
        Ok(())
    }

    fn exactly_two(
        &self,
        list: Option<&S<Vec<S<String>>>>,
        span: Range<usize>,
        kind: &str,
    ) -> SchemaError {
        self.invalid(
            list.map_or(span, S::span),
            format!("`{kind}` names exactly two columns"),
        )
    }

    fn needed(
        &self,
        list: Option<&S<Vec<S<String>>>>,
        span: Range<usize>,
        key: &str,
        names: &ColumnNames<'_>,
    ) -> Result<Vec<ColumnId>> {
        if list.is_none() {
            return Err(self.invalid(span, format!("this rule needs `{key} = [...]`")));
        }
        self.columns(list, names, 1)
    }

    fn columns(
        &self,
        list: Option<&S<Vec<S<String>>>>,
        names: &ColumnNames<'_>,
        at_least: usize,
    ) -> Result<Vec<ColumnId>> {
        let Some(list) = list else {
            return Ok(Vec::new());
        };
        if list.get_ref().len() < at_least {
            return Err(self.invalid(
                list.span(),
                format!("this list needs at least {at_least} column names"),
            ));
        }
        list.get_ref()
            .iter()
            .map(|name| self.column_ref(Some(name), names))
            .collect()
    }

    fn column_ref(&self, name: Option<&S<String>>, names: &ColumnNames<'_>) -> Result<ColumnId> {
        let Some(name) = name else {
            // Only reachable for optional kind keys, which kind_of has already found.
            return Err(self.invalid(0..0, "a column name is missing"));
        };
        names.find(name.get_ref()).ok_or_else(|| {
            let help = match suggest(
                name.get_ref(),
                names.columns.iter().map(|c| c.name.as_str()),
            ) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "declare it with a [[column]] entry, or fix the name".to_owned(),
            };
            self.error(
                SchemaErrorKind::UnknownColumn,
                name.span(),
                format!("the schema has no column `{}`", name.get_ref()),
            )
            .with_label("no [[column]] has this name")
            .with_help(help)
        })
    }
}

struct ColumnNames<'a> {
    columns: &'a [ColumnSpec],
}

impl ColumnNames<'_> {
    fn find(&self, name: &str) -> Option<ColumnId> {
        self.columns.iter().position(|c| c.name == name)
    }
}

fn backticked(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl RawRuleEntry {
    const PARAMETER_KEYS: &'static [&'static str] = &[
        "one-of",
        "column",
        "pair",
        "when",
        "order",
        "agree",
        "consistent",
        "key",
        "unique",
        "requires",
        "in",
        "case-sensitive",
        "strict",
        "with",
        "part",
        "determines",
        "ignore-case",
    ];

    fn key_span(&self, key: &str) -> Option<Range<usize>> {
        match key {
            "one-of" => self.one_of.as_ref().map(S::span),
            "column" => self.column.as_ref().map(S::span),
            "pair" => self.pair.as_ref().map(S::span),
            "when" => self.when.as_ref().map(S::span),
            "order" => self.order.as_ref().map(S::span),
            "agree" => self.agree.as_ref().map(S::span),
            "consistent" => self.consistent.as_ref().map(S::span),
            "key" => self.key.as_ref().map(S::span),
            "unique" => self.unique.as_ref().map(S::span),
            "requires" => self.requires.as_ref().map(S::span),
            "in" => self.in_values.as_ref().map(S::span),
            "case-sensitive" => self.case_sensitive.as_ref().map(S::span),
            "strict" => self.strict.as_ref().map(S::span),
            "with" => self.with.as_ref().map(S::span),
            "part" => self.part.as_ref().map(S::span),
            "determines" => self.determines.as_ref().map(S::span),
            "ignore-case" => self.ignore_case.as_ref().map(S::span),
            _ => None,
        }
    }
}
