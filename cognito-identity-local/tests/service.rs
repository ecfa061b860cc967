//! The generated server's HTTP behaviour, in process: routing, content type, body limits, empty
//! and malformed bodies, validation in AWS's wording (snapshot), modelled errors, handler
//! panics, and the signature a signed operation needs by default — with the service still
//! answering after each.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use awsgen_rt::codegen::serde_json::{self, json, Value};
use bytes::Bytes;
use cognito_identity_local::Emulator;
use cognito_identity_server::error::GetIdError;
use cognito_identity_server::types::{GetIdInput, GetIdResponse, InternalErrorException};
use cognito_identity_server::{
    service, AwsJsonService, CognitoIdentity, Limits, RequestContext, Router,
};
use http_body_util::Full;

type Svc<H> = AwsJsonService<Router<H>>;

struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: Value,
}

async fn send<H: CognitoIdentity, B>(svc: &Svc<H>, req: http::Request<B>) -> Reply
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let resp = svc.handle(req).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("response is not JSON ({e}): {bytes:?}"));
    Reply {
        status,
        headers,
        body,
    }
}

/// A well-formed SigV4 signature of any key: what the service requires of signed operations by
/// default (it knows no secret, so the signature itself is not checked). The requests below
/// carry it, so that they test what they name under the default configuration.
const SIGNATURE: [(&str, &str); 2] = [
    (
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240102/us-east-1/cognito-identity/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=6d1d7bdbd5a9e3ae94b4dba2bb5b1eb84d2bb94bbdb4fb6a4a1e7e1c2c4a8f10",
    ),
    ("x-amz-date", "20240102T030405Z"),
];

