//! The transport seam: any `tower::Service` over `http` types carries the client's requests.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use awsgen_rt::ByteStream;
use bytes::Bytes;
use cognito_identity_client::{transport, Client, Config};
use http_body_util::Full;

/// Each request's target and body.
type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

#[derive(Clone, Default)]
struct Canned(Seen);

impl tower_service::Service<http::Request<ByteStream>> for Canned {
    type Response = http::Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<ByteStream>) -> Self::Future {
        let target = req.headers()["x-amz-target"].to_str().unwrap().to_owned();
        let body = futures_body(req.into_body());
        self.0.lock().unwrap().push((target, body));
        ready(Ok(http::Response::builder()
            .status(200)
            .header("x-amzn-RequestId", "in-process")
            .body(Full::new(Bytes::from_static(
                br#"{"IdentityId":"us-east-1:in-process"}"#,
            )))
            .unwrap()))
    }
}

/// The client's encoded bodies are in memory: read without an executor.
fn futures_body(body: ByteStream) -> Vec<u8> {
    body.bytes().expect("an encoded body is in memory").to_vec()
}

#[tokio::test(flavor = "current_thread")]
async fn any_tower_service_can_carry_requests() {
    let svc = Canned::default();
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .transport(transport::from_tower(svc.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
    let out = client
        .get_id()
        .identity_pool_id("us-east-1:pool")
        .send()
        .await
        .unwrap();
    assert_eq!(out.identity_id.as_deref(), Some("us-east-1:in-process"));
    let seen = svc.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![(
            "AWSCognitoIdentityService.GetId".to_owned(),
            br#"{"IdentityPoolId":"us-east-1:pool"}"#.to_vec()
        )]
    );
}
