//! Model patterns mean what they mean to AWS: the generator's rewrite (`codegen::pattern`), run
//! by the server runtime's matcher, gives Java's own verdict on every sample, for every pattern
//! in the fixture (`tests/fixtures/pattern-verdicts.json`: the patterns of botocore 1.44.5 whose
//! rewrite needs more than anchoring, and cognito-identity's; `pattern_verdicts.py` beside it
//! makes it with the JDK).

use awsgen_rt::codegen::serde_json::{self, Value};
use awsgen_rt::server::schema::{Pattern, Schema};

#[test]
fn every_pattern_matches_as_java_matches_the_whole_value() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/pattern-verdicts.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let samples: Vec<&str> = doc["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let cases = doc["cases"].as_array().unwrap();
    let mut patterns = Vec::new();
    let mut unbuilt = Vec::new();
    for case in cases {
        let source = case["pattern"].as_str().unwrap();
        match codegen::pattern::check(source) {
            Ok(t) => patterns.push(Pattern {
                source: leak(source.to_owned()),
                regex: leak(t.regex),
                fancy: t.fancy,
                chars: t.chars,
            }),
            Err(e) => unbuilt.push(format!("{source:?}: {e}")),
        }
    }
    assert!(
        unbuilt.is_empty(),
        "patterns that do not build:\n{}",
        unbuilt.join("\n")
    );
    let schema: &'static Schema = Box::leak(Box::new(Schema::new(
        &[],
        &[],
        Box::leak(patterns.into_boxed_slice()),
    )));
    let (mut passed, mut failed) = (0, Vec::new());
    for (i, case) in cases.iter().enumerate() {
        let java = case["java"].as_str().unwrap().as_bytes();
        for (j, sample) in samples.iter().enumerate() {
            let ours = schema.matches(i as u32, sample);
            if ours == (java[j] == b'1') {
                passed += 1;
            } else {
                failed.push(format!(
                    "{:?} on {sample:?}: Java {}, ours {ours}",
                    schema.patterns[i].source,
                    java[j] == b'1'
                ));
            }
        }
    }
    println!(
        "pattern verdicts against Java: {passed} passed, {} failed",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} disagreements:\n{}",
        failed.len(),
        failed.join("\n")
    );
    // The fixture still holds what it is meant to (a pattern of each rewrite rule).
    assert!(cases.len() > 300, "{} cases", cases.len());
    assert!(schema.patterns.iter().any(|p| p.fancy));
    assert!(schema.patterns.iter().any(|p| p.chars.is_some()));
}

/// The issue's example: `IdentityPoolName` is `[\w\s+=,.@-]+`, and AWS refuses a value that
/// only contains a match.
#[test]
fn identity_pool_name_refuses_what_aws_refuses() {
    let t = codegen::pattern::check(r"[\w\s+=,.@-]+").unwrap();
    let patterns: &'static [Pattern] = Box::leak(Box::new([Pattern {
        source: r"[\w\s+=,.@-]+",
        regex: leak(t.regex),
        fancy: t.fancy,
        chars: t.chars,
    }]));
    let schema: &'static Schema = Box::leak(Box::new(Schema::new(&[], &[], patterns)));
    assert!(schema.matches(0, "my pool+1@x.y"));
    assert!(!schema.matches(0, "bad/name"));
    assert!(!schema.matches(0, "a\u{0}b"));
    assert!(!schema.matches(0, "é"));
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
