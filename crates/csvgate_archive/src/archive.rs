//! An archive held in memory, its members listed and opened within limits.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use zip::read::{ZipFile, ZipFileEntry};
use zip::{CompressionMethod, ZipArchive};

use crate::bounded::Bounded;
use crate::error::{ArchiveError, MemberError};
use crate::limits::Limits;
use crate::shown;

/// The most a member's size hint (by which a reader may reserve memory) may be, as a
/// multiple of its compressed size: the declared size is only a claim, the compressed
/// bytes are really in the archive.
const HINT_RATIO: u64 = 32;

/// A zip archive read into memory, with the limits its members are opened within.
pub struct Archive {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    /// The archive's size.
    bytes: u64,
    members: Vec<Member>,
    limits: Limits,
    /// What the members still to open may declare together.
    budget: u64,
}

/// A member of an archive (a file, not a folder), as its central directory lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Its index in the archive.
    pub index: usize,
    /// Its name as the archive gives it (not decodable: its bytes, lossily). Only a
    /// label: `../x.csv` or `/etc/x.csv` names nothing on disk.
    pub name: String,
    /// Its name as messages show it ([`shown`]).
    pub label: Arc<str>,
}

impl Archive {
    /// Reads the archive file at `path` whole, refusing one larger than
    /// [`Limits::archive_bytes`] before allocating for it (and reading at most one byte
    /// past the limit, whatever the file system said).
    ///
    /// # Errors
    ///
    /// Reading the file, an archive over the limit, or bytes that are not a zip archive.
    pub fn read_file(path: &Path, limits: Limits) -> Result<Archive, ArchiveError> {
        let file = File::open(path)?;
        let declared = file.metadata()?.len();
        let limit = limits.archive_bytes;
        if declared > limit {
            return Err(ArchiveError::TooLarge {
                size: Some(declared),
                limit,
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        Archive::from_bytes(bytes, limits)
    }

    /// The archive in `bytes`: its central directory read, its members listed.
    ///
    /// # Errors
    ///
    /// An archive over [`Limits::archive_bytes`], or bytes that are not a zip archive.
    pub fn from_bytes(bytes: Vec<u8>, limits: Limits) -> Result<Archive, ArchiveError> {
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > limits.archive_bytes {
            return Err(ArchiveError::TooLarge {
                size: None,
                limit: limits.archive_bytes,
            });
        }
        let zip = ZipArchive::new(Cursor::new(bytes))?;
        // Entries in the archive's own order; folders are not members. The central
        // directory's records only: no member is opened (nor its local header read).
        let mut members = Vec::new();
        for index in 0..zip.len() {
            let entry = zip.by_index_data(index)?;
            if !entry.is_dir() {
                let name = member_name(&entry);
                let label = shown(&name).into();
                members.push(Member { index, name, label });
            }
        }
        Ok(Archive {
            zip,
            bytes: size,
            members,
            limits,
            budget: limits.total_bytes,
        })
    }

    /// The members, in the archive's order.
    #[must_use]
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// The limits the archive is read within.
    #[must_use]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What the members opened so far declared together.
    #[must_use]
    pub fn declared_bytes(&self) -> u64 {
        self.limits.total_bytes - self.budget
    }

    /// Decides from the central directory whether `member` (one of
    /// [`Archive::members`]) may be read and if so opens it, bounded by its declared
    /// size, which counts against [`Limits::total_bytes`].
    ///
    /// # Errors
    ///
    /// Why the member is not read: see [`MemberError`].
    pub fn open(&mut self, member: &Member) -> Result<MemberReader<'_>, MemberError> {
        let label = member.label.clone();
        let name = || label.to_string();
        let entry = self.zip.by_index_data(member.index)?;
        let size = entry.size();
        let compressed = entry.compressed_size();
        if compressed > self.bytes {
            return Err(MemberError::ClaimsMoreThanArchive {
                name: name(),
                compressed,
            });
        }
        admit(
            &self.limits,
            &label,
            entry.encrypted(),
            entry.compression(),
            size,
            compressed,
            self.budget,
        )?;
        self.budget -= size;
        let file = self
            .zip
            .by_index(member.index)
            .map_err(|source| MemberError::Open {
                name: name(),
                source,
            })?;
        Ok(MemberReader {
            inner: Bounded::new(file, size, label),
            size_hint: size.min(compressed.saturating_mul(HINT_RATIO)),
        })
    }
}

/// A member being read: decompressed, its bytes counted, failing with a read error
/// (a [`MemberError`] inside an [`io::Error`]) once more come out than it declared.
pub struct MemberReader<'a> {
    inner: Bounded<ZipFile<'a, Cursor<Vec<u8>>>>,
    size_hint: u64,
}

impl MemberReader<'_> {
    /// How large to expect the member to be: its declared size, believed up to 32 times
    /// its compressed size. A reader that reserves memory by it reserves no more.
    #[must_use]
    pub fn size_hint(&self) -> u64 {
        self.size_hint
    }

