//! `invalid_list`: a delimited list value must not hold empty items (`a,,b`, `a,`, `,a`).

use super::Expected;

/// Checks that no item of the `delimiter`-separated `value` is empty after trimming.
pub(crate) fn check(value: &str, delimiter: char) -> Result<(), Expected> {
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

#[cfg(test)]
mod tests {
    use super::check;

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
    fn reports_the_first_empty_item() {
        assert_eq!(
            check("a,,b,,", ',').unwrap_err().0,
            "a `,`-separated list without empty items; item 2 is empty"
        );
    }
}
