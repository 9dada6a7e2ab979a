//! The tables behind the cross-row rules: each maps the 128-bit hash of a key (a
//! row's values, a unique key, an identity) to where it was first seen.
//!
//! Why not a `HashMap`: on a large file these tables outgrow every cache, so each
//! lookup is a trip to memory, and that trip is most of what the cross-row rules
//! cost. A general map makes two (its control bytes, then its entry); this one makes
//! one, since the key is already a good hash: it picks a bucket, one cache line of
//! four 16-byte entries held inline, and the key is in it unless it was full. And
//! the bucket of a key is known before the lookup, so a batch of records can
//! [`touch`](KeyTable::touch) all theirs first, letting the processor fetch them in
//! parallel instead of one after another. The table is sized to its keys, not to a
//! power of two: on a large file its pages are most of the run's memory, and each is
//! cleared by the system before first use.
//!
//! An entry keeps 96 of the hash's bits: two distinct keys share them with a chance
//! of about n²/2⁹⁷ for n keys, that is never in practice (10⁻¹¹ for a billion rows).

use std::sync::OnceLock;

use foldhash::HashMap;

/// A 128-bit hash as two words.
pub(crate) type Hash128 = [u64; 2];

/// A stable-for-this-run 128-bit hash of `bytes`.
///
/// The seed is drawn once per process, so that a crafted file cannot aim its keys at
/// one slot (the table's slot comes straight from the hash); nothing a run reports
/// depends on it.
pub(crate) fn hash128(bytes: &[u8]) -> Hash128 {
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = SEED.get_or_init(|| {
        use std::hash::BuildHasher;
        std::collections::hash_map::RandomState::new().hash_one(1_u8)
    });
    let hash = xxhash_rust::xxh3::xxh3_128_with_seed(bytes, *seed);
    [(hash >> 64) as u64, hash as u64]
}

/// One slot: empty while `tag` is 0.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The hash's first word, its lowest bit set (so that it is never 0).
    tag: u64,
    /// The top half of the hash's second word.
    check: u32,
    value: u32,
}

/// The slots in a [`Bucket`].
const BUCKET_SLOTS: usize = 4;

/// One cache line of slots, filled from the first: a key's slot is in the bucket its
/// hash picks, or (that one full) the next with room.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    slots: [Slot; BUCKET_SLOTS],
}

/// Where a probe for a key ends: at its value, or at the free slot it would take.
enum Probe {
    Found(u32),
    Free { bucket: usize, slot: usize },
}

/// An open-addressing table from a key's hash to a `u32`.
#[derive(Default)]
pub(crate) struct KeyTable {
    /// Any number of buckets (none at first): sized to the keys, not to a power of
    /// two, since on a large file the table's size is what costs (every page of it is
    /// cleared by the system before first use).
    buckets: Vec<Bucket>,
    len: usize,
}

/// The most slots in use, as a share of all: past it the table doubles. A bucket is a
/// cache line, so a lookup reads one line nearly always below it (a key goes on to the
/// next bucket only when its own is full).
const MAX_LOAD: (usize, usize) = (3, 4);

impl KeyTable {
    /// The bucket a hash's first word picks: the word as a fraction of 2^64, scaled to
    /// the bucket count (no power of two needed).
    fn bucket_of(&self, tag: u64) -> usize {
        ((u128::from(tag) * self.buckets.len() as u128) >> 64) as usize
    }

    fn split(hash: Hash128) -> (u64, u32) {
        (hash[0] | 1, (hash[1] >> 32) as u32)
    }

    fn capacity(&self) -> usize {
        self.buckets.len() * BUCKET_SLOTS
    }

    /// The value of `hash` if it is in the table; else inserts `value` for it.
    pub(crate) fn get_or_insert(&mut self, hash: Hash128, value: u32) -> Option<u32> {
        if (self.len + 1) * MAX_LOAD.1 > self.capacity() * MAX_LOAD.0 {
            self.grow_to((self.len + 1).max(self.len * 2));
        }
        let (tag, check) = Self::split(hash);
        match self.probe(tag, check) {
            Probe::Found(value) => Some(value),
            Probe::Free { bucket, slot } => {
                self.buckets[bucket].slots[slot] = Slot { tag, check, value };
                self.len += 1;
                None
            }
        }
    }

    /// The value of `hash`, if it is in the table.
    pub(crate) fn get(&self, hash: Hash128) -> Option<u32> {
        if self.buckets.is_empty() {
            return None;
        }
        let (tag, check) = Self::split(hash);
        match self.probe(tag, check) {
            Probe::Found(value) => Some(value),
            Probe::Free { .. } => None,
        }
    }

    /// Looks for a key from its bucket on; the table must have buckets, and room.
    #[inline]
    fn probe(&self, tag: u64, check: u32) -> Probe {
        let mut at = self.bucket_of(tag);
        loop {
            for (index, slot) in self.buckets[at].slots.iter().enumerate() {
                if slot.tag == 0 {
                    return Probe::Free {
                        bucket: at,
                        slot: index,
                    };
                }
                if slot.tag == tag && slot.check == check {
                    return Probe::Found(slot.value);
                }
            }
            at = self.next(at);
        }
    }

