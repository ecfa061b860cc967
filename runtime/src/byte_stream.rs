//! Bodies that need not be in memory: a `streaming` blob payload (Polly's audio, Glacier's
//! archives, S3's objects), and every request and response body the client's transport carries.
//!
//! A [`ByteStream`] is bytes in memory, a file read as it is sent, or any `http_body::Body` /
//! `futures::Stream` of bytes. It is an `http_body::Body` itself, and a `futures::Stream` of
//! `Bytes` chunks for callers reading a response. Bodies in memory and files can be sent again
//! (the client retries them); a caller's one-shot stream cannot, so a call that sends one is
//! attempted once.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
pub(crate) type DynBody = Pin<Box<dyn Body<Data = Bytes, Error = BoxError> + Send>>;

/// A body of bytes, in memory or streamed. `Debug` shows where it is and its length, never its
/// content.
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// In memory; the first poll hands it out whole.
    Bytes(Bytes),
    Streaming {
        /// Behind a mutex only so that inputs and outputs holding a stream are `Sync`; the body
        /// is polled through `&mut`, which takes no lock.
        body: Mutex<DynBody>,
        /// The length, when known before reading (a file's size, a body's exact size hint).
        length: Option<u64>,
        /// Makes a fresh copy of the body from the start, for a retry: a file opens again.
        rebuild: Option<Arc<dyn Fn() -> DynBody + Send + Sync>>,
    },
}

/// A stream failed while being read (a connection that broke, a file that could not be read),
/// or was longer than its reader accepts.
#[derive(Debug)]
pub struct ByteStreamError(BoxError);

impl ByteStreamError {
    pub fn new(source: impl Into<BoxError>) -> ByteStreamError {
        ByteStreamError(source.into())
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading a byte stream failed: {}", self.0)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> ByteStream {
        ByteStream::from(Bytes::new())
    }

    /// Bytes that live as long as the program.
    pub fn from_static(bytes: &'static [u8]) -> ByteStream {
        ByteStream::from(Bytes::from_static(bytes))
    }

