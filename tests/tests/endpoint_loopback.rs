//! The client sends to the endpoint its rule set chose, over real HTTPS on loopback: with
//! `use_fips`, cognito-identity's rules pick `cognito-identity-fips.us-east-1.amazonaws.com`;
//! the test points that name at a local TLS server (`ConfigBuilder::resolve`, with a certificate
//! for the name from a test CA), which records what arrives. A combination the rules refuse
//! (FIPS with a custom endpoint) fails when the client is built, and nothing is sent.

#[path = "common/tls.rs"]
mod tls;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cognito_identity_client::{Client, Config, Credentials};
use http_body_util::Full;
use hyper_util::rt::TokioIo;

const FIPS_HOST: &str = "cognito-identity-fips.us-east-1.amazonaws.com";

/// What one request carried: its `Host` and `Authorization` headers.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A TLS server for `name` on loopback that records each request's `Host` and `Authorization`
/// and answers every one with an empty identity pool description.
async fn recording_server(
    dir: &std::path::Path,
    name: &str,
) -> (std::net::SocketAddr, Vec<u8>, Seen) {
    let (ca, leaf, key) = tls::certificates(dir, name);
    let acceptor = tls::acceptor(leaf, key);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let svc = hyper::service::service_fn(move |req: http::Request<_>| {
                    let header = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    record
                        .lock()
                        .unwrap()
                        .push((header("host"), header("authorization")));
                    async {
                        Ok::<_, std::convert::Infallible>(
                            http::Response::builder()
                                .header("content-type", "application/x-amz-json-1.1")
                                .body(Full::new(Bytes::from_static(
                                    br#"{"IdentityPoolId":"us-east-1:p","IdentityPoolName":"p","AllowUnauthenticatedIdentities":false}"#,
                                )))
                                .unwrap(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    (addr, ca, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_to_the_fips_host_the_rules_chose() {
    let dir = std::env::temp_dir().join(format!("awsgen-fips-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (addr, ca, seen) = recording_server(&dir, FIPS_HOST).await;

    let config = Config::builder()
        .region("us-east-1")
        .use_fips(true)
        .credentials_provider(Credentials::from_keys("AKIDLOCAL", "secret", None))
        .resolve(FIPS_HOST, addr)
        .tls_root_certificate(ca.clone())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    assert_eq!(
        client.runtime().endpoint().unwrap().to_string(),
        format!("https://{FIPS_HOST}")
    );
    let pool = client
        .describe_identity_pool()
        .identity_pool_id("us-east-1:p")
        .send()
        .await
        .unwrap();
    assert_eq!(pool.identity_pool_name, "p");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let (host, authorization) = &seen[0];
        assert_eq!(host, FIPS_HOST);
        // Signed for the region and the model's signing name (the rule set has no auth scheme
        // that changes them).
        assert!(
            authorization.contains("/us-east-1/cognito-identity/aws4_request"),
            "{authorization}"
        );
    }

    // FIPS with a custom endpoint: the rule set's own error, before anything is sent.
    let refused = Config::builder()
        .region("us-east-1")
        .use_fips(true)
        .endpoint_url(format!("https://{addr}"))
        .tls_root_certificate(ca)
        .build()
        .unwrap();
    let e = Client::new(refused).unwrap_err().to_string();
    assert!(
        e.ends_with("Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{e}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1, "nothing more was sent");
    let _ = std::fs::remove_dir_all(dir);
}
