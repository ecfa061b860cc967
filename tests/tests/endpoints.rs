//! Endpoints against botocore's endpoint tests (the pinned source distribution's
//! `tests/functional/endpoint-rules/`, fetched by `cargo xtask test` with the protocol vectors):
//! cognito-identity's cases through the generated client (each case's parameters become a
//! `Config`, the client resolves its endpoint with the rule set it embeds), then every service's
//! cases against the rules engine with the service's own rule set. A case gives the parameters
//! as resolved; the cases that also give `operationInputs` (how a client derives those
//! parameters from an operation's input) are run with their parameters here.

use std::path::{Path, PathBuf};

use awsgen_rt::endpoint::{Partitions, RuleSet};
use codegen::endpoint_tests::{self, run};
use serde_json::Value as Json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn vectors() -> PathBuf {
    root().join(".cache/protocol-tests/endpoint-rules")
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (`cargo xtask test` fetches the endpoint tests)",
            path.display()
        )
    })
}

fn json(path: &Path) -> Json {
    serde_json::from_str(&text(path)).unwrap()
}

/// Prints a count line and leaves it where `cargo xtask test` prints it again after the run
/// (`target/endpoint-summary-*.txt`), as the protocol suites do.
fn summary(which: &str, line: &str) {
    println!("{line}");
    let _ = std::fs::write(
        root().join(format!("target/endpoint-summary-{which}.txt")),
        line,
    );
}

/// What a case expects, against what the client resolved; `None` when they agree.
fn check_client_case(
    got: Result<cognito_identity_client::Client, cognito_identity_client::ConfigError>,
    expect: &Json,
) -> Option<String> {
    let client = match got {
        Ok(c) => c,
        // The client's error ends with the rule set's message.
        Err(e) => {
            let message = e.to_string();
            let rule_set_message = expect["error"]
                .as_str()
                .filter(|want| message.ends_with(want))
                .unwrap_or(&message);
            return endpoint_tests::check(Err(rule_set_message), expect);
        }
    };
    let Some(e) = client.runtime().endpoint() else {
        return Some("the client has no endpoint of its own".to_owned());
    };
    let mut headers = serde_json::Map::new();
    for (name, value) in e.headers() {
        if let Json::Array(a) = headers
            .entry(name.as_str().to_owned())
            .or_insert_with(|| Json::Array(Vec::new()))
        {
            a.push(Json::from(value.to_str().unwrap_or_default()));
        }
    }
    // The client keeps a base URL without its trailing slash (requests go to `/`).
    let mut expect = expect.clone();
    if let Some(Json::String(url)) = expect.pointer_mut("/endpoint/url") {
        *url = url.trim_end_matches('/').to_owned();
    }
    let got = serde_json::json!({
        "url": e.to_string(),
        "properties": Json::Object(e.properties().iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect()),
        "headers": Json::Object(headers),
    });
    endpoint_tests::check(Ok(&got), &expect)
}

#[test]
fn cognito_identity_endpoint_tests() {
    use cognito_identity_client::{Client, Config};
    let tests = json(&vectors().join("cognito-identity/endpoint-tests-1.json"));
    let cases = tests["testCases"].as_array().unwrap();
    let mut failed = Vec::new();
    for case in cases {
        let doc = case["documentation"].as_str().unwrap_or_default();
        let mut config = Config::builder();
        let mut unset = Vec::new();
        for (name, value) in case["params"].as_object().cloned().unwrap_or_default() {
            config = match (name.as_str(), &value) {
                ("Region", Json::String(r)) => config.region(r),
                ("UseFIPS", Json::Bool(b)) => config.use_fips(*b),
                ("UseDualStack", Json::Bool(b)) => config.use_dual_stack(*b),
                ("Endpoint", Json::String(u)) => config.endpoint_url(u),
                _ => {
                    unset.push(name);
                    config
                }
            };
        }
        let problem = if !unset.is_empty() {
            Some(format!("parameters {unset:?} cannot be set on the client"))
        } else {
            let got = config.build().and_then(Client::new);
            check_client_case(got, &case["expect"])
        };
        if let Some(p) = problem {
            failed.push(format!("{doc}: {p}"));
        }
    }
    let n = cases.len();
    summary(
        "cognito",
        &format!(
            "endpoint tests cognito-identity: {} passed, {} failed",
            n - failed.len(),
            failed.len()
        ),
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(
        n, 35,
        "botocore 1.44.5 has 35 cognito-identity endpoint tests"
    );
}

/// The committed rule set is the one botocore's cognito-identity tests were written for.
#[test]
fn committed_rule_set_is_the_vectors() {
    assert_eq!(
        json(&root().join("model/cognito-identity-2014-06-30.endpoint-rule-set.json")),
        json(&vectors().join("cognito-identity/endpoint-rule-set-1.json"))
    );
}

#[test]
fn every_services_endpoint_tests() {
    let dir = vectors();
    let partitions = Partitions::parse(&text(&dir.join("partitions.json"))).unwrap();
    let mut services: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.join("endpoint-tests-1.json").exists())
        .collect();
    services.sort();
    let (mut passed, mut failed, mut failures) = (0, 0, Vec::new());
    for s in &services {
        let name = s.file_name().unwrap().to_string_lossy().into_owned();
        let rules = match RuleSet::parse(&text(&s.join("endpoint-rule-set-1.json"))) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: rule set: {e}"));
                failed += 1;
                continue;
            }
        };
        let (n, f) = run(&rules, &partitions, &json(&s.join("endpoint-tests-1.json")));
        passed += n - f.len();
        failed += f.len();
        failures.extend(f.into_iter().map(|f| format!("{name}: {f}")));
    }
    summary(
        "all",
        &format!(
            "endpoint tests of every botocore service (the rules engine on {} rule sets): {passed} passed, {failed} failed",
            services.len()
        ),
    );
    assert!(
        failures.is_empty(),
        "{} failures, the first 40:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
