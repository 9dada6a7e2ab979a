//! Rules across the rows of one file: a key that determines other columns (identity
//! consistency), unique keys, and duplicate rows.
//!
//! These are the only checks that keep state from row to row; the state is keyed by
//! value and holds, for each key, what a later conflict needs to be reported: the
//! values first seen and their line.

use std::borrow::Cow;

use csvgate_diagnostics::Rule;
use csvgate_schema::{ColumnId, CrossRowRuleKind, RuleText, Schema};

use crate::header::Binding;

use crate::key_table::{hash128, Hash128, KeyTable, LineTable};
use crate::place::{Bound, Draft, RecordCtx, Sink};
use crate::position::needs_quotes;
use crate::values::show;

/// A column whose value a key determines.
struct Target {
    column: ColumnId,
    field: usize,
    ignore_case: bool,
}

/// A value first seen with a key, and where.
///
/// Compact on purpose (the state grows with the number of distinct keys): the value is
/// compared by hash, and its text, needed only to word a conflict, sits in an arena.
#[derive(Clone, Copy)]
struct Seen {
    /// Hash of the value (without case, if the column compares without case).
    hash: u64,
    /// The line it was first seen on; 0 while the key has appeared only with it empty.
    line: u64,
    /// Where its text is in [`CrossRow::arena`].
    start: usize,
    len: u32,
}

impl Seen {
    const NONE: Seen = Seen {
        hash: 0,
        line: 0,
        start: 0,
        len: 0,
    };
}

enum Check<'s> {
    Determines {
        text: &'s RuleText,
        key: ColumnId,
        key_field: usize,
        key_ignore_case: bool,
        targets: Vec<Target>,
        /// Each key (by hash) to its row of `seen`.
        index: KeyTable,
        /// `targets.len()` entries per key.
        seen: Vec<Seen>,
        /// The key's and targets' hashes on the last row that had this key, when that row
        /// was consistent: a row repeating it cannot conflict or change anything, and
        /// needs no lookup. Exports list an identity's entitlements together, so this
        /// is the common case. Empty when there is no such row.
        last: Vec<Hash128>,
    },
    Unique {
        text: &'s RuleText,
        columns: Vec<ColumnId>,
        fields: Vec<usize>,
        /// Each key (by hash) to the line it was first used on.
        seen: LineTable,
    },
}

/// The lookups of the next records, worked out ahead by [`CrossRow::prepare`].
#[derive(Default)]
struct Ahead {
    /// How many records, and how many of them have been checked.
    records: usize,
    used: usize,
    /// Each record's row hash (when duplicate rows are looked for).
    rows: Vec<Hash128>,
    /// Each record's duplicate-row lookup, done ahead: the line of the first record
    /// with its values, if there was one.
    first_lines: Vec<Option<u64>>,
    /// Each record's key hash for each check, in check order ([`NO_KEY`] when the
    /// key is empty, the check has none, or the record repeats the one before).
    keys: Vec<Hash128>,
    /// Whether each record has the values of the record before it in every field
    /// the identity checks read (see [`CrossRow::check`]).
    repeats: Vec<bool>,
    /// Each record's identity values hashed together ([`NO_KEY`] when it repeats the
    /// record before, or no set of [`PassedValues`] is in use).
    identities: Vec<Hash128>,
    /// Whether each record's identity values were in the [`PassedValues`] when its
    /// lookups were worked out.
    passed: Vec<bool>,
    /// The keys to look up, by check: each new key once.
    lookups: Vec<(usize, Hash128)>,
}

/// The identity values (those of every field the identity checks read, together) of
/// rows that passed the identity checks.
///
/// Why: once a row has passed the identity checks, a later row with the same identity
/// values passes them too and changes nothing they remember (a key's first values,
/// once held, never change), so its checks can be skipped: one lookup here instead of
/// two for each key column (its key, then what it first held). Exports that list an identity in several
/// places (sorted by resource or privilege, or in runs) gain most; where identities
/// rarely recur, the set is given up after a trial, as it would cost a lookup for
/// nothing at each change of identity. Nothing found depends on it, only how fast.
struct PassedValues {
    table: KeyTable,
    /// Lookups made and how many found their values, for the trial.
    lookups: u64,
    found: u64,
    in_use: bool,
}

