//! The endpoint rule set beside a model: read at generation time with the client's rules
//! engine, every problem reported at its path, and a warning for what the client cannot set or
//! for a model without one.

use codegen::{ModelFiles, Settings};

const MODEL: &str = r#"{"version": "2.0", "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "p", "jsonVersion": "1.0", "protocol": "json", "serviceId": "P", "signatureVersion": "v4", "targetPrefix": "P"}, "operations": {}, "shapes": {}}"#;

const RULES: &str = r#"{"version": "1.0", "parameters": {
    "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
    "Accelerate": {"builtIn": "AWS::S3::Accelerate", "required": true, "default": false, "type": "Boolean"}
  }, "rules": [{"conditions": [], "endpoint": {"url": "https://p.example"}, "type": "endpoint"}]}"#;

fn paths(d: &codegen::Diagnostics) -> Vec<String> {
    d.iter().map(|d| d.path.clone()).collect()
}

/// Embedded as compact JSON: the same value, without the model's indentation.
#[test]
fn a_rule_set_is_embedded_as_compact_json() {
    let files = ModelFiles::new(MODEL).endpoint_rules(Some(RULES));
    let g = codegen::generate(&files, &Settings::default()).unwrap();
    let embedded = &g.files["p-types/src/endpoint-rule-set.json"];
    let value = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    assert_eq!(value(embedded), value(RULES));
    assert_eq!(embedded, &serde_json::to_string(&value(RULES)).unwrap());
    assert!(
        g.files["p-types/src/operation.rs"].contains("include_str!(\"endpoint-rule-set.json\")")
    );
    // The S3 built-in is not the client's to set: said, and generation goes on.
    assert_eq!(
        paths(&g.warnings),
        ["endpointRuleSet.parameters.Accelerate"]
    );
}

#[test]
fn every_problem_in_a_rule_set_is_reported_at_its_path() {
    let broken = r#"{"parameters": {"Region": {"type": "Integer"}, "UseFIPS": {"type": "Boolean"}},
        "rules": [{"conditions": [], "type": "endpoint"}, {"type": "mystery"},
                  {"type": "tree", "rules": [{"conditions": [{"fn": "nope", "argv": []}],
                   "endpoint": {"url": "https://x", "headers": {"h": "not a list"}}, "type": "endpoint"}]}]}"#;
    let d = codegen::build_ir(&ModelFiles::new(MODEL).endpoint_rules(Some(broken))).unwrap_err();
    assert_eq!(
        paths(&d),
        [
            "endpointRuleSet.parameters.Region.type",
            "endpointRuleSet.rules[0].endpoint",
            "endpointRuleSet.rules[1].type",
            "endpointRuleSet.rules[2].rules[0].conditions[0].fn",
            "endpointRuleSet.rules[2].rules[0].endpoint.headers.h",
        ],
        "{d}"
    );
    let d =
        codegen::build_ir(&ModelFiles::new(MODEL).endpoint_rules(Some("{not json"))).unwrap_err();
    assert_eq!(paths(&d), ["endpointRuleSet"], "{d}");
}

#[test]
fn without_a_rule_set_the_client_falls_back_with_a_warning() {
    let g = codegen::generate(&ModelFiles::new(MODEL), &Settings::default()).unwrap();
    assert_eq!(paths(&g.warnings), ["endpointRuleSet"]);
    assert!(!g.files.contains_key("p-types/src/endpoint-rule-set.json"));
    assert!(!g.files["p-types/src/operation.rs"].contains("ENDPOINT_RULES"));
}
