//! Choosing a schema for an input that names none: by its file name, else by its
//! header.

use csvgate_schema::{normalize_header, Schema};
use globset::GlobBuilder;

/// The first schema one of whose `file-names` globs matches the input's file name (the
/// last path component, compared without case), with that glob.
pub(crate) fn by_file_name<'s>(path: &str, schemas: &'s [Schema]) -> Option<(&'s Schema, String)> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    schemas.iter().find_map(|schema| {
        schema.file_names.iter().find_map(|glob| {
            let matcher = GlobBuilder::new(glob)
                .case_insensitive(true)
                .build()
                .ok()?
                .compile_matcher();
            matcher.is_match(name).then(|| (schema, glob.clone()))
        })
    })
}

/// How well a header fits a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fit {
    /// Header names that are the schema's columns (in any spelling it accepts).
    pub known: usize,
    /// Header names it does not know.
    pub unknown: usize,
    /// Required columns the header lacks.
    pub missing: usize,
}

impl Fit {
    fn score(self) -> i64 {
        2 * self.known as i64 - self.unknown as i64 - self.missing as i64
    }

    /// Whether the fit is good enough to choose the schema: most of the header is the
    /// schema's, and it is more than a single common name.
    fn acceptable(self) -> bool {
        self.known >= 2 && self.known >= self.unknown && self.known > self.missing
    }
}

/// How a header fits a schema.
pub(crate) fn fit(names: &[String], schema: &Schema) -> Fit {
    let columns: Vec<Vec<String>> = schema
        .columns
        .iter()
        .map(|c| {
            std::iter::once(&c.name)
                .chain(&c.aliases)
                .map(|n| normalize_header(n))
                .collect()
        })
        .collect();
    let mut present = vec![false; columns.len()];
    let mut fit = Fit {
        known: 0,
        unknown: 0,
        missing: 0,
    };
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let wanted = normalize_header(name);
        match columns
            .iter()
            .position(|spellings| spellings.contains(&wanted))
        {
            Some(id) => {
                present[id] = true;
                fit.known += 1;
            }
            None => fit.unknown += 1,
        }
    }
    fit.missing = schema
        .columns
        .iter()
        .zip(&present)
        .filter(|(c, &p)| c.required && !p)
        .count();
    fit
}

/// What the header says about which schema fits.
#[derive(Debug)]
pub(crate) enum HeaderMatch<'s> {
    /// This schema fits best, and well enough.
    Fits(&'s Schema, Fit),
    /// These schemas fit equally well (and better than the rest): no choice is made.
    Tie(Vec<&'s Schema>),
    /// No schema fits well enough.
    Nothing,
}

/// The schema whose columns the header fits best, if one fits well enough and better
/// than every other.
pub(crate) fn by_header<'s>(names: &[String], schemas: &'s [Schema]) -> HeaderMatch<'s> {
    let mut ranked: Vec<(&Schema, Fit)> = schemas
        .iter()
        .map(|s| (s, fit(names, s)))
        .filter(|(_, f)| f.acceptable())
        .collect();
    // Stable: equal scores keep the schemas' own order, so a tie is named the same way
    // every run.
    ranked.sort_by_key(|(_, f)| std::cmp::Reverse(f.score()));
    match ranked.as_slice() {
        [] => HeaderMatch::Nothing,
        [(best, fit)] => HeaderMatch::Fits(best, *fit),
        [(best, fit), (_, second), ..] if fit.score() > second.score() => {
            HeaderMatch::Fits(best, *fit)
        }
        [(_, fit), ..] => HeaderMatch::Tie(
            ranked
                .iter()
                .filter(|(_, f)| f.score() == fit.score())
                .map(|(s, _)| *s)
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> Vec<Schema> {
        csvgate_schema::builtin::names()
            .filter_map(csvgate_schema::builtin::load)
            .map(|s| s.unwrap())
            .collect()
    }

    #[test]
    fn file_names_choose_by_glob_without_case() {
        let schemas = schemas();
        let (schema, glob) = by_file_name("data/GitHub_Entitlements_Upload.csv", &schemas).unwrap();
        assert_eq!(schema.name, "entitlements-upload");
        assert_eq!(glob, "*entitlement*upload*.csv");
        assert!(by_file_name("people.csv", &schemas).is_none());
    }

    #[test]
    fn headers_choose_by_known_columns() {
        let schemas = schemas();
        // User ID and Project Aliases are the upload's own (the download has Identity ID).
        let names: Vec<String> = [
            "Privilege Name",
            "Privilege Value*",
            "User ID",
            "Project Aliases",
            "Notes",
        ]
        .map(String::from)
        .to_vec();
        let HeaderMatch::Fits(schema, fit) = by_header(&names, &schemas) else {
            panic!("a fit");
        };
        assert_eq!(schema.name, "entitlements-upload");
        assert_eq!((fit.known, fit.unknown), (4, 1));
        let unrelated: Vec<String> = ["a", "b"].map(String::from).to_vec();
        assert!(matches!(
            by_header(&unrelated, &schemas),
            HeaderMatch::Nothing
        ));
        // The columns both entitlements formats share, and nothing else: a tie.
        let shared: Vec<String> = ["Privilege Name", "Privilege Value", "Email"]
            .map(String::from)
            .to_vec();
        let HeaderMatch::Tie(tied) = by_header(&shared, &schemas) else {
            panic!("a tie");
        };
        let tied: Vec<&str> = tied.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(tied, ["entitlements-download", "entitlements-upload"]);
    }
}
