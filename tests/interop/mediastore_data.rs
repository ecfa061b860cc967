//! The generated MediaStore Data client (restJson1) against a real moto server: objects stream in
//! and out over real HTTP. A file goes up with its length, a caller's stream of unknown length
//! goes up chunked, and GetObject's body comes back as a stream read chunk by chunk. PutObject's
//! payload goes unsigned (`v4-unsigned-body`) over HTTPS only; moto is plain HTTP, so it is
//! signed here, as botocore does.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use awsgen_rt::client::Credentials;
use mediastore_data_2017_09_01_client::{ByteStream, Client, Config};

/// A caller's stream: chunks handed out one by one, its length not known in advance.
struct Chunks(VecDeque<bytes::Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<bytes::Bytes, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front().map(Ok))
    }
}

/// Text (moto keeps object bodies as text) of `n` bytes.
fn text(n: usize, seed: u8) -> Vec<u8> {
    (0..n).map(|i| b'a' + ((i + seed as usize) % 26) as u8).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_stream_in_and_out() {
    let moto = common::Moto::start();
    // moto serves MediaStore Data by host name, as AWS does a container's data endpoint: the
    // client names that host and connects to moto for it.
    let host = "data.mediastore.us-east-1.amazonaws.com";
    let c = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://{host}:{}", moto.port))
            .resolve(host, ([127, 0, 0, 1], moto.port).into())
            .credentials_provider(Credentials::from_keys("testing", "testing", None))
            .build()
            .unwrap(),
    )
    .unwrap();

    // A file, read as it is sent.
    let dir = std::env::temp_dir().join(format!("mediastore-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clip.txt");
    let clip = text(300_000, 0);
    std::fs::write(&path, &clip).unwrap();
    c.put_object()
        .path("clip")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();

    // A stream of unknown length: chunked transfer encoding.
    let parts: Vec<Vec<u8>> = (0..5).map(|i| text(70_000, i)).collect();
    let whole: Vec<u8> = parts.concat();
    let stream = Chunks(parts.into_iter().map(bytes::Bytes::from).collect());
    c.put_object()
        .path("chunked")
        .body(ByteStream::from_stream(stream, None))
        .send()
        .await
        .unwrap();

    // Back as streams, read chunk by chunk.
    for (name, want) in [("clip", &clip), ("chunked", &whole)] {
        let mut out = c.get_object().path(name).send().await.unwrap();
        assert_eq!(out.status_code, 200);
        let mut got = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(Pin::new(&mut out.body), cx)
        })
        .await
        {
            got.extend_from_slice(&chunk.unwrap());
            chunks += 1;
        }
        assert!(chunks >= 1);
        assert_eq!(got.len(), want.len(), "{name}");
        assert!(got == *want, "{name}: the bytes that went up come back");
    }

    // The connection a streamed body was read to the end on serves the next call.
    let items = c.list_items().send().await.unwrap();
    let mut names: Vec<String> = items
        .items
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.name)
        .collect();
    names.sort();
    assert_eq!(names, ["chunked", "clip"]);

    // An object collected whole.
    let small = c.get_object().path("clip").send().await.unwrap();
    assert_eq!(small.body.collect().await.unwrap().len(), clip.len());

    c.delete_object().path("clip").send().await.unwrap();
    let gone = c.get_object().path("clip").send().await;
    assert!(gone.is_err(), "{gone:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
