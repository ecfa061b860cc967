//! Which protocol a model is generated for: the first of `metadata.protocols` (else
//! `metadata.protocol`) that the generator speaks, as the service lists them in its order of
//! preference; a model that names none of them is refused.

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
fn cbor_listed_before_json_is_cbor() {
    let m = model("smithy-rpc-v2-cbor", Some(&["smithy-rpc-v2-cbor", "json"]));
    let (svc, diags) = codegen::build_ir(&codegen::ModelFiles::new(&m)).unwrap();
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(svc.preferred_protocol, None);
    assert_eq!(svc.protocol_summary(), "Smithy RPC v2 CBOR");
    assert_eq!(svc.content_type(), "application/cbor");
}

#[test]
fn a_supported_protocol_listed_second_is_used_and_says_so() {
    let m = model("query", Some(&["query", "json"]));
    let (svc, _) = codegen::build_ir(&codegen::ModelFiles::new(&m)).unwrap();
    assert_eq!(svc.preferred_protocol.as_deref(), Some("query"));
    assert_eq!(
        svc.protocol_summary(),
        "awsJson 1.0, which the model lists after query"
    );
}

#[test]
fn a_protocol_the_generator_does_not_speak_is_refused() {
    let m = model("query", Some(&["query"]));
    let diags = codegen::build_ir(&codegen::ModelFiles::new(&m)).unwrap_err();
    assert!(
        diags
            .to_string()
            .contains("metadata.protocol: protocol \"query\" is not supported"),
        "{diags}"
    );
}