    /// The bucket after `at`, the first after the last.
    fn next(&self, at: usize) -> usize {
        match at + 1 {
            next if next == self.buckets.len() => 0,
            next => next,
        }
    }

    /// Reads the bucket where `hash` would be, and returns something of it: calling
    /// this for many keys before looking them up lets the processor fetch their
    /// cache lines at once, instead of one lookup waiting for the last.
    pub(crate) fn touch(&self, hash: Hash128) -> u64 {
        match self.buckets.len() {
            0 => 0,
            _ => self.buckets[self.bucket_of(hash[0] | 1)].slots[0].tag,
        }
    }

    /// How many keys the table holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Makes room for `more` keys beyond those in the table.
    pub(crate) fn reserve(&mut self, more: usize) {
        let wanted = self.len.saturating_add(more);
        if wanted * MAX_LOAD.1 > self.capacity() * MAX_LOAD.0 {
            self.grow_to(wanted);
        }
    }

    /// Rebuilds the table with room for `keys` keys.
    fn grow_to(&mut self, keys: usize) {
        let slots = keys.saturating_mul(MAX_LOAD.1) / MAX_LOAD.0 + 1;
        let count = slots.div_ceil(BUCKET_SLOTS).max(4);
        let old = std::mem::replace(&mut self.buckets, vec![Bucket::default(); count]);
        for entry in old
            .iter()
            .flat_map(|bucket| bucket.slots)
            .filter(|s| s.tag != 0)
        {
            // Keys are distinct: each finds a free slot.
            if let Probe::Free { bucket, slot } = self.probe(entry.tag, entry.check) {
                self.buckets[bucket].slots[slot] = entry;
            }
        }
    }
}

/// A [`KeyTable`] from a key's hash to the line it was first seen on.
#[derive(Default)]
pub(crate) struct LineTable {
    table: KeyTable,
    /// Lines past `u32::MAX` (files of hundreds of gigabytes), which a slot cannot
    /// hold.
    far: HashMap<Hash128, u64>,
}

impl LineTable {
    /// The line `hash` was first seen on; else remembers `line` for it.
    pub(crate) fn first_line(&mut self, hash: Hash128, line: u64) -> Option<u64> {
        let value = u32::try_from(line).unwrap_or(u32::MAX);
        match self.table.get_or_insert(hash, value) {
            Some(u32::MAX) => Some(self.far.get(&hash).copied().unwrap_or(u64::from(u32::MAX))),
            Some(first) => Some(u64::from(first)),
            None => {
                if value == u32::MAX {
                    self.far.insert(hash, line);
                }
                None
            }
        }
    }

    /// See [`KeyTable::touch`].
    pub(crate) fn touch(&self, hash: Hash128) -> u64 {
        self.table.touch(hash)
    }

    /// See [`KeyTable::reserve`].
    pub(crate) fn reserve(&mut self, more: usize) {
        self.table.reserve(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_again_and_new_ones_inserted_through_growth() {
        let mut table = KeyTable::default();
        for i in 0..10_000_u32 {
            assert_eq!(table.get_or_insert(hash128(&i.to_le_bytes()), i), None);
        }
        for i in 0..10_000_u32 {
            assert_eq!(
                table.get_or_insert(hash128(&i.to_le_bytes()), 0),
                Some(i),
                "key {i}"
            );
        }
        assert_eq!(table.len, 10_000);
        assert!(table.len * 4 <= table.capacity() * 3);
    }

    #[test]
    fn hashes_alike_but_for_the_kept_bits_are_different_keys() {
        let mut table = KeyTable::default();
        table.reserve(4);
        // Same slot, same tag, different check: two keys.
        assert_eq!(table.get_or_insert([8, 1 << 32], 1), None);
        assert_eq!(table.get_or_insert([8, 2 << 32], 2), None);
        assert_eq!(table.get_or_insert([8, 1 << 32], 3), Some(1));
        assert_eq!(table.get_or_insert([8, 2 << 32], 3), Some(2));
    }

    #[test]
    fn a_probe_past_the_last_slot_goes_on_at_the_first() {
        let mut table = KeyTable::default();
        table.reserve(8);
        // All aimed at the last bucket: the probe wraps around, and each is found again.
        let keys: Vec<Hash128> = (0..8).map(|i| [u64::MAX - i, i << 32]).collect();
        for (value, &key) in keys.iter().enumerate() {
            assert_eq!(table.get_or_insert(key, value as u32), None);
        }
        for (value, &key) in keys.iter().enumerate() {
            assert_eq!(table.get(key), Some(value as u32));
            assert_eq!(table.get_or_insert(key, 99), Some(value as u32));
        }
        assert_eq!(table.get([u64::MAX, 9 << 32]), None);
    }

    #[test]
    fn lines_past_what_a_slot_holds_are_kept_whole() {
        let mut lines = LineTable::default();
        let far = u64::from(u32::MAX) + 7;
        assert_eq!(lines.first_line([1, 1], far), None);
        assert_eq!(lines.first_line([1, 1], far + 1), Some(far));
        assert_eq!(lines.first_line([2, 2], 5), None);
        assert_eq!(lines.first_line([2, 2], far), Some(5));
    }
}