/// The most identity values [`PassedValues`] keeps (a table of 32 MB); past them, it
/// keeps those it has.
const MAX_PASSED_VALUES: usize = 1 << 20;

/// Lookups in [`PassedValues`] before it is given up if fewer than one in eight found
/// their values. Not fewer: in a file drawing on a pool of identities, the first
/// lookups find few (the pool's first rows), and later ones nearly all.
const PASSED_VALUES_TRIAL: u64 = 1 << 16;

impl PassedValues {
    fn new() -> PassedValues {
        PassedValues {
            table: KeyTable::default(),
            lookups: 0,
            found: 0,
            in_use: true,
        }
    }

    /// Whether a row with these identity values has passed the identity checks.
    fn contains(&mut self, values: Hash128) -> bool {
        let found = self.table.get(values).is_some();
        self.lookups += 1;
        self.found += u64::from(found);
        if self.lookups == PASSED_VALUES_TRIAL && self.found * 8 < self.lookups {
            self.in_use = false;
        }
        found
    }

    /// Remembers that a row with these identity values passed the identity checks.
    fn insert(&mut self, values: Hash128) {
        if self.in_use && self.table.len() < MAX_PASSED_VALUES {
            self.table.get_or_insert(values, 0);
        }
    }
}

/// A hash of a record's values in `fields`, each after its length (so that no two
/// lists of values run together into the same bytes).
///
/// It hashes the fields' unescaped bytes: the same bytes are the same values (the
/// converse need not hold: a miss only costs the checks it would have spared).
fn values_hash(rec: &RecordCtx<'_>, fields: &[usize], bytes: &mut Vec<u8>) -> Hash128 {
    bytes.clear();
    for &field in fields {
        let value = rec.field(field);
        bytes.extend_from_slice(&(value.len() as u64).to_le_bytes());
        bytes.extend_from_slice(value);
    }
    hash128(bytes)
}

/// No key worked out ahead.
const NO_KEY: Hash128 = [0, 0];

/// The cross-row rules of one file, compiled against its header, with their state.
pub(crate) struct CrossRow<'s> {
    schema: Option<&'s Schema>,
    checks: Vec<Check<'s>>,
    /// Records by a hash of their values, with their line.
    rows: Option<LineTable>,
    /// Lookups worked out ahead by [`CrossRow::prepare`].
    ahead: Ahead,
    /// This row's value hashes, by field and by whether case was folded, computed once
    /// per row however many rules use the field; valid while the generation matches.
    hashes: Vec<[(u64, Hash128); 2]>,
    generation: u64,
    /// The current row's hashes for one check, reused from row to row.
    current: Vec<Hash128>,
    /// The current row's values as canonical text, for its row hash.
    canonical: Canonical,
    /// The fields the identity checks read, in order.
    identity_fields: Vec<usize>,
    /// Whether the last row checked passed the identity checks (no conflict).
    previous_passed: bool,
    /// Identity values known to pass the identity checks, when there are some.
    passed: Option<PassedValues>,
    /// A record's identity values, laid out to be hashed.
    identity_bytes: Vec<u8>,
    /// Fields already reported as inconsistent in the current record.
    reported: Vec<usize>,
    key: String,
    /// The text of every value in a [`Seen`].
    arena: String,
}

