//! The client's tracing: one span per call with service, operation, attempts, status and request
//! id; nothing secret in any span or event, whatever the input holds.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use cognito_identity_client::{Client, Config, Credentials, RetryConfig};
use common::{scripted_server, Canned};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span and event, fields included, as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>, Arc<Mutex<u64>>);

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut s = self.0.lock().unwrap();
        let _ = write!(s, "\nspan {}", span.metadata().name());
        span.record(&mut Writer(&mut s));
        let mut n = self.1.lock().unwrap();
        *n += 1;
        Id::from_u64(*n)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut s = self.0.lock().unwrap();
        s.push_str("\nrecord");
        values.record(&mut Writer(&mut s));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut s = self.0.lock().unwrap();
        s.push_str("\nevent");
        event.record(&mut Writer(&mut s));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn spans_name_the_call_and_hold_no_secret() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let (url, _) = scripted_server(vec![
        Canned::json(400, r#"{"__type":"TooManyRequestsException"}"#),
        Canned::json(200, r#"{"IdentityId":"us-east-1:1","Credentials":{"AccessKeyId":"ASIA","SecretKey":"RESPONSE-SECRET","SessionToken":"RESPONSE-TOKEN"}}"#),
    ])
    .await;
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials_provider(Credentials::from_keys(
                "AKIDTRACE",
                "CLIENT-SECRET-KEY",
                Some("CLIENT-SESSION-TOKEN".into()),
            ))
            .retry(
                RetryConfig::standard()
                    .with_initial_backoff(std::time::Duration::from_millis(5))
                    .with_max_backoff(std::time::Duration::from_millis(5)),
            )
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .get_credentials_for_identity()
        .identity_id("us-east-1:1")
        .logins(BTreeMap::from([(
            "accounts.google.com".to_owned(),
            "LOGIN-TOKEN".to_owned(),
        )]))
        .send()
        .await
        .unwrap();
    client
        .list_identity_pools()
        .max_results(1)
        .send()
        .await
        .unwrap();
    let text = capture.0.lock().unwrap().clone();
    assert!(text.contains("span awsgen.call"), "{text}");
    assert!(
        text.contains("operation=\"GetCredentialsForIdentity\""),
        "{text}"
    );
    assert!(text.contains("operation=\"ListIdentityPools\""), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("request_id=\"req-2\""), "{text}");
    for secret in [
        "CLIENT-SECRET-KEY",
        "CLIENT-SESSION-TOKEN",
        "LOGIN-TOKEN",
        "RESPONSE-SECRET",
        "RESPONSE-TOKEN",
        "AWS4-HMAC",
    ] {
        assert!(!text.contains(secret), "{secret} in traces:\n{text}");
    }
}
