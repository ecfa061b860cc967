//! Runs inside the generated `ledger-server` crate: a Smithy RPC v2 CBOR service whose model
//! lists `json` too answers both, each request in its own protocol: CBOR on
//! `/service/Ledger/operation/<Op>` (errors with their modelled status, no body for an operation
//! without output, requests that are not RPC v2 CBOR refused as Smithy's server refuses them),
//! and awsJson 1.0 on `POST /` with `X-Amz-Target`, checked by the same validator.

use awsgen_rt::codegen::serde_json;
use awsgen_rt::{Blob, DateTime, Document};
use bytes::Bytes;
use http_body_util::Full;
use ledger_server::error::{PingError, PutEntryError};
use ledger_server::types::*;
use ledger_server::{Ledger, RequestContext};

struct Book;

impl Ledger for Book {
    async fn put_entry(
        &self,
        input: PutEntryInput,
        _: RequestContext,
    ) -> Result<PutEntryOutput, PutEntryError> {
        if input.id == "taken" {
            return Err(PutEntryError::Conflict(
                Conflict::builder().message("entry taken exists").build().unwrap(),
            ));
        }
        let total: i64 = input.counts.unwrap_or_default().iter().sum();
        Ok(PutEntryOutput::builder()
            .id(input.id)
            .total(total)
            .set_at(input.at)
            .set_data(input.data)
            .set_amount(input.amount)
            .build()
            .unwrap())
    }

    async fn ping(&self, _: (), _: RequestContext) -> Result<(), PingError> {
        Ok(())
    }
}

async fn call(path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, http::HeaderMap, Bytes) {
    let mut req = http::Request::builder().method("POST").uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(Bytes::from(body))).unwrap();
    let resp = ledger_server::service(Book).allow_unsigned().handle(req).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.into_body().collect().await.unwrap())
}

const CBOR: &[(&str, &str)] = &[
    ("smithy-protocol", "rpc-v2-cbor"),
    ("content-type", "application/cbor"),
];

fn json(target: &'static str) -> [(&'static str, &'static str); 2] {
    [("x-amz-target", target), ("content-type", "application/x-amz-json-1.0")]
}

fn cbor_doc(body: &[u8]) -> Document {
    awsgen_rt::cbor::from_slice(body).unwrap()
}

#[tokio::test]
async fn answers_cbor_in_cbor() {
    let input = PutEntryInput::builder()
        .id("e-1")
        .amount(f64::INFINITY)
        .at(DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000))
        .data(Blob::new(vec![0, 1, 255]))
        .counts(vec![1, 2, 39])
        .build()
        .unwrap();
    let body = awsgen_rt::cbor::to_vec(&input).unwrap();
    let (status, headers, out) = call("/service/Ledger/operation/PutEntry", CBOR, body).await;
    assert_eq!(status, 200, "{out:?}");
    assert_eq!(headers["content-type"], "application/cbor");
    assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
    let out: PutEntryOutput = awsgen_rt::cbor::from_slice(&out).unwrap();
    assert_eq!(out.total, Some(42));
    assert_eq!(out.at, Some(DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000)));
    assert_eq!(out.data.unwrap().as_bytes(), &[0, 1, 255]);
    assert_eq!(out.amount, Some(f64::INFINITY));

    // A modelled error: its own status, `__type` in the CBOR body.
    let taken = awsgen_rt::cbor::to_vec(&PutEntryInput::builder().id("taken").build().unwrap()).unwrap();
    let (status, _, out) = call("/service/Ledger/operation/PutEntry", CBOR, taken).await;
    assert_eq!(status, 409);
    let doc = cbor_doc(&out);
    assert_eq!(doc["__type"], "Conflict");
    assert_eq!(doc["message"], "entry taken exists");

    // The model's constraints, all of them, in AWS's words.
    let bad = awsgen_rt::cbor::to_vec(&PutEntryInput::builder().id("Bad Id!!!!!!!!!!!!").build().unwrap()).unwrap();
    let (status, _, out) = call("/service/Ledger/operation/PutEntry", CBOR, bad).await;
    assert_eq!(status, 400);
    let doc = cbor_doc(&out);
    assert_eq!(doc["__type"], "ValidationException");
    let message = doc["message"].as_str().unwrap();
    assert!(message.starts_with("2 validation errors detected"), "{message}");

    // No input, no output: no body either way.
    let (status, headers, out) = call("/service/Ledger/operation/Ping", &CBOR[..1], Vec::new()).await;
    assert_eq!(status, 200);
    assert!(out.is_empty() && !headers.contains_key("content-type"), "{headers:?} {out:?}");
}

