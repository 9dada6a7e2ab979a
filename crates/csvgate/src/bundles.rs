//! Inputs that belong together: a zip archive holding a bundle's members, or a
//! bundle's member files given loose in one run. Each is checked as one job, its
//! members one after the other in the bundle's check order (referenced members first),
//! so that references across the files are checked.
//!
//! Archives are read into memory and their members decompressed as they stream into
//! the engine: nothing is ever written to disk.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csvgate_archive::{Archive, Limits, Member, MemberReader};
use csvgate_engine::{
    member_findings, BundleRun, Detection, FileReport, Input, Options, SchemaChoice,
};
use csvgate_schema::Bundle;

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
    // Read in memory within csvgate's limits (csvgate_archive): member names are only
    // labels, and nothing is ever written to disk.
    let mut archive = Archive::read_file(path, Limits::default())?;
    let members: Vec<Member> = archive.members().to_vec();
    // As messages show them (bundle-level findings quote them).
    let entries: Vec<String> = members.iter().map(|m| m.label.to_string()).collect();
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
    let Some(bundle) = bundle else {
        let csvs: Vec<&Member> = members
            .iter()
            .filter(|m| m.name.to_ascii_lowercase().ends_with(".csv"))
            .collect();
        if csvs.is_empty() {
            // Nothing to check must not pass a gate silently.
            return Err(io::Error::other(
                "the archive holds no CSV file and no bundle's members",
            ));
        }
        for member in csvs {
            let result = open_member(&mut archive, member, name)
                .and_then(|input| csvgate_engine::check(input, choice, options));
            out.push(Checked {
                file: name.clone(),
                member: Some(member.label.clone()),
                result,
                is_file: true,
            });
        }
        return Ok(out);
    };
    let mut run = BundleRun::new(bundle);
    for index in bundle.check_order() {
        let Some(member) = members
            .iter()
            .find(|m| bundle.member_named(&m.name) == Some(index))
        else {
            continue;
        };
        let result = open_member(&mut archive, member, name)
            .and_then(|input| run.check_member(index, input, options));
        out.push(Checked {
            file: name.clone(),
            member: Some(member.label.clone()),
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
            held_back: Vec::new(),
            records: 0,
            schema: None,
            detection: Detection::Bundle(bundle.name.clone()),
        }),
        is_file: false,
    });
    Ok(out)
}

/// Opens `member` of the archive `file` within the archive's limits, as the engine's
/// input (with the size hint by which the engine reserves memory).
fn open_member<'a>(
    archive: &'a mut Archive,
    member: &Member,
    file: &Arc<str>,
) -> io::Result<Input<MemberReader<'a>>> {
    let reader = archive.open(member)?;
    Ok(Input {
        file: file.clone(),
        member: Some(member.label.clone()),
        size_hint: Some(reader.size_hint()),
        reader,
    })
}
