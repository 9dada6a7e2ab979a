//! Zip archives as hostile data: read in memory within limits, never written anywhere.
//!
//! An archive's sizes, flags and names are claims. [`Archive`] holds the archive's
//! bytes (refusing an archive larger than [`Limits::archive_bytes`] before reading it
//! whole), lists its members from the central directory ([`Archive::members`]), and
//! decides from the central directory alone whether a member may be opened at all
//! (encryption, compression method, declared size, compression ratio, what the
//! archive's members may hold together). A member it admits is read through a
//! [`MemberReader`] that counts the bytes really coming out of the decompressor, so a
//! member that lies about its size fails with a read error as soon as it passes its
//! claim.
//!
//! Member names are only labels: they are kept as text, never joined to a path, and
//! nothing is written to disk.
//!
//! ```
//! use csvgate_archive::{Archive, Limits};
//!
//! // An empty archive: the end-of-central-directory record alone.
//! let mut bytes = b"PK\x05\x06".to_vec();
//! bytes.extend([0; 18]);
//! let archive = Archive::from_bytes(bytes, Limits::default()).unwrap();
//! assert!(archive.members().is_empty());
//! ```
#![deny(missing_docs)]

mod archive;
mod bounded;
mod error;
mod limits;

pub use archive::{Archive, Member, MemberReader};
pub use error::{ArchiveError, MemberError};
pub use limits::{amount, Limits};

/// How messages show a member's name: as given (`../x.csv`, `/abs.csv` and `a\b.csv`
/// stay so), except control characters, escaped so that a name cannot move the
/// cursor, clear the line or forge a line of output.
#[must_use]
pub fn shown(name: &str) -> String {
    if !name.chars().any(char::is_control) {
        return name.to_owned();
    }
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shown_as_given_but_control_characters_escaped() {
        assert_eq!(shown("../escape.csv"), "../escape.csv");
        assert_eq!(shown("/abs/path.csv"), "/abs/path.csv");
        assert_eq!(shown("dir\\evil.csv"), "dir\\evil.csv");
        assert_eq!(shown("a\u{1b}[2Kb\n.csv"), "a\\u{1b}[2Kb\\n.csv");
    }
}
