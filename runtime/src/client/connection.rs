//! The default transport: TCP (and TLS with rustls) connections, a keep-alive pool of idle
//! HTTP/1.1 connections per origin, and the exchange itself over hyper's connection API.
//!
//! This replaces hyper-util's general-purpose client, whose generic pool, connector and executor
//! machinery cost a few seconds of every cold build for what an awsJson client needs: one
//! request at a time per connection, to one or a few origins, reusing connections in between.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::error::DispatchKind;
use super::transport::{Transport, TransportError, TransportFuture};
use crate::ByteStream;

/// Idle connections older than this are closed instead of reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// Idle connections kept per origin; more are closed when returned.
const MAX_IDLE_PER_ORIGIN: usize = 32;

/// Where connections go: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Origin {
    tls: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &http::Uri) -> Result<Origin, TransportError> {
        let tls = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            other => {
                return Err(TransportError::new(
                    DispatchKind::Other,
                    format!("unsupported URI scheme {other:?} in {uri}"),
                ))
            }
        };
        let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| {
            TransportError::new(DispatchKind::Other, format!("no host in request URI {uri}"))
        })?;
        Ok(Origin {
            tls,
            // An IPv6 literal comes bracketed (`[::1]`); sockets and TLS want it bare.
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: uri.port_u16().unwrap_or(if tls { 443 } else { 80 }),
        })
    }
}

/// A TCP connection, plain or under TLS: one type, so hyper's connection code is instantiated
/// once.
enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// An idle connection and when it became idle.
struct Idle {
    sender: SendRequest<ByteStream>,
    since: Instant,
}

/// The default transport: a pool of HTTP/1.1 connections per origin.
pub(crate) struct PooledTransport {
    inner: Arc<Inner>,
}

struct Inner {
    tls: tokio_rustls::TlsConnector,
    connect_timeout: Option<Duration>,
    /// Addresses to connect to for these host names instead of looking them up.
    resolve: HashMap<String, std::net::SocketAddr>,
    idle: Mutex<HashMap<Origin, Vec<Idle>>>,
}

impl PooledTransport {
    pub(crate) fn new(
        tls: rustls::ClientConfig,
        connect_timeout: Option<Duration>,
        resolve: HashMap<String, std::net::SocketAddr>,
    ) -> Self {
        PooledTransport {
            inner: Arc::new(Inner {
                tls: tokio_rustls::TlsConnector::from(Arc::new(tls)),
                connect_timeout,
                resolve,
                idle: Mutex::new(HashMap::new()),
            }),
        }
    }
}

