//! `invalid_json`: a `json-object` / `json-array` value must parse as JSON of that kind,
//! with the keys and key values the schema asks for.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::Expected;

/// The kind of JSON a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonKind {
    /// A JSON object, `{...}`.
    Object,
    /// A JSON array, `[...]`: of any values, or of objects when keys or values are
    /// required of its elements.
    Array,
}

/// The longest JSON value quoted back in a message, in characters.
const SHOWN: usize = 40;

/// Checks that `value` parses as JSON of `kind`. For an object: every key of `keys` is
/// present, and each key of `values` that is present holds a string from its allowed
/// list (an allowed `""` also admits `null`). For an array: any elements when `keys` and
/// `values` are both empty; otherwise every element is an object passing the same
/// checks.
pub(crate) fn check(
    value: &str,
    kind: JsonKind,
    keys: &[String],
    values: &BTreeMap<String, Vec<String>>,
) -> Result<(), Expected> {
    let parsed = serde_json::from_str::<Value>(value).map_err(|e| syntax(value, &e))?;
    match (kind, &parsed) {
        (JsonKind::Object, Value::Object(object)) => {
            check_object(object, keys, values).map_err(|problem| {
                Expected::new(match problem {
                    Problem::Missing(missing) => {
                        let (list, _) = key_list(&missing);
                        let verb = if missing.len() == 1 { "is" } else { "are" };
                        format!("a JSON object with {list}, which {verb} missing")
                    }
                    Problem::Value {
                        key,
                        allowed,
                        found,
                    } => format!(
                        "a JSON object whose `{key}` is {}; found {}",
                        allowed_words(allowed),
                        describe(found)
                    ),
                })
            })
        }
        (JsonKind::Array, Value::Array(_)) if keys.is_empty() && values.is_empty() => Ok(()),
        (JsonKind::Array, Value::Array(elements)) => {
            for (index, element) in elements.iter().enumerate() {
                let number = index + 1;
                let Value::Object(object) = element else {
                    return Err(Expected::new(format!(
                        "{}; element {number} is {}",
                        objects_wanted(keys, values),
                        describe(element)
                    )));
                };
                check_object(object, keys, values).map_err(|problem| {
                    Expected::new(match problem {
                        Problem::Missing(missing) => {
                            let (list, pronoun) = key_list(&missing);
                            format!(
                                "a JSON array of objects with {list}; element {number} lacks {pronoun}"
                            )
                        }
                        Problem::Value { key, allowed, found } => format!(
                            "a JSON array of objects whose `{key}` is {}; element {number} has {}",
                            allowed_words(allowed),
                            describe(found)
                        ),
                    })
                })?;
            }
            Ok(())
        }
        (JsonKind::Object, other) => Err(Expected::new(format!(
            "a JSON object, found {}",
            describe(other)
        ))),
        (JsonKind::Array, other) => Err(Expected::new(format!(
            "a JSON array, found {}",
            describe(other)
        ))),
    }
}

/// What an array's elements must be, when keys or values are required of them: "a JSON
/// array of objects with the keys `a` and `b`", or "... whose `v` is `x` or empty".
fn objects_wanted(keys: &[String], values: &BTreeMap<String, Vec<String>>) -> String {
    if !keys.is_empty() {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let (list, _) = key_list(&keys);
        return format!("a JSON array of objects with {list}");
    }
    match values.iter().collect::<Vec<_>>().as_slice() {
        [(key, allowed)] => format!(
            "a JSON array of objects whose `{key}` is {}",
            allowed_words(allowed)
        ),
        _ => format!(
            "a JSON array of objects with allowed values for the keys {}",
            quoted_list(&values.keys().collect::<Vec<_>>(), " and ")
        ),
    }
}

/// Why an object fails the key checks.
enum Problem<'a> {
    /// Required keys that are absent.
    Missing(Vec<&'a str>),
    /// A key whose value is not allowed.
    Value {
        /// The key.
        key: &'a str,
        /// Its allowed strings (`""` admits empty and null).
        allowed: &'a [String],
        /// What it holds.
        found: &'a Value,
    },
}

