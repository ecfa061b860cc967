//! Model diffs: one case per kind of change (a base model and a mutation of it), each report
//! snapshot-tested, and the real history of cognito-identity between two botocore releases.

use codegen::diff::{diff, Impact};
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "version": "2.0",
        "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "things", "jsonVersion": "1.1", "protocol": "json", "serviceId": "Things", "signatureVersion": "v4", "targetPrefix": "Things"},
        "operations": {
            "GetThing": {"name": "GetThing", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "GetThingInput"}, "output": {"shape": "Thing"}, "errors": [{"shape": "NotFound"}]},
            "ListThings": {"name": "ListThings", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "ListInput"}, "output": {"shape": "ListOutput"}, "authtype": "none"}
        },
        "shapes": {
            "GetThingInput": {"type": "structure", "required": ["Id"], "members": {"Id": {"shape": "Id"}, "Verbose": {"shape": "Flag"}}, "documentation": "<p>Input.</p>"},
            "Thing": {"type": "structure", "members": {"Id": {"shape": "Id"}, "Color": {"shape": "Color"}, "Count": {"shape": "Count"}}},
            "ListInput": {"type": "structure", "members": {"NextToken": {"shape": "Id"}, "Max": {"shape": "Count"}}},
            "ListOutput": {"type": "structure", "members": {"Things": {"shape": "Things"}, "NextToken": {"shape": "Id"}}},
            "Things": {"type": "list", "member": {"shape": "Thing"}},
            "Id": {"type": "string", "min": 1, "max": 64, "pattern": "[a-z0-9-]+"},
            "Flag": {"type": "boolean"},
            "Count": {"type": "integer", "min": 1, "max": 100},
            "Color": {"type": "string", "enum": ["red", "green"]},
            "NotFound": {"type": "structure", "members": {"message": {"shape": "Id"}}, "exception": true},
            "Busy": {"type": "structure", "members": {"message": {"shape": "Id"}}, "exception": true}
        }
    })
}

const PAGINATORS: &str = r#"{"pagination": {"ListThings": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "Things", "limit_key": "Max"}}}"#;

fn ir(v: &Value, pag: Option<&str>) -> codegen::ir::Service {
    codegen::build_ir(&v.to_string(), pag)
        .unwrap_or_else(|d| panic!("{d}"))
        .0
}

type Mutation = fn(&mut Value);

const CASES: &[(&str, Mutation)] = &[
    (
        "operation added",
        |m| m["operations"]["DeleteThing"] = json!({"name": "DeleteThing", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "GetThingInput"}}),
    ),
    ("operation removed", |m| {
        m["operations"].as_object_mut().unwrap().remove("GetThing");
    }),
    ("optional input member added", |m| {
        m["shapes"]["GetThingInput"]["members"]["Fields"] = json!({"shape": "Id"})
    }),
    ("required input member added", |m| {
        m["shapes"]["GetThingInput"]["members"]["Owner"] = json!({"shape": "Id"});
        m["shapes"]["GetThingInput"]["required"] = json!(["Id", "Owner"]);
    }),
    ("member removed", |m| {
        m["shapes"]["Thing"]["members"]
            .as_object_mut()
            .unwrap()
            .remove("Count");
    }),
    ("member made required", |m| {
        m["shapes"]["Thing"]["required"] = json!(["Color"])
    }),
    ("member made optional", |m| {
        m["shapes"]["GetThingInput"]["required"] = json!([])
    }),
    ("member type changed", |m| {
        m["shapes"]["Thing"]["members"]["Count"] = json!({"shape": "Id"})
    }),
    ("enum value added", |m| {
        m["shapes"]["Color"]["enum"] = json!(["red", "green", "blue"])
    }),
    ("enum value removed", |m| {
        m["shapes"]["Color"]["enum"] = json!(["red"])
    }),
    ("max length tightened", |m| {
        m["shapes"]["Id"]["max"] = json!(32)
    }),
    ("range loosened", |m| {
        m["shapes"]["Count"]["max"] = json!(1000)
    }),
    ("pattern changed", |m| {
        m["shapes"]["Id"]["pattern"] = json!("[a-z]+")
    }),
    ("error added", |m| {
        m["operations"]["GetThing"]["errors"] = json!([{"shape": "NotFound"}, {"shape": "Busy"}])
    }),
    ("error removed", |m| {
        m["operations"]["GetThing"]["errors"] = json!([])
    }),
    ("operation now signed", |m| {
        m["operations"]["ListThings"]
            .as_object_mut()
            .unwrap()
            .remove("authtype");
    }),
    ("documentation only", |m| {
        m["shapes"]["GetThingInput"]["documentation"] = json!("<p>Input, better explained.</p>")
    }),
];

#[test]
fn each_kind_of_change_is_classified() {
    let old = ir(&base(), Some(PAGINATORS));
    let mut out = String::new();
    for (name, mutate) in CASES {
        let mut m = base();
        mutate(&mut m);
        let report = diff(&old, &ir(&m, Some(PAGINATORS)));
        assert!(
            !report.changes.is_empty() || report.documentation_changes > 0,
            "{name}: no change found"
        );
        out.push_str(&format!("### {name}\n{}\n", report.to_text()));
    }
    let report = diff(&old, &ir(&base(), None));
    assert!(report
        .changes
        .iter()
        .any(|c| c.kind == "paginator removed" && c.client == Impact::Breaking));
    out.push_str(&format!("### paginator removed\n{}\n", report.to_text()));
    insta::assert_snapshot!("diff_kinds", out);
    assert!(diff(&old, &old).changes.is_empty(), "a model equals itself");
}

#[test]
fn formats() {
    let old = ir(&base(), Some(PAGINATORS));
    let mut m = base();
    m["shapes"]["Color"]["enum"] = json!(["red"]);
    let report = diff(&old, &ir(&m, Some(PAGINATORS)));
    insta::assert_snapshot!("diff_markdown", report.to_markdown());
    let v: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(v["changes"][0]["client"], "breaking");
    assert_eq!(v["changes"][0]["kind"], "enum value removed");
}

/// cognito-identity from botocore 1.12.0 (September 2018) to the pinned model: the operations and
/// members added since (principal tags, resource tags, AllowClassicFlow) show up, classified.
#[test]
fn real_history_of_cognito_identity() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history");
    let old = std::fs::read_to_string(root.join("cognito-identity-botocore-1.12.0.json")).unwrap();
    let new_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("model");
    let new =
        std::fs::read_to_string(new_dir.join("cognito-identity-2014-06-30.normal.json")).unwrap();
    let report = diff(
        &codegen::build_ir(&old, None).unwrap().0,
        &codegen::build_ir(&new, None).unwrap().0,
    );
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.kind == "operation added"
                && c.path == "operations.SetPrincipalTagAttributeMap")
    );
    insta::assert_snapshot!("history_cognito_identity", report.to_text());
}