impl Transport for PooledTransport {
    /// The future is two boxes, the exchange (connection, request, response head) and the
    /// response around it, each under 1 KiB: one box of both was 2.2 KiB, and glibc's malloc
    /// answers a request of 1 KiB or more by first merging every small block freed since (the
    /// previous response's strings, which the next response would have reused as they were),
    /// and the small allocations after the merge take its slow path. On ListIdentities (60
    /// identities) that merge cost about 20k instructions a call. `send_future_sizes` holds the
    /// sizes.
    ///
    /// The connection goes back to the pool when the response's body has been read to its end;
    /// a body dropped unread closes it.
    fn send(&self, request: http::Request<ByteStream>) -> TransportFuture {
        let inner = self.inner.clone();
        let prepared = Origin::of(request.uri()).and_then(|o| Ok((o, origin_form(request)?)));
        Box::pin(async move {
            let (origin, request) = prepared?;
            let (sender, response) = Box::pin(inner.exchange(&origin, request)).await?;
            let (parts, body) = response.into_parts();
            let mut body = PooledBody {
                body,
                checkin: Some((inner, origin, sender)),
            };
            // A response without a body (`Content-Length: 0`) frees its connection now, read
            // or not.
            if body.body.is_end_stream() {
                body.done();
            }
            let body = ByteStream::from_boxed(Box::pin(body));
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

/// A response body that returns its connection to the pool once read to the end.
struct PooledBody {
    body: Incoming,
    checkin: Option<(Arc<Inner>, Origin, SendRequest<ByteStream>)>,
}

impl PooledBody {
    fn done(&mut self) {
        if let Some((inner, origin, sender)) = self.checkin.take() {
            inner.checkin(origin, sender);
        }
    }
}

impl Body for PooledBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let frame = Pin::new(&mut this.body).poll_frame(cx);
        match &frame {
            Poll::Ready(None) => this.done(),
            Poll::Ready(Some(Ok(_))) if this.body.is_end_stream() => this.done(),
            Poll::Ready(Some(Err(_))) => this.checkin = None,
            _ => {}
        }
        frame.map_err(Into::into)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Inner {
    /// Sends `request` on a pooled or new connection; the response head and the connection.
    ///
    /// Not an `async fn`: one copies its arguments into the future's locals, and the request is
    /// 256 bytes. Nothing large is held across an await but the request and hyper's send.
    fn exchange<'a>(
        &'a self,
        origin: &'a Origin,
        request: http::Request<ByteStream>,
    ) -> impl Future<
        Output = Result<(SendRequest<ByteStream>, http::Response<Incoming>), TransportError>,
    > + Send
           + 'a {
        let mut request = request;
        let pooled = self.checkout(origin);
        async move {
            let mut reused = pooled.is_some();
            let mut sender = match pooled {
                Some(sender) => sender,
                None => Box::pin(self.connect(origin)).await?,
            };
            loop {
                // A pooled connection the server closed while it was idle fails here or when the
                // request is handed over, before it is written: the request goes once more, on a
                // new connection.
                if let Err(e) = std::future::poll_fn(|cx| sender.poll_ready(cx)).await {
                    if !reused {
                        return Err(exchange_error(e));
                    }
                } else {
                    let unsent = match sender.try_send_request(request).await {
                        Ok(response) => return Ok((sender, response)),
                        Err(mut e) => match e.take_message() {
                            Some(unsent) if reused => unsent,
                            _ => return Err(exchange_error(e.into_error())),
                        },
                    };
                    request = unsent;
                }
                sender = Box::pin(self.connect(origin)).await?;
                reused = false;
            }
        }
    }

    /// A live idle connection to `origin`, if there is one.
    fn checkout(&self, origin: &Origin) -> Option<SendRequest<ByteStream>> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(origin)?;
        while let Some(conn) = list.pop() {
            if conn.since.elapsed() < IDLE_TIMEOUT && !conn.sender.is_closed() {
                return Some(conn.sender);
            }
        }
        None
    }

    fn checkin(&self, origin: Origin, sender: SendRequest<ByteStream>) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.entry(origin).or_default();
        list.retain(|c| c.since.elapsed() < IDLE_TIMEOUT && !c.sender.is_closed());
        if list.len() < MAX_IDLE_PER_ORIGIN {
            list.push(Idle {
                sender,
                since: Instant::now(),
            });
        }
    }

