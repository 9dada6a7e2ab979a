//! Bundles: formats made of several linked CSV files (the Entity RBAC zip), declared in
//! the same TOML language: the member files, the schema of each, and the references
//! from a column of one member to a key column of another.
//!
//! ```toml
//! name = "entity-rbac"
//! description = "Entity RBAC zip: entities and their relations"
//! file-names = ["*rbac*.zip"]
//!
//! [[member]]
//! file = "rbac_entities.csv"
//! schema = "rbac-entities"
//!
//! [[member]]
//! file = "rbac_entity_relations.csv"
//! schema = "rbac-entity-relations"
//!
//! [[reference]]
//! member = "rbac_entity_relations.csv"
//! columns = ["Parent Entity BRN", "Entity BRN"]
//! target = "rbac_entities.csv"
//! target-column = "BRN"
//! ```

use serde::Deserialize;

use crate::error::{SchemaError, SchemaErrorKind};
use crate::model::{ColumnId, RuleText, Schema, SeveritySetting};
use crate::names::suggest;
use crate::raw::S;

/// A checked bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle's name (`entity-rbac`).
    pub name: String,
    /// One line for `csvgate schemas`.
    pub description: String,
    /// File-name globs of archives that hold the bundle.
    pub file_names: Vec<String>,
    /// The member files, in the order the bundle lists them.
    pub members: Vec<Member>,
    /// References between members.
    pub references: Vec<Reference>,
}

/// One file of a bundle.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its file name (`rbac_entities.csv`), matched without case and without folders.
    pub file: String,
    /// The schema that checks it.
    pub schema: Schema,
}

/// Values of `columns` in member `member` must be values of `target_column` in member
/// `target`.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The referring member (index into [`Bundle::members`]).
    pub member: usize,
    /// The referring columns, in the referring member's schema.
    pub columns: Vec<ColumnId>,
    /// The referenced member.
    pub target: usize,
    /// The key column, in the referenced member's schema.
    pub target_column: ColumnId,
    /// The author's wording and severity.
    pub text: RuleText,
}

