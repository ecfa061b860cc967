//! Which protocol a model is generated for: awsJson when the model names it first, and when it
//! names another first but lists `json` in `metadata.protocols` (AWS serves both).

fn model(protocol: &str, protocols: Option<&[&str]>) -> String {
    let protocols = protocols
        .map(|ps| format!(", \"protocols\": {ps:?}"))
        .unwrap_or_default();
    format!(
        r#"{{"version": "2.0", "metadata": {{"apiVersion": "2020-01-01", "endpointPrefix": "p", "jsonVersion": "1.0", "protocol": "{protocol}"{protocols}, "serviceId": "P", "signatureVersion": "v4", "targetPrefix": "P"}}, "operations": {{}}, "shapes": {{}}}}"#
    )
}

#[test]
fn json_first_is_awsjson() {
    let (svc, _) = codegen::build_ir(&codegen::ModelFiles::new(&model("json", None))).unwrap();
    assert_eq!(svc.preferred_protocol, None);
    assert_eq!(svc.protocol_summary(), "awsJson 1.0");
}

#[test]
fn json_listed_after_cbor_is_awsjson_and_says_so() {
    let m = model("smithy-rpc-v2-cbor", Some(&["smithy-rpc-v2-cbor", "json"]));
    let (svc, diags) = codegen::build_ir(&codegen::ModelFiles::new(&m)).unwrap();
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(
        svc.preferred_protocol.as_deref(),
        Some("smithy-rpc-v2-cbor")
    );
    assert_eq!(
        svc.protocol_summary(),
        "awsJson 1.0, which the model lists after smithy-rpc-v2-cbor"
    );
}

#[test]
fn a_protocol_without_json_is_refused() {
    let m = model("smithy-rpc-v2-cbor", Some(&["smithy-rpc-v2-cbor"]));
    let diags = codegen::build_ir(&codegen::ModelFiles::new(&m)).unwrap_err();
    assert!(
        diags
            .to_string()
            .contains("metadata.protocol: protocol \"smithy-rpc-v2-cbor\" is not supported"),
        "{diags}"
    );
}
