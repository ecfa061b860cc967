//! Runs inside the generated `shape-kinds-types` crate: every kind of value on the wire.

use std::collections::BTreeMap;

use awsgen_rt::codegen::serde_json::{self, json};
use awsgen_rt::{Blob, DateTime, ServiceError};
use shape_kinds_types::error::PutEverythingError;
use shape_kinds_types::types::{BadThing, Choice, Color, Everything};

fn full() -> Everything {
    Everything::builder()
        .name("n")
        .flag(true)
        .tiny(-8i8)
        .small(300i16)
        .count(7)
        .big(1i64 << 40)
        .ratio(f32::INFINITY)
        .precise(f64::NAN)
        .when(DateTime::from_secs_and_nanos(1_422_172_800, 500_000_000))
        .when_iso(DateTime::from_secs(1_422_172_800))
        .when_http(DateTime::from_secs(1_422_172_800))
        .iso_times(vec![DateTime::from_secs(0)])
        .data(Blob::from("foo"))
        .names(vec!["a".to_owned()])
        .counts(BTreeMap::from([("k".to_owned(), 1)]))
        .color(Color::DarkBlue)
        .choice(Choice::Number(3))
        .anything(json!({"any": [1, "two", null]}))
        .token("t-1")
        .build()
        .unwrap()
}

#[test]
fn every_kind_of_value_on_the_wire() {
    let v = serde_json::to_value(full()).unwrap();
    assert_eq!(
        v,
        json!({
            "Name": "n", "Flag": true, "Tiny": -8, "Small": 300, "Count": 7, "Big": 1099511627776u64,
            "Ratio": "Infinity", "Precise": "NaN", "When": 1422172800.5,
            "WhenIso": "2015-01-25T08:00:00Z", "WhenHttp": "Sun, 25 Jan 2015 08:00:00 GMT",
            "IsoTimes": ["1970-01-01T00:00:00Z"], "Data": "Zm9v", "Names": ["a"], "Counts": {"k": 1},
            "Color": "dark-blue", "Choice": {"Number": 3}, "Anything": {"any": [1, "two", null]}, "Token": "t-1"
        })
    );
    let back: Everything = serde_json::from_value(v).unwrap();
    assert!(back.precise.unwrap().is_nan());
    assert_eq!(back.ratio, Some(f32::INFINITY));
    assert_eq!(back.when_http, Some(DateTime::from_secs(1_422_172_800)));
    assert_eq!(back.data, Some(Blob::from("foo")));
}

#[test]
fn null_is_absent_and_unknown_members_are_ignored() {
    let v: Everything = serde_json::from_str(r#"{"Name":"n","Flag":null,"Brand":"new","Color":"ultraviolet"}"#).unwrap();
    assert_eq!(v.flag, None);
    assert_eq!(v.color, Some(Color::Unknown("ultraviolet".to_owned())));
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        serde_json::json!({"Name":"n","Color":"ultraviolet"})
    );
    assert!(serde_json::from_str::<Everything>(r#"{"Name":null}"#).is_err());
}

#[test]
fn builders_name_every_missing_member() {
    let err = Everything::builder().flag(true).build().unwrap_err();
    assert_eq!(err.missing_members(), ["name"]);
    assert_eq!(err.to_string(), "cannot build Everything: required member not set: `name`");
}

#[test]
fn errors_show_code_and_message_and_convert() {
    let headers = awsgen_rt::client::http::HeaderMap::new();
    let response = |body: &'static [u8]| awsgen_rt::protocol::Response { status: 400, headers: &headers, body };
    let body = br#"{"__type":"BadThing","Message":"no good"}"#;
    let e = <PutEverythingError as awsgen_rt::operation::OperationError>::from_wire("BadThing", &response(body), Default::default());
    assert!(matches!(&e, PutEverythingError::BadThing(b) if b.message() == Some("no good")));
    assert_eq!(e.to_string(), "BadThing: no good");
    assert_eq!(e.code(), "BadThing");
    assert_eq!(e.fault(), awsgen_rt::Fault::Client);
    let e = <PutEverythingError as awsgen_rt::operation::OperationError>::from_wire("Broken", &response(b"{}"), Default::default());
    assert_eq!(e.fault(), awsgen_rt::Fault::Server);
    let e = <PutEverythingError as awsgen_rt::operation::OperationError>::from_wire("Slow", &response(b"{}"), Default::default());
    assert_eq!(e.retryable(), Some(true));
    let meta = awsgen_rt::ErrorMetadata { code: Some("Other".into()), message: Some("m".into()), request_id: Some("r".into()) };
    let e = <PutEverythingError as awsgen_rt::operation::OperationError>::from_wire("Other", &response(b"{}"), meta);
    assert_eq!(e.to_string(), "Other: m (request id r)");
    let any: shape_kinds_types::error::Error = e.into();
    assert!(matches!(any, shape_kinds_types::error::Error::Unhandled(_)));
    let b = BadThing::builder().message("x").build().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&<PutEverythingError as awsgen_rt::operation::OperationError>::to_body(&PutEverythingError::BadThing(b), awsgen_rt::wire::Format::Json)).unwrap();
    assert_eq!(body, json!({"__type": "BadThing", "Message": "x"}));
}

#[test]
fn idempotency_tokens_are_filled_when_unset() {
    let a = Everything::builder().name("n").build().unwrap();
    let b = Everything::builder().name("n").build().unwrap();
    let (ta, tb) = (a.token.unwrap(), b.token.unwrap());
    assert_eq!(ta.len(), 36, "{ta}");
    assert_eq!(&ta[14..15], "4", "a version-4 UUID: {ta}");
    assert_ne!(ta, tb);
    assert_eq!(Everything::builder().name("n").token("mine").build().unwrap().token.as_deref(), Some("mine"));
}
