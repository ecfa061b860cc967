//! `Debug` of every input and output of cognito-identity that holds a sensitive value shows none
//! of it. The list of such shapes is computed from the model, so a model update that adds one
//! fails here until it is covered.

use std::collections::BTreeSet;

use awsgen_rt::codegen::serde_json::{self, json, Map, Value};
use codegen::ir::{Service, ShapeKind};
use cognito_identity_types::types;

#[path = "common/gen.rs"]
mod gen;
use gen::model;

fn holds_secret(svc: &Service, shape: &str, seen: &mut BTreeSet<String>) -> bool {
    if !seen.insert(shape.to_owned()) {
        return false;
    }
    let Some(s) = svc.shape(shape) else {
        return false;
    };
    if s.sensitive {
        return true;
    }
    match &s.kind {
        ShapeKind::Structure(st) => st
            .members
            .iter()
            .any(|m| holds_secret(svc, &m.target, seen)),
        ShapeKind::List(l) => holds_secret(svc, &l.member, seen),
        ShapeKind::Map(m) => holds_secret(svc, &m.key, seen) || holds_secret(svc, &m.value, seen),
        _ => false,
    }
}

/// A value of `shape` with every member set; sensitive strings are `SECRET-<n>`.
fn sample(svc: &Service, shape: &str, secret: bool, n: &mut usize) -> Value {
    let s = svc.shape(shape).unwrap();
    let secret = secret || s.sensitive;
    match &s.kind {
        ShapeKind::Structure(st) => {
            let mut m = Map::new();
            for member in &st.members {
                m.insert(
                    member.wire_name.clone(),
                    sample(svc, &member.target, secret, n),
                );
            }
            Value::Object(m)
        }
        ShapeKind::List(l) => json!([sample(svc, &l.member, secret, n)]),
        ShapeKind::Map(m) => {
            let key = match sample(svc, &m.key, secret, n) {
                Value::String(k) => k,
                other => other.to_string(),
            };
            json!({ key: sample(svc, &m.value, secret, n) })
        }
        ShapeKind::Enum(e) => json!(e.values[0].wire),
        ShapeKind::String(_) if secret => {
            *n += 1;
            json!(format!("SECRET-{n}"))
        }
        ShapeKind::String(_) => json!("visible"),
        ShapeKind::Boolean => json!(true),
        ShapeKind::Timestamp(_) => json!(1_700_000_000),
        ShapeKind::Blob(_) => json!("AAAA"),
        _ => json!(1),
    }
}

macro_rules! check {
    ($svc:expr, $covered:expr, $($t:ident),*) => {$(
        let name = stringify!($t);
        let mut n = 0;
        let value = sample(&$svc, name, false, &mut n);
        assert!(n > 0, "{name}: the sample holds no secret");
        let parsed: types::$t = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for shown in [format!("{parsed:?}"), format!("{parsed:#?}")] {
            assert!(!shown.contains("SECRET-"), "{name} leaks: {shown}");
            assert!(shown.contains("visible") || !value.to_string().contains("visible"), "{name} hides too much: {shown}");
        }
        $covered.insert(name.to_owned());
    )*};
}

#[test]
fn every_input_and_output_with_a_secret_is_redacted() {
    let svc = model();
    let mut expected = BTreeSet::new();
    for op in svc.operations.values() {
        for shape in op.input.iter().chain(op.output.iter()) {
            if holds_secret(&svc, shape, &mut BTreeSet::new()) {
                expected.insert(shape.clone());
            }
        }
    }
    let mut covered = BTreeSet::new();
    check!(
        svc,
        covered,
        GetIdInput,
        GetCredentialsForIdentityInput,
        GetCredentialsForIdentityResponse,
        GetOpenIdTokenInput,
        GetOpenIdTokenResponse,
        GetOpenIdTokenForDeveloperIdentityInput,
        GetOpenIdTokenForDeveloperIdentityResponse,
        UnlinkIdentityInput
    );
    assert_eq!(
        covered, expected,
        "inputs and outputs holding secrets vs the ones checked here"
    );
}
