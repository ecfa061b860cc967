//! Runs inside the generated `media-server` crate: the restJson1 stub routes on method and URI
//! template, reads a label whose name differs from its member's (`PartId` bound to `{Id}`), reads
//! and writes payloads, answers an output without members with `{}`, modelled errors with their
//! status and their members bound to headers in those headers, and unknown paths and methods
//! with 404 and 405. Streaming payloads flow both ways as they arrive: a request body larger
//! than the body limit reaches the handler chunk by chunk, and a handler's stream reaches the
//! caller chunk by chunk, each side waiting on the other between chunks (a stub that buffered
//! either would stall, and the test would time out).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use media_server::error::{GetObjectError, PutObjectError, PutPartError};
use media_server::types::*;
use media_server::{ByteStream, Media, RequestContext};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

#[derive(Clone, Default)]
struct Store {
    /// Where `put_object` reports the length of each chunk as it reads it.
    chunks_read: Option<UnboundedSender<usize>>,
    /// The chunks `get_object` answers `live` with, as the test sends them.
    live: Arc<Mutex<Option<UnboundedReceiver<Bytes>>>>,
}

/// The chunks of a channel, as a stream.
struct Chunks(UnboundedReceiver<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|c| c.map(Ok))
    }
}

impl Media for Store {
    async fn put_object(
        &self,
        mut input: PutObjectRequest,
        _: RequestContext,
    ) -> Result<PutObjectResponse, PutObjectError> {
        let mut total = 0;
        while let Some(chunk) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(Pin::new(&mut input.body), cx)
        })
        .await
        {
            let chunk = chunk.map_err(|e| {
                PutObjectError::NotFound(NotFound::builder().message(e.to_string()).build().unwrap())
            })?;
            total += chunk.len();
            if let Some(tx) = &self.chunks_read {
                tx.send(chunk.len()).unwrap();
            }
        }
        Ok(PutObjectResponse::builder().e_tag(total.to_string()).build().unwrap())
    }

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
        if input.path == "live" {
            let rx = self.live.lock().unwrap().take().unwrap();
            return Ok(GetObjectResponse::builder()
                .body(ByteStream::from_stream(Chunks(rx), None))
                .build()
                .unwrap());
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
    let resp = media_server::service(Store::default()).allow_unsigned().handle(req).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.into_body().collect().await.unwrap())
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

/// Waits for `what`, failing the test instead of hanging when it never comes.
async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}: a stream was buffered"))
}

#[tokio::test]
async fn a_streamed_request_body_reaches_the_handler_as_it_arrives() {
    let (read_tx, mut read_rx) = unbounded_channel();
    let store = Store {
        chunks_read: Some(read_tx),
        ..Store::default()
    };
    // Three chunks of 512 KiB: more than the default body limit (1 MiB) in all, which a
    // streamed payload is not held to.
    let (body_tx, body_rx) = unbounded_channel::<Result<http_body::Frame<Bytes>, std::io::Error>>();
    struct Frames(UnboundedReceiver<Result<http_body::Frame<Bytes>, std::io::Error>>);
    impl futures_core::Stream for Frames {
        type Item = Result<http_body::Frame<Bytes>, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.0.poll_recv(cx)
        }
    }
    let req = http::Request::builder()
        .method("PUT")
        .uri("/objects/big.bin")
        .body(StreamBody::new(Frames(body_rx)))
        .unwrap();
    let service = media_server::service(store).allow_unsigned();
    let response = tokio::spawn(async move { service.handle(req).await });
    let chunk = Bytes::from(vec![7u8; 512 * 1024]);
    let mut read = 0;
    for _ in 0..3 {
        body_tx.send(Ok(http_body::Frame::data(chunk.clone()))).unwrap();
        // The next chunk is sent only once the handler has read this one.
        while read < chunk.len() {
            read += within("the handler to read a chunk", read_rx.recv()).await.unwrap();
        }
        read -= chunk.len();
    }
    drop(body_tx);
    let resp = within("the response", response).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.into_body().collect().await.unwrap();
    assert_eq!(body, format!(r#"{{"ETag":"{}"}}"#, 3 * 512 * 1024));
}

#[tokio::test]
async fn a_streamed_response_body_reaches_the_caller_as_it_is_produced() {
    let (tx, rx) = unbounded_channel();
    let store = Store {
        live: Arc::new(Mutex::new(Some(rx))),
        ..Store::default()
    };
    let req = http::Request::builder()
        .method("GET")
        .uri("/objects/live")
        .body(Full::new(Bytes::new()))
        .unwrap();
    tx.send(Bytes::from_static(b"first;")).unwrap();
    let resp = within(
        "the response's head",
        media_server::service(store).allow_unsigned().handle(req),
    )
    .await;
    assert_eq!(resp.status(), 200);
    // A payload without a content type of its own is octet-stream, as for buffered blobs.
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    let mut body = resp.into_body();
    let frame = within("the first chunk", body.frame()).await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "first;");
    // The second chunk exists only after the caller has read the first.
    tx.send(Bytes::from_static(b"second")).unwrap();
    let frame = within("the second chunk", body.frame()).await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "second");
    drop(tx);
    assert!(within("the end", body.frame()).await.is_none());
}
