//! Runs inside the generated `media-client` crate: streaming payloads go out as the body without
//! being buffered (a file or bytes with their length, a caller's stream chunked), are signed as
//! `UNSIGNED-PAYLOAD` when not in memory, are sent again for a retry when they can be read
//! again and attempted once when they cannot; a streaming output is handed over unread, while
//! error responses are still read whole.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use awsgen_rt::client::{http, Body, DispatchKind};
use bytes::Bytes;
use media_client::error::GetObjectError;
use media_client::transport::{SharedTransport, Transport, TransportError, TransportFuture};
use media_client::{ByteStream, Client, Config, Credentials, Error, RetryConfig};

/// One request as the transport received it, its body read to the end.
#[derive(Debug)]
struct Seen {
    method: String,
    uri: String,
    headers: http::HeaderMap,
    /// The body's size hint before it was read: exact for a known length.
    exact_length: Option<u64>,
    body: Vec<u8>,
}

/// A canned response: status, headers, body chunks.
type Reply = (u16, Vec<(&'static str, &'static str)>, Vec<&'static str>);

/// Answers each request with the next canned response.
#[derive(Clone, Default)]
struct Canned {
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

impl Canned {
    fn reply(&self, status: u16, headers: &[(&'static str, &'static str)], chunks: &[&'static str]) {
        self.replies
            .lock()
            .unwrap()
            .push_back((status, headers.to_vec(), chunks.to_vec()));
    }
}

struct Chunks(VecDeque<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front().map(Ok))
    }
}

fn chunks(parts: &[&'static str]) -> Chunks {
    Chunks(parts.iter().map(|p| Bytes::from_static(p.as_bytes())).collect())
}

impl Transport for Canned {
    fn send(&self, request: http::Request<Body>) -> TransportFuture {
        let this = self.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let exact_length = http_body::Body::size_hint(&body).exact();
            let body = body
                .collect()
                .await
                .map_err(|e| TransportError::new(DispatchKind::Io, e))?;
            this.seen.lock().unwrap().push(Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers: parts.headers,
                exact_length,
                body: body.to_vec(),
            });
            let (status, headers, body) = this
                .replies
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or((200, Vec::new(), vec!["{}"]));
            let mut response = http::Response::builder().status(status);
            for (k, v) in headers {
                response = response.header(k, v);
            }
            Ok(response
                .body(ByteStream::from_stream(chunks(&body), None))
                .unwrap())
        })
    }
}

