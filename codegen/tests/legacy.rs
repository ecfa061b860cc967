//! Older botocore models: error references that repeat the error shape's traits
//! (`"exception": true`, `"fault": true`, `"error": {"httpStatusCode": 400}`) are part of the
//! format, read and used, not warned about.

use codegen::ir::{Service, ShapeKind, Structure};
use serde_json::{json, Value};

fn model(errors: Value, shapes: Value) -> Value {
    let mut shapes = shapes;
    shapes["Input"] = json!({"type": "structure", "members": {"Id": {"shape": "Id"}}});
    shapes["Id"] = json!({"type": "string"});
    json!({
        "version": "2.0",
        "metadata": {"apiVersion": "2014-06-30", "endpointPrefix": "old", "jsonVersion": "1.1", "protocol": "json", "signatureVersion": "v4", "targetPrefix": "Old"},
        "operations": {
            "Get": {"name": "Get", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "Input"}, "errors": errors}
        },
        "shapes": shapes
    })
}

fn error(members: Value) -> Value {
    let mut shape = json!({"type": "structure", "members": {"message": {"shape": "Id"}}});
    for (k, v) in members.as_object().unwrap() {
        shape[k] = v.clone();
    }
    shape
}

fn build(m: &Value) -> (Service, Vec<String>) {
    let (svc, diags) = codegen::build_ir(&codegen::ModelFiles::new(&m.to_string()))
        .unwrap_or_else(|d| panic!("{d}"));
    (svc, diags.iter().map(|d| d.to_string()).collect())
}

/// Whether the service's error `name` is the server's fault.
fn fault(svc: &Service, name: &str) -> bool {
    match &svc.shape(name).unwrap().kind {
        ShapeKind::Structure(Structure { error: Some(e), .. }) => e.fault,
        other => panic!("{name} is not an error: {other:?}"),
    }
}

#[test]
fn inline_error_traits_are_read_without_warnings() {
    let m = model(
        json!([
            {"shape": "Bad", "error": {"httpStatusCode": 400}, "exception": true, "documentation": "Bad input."},
            {"shape": "Internal", "exception": true, "fault": true},
            {"shape": "Query", "error": {"code": "Old.Query", "httpStatusCode": 400, "senderFault": true}, "exception": true}
        ]),
        json!({
            "Bad": error(json!({"exception": true, "error": {"httpStatusCode": 400}})),
            "Internal": error(json!({"exception": true, "fault": true})),
            "Query": error(json!({"exception": true, "error": {"code": "Old.Query", "httpStatusCode": 400, "senderFault": true}}))
        }),
    );
    let (svc, warnings) = build(&m);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(svc.operations["Get"].errors, ["Bad", "Internal", "Query"]);
    assert!(!fault(&svc, "Bad"));
    assert!(fault(&svc, "Internal"));
    assert!(!fault(&svc, "Query"));
}

#[test]
fn unknown_keys_inside_error_traits_still_warn() {
    let mut m = model(
        json!([{"shape": "Bad", "exception": true, "error": {"httpStatusCode": 400, "httpStatus": 400}}]),
        json!({"Bad": error(json!({"exception": true, "error": {"httpStatusCode": 400, "retry": true}}))}),
    );
    // The error traits belong to error references, not to members.
    m["shapes"]["Input"]["members"]["Id"] = json!({"shape": "Id", "exception": true});
    let (_, warnings) = build(&m);
    assert_eq!(
        warnings,
        [
            "warning: operations.Get.errors.0.error.httpStatus: unknown key, ignored",
            "warning: shapes.Bad.error.retry: unknown key, ignored",
            "warning: shapes.Input.members.Id.exception: unknown key, ignored",
        ]
    );
}

#[test]
fn a_malformed_error_trait_is_an_error_at_its_path() {
    let m = model(
        json!([{"shape": "Bad", "exception": true, "error": {"httpStatusCode": "four hundred"}}]),
        json!({"Bad": error(json!({"exception": true}))}),
    );
    let diags = codegen::build_ir(&codegen::ModelFiles::new(&m.to_string())).unwrap_err();
    assert!(
        diags
            .to_string()
            .contains("error: operations.Get.errors.0.error.httpStatusCode:"),
        "{diags}"
    );
}

