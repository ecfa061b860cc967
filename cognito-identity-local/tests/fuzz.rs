//! A bounded, seeded fuzz test: random and mutated bodies and headers thrown at the generated
//! service in front of the emulator. Never a panic (the emulator never answers InternalFailure),
//! always a well-formed awsJson answer. Most requests carry a well-formed SigV4 signature of any
//! key, as the service requires of signed operations by default; the others carry none or a
//! mangled one.

#[path = "../../tests/tests/common/gen.rs"]
mod gen;

use awsgen_rt::codegen::serde_json::{self, Value};
use bytes::Bytes;
use cognito_identity_local::Emulator;
use gen::{model, Gen, Rng};
use http_body_util::Full;

const ITERATIONS: u64 = 3000;

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20240102/us-east-1/cognito-identity/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Replaces a random value inside `v` with a value of another JSON type.
fn swap_type(v: &mut Value, rng: &mut Rng) {
    let replacement = match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => serde_json::json!(rng.next()),
        3 => serde_json::json!(-1.5e300),
        4 => Value::String("\u{0}\u{fffd}é😀".repeat(rng.range(0, 3) as usize)),
        5 => serde_json::json!([1, {"a": null}]),
        _ => serde_json::json!({"nested": {"deeper": [[[]]]}}),
    };
    match v {
        Value::Object(m) if !m.is_empty() && rng.chance(70) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = &keys[rng.below(keys.len() as u64) as usize];
            if let Some(inner) = m.get_mut(k) {
                swap_type(inner, rng);
            }
        }
        Value::Array(a) if !a.is_empty() && rng.chance(70) => {
            let i = rng.below(a.len() as u64) as usize;
            swap_type(&mut a[i], rng);
        }
        other => *other = replacement,
    }
}

fn mutate_bytes(mut b: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    match rng.below(5) {
        0 if !b.is_empty() => {
            let n = rng.below(b.len() as u64) as usize;
            b.truncate(n);
        }
        1 => {
            for _ in 0..rng.range(1, 8) {
                if !b.is_empty() {
                    let i = rng.below(b.len() as u64) as usize;
                    b[i] = rng.next() as u8;
                }
            }
        }
        2 => {
            let junk: Vec<u8> = (0..rng.range(1, 64)).map(|_| rng.next() as u8).collect();
            let at = rng.below(b.len() as u64 + 1) as usize;
            b.splice(at..at, junk);
        }
        3 => b = "[".repeat(rng.range(1, 5000) as usize).into_bytes(),
        _ => {}
    }
    b
}

#[tokio::test(flavor = "current_thread")]
async fn random_and_mutated_requests_never_break_the_service() {
    let svc = model();
    let mut gen = Gen::new(&svc);
    let service = cognito_identity_server::service(Emulator::new("us-east-1").unwrap());
    let ops: Vec<&String> = svc.operations.keys().collect();
    let mut statuses = std::collections::BTreeMap::new();
    let mut codes = std::collections::BTreeMap::new();
    for seed in 0..ITERATIONS {
        let mut rng = Rng::new(seed);
        let op = ops[rng.below(ops.len() as u64) as usize];
        let input = &svc.operations[op].input;
        let mut body = input
            .as_ref()
            .map(|s| gen.value(&mut rng, s, 0))
            .unwrap_or(Value::Null);
        if rng.chance(40) {
            swap_type(&mut body, &mut rng);
        }
        let mut bytes = serde_json::to_vec(&body).unwrap();
        if rng.chance(30) {
            bytes = mutate_bytes(bytes, &mut rng);
        }
        if rng.chance(5) {
            bytes = (0..rng.range(0, 512)).map(|_| rng.next() as u8).collect();
        }
        let target = match rng.below(20) {
            0 => String::new(),
            1 => format!(
                "AWSCognitoIdentityService.{}",
                "X".repeat(rng.range(1, 5000) as usize)
            ),
            2 => format!("Other.{op}"),
            3 => "AWSCognitoIdentityService.".to_owned(),
            _ => format!("AWSCognitoIdentityService.{op}"),
        };
        let content_type = match rng.below(12) {
            0 => "",
            1 => "application/json",
            2 => "application/x-amz-json-1.1; charset=UTF-8",
            3 => "APPLICATION/X-AMZ-JSON-1.1",
            _ => "application/x-amz-json-1.1",
        };
        let mut req = http::Request::builder().method("POST").uri("/");
        if !target.is_empty() {
            req = req.header("x-amz-target", target);
        }
        if !content_type.is_empty() {
            req = req.header("content-type", content_type);
        }
        let authorization = match rng.below(20) {
            0 => None,
            1 => Some(
                String::from_utf8_lossy(&mutate_bytes(AUTHORIZATION.into(), &mut rng)).into_owned(),
            ),
            _ => Some(AUTHORIZATION.to_owned()),
        };
        if let Some(value) = authorization.and_then(|a| http::HeaderValue::from_str(&a).ok()) {
            req = req
                .header("authorization", value)
                .header("x-amz-date", "20240102T030405Z");
        }
        let req = req.body(Full::new(Bytes::from(bytes))).unwrap();
        let resp = service.handle(req).await;
        let status = resp.status().as_u16();
        assert!(
            resp.headers().contains_key("x-amzn-requestid"),
            "seed {seed}"
        );
        assert_eq!(
            resp.headers()["content-type"],
            "application/x-amz-json-1.1",
            "seed {seed}"
        );
        let body = resp.into_body().collect().await.unwrap();
        let json: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("seed {seed}: not JSON ({e}): {body:?}"));
        if status != 200 {
            let code = json["__type"]
                .as_str()
                .unwrap_or_else(|| panic!("seed {seed}: no __type in {json}"));
            assert_ne!(
                code, "InternalFailure",
                "seed {seed}: the emulator panicked on {op}"
            );
            assert!(json["message"].is_string(), "seed {seed}: {json}");
            *codes.entry(code.to_owned()).or_insert(0u32) += 1;
            assert!(
                [400, 404, 405, 413, 415].contains(&status),
                "seed {seed}: status {status} {json}"
            );
        }
        *statuses.entry(status).or_insert(0u32) += 1;
    }
    println!("{ITERATIONS} requests, by status: {statuses:?}, by error: {codes:?}");
    for code in [
        "MissingAuthenticationTokenException",
        "IncompleteSignatureException",
    ] {
        assert!(
            codes.contains_key(code),
            "requests without a good signature are refused: {codes:?}"
        );
    }
    assert!(
        statuses.get(&200).copied().unwrap_or(0) > 50,
        "valid requests get through: {statuses:?}"
    );
    assert!(
        statuses.get(&400).copied().unwrap_or(0) > 100,
        "invalid ones are refused: {statuses:?}"
    );
}