    /// Any `http_body::Body` of bytes (a hyper `Incoming`, an `http_body_util` body). It is read
    /// once: a call that sends it is not retried. Its data frames are the bytes; trailers are
    /// dropped.
    pub fn from_body<B>(body: B) -> ByteStream
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let hint = body.size_hint();
        ByteStream::streaming(boxed(body), hint.exact(), None)
    }

    /// A `futures::Stream` of byte chunks. It is read once: a call that sends it is not retried.
    /// `length`, when given, is sent as the `Content-Length` (an operation that requires a
    /// length refuses a stream without one); a stream that then ends early or runs long fails.
    pub fn from_stream<S, E>(stream: S, length: Option<u64>) -> ByteStream
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let body = StreamBody {
            stream: Box::pin(stream),
            length,
            seen: 0,
            done: false,
        };
        ByteStream::streaming(Box::pin(body), length, None)
    }

    /// The file at `path`, read as it is sent, `Content-Length` its size now. A retry reads it
    /// again from the start. A file that shrinks before it is read fails the call; one that
    /// grows is sent up to its size at this call.
    #[cfg(feature = "client")]
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<ByteStream> {
        let path: Arc<std::path::Path> = Arc::from(path.as_ref());
        let length = tokio::fs::metadata(&path).await?.len();
        let open = move || -> DynBody { Box::pin(file::FileBody::new(path.clone(), length)) };
        Ok(ByteStream::streaming(
            open(),
            Some(length),
            Some(Arc::new(open)),
        ))
    }

    /// A body that is already boxed as the client's transport boxes response bodies.
    #[cfg(feature = "client")]
    pub(crate) fn from_boxed(body: DynBody) -> ByteStream {
        let length = body.size_hint().exact();
        ByteStream::streaming(body, length, None)
    }

    fn streaming(
        body: DynBody,
        length: Option<u64>,
        rebuild: Option<Arc<dyn Fn() -> DynBody + Send + Sync>>,
    ) -> ByteStream {
        ByteStream {
            inner: Inner::Streaming {
                body: Mutex::new(body),
                length,
                rebuild,
            },
        }
    }

    /// The whole body, when it is in memory. Once the body has been read as an
    /// `http_body::Body` or a stream, what is left is empty.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(b) => Some(b),
            Inner::Streaming { .. } => None,
        }
    }

    /// The body's length when it is known before reading it.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes(b) => Some(b.len() as u64),
            Inner::Streaming { length, .. } => *length,
        }
    }

    /// A copy that reads the same bytes from the start: bytes in memory and files can be copied,
    /// a caller's one-shot stream cannot (`None`).
    pub fn try_clone(&self) -> Option<ByteStream> {
        match &self.inner {
            Inner::Bytes(b) => Some(ByteStream::from(b.clone())),
            Inner::Streaming {
                length, rebuild, ..
            } => {
                let rebuild = rebuild.as_ref()?;
                Some(ByteStream::streaming(
                    rebuild(),
                    *length,
                    Some(rebuild.clone()),
                ))
            }
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(self) -> Result<Bytes, ByteStreamError> {
        self.collect_at_most(usize::MAX).await
    }

    /// Reads the whole body into memory, failing once it is longer than `limit` bytes.
    pub async fn collect_at_most(mut self, limit: usize) -> Result<Bytes, ByteStreamError> {
        if let Inner::Bytes(b) = &mut self.inner {
            return match b.len() <= limit {
                true => Ok(std::mem::take(b)),
                false => Err(too_long(limit)),
            };
        }
        let mut first: Option<Bytes> = None;
        let mut rest = BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.poll_chunk(cx)).await {
            let chunk = chunk?;
            let have = first.as_ref().map_or(0, Bytes::len) + rest.len();
            if have + chunk.len() > limit {
                return Err(too_long(limit));
            }
            // One chunk is kept as it is; only a body of several is copied together, into one
            // block sized once for the whole body where its length is known (a growing buffer
            // would allocate again for each chunk, and glibc's malloc pays extra for each block
            // of 1 KiB or more: see `protocol::request_headers`).
            match first.take() {
                None if rest.is_empty() => first = Some(chunk),
                held => {
                    if let Some(h) = held {
                        // The length the body declares is the sender's word: it sizes the
                        // block only up to a few MiB, and never past the limit.
                        let left = usize::try_from(self.size_hint().lower()).unwrap_or(0);
                        let room = (h.len() + chunk.len()).saturating_add(left.min(8 << 20));
                        rest.reserve(room.min(limit));
                        rest.extend_from_slice(&h);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        Ok(first.unwrap_or_else(|| rest.freeze()))
    }

    /// The next chunk of data (trailers are skipped), or `None` at the end.
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        loop {
            let frame = match Pin::new(&mut *self).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => frame,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            };
            if let Ok(data) = frame.into_data() {
                if !data.is_empty() {
                    return Poll::Ready(Some(Ok(data)));
                }
            }
        }
    }
}

fn too_long(limit: usize) -> ByteStreamError {
    ByteStreamError::new(format!("the body is longer than {limit} bytes"))
}

fn boxed<B>(body: B) -> DynBody
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    /// The body boxed once more, so that it is `Unpin` and its errors can be mapped without
    /// pinning projections.
    struct MapErr<B>(Pin<Box<B>>);
    impl<B> Body for MapErr<B>
    where
        B: Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        type Data = Bytes;
        type Error = BoxError;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            self.0.as_mut().poll_frame(cx).map_err(Into::into)
        }
        fn is_end_stream(&self) -> bool {
            self.0.is_end_stream()
        }
        fn size_hint(&self) -> SizeHint {
            self.0.size_hint()
        }
    }
    Box::pin(MapErr(Box::pin(body)))
}

/// A `futures::Stream` of chunks as a body, checked against its declared length.
struct StreamBody<E> {
    stream: Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, E>> + Send>>,
    length: Option<u64>,
    seen: u64,
    /// Ended (or failed): the caller's stream is not polled again, which some streams do not
    /// allow.
    done: bool,
}

impl<E: Into<BoxError>> Body for StreamBody<E> {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let next = match self.stream.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        let frame = self.as_mut().frame(next);
        if !matches!(frame, Poll::Ready(Some(Ok(_)))) {
            self.done = true;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }

    fn size_hint(&self) -> SizeHint {
        match self.length {
            Some(n) => SizeHint::with_exact(n.saturating_sub(self.seen)),
            None => SizeHint::default(),
        }
    }
}

impl<E: Into<BoxError>> StreamBody<E> {
    fn frame(
        mut self: Pin<&mut Self>,
        next: Option<Result<Bytes, E>>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match next {
            Some(Ok(chunk)) => {
                self.seen += chunk.len() as u64;
                match self.length {
                    Some(n) if self.seen > n => Poll::Ready(Some(Err(format!(
                        "the stream is longer than its declared length of {n} bytes"
                    )
                    .into()))),
                    _ => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                }
            }
            Some(Err(e)) => Poll::Ready(Some(Err(e.into()))),
            None => match self.length {
                Some(n) if self.seen < n => Poll::Ready(Some(Err(format!(
                    "the stream ended after {} of its declared {n} bytes",
                    self.seen
                )
                .into()))),
                _ => Poll::Ready(None),
            },
        }
    }
}

