//! Inputs that belong together: a zip archive holding a bundle's members, or a
//! bundle's member files given loose in one run. Each is checked as one job, its
//! members one after the other in the bundle's check order (referenced members first),
//! so that references across the files are checked.
//!
//! Archives are read into memory and their members decompressed as they stream into
//! the engine: nothing is ever written to disk.

use std::fs::{self, File};
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csvgate_engine::{
    member_findings, BundleRun, Detection, FileReport, Input, Options, SchemaChoice,
};
use csvgate_schema::Bundle;
use zip::read::{ZipFile, ZipFileEntry};
use zip::{CompressionMethod, ZipArchive};

use crate::inputs::Source;

/// One unit of work of a run.
#[derive(Debug)]
pub enum Job {
    /// A file or standard input, checked alone.
    Single(Source),
    /// A zip archive.
    Zip {
        /// Where to read it.
        path: PathBuf,
        /// How findings name it.
        name: Arc<str>,
    },
    /// Member files of bundle `bundle` given in one run: `(member index, file)`.
    Loose {
        /// Index into the run's bundles.
        bundle: usize,
        /// The files, by member.
        members: Vec<(usize, Source)>,
    },
}

/// One report of a job, with the input it is of.
pub struct Checked {
    /// The input path as given (for a zip member, the zip's path).
    pub file: Arc<str>,
    /// The member's name inside a zip.
    pub member: Option<Arc<str>>,
    /// Its report, or why it could not be read.
    pub result: io::Result<FileReport>,
    /// Whether it is an input of its own, counted in the summary's files (an archive's
    /// bundle-level findings are not).
    pub is_file: bool,
}

impl Checked {
    /// How messages name the input: `data.csv`, or `export.zip[users.csv]`.
    pub fn label(&self) -> String {
        match &self.member {
            Some(member) => format!("{}[{member}]", self.file),
            None => self.file.to_string(),
        }
    }
}

/// Groups the inputs into jobs: every archive is a job, and files named like the
/// members of one bundle, two or more of them, are checked together as that bundle.
/// A job stands where its first input stood, so the order of the output follows the
/// order of the arguments. Files for which `alone` is true (csvgate.toml maps them to a
/// schema) are never grouped.
pub fn plan(inputs: Vec<Source>, bundles: &[Bundle], alone: impl Fn(&Path) -> bool) -> Vec<Job> {
    let mut placed: Vec<(usize, Job)> = Vec::new();
    // Each input with its place in the argument order, for ordering the jobs.
    let mut sources: Vec<(usize, Option<Source>)> = Vec::new();
    for (at, source) in inputs.into_iter().enumerate() {
        match source {
            Source::Zip { path, name } => placed.push((at, Job::Zip { path, name })),
            other => sources.push((at, Some(other))),
        }
    }
    for (index, bundle) in bundles.iter().enumerate() {
        let mut members: Vec<(usize, usize)> = Vec::new();
        for (position, (_, source)) in sources.iter().enumerate() {
            let Some(Source::File { path, .. }) = source else {
                continue;
            };
            if alone(path) {
                continue;
            }
            let Some(member) = path
                .file_name()
                .and_then(|n| bundle.member_named(&n.to_string_lossy()))
            else {
                continue;
            };
            if !members.iter().any(|&(m, _)| m == member) {
                members.push((member, position));
            }
        }
        if members.len() < 2 {
            continue;
        }
        let first = members
            .iter()
            .map(|&(_, p)| sources[p].0)
            .min()
            .unwrap_or(0);
        let taken = members
            .into_iter()
            .filter_map(|(member, position)| sources[position].1.take().map(|s| (member, s)))
            .collect();
        placed.push((
            first,
            Job::Loose {
                bundle: index,
                members: taken,
            },
        ));
    }
    placed.extend(
        sources
            .into_iter()
            .filter_map(|(at, source)| source.map(|s| (at, Job::Single(s)))),
    );
    placed.sort_by_key(|(at, _)| *at);
    placed.into_iter().map(|(_, job)| job).collect()
}

