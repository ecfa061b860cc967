//! Snapshot tests: fixture models (one feature each) and their generated code, broken models and
//! their diagnostics, and the surface of the cognito-identity crates. The fixture outputs are also
//! compiled, linted and exercised by `compile_fixtures.rs`, so a snapshot of code that does not
//! compile cannot pass.

mod common;

use std::fmt::Write as _;

use codegen::ir::{Service, ShapeKind};
use codegen::{generate, ModelFiles, Settings};

fn all_files(name: &str) -> String {
    let (service, pag) = common::read("ok", name);
    let generated = generate(
        &ModelFiles::new(&service)
            .paginators(pag.as_deref())
            .endpoint_rules(common::read_rules("ok", name).as_deref()),
        &Settings::default(),
    )
    .unwrap_or_else(|d| panic!("fixture {name} must generate:\n{d}"));
    let mut out = String::new();
    for d in generated.warnings.sorted() {
        writeln!(out, "// {d}").unwrap();
    }
    for (path, text) in &generated.files {
        writeln!(out, "// ===== {path} =====").unwrap();
        out.push_str(text);
    }
    out
}

#[test]
fn ok_fixtures_generate() {
    for name in common::OK {
        insta::assert_snapshot!(format!("ok_{name}"), all_files(name));
    }
}

#[test]
fn broken_fixtures_are_diagnosed_not_generated() {
    for name in common::BROKEN {
        let (service, pag) = common::read("broken", name);
        let diags =
            match codegen::build_ir(&codegen::ModelFiles::new(&service).paginators(pag.as_deref()))
            {
                Ok(_) => panic!("broken fixture {name} generated"),
                Err(d) => d,
            };
        assert!(
            diags.has_errors(),
            "{name}: refused without an error diagnostic"
        );
        insta::assert_snapshot!(format!("broken_{name}"), diags.to_string());
    }
}

/// One line per generated item: what a reviewer of a model update needs to see at a glance.
fn surface(svc: &Service) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "service {} (target {}, {}, signing {}, endpoint {})",
        svc.service_id, svc.target_prefix, svc.protocol, svc.signing_name, svc.endpoint_prefix
    )
    .unwrap();
    writeln!(
        out,
        "crates {} / {} / {}",
        svc.crates.types, svc.crates.client, svc.crates.server
    )
    .unwrap();
    for op in svc.operations.values() {
        writeln!(
            out,
            "operation {} -> fn {} ({:?}) input {:?} output {:?} errors {:?}{}",
            op.wire_name,
            op.method,
            op.auth,
            op.input,
            op.output,
            op.errors,
            op.paginator
                .as_ref()
                .map(|p| format!(
                    " paginated by {} -> {} items {:?} page size {:?}",
                    p.input_token, p.output_token, p.items, p.page_size
                ))
                .unwrap_or_default()
        )
        .unwrap();
    }
    for s in svc.shapes.values() {
        let sensitive = if s.sensitive { " sensitive" } else { "" };
        match &s.kind {
            ShapeKind::Structure(st) => {
                let err = st
                    .error
                    .as_ref()
                    .map(|e| format!(" error(code {}, fault {})", e.code, e.fault))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "struct {} ({}){err}{sensitive}",
                    s.rust_name, s.wire_name
                )
                .unwrap();
                for m in &st.members {
                    let req = if m.required { "required" } else { "optional" };
                    let boxed = if m.boxed { " boxed" } else { "" };
                    writeln!(
                        out,
                        "  {} <- {:?}: {} {req}{boxed}",
                        m.field, m.wire_name, m.target
                    )
                    .unwrap();
                }
            }
            ShapeKind::Enum(e) => {
                let vals: Vec<String> = e
                    .values
                    .iter()
                    .map(|v| format!("{}={:?}", v.variant, v.wire))
                    .collect();
                writeln!(
                    out,
                    "enum {} ({}){sensitive}: {}",
                    s.rust_name,
                    s.wire_name,
                    vals.join(", ")
                )
                .unwrap();
            }
            other => {
                let kind = format!("{other:?}");
                let kind = kind.split(['(', ' ']).next().unwrap_or_default().to_owned();
                writeln!(out, "shape {} {kind}{sensitive}", s.wire_name).unwrap();
            }
        }
    }
    out
}

#[test]
fn cognito_identity_surface() {
    let root = common::workspace().join("model");
    let service =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.normal.json")).unwrap();
    let pag =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.paginators.json")).unwrap();
    let rules =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.endpoint-rule-set.json"))
            .unwrap();
    let files = codegen::ModelFiles::new(&service)
        .paginators(Some(&pag))
        .endpoint_rules(Some(&rules));
    let (svc, warnings) = codegen::build_ir(&files).unwrap();
    assert!(warnings.is_empty(), "{warnings}");
    let value = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    assert_eq!(
        svc.endpoint_rules.as_deref().map(value),
        Some(value(&rules))
    );
    assert_eq!(svc.operations.len(), 23);
    assert_eq!(svc.shapes.len(), 111);
    insta::assert_snapshot!("cognito_identity_surface", surface(&svc));
}

/// The committed crates under generated/ are exactly what the generator makes of model/ (what
/// `cargo xtask gen --check` checks, as a test).
#[test]
fn committed_output_is_current() {
    let root = common::workspace();
    let service =
        std::fs::read_to_string(root.join("model/cognito-identity-2014-06-30.normal.json"))
            .unwrap();
    let pag =
        std::fs::read_to_string(root.join("model/cognito-identity-2014-06-30.paginators.json"))
            .unwrap();
    let rules = std::fs::read_to_string(
        root.join("model/cognito-identity-2014-06-30.endpoint-rule-set.json"),
    )
    .unwrap();
    let files = ModelFiles::new(&service)
        .paginators(Some(&pag))
        .endpoint_rules(Some(&rules));
    let generated = generate(&files, &Settings::default()).unwrap();
    for (path, text) in &generated.files {
        let on_disk =
            std::fs::read_to_string(root.join("generated").join(path)).unwrap_or_default();
        assert!(
            on_disk == *text,
            "generated/{path} is stale: run `cargo xtask gen`"
        );
    }
    let again = generate(&files, &Settings::default()).unwrap();
    assert_eq!(generated.files, again.files, "output is not deterministic");
}
