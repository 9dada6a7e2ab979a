//! Splits plain records into fields without csv-core.
//!
//! csv-core reads a byte at a time through a state machine, about fourteen
//! instructions a byte. Nearly every record of a real file is plain, and a plain record
//! is split by where its delimiters and quotes are: this module finds those a block of
//! bytes at a time (with SSE2, sixteen bytes in a few instructions), then walks only
//! the marked bytes. Anything else is left to csv-core (see [`split`]); property tests
//! hold the two to the same fields.

use crate::place::Bound;
use crate::reader::Quotes;

/// Where [`split`] found a plain record's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlainLine {
    /// The length of the body: the record without its line break.
    pub body: usize,
    /// The length of the record with its line break (LF or CRLF).
    pub len: usize,
    /// Whether any field is quoted.
    pub quoted: bool,
    /// Whether every quoted field needs its quotes (holds the delimiter or a carriage
    /// return): the body is then the values written with the fewest quotes.
    pub quotes_needed: bool,
}

impl PlainLine {
    /// What the split found out about the record's quotes.
    pub(crate) fn quotes(&self) -> Quotes {
        match self.quoted {
            true => Quotes::Plain {
                needed: self.quotes_needed,
            },
            false => Quotes::None,
        }
    }
}

/// Appends the bounds of the fields of the record at the start of `input` to
/// `bounds`, if it is plain: its line
/// break (LF or CRLF) is in `input`; no other carriage return is in it outside
/// quotes; and every quote opens or closes a whole field, none doubled, none in an
/// unquoted value, no quoted field holding a line feed. `None`: the record is not
/// plain (or not whole in `input`), and `bounds` is as it was. Finding the line
/// break is part of the same scan as the delimiters and quotes.
///
/// Nothing is copied: each field's value is where it is in `input`, without its
/// quotes when quoted (a plain record has no doubled quote, so the value is the bytes
/// between them).
///
/// `input` must not start with a line break (csv-core skips a blank line), and
/// `delimiter` must not be a quote or a line break.
pub(crate) fn split(input: &[u8], delimiter: u8, bounds: &mut Vec<Bound>) -> Option<PlainLine> {
    let before = bounds.len();
    let line = split_fields(input, delimiter, bounds);
    if line.is_none() {
        bounds.truncate(before);
    }
    line
}

#[inline(always)]
fn split_fields(input: &[u8], delimiter: u8, bounds: &mut Vec<Bound>) -> Option<PlainLine> {
    let mut marks = Marks::new(input, delimiter);
    let mut quoted = false;
    let mut quotes_needed = true;
    let mut start = 0;
    loop {
        // The mark that ends the field: a delimiter or a line break.
        let (end, mark) = if input.get(start) == Some(&b'"') {
            quoted = true;
            // The opening quote is the next mark; the closing one the next quote
            // after it (delimiters and carriage returns between them are the
            // value's; a line feed is csv-core's to count).
            let mut holds_mark = false;
            let close = loop {
                let at = marks.next()?;
                match input[at] {
                    b'"' if at > start => break at,
                    b'\n' => return None,
                    b'"' => {}
                    _ => holds_mark = true,
                }
            };
            quotes_needed &= holds_mark;
            bounds.push([start + 1, close]);
            let at = marks.next()?;
            if at != close + 1 {
                // Text after the closing quote.
                return None;
            }
            (at, input[at])
        } else {
            let at = marks.next()?;
            bounds.push([start, at]);
            (at, input[at])
        };
        match mark {
            _ if mark == delimiter => start = end + 1,
            b'\n' => {
                return Some(PlainLine {
                    body: end,
                    len: end + 1,
                    quoted,
                    quotes_needed,
                })
            }
            b'\r' if input.get(end + 1) == Some(&b'\n') => {
                return Some(PlainLine {
                    body: end,
                    len: end + 2,
                    quoted,
                    quotes_needed,
                })
            }
            // A quote inside an unquoted value or right after a closing one, or a
            // carriage return alone (which ends a record for csv-core).
            _ => return None,
        }
    }
}

/// The positions of the delimiters, quotes and line breaks of a record's bytes, in
/// order, found a block at a time.
struct Marks<'a> {
    body: &'a [u8],
    finder: block::Finder,
    /// Where the current block starts in the body.
    block_start: usize,
    /// The marked bytes of the current block not yet handed out (see [`block`]).
    mask: u64,
}