/// The bytes the jobs will read, as far as the file system knows (standard input
/// counts as nothing), for the progress bar.
pub fn total_bytes(jobs: &[Job]) -> u64 {
    let size = |source: &Source| match source {
        Source::File { path, .. } | Source::Zip { path, .. } => {
            fs::metadata(path).map_or(0, |meta| meta.len())
        }
        Source::Stdin => 0,
    };
    jobs.iter()
        .map(|job| match job {
            Job::Single(source) => size(source),
            Job::Zip { path, .. } => fs::metadata(path).map_or(0, |meta| meta.len()),
            Job::Loose { members, .. } => members.iter().map(|(_, source)| size(source)).sum(),
        })
        .sum()
}

/// Checks the member files of `bundle` given loose.
pub fn check_loose(
    bundle: &Bundle,
    members: &[(usize, Source)],
    options: &Options,
) -> Vec<Checked> {
    let mut run = BundleRun::new(bundle);
    let mut out = Vec::new();
    for member in bundle.check_order() {
        let Some((_, source)) = members.iter().find(|(m, _)| *m == member) else {
            continue;
        };
        let result = match source {
            Source::File { path, name } => File::open(path).and_then(|file| {
                let input = Input::new(name.clone(), file);
                let input = match input.reader.metadata() {
                    Ok(meta) => input.with_size_hint(meta.len()),
                    Err(_) => input,
                };
                run.check_member(member, input, options)
            }),
            Source::Stdin | Source::Zip { .. } => Err(io::Error::other("not a bundle member file")),
        };
        out.push(Checked {
            file: source.name(),
            member: None,
            result,
            is_file: true,
        });
    }
    out
}

/// Checks a zip archive: as the bundle whose members it holds, else each CSV member
/// alone with `choice`.
pub fn check_zip(
    path: &Path,
    name: &Arc<str>,
    bundles: &[Bundle],
    choice: SchemaChoice<'_>,
    options: &Options,
) -> Vec<Checked> {
    match read_zip(path, name, bundles, choice, options) {
        Ok(checked) => checked,
        Err(err) => vec![Checked {
            file: name.clone(),
            member: None,
            result: Err(err),
            is_file: true,
        }],
    }
}

fn read_zip(
    path: &Path,
    name: &Arc<str>,
    bundles: &[Bundle],
    choice: SchemaChoice<'_>,
    options: &Options,
) -> io::Result<Vec<Checked>> {
    let bytes = read_archive(path, MAX_ARCHIVE_BYTES)?;
    let archive_bytes = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(io::Error::other)?;
    // Entries in the archive's own order; folders are not members. The central
    // directory's records only: no member is opened (nor its local header read) here.
    let mut indexed: Vec<(usize, String)> = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index).map_err(io::Error::other)?;
        if !entry.is_dir() {
            indexed.push((index, member_name(&entry)));
        }
    }
    // As messages show them (bundle-level findings quote them).
    let entries: Vec<String> = indexed.iter().map(|(_, e)| shown(e)).collect();
    let bundle = bundles
        .iter()
        .map(|b| {
            (
                b,
                entries
                    .iter()
                    .filter(|e| b.member_named(e).is_some())
                    .count(),
            )
        })
        .filter(|&(_, count)| count > 0)
        .max_by_key(|&(_, count)| count)
        .map(|(b, _)| b);
    let mut out = Vec::new();
    // What the members still to read may hold together, uncompressed.
    let mut budget = MAX_TOTAL_BYTES;
    let Some(bundle) = bundle else {
        let members: Vec<&(usize, String)> = indexed
            .iter()
            .filter(|(_, e)| e.to_ascii_lowercase().ends_with(".csv"))
            .collect();
        if members.is_empty() {
            // Nothing to check must not pass a gate silently.
            return Err(io::Error::other(
                "the archive holds no CSV file and no bundle's members",
            ));
        }
        for (index, entry) in members {
            let label: Arc<str> = shown(entry).into();
            let result = open_member(&mut archive, *index, archive_bytes, &label, &mut budget)
                .and_then(|(reader, hint)| {
                    let input = Input {
                        file: name.clone(),
                        member: Some(label.clone()),
                        reader,
                        size_hint: Some(hint),
                    };
                    csvgate_engine::check(input, choice, options)
                });
            out.push(Checked {
                file: name.clone(),
                member: Some(label),
                result,
                is_file: true,
            });
        }
        return Ok(out);
    };
    let mut run = BundleRun::new(bundle);
    for member in bundle.check_order() {
        let Some((index, entry)) = indexed
            .iter()
            .find(|(_, e)| bundle.member_named(e) == Some(member))
        else {
            continue;
        };
        let label: Arc<str> = shown(entry).into();
        let result = open_member(&mut archive, *index, archive_bytes, &label, &mut budget)
            .and_then(|(reader, hint)| {
                let input = Input {
                    file: name.clone(),
                    member: Some(label.clone()),
                    reader,
                    size_hint: Some(hint),
                };
                run.check_member(member, input, options)
            });
        out.push(Checked {
            file: name.clone(),
            member: Some(label),
            result,
            is_file: true,
        });
    }
    let findings = member_findings(bundle, name, &entries);
    out.push(Checked {
        file: name.clone(),
        member: None,
        result: Ok(FileReport {
            findings,
            records: 0,
            schema: None,
            detection: Detection::Bundle(bundle.name.clone()),
        }),
        is_file: false,
    });
    Ok(out)
}

