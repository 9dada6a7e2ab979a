//! Drafting a schema from a sample file (`csvgate infer`).
//!
//! [`infer`] reads up to [`InferOptions::max_rows`] records with the csv crate and, for
//! each column, keeps what a schema could say of it: which types every non-empty value
//! passes (with the engine's own value checkers, so that `infer` and `check` agree),
//! whether a value is ever empty, its distinct values while they are few, whether they
//! are all distinct, and which other columns its values determine. [`Draft::to_toml`]
//! writes the result as a schema file for a person to review.
//!
//! The draft is built so that the file it came from passes it: every rule it proposes
//! held on every record read. The thresholds that keep it from proposing rules from too
//! little evidence are the constants below.
//!
//! Memory is bounded: distinct values are kept as text only while a column has at most
//! [`ENUM_MAX`] of them, as 64-bit hashes only until a value repeats (uniqueness), and
//! a key column's values (for `determines`) up to [`KEY_CAP`] distinct keys.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read};

use csvgate_schema::{normalize_header, ValueType};

use crate::rules::invalid_json::JsonKind;
use crate::rules::{
    invalid_boolean, invalid_brn, invalid_date, invalid_datetime, invalid_duration, invalid_email,
    invalid_json, invalid_number, invalid_timestamp, invalid_ulid,
};

/// Records read by default.
pub const DEFAULT_MAX_ROWS: u64 = 100_000;
/// Most distinct values a column may have to be proposed as an `enum`.
pub const ENUM_MAX: usize = 12;
/// Fewest non-empty values a column needs for an `enum` or `unique` proposal.
pub const MIN_EVIDENCE: u64 = 20;
/// Fewest distinct values a key column needs for a `determines` proposal.
pub const KEY_MIN_DISTINCT: usize = 5;
/// Fewest records repeating a key with the same value of another column (not empty)
/// for a `determines` proposal: a column never tested against a repeated key is not
/// proposed.
pub const KEY_MIN_AGREED: u64 = 2;
/// Most distinct keys tracked per key column; past it the column is no longer a key
/// candidate.
pub const KEY_CAP: usize = 10_000;
/// Most distinct values hashed per column for uniqueness; past it the column is not
/// proposed as unique.
pub const UNIQUE_CAP: usize = 1_000_000;

/// The types tried, narrowest first: a column gets the first that every non-empty
/// value passes, else `text`.
const CANDIDATES: &[ValueType] = &[
    ValueType::Bool,
    ValueType::Integer,
    ValueType::Number,
    ValueType::Email,
    ValueType::Ulid,
    ValueType::Brn,
    ValueType::Date,
    ValueType::Datetime,
    ValueType::GoTimestamp,
    ValueType::GoDuration,
    ValueType::JsonObject,
    ValueType::JsonArray,
];

/// What to read and how to name the draft.
#[derive(Debug, Clone)]
pub struct InferOptions {
    /// The schema's `name`.
    pub name: String,
    /// Records read at most.
    pub max_rows: u64,
    /// The field delimiter; `None` guesses it from the header line (`,`, `;`, tab or
    /// `|`, the most frequent; `,` when none appears).
    pub delimiter: Option<u8>,
}

impl Default for InferOptions {
    fn default() -> InferOptions {
        InferOptions {
            name: "draft".to_owned(),
            max_rows: DEFAULT_MAX_ROWS,
            delimiter: None,
        }
    }
}

/// A drafted schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The schema's name.
    pub name: String,
    /// The delimiter the file was read with.
    pub delimiter: u8,
    /// Data records used (blank records and records of the wrong width are not).
    pub rows: u64,
    /// Whether reading stopped at [`InferOptions::max_rows`] before the end.
    pub truncated: bool,
    /// Records skipped because their field count differs from the header's.
    pub ragged: u64,
    /// The header's columns, in order (blank and repeated names left out).
    pub columns: Vec<ColumnDraft>,
    /// Header names left out: blank, or naming a column again.
    pub skipped_names: Vec<String>,
    /// Key columns and the columns their values determine.
    pub keys: Vec<KeyDraft>,
}

