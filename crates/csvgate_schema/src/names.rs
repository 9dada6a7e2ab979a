//! Column-name normalisation and did-you-mean suggestions.

/// The form two header names are compared in when an exact match fails: trimmed,
/// without trailing `*` (the vendor's pages mark required columns that way), inner runs
/// of whitespace, `_` and `-` made one space, and lowercased.
pub fn normalize_header(name: &str) -> String {
    let trimmed = name.trim().trim_end_matches('*').trim();
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_space = false;
    for ch in trimmed.chars() {
        if ch.is_whitespace() || ch == '_' || ch == '-' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// The candidate closest to `wanted`, if one is close enough to be a likely typo.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_norm = normalize_header(wanted);
    if wanted_norm.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim_score(&wanted_norm, &normalize_header(candidate));
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, name)| name)
}

fn strsim_score(a: &str, b: &str) -> f64 {
    // Jaro-Winkler rewards shared prefixes, which suits column names ("Resource Typ");
    // the normalised Levenshtein catches transpositions further in.
    strsim::jaro_winkler(a, b).max(strsim::normalized_levenshtein(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_stars_and_separators() {
        assert_eq!(normalize_header("  Privilege Name* "), "privilege name");
        assert_eq!(normalize_header("privilege_name"), "privilege name");
        assert_eq!(normalize_header("Privilege   Name"), "privilege name");
        assert_eq!(normalize_header("Prénom"), "prénom");
        assert_eq!(normalize_header("**"), "");
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["Resource Type", "Resource", "Email"];
        assert_eq!(suggest("Resource Typ", names), Some("Resource Type"));
        assert_eq!(suggest("Emial", names), Some("Email"));
        assert_eq!(suggest("Department", names), None);
        assert_eq!(suggest("", names), None);
    }
}