// ---- hostile archives ----
//
// An archive is data from anyone: its sizes, flags and names are claims. csvgate reads
// the archive file into memory (bounded), decides from the central directory whether
// each member may be opened at all (encryption, compression method, declared size,
// compression ratio, the total), and then counts the bytes that really come out of the
// decompressor, so a member that lies about its size stops with a read error as soon
// as it passes its claim. Member names are only labels: they are never joined to a
// path, and nothing is written to disk.

/// The largest archive file csvgate reads: the whole file is read into memory.
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;
/// The largest uncompressed size one member may declare.
pub const MAX_MEMBER_BYTES: u64 = 16 << 30;
/// The most the members an archive's check reads may hold together, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 64 << 30;
/// The highest compression ratio (uncompressed / compressed size) accepted for a
/// member larger than [`RATIO_FLOOR_BYTES`]. Deflate cannot pass about 1032, so only
/// runs of one repeated byte (a zip bomb) come near it; real CSV files stay far below.
pub const MAX_RATIO: u64 = 1000;
/// Members up to this uncompressed size are never refused for their ratio.
pub const RATIO_FLOOR_BYTES: u64 = 8 << 20;
/// The most a member's size hint to the engine (which reserves memory by it) may be,
/// as a multiple of its compressed size.
const HINT_RATIO: u64 = 32;

