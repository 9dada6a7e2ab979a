//! What the fuzz targets share: the built-in schemas and bundles, parsed once.
#![allow(dead_code)]

use std::sync::OnceLock;

use csvgate_schema::{Bundle, Schema};

/// Every built-in schema.
pub fn schemas() -> &'static [Schema] {
    static SCHEMAS: OnceLock<Vec<Schema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        csvgate_schema::builtin::names()
            .map(|name| {
                csvgate_schema::builtin::load(name)
                    .expect("a built-in name")
                    .expect("a built-in schema parses")
            })
            .collect()
    })
}

/// Every built-in bundle.
pub fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        csvgate_schema::builtin::bundle_names()
            .map(|name| {
                csvgate_schema::builtin::load_bundle(name)
                    .expect("a built-in name")
                    .expect("a built-in bundle parses")
            })
            .collect()
    })
}