fn request(
    target: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> http::Request<Full<Bytes>> {
    let mut req = unsigned(target, content_type, body);
    for (k, v) in SIGNATURE {
        req.headers_mut().insert(k, v.parse().unwrap());
    }
    req
}

fn unsigned(
    target: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> http::Request<Full<Bytes>> {
    let mut b = http::Request::builder().method("POST").uri("/");
    if let Some(t) = target {
        b = b.header("x-amz-target", format!("AWSCognitoIdentityService.{t}"));
    }
    if let Some(c) = content_type {
        b = b.header("content-type", c);
    }
    b.body(Full::new(Bytes::from(body.to_owned()))).unwrap()
}

const JSON: Option<&str> = Some("application/x-amz-json-1.1");

fn emulator() -> Svc<Emulator> {
    service(Emulator::new("us-east-1").unwrap())
}

async fn assert_alive<H: CognitoIdentity>(svc: &Svc<H>) {
    let r = send(
        svc,
        request(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#),
    )
    .await;
    assert!(
        r.status == 200 || r.body["__type"] == "NotImplemented",
        "service still answers: {} {}",
        r.status,
        r.body
    );
}

fn assert_error(r: &Reply, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.body["__type"], code, "{}", r.body);
    assert!(
        r.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.body
    );
    assert_eq!(r.headers["content-type"], "application/x-amz-json-1.1");
    assert_eq!(r.headers["x-amzn-errortype"], code);
    assert!(r.headers.contains_key("x-amzn-requestid"));
}

#[tokio::test]
async fn routing_and_content_type() {
    let svc = emulator();
    let r = send(&svc, request(Some("NoSuchThing"), JSON, "{}")).await;
    assert_error(&r, 400, "UnknownOperationException");
    let r = send(&svc, request(None, JSON, "{}")).await;
    assert_error(&r, 400, "UnknownOperationException");
    let mut wrong_prefix = request(Some("GetId"), JSON, "{}");
    wrong_prefix
        .headers_mut()
        .insert("x-amz-target", "OtherService.GetId".parse().unwrap());
    assert_error(
        &send(&svc, wrong_prefix).await,
        400,
        "UnknownOperationException",
    );
    let mut get = request(Some("ListIdentityPools"), JSON, "");
    *get.method_mut() = http::Method::GET;
    assert_error(&send(&svc, get).await, 405, "UnknownOperationException");
    let mut path = request(Some("ListIdentityPools"), JSON, "{}");
    *path.uri_mut() = "/other".parse().unwrap();
    assert_error(&send(&svc, path).await, 404, "UnknownOperationException");
    for ct in [
        None,
        Some("application/json"),
        Some("application/x-amz-json-1.0"),
        Some("text/html"),
    ] {
        assert_error(
            &send(
                &svc,
                request(Some("ListIdentityPools"), ct, r#"{"MaxResults":1}"#),
            )
            .await,
            415,
            "UnsupportedMediaTypeException",
        );
    }
    let ok = send(
        &svc,
        request(
            Some("ListIdentityPools"),
            Some("application/x-amz-json-1.1; charset=utf-8"),
            r#"{"MaxResults":1}"#,
        ),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        ok.body,
        json!({"IdentityPools": []}),
        "absent members are omitted"
    );
    assert_eq!(ok.headers["content-type"], "application/x-amz-json-1.1");
    assert_alive(&svc).await;
}

#[tokio::test]
async fn empty_malformed_and_mistyped_bodies() {
    let svc = emulator();
    let r = send(&svc, request(Some("ListIdentityPools"), JSON, "")).await;
    assert_error(&r, 400, "ValidationException");
    assert_eq!(
        r.body["message"],
        "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"
    );
    assert_error(
        &send(
            &svc,
            request(Some("ListIdentityPools"), JSON, "{\"MaxResults\": "),
        )
        .await,
        400,
        "SerializationException",
    );
    assert_error(
        &send(&svc, request(Some("ListIdentityPools"), JSON, "[]")).await,
        400,
        "SerializationException",
    );
    let r = send(
        &svc,
        request(
            Some("CreateIdentityPool"),
            JSON,
            r#"{"IdentityPoolName": 7, "AllowUnauthenticatedIdentities": true}"#,
        ),
    )
    .await;
    assert_error(&r, 400, "SerializationException");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("'identityPoolName'"),
        "{}",
        r.body
    );
    let r = send(
        &svc,
        request(
            Some("CreateIdentityPool"),
            JSON,
            r#"{"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": "yes"}"#,
        ),
    )
    .await;
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("'allowUnauthenticatedIdentities'"),
        "{}",
        r.body
    );
    assert_alive(&svc).await;
}

/// A body that produces bytes on demand and counts them.
struct Endless {
    produced: Arc<AtomicUsize>,
    total: usize,
}

impl http_body::Body for Endless {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let done = self.produced.load(Ordering::SeqCst);
        if done >= self.total {
            return Poll::Ready(None);
        }
        let n = (self.total - done).min(64 * 1024);
        self.produced.fetch_add(n, Ordering::SeqCst);
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(vec![b' '; n])))))
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_without_buffering_them() {
    let svc = emulator();
    let produced = Arc::new(AtomicUsize::new(0));
    let req = http::Request::builder()
        .method("POST")
        .uri("/")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.ListIdentityPools",
        )
        .header("content-type", "application/x-amz-json-1.1")
        .header(SIGNATURE[0].0, SIGNATURE[0].1)
        .header(SIGNATURE[1].0, SIGNATURE[1].1)
        .body(Endless {
            produced: produced.clone(),
            total: 20 * 1024 * 1024,
        })
        .unwrap();
    let r = send(&svc, req).await;
    assert_error(&r, 413, "RequestEntityTooLargeException");
    let read = produced.load(Ordering::SeqCst);
    assert!(
        read <= 1024 * 1024 + 64 * 1024,
        "read {read} bytes of a 20 MB body"
    );

    let produced = Arc::new(AtomicUsize::new(0));
    let req = http::Request::builder()
        .method("POST")
        .uri("/")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.ListIdentityPools",
        )
        .header("content-type", "application/x-amz-json-1.1")
        .header("content-length", (20 * 1024 * 1024).to_string())
        .header(SIGNATURE[0].0, SIGNATURE[0].1)
        .header(SIGNATURE[1].0, SIGNATURE[1].1)
        .body(Endless {
            produced: produced.clone(),
            total: 20 * 1024 * 1024,
        })
        .unwrap();
    assert_error(
        &send(&svc, req).await,
        413,
        "RequestEntityTooLargeException",
    );
    assert_eq!(
        produced.load(Ordering::SeqCst),
        0,
        "a declared size over the limit is refused before reading"
    );

    let small = service(Emulator::new("us-east-1").unwrap()).with_limits(Limits {
        max_body_bytes: 16,
        ..Limits::default()
    });
    assert_error(
        &send(
            &small,
            request(
                Some("ListIdentityPools"),
                JSON,
                r#"{"MaxResults": 10, "NextToken": "x"}"#,
            ),
        )
        .await,
        413,
        "RequestEntityTooLargeException",
    );
    assert_alive(&svc).await;
}

