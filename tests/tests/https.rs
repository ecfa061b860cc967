//! HTTPS end to end: the generated client's default transport (hyper, rustls with ring) against
//! the generated server behind a TLS listener on loopback, with a certificate authority made for
//! the test by `openssl` and trusted through `tls_root_certificate`; an untrusted certificate is
//! refused.

#[path = "common/tls.rs"]
mod tls;

use std::sync::Arc;

use cognito_identity_client::{Client, Config, Error};
use cognito_identity_server::error::GetIdError;
use cognito_identity_server::types::{GetIdInput, GetIdResponse};
use cognito_identity_server::{CognitoIdentity, RequestContext};
use hyper_util::rt::TokioIo;

struct Fixed;

impl CognitoIdentity for Fixed {
    async fn get_id(
        &self,
        input: GetIdInput,
        _: RequestContext,
    ) -> Result<GetIdResponse, GetIdError> {
        Ok(GetIdResponse::builder()
            .identity_id(format!("{}-over-tls", input.identity_pool_id))
            .build()
            .unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_transport_speaks_https() {
    let dir = std::env::temp_dir().join(format!("awsgen-https-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ca, leaf, key) = tls::certificates(&dir, "127.0.0.1");

    let acceptor = tls::acceptor(leaf, key);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = Arc::new(cognito_identity_server::service(Fixed));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, service) = (acceptor.clone(), service.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let svc = hyper::service::service_fn(move |req| {
                    let service = service.clone();
                    async move { Ok::<_, std::convert::Infallible>(service.handle(req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });

    let url = format!("https://{addr}");
    let trusted = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .tls_root_certificate(ca)
            .build()
            .unwrap(),
    )
    .unwrap();
    let out = trusted
        .get_id()
        .identity_pool_id("us-east-1:abc")
        .send()
        .await
        .unwrap();
    assert_eq!(out.identity_id.as_deref(), Some("us-east-1:abc-over-tls"));

    let untrusted = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = untrusted
        .get_id()
        .identity_pool_id("us-east-1:abc")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Dispatch(_)),
        "a certificate no root vouches for is refused: {err:?}"
    );

    let bad = Config::builder()
        .region("us-east-1")
        .tls_root_certificate(b"not a certificate".to_vec())
        .build()
        .unwrap();
    assert!(
        Client::new(bad).is_err(),
        "an unusable root is a configuration error"
    );
    let _ = std::fs::remove_dir_all(dir);
}
