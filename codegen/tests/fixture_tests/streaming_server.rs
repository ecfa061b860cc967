//! Runs inside the generated `media-server` crate: the restJson1 stub routes on method and URI
//! template, reads a label whose name differs from its member's (`PartId` bound to `{Id}`), reads
//! and writes payloads, answers an output without members with `{}`, modelled errors with their
//! status and their members bound to headers in those headers, and unknown paths and methods
//! with 404 and 405. Streaming payloads flow both ways as they arrive: a request body larger
//! than the body limit reaches the handler chunk by chunk, and a handler's stream reaches the
//! caller chunk by chunk, each side waiting on the other between chunks (a stub that buffered
//! either would stall, and the test would time out). With SigV4 verification, a streamed
//! body's signature is checked before the handler runs and its declared hash as it flows.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use media_server::error::{GetObjectError, PutObjectError, PutPartError};
use media_server::types::*;
use media_server::{ByteStream, Limits, Media, RequestContext, SigV4Verifier};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

#[derive(Clone, Default)]
struct Store {
    /// Where `put_object` reports the length of each chunk as it reads it.
    chunks_read: Option<UnboundedSender<usize>>,
    /// The chunks `get_object` answers `live` with, as the test sends them.
    live: Arc<Mutex<Option<UnboundedReceiver<Bytes>>>>,
    /// How many times `put_object` ran, and whether its body ended in a hash mismatch.
    puts: Arc<AtomicUsize>,
    mismatch: Arc<AtomicBool>,
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
        self.puts.fetch_add(1, Ordering::SeqCst);
        let mut total = 0;
        while let Some(chunk) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(Pin::new(&mut input.body), cx)
        })
        .await
        {
            let chunk = chunk.map_err(|e| {
                let source = std::error::Error::source(&e);
                if source.is_some_and(|s| s.is::<awsgen_rt::server::PayloadHashMismatch>()) {
                    self.mismatch.store(true, Ordering::SeqCst);
                }
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
        if input.path == "gone" {
            // No `Retry-After`: no header.
            return Err(GetObjectError::NotFound(
                NotFound::builder().message("gone").build().unwrap(),
            ));
        }
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
        .header("content-length", body.len())
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

    let (status, headers, _) = call("GET", "/objects/gone", "").await;
    assert_eq!(status, 404);
    assert!(headers.get("retry-after").is_none());

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

/// A body of `chunks` sent as they come, without a length (chunked).
fn chunked(chunks: Vec<Bytes>) -> StreamBody<Chunked> {
    StreamBody::new(Chunked(chunks.into_iter().map(http_body::Frame::data).collect()))
}

struct Chunked(std::collections::VecDeque<http_body::Frame<Bytes>>);

impl futures_core::Stream for Chunked {
    type Item = Result<http_body::Frame<Bytes>, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front().map(Ok))
    }
}

/// A PutObject request signed now with key `AKIDMEDIA` and `secret`, saying `declared` in
/// `x-amz-content-sha256`, with `body`; `length` sets `Content-Length`.
fn signed_put<B>(secret: &str, declared: &str, length: Option<usize>, body: B) -> http::Request<B> {
    use awsgen_rt::sigv4::{amz_dates, canonical_request, string_to_sign, Payload, SigningKey};
    let now = awsgen_rt::DateTime::now();
    let (amz_date, day) = amz_dates(now);
    let mut headers = vec![
        ("host", "media.example".to_owned()),
        ("x-amz-content-sha256", declared.to_owned()),
        ("x-amz-date", amz_date.clone()),
    ];
    if let Some(n) = length {
        headers.push(("content-length", n.to_string()));
    }
    let payload = match declared {
        "UNSIGNED-PAYLOAD" => Payload::Unsigned,
        hex => {
            let mut hash = [0u8; 32];
            for (i, b) in hash.iter_mut().enumerate() {
                *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
            }
            Payload::Sha256(hash)
        }
    };
    let (canonical, signed) = canonical_request("PUT", "/objects/signed.bin", "", &headers, payload);
    let scope = format!("{day}/us-east-1/media/aws4_request");
    let signature = SigningKey::derive(secret, now, "us-east-1", "media")
        .sign(&string_to_sign(&amz_date, &scope, &canonical));
    let mut req = http::Request::builder().method("PUT").uri("/objects/signed.bin");
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    req.header(
        "authorization",
        format!("AWS4-HMAC-SHA256 Credential=AKIDMEDIA/{scope}, SignedHeaders={signed}, Signature={signature}"),
    )
    .body(body)
    .unwrap()
}

#[tokio::test]
async fn signed_streams_are_checked_before_and_as_they_flow() {
    use awsgen_rt::sigv4::{hex, sha256};
    let store = Store::default();
    let service = media_server::service(store.clone()).with_sigv4(SigV4Verifier::new(|id| {
        (id == "AKIDMEDIA").then(|| "media-secret".to_owned())
    }));
    let signed_bytes = Bytes::from(vec![1u8; 1536 * 1024]);
    let hash = hex(&sha256(&signed_bytes));
    let halves = |b: &Bytes| vec![b.slice(..b.len() / 2), b.slice(b.len() / 2..)];
    let status_and_body = |resp: http::Response<ByteStream>| async move {
        let status = resp.status().as_u16();
        (status, String::from_utf8_lossy(&resp.into_body().collect().await.unwrap()).into_owned())
    };

    // Another secret: refused before the handler runs.
    let req = signed_put("other-secret", &hash, None, chunked(halves(&signed_bytes)));
    let (status, body) = status_and_body(service.handle(req).await).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("InvalidSignatureException"), "{body}");
    assert_eq!(store.puts.load(Ordering::SeqCst), 0);

    // The signed bytes, streamed (longer than the body limit): served.
    let req = signed_put("media-secret", &hash, None, chunked(halves(&signed_bytes)));
    let (status, body) = status_and_body(service.handle(req).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, format!(r#"{{"ETag":"{}"}}"#, signed_bytes.len()));
    assert!(!store.mismatch.load(Ordering::SeqCst));

    // Other bytes under the same signature: the handler reads them, and the stream ends in
    // the mismatch, typed, instead of ending.
    let other = Bytes::from(vec![2u8; 1536 * 1024]);
    let req = signed_put("media-secret", &hash, None, chunked(halves(&other)));
    let (status, body) = status_and_body(service.handle(req).await).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("XAmzContentSHA256Mismatch"), "{body}");
    assert!(store.mismatch.load(Ordering::SeqCst));

    // A body whose length fits the limit is read and checked whole first: refused as S3 does,
    // without the handler.
    let puts = store.puts.load(Ordering::SeqCst);
    let small = Bytes::from_static(b"small body");
    let req = signed_put("media-secret", &hash, Some(small.len()), Full::new(small));
    let (status, body) = status_and_body(service.handle(req).await).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("XAmzContentSHA256Mismatch"), "{body}");
    assert_eq!(store.puts.load(Ordering::SeqCst), puts);

    // UNSIGNED-PAYLOAD: the signature covers no hash, and the stream is served as it is.
    let req = signed_put("media-secret", "UNSIGNED-PAYLOAD", None, chunked(halves(&other)));
    let (status, body) = status_and_body(service.handle(req).await).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn streamed_bodies_are_held_to_their_limit_and_lengths_where_required() {
    let limits = Limits {
        max_streamed_bytes: Some(1024 * 1024),
        ..Limits::default()
    };
    let service = media_server::service(Store::default())
        .allow_unsigned()
        .with_limits(limits);
    let two_mib = Bytes::from(vec![3u8; 2 * 1024 * 1024]);
    // A PUT of `two_mib` that says its length.
    let sized = || {
        http::Request::builder()
            .method("PUT")
            .uri("/objects/big.bin")
            .header("content-length", two_mib.len())
            .body(Full::new(two_mib.clone()))
            .unwrap()
    };
    // Said too long by its length: refused before anything is read.
    let resp = service.handle(sized()).await;
    assert_eq!(resp.status(), 413);
    // Without a length: the stream ends in an error where it passes the limit.
    let req = http::Request::builder()
        .method("PUT")
        .uri("/objects/big.bin")
        .body(chunked(vec![two_mib.slice(..1024 * 1024), two_mib.slice(1024 * 1024..)]))
        .unwrap();
    let resp = service.handle(req).await;
    assert_eq!(resp.status(), 404);
    let body = resp.into_body().collect().await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("length limit"), "{body:?}");

    // Longer than the body limit, within no streamed limit: served.
    let open = media_server::service(Store::default()).allow_unsigned();
    assert_eq!(open.handle(sized()).await.status(), 200);

    // PutPart's payload requires a length: a chunked one is refused as S3 refuses it.
    let req = http::Request::builder()
        .method("PUT")
        .uri("/parts/p1")
        .body(chunked(vec![Bytes::from_static(b"part")]))
        .unwrap();
    let resp = open.handle(req).await;
    assert_eq!(resp.status(), 411);
    assert_eq!(resp.headers()["x-amzn-errortype"], "MissingContentLength");
}