#[tokio::test]
async fn validation_lists_every_violation_in_aws_wording() {
    let svc = emulator();
    let cases = [
        (
            "ListIdentityPools",
            json!({"MaxResults": 0, "NextToken": ""}),
        ),
        ("DescribeIdentityPool", json!({"IdentityPoolId": "x"})),
        // A pattern must match the whole value (AWS refuses 'test-with-identity-pool' for
        // [\w ]+): a matching part is not enough.
        (
            "CreateIdentityPool",
            json!({"IdentityPoolName": "bad/name", "AllowUnauthenticatedIdentities": true}),
        ),
        (
            "CreateIdentityPool",
            json!({"IdentityPoolName": "a\u{7}b", "AllowUnauthenticatedIdentities": true}),
        ),
        (
            "DescribeIdentityPool",
            json!({"IdentityPoolId": "us-east-1:0000/../x"}),
        ),
        (
            "CreateIdentityPool",
            json!({"IdentityPoolName": "", "DeveloperProviderName": "bad provider!", "SupportedLoginProviders": {"": "id"}}),
        ),
        (
            "GetId",
            json!({"IdentityPoolId": "us-east-1:ab", "AccountId": "12a", "Logins": {"graph.facebook.com": ""}}),
        ),
        (
            "SetIdentityPoolRoles",
            json!({"IdentityPoolId": "us-east-1:ab", "Roles": {"authenticated": "arn"}, "RoleMappings": {"p": {"Type": "Magic", "AmbiguousRoleResolution": "Maybe", "RulesConfiguration": {"Rules": [{"Claim": "", "MatchType": "Like", "Value": "v", "RoleARN": "arn:aws:iam::123456789012:role/r"}]}}}}),
        ),
        (
            "GetOpenIdTokenForDeveloperIdentity",
            json!({"IdentityPoolId": "us-east-1:ab", "Logins": {"login.example": "u"}, "TokenDuration": 86401}),
        ),
        (
            "GetOpenIdToken",
            json!({"IdentityId": "us-east-1:ab", "Logins": {"graph.facebook.com": "secret-token-value", "x": "", "y": format!("secret-token-value{}", "x".repeat(50_000))}}),
        ),
    ];
    let mut out = String::new();
    for (op, body) in cases {
        let r = send(&svc, request(Some(op), JSON, &body.to_string())).await;
        assert_error(&r, 400, "ValidationException");
        let message = r.body["message"].as_str().unwrap();
        assert!(
            !message.contains("secret-token-value"),
            "sensitive values stay out of messages: {message}"
        );
        out.push_str(&format!("{op}\n  {message}\n"));
    }
    insta::assert_snapshot!("validation_messages", out);
    assert_alive(&svc).await;
}

/// Answers GetId with a modelled error or a panic, depending on the pool id.
struct Faulty;

impl CognitoIdentity for Faulty {
    async fn get_id(
        &self,
        input: GetIdInput,
        _cx: RequestContext,
    ) -> Result<GetIdResponse, GetIdError> {
        match input.identity_pool_id.as_str() {
            "us-east-1:f00d" => Err(GetIdError::InternalErrorException(
                InternalErrorException::builder()
                    .message("broken")
                    .build()
                    .unwrap(),
            )),
            "us-east-1:beef" => Err(GetIdError::TooManyRequestsException(
                cognito_identity_server::types::TooManyRequestsException::builder()
                    .message("slow down")
                    .build()
                    .unwrap(),
            )),
            _ => panic!("handler bug"),
        }
    }
}

