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
/// Input that starts with a line break is a blank line (csv-core skips it), never a
/// plain record. `delimiter` must not be a quote or a line break.
pub(crate) fn split(input: &[u8], delimiter: u8, bounds: &mut Vec<Bound>) -> Option<PlainLine> {
    if matches!(input.first(), None | Some(b'\n' | b'\r')) {
        return None;
    }
    let before = bounds.len();
    let line = split_fields(input, delimiter, bounds);
    if line.is_none() {
        bounds.truncate(before);
    }
    line
}

#[inline(always)]
fn split_fields(input: &[u8], delimiter: u8, bounds: &mut Vec<Bound>) -> Option<PlainLine> {
    let mut marks = Marks::new(input, delimiter)?;
    let mut quoted = false;
    let mut quotes_needed = true;
    // The first byte of the field being split; every mark before it is taken.
    let mut start = 0;
    loop {
        marks.skip_to(start)?;
        // Every delimiter before the first quote or line break ends an unquoted field:
        // nearly all the fields of a record, split in this loop.
        let first_special = marks.specials & marks.specials.wrapping_neg();
        let mut ends = match first_special {
            0 => marks.delimiters,
            bit => marks.delimiters & (bit - 1),
        };
        while ends != 0 {
            let at = marks.base + ends.trailing_zeros() as usize;
            bounds.push([start, at]);
            start = at + 1;
            ends &= ends - 1;
        }
        if first_special == 0 {
            marks.delimiters = 0;
            marks.next_block()?;
            continue;
        }
        let at = marks.base + first_special.trailing_zeros() as usize;
        match input[at] {
            b'"' if at == start => {
                quoted = true;
                // The closing quote is the next quote: delimiters and carriage returns
                // before it are the value's; a line feed is csv-core's to count.
                marks.skip_to(at + 1)?;
                let mut holds_mark = false;
                let close = loop {
                    let first_special = marks.specials & marks.specials.wrapping_neg();
                    if first_special == 0 {
                        holds_mark |= marks.delimiters != 0;
                        marks.delimiters = 0;
                        marks.next_block()?;
                        continue;
                    }
                    holds_mark |= marks.delimiters & (first_special - 1) != 0;
                    let at = marks.base + first_special.trailing_zeros() as usize;
                    match input[at] {
                        b'"' => break at,
                        b'\n' => return None,
                        _ => holds_mark = true,
                    }
                    marks.skip_to(at + 1)?;
                };
                quotes_needed &= holds_mark;
                bounds.push([start + 1, close]);
                // The closing quote ends the field: a delimiter or a line break next.
                match *input.get(close + 1)? {
                    byte if byte == delimiter => start = close + 2,
                    b'\n' => return Some(PlainLine::ending(close + 1, 1, quoted, quotes_needed)),
                    b'\r' if input.get(close + 2) == Some(&b'\n') => {
                        return Some(PlainLine::ending(close + 1, 2, quoted, quotes_needed))
                    }
                    // Text after the closing quote (a doubled quote among it), or a
                    // carriage return alone.
                    _ => return None,
                }
            }
            b'\n' => {
                bounds.push([start, at]);
                return Some(PlainLine::ending(at, 1, quoted, quotes_needed));
            }
            b'\r' if input.get(at + 1) == Some(&b'\n') => {
                bounds.push([start, at]);
                return Some(PlainLine::ending(at, 2, quoted, quotes_needed));
            }
            // A quote inside an unquoted value, or a carriage return alone (which ends
            // a record for csv-core).
            _ => return None,
        }
    }
}

impl PlainLine {
    fn ending(body: usize, terminator: usize, quoted: bool, quotes_needed: bool) -> PlainLine {
        PlainLine {
            body,
            len: body + terminator,
            quoted,
            quotes_needed,
        }
    }
}

/// The delimiters and the other marks (quotes, line breaks) of a record's bytes, a
/// block at a time, as bit masks (bit `i`: byte `base + i`).
struct Marks<'a> {
    input: &'a [u8],
    finder: block::Finder,
    /// Where the current block starts in the input.
    base: usize,
    /// The current block's delimiters not yet taken.
    delimiters: u64,
    /// The current block's quotes and line breaks not yet taken.
    specials: u64,
}