impl<'a> Marks<'a> {
    fn new(body: &'a [u8], delimiter: u8) -> Marks<'a> {
        let finder = block::Finder::new(delimiter);
        Marks {
            body,
            mask: Self::block_mask(&finder, body),
            finder,
            block_start: 0,
        }
    }

    /// The marked bytes of the block at the start of `rest`.
    #[inline]
    fn block_mask(finder: &block::Finder, rest: &[u8]) -> u64 {
        match rest.first_chunk::<{ block::LEN }>() {
            Some(chunk) => finder.marks(chunk),
            None => {
                // The padding is not part of the body, whatever it would match.
                let mut chunk = [0; block::LEN];
                chunk[..rest.len()].copy_from_slice(rest);
                finder.marks(&chunk) & block::first_bytes(rest.len())
            }
        }
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block_start += block::LEN;
            let rest = self
                .body
                .get(self.block_start..)
                .filter(|r| !r.is_empty())?;
            self.mask = Self::block_mask(&self.finder, rest);
        }
        let byte = block::byte_of(self.mask.trailing_zeros());
        self.mask &= self.mask - 1;
        Some(self.block_start + byte)
    }
}

/// Finding the marked bytes of a block: with SSE2, sixteen bytes at a time (every
/// x86-64 processor has it; `safe_arch` gives its instructions without `unsafe`).
#[cfg(target_feature = "sse2")]
use sse2 as block;
#[cfg(not(target_feature = "sse2"))]
use swar as block;

#[cfg(target_feature = "sse2")]
mod sse2 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };

    /// The bytes of a block.
    pub(super) const LEN: usize = 16;

    /// The bytes looked for, one in each lane.
    pub(super) struct Finder {
        delimiters: m128i,
        quotes: m128i,
        returns: m128i,
        feeds: m128i,
    }

    impl Finder {
        pub(super) fn new(delimiter: u8) -> Finder {
            Finder {
                delimiters: set_splat_i8_m128i(i8::from_ne_bytes([delimiter])),
                quotes: set_splat_i8_m128i(i8::from_ne_bytes([b'"'])),
                returns: set_splat_i8_m128i(i8::from_ne_bytes([b'\r'])),
                feeds: set_splat_i8_m128i(i8::from_ne_bytes([b'\n'])),
            }
        }

        /// Bit `i` set for each byte `i` that is marked.
        #[inline]
        pub(super) fn marks(&self, block: &[u8; LEN]) -> u64 {
            let bytes = load_unaligned_m128i(block);
            let marked = bitor_m128i(
                bitor_m128i(
                    cmp_eq_mask_i8_m128i(bytes, self.delimiters),
                    cmp_eq_mask_i8_m128i(bytes, self.quotes),
                ),
                bitor_m128i(
                    cmp_eq_mask_i8_m128i(bytes, self.returns),
                    cmp_eq_mask_i8_m128i(bytes, self.feeds),
                ),
            );
            u64::from(move_mask_i8_m128i(marked) as u16)
        }
    }

    /// The mask of the first `len` bytes of a block.
    #[inline]
    pub(super) fn first_bytes(len: usize) -> u64 {
        (1 << len) - 1
    }

    /// The byte a set bit of a mask stands for.
    #[inline]
    pub(super) fn byte_of(bit: u32) -> usize {
        bit as usize
    }
}

