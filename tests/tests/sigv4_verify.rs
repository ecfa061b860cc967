//! The server's SigV4 verification against the client's signer: good signatures pass with the
//! caller's access key id; a wrong secret, an unknown key, a missing or incomplete header and an
//! expired date are refused the way AWS refuses them. The client's signatures are also
//! well-formed, as a server requires by default.

use std::time::{Duration, UNIX_EPOCH};

use awsgen_rt::client::sign::Signer;
use awsgen_rt::client::Credentials;
use awsgen_rt::server::SigV4Verifier;
use awsgen_rt::{ByteStream, DateTime};
use bytes::Bytes;

fn signed(secret: &str, at: u64) -> (http::request::Parts, Bytes) {
    let mut req = http::Request::builder()
        .method("POST")
        .uri("http://127.0.0.1:4566/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.ListIdentityPools",
        )
        .body(ByteStream::from_static(br#"{"MaxResults":10}"#))
        .unwrap();
    let creds = Credentials::new("AKIDVERIFY", secret, Some("session".into()), None, "test");
    Signer::new("cognito-identity", "us-east-1".into()).sign(
        &mut req,
        false,
        &creds,
        UNIX_EPOCH + Duration::from_secs(at),
    );
    let (parts, body) = req.into_parts();
    (parts, body.bytes().cloned().expect("in memory"))
}

fn verifier() -> SigV4Verifier {
    SigV4Verifier::new(|id| (id == "AKIDVERIFY").then(|| "the-secret".to_owned()))
}

const T: u64 = 1_700_000_000;

#[test]
fn good_signatures_pass() {
    let (parts, body) = signed("the-secret", T);
    let who = verifier()
        .verify_at(
            &parts,
            &body,
            "cognito-identity",
            DateTime::from_secs(T as i64 + 60),
        )
        .unwrap();
    assert_eq!(who, "AKIDVERIFY");
}

#[test]
fn bad_signatures_are_refused_as_aws_does() {
    let v = verifier();
    let now = DateTime::from_secs(T as i64);
    let (parts, body) = signed("wrong-secret", T);
    assert_eq!(
        v.verify_at(&parts, &body, "cognito-identity", now)
            .unwrap_err()
            .code,
        "InvalidSignatureException"
    );

    let (parts, _) = signed("the-secret", T);
    let tampered = Bytes::from_static(br#"{"MaxResults":60}"#);
    assert_eq!(
        v.verify_at(&parts, &tampered, "cognito-identity", now)
            .unwrap_err()
            .code,
        "InvalidSignatureException"
    );

    let (parts, body) = signed("the-secret", T);
    let err = v
        .verify_at(
            &parts,
            &body,
            "cognito-identity",
            DateTime::from_secs(T as i64 + 3600),
        )
        .unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    assert!(
        err.message.starts_with("Signature expired"),
        "{}",
        err.message
    );

    let (parts, body) = signed("the-secret", T);
    assert_eq!(
        v.verify_at(&parts, &body, "other-service", now)
            .unwrap_err()
            .code,
        "InvalidSignatureException"
    );

    let unknown = SigV4Verifier::new(|_| None);
    let (parts, body) = signed("the-secret", T);
    assert_eq!(
        unknown
            .verify_at(&parts, &body, "cognito-identity", now)
            .unwrap_err()
            .code,
        "UnrecognizedClientException"
    );

    let (mut parts, body) = signed("the-secret", T);
    parts.headers.remove("authorization");
    let err = v
        .verify_at(&parts, &body, "cognito-identity", now)
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            "MissingAuthenticationTokenException",
            "Request is missing Authentication Token"
        )
    );

    let (mut parts, body) = signed("the-secret", T);
    parts.headers.insert(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDVERIFY/20231114/us-east-1/cognito-identity/aws4_request"
            .parse()
            .unwrap(),
    );
    let err = v
        .verify_at(&parts, &body, "cognito-identity", now)
        .unwrap_err();
    assert_eq!(err.code, "IncompleteSignatureException");
    assert_eq!(
        err.message,
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."
    );

    let (mut parts, body) = signed("the-secret", T);
    parts.headers.remove("x-amz-date");
    assert_eq!(
        v.verify_at(&parts, &body, "cognito-identity", now)
            .unwrap_err()
            .code,
        "IncompleteSignatureException"
    );
}

#[test]
fn the_clients_signatures_are_well_formed() {
    let (parts, _) = signed("any-secret", T);
    let auth =
        awsgen_rt::server::verify::check_well_formed(&parts.headers, "cognito-identity").unwrap();
    assert_eq!(auth.access_key_id, "AKIDVERIFY");
    assert_eq!(auth.signature.len(), 64);
}

/// What `encode_request` and `copy_request` give the signer: the operation's headers and nothing
/// else (no empty values in place of the ones the signer adds), in a stable order; signed, with
/// or without a session token, the request verifies.
#[test]
fn encoded_requests_carry_exactly_their_headers() {
    use awsgen_rt::client::protocol::{copy_request, encode_request, Endpoint};
    use cognito_identity_types::operation::{GetId, ListIdentityPools};
    use cognito_identity_types::types::{GetIdInput, ListIdentityPoolsInput};

    let endpoint = Endpoint::parse("http://127.0.0.1:4566").unwrap();
    let names = |r: &http::Request<ByteStream>| -> Vec<String> {
        r.headers().keys().map(|k| k.as_str().to_owned()).collect()
    };
    let input = ListIdentityPoolsInput::builder()
        .max_results(10)
        .build()
        .unwrap();
    let req = encode_request::<ListIdentityPools>(&input, None, &endpoint).unwrap();
    let plain = [
        "content-type",
        "content-length",
        "x-amz-target",
        "user-agent",
    ];
    assert_eq!(names(&req), plain);
    assert_eq!(names(&copy_request(&req).unwrap()), plain);
    let get_id = GetIdInput::builder()
        .identity_pool_id("us-east-1:x")
        .build()
        .unwrap();
    assert_eq!(
        names(&encode_request::<GetId>(&get_id, None, &endpoint).unwrap()),
        plain
    );

    for token in [None, Some("session".to_owned())] {
        let creds = Credentials::new("AKIDVERIFY", "the-secret", token.clone(), None, "test");
        let mut signed = copy_request(&req).unwrap();
        Signer::new("cognito-identity", "us-east-1".into()).sign(
            &mut signed,
            false,
            &creds,
            UNIX_EPOCH + Duration::from_secs(T),
        );
        let mut want: Vec<&str> = plain.to_vec();
        want.extend(["host", "x-amz-date"]);
        want.extend(token.as_ref().map(|_| "x-amz-security-token"));
        want.push("authorization");
        assert_eq!(names(&signed), want);
        assert!(signed.headers().values().all(|v| !v.is_empty()));
        let (parts, body) = signed.into_parts();
        let who = verifier()
            .verify_at(
                &parts,
                body.bytes().expect("in memory"),
                "cognito-identity",
                DateTime::from_secs(T as i64),
            )
            .unwrap();
        assert_eq!(who, "AKIDVERIFY");
    }
}

/// A request signed `UNSIGNED-PAYLOAD` (a streamed body) verifies whatever its body, since the
/// signature does not cover it; the header is signed, so it cannot be added afterwards.
#[test]
fn unsigned_payloads_verify_without_their_body() {
    let mut req = http::Request::builder()
        .method("PUT")
        .uri("https://127.0.0.1:4566/objects/a")
        .body(ByteStream::from_static(b"the body"))
        .unwrap();
    let creds = Credentials::new("AKIDVERIFY", "the-secret", None, None, "test");
    Signer::new("cognito-identity", "us-east-1".into()).sign(
        &mut req,
        true,
        &creds,
        UNIX_EPOCH + Duration::from_secs(T),
    );
    let (parts, _) = req.into_parts();
    assert_eq!(parts.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    let now = DateTime::from_secs(T as i64);
    for body in [&b"the body"[..], b"any other body"] {
        let who = verifier().verify_at(&parts, body, "cognito-identity", now);
        assert_eq!(who.as_deref(), Ok("AKIDVERIFY"), "{body:?}");
    }
    // The same request with the body signed, and the header added afterwards: refused.
    let mut req = http::Request::builder()
        .method("PUT")
        .uri("https://127.0.0.1:4566/objects/a")
        .body(ByteStream::from_static(b"the body"))
        .unwrap();
    Signer::new("cognito-identity", "us-east-1".into()).sign(
        &mut req,
        false,
        &creds,
        UNIX_EPOCH + Duration::from_secs(T),
    );
    let (mut parts, _) = req.into_parts();
    parts
        .headers
        .insert("x-amz-content-sha256", "UNSIGNED-PAYLOAD".parse().unwrap());
    let e = verifier()
        .verify_at(&parts, b"another body", "cognito-identity", now)
        .unwrap_err();
    assert_eq!(e.code, "InvalidSignatureException");
}

/// A request signed now by the client: its body in memory (whose hash is signed), with the
/// hash declared in `x-amz-content-sha256` or not, or a stream (signed as `UNSIGNED-PAYLOAD`).
fn signed_streamed(body: &'static [u8], declared: Option<&str>) -> http::request::Parts {
    let body = match declared {
        Some("UNSIGNED-PAYLOAD") => {
            ByteStream::from_body(http_body_util::Full::new(Bytes::from_static(body)))
        }
        _ => ByteStream::from_static(body),
    };
    let mut req = http::Request::builder()
        .method("PUT")
        .uri("http://127.0.0.1:4566/objects/a")
        .body(body)
        .unwrap();
    let declared = declared.filter(|d| *d != "UNSIGNED-PAYLOAD");
    if let Some(d) = declared {
        req.headers_mut()
            .insert("x-amz-content-sha256", d.parse().unwrap());
    }
    let creds = Credentials::new("AKIDVERIFY", "the-secret", None, None, "test");
    Signer::new("media", "us-east-1".into()).sign(
        &mut req,
        false,
        &creds,
        std::time::SystemTime::now(),
    );
    req.into_parts().0
}

/// A streamed payload is checked before it is read when the request signs
/// `x-amz-content-sha256`; its declared hash is then checked as the body flows, and a body that
/// differs ends in S3's `XAmzContentSHA256Mismatch` rather than ending.
#[tokio::test]
async fn streamed_payloads_are_checked_against_their_signed_hash() {
    use awsgen_rt::server::verify::Sha256Checked;
    use awsgen_rt::sigv4::{hex, sha256};
    use http_body_util::Full;

    let v = verifier();
    let hash = hex(&sha256(b"the bytes"));

    // No declared hash: the signature covers the body's hash, which needs the body first.
    let parts = signed_streamed(b"the bytes", None);
    assert_eq!(v.verify_streamed(&parts, "media").unwrap(), None);

    let parts = signed_streamed(b"the bytes", Some("UNSIGNED-PAYLOAD"));
    let streamed = v.verify_streamed(&parts, "media").unwrap().unwrap();
    assert_eq!(
        (streamed.access_key_id.as_str(), streamed.sha256),
        ("AKIDVERIFY", None)
    );

    let parts = signed_streamed(b"the bytes", Some(&hash));
    let streamed = v.verify_streamed(&parts, "media").unwrap().unwrap();
    assert_eq!(streamed.access_key_id, "AKIDVERIFY");
    let expected = streamed
        .sha256
        .expect("a declared hash to check the body against");
    assert_eq!(hex(&expected), hash);
    let good = ByteStream::from_body(Sha256Checked::new(
        Full::new(Bytes::from_static(b"the bytes")),
        expected,
    ));
    assert_eq!(good.collect().await.unwrap(), "the bytes");
    let bad = ByteStream::from_body(Sha256Checked::new(
        Full::new(Bytes::from_static(b"other bytes")),
        expected,
    ));
    let err = bad.collect().await.unwrap_err().to_string();
    assert!(err.contains("XAmzContentSHA256Mismatch"), "{err}");

    // A declared hash the buffered body does not have is refused as S3 refuses it.
    let parts = signed_streamed(b"the bytes", Some(&hash));
    assert_eq!(
        v.verify(&parts, b"other bytes", "media").unwrap_err().code,
        "XAmzContentSHA256Mismatch"
    );
    assert_eq!(
        v.verify(&parts, b"the bytes", "media").unwrap(),
        "AKIDVERIFY"
    );

    // The signature is checked with the declared hash: another secret fails before any body.
    let wrong = SigV4Verifier::new(|_| Some("other-secret".to_owned()));
    assert_eq!(
        wrong.verify_streamed(&parts, "media").unwrap_err().code,
        "InvalidSignatureException"
    );
}