impl<'s> CrossRow<'s> {
    /// Compiles the rules whose columns the header has.
    pub(crate) fn new(
        schema: Option<&'s Schema>,
        binding: &Binding,
        duplicate_rows: bool,
    ) -> CrossRow<'s> {
        let mut checks = Vec::new();
        let field = |id: ColumnId| binding.column_field[id];
        for rule in schema.map_or(&[][..], |s| &s.cross_row_rules) {
            let text = &rule.text;
            let mut determines = |key: ColumnId, others: &[ColumnId], ignore_case: &[ColumnId]| {
                let Some(key_field) = field(key) else {
                    return;
                };
                let targets: Vec<Target> = others
                    .iter()
                    .filter(|&&c| c != key)
                    .filter_map(|&column| {
                        field(column).map(|field| Target {
                            column,
                            field,
                            ignore_case: ignore_case.contains(&column),
                        })
                    })
                    .collect();
                if !targets.is_empty() {
                    checks.push(Check::Determines {
                        text,
                        key,
                        key_field,
                        key_ignore_case: ignore_case.contains(&key),
                        targets,
                        index: KeyTable::default(),
                        seen: Vec::new(),
                        last: Vec::new(),
                    });
                }
            };
            match &rule.kind {
                CrossRowRuleKind::Consistent {
                    columns,
                    ignore_case,
                } => {
                    for &key in columns {
                        determines(key, columns, ignore_case);
                    }
                }
                CrossRowRuleKind::Determines {
                    key,
                    determines: others,
                    ignore_case,
                } => determines(*key, others, ignore_case),
                CrossRowRuleKind::Unique(columns) => {
                    let fields: Option<Vec<usize>> = columns.iter().map(|&c| field(c)).collect();
                    if let Some(fields) = fields {
                        checks.push(Check::Unique {
                            text,
                            columns: columns.clone(),
                            fields,
                            seen: LineTable::default(),
                        });
                    }
                }
            }
        }
        let mut identity_fields: Vec<usize> = checks
            .iter()
            .flat_map(|check| match check {
                Check::Determines {
                    key_field, targets, ..
                } => std::iter::once(*key_field)
                    .chain(targets.iter().map(|t| t.field))
                    .collect(),
                Check::Unique { .. } => Vec::new(),
            })
            .collect();
        identity_fields.sort_unstable();
        identity_fields.dedup();
        CrossRow {
            passed: (!identity_fields.is_empty()).then(PassedValues::new),
            identity_bytes: Vec::new(),
            identity_fields,
            previous_passed: false,
            schema,
            checks,
            rows: duplicate_rows.then(LineTable::default),
            ahead: Ahead::default(),
            hashes: vec![[(0, [0, 0]); 2]; binding.field_column.len()],
            generation: 0,
            current: Vec::new(),
            canonical: Canonical::default(),
            reported: Vec::new(),
            key: String::new(),
            arena: String::new(),
        }
    }

    /// Makes room for about `rows` more rows in the state that grows by row, so that it
    /// is not rebuilt again and again as it grows (each rebuild briefly holds the old
    /// table and the new one).
    pub(crate) fn reserve(&mut self, rows: usize) {
        if let Some(map) = &mut self.rows {
            map.reserve(rows);
        }
        for check in &mut self.checks {
            if let Check::Unique { seen, .. } = check {
                seen.reserve(rows);
            }
        }
    }

    /// Works out the lookups of the next records ahead of their checks: their row
    /// hashes, which repeat the identity fields of the record before, and the others'
    /// identity keys; and touches what those lookups will read, so that a whole
    /// window of records has its cache lines fetched from memory at once rather than
    /// one miss after another.
    pub(crate) fn prepare(&mut self, records: &[RecordCtx<'_>]) {
        let ahead = &mut self.ahead;
        ahead.rows.clear();
        ahead.first_lines.clear();
        ahead.keys.clear();
        ahead.records = records.len();
        ahead.used = 0;
        ahead.repeats.clear();
        ahead.identities.clear();
        ahead.passed.clear();
        ahead.lookups.clear();
        let identity = &self.identity_fields;
        let hash_values = self.passed.as_ref().is_some_and(|passed| passed.in_use);
        let mut previous: Option<&RecordCtx<'_>> = None;
        for rec in records {
            if self.rows.is_some() {
                ahead.rows.push(row_hash(rec, &mut self.canonical));
            }
            // The same bytes, the same values (the converse need not hold: this only
            // spares work).
            let repeats = !identity.is_empty()
                && previous.is_some_and(|previous| {
                    identity
                        .iter()
                        .all(|&field| rec.field(field) == previous.field(field))
                });
            previous = Some(rec);
            ahead.repeats.push(repeats);
            ahead.identities.push(match hash_values && !repeats {
                true => values_hash(rec, identity, &mut self.identity_bytes),
                false => NO_KEY,
            });
        }
        // Loops of nothing but independent loads: the processor has them all in flight
        // at once.
        let mut touched = 0;
        if let Some(rows) = &self.rows {
            touched = ahead
                .rows
                .iter()
                .fold(touched, |t, &hash| t ^ rows.touch(hash));
        }
        if let Some(passed) = &self.passed {
            for &values in &ahead.identities {
                if values != NO_KEY {
                    touched ^= passed.table.touch(values);
                }
            }
        }
        // The identity keys of the records whose identity checks are not skipped.
        let stride = self.checks.len();
        // Each check's key on the record before, with its hash.
        let mut before: Vec<(&str, Hash128)> = vec![("", NO_KEY); stride];
        for (record, rec) in records.iter().enumerate() {
            let values = ahead.identities[record];
            let passed = values != NO_KEY
                && self
                    .passed
                    .as_mut()
                    .is_some_and(|passed| passed.contains(values));
            ahead.passed.push(passed);
            if ahead.repeats[record] || passed {
                // Its identity checks may be skipped: nothing to look up.
                ahead.keys.extend(std::iter::repeat_n(NO_KEY, stride));
                continue;
            }
            for (at, (check, before)) in self.checks.iter().zip(&mut before).enumerate() {
                let key = match check {
                    Check::Determines {
                        key_field,
                        key_ignore_case,
                        ..
                    } => match rec.value(*key_field) {
                        "" => NO_KEY,
                        value if value == before.0 => before.1,
                        value => {
                            let key = hash128(fold(value, *key_ignore_case).as_bytes());
                            *before = (value, key);
                            // A key that changes is looked up; one repeated, once.
                            ahead.lookups.push((at, key));
                            key
                        }
                    },
                    Check::Unique { .. } => NO_KEY,
                };
                ahead.keys.push(key);
            }
        }
        for &(at, key) in &ahead.lookups {
            if let Some(Check::Determines { index, .. }) = self.checks.get(at) {
                touched ^= index.touch(key);
            }
        }
        for &(at, key) in &ahead.lookups {
            if let Some(Check::Determines {
                index,
                seen,
                targets,
                ..
            }) = self.checks.get(at)
            {
                let row = index.get(key).map(|row| row as usize * targets.len());
                if let Some(seen) = row.and_then(|row| seen.get(row)) {
                    touched ^= seen.line;
                }
            }
        }
        std::hint::black_box(touched);
        // The duplicate-row lookups now, in order (each record's first line is the
        // same as it would be at its check: nothing else touches this table), right
        // behind their touches rather than after the checks of the records before.
        if let Some(rows) = &mut self.rows {
            for (rec, &hash) in records.iter().zip(&ahead.rows) {
                ahead.first_lines.push(rows.first_line(hash, rec.line));
            }
        }
    }

    /// Checks one data record against the rows before it, and remembers it.
    pub(crate) fn check(&mut self, rec: &RecordCtx<'_>, sink: &mut Sink<'_>) {
        self.generation += 1;
        // This record's lookups, if worked out ahead.
        let ahead = (self.ahead.used < self.ahead.records).then(|| {
            self.ahead.used += 1;
            self.ahead.used - 1
        });
        if let Some(rows) = &mut self.rows {
            let first_line = match ahead {
                Some(at) => self.ahead.first_lines[at],
                None => rows.first_line(row_hash(rec, &mut self.canonical), rec.line),
            };
            if let Some(line) = first_line {
                sink.at_record(
                    rec,
                    Draft::new(
                        Rule::DuplicateRow,
                        format!("this record repeats the record on line {line}"),
                    )
                    .help("remove one of the two records")
                    .related(line, "the same record first appears here"),
                );
            }
        }
        let stride = self.checks.len();
        let Some(schema) = self.schema else {
            return;
        };
        let name = |id: ColumnId| schema.columns[id].name.as_str();
        self.reported.clear();
        // A row repeating the values the identity checks read on the row before, which
        // passed them (exports list an identity's rows together), or on any row that
        // passed them (see [`PassedValues`]), can neither conflict with the rows before
        // nor change what they remember: those checks are skipped, without a hash or a
        // lookup.
        let repeated = ahead.is_some_and(|record| {
            self.ahead.passed[record] || self.previous_passed && self.ahead.repeats[record]
        });
        // Every key hashed ahead is a value hash of this row too: one check's key is
        // often another's target.
        if let Some(record) = ahead.filter(|_| !repeated) {
            let keys = &self.ahead.keys[record * stride..(record + 1) * stride];
            for (check, &key) in self.checks.iter().zip(keys) {
                if let Check::Determines {
                    key_field,
                    key_ignore_case,
                    ..
                } = check
                {
                    if key != NO_KEY {
                        self.hashes[*key_field][usize::from(*key_ignore_case)] =
                            (self.generation, key);
                    }
                }
            }
        }
        let mut consistent_row = true;
        for check in self.checks.iter_mut() {
            match check {
                Check::Determines { .. } if repeated => {}
                Check::Determines {
                    text,
                    key,
                    key_field,
                    key_ignore_case,
                    targets,
                    index,
                    seen,
                    last,
                } => {
                    if rec.value_is_empty(*key_field) {
                        continue;
                    }
                    let generation = self.generation;
                    let mut hash = |field: usize, ignore_case: bool| {
                        let slot = &mut self.hashes[field][usize::from(ignore_case)];
                        if slot.0 != generation {
                            *slot = (
                                generation,
                                hash128(fold(rec.value(field), ignore_case).as_bytes()),
                            );
                        }
                        slot.1
                    };
                    let key_hash = hash(*key_field, *key_ignore_case);
                    // The common case first, compared without collecting the hashes.
                    if let [last_key, last_targets @ ..] = &last[..] {
                        if *last_key == key_hash
                            && targets.iter().zip(last_targets).all(|(target, &last)| {
                                hash(target.field, target.ignore_case) == last
                            })
                        {
                            continue;
                        }
                    }
                    self.current.clear();
                    self.current.push(key_hash);
                    for target in targets.iter() {
                        self.current.push(hash(target.field, target.ignore_case));
                    }
                    let width = targets.len();
                    let next_row = u32::try_from(seen.len() / width).unwrap_or(u32::MAX);
                    let row = match index.get_or_insert(self.current[0], next_row) {
                        None => {
                            for (target, hash) in targets.iter().zip(&self.current[1..]) {
                                let value = rec.value(target.field);
                                seen.push(remember(&mut self.arena, value, hash[0], rec.line));
                            }
                            last.clone_from(&self.current);
                            continue;
                        }
                        Some(row) => row as usize * width,
                    };
                    let mut consistent = true;
                    for ((target, slot), hash) in targets
                        .iter()
                        .zip(&mut seen[row..row + width])
                        .zip(&self.current[1..])
                    {
                        let value = rec.value(target.field);
                        if value.is_empty() {
                            continue;
                        }
                        if slot.line == 0 {
                            *slot = remember(&mut self.arena, value, hash[0], rec.line);
                            continue;
                        }
                        if slot.hash == hash[0] {
                            continue;
                        }
                        consistent = false;
                        if self.reported.contains(&target.field) {
                            continue;
                        }
                        self.reported.push(target.field);
                        let key_value = rec.value(*key_field);
                        let first_value = self
                            .arena
                            .get(slot.start..slot.start + slot.len as usize)
                            .unwrap_or("");
                        let first_line = slot.line;
                        let draft = Draft::new(
                            Rule::InconsistentValues,
                            format!(
                                "`{}` {} has `{}` {} here, but {} on line {}",
                                name(*key),
                                show(key_value),
                                name(target.column),
                                show(value),
                                show(first_value),
                                first_line
                            ),
                        )
                        .help(format!(
                            "one `{}` goes with one `{}` on every row: correct this row or line {}",
                            name(*key),
                            name(target.column),
                            first_line
                        ))
                        .field(name(target.column))
                        .value(value)
                        .text(text)
                        .related(
                            first_line,
                            format!(
                                "`{}` {} first appears with `{}` {} here",
                                name(*key),
                                show(key_value),
                                name(target.column),
                                show(first_value)
                            ),
                        );
                        sink.at_field(rec, target.field, draft);
                    }
                    // Kept in the same allocation, row after row.
                    last.clear();
                    if consistent {
                        last.extend_from_slice(&self.current);
                    }
                    consistent_row &= consistent;
                }
                Check::Unique {
                    text,
                    columns,
                    fields,
                    seen,
                } => {
                    self.key.clear();
                    let mut all_empty = true;
                    for &field in fields.iter() {
                        let value = rec.value(field);
                        all_empty &= value.is_empty();
                        self.key.push_str(value);
                        // A separator no CSV value holds keeps ("a,b","c") apart from ("a","b,c").
                        self.key.push('\u{1F}');
                    }
                    if all_empty {
                        continue;
                    }
                    let key_hash = hash128(self.key.as_bytes());
                    if let Some(line) = seen.first_line(key_hash, rec.line) {
                        let shown: Vec<String> =
                            fields.iter().map(|&f| show(rec.value(f))).collect();
                        let (what, value) = if columns.len() == 1 {
                            (format!("`{}`", name(columns[0])), shown.join(""))
                        } else {
                            let names: Vec<&str> = columns.iter().map(|&c| name(c)).collect();
                            (
                                format!("the combination of `{}`", names.join("`, `")),
                                format!("({})", shown.join(", ")),
                            )
                        };
                        let draft = Draft::new(
                            Rule::DuplicateKey,
                            format!("{what} {value} was already used on line {line}"),
                        )
                        .help(format!(
                            "{what} must be unique: change one of the two rows, or remove one"
                        ))
                        .field(name(columns[0]))
                        .value(rec.value(fields[0]))
                        .text(text)
                        .related(line, format!("{what} {value} is first used here"));
                        sink.at_field(rec, fields[0], draft);
                    }
                }
            }
        }
        // A repeated row leaves things as the row before left them.
        self.previous_passed = repeated || consistent_row;
        if !repeated && consistent_row {
            let values = ahead.map_or(NO_KEY, |record| self.ahead.identities[record]);
            if let Some(passed) = self.passed.as_mut().filter(|_| values != NO_KEY) {
                passed.insert(values);
            }
        }
    }
}