    /// The bytes that came out so far: never more than the member declared.
    #[must_use]
    pub fn read_bytes(&self) -> u64 {
        self.inner.read_bytes()
    }
}

impl Read for MemberReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

/// The member's name as the archive gives it (not decodable: its bytes, lossily).
fn member_name(entry: &ZipFileEntry<'_>) -> String {
    entry.name().map_or_else(
        |_| String::from_utf8_lossy(entry.name_raw()).into_owned(),
        |name| name.into_owned(),
    )
}

/// Whether a member with these central-directory claims may be read, `budget` bytes
/// being left for the archive's members.
fn admit(
    limits: &Limits,
    label: &str,
    encrypted: bool,
    method: CompressionMethod,
    size: u64,
    compressed: u64,
    budget: u64,
) -> Result<(), MemberError> {
    let name = label.to_owned();
    if encrypted {
        return Err(MemberError::Encrypted { name });
    }
    if !matches!(
        method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        return Err(MemberError::Unsupported { name, method });
    }
    if size > limits.member_bytes {
        return Err(MemberError::TooLarge {
            name,
            size,
            limit: limits.member_bytes,
        });
    }
    if size > limits.ratio_floor_bytes && size / compressed.max(1) > limits.ratio {
        return Err(MemberError::Bomb {
            name,
            size,
            compressed,
            limit: limits.ratio,
        });
    }
    if size > budget {
        return Err(MemberError::OverTotal {
            name,
            size,
            limit: limits.total_bytes,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(name)
    }

    #[test]
    fn an_archive_over_the_limit_is_refused_before_it_is_read() {
        let path = fixture("hostile/bomb.zip");
        let small = Limits {
            archive_bytes: 1024,
            ..Limits::default()
        };
        let err = Archive::read_file(&path, small)
            .err()
            .expect("over the limit");
        assert!(matches!(err, ArchiveError::TooLarge { size: Some(_), .. }));
        assert!(
            err.to_string()
                .contains("over csvgate's limit of 1024 bytes"),
            "{err}"
        );
        let bytes = std::fs::read(&path).expect("the fixture");
        let err = Archive::from_bytes(bytes, small)
            .err()
            .expect("over the limit");
        assert!(err
            .to_string()
            .starts_with("the archive is larger than that"));
        assert!(Archive::read_file(&path, Limits::default()).is_ok());
    }

    #[test]
    fn claims_are_checked_before_a_member_is_opened() {
        let limits = Limits::default();
        let total = limits.total_bytes;
        let deflated = CompressionMethod::Deflated;
        let admit = |encrypted, method, size, compressed, budget| {
            admit(
                &limits, "a.csv", encrypted, method, size, compressed, budget,
            )
        };
        assert!(admit(false, deflated, 100, 50, total).is_ok());
        let refused = |result: Result<(), MemberError>, needle: &str| {
            let err = result.expect_err(needle).to_string();
            assert!(err.contains(needle), "{err}");
        };
        refused(
            admit(true, deflated, 100, 50, total),
            "member a.csv is encrypted: csvgate cannot read it",
        );
        refused(
            admit(false, CompressionMethod::BZIP2, 100, 50, total),
            "compressed with Bzip2",
        );
        refused(
            admit(
                false,
                deflated,
                Limits::MAX_MEMBER_BYTES + 1,
                Limits::MAX_MEMBER_BYTES,
                total,
            ),
            "limit of 16 GiB for one member",
        );
        refused(admit(false, deflated, 64 << 20, 1 << 15, total), "zip bomb");
        // Highly compressible but small: read (and counted).
        assert!(admit(false, deflated, Limits::RATIO_FLOOR_BYTES, 1, total).is_ok());
        refused(
            admit(false, deflated, 100, 50, 99),
            "limit of 64 GiB together",
        );
    }

    #[test]
    fn members_are_names_in_the_archive_order_and_folders_are_not_members() {
        let archive =
            Archive::read_file(&fixture("hostile/names.zip"), Limits::default()).expect("read");
        let names: Vec<&str> = archive.members().iter().map(|m| m.name.as_str()).collect();
        assert!(names.contains(&"../escape.csv"), "{names:?}");
        assert!(names.contains(&"/abs/path.csv"), "{names:?}");
        assert!(names.iter().all(|n| !n.ends_with('/')), "{names:?}");
    }

    #[test]
    fn members_are_read_within_the_total_and_counted() {
        let path = fixture("hostile/names.zip");
        let mut archive = Archive::read_file(&path, Limits::default()).expect("read");
        let members = archive.members().to_vec();
        let mut read = 0;
        for member in &members {
            let mut reader = archive.open(member).expect("admitted");
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes).expect("read whole");
            assert_eq!(reader.read_bytes(), bytes.len() as u64);
            read += bytes.len() as u64;
        }
        assert_eq!(archive.declared_bytes(), read);

        // Room for the first member only: the next is refused before it is opened.
        let first = members[0].clone();
        let size = {
            let mut archive = Archive::read_file(&path, Limits::default()).expect("read");
            let mut bytes = Vec::new();
            let mut reader = archive.open(&first).expect("admitted");
            reader.read_to_end(&mut bytes).expect("read whole");
            bytes.len() as u64
        };
        let tight = Limits {
            total_bytes: size,
            ..Limits::default()
        };
        let mut archive = Archive::read_file(&path, tight).expect("read");
        assert!(archive.open(&first).is_ok());
        let err = archive.open(&members[1]).err().expect("over the total");
        assert!(matches!(err, MemberError::OverTotal { .. }), "{err}");
    }

    #[test]
    fn a_member_that_lies_about_its_size_stops_at_its_claim() {
        let mut archive = Archive::read_file(&fixture("hostile/lying-size.zip"), Limits::default())
            .expect("read");
        let liar = archive
            .members()
            .iter()
            .find(|m| m.name == "liar.csv")
            .cloned()
            .expect("liar.csv");
        let mut reader = archive.open(&liar).expect("admitted by its claims");
        let mut bytes = Vec::new();
        let err = reader.read_to_end(&mut bytes).expect_err("past its claim");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(
            bytes.len() <= 64 && reader.read_bytes() <= 64,
            "{}",
            bytes.len()
        );
    }

    #[test]
    fn encrypted_unsupported_and_bomb_members_are_refused_by_their_claims() {
        for (zip, member, expect) in [
            ("encrypted.zip", "secret.csv", "is encrypted"),
            ("bzip2.zip", "packed.csv", "compressed with Bzip2"),
            ("bomb.zip", "bomb.csv", "zip bomb"),
        ] {
            let mut archive =
                Archive::read_file(&fixture(&format!("hostile/{zip}")), Limits::default())
                    .expect("read");
            let member = archive
                .members()
                .iter()
                .find(|m| m.name == member)
                .cloned()
                .expect("the member");
            let err = archive.open(&member).err().expect(expect).to_string();
            assert!(err.contains(expect), "{err}");
            assert_eq!(archive.declared_bytes(), 0);
            let ok = archive
                .members()
                .iter()
                .find(|m| m.name == "ok.csv")
                .cloned()
                .expect("ok.csv");
            assert!(archive.open(&ok).is_ok(), "{zip}");
        }
    }

    #[test]
    fn bytes_that_are_not_an_archive_are_an_error() {
        assert!(matches!(
            Archive::from_bytes(b"name,email\n".to_vec(), Limits::default()),
            Err(ArchiveError::Zip(_))
        ));
    }
}