#[tokio::test]
async fn refuses_what_is_not_rpc_v2_cbor_as_smithy_does() {
    let empty = vec![0xa0];
    // Without the smithy-protocol header, at an unknown operation or service: 404.
    for (path, headers) in [
        ("/service/Ledger/operation/PutEntry", &CBOR[1..]),
        ("/service/Ledger/operation/Nope", CBOR),
        ("/service/Other/operation/PutEntry", CBOR),
    ] {
        let (status, headers, out) = call(path, headers, empty.clone()).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
        assert_eq!(cbor_doc(&out)["__type"], "UnknownOperationException");
    }
    // Any path prefix is the service's.
    let (status, _, _) = call("/prefix/service/Ledger/operation/Ping", &CBOR[..1], Vec::new()).await;
    assert_eq!(status, 200);
    // A body that is not CBOR, by its type or its bytes: 400 SerializationException.
    let (status, _, out) = call(
        "/service/Ledger/operation/PutEntry",
        &[("smithy-protocol", "rpc-v2-cbor"), ("content-type", "application/json")],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!((status, cbor_doc(&out)["__type"].as_str()), (400, Some("SerializationException")));
    let (status, _, out) = call("/service/Ledger/operation/PutEntry", CBOR, vec![0xbf, 0x61]).await;
    assert_eq!((status, cbor_doc(&out)["__type"].as_str()), (400, Some("SerializationException")));
    // Values of the wrong kind, which the JSON they stand for cannot tell apart: a byte string
    // for a string member (h'69b71d', whose base64 `abcd` would pass the member's pattern),
    // text for a blob member.
    for body in ["a162496443 69b71d", "a262496462653164446174616441514944"] {
        let body = body.replace(' ', "");
        let body = body.as_str();
        let (status, _, out) = call("/service/Ledger/operation/PutEntry", CBOR, hex(body)).await;
        assert_eq!((status, cbor_doc(&out)["__type"].as_str()), (400, Some("SerializationException")), "{body}");
    }
    // Any numeric form for a numeric member: 40.0 for a long.
    let (status, _, out) = call(
        "/service/Ledger/operation/PutEntry",
        CBOR,
        hex("a262496462653166436f756e747382fb404400000000000002"),
    )
    .await;
    assert_eq!(status, 200, "{:?}", cbor_doc(&out));
    assert_eq!(cbor_doc(&out)["Total"], 42);
    // Another method: 405 before anything else is looked at.
    let req = http::Request::builder()
        .method("GET")
        .uri("/service/Ledger/operation/Nope")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = ledger_server::service(Book).allow_unsigned().handle(req).await;
    assert_eq!(resp.status(), 405);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[tokio::test]
async fn answers_aws_json_in_aws_json() {
    let (status, headers, out) = call(
        "/",
        &json("Ledger.PutEntry"),
        br#"{"Id":"e-2","Counts":[40,2],"Data":"AAH/","At":1700000000.25}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{out:?}");
    assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
    assert!(!headers.contains_key("smithy-protocol"));
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["Total"], 42);
    assert_eq!(doc["Data"], "AAH/");
    assert_eq!(doc["At"], 1700000000.25);

    // awsJson errors: 400 by fault, JSON bodies.
    let (status, headers, out) = call("/", &json("Ledger.PutEntry"), br#"{"Id":"taken"}"#.to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(headers["x-amzn-errortype"], "Conflict");
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["__type"], "Conflict");
    let (status, _, out) = call("/", &json("Ledger.PutEntry"), br#"{"Id":"NO"}"#.to_vec()).await;
    assert_eq!(status, 400);
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["__type"], "ValidationException");
    // awsJson's content type with X-Amz-Target; CBOR's is refused there.
    let (status, _, _) = call("/", &[("x-amz-target", "Ledger.Ping"), ("content-type", "application/cbor")], vec![]).await;
    assert_eq!(status, 415);
    let (status, _, out) = call("/", &json("Ledger.Ping"), b"{}".to_vec()).await;
    assert_eq!((status, &out[..]), (200, &b"{}"[..]));
}