/// The message for a syntax error: where it is (1-based character within the value)
/// and serde_json's words without its line/column suffix.
fn syntax(value: &str, error: &serde_json::Error) -> Expected {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => text.as_str(),
    };
    match char_position(value, error.line(), error.column()) {
        Some(position) => Expected::new(format!(
            "valid JSON; invalid JSON at character {position}: {message}"
        )),
        None => Expected::new(format!("valid JSON; {message}")),
    }
}

/// The 1-based character position in `value` of serde_json's 1-based `line` and
/// `column` (a column counts bytes), or `None` when serde_json gave no position.
fn char_position(value: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        value.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let byte = line_start + column.saturating_sub(1);
    let position = value
        .char_indices()
        .take_while(|&(start, _)| start <= byte)
        .count();
    Some(position.max(1))
}

/// "the key `a`" or "the keys `a` and `b`", and "it" or "them".
fn key_list(keys: &[&str]) -> (String, &'static str) {
    match keys {
        [key] => (format!("the key `{key}`"), "it"),
        _ => (format!("the keys {}", quoted_list(keys, " and ")), "them"),
    }
}

/// Checks one object against the required keys and allowed values, without allocating
/// unless it fails.
fn check_object<'a>(
    object: &'a Map<String, Value>,
    keys: &'a [String],
    values: &'a BTreeMap<String, Vec<String>>,
) -> Result<(), Problem<'a>> {
    if keys.iter().any(|key| !object.contains_key(key)) {
        return Err(Problem::Missing(
            keys.iter()
                .filter(|key| !object.contains_key(*key))
                .map(String::as_str)
                .collect(),
        ));
    }
    for (key, allowed) in values {
        let Some(found) = object.get(key) else {
            continue;
        };
        let ok = match found {
            Value::String(text) => allowed.iter().any(|a| a == text),
            Value::Null => allowed.iter().any(String::is_empty),
            _ => false,
        };
        if !ok {
            return Err(Problem::Value {
                key,
                allowed,
                found,
            });
        }
    }
    Ok(())
}

/// "one of `approve`, `deny` or empty" for an allowed-values list.
fn allowed_words(allowed: &[String]) -> String {
    let words: Vec<&String> = allowed.iter().filter(|a| !a.is_empty()).collect();
    let empty = words.len() < allowed.len();
    match (words.as_slice(), empty) {
        ([], _) => "empty".to_owned(),
        ([word], false) => format!("`{word}`"),
        ([word], true) => format!("`{word}` or empty"),
        (_, false) => format!("one of {}", quoted_list(&words, " or ")),
        (_, true) => format!("one of {} or empty", quoted_list(&words, ", ")),
    }
}

/// The items in backticks, separated by `, ` and by `last` before the last one.
fn quoted_list<S: AsRef<str>>(items: &[S], last: &str) -> String {
    let mut text = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            text.push_str(if index + 1 == items.len() { last } else { ", " });
        }
        let _ = write!(text, "`{}`", item.as_ref());
    }
    text
}