/// Finding the marked bytes of a block without SSE2: eight bytes at a time in a
/// `u64` (SWAR), where a few integer operations mark the bytes equal to a given one.
#[cfg(any(test, not(target_feature = "sse2")))]
mod swar {
    /// The bytes of a block.
    pub(super) const LEN: usize = 8;

    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);

    /// The bytes looked for, repeated in each byte.
    pub(super) struct Finder {
        delimiters: u64,
        quotes: u64,
        returns: u64,
        feeds: u64,
    }

    impl Finder {
        pub(super) fn new(delimiter: u8) -> Finder {
            Finder {
                delimiters: ONES * u64::from(delimiter),
                quotes: ONES * u64::from(b'"'),
                returns: ONES * u64::from(b'\r'),
                feeds: ONES * u64::from(b'\n'),
            }
        }

        /// The top bit of each marked byte set.
        #[inline]
        pub(super) fn marks(&self, block: &[u8; LEN]) -> u64 {
            let word = u64::from_le_bytes(*block);
            equal_bytes(word, self.delimiters)
                | equal_bytes(word, self.quotes)
                | equal_bytes(word, self.returns)
                | equal_bytes(word, self.feeds)
        }
    }

    /// The top bit of each byte of `word` equal to the byte repeated in `splat`, and
    /// no other bit: exact, with no carry from one byte into the next (the sum of two
    /// seven-bit halves fits in a byte).
    #[inline]
    fn equal_bytes(word: u64, splat: u64) -> u64 {
        let x = word ^ splat;
        !(((x & LOW7) + LOW7) | x | LOW7)
    }

    /// The mask of the first `len` bytes of a block.
    #[inline]
    pub(super) fn first_bytes(len: usize) -> u64 {
        (1 << (len * 8)) - 1
    }

    /// The byte a set bit of a mask stands for.
    #[inline]
    pub(super) fn byte_of(bit: u32) -> usize {
        bit as usize / 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::RecordCtx;
    use crate::position::scan_fields_into;
    use csv_core::{ReadRecordResult, ReaderBuilder};
    use proptest::prelude::*;

    /// csv-core's reading of the first record of `input`: its data and ends, and the
    /// bytes it took (with the LF of a CRLF, as the reader takes it).
    fn csv_core_record(input: &[u8], delimiter: u8) -> (Vec<u8>, Vec<usize>, usize) {
        let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
        let mut data = vec![0; input.len() + 1];
        let mut ends = vec![0; input.len() + 2];
        let (result, nin, nout, nend) = reader.read_record(input, &mut data, &mut ends);
        assert_eq!(result, ReadRecordResult::Record, "{input:?}");
        data.truncate(nout);
        ends.truncate(nend);
        let crlf = input[nin - 1] == b'\r' && input.get(nin) == Some(&b'\n');
        (data, ends, nin + usize::from(crlf))
    }

    fn check_against_csv_core(input: &[u8], delimiter: u8) -> Option<PlainLine> {
        let mut bounds = vec![[7, 7]];
        let line = split(input, delimiter, &mut bounds)?;
        assert_eq!(bounds.remove(0), [7, 7], "appended after what was there");
        let (data, ends, len) = csv_core_record(input, delimiter);
        let body = &input[..line.body];
        let values: Vec<&[u8]> = bounds.iter().map(|&[from, to]| &body[from..to]).collect();
        let expected: Vec<&[u8]> = (0..ends.len())
            .map(|i| &data[if i == 0 { 0 } else { ends[i - 1] }..ends[i]])
            .collect();
        assert_eq!(values, expected, "{input:?}");
        assert_eq!(line.len, len, "{input:?}");
        assert_eq!(line.quoted, body.contains(&b'"'), "{input:?}");
        let needed = bounds.iter().all(|&[from, to]| {
            let quoted = from > 0 && body[from - 1] == b'"';
            !quoted || body[from..to].iter().any(|&b| b == delimiter || b == b'\r')
        });
        assert_eq!(line.quotes_needed, needed, "{input:?}");
        assert!(
            !body.contains(&b'\n') && line.body + 2 >= line.len,
            "{input:?}"
        );
        // The starts the checker's own scan finds, with no quoting mistake.
        let mut starts = Vec::new();
        let (issues, unclosed) = scan_fields_into(body, delimiter, &mut starts);
        assert!(issues.is_empty() && unclosed.is_none(), "{input:?}");
        let rec = RecordCtx::new(body, 0, 1, 1, body, &bounds, delimiter)
            .fields_in_body(line.quotes_needed);
        assert_eq!(rec.starts(), starts, "{input:?}");
        // The row text: the values written out with the fewest quotes read back as
        // them, and is the body itself when the splitter says its quotes are needed.
        let written = RecordCtx::new(body, 0, 1, 1, body, &bounds, delimiter).fields_in_body(false);
        let mut text = crate::cross_row::with_fewest_quotes(&written);
        if line.quotes_needed {
            assert_eq!(text, body, "{input:?}");
        }
        if !(ends.len() == 1 && data.is_empty()) {
            text.extend(b"\n");
            let (read, read_ends, _) = csv_core_record(&text, delimiter);
            assert_eq!((read, read_ends), (data.clone(), ends.clone()), "{input:?}");
        }
        Some(line)
    }

    #[test]
    fn plain_records_split_as_csv_core_splits_them() {
        for input in [
            &b"a,b,c\n"[..],
            b"a\n",
            b"a\r\n",
            b",\n",
            b"a,\n",
            b",a\r\nb",
            b"\"a,b\",c\n",
            b"\"\",\"\"\n",
            b"x,\"\"\r\n",
            b"aaaaaaaaaaaaaaaaaaaaa,\"bbbbbbbb,bbbbbbbbbb\",ccccccccccccc,\"d\"\nnext",
            "é,\"ü,ö\",ß\n".as_bytes(),
            b"\"a\rb\",c\n",
        ] {
            assert!(check_against_csv_core(input, b',').is_some(), "{input:?}");
        }
    }

    #[test]
    fn records_that_are_not_plain_are_left_to_csv_core() {
        let mut bounds = vec![[7, 7]];
        for input in [
            &b"a\"b,c\n"[..],
            b"\"a\"\"b\"\n",
            b"\"a\"b,c\n",
            b"\"abc\n",
            b"a,\"b\n",
            b"a\rb\n",
            b"a, \"b\"\n",
            b"\"a\nb\"\n",
            b"a,b",
            b"a,b\r",
            b"\"a\"",
        ] {
            assert_eq!(split(input, b',', &mut bounds), None, "{input:?}");
            assert_eq!(bounds, [[7, 7]], "left as it was: {input:?}");
        }
    }

    /// The bytes each way of finding marks marks, in order.
    #[cfg(target_feature = "sse2")]
    fn marked_bytes(block: &[u8; 16]) -> [Vec<usize>; 2] {
        let sse2 = sse2::Finder::new(b';').marks(block);
        let mut swar = Vec::new();
        for (half, bytes) in block.chunks_exact(8).enumerate() {
            let bytes: &[u8; 8] = bytes.try_into().unwrap_or(&[0; 8]);
            let mut mask = swar::Finder::new(b';').marks(bytes);
            while mask != 0 {
                swar.push(half * 8 + swar::byte_of(mask.trailing_zeros()));
                mask &= mask - 1;
            }
        }
        let sse2 = (0..16).filter(|&i| sse2 & (1 << i) != 0).collect();
        [sse2, swar]
    }

    #[test]
    fn first_bytes_keeps_the_marks_of_the_first_bytes_only() {
        let all_marked = [b'"'; 8];
        for len in 0..8 {
            let mask = swar::Finder::new(b',').marks(&all_marked) & swar::first_bytes(len);
            assert_eq!(mask.count_ones() as usize, len);
            assert!(mask == 0 || swar::byte_of(63 - mask.leading_zeros()) == len - 1);
        }
        #[cfg(target_feature = "sse2")]
        for len in 0..16 {
            let mask = sse2::Finder::new(b',').marks(&[b'"'; 16]) & sse2::first_bytes(len);
            assert_eq!(mask, (1 << len) - 1);
        }
    }

    proptest! {
        // Small inputs, quick cases: enough of them to meet the rare shapes.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn split_agrees_with_csv_core(
            input in proptest::collection::vec(
                prop_oneof![
                    Just(b','), Just(b'"'), Just(b';'), Just(b'\n'), Just(b'\r'),
                    Just(b'a'), Just(b' '), Just(0u8), Just(0xFFu8), Just(0x80u8),
                ],
                0..40,
            ),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            // A line break first is a blank line to csv-core, never a plain record.
            if matches!(input.first(), None | Some(b'\n' | b'\r')) {
                return Ok(());
            }
            let _ = check_against_csv_core(&input, delimiter);
        }

        /// The SWAR fallback (for processors without SSE2) marks what SSE2 marks.
        #[cfg(target_feature = "sse2")]
        #[test]
        fn swar_marks_what_sse2_marks(
            block in proptest::array::uniform16(prop_oneof![
                Just(b';'), Just(b'"'), Just(b'\r'), Just(b'\n'), Just(b','), any::<u8>(),
            ]),
        ) {
            let [sse2, swar] = marked_bytes(&block);
            let expected: Vec<usize> = (0..16)
                .filter(|&i| matches!(block[i], b';' | b'"' | b'\r' | b'\n'))
                .collect();
            prop_assert_eq!(&sse2, &expected);
            prop_assert_eq!(&swar, &expected);
        }
    }
}
