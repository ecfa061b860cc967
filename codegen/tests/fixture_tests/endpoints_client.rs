//! Runs inside the generated `things-client` crate: an operation that sets endpoint parameters
//! is sent to the endpoint its rule set picks for that call (URL, headers, and the SigV4 scope
//! of its auth scheme); the others to the one resolved when the client was built.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use awsgen_rt::client::{http, Body};
use things_client::transport::{SharedTransport, Transport, TransportFuture};
use things_client::types::Mode;
use things_client::{AccountIdEndpointMode, Client, Config, Credentials, Error};

/// Each request's URI, `x-things-mode` header and `Authorization` header.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

struct Recording(Seen);

impl Transport for Recording {
    fn send(&self, request: http::Request<Body>) -> TransportFuture {
        let header = |n: &str| {
            request
                .headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        self.0.lock().unwrap().push((
            request.uri().to_string(),
            header("x-things-mode"),
            header("authorization"),
        ));
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(Body::from_static(b"{}"))
                .unwrap())
        })
    }
}

/// Everything here is ready at once (a recording transport, static credentials).
fn now<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the call waited on something"),
    }
}

#[test]
fn each_call_goes_where_its_parameters_say() {
    let seen: Seen = Arc::default();
    let client = client_with(Credentials::from_keys("AKID", "secret", None), None, &seen);
    assert_eq!(
        client.runtime().endpoint().unwrap().to_string(),
        "https://things.us-west-2.amazonaws.com"
    );

    now(client.list_things().send()).unwrap();
    now(client.get_thing().name("n").send()).unwrap();
    now(client
        .get_thing()
        .name("n")
        .thing_arn("arn:aws:things:eu-west-1:123456789012:thing/n")
        .mode(Mode::Fast)
        .send())
    .unwrap();
    now(client.batch_things().items_value([("t1".to_owned(), "x".to_owned())]).send()).unwrap();
    // Again with other parameters, then the first ones again (the resolver keeps only the last).
    now(client.batch_things().items_value([("t2".to_owned(), "x".to_owned())]).send()).unwrap();
    now(client.batch_things().items_value([("t1".to_owned(), "x".to_owned())]).send()).unwrap();

    let seen = seen.lock().unwrap();
    let uris: Vec<&str> = seen.iter().map(|(u, _, _)| u.as_str()).collect();
    assert_eq!(
        uris,
        [
            "https://things.us-west-2.amazonaws.com/",
            // The constant OperationType = data.
            "https://data.things.us-west-2.amazonaws.com/",
            // The ARN member: its account in the host, its region and the scheme's signing name.
            "https://123456789012.things.us-west-2.amazonaws.com/",
            // keys(Items).
            "https://t1.list.us-west-2.amazonaws.com/",
            "https://t2.list.us-west-2.amazonaws.com/",
            "https://t1.list.us-west-2.amazonaws.com/",
        ]
    );
    assert_eq!(seen[2].1, "fast", "the endpoint's header");
    assert!(
        seen[2].2.contains("/eu-west-1/things-arn/aws4_request"),
        "{}",
        seen[2].2
    );
    assert!(
        seen[1].2.contains("/us-west-2/things/aws4_request"),
        "{}",
        seen[1].2
    );
    // The client's own endpoint names a signing name and region (as global services' do): a
    // call that goes there is signed for them.
    assert!(
        seen[0].2.contains("/us-east-1/things-global/aws4_request"),
        "{}",
        seen[0].2
    );
}

fn client_with(credentials: Credentials, mode: Option<AccountIdEndpointMode>, seen: &Seen) -> Client {
    let mut config = Config::builder()
        .region("us-west-2")
        .credentials_provider(credentials)
        .transport(SharedTransport::new(Recording(seen.clone())));
    if let Some(mode) = mode {
        config = config.account_id_endpoint_mode(mode);
    }
    Client::new(config.build().unwrap()).unwrap()
}

fn with_account(id: &str) -> Credentials {
    Credentials::builder()
        .access_key_id("AKID")
        .secret_access_key("secret")
        .account_id(id)
        .provider_name("test")
        .build()
}

#[test]
fn the_account_id_comes_from_the_credentials() {
    let seen: Seen = Arc::default();
    let preferred = client_with(with_account("111122223333"), None, &seen);
    now(preferred.list_things().send()).unwrap();
    let disabled = client_with(
        with_account("111122223333"),
        Some(AccountIdEndpointMode::Disabled),
        &seen,
    );
    now(disabled.list_things().send()).unwrap();
    // Required, and credentials without an account id: the client is built (the credentials
    // are not known yet) but has no endpoint of its own, and the call fails before it is sent.
    let required = client_with(
        Credentials::from_keys("AKID", "secret", None),
        Some(AccountIdEndpointMode::Required),
        &seen,
    );
    assert!(required.runtime().endpoint().is_none());
    let err = now(required.list_things().send()).unwrap_err();
    assert!(
        matches!(&err, Error::Build(_)) && err.to_string().contains("AccountIdEndpointMode is required"),
        "{err}"
    );
    let required = client_with(
        with_account("444455556666"),
        Some(AccountIdEndpointMode::Required),
        &seen,
    );
    now(required.list_things().send()).unwrap();
    let uris: Vec<String> = seen.lock().unwrap().iter().map(|(u, _, _)| u.clone()).collect();
    assert_eq!(
        uris,
        [
            "https://111122223333.acct.us-west-2.amazonaws.com/",
            "https://things.us-west-2.amazonaws.com/",
            "https://444455556666.acct.us-west-2.amazonaws.com/",
        ]
    );
}

#[test]
fn the_services_own_settings_go_to_its_rules_and_an_operations_parameter_wins() {
    let seen: Seen = Arc::default();
    let client = Client::new(
        Config::builder()
            .region("us-west-2")
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .endpoint_param("ResourceArn", "arn:aws:things:eu-west-1:999999999999:thing/x")
            .endpoint_param("NotInTheRules", true)
            .transport(SharedTransport::new(Recording(seen.clone())))
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        client.runtime().endpoint().unwrap().to_string(),
        "https://999999999999.things.us-west-2.amazonaws.com"
    );
    now(client.list_things().send()).unwrap();
    now(client
        .get_thing()
        .name("n")
        .thing_arn("arn:aws:things:eu-west-1:123456789012:thing/n")
        .send())
    .unwrap();
    let uris: Vec<String> = seen.lock().unwrap().iter().map(|(u, _, _)| u.clone()).collect();
    assert_eq!(
        uris,
        [
            "https://999999999999.things.us-west-2.amazonaws.com/",
            "https://123456789012.things.us-west-2.amazonaws.com/",
        ]
    );
}