#[cfg(feature = "client")]
mod file {
    use std::future::Future;
    use std::io;
    use std::path::Path;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use bytes::{Bytes, BytesMut};
    use http_body::{Body, Frame, SizeHint};
    use tokio::io::{AsyncRead, ReadBuf};

    use super::BoxError;

    /// Read in chunks of this size.
    const CHUNK: usize = 64 * 1024;

    type Opening = Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>;

    /// A file read from the start up to `length` bytes.
    pub(super) struct FileBody {
        path: Arc<Path>,
        length: u64,
        sent: u64,
        state: State,
    }

    enum State {
        Closed,
        Opening(Opening),
        Open(tokio::fs::File),
    }

    impl FileBody {
        pub(super) fn new(path: Arc<Path>, length: u64) -> FileBody {
            FileBody {
                path,
                length,
                sent: 0,
                state: State::Closed,
            }
        }

        fn error(&self, e: impl std::fmt::Display) -> BoxError {
            format!("reading {}: {e}", self.path.display()).into()
        }
    }

    impl Body for FileBody {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            let this = self.get_mut();
            loop {
                if this.sent >= this.length {
                    return Poll::Ready(None);
                }
                match &mut this.state {
                    State::Closed => {
                        let path = this.path.clone();
                        this.state =
                            State::Opening(Box::pin(
                                async move { tokio::fs::File::open(path).await },
                            ));
                    }
                    State::Opening(f) => match f.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Ok(file)) => this.state = State::Open(file),
                        Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(this.error(e)))),
                    },
                    State::Open(file) => {
                        let want = (this.length - this.sent).min(CHUNK as u64) as usize;
                        let mut buf = BytesMut::zeroed(want);
                        let mut read = ReadBuf::new(&mut buf);
                        match Pin::new(file).poll_read(cx, &mut read) {
                            Poll::Pending => return Poll::Pending,
                            Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(this.error(e)))),
                            Poll::Ready(Ok(())) => {}
                        }
                        let n = read.filled().len();
                        if n == 0 {
                            let e = format!(
                                "the file ended after {} of its {} bytes",
                                this.sent, this.length
                            );
                            return Poll::Ready(Some(Err(this.error(e))));
                        }
                        buf.truncate(n);
                        this.sent += n as u64;
                        return Poll::Ready(Some(Ok(Frame::data(buf.freeze()))));
                    }
                }
            }
        }

        fn is_end_stream(&self) -> bool {
            self.sent >= self.length
        }

        fn size_hint(&self) -> SizeHint {
            SizeHint::with_exact(self.length - self.sent)
        }
    }
}

impl Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        match &mut self.get_mut().inner {
            Inner::Bytes(b) if b.is_empty() => Poll::Ready(None),
            Inner::Bytes(b) => Poll::Ready(Some(Ok(Frame::data(std::mem::take(b))))),
            Inner::Streaming { body, .. } => {
                let body = body.get_mut().unwrap_or_else(|p| p.into_inner());
                // Data frames only: trailers are not part of the bytes. Sent as a request or a
                // response, a body without trailers also lets the compiler drop hyper's code for
                // writing them.
                loop {
                    return match body.as_mut().poll_frame(cx) {
                        Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                            Ok(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
                            Err(_) => continue,
                        },
                        Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(ByteStreamError(e)))),
                        Poll::Ready(None) => Poll::Ready(None),
                        Poll::Pending => Poll::Pending,
                    };
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Bytes(b) => b.is_empty(),
            Inner::Streaming { body, .. } => body.lock().is_ok_and(|b| b.is_end_stream()),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Bytes(b) => SizeHint::with_exact(b.len() as u64),
            Inner::Streaming { body, length, .. } => match body.lock() {
                Ok(body) => body.size_hint(),
                Err(_) => length.map(SizeHint::with_exact).unwrap_or_default(),
            },
        }
    }
}

