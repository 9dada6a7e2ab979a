//! `invalid_ulid`: a `ulid` value must be 26 characters of Crockford base32
//! (`0-9A-HJKMNP-TV-Z`, either letter case), the first one `0`-`7`.

use super::Expected;

const FORM: &str = "a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)";

/// Checks that `value` is a ULID: 26 Crockford base32 characters (lowercase accepted,
/// as Crockford decoding is case-insensitive) whose first character is `0`-`7`, so that
/// the value fits in 128 bits.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    let bytes = value.as_bytes();
    if bytes.len() == 26 && bytes.iter().all(|&b| is_crockford(b)) && bytes[0] <= b'7' {
        return Ok(());
    }
    Err(Expected::new(problem(value)))
}

/// Whether `byte` is a Crockford base32 digit, in either case.
fn is_crockford(byte: u8) -> bool {
    byte.is_ascii_digit()
        || (byte.is_ascii_alphabetic()
            && !matches!(byte.to_ascii_uppercase(), b'I' | b'L' | b'O' | b'U'))
}

/// The message for a value that is not a ULID.
fn problem(value: &str) -> String {
    let length = value.chars().count();
    if length != 26 {
        let hint = if looks_like_uuid(value) {
            "; this looks like a UUID"
        } else {
            ""
        };
        let plural = if length == 1 { "" } else { "s" };
        return format!("{FORM}; found {length} character{plural}{hint}");
    }
    if let Some((index, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| !(c.is_ascii() && is_crockford(c as u8)))
    {
        let position = index + 1;
        return format!("{FORM}; `{c}` at position {position} is not one");
    }
    let first = value.chars().next().unwrap_or('0');
    format!("{FORM}, starting with 0-7; `{first}` first overflows 128 bits")
}

/// Whether `value` has the 8-4-4-4-12 hexadecimal shape of a UUID.
fn looks_like_uuid(value: &str) -> bool {
    let mut groups = value.split('-');
    [8, 4, 4, 4, 12].iter().all(|&len| {
        groups
            .next()
            .is_some_and(|g| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
    }) && groups.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::check;

    /// The message for `value` after the form.
    fn reason(value: &str) -> String {
        super::super::testing::reason(
            check,
            "a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)",
            value,
        )
    }

    #[test]
    fn accepts_ulids() {
        for value in [
            "01H9VNFTZD1T44TCSKGEBWNTZD",
            "01HWBCYJA11R3AA48K5V0DVM00",
            "02GFREWAWDFR3RG264H6QWERT5",
            "01J07X778EK4BH2M2A1VY4HCYF",
            "00000000000000000000000000",
            "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "01h9vnftzd1t44tcskgebwntzd",
            "01H9vnftzd1T44TCSKGEBWNTZD",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn reports_the_length() {
        assert_eq!(reason("01H9VNFTZD1T44TCSKGEBWNTZ"), "; found 25 characters");
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNTZDD"),
            "; found 27 characters"
        );
        assert_eq!(reason("0"), "; found 1 character");
        assert_eq!(
            reason("0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"),
            "; found 36 characters; this looks like a UUID"
        );
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNTZÉ"),
            "; `É` at position 26 is not one"
        );
    }

    #[test]
    fn reports_the_wrong_character_and_its_position() {
        assert_eq!(
            reason("0123IABCDEFGHJKMNPQRSTVWXY"),
            "; `I` at position 5 is not one"
        );
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNTzl"),
            "; `l` at position 26 is not one"
        );
        assert_eq!(
            reason("O1H9VNFTZD1T44TCSKGEBWNTZD"),
            "; `O` at position 1 is not one"
        );
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNTuD"),
            "; `u` at position 25 is not one"
        );
        assert_eq!(
            reason("01H9VNFTZD-T44TCSKGEBWNTZD"),
            "; `-` at position 11 is not one"
        );
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNT Z"),
            "; ` ` at position 25 is not one"
        );
        assert_eq!(
            reason("01H9VNFTZD1T44TCSKGEBWNTZé"),
            "; `é` at position 26 is not one"
        );
    }

    #[test]
    fn rejects_a_first_character_past_7() {
        assert_eq!(
            reason("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
            ", starting with 0-7; `8` first overflows 128 bits"
        );
        assert_eq!(
            reason("ZZZZZZZZZZZZZZZZZZZZZZZZZZ"),
            ", starting with 0-7; `Z` first overflows 128 bits"
        );
    }
}
