//! `fix` of arbitrary bytes with the entitlements-upload schema never panics, and is
//! idempotent: fixing its output again changes nothing.
#![no_main]

use std::sync::OnceLock;

use csvgate_schema::Schema;
use libfuzzer_sys::fuzz_target;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        csvgate_schema::builtin::load("entitlements-upload")
            .expect("a built-in name")
            .expect("a built-in schema parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let mut once = Vec::new();
    csvgate_engine::fix(data, Some(schema()), &mut once).expect("writing to a Vec never fails");
    let mut twice = Vec::new();
    let report = csvgate_engine::fix(once.as_slice(), Some(schema()), &mut twice)
        .expect("writing to a Vec never fails");
    assert_eq!(
        once, twice,
        "fixing twice changed the output again: {:?}",
        report.changes
    );
    assert!(
        report.changes.is_empty(),
        "changes on the second fix: {:?}",
        report.changes
    );
});
