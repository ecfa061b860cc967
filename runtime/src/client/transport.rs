//! The transport seam: anything that turns an HTTP request into an HTTP response. The default is
//! hyper 1 with rustls (ring) over our own keep-alive pool; any `tower::Service` over `http` types
//! can take its place ([`from_tower`]), such as a generated server service for in-process tests.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::ByteStream;

use super::config::{ConfigError, TimeoutConfig};
use super::connection::PooledTransport;
use super::error::{DispatchError, DispatchKind};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A boxed future of a transport: the response once its head has arrived; its body is read
/// after (the client buffers it, or hands a streaming payload to the caller).
pub type TransportFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<ByteStream>, TransportError>> + Send>>;

/// Sends one HTTP request and returns the response.
pub trait Transport: Send + Sync + 'static {
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture;
}

/// A transport shared by clients.
#[derive(Clone)]
pub struct SharedTransport(Arc<dyn Transport>);

impl SharedTransport {
    pub fn new(t: impl Transport) -> SharedTransport {
        SharedTransport(Arc::new(t))
    }

    pub fn send(&self, request: http::Request<ByteStream>) -> TransportFuture {
        self.0.send(request)
    }
}

impl fmt::Debug for SharedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedTransport")
    }
}

/// Why a transport could not deliver a request.
#[derive(Debug)]
pub struct TransportError {
    kind: DispatchKind,
    source: BoxError,
}

impl TransportError {
    pub fn new(kind: DispatchKind, source: impl Into<BoxError>) -> TransportError {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    pub(crate) fn timeout(limit: Duration) -> TransportError {
        TransportError::new(
            DispatchKind::Timeout,
            format!("attempt timed out after {limit:?}"),
        )
    }

    pub(crate) fn into_dispatch(self) -> DispatchError {
        DispatchError::new(self.kind, self.source.to_string(), Some(self.source))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl StdError for TransportError {}

/// Responses larger than this are refused rather than buffered (a streaming payload is not
/// buffered, and has no limit).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Wraps any `tower::Service` over `http` types as a transport.
pub fn from_tower<S, B>(service: S) -> SharedTransport
where
    S: tower_service::Service<http::Request<ByteStream>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    SharedTransport::new(TowerTransport(service))
}

struct TowerTransport<S>(S);

impl<S, B> Transport for TowerTransport<S>
where
    S: tower_service::Service<http::Request<ByteStream>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture {
        let mut svc = self.0.clone();
        Box::pin(async move {
            std::future::poll_fn(|cx| svc.poll_ready(cx))
                .await
                .map_err(|e| classify(e.into()))?;
            let resp = svc.call(request).await.map_err(|e| classify(e.into()))?;
            Ok(resp.map(ByteStream::from_body))
        })
    }
}

/// The whole body of a response the client does not stream, refused past
/// [`MAX_RESPONSE_BYTES`].
pub(super) async fn collect(body: ByteStream) -> Result<bytes::Bytes, TransportError> {
    body.collect_at_most(MAX_RESPONSE_BYTES)
        .await
        .map_err(|e| TransportError::new(DispatchKind::Io, e))
}

/// A streaming body whose every wait for the next chunk is limited to `limit` (a server that
/// stalls in the middle of a body fails the read instead of hanging it).
pub(super) fn idle_timeout(body: ByteStream, limit: Duration) -> ByteStream {
    ByteStream::from_boxed(Box::pin(IdleTimeout {
        body,
        limit,
        sleep: Box::pin(tokio::time::sleep(limit)),
    }))
}

struct IdleTimeout {
    body: ByteStream,
    limit: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl http_body::Body for IdleTimeout {
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, BoxError>>> {
        use std::task::Poll;
        match Pin::new(&mut self.body).poll_frame(cx) {
            Poll::Ready(frame) => {
                let deadline = tokio::time::Instant::now() + self.limit;
                self.sleep.as_mut().reset(deadline);
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            Poll::Pending => match self.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(format!(
                    "no data for {:?} while reading the response body",
                    self.limit
                )
                .into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Sorts a transport error into connect, I/O or other.
fn classify(e: BoxError) -> TransportError {
    let mut kind = DispatchKind::Other;
    let mut cur: Option<&(dyn StdError + 'static)> = Some(&*e);
    while let Some(err) = cur {
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                kind = DispatchKind::Timeout;
                break;
            }
            kind = DispatchKind::Io;
        }
        if err.downcast_ref::<std::io::Error>().is_some() {
            kind = DispatchKind::Io;
        }
        cur = err.source();
    }
    TransportError::new(kind, e)
}

/// rustls' cryptography from *ring*, which the client already links for SigV4.
///
/// rustls 0.23.48 deprecates *ring*'s provider because it has no post-quantum key exchange
/// (X25519MLKEM768); the provider that has one, aws-lc-rs, compiles C with CMake, which would
/// more than double a one-call binary's cold build (BENCHMARKS.md). The classical key exchanges
/// *ring* offers are still secure, and every AWS endpoint accepts them.
#[allow(deprecated)]
pub(crate) fn tls_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The default transport: HTTP/1.1 keep-alive connections (hyper's connection API, pooled by
/// `client::connection`), rustls with ring and the webpki roots; plain `http://`
/// endpoints too (local servers).
pub(crate) fn default_transport(
    timeouts: &TimeoutConfig,
    extra_roots: &[Vec<u8>],
    resolve: &[(String, std::net::SocketAddr)],
) -> Result<SharedTransport, ConfigError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for (i, der) in extra_roots.iter().enumerate() {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .map_err(|e| {
                ConfigError::new(format!("extra TLS root certificate {i} is not usable: {e}"))
            })?;
    }
    let mut tls = rustls::ClientConfig::builder_with_provider(tls_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::new(format!("TLS setup failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(SharedTransport::new(PooledTransport::new(
        tls,
        timeouts.connect,
        resolve.iter().cloned().collect(),
    )))
}