/// One column's draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDraft {
    /// The header's name, trimmed.
    pub name: String,
    /// The narrowest type every non-empty value passes.
    pub value_type: ValueType,
    /// No value was empty (and there was at least one).
    pub value_required: bool,
    /// The allowed values, sorted, when the column holds few of them.
    pub enum_values: Option<Vec<String>>,
    /// All non-empty values distinct, over enough of them.
    pub unique: bool,
    /// Non-empty values seen.
    pub filled: u64,
    /// Distinct non-empty values, when counted (few, or all distinct).
    pub distinct: Option<u64>,
}

/// A key column and the columns it determines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDraft {
    /// The key column's name.
    pub key: String,
    /// The names of the columns it determines.
    pub determines: Vec<String>,
}

/// One column's evidence while reading.
struct ColumnStats {
    name: String,
    filled: u64,
    empty: u64,
    /// Bit `i` set while every value passed `CANDIDATES[i]`.
    candidates: u32,
    /// Distinct values with their counts, while at most [`ENUM_MAX`].
    few: Option<BTreeMap<String, u64>>,
    /// Hashes of the values, until one repeats.
    all_distinct: Option<HashSet<u64>>,
}

/// A key column's evidence: per distinct key, the first non-empty value of each other
/// column seen with it.
struct KeyStats {
    /// Key hash to its row in `seen`.
    index: HashMap<u64, usize>,
    /// `width` entries per key; 0 is "nothing seen yet".
    seen: Vec<u64>,
    /// Which other columns are still determined by this one.
    alive: Vec<bool>,
    /// Per other column, the records that repeated a key with the same non-empty value
    /// seen before: the evidence for a `determines`.
    agreed: Vec<u64>,
    repeats: bool,
}

/// Drafts a schema from a CSV sample.
///
/// # Errors
///
/// Errors of reading, and CSV the csv crate cannot read (such as invalid quoting).
pub fn infer<R: Read>(reader: R, options: &InferOptions) -> io::Result<Draft> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => guess_delimiter(buffered.fill_buf()?),
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(buffered);
    let header = csv.byte_headers()?.clone();

    // Field index to column index, for the columns kept.
    let mut field_column: Vec<Option<usize>> = Vec::with_capacity(header.len());
    let mut columns: Vec<ColumnStats> = Vec::new();
    let mut skipped_names = Vec::new();
    let mut names_seen = HashSet::new();
    for raw in &header {
        let name = String::from_utf8_lossy(raw).trim().to_owned();
        let key = normalize_header(&name);
        if key.is_empty() || !names_seen.insert(key) {
            skipped_names.push(name);
            field_column.push(None);
            continue;
        }
        field_column.push(Some(columns.len()));
        columns.push(ColumnStats {
            name,
            filled: 0,
            empty: 0,
            candidates: (1 << CANDIDATES.len()) - 1,
            few: Some(BTreeMap::new()),
            all_distinct: Some(HashSet::new()),
        });
    }
    let width = columns.len();
    let mut keys: Vec<Option<KeyStats>> = (0..width)
        .map(|_| {
            Some(KeyStats {
                index: HashMap::new(),
                seen: Vec::new(),
                alive: vec![true; width],
                agreed: vec![0; width],
                repeats: false,
            })
        })
        .collect();
    for (column, key) in keys.iter_mut().enumerate() {
        if let Some(key) = key {
            key.alive[column] = false;
        }
    }

    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut ragged = 0u64;
    let mut truncated = false;
    let mut values: Vec<(String, u64)> = vec![(String::new(), 0); width];
    loop {
        if rows + ragged >= options.max_rows {
            truncated = csv.read_byte_record(&mut record)?;
            break;
        }
        if !csv.read_byte_record(&mut record)? {
            break;
        }
        if record.len() != header.len() {
            ragged += 1;
            continue;
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        rows += 1;
        for (field, raw) in record.iter().enumerate() {
            let Some(column) = field_column[field] else {
                continue;
            };
            let text = String::from_utf8_lossy(raw);
            let value = text.trim();
            let hash = if value.is_empty() { 0 } else { hash(value) };
            values[column].0.clear();
            values[column].0.push_str(value);
            values[column].1 = hash;
            columns[column].observe(value, hash);
        }
        for (column, slot) in keys.iter_mut().enumerate() {
            let Some(key) = slot else {
                continue;
            };
            let (key_value, key_hash) = &values[column];
            if key_value.is_empty() {
                continue;
            }
            if !key.observe(*key_hash, &values) {
                *slot = None;
            }
        }
    }

    let column_drafts: Vec<ColumnDraft> = columns.iter().map(ColumnStats::draft).collect();
    let mut key_drafts = Vec::new();
    for (column, key) in keys.iter().enumerate() {
        let Some(key) = key else {
            continue;
        };
        let is_identifier = matches!(
            column_drafts[column].value_type,
            ValueType::Text
                | ValueType::Integer
                | ValueType::Email
                | ValueType::Ulid
                | ValueType::Brn
        );
        if !is_identifier || !key.repeats || key.index.len() < KEY_MIN_DISTINCT {
            continue;
        }
        let determines: Vec<String> = (0..width)
            .filter(|&other| key.alive[other] && key.agreed[other] >= KEY_MIN_AGREED)
            // A column with one value (or none) is determined by anything, and a
            // boolean's two values agree by chance too often: no rule.
            .filter(|&other| column_drafts[other].distinct.is_none_or(|d| d >= 2))
            .filter(|&other| column_drafts[other].value_type != ValueType::Bool)
            .map(|other| columns[other].name.clone())
            .collect();
        if !determines.is_empty() {
            key_drafts.push(KeyDraft {
                key: columns[column].name.clone(),
                determines,
            });
        }
    }

    Ok(Draft {
        name: options.name.clone(),
        delimiter,
        rows,
        truncated,
        ragged,
        columns: column_drafts,
        skipped_names,
        keys: key_drafts,
    })
}

