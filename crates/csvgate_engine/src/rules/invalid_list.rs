//! `invalid_list`: a delimited list value must not hold empty items (`a,,b`, `a,`, `,a`).

use super::Expected;

/// Checks that no item of the `delimiter`-separated `value` is empty after trimming.
pub(crate) fn check(value: &str, delimiter: char) -> Result<(), Expected> {
    if plainly_valid(value.as_bytes(), delimiter) {
        return Ok(());
    }
    let Some(index) = value
        .split(delimiter)
        .position(|item| item.trim().is_empty())
    else {
        return Ok(());
    };
    let shown = if delimiter == '\t' {
        "tab".to_owned()
    } else {
        format!("`{delimiter}`")
    };
    let item = index + 1;
    let count = value.split(delimiter).count();
    let place = if index == 0 {
        format!(" (the list starts with a {shown})")
    } else if item == count {
        format!(" (the list ends with a {shown})")
    } else {
        String::new()
    };
    Err(Expected::new(format!(
        "a {shown}-separated list without empty items; item {item} is empty{place}"
    )))
}

/// Whether every item of an ASCII list holds printable ASCII, found in one pass over
/// the bytes (splitting and trimming each item costs several times that). `false`
/// means "look closer": an empty or blank item, or a byte past ASCII, which may be
/// Unicode white space.
fn plainly_valid(value: &[u8], delimiter: char) -> bool {
    if !delimiter.is_ascii() {
        return false;
    }
    let delimiter = delimiter as u8;
    let mut item_has_text = false;
    for &byte in value {
        if byte == delimiter {
            if !item_has_text {
                return false;
            }
            item_has_text = false;
        } else if byte.is_ascii_graphic() {
            item_has_text = true;
        } else if !byte.is_ascii_whitespace() {
            return false;
        }
    }
    item_has_text
}

#[cfg(test)]
mod tests {
    use super::{check, plainly_valid};

    #[test]
    fn accepts_lists_without_empty_items() {
        for value in ["a", "a,b", "a, b ,c", "prod,staging", "Zürich,東京", "a;b"] {
            assert_eq!(check(value, ','), Ok(()), "{value}");
        }
        assert_eq!(check("a;b; c", ';'), Ok(()));
        assert_eq!(check("a\tb", '\t'), Ok(()));
        assert_eq!(check("a,,b", ';'), Ok(()));
    }

    #[test]
    fn names_the_empty_item() {
        assert_eq!(
            check("a,,b", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 2 is empty"
        );
        assert_eq!(
            check("a, ,b", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 2 is empty"
        );
        assert_eq!(
            check("a,", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 2 is empty (the list ends with a `,`)"
        );
        assert_eq!(
            check(",a", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 1 is empty (the list starts with a `,`)"
        );
        assert_eq!(
            check("ä;ö;;ü", ';').unwrap_err().0,
            "a `;`-separated list without empty items; item 3 is empty"
        );
        assert_eq!(
            check("a\t\tb", '\t').unwrap_err().0,
            "a tab-separated list without empty items; item 2 is empty"
        );
    }

    #[test]
    fn the_fast_path_never_passes_a_list_the_full_check_fails() {
        let pieces = [
            "a", "b", ",", ";", " ", "\t", "\u{A0}", "é", "\u{3000}", "\x0B",
        ];
        let mut picker = crate::testing::picker(11);
        for _ in 0..20_000 {
            let value: String = (0..picker(7))
                .map(|_| pieces[picker(pieces.len())])
                .collect();
            for delimiter in [',', ';', '\t', '|'] {
                let full = value.split(delimiter).all(|item| !item.trim().is_empty());
                if plainly_valid(value.as_bytes(), delimiter) {
                    assert!(full, "{value:?} split on {delimiter:?}");
                }
                assert_eq!(check(&value, delimiter).is_ok(), full, "{value:?}");
            }
        }
    }

    #[test]
    fn reports_the_first_empty_item() {
        assert_eq!(
            check("a,,b,,", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 2 is empty"
        );
    }
}