/// The shape's own word decides; its HTTP status counts where it has no `fault` flag (500s that
/// botocore 1.44.5 leaves unflagged, directconnect's among them); the copies on the operations'
/// references count only where the shape says nothing.
#[test]
fn fault_follows_the_shape_then_its_status_then_the_references() {
    let m = model(
        json!([
            {"shape": "Unflagged500", "exception": true},
            {"shape": "Says400", "exception": true, "fault": true, "error": {"httpStatusCode": 500}},
            {"shape": "SaysClient", "exception": true, "error": {"httpStatusCode": 503}},
            {"shape": "RefFault", "exception": true, "fault": true},
            {"shape": "Ref503", "exception": true, "error": {"httpStatusCode": 503}},
            {"shape": "Ref404", "exception": true, "error": {"httpStatusCode": 404}},
            {"shape": "Silent", "exception": true},
            {"shape": "InErrorTrait", "exception": true}
        ]),
        json!({
            "Unflagged500": error(json!({"exception": true, "error": {"httpStatusCode": 500}})),
            "Says400": error(json!({"exception": true, "error": {"httpStatusCode": 400}})),
            "SaysClient": error(json!({"exception": true, "fault": false})),
            "RefFault": error(json!({"exception": true})),
            "Ref503": error(json!({"exception": true})),
            "Ref404": error(json!({"exception": true})),
            "Silent": error(json!({"exception": true})),
            "InErrorTrait": error(json!({"exception": true, "error": {"httpStatusCode": 500, "fault": true}}))
        }),
    );
    let (svc, warnings) = build(&m);
    assert_eq!(warnings, Vec::<String>::new());
    let faults: Vec<(&str, bool)> = [
        "Unflagged500",
        "Says400",
        "SaysClient",
        "RefFault",
        "Ref503",
        "Ref404",
        "Silent",
        "InErrorTrait",
    ]
    .into_iter()
    .map(|n| (n, fault(&svc, n)))
    .collect();
    assert_eq!(
        faults,
        [
            ("Unflagged500", true),
            ("Says400", false),
            ("SaysClient", false),
            ("RefFault", true),
            ("Ref503", true),
            ("Ref404", false),
            ("Silent", false),
            ("InErrorTrait", true),
        ]
    );
}

/// A shape marked `exception` only on the operation's reference to it is an error all the same.
#[test]
fn exception_marked_on_the_reference_only() {
    let m = model(
        json!([{"shape": "Gone", "exception": true, "error": {"httpStatusCode": 404}}]),
        json!({"Gone": error(json!({}))}),
    );
    let (svc, warnings) = build(&m);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(svc.operations["Get"].errors, ["Gone"]);
    assert!(!fault(&svc, "Gone"));
    // Unmarked on both sides, it is still not an error, with the warning that says so.
    let m = model(
        json!([{"shape": "Gone"}]),
        json!({"Gone": error(json!({}))}),
    );
    let (svc, warnings) = build(&m);
    assert_eq!(
        warnings,
        ["warning: operations.Get.errors.0.shape: error shape \"Gone\" is not marked `exception`"]
    );
    assert!(svc.operations["Get"].errors.is_empty());
}

/// The oldest cognito-identity model botocore ships in this format (0.107.0, 2015) loads without
/// a single diagnostic: before its inline error traits were read it gave 198 warnings.
#[test]
fn oldest_cognito_identity_model_loads_cleanly() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/cognito-identity-botocore-0.107.0.json");
    let text = std::fs::read_to_string(path).unwrap();
    let (svc, diags) =
        codegen::build_ir(&codegen::ModelFiles::new(&text)).unwrap_or_else(|d| panic!("{d}"));
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(svc.operations.len(), 17);
    assert_eq!(
        svc.operations["GetId"].errors,
        [
            "InternalErrorException",
            "InvalidParameterException",
            "LimitExceededException",
            "NotAuthorizedException",
            "ResourceConflictException",
            "ResourceNotFoundException",
            "TooManyRequestsException",
        ]
    );
    assert!(fault(&svc, "InternalErrorException"));
    assert!(!fault(&svc, "ResourceNotFoundException"));
}