impl<'a> Marks<'a> {
    /// The marks of the input's first block; `None` when it is empty.
    #[inline(always)]
    fn new(input: &'a [u8], delimiter: u8) -> Option<Marks<'a>> {
        let mut marks = Marks {
            input,
            finder: block::Finder::new(delimiter),
            base: 0,
            delimiters: 0,
            specials: 0,
        };
        marks.load()?;
        Some(marks)
    }

    /// Moves on to the next block; `None` past the input's end.
    #[inline(always)]
    fn next_block(&mut self) -> Option<()> {
        self.base += LEN;
        self.load()
    }

    /// Drops the marks before input position `at`, moving on to its block.
    #[inline(always)]
    fn skip_to(&mut self, at: usize) -> Option<()> {
        while at >= self.base + LEN {
            self.next_block()?;
        }
        // A field may have started in an earlier block: then nothing here is before it.
        let keep = !0u64 << at.saturating_sub(self.base);
        self.delimiters &= keep;
        self.specials &= keep;
        Some(())
    }

    #[inline(always)]
    fn load(&mut self) -> Option<()> {
        let rest = self
            .input
            .get(self.base..)
            .filter(|rest| !rest.is_empty())?;
        (self.delimiters, self.specials) = match rest.first_chunk::<LEN>() {
            Some(block) => self.finder.marks(block),
            None => {
                // The padding is not part of the input, whatever it would match.
                let mut block = [0; LEN];
                block[..rest.len()].copy_from_slice(rest);
                let (delimiters, specials) = self.finder.marks(&block);
                let real = (1 << rest.len()) - 1;
                (delimiters & real, specials & real)
            }
        };
        Some(())
    }
}

/// The bytes of a block of marks: one bit of a `u64` each.
const LEN: usize = 64;

/// Finding the marks of a block: with SSE2, sixteen bytes at a time (every x86-64
/// processor has it; `safe_arch` gives its instructions without `unsafe`).
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

    use super::LEN;

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

        /// The block's delimiters, and its quotes and line breaks: bit `i` for byte `i`.
        #[inline(always)]
        pub(super) fn marks(&self, block: &[u8; LEN]) -> (u64, u64) {
            let (lanes, _) = block.as_chunks::<16>();
            let mut delimiters = 0;
            let mut specials = 0;
            for (i, lane) in lanes.iter().enumerate() {
                let bytes = load_unaligned_m128i(lane);
                let special = bitor_m128i(
                    cmp_eq_mask_i8_m128i(bytes, self.quotes),
                    bitor_m128i(
                        cmp_eq_mask_i8_m128i(bytes, self.returns),
                        cmp_eq_mask_i8_m128i(bytes, self.feeds),
                    ),
                );
                let delimiter = cmp_eq_mask_i8_m128i(bytes, self.delimiters);
                delimiters |= u64::from(move_mask_i8_m128i(delimiter) as u16) << (16 * i);
                specials |= u64::from(move_mask_i8_m128i(special) as u16) << (16 * i);
            }
            (delimiters, specials)
        }
    }
}

/// Finding the marks of a block without SSE2: eight bytes at a time in a `u64`
/// (SWAR), where a few integer operations mark the bytes equal to a given one.
#[cfg(any(test, not(target_feature = "sse2")))]
mod swar {
    use super::LEN;

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