impl ColumnStats {
    fn observe(&mut self, value: &str, hash: u64) {
        if value.is_empty() {
            self.empty += 1;
            return;
        }
        self.filled += 1;
        if self.candidates != 0 {
            for (bit, &value_type) in CANDIDATES.iter().enumerate() {
                if self.candidates & (1 << bit) != 0 && !passes(value_type, value) {
                    self.candidates &= !(1 << bit);
                }
            }
        }
        if let Some(few) = &mut self.few {
            if let Some(count) = few.get_mut(value) {
                *count += 1;
            } else if few.len() < ENUM_MAX {
                few.insert(value.to_owned(), 1);
            } else {
                self.few = None;
            }
        }
        if let Some(seen) = &mut self.all_distinct {
            if !seen.insert(hash) || seen.len() > UNIQUE_CAP {
                self.all_distinct = None;
            }
        }
    }

    fn draft(&self) -> ColumnDraft {
        let value_type = CANDIDATES
            .iter()
            .enumerate()
            .find(|(bit, _)| self.filled > 0 && self.candidates & (1 << bit) != 0)
            .map_or(ValueType::Text, |(_, &t)| t);
        let distinct = match (&self.few, &self.all_distinct) {
            (Some(few), _) => Some(few.len() as u64),
            (None, Some(all)) => Some(all.len() as u64),
            (None, None) => None,
        };
        let enum_values = match &self.few {
            Some(few) if value_type == ValueType::Text && self.filled >= MIN_EVIDENCE => {
                Some(few.keys().cloned().collect())
            }
            _ => None,
        };
        ColumnDraft {
            name: self.name.clone(),
            value_type,
            value_required: self.filled > 0 && self.empty == 0,
            enum_values,
            unique: self.all_distinct.is_some() && self.filled >= MIN_EVIDENCE,
            filled: self.filled,
            distinct,
        }
    }
}

