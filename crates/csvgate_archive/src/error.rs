//! Why an archive, or one of its members, is not read.

use std::io;

use zip::result::ZipError;
use zip::CompressionMethod;

use crate::limits::amount;

/// Why an archive cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The archive file could not be read.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The archive is larger than [`Limits::archive_bytes`](crate::Limits).
    #[error(
        "the archive is {}, over csvgate's limit of {} for an archive (archives are read \
         into memory): unpack it and check its CSV files",
        .size.map_or_else(|| "larger than that".to_owned(), amount),
        amount(*.limit)
    )]
    TooLarge {
        /// Its size, when the file system told it before reading.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// The bytes are not a zip archive, or its central directory is damaged.
    #[error(transparent)]
    Zip(#[from] ZipError),
}

impl From<ArchiveError> for io::Error {
    /// An I/O error as it was, anything else as an error of its own kind.
    fn from(err: ArchiveError) -> io::Error {
        match err {
            ArchiveError::Io(err) => err,
            other => io::Error::other(other),
        }
    }
}

/// Why a member is not read, or stopped being read. Each message names the member as
/// [`shown`](crate::shown) shows it.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Its central-directory record could not be read.
    #[error(transparent)]
    Zip(#[from] ZipError),
    /// It claims more compressed bytes than the whole archive holds.
    #[error(
        "member {name} claims {} of compressed data, more than the whole archive: the \
         archive is damaged or hostile",
        amount(*.compressed)
    )]
    ClaimsMoreThanArchive {
        /// The member, as shown.
        name: String,
        /// The compressed size it claims.
        compressed: u64,
    },
    /// It is encrypted.
    #[error("member {name} is encrypted: csvgate cannot read it")]
    Encrypted {
        /// The member, as shown.
        name: String,
    },
    /// It is compressed with a method other than stored or deflated.
    #[error(
        "member {name} is compressed with {method}: csvgate cannot read it (it reads \
         stored and deflated members: re-create the archive with the usual zip compression)"
    )]
    Unsupported {
        /// The member, as shown.
        name: String,
        /// Its compression method.
        method: CompressionMethod,
    },
    /// It declares more than [`Limits::member_bytes`](crate::Limits).
    #[error(
        "member {name} declares {} uncompressed, over csvgate's limit of {} for one \
         member: csvgate does not decompress it",
        amount(*.size),
        amount(*.limit)
    )]
    TooLarge {
        /// The member, as shown.
        name: String,
        /// Its declared uncompressed size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// It expands more than [`Limits::ratio`](crate::Limits)-fold: a zip bomb.
    #[error(
        "member {name} expands {}-fold ({} compressed to {}), over csvgate's limit of \
         {limit}: it looks like a zip bomb, so csvgate does not decompress it",
        .size / (*.compressed).max(1),
        amount(*.compressed),
        amount(*.size)
    )]
    Bomb {
        /// The member, as shown.
        name: String,
        /// Its declared uncompressed size.
        size: u64,
        /// Its compressed size.
        compressed: u64,
        /// The highest ratio accepted.
        limit: u64,
    },
    /// It would take the archive's members past [`Limits::total_bytes`](crate::Limits).
    #[error(
        "member {name} declares {} uncompressed, which would take the archive's members \
         past csvgate's limit of {} together: csvgate does not decompress it",
        amount(*.size),
        amount(*.limit)
    )]
    OverTotal {
        /// The member, as shown.
        name: String,
        /// Its declared uncompressed size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Its data could not be opened (a damaged local header, say).
    #[error("member {name} cannot be opened: {source}")]
    Open {
        /// The member, as shown.
        name: String,
        /// What the zip reader said.
        source: ZipError,
    },
    /// More bytes came out of it than it declared (inside an [`io::Error`] of kind
    /// `InvalidData`, from a [`MemberReader`](crate::MemberReader)).
    #[error(
        "member {name} holds more than the {} its header declares: the archive is \
         damaged or hostile",
        amount(*.declared)
    )]
    Overflow {
        /// The member, as shown.
        name: String,
        /// Its declared uncompressed size.
        declared: u64,
    },
    /// Its data could not be decompressed: a bad checksum, damaged data (inside an
    /// [`io::Error`] of the same kind, from a [`MemberReader`](crate::MemberReader)).
    #[error("member {name} cannot be read: {source}")]
    Read {
        /// The member, as shown.
        name: String,
        /// What the decompressor said.
        source: io::Error,
    },
}

impl From<MemberError> for io::Error {
    /// An error of kind `InvalidData` for an overflow, the inner error's kind for a
    /// read, else an error of its own kind.
    fn from(err: MemberError) -> io::Error {
        let kind = match &err {
            MemberError::Overflow { .. } => io::ErrorKind::InvalidData,
            MemberError::Read { source, .. } => source.kind(),
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, err)
    }
}