/// The value as a key: without case when the column compares without case (and
/// without allocating when there is no case to remove).
fn fold(value: &str, ignore_case: bool) -> Cow<'_, str> {
    if !ignore_case {
        return Cow::Borrowed(value);
    }
    if value.is_ascii() {
        return match value.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(value.to_ascii_lowercase()),
            false => Cow::Borrowed(value),
        };
    }
    // Not only upper case changes: a title-case letter (`ǅ`) lowers too, as
    // `same_without_case` has it.
    Cow::Owned(value.to_lowercase())
}

/// Keeps a value's text in the arena, with its hash; an empty value is nothing seen yet.
fn remember(arena: &mut String, value: &str, hash: u64, line: u64) -> Seen {
    if value.is_empty() {
        return Seen::NONE;
    }
    let start = arena.len();
    arena.push_str(value);
    Seen {
        hash,
        line,
        start,
        len: u32::try_from(value.len()).unwrap_or(u32::MAX),
    }
}

/// A record's values written as CSV with the fewest quotes: a value is in quotes
/// only when it holds the delimiter, a quote or a line break (its quotes doubled).
/// The same values give the same text however they were quoted, and other values
/// another text (it reads back as them). Kept from row to row, so that writing
/// allocates nothing.
#[derive(Default)]
struct Canonical {
    text: Vec<u8>,
    /// Which of the record's values need quotes.
    needs_quotes: Vec<bool>,
}