    /// A new connection: TCP, TLS for `https`, then the HTTP/1.1 handshake, all within the
    /// connect timeout. The connection's I/O runs on its own task.
    async fn connect(&self, origin: &Origin) -> Result<SendRequest<ByteStream>, TransportError> {
        let stream = match self.connect_timeout {
            Some(limit) => tokio::time::timeout(limit, self.open(origin))
                .await
                .map_err(|_| {
                    TransportError::new(
                        DispatchKind::Timeout,
                        format!(
                            "connecting to {}:{} timed out after {limit:?}",
                            origin.host, origin.port
                        ),
                    )
                })??,
            None => self.open(origin).await?,
        };
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| TransportError::new(DispatchKind::Connect, e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
        Ok(sender)
    }

    async fn open(&self, origin: &Origin) -> Result<Stream, TransportError> {
        let connect_error = |e: io::Error| {
            TransportError::new(
                DispatchKind::Connect,
                ConnectError {
                    target: format!("{}:{}", origin.host, origin.port),
                    source: e,
                },
            )
        };
        let tcp = match self.resolve.get(&origin.host) {
            Some(addr) => TcpStream::connect(addr).await,
            None => TcpStream::connect((origin.host.as_str(), origin.port)).await,
        }
        .map_err(connect_error)?;
        tcp.set_nodelay(true).map_err(connect_error)?;
        if !origin.tls {
            return Ok(Stream::Plain(tcp));
        }
        let name = rustls::pki_types::ServerName::try_from(origin.host.clone()).map_err(|e| {
            TransportError::new(
                DispatchKind::Connect,
                format!("{} is not a valid TLS server name: {e}", origin.host),
            )
        })?;
        let tls = self.tls.connect(name, tcp).await.map_err(connect_error)?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}

/// A connection could not be made to `target`.
#[derive(Debug)]
struct ConnectError {
    target: String,
    source: io::Error,
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot connect to {}: {}", self.target, self.source)
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The request as HTTP/1.1 sends it: the path in the request line, the authority in `Host`.
fn origin_form(
    mut request: http::Request<ByteStream>,
) -> Result<http::Request<ByteStream>, TransportError> {
    if !request.headers().contains_key(http::header::HOST) {
        if let Some(authority) = request.uri().authority() {
            let host = http::HeaderValue::from_str(authority.as_str())
                .map_err(|e| TransportError::new(DispatchKind::Other, e))?;
            request.headers_mut().insert(http::header::HOST, host);
        }
    }
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .parse::<http::Uri>()
        .map_err(|e| TransportError::new(DispatchKind::Other, e))?;
    *request.uri_mut() = path;
    Ok(request)
}

fn exchange_error(e: hyper::Error) -> TransportError {
    let kind = if e.is_timeout() {
        DispatchKind::Timeout
    } else {
        DispatchKind::Io
    };
    TransportError::new(kind, e)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::PooledTransport;
    use crate::client::transport::Transport;
    use crate::ByteStream;

    /// A loopback HTTP/1.1 server answering `ok` to every request; counts the connections it
    /// accepted, and closes each after `per_connection` responses.
    async fn server(per_connection: usize) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    for _ in 0..per_connection {
                        // Read one request: headers, then Content-Length bytes of body.
                        let body_start = loop {
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i + 4;
                            }
                            let mut chunk = [0u8; 1024];
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..body_start]).to_lowercase();
                        assert!(head.starts_with("post / http/1.1\r\n"), "{head}");
                        assert!(head.contains("\r\nhost: 127.0.0.1:"), "{head}");
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length: "))
                            .map_or(0, |v| v.trim().parse().unwrap());
                        while buf.len() < body_start + length {
                            let mut chunk = [0u8; 1024];
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buf.drain(..body_start + length);
                        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                    // Closed without notice, as a server's idle timeout does.
                });
            }
        });
        (url, accepted)
    }

    fn tls_config() -> rustls::ClientConfig {
        rustls::ClientConfig::builder_with_provider(crate::client::transport::tls_provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    }

    async fn call(t: &PooledTransport, url: &str) -> Result<String, String> {
        let mut req = http::Request::new(ByteStream::from("{}"));
        *req.method_mut() = http::Method::POST;
        *req.uri_mut() = url.parse().unwrap();
        req.headers_mut()
            .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(2));
        let body = t.send(req).await.map_err(|e| e.to_string())?.into_body();
        let body = body.collect().await.map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Each box a call allocates stays under glibc's 1 KiB line (see `PooledTransport::send`).
    #[test]
    fn send_future_sizes() {
        let t = PooledTransport::new(tls_config(), None, HashMap::new());
        let req = || {
            let mut req = http::Request::new(ByteStream::new());
            *req.uri_mut() = "http://127.0.0.1:9/".parse().unwrap();
            req
        };
        let send = t.send(req());
        assert!(
            std::mem::size_of_val(&*send) < 1000,
            "{}",
            std::mem::size_of_val(&*send)
        );
        let origin = super::Origin::of(&"http://127.0.0.1:9/".parse().unwrap()).unwrap();
        let exchange = t.inner.exchange(&origin, req());
        assert!(
            std::mem::size_of_val(&exchange) < 1000,
            "{}",
            std::mem::size_of_val(&exchange)
        );
    }

    #[tokio::test]
    async fn sequential_calls_share_one_connection() {
        let (url, accepted) = server(usize::MAX).await;
        let t = PooledTransport::new(tls_config(), Some(Duration::from_secs(5)), HashMap::new());
        for _ in 0..5 {
            assert_eq!(call(&t, &url).await.as_deref(), Ok("ok"));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_is_replaced() {
        let (url, accepted) = server(1).await;
        let t = PooledTransport::new(tls_config(), Some(Duration::from_secs(5)), HashMap::new());
        for _ in 0..3 {
            assert_eq!(call(&t, &url).await.as_deref(), Ok("ok"));
            // Let the pooled connection see the close.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn refused_connections_name_the_target() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = PooledTransport::new(tls_config(), Some(Duration::from_secs(5)), HashMap::new());
        let e = call(&t, &format!("http://127.0.0.1:{port}/"))
            .await
            .unwrap_err();
        assert!(
            e.starts_with(&format!("cannot connect to 127.0.0.1:{port}: ")),
            "{e}"
        );
    }

    #[test]
    fn origins_default_ports_and_unbracket_ipv6() {
        let o = super::Origin::of(&"https://[::1]/x".parse().unwrap()).unwrap();
        assert_eq!((o.tls, o.host.as_str(), o.port), (true, "::1", 443));
        let o = super::Origin::of(&"http://example.com/".parse().unwrap()).unwrap();
        assert_eq!((o.tls, o.host.as_str(), o.port), (false, "example.com", 80));
        assert!(super::Origin::of(&"ftp://example.com/".parse().unwrap()).is_err());
        assert!(super::Origin::of(&"/relative".parse().unwrap()).is_err());
    }
}