        /// The block's delimiters, and its quotes and line breaks: bit `i` for byte `i`.
        #[inline]
        pub(super) fn marks(&self, block: &[u8; LEN]) -> (u64, u64) {
            let (words, _) = block.as_chunks::<8>();
            let mut delimiters = 0;
            let mut specials = 0;
            for (i, word) in words.iter().enumerate() {
                let word = u64::from_le_bytes(*word);
                let special = equal_bytes(word, self.quotes)
                    | equal_bytes(word, self.returns)
                    | equal_bytes(word, self.feeds);
                delimiters |= top_bits(equal_bytes(word, self.delimiters)) << (8 * i);
                specials |= top_bits(special) << (8 * i);
            }
            (delimiters, specials)
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

    /// The top bits of a word's bytes (no other bit set) gathered into its low byte,
    /// byte `i`'s as bit `i`: each lands on its own bit of the product's top byte.
    #[inline]
    pub(super) fn top_bits(marked: u64) -> u64 {
        ((marked >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
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
        // Marks at and across the ends of blocks (64 bytes).
        for before in [0, 1, 2, 60, 61, 62, 63, 64, 65, 126, 127, 128] {
            for tail in [
                &b",b\n"[..],
                b"\",\"x\"\n",
                b"\",\"x,y\"\r\n",
                b"\"\n",
                b",\"\",c\n",
            ] {
                let mut input = vec![b'a'; before];
                input.extend(tail);
                if tail.starts_with(b"\"") {
                    // A quoted value that runs over the block's end.
                    input.insert(0, b'"');
                }
                assert!(check_against_csv_core(&input, b',').is_some(), "{input:?}");
            }
            let quoted_across = [b"\"".to_vec(), vec![b'a'; before], b"\",z\n".to_vec()].concat();
            assert!(check_against_csv_core(&quoted_across, b',').is_some());
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

    /// The marks of a block as a byte-at-a-time look finds them.
    fn marks_of(block: &[u8; LEN], delimiter: u8) -> (u64, u64) {
        let mask = |wanted: &dyn Fn(u8) -> bool| {
            (0..LEN)
                .filter(|&i| wanted(block[i]))
                .fold(0u64, |mask, i| mask | 1 << i)
        };
        (
            mask(&|b| b == delimiter),
            mask(&|b| matches!(b, b'"' | b'\r' | b'\n')),
        )
    }

    #[test]
    fn top_bits_gathers_each_byte_s_top_bit() {
        for pattern in 0u64..256 {
            let marked = (0..8)
                .filter(|i| pattern & 1 << i != 0)
                .fold(0, |word, i| word | 0x80 << (8 * i));
            assert_eq!(swar::top_bits(marked), pattern);
        }
    }

    proptest! {
        // Small inputs, quick cases: enough of them to meet the rare shapes.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn split_agrees_with_csv_core(
            input in prop_oneof![
                // Short records of many marks, to meet the rare shapes.
                proptest::collection::vec(
                    prop_oneof![
                        Just(b','), Just(b'"'), Just(b';'), Just(b'\n'), Just(b'\r'),
                        Just(b'a'), Just(b' '), Just(0u8), Just(0xFFu8), Just(0x80u8),
                    ],
                    0..40,
                ),
                // Records of a few blocks: values, quoted ones too, across block ends.
                proptest::collection::vec(
                    prop_oneof![
                        40 => Just(b'a'), 8 => Just(b','), 3 => Just(b'"'), 2 => Just(b';'),
                        1 => Just(b'\n'), 1 => Just(b'\r'), 3 => Just(b' '), 1 => Just(0xFFu8),
                    ],
                    0..400,
                ),
            ],
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            // A line break first is a blank line to csv-core, never a plain record.
            if matches!(input.first(), None | Some(b'\n' | b'\r')) {
                return Ok(());
            }
            let _ = check_against_csv_core(&input, delimiter);
        }

        /// Both ways of finding marks (SSE2, and SWAR for processors without it) mark
        /// what a byte-at-a-time look does.
        #[test]
        fn blocks_are_marked_byte_for_byte(
            bytes in proptest::collection::vec(prop_oneof![
                Just(b';'), Just(b'"'), Just(b'\r'), Just(b'\n'), Just(b','), any::<u8>(),
            ], LEN),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let block: &[u8; LEN] = bytes.as_slice().try_into().unwrap_or(&[0; LEN]);
            let expected = marks_of(block, delimiter);
            prop_assert_eq!(swar::Finder::new(delimiter).marks(block), expected);
            #[cfg(target_feature = "sse2")]
            prop_assert_eq!(sse2::Finder::new(delimiter).marks(block), expected);
        }
    }
}
