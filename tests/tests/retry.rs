//! Retries and timeouts of the generated client against a scripted HTTP server on loopback:
//! attempts counted, backoff bounded, modelled client errors never retried.

mod common;

use std::time::{Duration, Instant};

use cognito_identity_client::error::ListIdentityPoolsError;
use cognito_identity_client::{Client, Config, Credentials, Error, RetryConfig, TimeoutConfig};
use common::{scripted_server, Canned};

const OK: &str = r#"{"IdentityPools":[{"IdentityPoolId":"us-east-1:1","IdentityPoolName":"one"}]}"#;
const THROTTLED: &str = r#"{"__type":"TooManyRequestsException","message":"slow down"}"#;

fn client(endpoint: &str, retry: RetryConfig, timeouts: TimeoutConfig) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::from_keys("AKIDTEST", "secret", None))
            .retry(retry)
            .timeouts(timeouts)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn fast_retries(max: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max)
        .with_initial_backoff(Duration::from_millis(40))
        .with_max_backoff(Duration::from_millis(60))
}

#[tokio::test]
async fn throttling_then_success_is_retried_within_backoff_bounds() {
    let (url, seen) = scripted_server(vec![
        Canned::json(400, THROTTLED),
        Canned::json(429, "{}"),
        Canned::json(200, OK),
    ])
    .await;
    let c = client(&url, fast_retries(3), TimeoutConfig::default());
    let start = Instant::now();
    let out = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.identity_pools.unwrap()[0].identity_pool_name.as_deref(),
        Some("one")
    );
    assert_eq!(seen.count(), 3, "three attempts");
    let t = seen.times();
    // Full jitter: the first wait is at most 40 ms, the second at most 60 ms (capped); allow for
    // scheduling on a busy machine.
    let slack = Duration::from_millis(250);
    assert!(
        t[1] - t[0] <= Duration::from_millis(40) + slack,
        "first backoff {:?}",
        t[1] - t[0]
    );
    assert!(
        t[2] - t[1] <= Duration::from_millis(60) + slack,
        "second backoff {:?}",
        t[2] - t[1]
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    // Every attempt is signed anew.
    for (head, body) in seen.requests() {
        assert!(
            head.to_ascii_lowercase()
                .contains("authorization: aws4-hmac-sha256 credential=akidtest/"),
            "{head}"
        );
        assert_eq!(body, r#"{"MaxResults":10}"#);
    }
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_returned() {
    let (url, seen) = scripted_server(vec![Canned::json(
        503,
        r#"{"__type":"ServiceUnavailable","message":"down"}"#,
    )])
    .await;
    let c = client(&url, fast_retries(3), TimeoutConfig::default());
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(seen.count(), 3);
    match &err {
        Error::Service {
            error: ListIdentityPoolsError::Unhandled(meta),
            status,
            request_id,
        } => {
            assert_eq!(meta.code(), Some("ServiceUnavailable"));
            assert_eq!(*status, 503);
            assert_eq!(request_id.as_deref(), Some("req-3"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "ServiceUnavailable: down (HTTP 503, request id req-3)"
    );
}

#[tokio::test]
async fn modelled_client_errors_are_not_retried() {
    let (url, seen) = scripted_server(vec![Canned::json(
        400,
        r#"{"__type":"NotAuthorizedException","message":"no"}"#,
    )])
    .await;
    let c = client(&url, fast_retries(3), TimeoutConfig::default());
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(seen.count(), 1);
    assert!(
        matches!(err, Error::Service { error: ListIdentityPoolsError::NotAuthorizedException(ref e), .. } if e.message() == Some("no"))
    );
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let (url, seen) = scripted_server(vec![Canned::json(
        500,
        r#"{"__type":"InternalErrorException"}"#,
    )])
    .await;
    let c = client(&url, RetryConfig::disabled(), TimeoutConfig::default());
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(seen.count(), 1);
    assert!(matches!(
        err,
        Error::Service {
            error: ListIdentityPoolsError::InternalErrorException(_),
            status: 500,
            ..
        }
    ));
}

#[tokio::test]
async fn attempt_timeouts_are_retried_and_reported() {
    let (url, seen) =
        scripted_server(vec![Canned::json(200, OK).delayed(Duration::from_secs(5))]).await;
    let timeouts = TimeoutConfig {
        attempt: Some(Duration::from_millis(150)),
        ..TimeoutConfig::default()
    };
    let c = client(&url, fast_retries(2), timeouts);
    let start = Instant::now();
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Dispatch(d) if d.is_timeout()),
        "{err:?}"
    );
    assert_eq!(seen.count(), 2);
    assert!(start.elapsed() < Duration::from_secs(3));

    let timeouts = TimeoutConfig {
        operation: Some(Duration::from_millis(200)),
        ..TimeoutConfig::default()
    };
    let c = client(&url, fast_retries(5), timeouts);
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Dispatch(d) if d.is_timeout()),
        "{err:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_error() {
    let port = common::free_port();
    let c = client(
        &format!("http://127.0.0.1:{port}"),
        fast_retries(2),
        TimeoutConfig::default(),
    );
    let err = c
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Dispatch(d) if d.kind() == awsgen_rt::client::DispatchKind::Connect),
        "{err:?}"
    );
}

#[tokio::test]
async fn required_members_are_checked_before_sending() {
    let (url, seen) = scripted_server(vec![Canned::json(200, OK)]).await;
    let c = client(&url, fast_retries(2), TimeoutConfig::default());
    let err = c.create_identity_pool().send().await.unwrap_err();
    assert!(matches!(err, Error::Build(_)));
    assert!(
        err.to_string()
            .contains("`identity_pool_name`, `allow_unauthenticated_identities`"),
        "{err}"
    );
    assert_eq!(seen.count(), 0);
}

#[tokio::test]
async fn unsigned_operations_need_no_credentials() {
    let (url, seen) =
        scripted_server(vec![Canned::json(200, r#"{"IdentityId":"us-east-1:abc"}"#)]).await;
    let c = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .build()
            .unwrap(),
    )
    .unwrap();
    let out = c
        .get_id()
        .identity_pool_id("us-east-1:pool")
        .send()
        .await
        .unwrap();
    assert_eq!(out.identity_id.as_deref(), Some("us-east-1:abc"));
    let (head, _) = &seen.requests()[0];
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "{head}"
    );
    assert!(head.contains("AWSCognitoIdentityService.GetId"), "{head}");
    let err = c
        .list_identity_pools()
        .max_results(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert_eq!(seen.count(), 1);
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    assert!(Config::builder().endpoint_url("ftp://x").build().is_err());
    assert!(Config::builder()
        .retry(RetryConfig::standard().with_max_attempts(0))
        .build()
        .is_err());
    assert!(
        Client::new(Config::builder().build().unwrap()).is_err(),
        "no region"
    );
    assert!(Client::new(Config::builder().region("us east").build().unwrap()).is_err());
    let c = Client::new(Config::builder().region("eu-west-1").build().unwrap()).unwrap();
    assert_eq!(
        c.runtime().endpoint().unwrap().to_string(),
        "https://cognito-identity.eu-west-1.amazonaws.com"
    );
    let env = [
        ("AWS_REGION", "us-west-2"),
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "http://localhost:9999"),
        ("AWS_ENDPOINT_URL", "http://ignored:1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let c = Client::new(
        cognito_identity_client::ConfigBuilder::from_env_vars(env)
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        c.runtime().endpoint().unwrap().to_string(),
        "http://localhost:9999"
    );
    assert_eq!(c.runtime().config().region(), Some("us-west-2"));
}
