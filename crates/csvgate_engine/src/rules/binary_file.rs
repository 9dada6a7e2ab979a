//! `binary-file`: what a file that is not text most likely is, from its first bytes.
//!
//! A PNG or a gzip renamed `.csv`, an `.xlsx` workbook saved under the wrong name, or
//! Excel's "Unicode Text" export (UTF-16) would otherwise give a screen of
//! `invalid-utf8` and `ragged-row` findings; one finding that names the format says it
//! better, and checking stops at once.

/// How many leading bytes are looked at.
pub(crate) const SNIFF_BYTES: usize = 1024;

/// Known formats by their first bytes, with what to call them.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xFD7zXZ\x00", "an xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (
        b"PK\x03\x04",
        "a zip archive (an .xlsx workbook is one too)",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Excel (.xls) workbook",
    ),
    (b"\xFF\xFE", "UTF-16 text (Excel's \"Unicode Text\" export)"),
    (b"\xFE\xFF", "UTF-16 text"),
];

/// What the input seems to be, if it is not text: by a known signature, else by a
/// NUL byte (which no CSV text holds) among the first bytes.
pub(crate) fn sniff(start: &[u8]) -> Option<String> {
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .find(|(magic, _)| start.starts_with(magic))
    {
        return Some((*kind).to_owned());
    }
    let window = &start[..start.len().min(SNIFF_BYTES)];
    memchr::memchr(0, window).map(|at| format!("binary data (a NUL byte at offset {at})"))
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn known_formats_and_nul_bytes_are_not_text() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0").as_deref(),
            Some("a PNG image")
        );
        assert!(sniff(b"PK\x03\x04rest").unwrap().contains("xlsx"));
        assert!(sniff(b"\xFF\xFEa\0,\0").unwrap().contains("UTF-16"));
        assert!(sniff(b"a,b\n1,\x002\n").unwrap().contains("offset 6"));
    }

    #[test]
    fn text_is_text() {
        assert_eq!(sniff(b"Name,City\nAna,Lisbon\n"), None);
        assert_eq!(sniff("Größe,日本\n".as_bytes()), None);
        assert_eq!(sniff(b"\xEF\xBB\xBFName\n"), None);
        assert_eq!(sniff(b""), None);
    }
}
