//! `invalid_brn`: a `brn` value must be `brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>`.

use super::Expected;

const FORM: &str = "a BRN, brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>";

/// Why a value is not a BRN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Fewer than eight `:`-separated parts (the count found).
    TooFewParts(usize),
    /// The first part is not `brn`.
    Prefix,
    /// The second part is not `bid`.
    Namespace,
    /// The tenant is empty.
    Tenant,
    /// The ULID part fails `invalid_ulid`.
    Ulid,
    /// The kind is empty.
    EmptyKind,
    /// The kind holds a character other than lowercase letters, digits, `-`, `_`.
    KindCharacter(char),
    /// The id is empty.
    Id,
}

/// Checks that `value` is `brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>`: literal
/// `brn` and `bid`, a non-empty tenant, f4 and f5 possibly empty, a valid ULID, a kind
/// of lowercase letters, digits, `-` and `_`, and a non-empty id that may hold colons.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    let problem = match kind_part(value) {
        Ok(_) => return Ok(()),
        Err(problem) => problem,
    };
    Err(Expected::new(match problem {
        Problem::TooFewParts(1) => format!("{FORM}; it has no `:`"),
        Problem::TooFewParts(found) => {
            format!("{FORM}; it has {found} `:`-separated parts, not 8")
        }
        Problem::Prefix => format!("{FORM}; it must start with `brn:bid:`"),
        Problem::Namespace => format!("{FORM}; the second part must be `bid`"),
        Problem::Tenant => format!("{FORM}; the tenant (3rd part) is empty"),
        Problem::Ulid => {
            let ulid = value.split(':').nth(5).unwrap_or_default();
            let expected = super::invalid_ulid::check(ulid)
                .err()
                .map(|e| e.0)
                .unwrap_or_default();
            format!("{FORM}; the ULID part (6th) should be {expected}")
        }
        Problem::EmptyKind => format!("{FORM}; the kind (7th part) is empty"),
        Problem::KindCharacter(c) => format!(
            "{FORM}; the kind (7th part) may hold lowercase letters, digits, `-` and `_`, not `{c}`"
        ),
        Problem::Id => format!("{FORM}; the id after the kind is empty"),
    }))
}

/// Checks a BRN without allocating and returns its kind part.
fn kind_part(value: &str) -> Result<&str, Problem> {
    let mut split = value.splitn(8, ':');
    let mut next = || split.next();
    let (
        Some(prefix),
        Some(namespace),
        Some(tenant),
        Some(_f4),
        Some(_f5),
        Some(ulid),
        Some(kind),
        Some(id),
    ) = (
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
    )
    else {
        return Err(Problem::TooFewParts(value.split(':').count()));
    };
    if prefix != "brn" {
        return Err(Problem::Prefix);
    }
    if namespace != "bid" {
        return Err(Problem::Namespace);
    }
    if tenant.is_empty() {
        return Err(Problem::Tenant);
    }
    if super::invalid_ulid::check(ulid).is_err() {
        return Err(Problem::Ulid);
    }
    if kind.is_empty() {
        return Err(Problem::EmptyKind);
    }
    if let Some(c) = kind
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
    {
        return Err(Problem::KindCharacter(c));
    }
    if id.is_empty() {
        return Err(Problem::Id);
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::check;

    /// The message for `value` after the form.
    fn reason(value: &str) -> String {
        super::super::testing::reason(
            check,
            "a BRN, brn:bid:<tenant>:<f4>:<f5>:<ulid>:<kind>:<id>",
            value,
        )
    }

    #[test]
    fn accepts_the_samples() {
        for value in [
            "brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity:04giq7jlHzhHyZ-cOvAn4Fn2dNc3bjqZrK4ufzx19Q0",
            "brn:bid:balkanid:::02GFREWAWDFR3RG264H6QWERT5:app:compute/privileged",
            "brn:bid:balkanid:::01J06J6V8JT92BP4RGFDTG5G97:connection:-HebVJVI8ca3kmd0FMm9t5hXMmsv4Ygc54hW2u7KQdg",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn accepts_filled_f4_f5_and_colons_in_the_id() {
        for value in [
            "brn:bid:acme:us-east-1:prod:01HWBCYJA11R3AA48K5V0DVM00:resource:arn:aws:s3:::bucket",
            "brn:bid:acme::x:01HWBCYJA11R3AA48K5V0DVM00:resource:a:b",
            "brn:bid:acme:x::01hwbcyja11r3aa48k5v0dvm00:custom_kind-2:id",
            "brn:bid:acme:::01HWBCYJA11R3AA48K5V0DVM00:identity:jürgen@müller.de",
            "brn:bid:acme:::01HWBCYJA11R3AA48K5V0DVM00:identity::",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn counts_parts() {
        assert_eq!(reason("identity"), "; it has no `:`");
        assert_eq!(
            reason("brn:bid:balkanid::01HWBCYJA11R3AA48K5V0DVM00:identity:x"),
            "; it has 7 `:`-separated parts, not 8"
        );
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity"),
            "; it has 7 `:`-separated parts, not 8"
        );
    }

    #[test]
    fn checks_the_literals_and_tenant() {
        assert_eq!(
            reason("urn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity:x"),
            "; it must start with `brn:bid:`"
        );
        assert_eq!(
            reason("BRN:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity:x"),
            "; it must start with `brn:bid:`"
        );
        assert_eq!(
            reason("brn:bix:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity:x"),
            "; the second part must be `bid`"
        );
        assert_eq!(
            reason("brn:bid::::01HWBCYJA11R3AA48K5V0DVM00:identity:x"),
            "; the tenant (3rd part) is empty"
        );
    }

    #[test]
    fn reports_the_ulid_part_problem() {
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM0:identity:x"),
            "; the ULID part (6th) should be a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U); found 25 characters"
        );
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVMOO:identity:x"),
            "; the ULID part (6th) should be a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U); `O` at position 25 is not one"
        );
        assert_eq!(
            reason("brn:bid:balkanid::x:y:identity:x"),
            "; the ULID part (6th) should be a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U); found 1 character"
        );
    }

    #[test]
    fn checks_kind_and_id() {
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00::x"),
            "; the kind (7th part) is empty"
        );
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:Identity:x"),
            "; the kind (7th part) may hold lowercase letters, digits, `-` and `_`, not `I`"
        );
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:idéntity:x"),
            "; the kind (7th part) may hold lowercase letters, digits, `-` and `_`, not `é`"
        );
        assert_eq!(
            reason("brn:bid:balkanid:::01HWBCYJA11R3AA48K5V0DVM00:identity:"),
            "; the id after the kind is empty"
        );
    }
}
