//! Shared by the codegen tests: where fixtures and the workspace are.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The fixture models that must generate (`<name>.json`, with `<name>.paginators.json` and
/// `<name>.endpoint-rule-set.json` where there are).
pub const OK: &[&str] = &[
    "endpoints",
    "ledger",
    "names",
    "paginated",
    "recursive",
    "sensitive",
    "shapes",
    "streaming",
];

/// The fixture models that must be refused with diagnostics.
pub const BROKEN: &[&str] = &[
    "rest-bindings",
    "malformed",
    "many-problems",
    "not-an-object",
    "wrong-protocol",
];

pub fn read(dir: &str, name: &str) -> (String, Option<String>) {
    let base = fixtures().join(dir);
    let service = std::fs::read_to_string(base.join(format!("{name}.json"))).unwrap();
    let pag = std::fs::read_to_string(base.join(format!("{name}.paginators.json"))).ok();
    (service, pag)
}

/// A fixture's endpoint rule set, if it has one.
pub fn read_rules(dir: &str, name: &str) -> Option<String> {
    std::fs::read_to_string(
        fixtures()
            .join(dir)
            .join(format!("{name}.endpoint-rule-set.json")),
    )
    .ok()
}