fn client(canned: &Canned, endpoint: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .retry(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(std::time::Duration::from_millis(1)),
            )
            .transport(SharedTransport::new(canned.clone()))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn bytes_and_streams_are_sent_as_the_body() {
    let canned = Canned::default();
    let c = client(&canned, "https://media.example.com");
    canned.reply(200, &[], &[r#"{"ETag":"e1"}"#]);
    let out = c.put_object().path("a/b c").body("hello").send().await.unwrap();
    assert_eq!(out.e_tag.as_deref(), Some("e1"));
    // A caller's stream of unknown length goes out chunked, its type defaulted.
    c.put_object()
        .path("s")
        .body(ByteStream::from_stream(chunks(&["ab", "cd", "e"]), None))
        .content_type("text/plain")
        .send()
        .await
        .unwrap();
    // Unset, the payload is an empty body.
    c.put_object().path("empty").send().await.unwrap();

    let seen = canned.seen.lock().unwrap();
    let [bytes, stream, empty] = &seen[..] else { panic!("{seen:?}") };
    assert_eq!((bytes.method.as_str(), bytes.uri.as_str()), ("PUT", "https://media.example.com/objects/a/b%20c"));
    assert_eq!(bytes.body, b"hello");
    assert_eq!(header(bytes, "content-length"), Some("5"));
    assert_eq!(header(bytes, "content-type"), Some("application/octet-stream"));
    // In memory, the body's hash is signed.
    assert_eq!(header(bytes, "x-amz-content-sha256"), None);

    assert_eq!(stream.body, b"abcde");
    assert_eq!(stream.exact_length, None);
    assert_eq!(header(stream, "content-length"), None);
    assert_eq!(header(stream, "content-type"), Some("text/plain"));
    assert_eq!(header(stream, "x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert!(header(stream, "authorization").is_some());

    assert_eq!(empty.body, b"");
    assert_eq!(header(empty, "content-length"), Some("0"));
    assert_eq!(header(empty, "content-type"), None);
}

#[tokio::test]
async fn a_file_is_sent_again_for_a_retry_and_a_one_shot_stream_is_not() {
    let dir = std::env::temp_dir().join(format!("media-client-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("part.bin");
    let content: Vec<u8> = (0..150_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &content).unwrap();

    let canned = Canned::default();
    let c = client(&canned, "https://media.example.com");
    canned.reply(503, &[], &[r#"{"__type":"ServiceUnavailable"}"#]);
    canned.reply(200, &[], &["{}"]);
    let file = ByteStream::from_path(&path).await.unwrap();
    c.put_object().path("f").body(file).send().await.unwrap();
    {
        let seen = canned.seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "retried once");
        for s in seen.iter() {
            assert_eq!(s.body, content, "the whole file, each attempt");
            assert_eq!(s.exact_length, Some(150_000));
            assert_eq!(header(s, "content-length"), Some("150000"));
            assert_eq!(header(s, "x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
        }
    }
    canned.seen.lock().unwrap().clear();

    canned.reply(503, &[], &[r#"{"__type":"ServiceUnavailable"}"#]);
    canned.reply(200, &[], &["{}"]);
    let once = ByteStream::from_stream(chunks(&["x"]), Some(1));
    let e = c.put_object().path("o").body(once).send().await.unwrap_err();
    assert!(matches!(e, Error::Service { status: 503, .. }), "{e:?}");
    assert_eq!(canned.seen.lock().unwrap().len(), 1, "a stream read once is sent once");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_payload_that_requires_a_length_and_goes_unsigned() {
    let canned = Canned::default();
    let c = client(&canned, "https://media.example.com");
    let e = c
        .put_part()
        .part_id("1")
        .body(ByteStream::from_stream(chunks(&["abc"]), None))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Build(_)), "{e:?}");
    assert!(e.to_string().contains("length must be known"), "{e}");
    assert!(canned.seen.lock().unwrap().is_empty(), "nothing was sent");

    c.put_part().part_id("1").body(ByteStream::from_stream(chunks(&["abc"]), Some(3))).send().await.unwrap();
    c.put_part().part_id("2").body("in memory").send().await.unwrap();
    let seen = canned.seen.lock().unwrap();
    assert_eq!(header(&seen[0], "content-length"), Some("3"));
    // `v4-unsigned-body`: unsigned over HTTPS even when the body is in memory.
    assert_eq!(header(&seen[1], "x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(seen[1].body, b"in memory");
    // The payload is sensitive: a call's Debug does not show it.
    let call = format!("{:?}", c.put_part().part_id("3").body("secret"));
    assert!(!call.contains("secret"), "{call}");
}

#[tokio::test]
async fn a_plain_http_endpoint_signs_even_an_unsigned_payload() {
    let canned = Canned::default();
    let c = client(&canned, "http://127.0.0.1:9");
    c.put_part().part_id("1").body("abc").send().await.unwrap();
    let seen = canned.seen.lock().unwrap();
    assert_eq!(header(&seen[0], "x-amz-content-sha256"), None);
}

#[tokio::test]
async fn a_streaming_output_is_handed_over_unread_and_errors_are_read_whole() {
    let canned = Canned::default();
    let c = client(&canned, "https://media.example.com");
    canned.reply(200, &[("content-type", "video/mp4")], &["chunk-1;", "chunk-2;", "chunk-3"]);
    let mut out = c.get_object().path("v.mp4").send().await.unwrap();
    assert_eq!(out.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(out.status, Some(200));
    assert_eq!(format!("{:?}", out.body), "ByteStream(streaming)");
    // Read chunk by chunk, as a `futures::Stream`.
    let mut got = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut out.body), cx)
    })
    .await
    {
        got.push(chunk.unwrap());
    }
    assert_eq!(got, ["chunk-1;", "chunk-2;", "chunk-3"]);

    canned.reply(
        404,
        &[("x-amzn-errortype", "NotFound"), ("retry-after", "30")],
        &[r#"{"Message":"#, r#""no such object"}"#],
    );
    let e = c.get_object().path("missing").send().await.unwrap_err();
    match e {
        Error::Service { error: GetObjectError::NotFound(nf), status: 404, .. } => {
            assert_eq!(nf.message.as_deref(), Some("no such object"));
            // An error member bound to a header is read from it.
            assert_eq!(nf.retry_after_seconds, Some(30));
        }
        other => panic!("{other:?}"),
    }
}

/// A body that sends one chunk, then nothing, forever.
struct Stalls(bool);

impl futures_core::Stream for Stalls {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Pending
        } else {
            Poll::Ready(Some(Ok(Bytes::from_static(b"first"))))
        }
    }
}

struct Stalling;

impl Transport for Stalling {
    fn send(&self, _: http::Request<Body>) -> TransportFuture {
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(ByteStream::from_stream(Stalls(false), None))
                .unwrap())
        })
    }
}

#[tokio::test]
async fn a_streaming_output_that_stalls_fails_after_the_attempt_timeout() {
    let c = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url("https://media.example.com")
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .timeouts(media_client::TimeoutConfig {
                attempt: Some(std::time::Duration::from_millis(50)),
                ..Default::default()
            })
            .transport(SharedTransport::new(Stalling))
            .build()
            .unwrap(),
    )
    .unwrap();
    let out = c.get_object().path("v").send().await.unwrap();
    let e = out.body.collect().await.unwrap_err();
    assert!(e.to_string().contains("no data for 50ms"), "{e}");
}
