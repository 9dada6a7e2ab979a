//! Arbitrary bytes read as a zip archive, with small limits: never panics, and every
//! member admitted is checked: streamed from the decompressor with no schema, then what
//! came out against every built-in schema, and (as the CLI checks an archive holding a
//! bundle's members) the members of each built-in bundle in the bundle's check order.
//! No member reads more than it declared or the member limit, and an archive's members
//! no more than the total limit, together.
#![no_main]

mod common;

use std::io::{self, Read};
use std::sync::Arc;

use common::{bundles, schemas};
use csvgate_archive::{Archive, Limits};
use csvgate_engine::{check, member_findings, BundleRun, Input, Options, SchemaChoice};
use csvgate_schema::Bundle;
use libfuzzer_sys::fuzz_target;

/// Small enough that the fuzzer reaches every limit: a member of 64 KiB, 256 KiB
/// together, the ratio looked at past 4 KiB.
const LIMITS: Limits = Limits {
    archive_bytes: 1 << 20,
    member_bytes: 64 << 10,
    total_bytes: 256 << 10,
    ratio: Limits::MAX_RATIO,
    ratio_floor_bytes: 4 << 10,
};

fn options() -> Options {
    Options {
        max_record_bytes: 4096,
        ..Options::default()
    }
}

/// Keeps what the engine reads, to check it again against each schema.
struct Tee<'a, R> {
    inner: R,
    kept: &'a mut Vec<u8>,
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Adds a member's `read` bytes to `total`, checking both against the limits and what
/// the archive admitted.
fn counted(archive: &Archive, total: &mut u64, read: u64) {
    assert!(read <= LIMITS.member_bytes, "a member read {read} bytes");
    *total += read;
    let declared = archive.declared_bytes();
    assert!(
        *total <= declared && declared <= LIMITS.total_bytes,
        "read {total} bytes, {declared} declared"
    );
}

/// Each member alone, with no schema and then with each built-in schema.
fn members_alone(archive: &mut Archive) {
    let options = options();
    let file: Arc<str> = "fuzz.zip".into();
    let mut total = 0;
    for member in archive.members().to_vec() {
        let Ok(mut reader) = archive.open(&member) else {
            continue;
        };
        let hint = reader.size_hint();
        assert!(hint <= LIMITS.member_bytes);
        let mut kept = Vec::new();
        let input = Input {
            file: file.clone(),
            member: Some(member.label.clone()),
            reader: Tee {
                inner: &mut reader,
                kept: &mut kept,
            },
            size_hint: Some(hint),
        };
        // A damaged or lying member is a read error, never a panic.
        let _ = check(input, SchemaChoice::None, &options);
        let read = reader.read_bytes();
        drop(reader);
        assert_eq!(read, kept.len() as u64);
        counted(archive, &mut total, read);
        for schema in schemas() {
            check(
                Input::new("member.csv", &kept[..]),
                SchemaChoice::Use(schema),
                &options,
            )
            .expect("reading a slice never fails");
        }
    }
}

/// The members of `bundle`, in its check order, references across them checked.
fn as_bundle(data: &[u8], bundle: &Bundle) {
    let mut archive = Archive::from_bytes(data.to_vec(), LIMITS).expect("read once already");
    let members = archive.members().to_vec();
    let labels: Vec<String> = members.iter().map(|m| m.label.to_string()).collect();
    if !labels.iter().any(|l| bundle.member_named(l).is_some()) {
        return;
    }
    let options = options();
    let file: Arc<str> = "fuzz.zip".into();
    let mut run = BundleRun::new(bundle);
    let mut total = 0;
    for index in bundle.check_order() {
        let Some(member) = members
            .iter()
            .find(|m| bundle.member_named(&m.name) == Some(index))
        else {
            continue;
        };
        let Ok(mut reader) = archive.open(member) else {
            continue;
        };
        let hint = reader.size_hint();
        let input = Input {
            file: file.clone(),
            member: Some(member.label.clone()),
            reader: &mut reader,
            size_hint: Some(hint),
        };
        let _ = run.check_member(index, input, &options);
        let read = reader.read_bytes();
        drop(reader);
        counted(&archive, &mut total, read);
    }
    let _ = member_findings(bundle, &file, &labels);
}

fuzz_target!(|data: &[u8]| {
    let Ok(mut archive) = Archive::from_bytes(data.to_vec(), LIMITS) else {
        return;
    };
    assert!(data.len() as u64 <= LIMITS.archive_bytes);
    members_alone(&mut archive);
    for bundle in bundles() {
        as_bundle(data, bundle);
    }
});
