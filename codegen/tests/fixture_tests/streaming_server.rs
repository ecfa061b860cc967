//! Runs inside the generated `media-server` crate: the restJson1 stub routes on method and URI
//! template, reads a label whose name differs from its member's (`PartId` bound to `{Id}`), reads
//! and writes payloads (streams are buffered on the server), answers an output without members
//! with `{}`, modelled errors with their status and their members bound to headers in those
//! headers, and unknown paths and methods with 404 and 405.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use media_server::error::{GetObjectError, PutPartError};
use media_server::types::*;
use media_server::{Media, RequestContext};

struct Store;

impl Media for Store {
    async fn put_part(
        &self,
        input: PutPartRequest,
        _: RequestContext,
    ) -> Result<PutPartResponse, PutPartError> {
        let body = input.body.collect().await.unwrap();
        assert_eq!(input.part_id, "p 1", "the label reaches the member it binds");
        assert_eq!(body, "part bytes");
        Ok(PutPartResponse::builder().build().unwrap())
    }

    async fn get_object(
        &self,
        input: GetObjectRequest,
        _: RequestContext,
    ) -> Result<GetObjectResponse, GetObjectError> {
        if input.path == "missing" {
            return Err(GetObjectError::NotFound(
                NotFound::builder()
                    .message("no such object")
                    .retry_after_seconds(30)
                    .build()
                    .unwrap(),
            ));
        }
        Ok(GetObjectResponse::builder()
            .content_type("video/mp4")
            .body(format!("contents of {}", input.path))
            .build()
            .unwrap())
    }
}

async fn call(method: &str, uri: &str, body: &'static str) -> (u16, http::HeaderMap, Bytes) {
    let req = http::Request::builder()
        .method(method)
        .uri(uri)
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .unwrap();
    let resp = media_server::service(Store).allow_unsigned().handle(req).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.into_body().collect().await.unwrap().to_bytes())
}

#[tokio::test]
async fn routes_labels_payloads_and_errors() {
    let (status, headers, body) = call("PUT", "/parts/p%201", "part bytes").await;
    assert_eq!(status, 200, "{body:?}");
    // An output without members is `{}`, as Smithy's servers answer it.
    assert_eq!(body, "{}");
    assert_eq!(headers["content-type"], "application/json");

    let (status, headers, body) = call("GET", "/objects/a/b%20c.mp4", "").await;
    assert_eq!(status, 200, "{body:?}");
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(body, "contents of a/b c.mp4");

    let (status, headers, body) = call("GET", "/objects/missing", "").await;
    assert_eq!(status, 404);
    assert_eq!(headers["x-amzn-errortype"], "NotFound");
    assert!(String::from_utf8_lossy(&body).contains("no such object"), "{body:?}");
    // An error member bound to a header goes to the header, not the body.
    assert_eq!(headers["retry-after"], "30");
    assert_eq!(headers["content-type"], "application/json");
    assert!(!String::from_utf8_lossy(&body).contains("RetryAfter"), "{body:?}");

    let (status, headers, _) = call("GET", "/nowhere", "").await;
    assert_eq!(status, 404);
    assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
    let (status, _, _) = call("DELETE", "/objects/a", "").await;
    assert_eq!(status, 405);
    // An empty label is no label: `/parts/` is not PutPart with an empty id.
    let (status, _, _) = call("PUT", "/parts/", "x").await;
    assert_eq!(status, 404);
}