#[tokio::test]
async fn modelled_errors_faults_and_panics() {
    let svc = service(Faulty);
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId": "us-east-1:beef"}"#,
        ),
    )
    .await;
    assert_error(&r, 400, "TooManyRequestsException");
    assert_eq!(r.body["message"], "slow down");
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId": "us-east-1:f00d"}"#,
        ),
    )
    .await;
    assert_error(&r, 500, "InternalErrorException");
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId": "us-east-1:dead"}"#,
        ),
    )
    .await;
    assert_error(&r, 500, "InternalFailure");
    let r = send(
        &svc,
        request(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#),
    )
    .await;
    assert_error(&r, 500, "NotImplemented");
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId": "us-east-1:beef"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, 400, "the service keeps serving after a panic");
}

/// Answers GetId with the lengths of the login tokens it was given, as the identity id.
struct Echo;

impl CognitoIdentity for Echo {
    async fn get_id(
        &self,
        input: GetIdInput,
        _cx: RequestContext,
    ) -> Result<GetIdResponse, GetIdError> {
        let lengths: Vec<usize> = input
            .logins
            .unwrap_or_default()
            .values()
            .map(String::len)
            .collect();
        Ok(GetIdResponse::builder()
            .identity_id(format!("{lengths:?}"))
            .build()
            .expect("GetIdResponse has no required members"))
    }
}

#[tokio::test]
async fn a_repeated_member_name_reaches_the_handler_as_it_was_validated() {
    let svc = service(Echo);
    // The validator sees the last value of a repeated name (`null`, so no token); the handler
    // must get that too, not the empty token before it, which breaks the minimum length of 1.
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId":"us-east-1:ab","Logins":{"graph.facebook.com":"","graph.facebook.com":null}}"#,
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["IdentityId"], "[]");
    // Without the repeat, the empty token is refused.
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId":"us-east-1:ab","Logins":{"graph.facebook.com":""}}"#,
        ),
    )
    .await;
    assert_error(&r, 400, "ValidationException");
    // A valid repeat: the last value counts, on both paths.
    let r = send(
        &svc,
        request(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId":"us-east-1:ab","Logins":{"graph.facebook.com":"a","graph.facebook.com":"bcd"}}"#,
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["IdentityId"], "[3]");
}

#[tokio::test]
async fn signed_operations_need_a_well_formed_signature_by_default() {
    let svc = emulator();
    // No signature: AWS's answer, before the body is read.
    let r = send(
        &svc,
        unsigned(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#),
    )
    .await;
    assert_error(&r, 400, "MissingAuthenticationTokenException");
    assert_eq!(r.body["message"], "Request is missing Authentication Token");
    let produced = Arc::new(AtomicUsize::new(0));
    let endless = http::Request::builder()
        .method("POST")
        .uri("/")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.CreateIdentityPool",
        )
        .header("content-type", "application/x-amz-json-1.1")
        .body(Endless {
            produced: produced.clone(),
            total: 512 * 1024,
        })
        .unwrap();
    assert_error(
        &send(&svc, endless).await,
        400,
        "MissingAuthenticationTokenException",
    );
    assert_eq!(produced.load(Ordering::SeqCst), 0, "the body is not read");

    // A malformed signature: IncompleteSignatureException, in AWS's words.
    let mut bearer = unsigned(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#);
    bearer
        .headers_mut()
        .insert("authorization", "Bearer a.b.c".parse().unwrap());
    bearer
        .headers_mut()
        .insert("x-amz-date", "20240102T030405Z".parse().unwrap());
    let r = send(&svc, bearer).await;
    assert_error(&r, 400, "IncompleteSignatureException");
    assert_eq!(
        r.body["message"],
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."
    );
    let mut no_date = request(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#);
    no_date.headers_mut().remove("x-amz-date");
    assert_error(
        &send(&svc, no_date).await,
        400,
        "IncompleteSignatureException",
    );

    // The unsigned operations need none; a signed one with any well-formed signature is served.
    let r = send(
        &svc,
        unsigned(
            Some("GetId"),
            JSON,
            r#"{"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}"#,
        ),
    )
    .await;
    assert_error(&r, 400, "ResourceNotFoundException");
    let r = send(
        &svc,
        request(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The explicit opt-out serves unsigned requests, as the service did before.
    let open = service(Emulator::new("us-east-1").unwrap()).allow_unsigned();
    let r = send(
        &open,
        unsigned(Some("ListIdentityPools"), JSON, r#"{"MaxResults": 5}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