impl Bundle {
    /// The member whose file name is `name`'s last path component, without case.
    pub fn member_named(&self, name: &str) -> Option<usize> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        self.members
            .iter()
            .position(|m| m.file.eq_ignore_ascii_case(base))
    }

    /// The members in the order to check them: every referenced member before the
    /// members that refer to it, otherwise as listed.
    pub fn check_order(&self) -> Vec<usize> {
        let is_target = |i: usize| self.references.iter().any(|r| r.target == i);
        let (mut first, rest): (Vec<usize>, Vec<usize>) =
            (0..self.members.len()).partition(|&i| is_target(i));
        first.extend(rest);
        first
    }

    /// Parses and checks a bundle file; `schema` resolves a member's schema by name.
    ///
    /// # Errors
    ///
    /// A [`SchemaError`] pointing at the first mistake in the file.
    pub fn parse(
        origin: &str,
        text: &str,
        schema: impl Fn(&str) -> Option<Schema>,
    ) -> Result<Bundle, SchemaError> {
        let error = |kind, span: std::ops::Range<usize>, message: String| {
            SchemaError::new(kind, origin, text, Some(span), message)
        };
        let raw: RawBundle = toml::from_str(text).map_err(|err| {
            SchemaError::new(
                SchemaErrorKind::Syntax,
                origin,
                text,
                err.span(),
                err.message().trim().to_owned(),
            )
        })?;
        let mut members: Vec<Member> = Vec::new();
        for member in &raw.member {
            let Some(found) = schema(member.schema.get_ref()) else {
                return Err(error(
                    SchemaErrorKind::InvalidValue,
                    member.schema.span(),
                    format!("there is no schema `{}`", member.schema.get_ref()),
                )
                .with_help("name a built-in schema (`csvgate schemas` lists them)"));
            };
            if members
                .iter()
                .any(|m| m.file.eq_ignore_ascii_case(member.file.get_ref()))
            {
                return Err(error(
                    SchemaErrorKind::InvalidValue,
                    member.file.span(),
                    format!("the member `{}` is listed twice", member.file.get_ref()),
                ));
            }
            members.push(Member {
                file: member.file.get_ref().clone(),
                schema: found,
            });
        }
        if members.is_empty() {
            return Err(error(
                SchemaErrorKind::InvalidValue,
                raw.name.span(),
                "a bundle needs at least one [[member]]".to_owned(),
            ));
        }
        let member_index = |name: &S<String>| {
            members
                .iter()
                .position(|m| m.file == *name.get_ref())
                .ok_or_else(|| {
                    let help =
                        match suggest(name.get_ref(), members.iter().map(|m| m.file.as_str())) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => "name a file listed in a [[member]] entry".to_owned(),
                        };
                    error(
                        SchemaErrorKind::UnknownColumn,
                        name.span(),
                        format!("the bundle has no member `{}`", name.get_ref()),
                    )
                    .with_help(help)
                })
        };
        let column = |member: &Member, name: &S<String>| {
            member.schema.column_id(name.get_ref()).ok_or_else(|| {
                let help = match suggest(
                    name.get_ref(),
                    member.schema.columns.iter().map(|c| c.name.as_str()),
                ) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "the schema `{}` declares no such column",
                        member.schema.name
                    ),
                };
                error(
                    SchemaErrorKind::UnknownColumn,
                    name.span(),
                    format!(
                        "the schema `{}` of `{}` has no column `{}`",
                        member.schema.name,
                        member.file,
                        name.get_ref()
                    ),
                )
                .with_help(help)
            })
        };
        let mut references = Vec::new();
        for reference in &raw.reference {
            let member = member_index(&reference.member)?;
            let target = member_index(&reference.target)?;
            if member == target {
                return Err(error(
                    SchemaErrorKind::InvalidValue,
                    reference.target.span(),
                    "a reference must point at another member".to_owned(),
                )
                .with_help("keys within one file are a [[cross-row]] rule of its schema"));
            }
            let columns = reference
                .columns
                .iter()
                .map(|c| column(&members[member], c))
                .collect::<Result<Vec<_>, _>>()?;
            let target_column = column(&members[target], &reference.target_column)?;
            let severity = match &reference.severity {
                None => None,
                Some(s) => Some(SeveritySetting::parse(s.get_ref()).ok_or_else(|| {
                    error(
                        SchemaErrorKind::InvalidValue,
                        s.span(),
                        format!("unknown severity `{}`", s.get_ref()),
                    )
                    .with_help("use \"error\", \"warning\", \"info\" or \"off\"")
                })?),
            };
            references.push(Reference {
                member,
                columns,
                target,
                target_column,
                text: RuleText {
                    message: reference.message.clone(),
                    help: reference.help.clone(),
                    severity,
                },
            });
        }
        Ok(Bundle {
            name: raw.name.get_ref().trim().to_owned(),
            description: raw.description.unwrap_or_default(),
            file_names: raw.file_names,
            members,
            references,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBundle {
    name: S<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    file_names: Vec<String>,
    #[serde(default)]
    member: Vec<RawMember>,
    #[serde(default)]
    reference: Vec<RawReference>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMember {
    file: S<String>,
    schema: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawReference {
    member: S<String>,
    columns: Vec<S<String>>,
    target: S<String>,
    target_column: S<String>,
    #[serde(default)]
    severity: Option<S<String>>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(name: &str) -> Option<Schema> {
        let text = match name {
            "keys" => "name = \"keys\"\n[[column]]\nname = \"BRN\"\n",
            "refs" => {
                "name = \"refs\"\n[[column]]\nname = \"Parent\"\n[[column]]\nname = \"Child\"\n"
            }
            _ => return None,
        };
        Some(Schema::parse(name, text).unwrap())
    }

    const BUNDLE: &str = r#"
name = "b"
description = "two files"
[[member]]
file = "refs.csv"
schema = "refs"
[[member]]
file = "keys.csv"
schema = "keys"
[[reference]]
member = "refs.csv"
columns = ["Parent", "Child"]
target = "keys.csv"
target-column = "BRN"
"#;

    #[test]
    fn references_resolve_and_targets_are_checked_first() {
        let bundle = Bundle::parse("b.toml", BUNDLE, schema).unwrap();
        assert_eq!(bundle.references[0].columns, [0, 1]);
        assert_eq!(bundle.references[0].target, 1);
        assert_eq!(bundle.check_order(), [1, 0]);
        assert_eq!(bundle.member_named("export/KEYS.csv"), Some(1));
    }

    #[test]
    fn mistakes_point_into_the_file() {
        let broken = BUNDLE.replace("target-column = \"BRN\"", "target-column = \"BNR\"");
        let err = Bundle::parse("b.toml", &broken, schema).unwrap_err();
        assert_eq!(err.kind(), SchemaErrorKind::UnknownColumn);
        assert_eq!(err.line_column().map(|(line, _)| line), Some(14));
        let broken = BUNDLE.replace("schema = \"keys\"", "schema = \"nope\"");
        assert!(Bundle::parse("b.toml", &broken, schema).is_err());
    }
}