impl KeyStats {
    /// Adds a record with a non-empty key; `false` when the column is no longer worth
    /// tracking (too many keys, or it determines nothing).
    fn observe(&mut self, key_hash: u64, values: &[(String, u64)]) -> bool {
        let width = values.len();
        let full = self.index.len() >= KEY_CAP;
        let row = match self.index.entry(key_hash) {
            Entry::Vacant(slot) => {
                if full {
                    return false;
                }
                slot.insert(self.seen.len() / width.max(1));
                self.seen.extend(values.iter().map(|(_, h)| *h));
                return true;
            }
            Entry::Occupied(row) => *row.get() * width,
        };
        self.repeats = true;
        let mut any = false;
        for (other, (_, hash)) in values.iter().enumerate() {
            if !self.alive[other] {
                continue;
            }
            let slot = &mut self.seen[row + other];
            if *hash != 0 {
                if *slot == 0 {
                    *slot = *hash;
                } else if *slot != *hash {
                    self.alive[other] = false;
                    continue;
                } else {
                    self.agreed[other] += 1;
                }
            }
            any = true;
        }
        any
    }
}

/// Whether a trimmed, non-empty value passes a type, by the checks `check` uses.
fn passes(value_type: ValueType, value: &str) -> bool {
    let no_keys = BTreeMap::new();
    match value_type {
        ValueType::Bool => invalid_boolean::check(value).is_ok(),
        // A number written with a leading zero (`007`) is an identifier, kept as text.
        ValueType::Integer => !leading_zero(value) && invalid_number::check(value, true).is_ok(),
        ValueType::Number => !leading_zero(value) && invalid_number::check(value, false).is_ok(),
        ValueType::Email => invalid_email::check(value).is_ok(),
        ValueType::Ulid => invalid_ulid::check(value).is_ok(),
        ValueType::Brn => invalid_brn::check(value).is_ok(),
        ValueType::Date => invalid_date::check(value).is_ok(),
        ValueType::Datetime => invalid_datetime::check(value).is_ok(),
        ValueType::GoTimestamp => invalid_timestamp::check(value).is_ok(),
        ValueType::GoDuration => invalid_duration::check(value).is_ok(),
        ValueType::JsonObject => {
            invalid_json::check(value, JsonKind::Object, &[], &no_keys).is_ok()
        }
        ValueType::JsonArray => invalid_json::check(value, JsonKind::Array, &[], &no_keys).is_ok(),
        ValueType::Text | ValueType::List => true,
    }
}

/// `007`, `-01.5`: digits after a leading zero.
fn leading_zero(value: &str) -> bool {
    let digits = value.trim_start_matches(['-', '+']).as_bytes();
    matches!(digits, [b'0', b'0'..=b'9', ..])
}

fn hash(value: &str) -> u64 {
    // SipHash with fixed keys: the same file always gives the same draft. 0 marks an
    // empty value, so no value hashes to it.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish().max(1)
}

