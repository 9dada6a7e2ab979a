//! A finding's fingerprint: the same 32 hex digits for the same finding on every run,
//! machine and csvgate version, so that a CI system (GitLab's Code Quality widget,
//! GitHub code scanning through SARIF's `partialFingerprints`) can tell a finding it
//! has seen before from a new one.
//!
//! It is FNV-1a (128-bit) over the finding's identity: rule, file, zip member, line,
//! column, record, field and message, each marked present or absent and ended by a
//! byte that UTF-8 never holds, so no two different identities run together. Severity,
//! help and related places are left out: a schema that raises a warning to an error
//! still has the same finding. A keyed or randomly seeded hash would not do: the value
//! is stored by the CI system and compared across runs.

use std::fmt;

use csvgate_diagnostics::Finding;

/// The fingerprint of `finding`; its `Display` is 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint(u128);

impl Fingerprint {
    pub(crate) fn of(finding: &Finding) -> Fingerprint {
        let location = &finding.location;
        let mut hash = Fnv1a128::new();
        hash.part(Some(finding.rule.name()));
        hash.part(Some(&location.file));
        hash.part(location.member.as_deref());
        hash.number(location.line);
        hash.number(location.column);
        hash.number(location.record);
        hash.part(location.field.as_deref());
        hash.part(Some(&finding.message));
        Fingerprint(hash.0)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// FNV-1a with the 128-bit parameters of the FNV specification, fed with parts
/// (text, or its absence), each marked present or absent and ended by a byte that UTF-8
/// never holds, so that no two different sequences of parts run together.
///
/// The same parts give the same value on every run, machine and csvgate version: it
/// is for values stored and compared across runs (the fingerprints here, the
/// command's baseline file), not for hash tables.
#[derive(Debug, Clone)]
pub struct Fnv1a128(u128);

impl Default for Fnv1a128 {
    fn default() -> Self {
        Fnv1a128::new()
    }
}

impl Fnv1a128 {
    const OFFSET_BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    /// Ends every part: never a byte of UTF-8 text.
    const END: u8 = 0xff;

    /// A hash of no parts yet.
    pub fn new() -> Fnv1a128 {
        Fnv1a128(Self::OFFSET_BASIS)
    }

    /// The hash of the parts so far.
    pub fn value(&self) -> u128 {
        self.0
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Text, or its absence (which differs from the empty text).
    pub fn part(&mut self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.bytes(b"+");
                self.bytes(text.as_bytes());
            }
            None => self.bytes(b"-"),
        }
        self.bytes(&[Self::END]);
    }

    /// A number, as decimal text, or its absence.
    fn number(&mut self, number: Option<u64>) {
        self.part(number.map(|n| n.to_string()).as_deref());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use csvgate_diagnostics::{Finding, Rule, Severity};

    use super::{Fingerprint, Fnv1a128};

    fn fnv(bytes: &[u8]) -> String {
        let mut hash = Fnv1a128::new();
        hash.bytes(bytes);
        format!("{:032x}", hash.0)
    }

    #[test]
    fn fnv1a_128_matches_the_reference_vectors() {
        assert_eq!(fnv(b""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fnv(b"a"), "d228cb696f1a8caf78912b704e4a8964");
        assert_eq!(fnv(b"foobar"), "343e1662793c64bf6f0d3597ba446f18");
    }

    fn finding() -> Finding {
        let mut finding = Finding::new(Rule::InvalidBoolean, "Privilege Value \"yes\"");
        finding.location.file = Arc::from("people.csv");
        finding.location.line = Some(3);
        finding.location.column = Some(17);
        finding.location.record = Some(2);
        finding.location.field = Some("Privilege Value".into());
        finding
    }

    #[test]
    fn a_fingerprint_is_pinned() {
        // The value CI systems have stored: changing it makes every finding look new.
        // (Worked out independently: FNV-1a 128 over
        // `+invalid-boolean\xff+people.csv\xff-\xff+3\xff+17\xff+2\xff+Privilege Value\xff+Privilege Value "yes"\xff`.)
        assert_eq!(
            Fingerprint::of(&finding()).to_string(),
            "0b32deefd85c03f42c8db9875bdfea06"
        );
    }

    #[test]
    fn identity_parts_change_it_and_the_rest_does_not() {
        let base = Fingerprint::of(&finding());
        let changed: [fn(&mut Finding); 8] = [
            |f| f.rule = Rule::InvalidEmail,
            |f| f.location.file = Arc::from("other.csv"),
            |f| f.location.member = Some(Arc::from("people.csv")),
            |f| f.location.line = Some(4),
            |f| f.location.column = None,
            |f| f.location.record = Some(3),
            |f| f.location.field = Some(String::new()),
            |f| f.message.push('!'),
        ];
        for change in changed {
            let mut other = finding();
            change(&mut other);
            assert_ne!(Fingerprint::of(&other), base, "{other:?}");
        }
        let mut same = finding();
        same.severity = Severity::Warning;
        same.help = Some("write true or false".into());
        assert_eq!(Fingerprint::of(&same), base);
    }

    #[test]
    fn parts_do_not_run_together() {
        let mut a = finding();
        a.location.file = Arc::from("ab");
        a.location.field = Some("c".into());
        let mut b = finding();
        b.location.file = Arc::from("a");
        b.location.field = Some("bc".into());
        assert_ne!(Fingerprint::of(&a), Fingerprint::of(&b));
    }
}
