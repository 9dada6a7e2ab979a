//! How much of an archive is read: the limits, and how messages show byte counts.

/// What csvgate reads of an archive at most. [`Limits::default`] holds csvgate's own
/// limits; tests and the fuzz target use smaller ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest archive read: the whole archive is held in memory.
    pub archive_bytes: u64,
    /// The largest uncompressed size one member may declare.
    pub member_bytes: u64,
    /// The most the members opened from one archive may declare together, uncompressed.
    pub total_bytes: u64,
    /// The highest compression ratio (uncompressed / compressed size) accepted for a
    /// member larger than [`Limits::ratio_floor_bytes`].
    pub ratio: u64,
    /// Members up to this uncompressed size are never refused for their ratio.
    pub ratio_floor_bytes: u64,
}

impl Limits {
    /// The largest archive csvgate reads: 1 GiB.
    pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;
    /// The largest uncompressed size one member may declare: 16 GiB.
    pub const MAX_MEMBER_BYTES: u64 = 16 << 30;
    /// The most an archive's members may declare together: 64 GiB.
    pub const MAX_TOTAL_BYTES: u64 = 64 << 30;
    /// The highest compression ratio: 1000. Deflate cannot pass about 1032, so only
    /// runs of one repeated byte (a zip bomb) come near it; real CSV files stay far
    /// below.
    pub const MAX_RATIO: u64 = 1000;
    /// The size up to which the ratio is not looked at: 8 MiB.
    pub const RATIO_FLOOR_BYTES: u64 = 8 << 20;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            archive_bytes: Limits::MAX_ARCHIVE_BYTES,
            member_bytes: Limits::MAX_MEMBER_BYTES,
            total_bytes: Limits::MAX_TOTAL_BYTES,
            ratio: Limits::MAX_RATIO,
            ratio_floor_bytes: Limits::RATIO_FLOOR_BYTES,
        }
    }
}

/// A byte count for a message: exact GiB or MiB when it is one, else bytes.
#[must_use]
pub fn amount(bytes: u64) -> String {
    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;
    if bytes >= GIB && bytes.is_multiple_of(GIB) {
        format!("{} GiB", bytes / GIB)
    } else if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_units_or_bytes() {
        assert_eq!(amount(1 << 30), "1 GiB");
        assert_eq!(amount(64 << 30), "64 GiB");
        assert_eq!(amount(8 << 20), "8 MiB");
        assert_eq!(amount((1 << 20) + 1), "1048577 bytes");
        assert_eq!(amount(0), "0 bytes");
    }
}
