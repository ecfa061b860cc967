//! botocore's endpoint tests (`tests/functional/endpoint-rules/<service>/endpoint-tests-1.json`
//! of its source distribution): how a case's outcome is compared with what it expects, for
//! every runner (the rules engine on each service's rule set, the generated cognito-identity
//! client, the sweep's generated operations).
//!
//! An outcome is the endpoint as JSON (`{"url", "properties", "headers"}`,
//! `awsgen_rt::endpoint::Endpoint::to_json`) or the rule set's error message.

use awsgen_rt::endpoint::{Params, Partitions, RuleSet, Value};
use serde_json::{Map, Value as Json};

/// A case's parameter value as the rules engine takes it (`None` for what is not one).
pub fn param(j: &Json) -> Option<Value> {
    Some(match j {
        Json::String(s) => Value::String(s.clone()),
        Json::Bool(b) => Value::Bool(*b),
        Json::Array(a) => Value::Array(a.iter().map(param).collect::<Option<_>>()?),
        _ => return None,
    })
}

/// A case's resolved `params`.
pub fn params_of(case: &Json) -> Params {
    case.get("params")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), param(v)?)))
        .collect()
}

/// What is wrong with `got` for a case that expects `expect`; `None` when they agree. An
/// expected endpoint without `properties` or `headers` expects none.
pub fn check(got: Result<&Json, &str>, expect: &Json) -> Option<String> {
    match (got, expect.get("endpoint"), expect.get("error")) {
        (Ok(e), Some(want), _) => {
            let mut p = Vec::new();
            if want["url"] != e["url"] {
                p.push(format!("url {} (want {})", e["url"], want["url"]));
            }
            let none = Json::Object(Map::new());
            for what in ["properties", "headers"] {
                let got = e.get(what).unwrap_or(&none);
                let want = want.get(what).unwrap_or(&none);
                if got != want {
                    p.push(format!("{what} {got} (want {want})"));
                }
            }
            (!p.is_empty()).then(|| p.join(", "))
        }
        (Err(e), _, Some(want)) if want.as_str() == Some(e) => None,
        (Err(e), _, Some(want)) => Some(format!("error {e:?} (want {want})")),
        (Err(e), Some(want), _) => Some(format!("error {e:?} (want {})", want["url"])),
        (Ok(e), None, want) => Some(format!("endpoint {} (want error {want:?})", e["url"])),
        (Err(e), None, None) => Some(format!("error {e:?}, and the case expects nothing")),
    }
}

/// Runs every case of `tests` (with its resolved `params`) against `rules`: how many cases, and
/// the failures, described.
pub fn run(rules: &RuleSet, partitions: &Partitions, tests: &Json) -> (usize, Vec<String>) {
    let cases = tests["testCases"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let failures = cases
        .iter()
        .filter_map(|case| {
            let got = rules
                .resolve(&params_of(case), partitions)
                .map(|e| e.to_json());
            let problem = match &got {
                Ok(e) => check(Ok(e), &case["expect"]),
                Err(e) => check(Err(&e.0), &case["expect"]),
            }?;
            Some(format!(
                "{}: {problem}",
                case["documentation"].as_str().unwrap_or_default()
            ))
        })
        .collect();
    (cases.len(), failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcomes_against_expectations() {
        let e = json!({"url": "https://a", "properties": {}, "headers": {}});
        assert_eq!(
            check(Ok(&e), &json!({"endpoint": {"url": "https://a"}})),
            None
        );
        assert!(check(Ok(&e), &json!({"endpoint": {"url": "https://b"}})).is_some());
        assert!(check(
            Ok(&e),
            &json!({"endpoint": {"url": "https://a", "headers": {"x": ["1"]}}})
        )
        .is_some());
        assert!(check(Ok(&e), &json!({"error": "no"})).is_some());
        assert_eq!(check(Err("no"), &json!({"error": "no"})), None);
        assert!(check(Err("no"), &json!({"error": "other"})).is_some());
        assert!(check(Err("no"), &json!({"endpoint": {"url": "https://a"}})).is_some());
    }
}