/// Reads the archive file whole, refusing one larger than `limit` bytes before
/// allocating for it (and reading at most `limit + 1` bytes, whatever the file
/// system said).
fn read_archive(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let too_big = |size: &str| {
        io::Error::other(format!(
            "the archive is {size}, over csvgate's limit of {} for an archive \
             (archives are read into memory): unpack it and check its CSV files",
            amount(limit)
        ))
    };
    let declared = file.metadata()?.len();
    if declared > limit {
        return Err(too_big(&amount(declared)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).map_or(true, |read| read > limit) {
        return Err(too_big("larger than that"));
    }
    Ok(bytes)
}

/// The member's name as the archive gives it (not decodable: its bytes, lossily).
fn member_name(entry: &ZipFileEntry<'_>) -> String {
    entry.name().map_or_else(
        |_| String::from_utf8_lossy(entry.name_raw()).into_owned(),
        |name| name.into_owned(),
    )
}

/// How messages show a member's name: as given (`../x.csv`, `/abs.csv` and `a\b.csv`
/// stay so), except control characters, escaped so that a name cannot move the
/// cursor, clear the line or forge a line of output.
fn shown(name: &str) -> String {
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

/// A byte count for a message: exact GiB or MiB when it is one, else bytes.
fn amount(bytes: u64) -> String {
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

/// A member as the engine reads it: decompressed, its bytes counted.
type MemberReader<'a> = Bounded<ZipFile<'a, Cursor<Vec<u8>>>>;

/// Decides from the central directory whether member `index` may be read, and if so
/// opens it, bounded by its declared size; returns the reader and the size hint to
/// give the engine. The member's declared size is taken from `budget`.
fn open_member<'a>(
    archive: &'a mut ZipArchive<Cursor<Vec<u8>>>,
    index: usize,
    archive_bytes: u64,
    label: &Arc<str>,
    budget: &mut u64,
) -> io::Result<(MemberReader<'a>, u64)> {
    let entry = archive.by_index_data(index).map_err(io::Error::other)?;
    let size = entry.size();
    let compressed = entry.compressed_size();
    if compressed > archive_bytes {
        return Err(io::Error::other(format!(
            "member {label} claims {} of compressed data, more than the whole archive: \
             the archive is damaged or hostile",
            amount(compressed)
        )));
    }
    admit(
        label,
        entry.encrypted(),
        entry.compression(),
        size,
        compressed,
        *budget,
    )?;
    *budget -= size;
    let file = archive
        .by_index(index)
        .map_err(|err| io::Error::other(format!("member {label} cannot be opened: {err}")))?;
    // The engine reserves memory by the size hint, and the declared size is only a
    // claim: it is believed up to HINT_RATIO times the compressed bytes, which are
    // really in the archive (past that the engine just grows as it goes).
    let hint = size.min(compressed.saturating_mul(HINT_RATIO));
    Ok((Bounded::new(file, size, label.clone()), hint))
}

/// Whether a member with these central-directory claims may be read, `budget` bytes
/// being left for the archive's members.
fn admit(
    label: &str,
    encrypted: bool,
    method: CompressionMethod,
    size: u64,
    compressed: u64,
    budget: u64,
) -> io::Result<()> {
    if encrypted {
        return Err(io::Error::other(format!(
            "member {label} is encrypted: csvgate cannot read it"
        )));
    }
    if !matches!(
        method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        return Err(io::Error::other(format!(
            "member {label} is compressed with {method}: csvgate cannot read it \
             (it reads stored and deflated members: re-create the archive with the \
             usual zip compression)"
        )));
    }
    if size > MAX_MEMBER_BYTES {
        return Err(io::Error::other(format!(
            "member {label} declares {} uncompressed, over csvgate's limit of {} for \
             one member: csvgate does not decompress it",
            amount(size),
            amount(MAX_MEMBER_BYTES)
        )));
    }
    if size > RATIO_FLOOR_BYTES && size / compressed.max(1) > MAX_RATIO {
        return Err(io::Error::other(format!(
            "member {label} expands {}-fold ({} compressed to {}), over csvgate's limit \
             of {MAX_RATIO}: it looks like a zip bomb, so csvgate does not decompress it",
            size / compressed.max(1),
            amount(compressed),
            amount(size)
        )));
    }
    if size > budget {
        return Err(io::Error::other(format!(
            "member {label} declares {} uncompressed, which would take the archive's \
             members past csvgate's limit of {} together: csvgate does not \
             decompress it",
            amount(size),
            amount(MAX_TOTAL_BYTES)
        )));
    }
    Ok(())
}

/// A member's reader that fails with a read error once more bytes come out than the
/// member declared: declared sizes are not trusted, the bytes are counted.
struct Bounded<R> {
    inner: R,
    /// The bytes still allowed.
    left: u64,
    /// The declared size.
    limit: u64,
    /// Set once the member has passed its size: every later read fails too.
    exceeded: bool,
    label: Arc<str>,
}

impl<R> Bounded<R> {
    fn new(inner: R, limit: u64, label: Arc<str>) -> Bounded<R> {
        Bounded {
            inner,
            left: limit,
            limit,
            exceeded: false,
            label,
        }
    }

    fn overflow(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "member {} holds more than the {} its header declares: the archive is \
                 damaged or hostile",
                self.label,
                amount(self.limit)
            ),
        )
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded {
            return Err(self.overflow());
        }
        // Ask for at most one byte past the allowance: enough to see an overflow
        // without decompressing further.
        let want =
            usize::try_from(self.left.saturating_add(1)).map_or(buf.len(), |w| w.min(buf.len()));
        let Some(window) = buf.get_mut(..want) else {
            return Ok(0);
        };
        // The decompressor's own errors (a bad checksum, damaged data) name the member.
        let read = self.inner.read(window).map_err(|err| {
            io::Error::new(
                err.kind(),
                format!("member {} cannot be read: {err}", self.label),
            )
        })?;
        let counted = u64::try_from(read).unwrap_or(u64::MAX);
        if counted > self.left {
            self.exceeded = true;
            self.left = 0;
            return Err(self.overflow());
        }
        self.left -= counted;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_stops_past_its_declared_size() {
        let label: Arc<str> = "big.csv".into();
        let mut exact = Bounded::new(&[7u8; 100][..], 100, label.clone());
        let mut all = Vec::new();
        assert!(exact.read_to_end(&mut all).is_ok());
        assert_eq!(all.len(), 100);

        let mut over = Bounded::new(io::repeat(0), 1000, label);
        let mut some = Vec::new();
        let err = over
            .read_to_end(&mut some)
            .expect_err("more than declared must fail");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(
            err.to_string().contains("more than the 1000 bytes"),
            "{err}"
        );
        assert!(some.len() <= 1000);
        assert!(over.read(&mut [0u8; 8]).is_err());
    }

    #[test]
    fn an_archive_over_the_limit_is_refused_before_it_is_read() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("fixtures/hostile/bomb.zip"))
            .find(|path| path.exists())
            .expect("fixtures/hostile/bomb.zip");
        let err = read_archive(&path, 1024).expect_err("over the limit");
        assert!(
            err.to_string()
                .contains("over csvgate's limit of 1024 bytes"),
            "{err}"
        );
        assert!(read_archive(&path, MAX_ARCHIVE_BYTES).is_ok());
    }

    #[test]
    fn claims_are_checked_before_a_member_is_opened() {
        let deflated = CompressionMethod::Deflated;
        assert!(admit("a.csv", false, deflated, 100, 50, MAX_TOTAL_BYTES).is_ok());
        let refused = |result: io::Result<()>, needle: &str| {
            let err = result.expect_err(needle).to_string();
            assert!(err.contains(needle), "{err}");
        };
        refused(
            admit("a.csv", true, deflated, 100, 50, MAX_TOTAL_BYTES),
            "member a.csv is encrypted: csvgate cannot read it",
        );
        refused(
            admit(
                "a.csv",
                false,
                CompressionMethod::BZIP2,
                100,
                50,
                MAX_TOTAL_BYTES,
            ),
            "compressed with Bzip2",
        );
        refused(
            admit(
                "a.csv",
                false,
                deflated,
                MAX_MEMBER_BYTES + 1,
                MAX_MEMBER_BYTES,
                MAX_TOTAL_BYTES,
            ),
            "limit of 16 GiB for one member",
        );
        refused(
            admit("a.csv", false, deflated, 64 << 20, 1 << 15, MAX_TOTAL_BYTES),
            "zip bomb",
        );
        // Highly compressible but small: read (and counted).
        assert!(admit(
            "a.csv",
            false,
            deflated,
            RATIO_FLOOR_BYTES,
            1,
            MAX_TOTAL_BYTES
        )
        .is_ok());
        refused(
            admit("a.csv", false, deflated, 100, 50, 99),
            "limit of 64 GiB together",
        );
    }

    #[test]
    fn names_are_shown_as_given_but_control_characters_escaped() {
        assert_eq!(shown("../escape.csv"), "../escape.csv");
        assert_eq!(shown("/abs/path.csv"), "/abs/path.csv");
        assert_eq!(shown("dir\\evil.csv"), "dir\\evil.csv");
        assert_eq!(shown("a\u{1b}[2Kb\n.csv"), "a\\u{1b}[2Kb\\n.csv");
    }
}
