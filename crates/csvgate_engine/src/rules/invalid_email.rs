//! `invalid_email`: an `email` value must look like `local@domain.tld` (a pragmatic
//! check, not full RFC 5322).

use super::Expected;

const FORM: &str = "an email address like name@example.com";

/// Checks that `value` is a pragmatic email address: one `@`, a non-empty local part,
/// and a dotted domain of letter/digit/hyphen labels ending in a non-numeric TLD of at
/// least two characters, with no spaces anywhere.
pub(crate) fn check(value: &str) -> Result<(), Expected> {
    if plainly_valid(value.as_bytes()) {
        return Ok(());
    }
    match problem(value) {
        None => Ok(()),
        Some(reason) => Err(Expected::new(format!("{FORM}; {reason}"))),
    }
}

/// Whether `value` is an ASCII address that [`problem`] accepts, in one pass over its
/// bytes: nearly every address in a real file is one, and `problem`'s several passes
/// over characters (which also word what is wrong) are then not needed. `false` only
/// means "ask `problem`".
fn plainly_valid(value: &[u8]) -> bool {
    let Some(at) = value.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&value[..at], &value[at + 1..]);
    // Printable ASCII without space: no white space, no control character. Folded
    // without stopping early, which the compiler turns into wide compares.
    if local.is_empty() || !local.iter().fold(true, |ok, b| ok & b.is_ascii_graphic()) {
        return false;
    }
    // The domain's labels in one pass: each of letters, digits and inner hyphens.
    let mut dots = 0;
    let mut label = 0;
    let mut digits_only = true;
    let mut previous = b'.';
    for &b in domain {
        if b == b'.' {
            if label == 0 || previous == b'-' {
                return false;
            }
            dots += 1;
            label = 0;
            digits_only = true;
        } else if b.is_ascii_alphanumeric() || (b == b'-' && label > 0) {
            label += 1;
            digits_only &= b.is_ascii_digit();
        } else {
            return false;
        }
        previous = b;
    }
    // The last label is the top-level domain.
    dots >= 1 && label >= 2 && previous != b'-' && !digits_only
}