/// The body's data chunks in order; trailers are skipped.
impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl Default for ByteStream {
    fn default() -> ByteStream {
        ByteStream::new()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes(b) => write!(f, "ByteStream({} bytes in memory)", b.len()),
            Inner::Streaming {
                length: Some(n), ..
            } => write!(f, "ByteStream(streaming, {n} bytes)"),
            Inner::Streaming { length: None, .. } => f.write_str("ByteStream(streaming)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> ByteStream {
        ByteStream {
            inner: Inner::Bytes(b),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> ByteStream {
        ByteStream::from(Bytes::from(v))
    }
}

impl From<String> for ByteStream {
    fn from(s: String) -> ByteStream {
        ByteStream::from(Bytes::from(s))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(s: &'static [u8]) -> ByteStream {
        ByteStream::from(Bytes::from_static(s))
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> ByteStream {
        ByteStream::from(Bytes::from_static(s.as_bytes()))
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(b: crate::Blob) -> ByteStream {
        ByteStream::from(b.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::task::{Context, Poll};

    use bytes::Bytes;
    use http_body::Body;

    use super::ByteStream;

    /// Polls a future that never waits (every body here is ready at once).
    fn ready<T>(f: impl std::future::Future<Output = T>) -> T {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the future waited"),
        }
    }

    struct Chunks(Vec<Result<Bytes, String>>);

    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, String>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Self::Item>> {
            Poll::Ready((!self.0.is_empty()).then(|| self.0.remove(0)))
        }
    }

    fn chunks(parts: &[&'static str]) -> Chunks {
        Chunks(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p.as_bytes())))
                .collect(),
        )
    }

    #[test]
    fn bytes_in_memory_are_one_frame_and_can_be_copied() {
        let s = ByteStream::from("hello");
        assert_eq!(s.content_length(), Some(5));
        assert_eq!(s.bytes().map(|b| &b[..]), Some(&b"hello"[..]));
        assert_eq!(s.size_hint().exact(), Some(5));
        let copy = s.try_clone().expect("in memory");
        assert_eq!(ready(s.collect()).unwrap(), "hello");
        assert_eq!(ready(copy.collect()).unwrap(), "hello");
        assert!(ByteStream::new().is_end_stream());
        assert_eq!(
            format!("{:?}", ByteStream::from("secret")),
            "ByteStream(6 bytes in memory)"
        );
    }

    #[test]
    fn streams_are_collected_in_order_and_cannot_be_copied() {
        let s = ByteStream::from_stream(chunks(&["ab", "", "cd", "e"]), None);
        assert!(s.try_clone().is_none());
        assert_eq!(s.content_length(), None);
        assert_eq!(format!("{s:?}"), "ByteStream(streaming)");
        assert_eq!(ready(s.collect()).unwrap(), "abcde");
        // One chunk is handed back as it is.
        let one = ByteStream::from_stream(chunks(&["whole"]), Some(5));
        assert_eq!(ready(one.collect()).unwrap(), "whole");
    }

    #[test]
    fn a_stream_must_match_its_declared_length_and_the_reader_limit() {
        let short = ByteStream::from_stream(chunks(&["ab"]), Some(3));
        let e = ready(short.collect()).unwrap_err().to_string();
        assert!(e.contains("ended after 2 of its declared 3 bytes"), "{e}");
        let long = ByteStream::from_stream(chunks(&["ab", "cd"]), Some(3));
        let e = ready(long.collect()).unwrap_err().to_string();
        assert!(e.contains("longer than its declared length of 3"), "{e}");
        let e = ready(ByteStream::from("abcdef").collect_at_most(5)).unwrap_err();
        assert!(e.to_string().contains("longer than 5 bytes"), "{e}");
        let e = ready(ByteStream::from_stream(chunks(&["abc", "def"]), None).collect_at_most(5))
            .unwrap_err();
        assert!(e.to_string().contains("longer than 5 bytes"), "{e}");
        let failing = ByteStream::from_stream(Chunks(vec![Err("broken pipe".into())]), None);
        let e = ready(failing.collect()).unwrap_err().to_string();
        assert!(e.contains("broken pipe"), "{e}");
    }

    #[cfg(feature = "client")]
    #[tokio::test]
    async fn files_are_read_to_their_size_and_again_for_a_copy() {
        let dir = std::env::temp_dir().join(format!("awsgen-bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body.bin");
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let s = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(s.content_length(), Some(200_000));
        assert!(s.bytes().is_none());
        let copy = s.try_clone().expect("a file can be read again");
        assert_eq!(s.collect().await.unwrap(), content);
        assert_eq!(copy.collect().await.unwrap(), content);
        // A file that shrank after its size was taken fails rather than sending less.
        let s = ByteStream::from_path(&path).await.unwrap();
        std::fs::write(&path, b"short").unwrap();
        let e = s.collect().await.unwrap_err().to_string();
        assert!(e.contains("ended after 5 of its 200000 bytes"), "{e}");
        assert!(ByteStream::from_path(dir.join("missing")).await.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
