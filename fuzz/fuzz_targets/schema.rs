//! Parsing arbitrary text as a schema never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = csvgate_schema::Schema::parse("fuzz.toml", text);
});