impl Canonical {
    /// The text of `rec`'s values. Nothing is written for a plain record (its fields
    /// in its body) quoted so already, as nearly every one is: its body is the text.
    fn of<'a>(&'a mut self, rec: &'a RecordCtx<'_>) -> &'a [u8] {
        if rec.quotes_needed() {
            return rec.body;
        }
        let (data, bounds, delimiter) = (rec.data, rec.bounds, rec.delimiter());
        // Which values hold a byte that needs quotes: one search of the whole data
        // (values are short, and a search per value costs its set-up each time), each
        // byte found put in its field (in a plain body, the delimiters and quotes
        // between fields are in none).
        self.needs_quotes.clear();
        if rec.is_in_body() {
            // A plain record: only a quoted value can hold what needs quotes.
            self.needs_quotes.extend(bounds.iter().map(|&[from, to]| {
                let quoted = data.get(from.wrapping_sub(1)) == Some(&b'"');
                quoted && needs_quotes(&data[from..to], delimiter)
            }));
        } else {
            self.needs_quotes.resize(bounds.len(), false);
            mark_fields(
                memchr::memchr3_iter(delimiter, b'"', b'\n', data),
                bounds,
                &mut self.needs_quotes,
            );
            mark_fields(
                memchr::memchr_iter(b'\r', data),
                bounds,
                &mut self.needs_quotes,
            );
        }
        self.text.clear();
        for (index, (&[from, to], &needs_quotes)) in
            bounds.iter().zip(&self.needs_quotes).enumerate()
        {
            if index > 0 {
                self.text.push(delimiter);
            }
            let value = &data[from..to];
            if !needs_quotes {
                self.text.extend_from_slice(value);
                continue;
            }
            self.text.push(b'"');
            for piece in value.split_inclusive(|&b| b == b'"') {
                self.text.extend_from_slice(piece);
                if piece.ends_with(b"\"") {
                    self.text.push(b'"');
                }
            }
            self.text.push(b'"');
        }
        &self.text
    }
}

