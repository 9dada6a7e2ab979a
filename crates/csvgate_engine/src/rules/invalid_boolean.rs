//! `invalid_boolean`: a `bool` value must be `true` or `false`, in any letter case.

use super::Expected;

/// Checks that `value` is `true` or `false`, case-insensitively (`TRUE` and `True` pass).
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
        return Ok(());
    }
    let meant = if ["yes", "y", "1"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w))
    {
        Some("true")
    } else if ["no", "n", "0"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w))
    {
        Some("false")
    } else {
        None
    };
    Err(Expected::new(match meant {
        Some(word) => format!("`true` or `false`; write `{word}` instead of `{value}`"),
        None => "`true` or `false` (any letter case)".to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_true_and_false_in_any_case() {
        for value in ["true", "false", "TRUE", "FALSE", "True", "False", "tRuE"] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn rejects_other_words() {
        for value in [
            "t",
            "f",
            "on",
            "off",
            "2",
            "truee",
            "vrai",
            "true false",
            "ｔｒｕｅ",
        ] {
            let err = check(value).unwrap_err();
            assert_eq!(err.0, "`true` or `false` (any letter case)", "{value}");
        }
    }

    #[test]
    fn names_the_word_meant_for_yes_no_and_digits() {
        assert_eq!(
            check("yes").unwrap_err().0,
            "`true` or `false`; write `true` instead of `yes`"
        );
        assert_eq!(
            check("Y").unwrap_err().0,
            "`true` or `false`; write `true` instead of `Y`"
        );
        assert_eq!(
            check("1").unwrap_err().0,
            "`true` or `false`; write `true` instead of `1`"
        );
        assert_eq!(
            check("NO").unwrap_err().0,
            "`true` or `false`; write `false` instead of `NO`"
        );
        assert_eq!(
            check("n").unwrap_err().0,
            "`true` or `false`; write `false` instead of `n`"
        );
        assert_eq!(
            check("0").unwrap_err().0,
            "`true` or `false`; write `false` instead of `0`"
        );
    }
}