/// What is wrong with `value`, or `None` when it is a valid address. Allocates only on
/// failure.
fn problem(value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| c.is_whitespace()) {
        return Some(if c == ' ' {
            "it contains a space".to_owned()
        } else {
            format!(
                "it contains the white-space character {}",
                c.escape_unicode()
            )
        });
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Some(format!(
            "it contains the control character {}",
            c.escape_unicode()
        ));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Some("there is no `@`".to_owned());
    };
    if domain.contains('@') {
        let count = value.matches('@').count();
        return Some(format!("there are {count} `@` signs; an address has one"));
    }
    if local.is_empty() {
        return Some("nothing comes before the `@`".to_owned());
    }
    if domain.is_empty() {
        return Some("nothing comes after the `@`".to_owned());
    }
    if !domain.contains('.') {
        return Some(format!(
            "the domain `{domain}` has no dot (like example.com)"
        ));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Some(format!(
                "the domain `{domain}` has an empty part between dots or at an end"
            ));
        }
        if let Some(c) = label.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
            return Some(format!(
                "the domain may hold only letters, digits, hyphens and dots, not `{c}`"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "the domain part `{label}` starts or ends with a hyphen"
            ));
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    if tld.chars().count() < 2 {
        return Some(format!(
            "the top-level domain `{tld}` is shorter than 2 characters"
        ));
    }
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("the top-level domain `{tld}` is all digits"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::check;

    /// The reason part of the message for `value`.
    fn reason(value: &str) -> String {
        super::super::testing::reason(check, "an email address like name@example.com; ", value)
    }

    #[test]
    fn the_one_pass_check_accepts_nothing_the_full_one_rejects() {
        let pieces = [
            "a", "Z9", "1", "-", "@", ".", " ", "\t", "é", "\u{7F}", "_", "+", "'",
        ];
        let mut next = crate::testing::picker(0x2545_F491_4F6C_DD1D_u64);
        let mut accepted = 0;
        for _ in 0..50_000 {
            // Shaped like an address (parts joined by `@` and dots), made of pieces that
            // are mostly letters and digits, sometimes anything.
            let part = |next: &mut dyn FnMut(usize) -> usize| {
                (0..next(4))
                    .map(|_| {
                        pieces[if next(3) == 0 {
                            next(pieces.len())
                        } else {
                            next(3)
                        }]
                    })
                    .collect::<String>()
            };
            let mut value = part(&mut next);
            value.push('@');
            value.push_str(&part(&mut next));
            for _ in 0..next(4) {
                value.push('.');
                value.push_str(&part(&mut next));
            }
            if super::plainly_valid(value.as_bytes()) {
                assert_eq!(super::problem(&value), None, "{value:?}");
                accepted += 1;
            }
        }
        assert!(
            accepted > 1000,
            "only {accepted} generated addresses were valid"
        );
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for value in [
            "ayden@example.com",
            "john.doe@example.com",
            "aaron.ellis@itadminbalkan.onmicrosoft.com",
            "first+tag@sub.example.co.uk",
            "a@b.io",
            "o'brien@example.ie",
            "x_y-z@my-host.example",
            "user@123.example.com",
            "user@example.xn--p1ai",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn accepts_non_ascii_letters() {
        for value in [
            "jürgen@müller.de",
            "用户@例子.广告",
            "θσερ@παράδειγμα.δοκιμή",
            "josé.garcía@correo.es",
        ] {
            assert_eq!(check(value), Ok(()), "{value}");
        }
    }

    #[test]
    fn says_when_the_at_sign_is_missing_or_doubled() {
        assert_eq!(reason("ayden.example.com"), "there is no `@`");
        assert_eq!(
            reason("a@b@example.com"),
            "there are 2 `@` signs; an address has one"
        );
        assert_eq!(
            reason("a@@example.com"),
            "there are 2 `@` signs; an address has one"
        );
    }

    #[test]
    fn says_which_side_is_empty() {
        assert_eq!(reason("@example.com"), "nothing comes before the `@`");
        assert_eq!(reason("ayden@"), "nothing comes after the `@`");
    }

    #[test]
    fn rejects_spaces_anywhere() {
        assert_eq!(reason("ayden @example.com"), "it contains a space");
        assert_eq!(reason("Jane Doe <jane@example.com>"), "it contains a space");
        assert_eq!(reason("ayden@exa mple.com"), "it contains a space");
        assert_eq!(
            reason("ayden@example.com\u{a0}x"),
            "it contains the white-space character \\u{a0}"
        );
        assert_eq!(
            reason("ay\u{7}den@example.com"),
            "it contains the control character \\u{7}"
        );
    }

    #[test]
    fn checks_the_domain() {
        assert_eq!(
            reason("ayden@localhost"),
            "the domain `localhost` has no dot (like example.com)"
        );
        assert_eq!(
            reason("ayden@example..com"),
            "the domain `example..com` has an empty part between dots or at an end"
        );
        assert_eq!(
            reason("ayden@.example.com"),
            "the domain `.example.com` has an empty part between dots or at an end"
        );
        assert_eq!(
            reason("ayden@example.com."),
            "the domain `example.com.` has an empty part between dots or at an end"
        );
        assert_eq!(
            reason("ayden@exa_mple.com"),
            "the domain may hold only letters, digits, hyphens and dots, not `_`"
        );
        assert_eq!(
            reason("<ayden@example.com>"),
            "the domain may hold only letters, digits, hyphens and dots, not `>`"
        );
        assert_eq!(
            reason("ayden@-example.com"),
            "the domain part `-example` starts or ends with a hyphen"
        );
        assert_eq!(
            reason("ayden@example-.com"),
            "the domain part `example-` starts or ends with a hyphen"
        );
    }

    #[test]
    fn checks_the_top_level_domain() {
        assert_eq!(
            reason("ayden@example.c"),
            "the top-level domain `c` is shorter than 2 characters"
        );
        assert_eq!(
            reason("ayden@10.0.0.1"),
            "the top-level domain `1` is shorter than 2 characters"
        );
        assert_eq!(
            reason("ayden@example.123"),
            "the top-level domain `123` is all digits"
        );
        assert_eq!(check("ayden@例子.中国"), Ok(()));
    }
}