/// A JSON value in words: "an object", "the string \"x\"", "null", ...
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => {
            let json = value.to_string();
            if json.chars().count() <= SHOWN {
                format!("the string {json}")
            } else {
                let cut: String = json.chars().take(SHOWN).collect();
                format!("the string {cut}…")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{check, JsonKind};

    /// The Metadata cell of FORMATS.md §2 (seed 000).
    const METADATA: &str = r#"[{"source":"brn:bid:balkanid:::02GFREWAWDFR3RG264H6QWERT5:app:compute/privileged","version":"20220726","value":{"text":"Privileged"},"key":"entitlement/privileged"}]"#;

    /// The Activity Log cell of FORMATS.md §5 (seed 003, first row), malformed.
    const ACTIVITY_LOG: &str = r#"[{"Actor ID":"john.doe@example.com","Actor Name":"John Doe","Activity Comment":","Previous Status":","Status":"created","Timestamp":"2023-08-29T14:46:36+00:00"},{"Actor ID":"jane.doe@example.com","Actor Name":"Jane Doe"Activity Comment":","Previous Status":"created","Status":"started","Timestamp":"2023-08-29T14:46:36+00:00"}]"#;

    /// The Metadata cell of FORMATS.md §3 (seed 001).
    const ENTITY_METADATA: &str = r#"{"username":"aaron.ellis@itadminbalkan.onmicrosoft.com","lastPasswordChange":"2023-12-14 04:39:56 +0000 UTC","userCreatedDateTime":"2023-12-14 04:39:56 +0000 UTC","jobTitle":"Media Consultant","department":"Media and Pulic Relations"}"#;

    /// Owned strings from `names`.
    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    /// No allowed-value lists.
    fn no_values() -> BTreeMap<String, Vec<String>> {
        BTreeMap::new()
    }

    /// The allowed values of the Recommendation column (FORMATS.md §5).
    fn recommendation() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([("value".to_owned(), keys(&["approve", "deny", ""]))])
    }

    /// The keys of an Activity Log element (FORMATS.md §5).
    fn activity_keys() -> Vec<String> {
        keys(&[
            "Actor ID",
            "Actor Name",
            "Activity Comment",
            "Previous Status",
            "Status",
            "Timestamp",
        ])
    }

    #[test]
    fn accepts_the_metadata_sample() {
        let metadata_keys = keys(&["source", "version", "value", "key"]);
        assert_eq!(
            check(METADATA, JsonKind::Array, &metadata_keys, &no_values()),
            Ok(())
        );
        assert_eq!(
            check("[]", JsonKind::Array, &metadata_keys, &no_values()),
            Ok(())
        );
    }

    #[test]
    fn accepts_the_entity_metadata_sample() {
        assert_eq!(
            check(ENTITY_METADATA, JsonKind::Object, &[], &no_values()),
            Ok(())
        );
        assert_eq!(check("{}", JsonKind::Object, &[], &no_values()), Ok(()));
    }

    #[test]
    fn rejects_the_activity_log_sample_and_says_where() {
        let err = check(
            ACTIVITY_LOG,
            JsonKind::Array,
            &activity_keys(),
            &no_values(),
        )
        .unwrap_err();
        // The saved page lost the `""` of the empty comments, so the first error is at
        // `Previous Status` right after `"Activity Comment":","`.
        let position = ACTIVITY_LOG.find("Previous Status").unwrap() + 1;
        assert_eq!(
            err.0,
            format!("valid JSON; invalid JSON at character {position}: expected `,` or `}}`")
        );
    }

    #[test]
    fn the_activity_log_with_its_comments_repaired_fails_at_jane_doe() {
        let repaired = ACTIVITY_LOG.replace(r#"":","#, r#"":"","#);
        let err = check(&repaired, JsonKind::Array, &activity_keys(), &no_values()).unwrap_err();
        let position = repaired
            .find(r#"Activity Comment":"","Previous Status":"created"#)
            .unwrap()
            + 1;
        assert_eq!(
            err.0,
            format!("valid JSON; invalid JSON at character {position}: expected `,` or `}}`")
        );
        let fixed = repaired.replace(r#""Jane Doe"Activity"#, r#""Jane Doe","Activity"#);
        assert_eq!(
            check(&fixed, JsonKind::Array, &activity_keys(), &no_values()),
            Ok(())
        );
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let err = check(
            r#"{"name":"Zoë", "city":"東京" x}"#,
            JsonKind::Object,
            &[],
            &no_values(),
        )
        .unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 28: expected `,` or `}`"
        );
        let err = check(
            "{\n  \"a\": 1,\n  \"b\" 2\n}",
            JsonKind::Object,
            &[],
            &no_values(),
        )
        .unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 19: expected `:`"
        );
        let err = check("[1, 2", JsonKind::Array, &[], &no_values()).unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 5: EOF while parsing a list"
        );
        let err = check("{} {}", JsonKind::Object, &[], &no_values()).unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 4: trailing characters"
        );
        let err = check("nope", JsonKind::Object, &[], &no_values()).unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 2: expected ident"
        );
        let err = check("é", JsonKind::Object, &[], &no_values()).unwrap_err();
        assert_eq!(
            err.0,
            "valid JSON; invalid JSON at character 1: expected value"
        );
    }

    #[test]
    fn rejects_the_wrong_kind() {
        let expect = |value: &str, kind: JsonKind, text: &str| {
            assert_eq!(check(value, kind, &[], &no_values()).unwrap_err().0, text);
        };
        expect("{}", JsonKind::Array, "a JSON array, found an object");
        expect("[]", JsonKind::Object, "a JSON object, found an array");
        expect(
            "\"x\"",
            JsonKind::Object,
            "a JSON object, found the string \"x\"",
        );
        expect("3", JsonKind::Array, "a JSON array, found the number 3");
        expect("null", JsonKind::Object, "a JSON object, found null");
        expect("true", JsonKind::Object, "a JSON object, found `true`");
        expect(
            r#"{"a": [1]}"#,
            JsonKind::Array,
            "a JSON array, found an object",
        );
    }

    #[test]
    fn an_array_without_keys_or_values_may_hold_anything() {
        for value in [
            r#"["ops", "dev"]"#,
            "[1]",
            "[1, 2.5, -3]",
            "[]",
            "[null, true, \"x\", [1], {}]",
            "[[], [[]]]",
            "[{}, []]",
            r#"[{"any": "keys"}]"#,
        ] {
            assert_eq!(
                check(value, JsonKind::Array, &[], &no_values()),
                Ok(()),
                "{value}"
            );
        }
    }

    #[test]
    fn an_array_with_keys_or_values_must_hold_objects() {
        let need = keys(&["key", "value"]);
        assert_eq!(
            check(r#"["ops", "dev"]"#, JsonKind::Array, &need, &no_values())
                .unwrap_err()
                .0,
            "a JSON array of objects with the keys `key` and `value`; element 1 is the string \"ops\""
        );
        assert_eq!(
            check(r#"["ops"]"#, JsonKind::Array, &keys(&["key"]), &no_values())
                .unwrap_err()
                .0,
            "a JSON array of objects with the key `key`; element 1 is the string \"ops\""
        );
        assert_eq!(
            check(
                r#"[{"key":"a","value":1}, 2]"#,
                JsonKind::Array,
                &need,
                &no_values()
            )
            .unwrap_err()
            .0,
            "a JSON array of objects with the keys `key` and `value`; element 2 is the number 2"
        );
        assert_eq!(
            check("[{}, []]", JsonKind::Array, &keys(&["a"]), &no_values())
                .unwrap_err()
                .0,
            "a JSON array of objects with the key `a`; element 1 lacks it"
        );
        assert_eq!(check("[]", JsonKind::Array, &need, &no_values()), Ok(()));
        assert_eq!(
            check("[1]", JsonKind::Array, &[], &recommendation())
                .unwrap_err()
                .0,
            "a JSON array of objects whose `value` is one of `approve`, `deny` or empty; element 1 is the number 1"
        );
        let two = BTreeMap::from([
            ("a".to_owned(), keys(&["x"])),
            ("b".to_owned(), keys(&["y"])),
        ]);
        assert_eq!(
            check(r#"[{"a":"x"}, "b"]"#, JsonKind::Array, &[], &two)
                .unwrap_err()
                .0,
            "a JSON array of objects with allowed values for the keys `a` and `b`; element 2 is the string \"b\""
        );
    }

    #[test]
    fn object_keys_must_be_present() {
        let need = keys(&["value", "explanation"]);
        assert_eq!(
            check(
                r#"{"value": "approve", "explanation": "testing"}"#,
                JsonKind::Object,
                &need,
                &no_values()
            ),
            Ok(())
        );
        assert_eq!(
            check(
                r#"{"value": "approve"}"#,
                JsonKind::Object,
                &need,
                &no_values()
            )
            .unwrap_err()
            .0,
            "a JSON object with the key `explanation`, which is missing"
        );
        assert_eq!(
            check(r#"{"Value": 1}"#, JsonKind::Object, &need, &no_values())
                .unwrap_err()
                .0,
            "a JSON object with the keys `value` and `explanation`, which are missing"
        );
        assert_eq!(
            check(
                r#"{}"#,
                JsonKind::Object,
                &keys(&["a", "b", "c"]),
                &no_values()
            )
            .unwrap_err()
            .0,
            "a JSON object with the keys `a`, `b` and `c`, which are missing"
        );
    }

    #[test]
    fn object_values_must_be_allowed() {
        let values = recommendation();
        for value in [
            r#"{"value": "approve", "explanation": "testing"}"#,
            r#"{"value": "deny", "explanation": "testing"}"#,
            r#"{"value": "", "explanation": "testing"}"#,
            r#"{"value": null}"#,
            r#"{"explanation": "no value key at all"}"#,
        ] {
            assert_eq!(
                check(value, JsonKind::Object, &[], &values),
                Ok(()),
                "{value}"
            );
        }
        assert_eq!(
            check(r#"{"value": "maybe"}"#, JsonKind::Object, &[], &values)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve`, `deny` or empty; found the string \"maybe\""
        );
        assert_eq!(
            check(r#"{"value": "Approve"}"#, JsonKind::Object, &keys(&["value"]), &values)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve`, `deny` or empty; found the string \"Approve\""
        );
        assert_eq!(
            check(r#"{"value": 1}"#, JsonKind::Object, &[], &values)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve`, `deny` or empty; found the number 1"
        );
        assert_eq!(
            check(r#"{"value": "ünïcödé and a rather long text that goes on"}"#, JsonKind::Object, &[], &values)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve`, `deny` or empty; found the string \"ünïcödé and a rather long text that goe…"
        );
        let strict = BTreeMap::from([("value".to_owned(), keys(&["approve", "deny"]))]);
        assert_eq!(
            check(r#"{"value": null}"#, JsonKind::Object, &[], &strict)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve` or `deny`; found null"
        );
        assert_eq!(
            check(r#"{"value": ""}"#, JsonKind::Object, &[], &strict)
                .unwrap_err()
                .0,
            "a JSON object whose `value` is one of `approve` or `deny`; found the string \"\""
        );
        let single = BTreeMap::from([("v".to_owned(), keys(&["x"]))]);
        assert_eq!(
            check(r#"{"v": "y"}"#, JsonKind::Object, &[], &single)
                .unwrap_err()
                .0,
            "a JSON object whose `v` is `x`; found the string \"y\""
        );
        let empty_only = BTreeMap::from([("v".to_owned(), keys(&[""]))]);
        assert_eq!(
            check(r#"{"v": null}"#, JsonKind::Object, &[], &empty_only),
            Ok(())
        );
        assert_eq!(
            check(r#"{"v": "y"}"#, JsonKind::Object, &[], &empty_only)
                .unwrap_err()
                .0,
            "a JSON object whose `v` is empty; found the string \"y\""
        );
    }

    #[test]
    fn array_elements_are_checked_one_by_one() {
        let need = keys(&["key", "value"]);
        let values = BTreeMap::from([("key".to_owned(), keys(&["a", "b", ""]))]);
        assert_eq!(
            check(
                r#"[{"key":"a","value":1},{"key":null,"value":"ü"}]"#,
                JsonKind::Array,
                &need,
                &values
            ),
            Ok(())
        );
        assert_eq!(
            check(
                r#"[{"key":"a","value":1},{"key":"b"}]"#,
                JsonKind::Array,
                &need,
                &values
            )
            .unwrap_err()
            .0,
            "a JSON array of objects with the key `value`; element 2 lacks it"
        );
        assert_eq!(
            check(r#"[{"x":1}]"#, JsonKind::Array, &need, &values)
                .unwrap_err()
                .0,
            "a JSON array of objects with the keys `key` and `value`; element 1 lacks them"
        );
        assert_eq!(
            check(r#"[{"key":"a","value":1},{"key":"b","value":2},{"key":"c","value":3}]"#, JsonKind::Array, &need, &values)
                .unwrap_err()
                .0,
            "a JSON array of objects whose `key` is one of `a`, `b` or empty; element 3 has the string \"c\""
        );
    }
}