/// The most frequent of `,`, `;`, tab and `|` in the first line, outside quotes.
fn guess_delimiter(start: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &byte in start {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    match best {
        Some(i) if counts[i] > 0 => candidates[i],
        _ => b',',
    }
}

impl Draft {
    /// The draft as a schema file (TOML), without a header comment: one `[[column]]`
    /// per column with a comment of what was seen, then the `[[cross-row]]` proposals.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "name = {}", quote(&self.name));
        let _ = writeln!(
            out,
            "description = {}",
            quote(&format!(
                "Drafted by csvgate infer from {} {}",
                self.rows,
                if self.rows == 1 { "row" } else { "rows" }
            ))
        );
        if self.delimiter != b',' {
            let _ = writeln!(
                out,
                "delimiter = {}",
                quote(&char::from(self.delimiter).to_string())
            );
        }
        if !self.skipped_names.is_empty() {
            let names: Vec<String> = self.skipped_names.iter().map(|n| quote(n)).collect();
            let _ = writeln!(
                out,
                "# Left out (blank, or naming a column again): {}",
                names.join(", ")
            );
        }
        for column in &self.columns {
            out.push_str("\n[[column]]\n");
            let _ = writeln!(out, "name = {}", quote(&column.name));
            let _ = writeln!(out, "# {}", column.seen(self.rows));
            out.push_str("required = true\n");
            if column.value_required {
                out.push_str("value-required = true\n");
            }
            if column.value_type != ValueType::Text {
                let _ = writeln!(out, "type = {}", quote(column.value_type.name()));
            }
            if let Some(values) = &column.enum_values {
                let values: Vec<String> = values.iter().map(|v| quote(v)).collect();
                let _ = writeln!(out, "enum = [{}]", values.join(", "));
            }
            if column.unique {
                out.push_str("unique = true\n");
            }
        }
        if !self.keys.is_empty() {
            out.push_str(
                "\n# Each value of the key always came with the same values of these columns.\n",
            );
        }
        for key in &self.keys {
            let determines: Vec<String> = key.determines.iter().map(|n| quote(n)).collect();
            let _ = write!(
                out,
                "\n[[cross-row]]\nkey = {}\ndetermines = [{}]\n",
                quote(&key.key),
                determines.join(", ")
            );
        }
        out
    }
}

impl ColumnDraft {
    /// What was seen of the column, for a comment.
    fn seen(&self, rows: u64) -> String {
        if self.filled == 0 {
            return "always empty in the sample".to_owned();
        }
        let distinct = match self.distinct {
            Some(n) if n == self.filled && self.filled > 1 => ", all distinct".to_owned(),
            Some(n) => format!(", {n} distinct"),
            None => format!(", more than {ENUM_MAX} distinct"),
        };
        format!("{} of {rows} values filled{distinct}", self.filled)
    }
}

/// A TOML basic string (JSON's escapes are TOML's).
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(csv: &str) -> Draft {
        infer(csv.as_bytes(), &InferOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn types_are_the_narrowest_that_fit() {
        let d = draft("a,b,c,d,e,f\ntrue,1,1.5,x@example.com,007,\nFALSE,-2,3,y@example.com,8,\n");
        let types: Vec<&str> = d.columns.iter().map(|c| c.value_type.name()).collect();
        assert_eq!(
            types,
            ["bool", "integer", "number", "email", "text", "text"]
        );
        assert!(d.columns[0].value_required);
        assert!(!d.columns[5].value_required);
    }

    #[test]
    fn enums_and_unique_need_evidence() {
        let mut csv = String::from("id,kind\n");
        for i in 0..25 {
            let kind = ["a", "b", "c"][i % 3];
            let _ = writeln!(csv, "u{i},{kind}");
        }
        let d = draft(&csv);
        assert!(d.columns[0].unique);
        assert_eq!(d.columns[0].enum_values, None);
        assert_eq!(
            d.columns[1].enum_values.as_deref(),
            Some(&["a".to_owned(), "b".to_owned(), "c".to_owned()][..])
        );
        let small = draft("id,kind\nu1,a\nu2,b\n");
        assert!(!small.columns[0].unique);
        assert_eq!(small.columns[1].enum_values, None);
    }

    #[test]
    fn a_repeated_key_determines_columns() {
        let csv = "id,email,role\n1,a@x.io,r1\n1,a@x.io,r2\n1,,r1\n2,b@x.io,r1\n2,b@x.io,r1\n3,c@x.io,r3\n\
                   4,d@x.io,r1\n5,e@x.io,r2\n5,,r3\n";
        let d = draft(csv);
        let id_key = d.keys.iter().find(|k| k.key == "id");
        assert_eq!(
            id_key.map(|k| k.determines.clone()),
            Some(vec!["email".to_owned()])
        );
    }

    #[test]
    fn delimiters_are_guessed() {
        assert_eq!(guess_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(guess_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(guess_delimiter(b"abc\n"), b',');
        assert_eq!(guess_delimiter(b"a\tb\n"), b'\t');
    }
}