/// `rec`'s values written with the fewest quotes (for tests elsewhere).
#[cfg(test)]
pub(crate) fn with_fewest_quotes(rec: &RecordCtx<'_>) -> Vec<u8> {
    Canonical::default().of(rec).to_vec()
}

/// Marks the field holding each of `positions` (in increasing order) in `marked`,
/// given each field's bounds (in increasing order); a position in no field marks none.
fn mark_fields(positions: impl Iterator<Item = usize>, bounds: &[Bound], marked: &mut [bool]) {
    let mut field = 0;
    for at in positions {
        while bounds.get(field).is_some_and(|&[_, to]| to <= at) {
            field += 1;
        }
        match bounds.get(field) {
            Some(&[from, _]) if from <= at => marked[field] = true,
            Some(_) => {}
            None => return,
        }
    }
}

/// A 128-bit hash of a record's values, so that two records with the same values but
/// different quoting are the same row.
fn row_hash(rec: &RecordCtx<'_>, canonical: &mut Canonical) -> Hash128 {
    hash128(canonical.of(rec))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::place::bounds_of_ends;
    use proptest::prelude::*;

    /// The canonical text of the record with `data` at `bounds`, as csv-core gives it
    /// (`in_body`: None) or as a plain record's body holds it (with whether its quotes
    /// are all needed).
    fn canonical(data: &[u8], bounds: &[Bound], in_body: Option<bool>) -> Vec<u8> {
        let rec = RecordCtx::new(data, 0, 1, 1, data, bounds, b',');
        let rec = match in_body {
            Some(quotes_needed) => rec.fields_in_body(quotes_needed),
            None => rec,
        };
        Canonical::default().of(&rec).to_vec()
    }

    #[test]
    fn keys_without_case_fold_as_values_compare_without_case() {
        assert_eq!(fold("Ab@X.io", true), "ab@x.io");
        assert_eq!(fold("Ab@X.io", false), "Ab@X.io");
        // Title case lowers too, as csvgate_schema::same_without_case has it.
        for (a, b) in [
            ("\u{1C5}", "\u{1C6}"),
            ("\u{1C4}", "\u{1C6}"),
            ("ÜMIT", "ümit"),
        ] {
            assert!(csvgate_schema::same_without_case(a, b));
            assert_eq!(fold(a, true), fold(b, true), "{a} {b}");
        }
    }

    #[test]
    fn the_same_values_have_the_same_text_however_quoted() {
        let text = b"a,\"b,c\",,\"d\"\"\",e";
        // As csv-core gives it: the values back to back.
        let back_to_back = [[0, 1], [1, 4], [4, 4], [4, 6], [6, 7]];
        assert_eq!(canonical(b"ab,cd\"e", &back_to_back, None), text);
        // A plain record quoted as little as can be is its own text, whether it says
        // so (nothing written) or not.
        let plain = b"a,\"b,c\",,e";
        let in_plain = [[0, 1], [3, 6], [8, 8], [9, 10]];
        assert_eq!(canonical(plain, &in_plain, Some(true)), plain);
        assert_eq!(canonical(plain, &in_plain, Some(false)), plain);
        // Quotes that need not be there are not in the text.
        let needless = b"\"a\",\"b,c\",\"\",e";
        let in_needless = [[1, 2], [5, 8], [11, 11], [13, 14]];
        assert_eq!(canonical(needless, &in_needless, Some(false)), plain);
        // ("a,b", "c") is not ("a", "b,c").
        assert_ne!(
            canonical(b"a,bc", &[[0, 3], [3, 4]], None),
            canonical(b"a,bc", &[[0, 1], [1, 4]], None)
        );
    }

    proptest! {
        /// A record csv-core reads whose quotes the quote check finds right and all
        /// needed has its body as its text, as the checker takes it.
        #[test]
        fn a_body_whose_quotes_are_all_needed_is_its_text(
            body in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                1..24,
            ),
        ) {
            let scan = crate::position::scan_fields(&body, b',');
            let settled = scan.issues.is_empty()
                && scan.unclosed.is_none()
                && crate::position::quotes_all_needed(&body, &scan.starts, b',');
            let mut reader = csv_core::ReaderBuilder::new().build();
            let mut input = body.clone();
            input.push(b'\n');
            let (mut data, mut ends) = (vec![0; 64], vec![0; 32]);
            let (result, nin, nout, nend) = reader.read_record(&input, &mut data, &mut ends);
            // Only bodies csv-core reads whole as one record (not a blank line, no
            // line break outside quotes).
            let blank_before = matches!(body[0], b'\n' | b'\r');
            if !settled || blank_before || result != csv_core::ReadRecordResult::Record || nin != input.len() {
                return Ok(());
            }
            let mut bounds = Vec::new();
            bounds_of_ends(&ends[..nend], &mut bounds);
            let rec = RecordCtx::new(&body, 0, 1, 1, &data[..nout], &bounds, b',');
            let mut canonical = Canonical::default();
            prop_assert_eq!(canonical.of(&rec), &body[..]);
        }

        /// The text reads back as the values: other values, another text.
        #[test]
        fn the_text_reads_back_as_the_values(
            values in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                    0..5,
                ),
                2..5,
            ),
        ) {
            let data = values.concat();
            let mut end = 0;
            let ends: Vec<usize> = values.iter().map(|v| { end += v.len(); end }).collect();
            let mut bounds = Vec::new();
            bounds_of_ends(&ends, &mut bounds);
            let mut text = canonical(&data, &bounds, None);
            text.push(b'\n');
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&text[..]);
            let mut record = csv::ByteRecord::new();
            prop_assert!(reader.read_byte_record(&mut record).unwrap_or(false));
            let read: Vec<&[u8]> = record.iter().collect();
            let expected: Vec<&[u8]> = values.iter().map(|v| &v[..]).collect();
            prop_assert_eq!(read, expected);
        }
    }
}
