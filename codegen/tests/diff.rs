//! Model diffs: one case per kind of change (a base model and a mutation of it), each report
//! snapshot-tested, what makes two models versions of one service, and the real history of
//! cognito-identity from two botocore releases to the pinned model.

use codegen::diff::{diff, same_service, Impact};
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
    codegen::build_ir(&codegen::ModelFiles::new(&v.to_string()).paginators(pag))
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
    ("pattern widened", |m| {
        m["shapes"]["Id"]["pattern"] = json!("[a-z0-9_.-]+")
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
        &codegen::build_ir(&codegen::ModelFiles::new(&old))
            .unwrap()
            .0,
        &codegen::build_ir(&codegen::ModelFiles::new(&new))
            .unwrap()
            .0,
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

fn history(file: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history");
    std::fs::read_to_string(root.join(file)).unwrap()
}

fn pinned(suffix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("model");
    std::fs::read_to_string(dir.join(format!("cognito-identity-2014-06-30.{suffix}"))).unwrap()
}

/// cognito-identity from botocore 0.107.0 (May 2015, the oldest botocore with
/// `data/cognito-identity`: 17 operations, no `serviceId`, errors listed with their traits
/// inline, no paginators) to the pinned model and its paginators: one service, whose six later
/// operations and the paginator show up, every change classified.
#[test]
fn history_of_cognito_identity_before_service_id() {
    let old_text = history("cognito-identity-botocore-0.107.0.json");
    let (old, warnings) =
        codegen::build_ir(&codegen::ModelFiles::new(&old_text)).unwrap_or_else(|d| panic!("{d}"));
    assert!(warnings.is_empty(), "{warnings}");
    let (new, _) = codegen::build_ir(
        &codegen::ModelFiles::new(&pinned("normal.json"))
            .paginators(Some(&pinned("paginators.json"))),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        (old.service_id_in_model, new.service_id_in_model),
        (false, true)
    );
    same_service(&old, &new).unwrap();
    let report = diff(&old, &new);
    let added: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind == "operation added")
        .map(|c| c.path.trim_start_matches("operations."))
        .collect();
    assert_eq!(
        added,
        [
            "DeleteIdentities",
            "GetPrincipalTagAttributeMap",
            "ListTagsForResource",
            "SetPrincipalTagAttributeMap",
            "TagResource",
            "UntagResource",
        ]
    );
    // The serviceId the newer model brings keeps the names the endpoint prefix gave.
    let id = report
        .changes
        .iter()
        .find(|c| c.path == "metadata.serviceId")
        .unwrap();
    assert_eq!(
        (id.kind.as_str(), id.detail.as_str(), id.client, id.server),
        (
            "service id added",
            "none → \"Cognito Identity\" (crates cognito-identity-*)",
            Impact::Compatible,
            Impact::Compatible
        )
    );
    for c in &report.changes {
        assert!(
            !c.client_reason.is_empty() && !c.server_reason.is_empty(),
            "{c:?}"
        );
    }
    insta::assert_snapshot!("history_cognito_identity_0_107", report.to_text());
}

fn with_metadata(edit: impl Fn(&mut serde_json::Map<String, Value>)) -> codegen::ir::Service {
    let mut m = base();
    edit(m["metadata"].as_object_mut().unwrap());
    ir(&m, None)
}

/// Versions of one service share the endpoint and the target prefix; `serviceId` and the
/// signing name may come, go or change between them, and the diff says what that does.
#[test]
fn one_service_is_its_endpoint_and_target_prefix() {
    let old = with_metadata(|m| {
        m.remove("serviceId");
    });
    let new = ir(&base(), None);
    same_service(&old, &new).unwrap();
    // A rebranded serviceId (events: "CloudWatch Events" → "EventBridge") is the same service,
    // with crates of another name.
    let renamed = with_metadata(|m| {
        m.insert("serviceId".into(), json!("Stuff"));
        m.insert("signingName".into(), json!("stuff"));
    });
    same_service(&new, &renamed).unwrap();
    let report = diff(&new, &renamed);
    let summary: Vec<(&str, &str, Impact, Impact)> = report
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.detail.as_str(), c.client, c.server))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "metadata.serviceId",
                "\"Things\" → \"Stuff\" (crates things-* → stuff-*)",
                Impact::Breaking,
                Impact::Breaking
            ),
            (
                "metadata.signingName",
                "\"things\" → \"stuff\"",
                Impact::Compatible,
                Impact::Breaking
            ),
        ]
    );
    // Two services that share one of the two are two services (kinesisanalytics and its v2
    // share the endpoint prefix; timestream-query and -write the target prefix).
    let other_target = with_metadata(|m| {
        m.insert("targetPrefix".into(), json!("Things_V2"));
    });
    assert_eq!(
        same_service(&new, &other_target).unwrap_err(),
        "target prefix \"Things\" ≠ \"Things_V2\""
    );
    let other_endpoint = with_metadata(|m| {
        m.insert("endpointPrefix".into(), json!("ingest.things"));
    });
    assert_eq!(
        same_service(&new, &other_endpoint).unwrap_err(),
        "endpoint prefix \"things\" ≠ \"ingest.things\""
    );
}

/// An error's fault and retryability are part of its contract: a change to either is reported.
#[test]
fn error_traits_changes_are_classified() {
    let old = ir(&base(), None);
    let mut m = base();
    m["shapes"]["NotFound"]["fault"] = json!(true);
    m["shapes"]["NotFound"]["retryable"] = json!({"throttling": false});
    let report = diff(&old, &ir(&m, None));
    let kinds: Vec<(&str, &str, Impact, Impact)> = report
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.detail.as_str(), c.client, c.server))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "shapes.NotFound.fault",
                "client → server",
                Impact::Compatible,
                Impact::Compatible
            ),
            (
                "shapes.NotFound.retryable",
                "not retryable → retryable",
                Impact::Compatible,
                Impact::Compatible
            ),
        ]
    );
    insta::assert_snapshot!("diff_error_traits", report.to_text());
}
