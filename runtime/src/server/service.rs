//! The service of a generated server crate (awsJson, or restJson1 with [`serve_rest`]): request
//! checks, routing, decoding, validation, the handler call and the response, for any generated
//! [`Router`].

use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Method, StatusCode};
use http_body_util::{BodyExt, Limited};

use super::check;
use super::schema::{validate, Rejection, Schema};
use super::verify::{check_well_formed, SigV4Verifier};
use super::RequestContext;
use crate::error::Fault;
use crate::operation::{Auth, Operation, OperationError};
use crate::wire::read_str;
use crate::ByteStream;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A response of the service. Its body is in memory, or (for an operation whose output is a
/// streaming payload) the handler's stream, sent as it is read.
pub type Response = http::Response<ByteStream>;

/// An operation as the router knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub index: usize,
    pub auth: Auth,
}

/// What a generated server crate provides: its wire constants, the operations by name, and how
/// to serve each.
pub trait Router: Send + Sync + 'static {
    /// `application/x-amz-json-1.0` or `-1.1`.
    const CONTENT_TYPE: &'static str;
    /// The `X-Amz-Target` prefix.
    const TARGET_PREFIX: &'static str;
    /// The SigV4 signing name.
    const SIGNING_NAME: &'static str;

    /// A Smithy RPC v2 CBOR service whose model lists `json` too: the awsJson content type it
    /// also answers (requests with `X-Amz-Target`), as AWS answers both.
    const JSON_CONTENT_TYPE: Option<&'static str> = None;

    fn route(&self, operation: &str) -> Option<Route>;

    /// A REST service's routes (its operations' URI templates, in index order), which requests
    /// are routed on instead of `X-Amz-Target`; `None` for awsJson.
    fn rest_routes(&self) -> Option<&super::route::RestRoutes> {
        None
    }

    /// A REST operation's auth, by index.
    fn rest_auth(&self, index: usize) -> Auth {
        let _ = index;
        Auth::SigV4
    }

    /// Serves operation `index` (from [`route`](Self::route)) with the request body.
    fn serve(self: Arc<Self>, index: usize, body: Bytes, cx: RequestContext)
        -> BoxFuture<Response>;

    /// Whether operation `index` takes its request body as it arrives (its input's payload is a
    /// streaming blob): the service then hands the body to [`serve_body`](Self::serve_body)
    /// unread, without the body limit, instead of reading it first.
    fn streams_input(&self, index: usize) -> bool {
        let _ = index;
        false
    }

    /// Serves operation `index` with its request body as a [`ByteStream`]: in memory, or as it
    /// arrives for an operation that [`streams_input`](Self::streams_input).
    fn serve_body(
        self: Arc<Self>,
        index: usize,
        body: ByteStream,
        cx: RequestContext,
    ) -> BoxFuture<Response> {
        match body.bytes().cloned() {
            Some(bytes) => self.serve(index, bytes, cx),
            None => Box::pin(async move {
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalFailure",
                    "this operation does not take a streamed body",
                    &cx.request_id,
                    Self::CONTENT_TYPE,
                )
            }),
        }
    }
}

/// Limits on requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body read before its operation is served, in bytes; larger bodies are
    /// refused (413) while reading, without being buffered. Default 1 MiB. A streaming
    /// payload larger than this, or of unknown length, is not read first: it goes to the
    /// handler as it arrives, within `max_streamed_bytes`.
    pub max_body_bytes: usize,
    /// Largest streaming payload handed to a handler, in bytes: a longer one is refused (413)
    /// when its `Content-Length` says so, and otherwise ends in an error once it passes the
    /// limit. Default none: the handler bounds what it reads.
    pub max_streamed_bytes: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            max_streamed_bytes: None,
        }
    }
}

/// What the service asks of requests to signed operations (those the model does not mark
/// unsigned).
#[derive(Clone)]
enum Signatures {
    /// A well-formed SigV4 signature, any key (the default).
    WellFormed,
    /// A signature that verifies with a known key.
    Verified(Arc<SigV4Verifier>),
    /// Nothing: unsigned requests are served.
    Optional,
}

/// The same service for a restJson1 model: routed on method and URI template.
pub type RestJsonService<R> = AwsJsonService<R>;

/// The same service for a Smithy RPC v2 CBOR model: routed on the path
/// (`/service/<Service>/operation/<Operation>`), CBOR bodies.
pub type RpcV2CborService<R> = AwsJsonService<R>;

/// Whether a router's content type is CBOR's: the service then speaks Smithy RPC v2 CBOR.
fn is_cbor(content_type: &str) -> bool {
    content_type == crate::protocol::rpc_v2_cbor::CBOR
}

/// A `tower::Service` serving one awsJson or restJson1 service (usable with hyper 1 and axum).
///
/// **Signatures.** By default a request to a signed operation (every operation the model does
/// not mark unsigned, such as Cognito Identity's GetId) must carry a well-formed SigV4
/// signature (an `Authorization: AWS4-HMAC-SHA256 Credential=.., SignedHeaders=..,
/// Signature=..` header and `X-Amz-Date`), as AWS requires: without one it is refused with
/// HTTP 400 `MissingAuthenticationTokenException`, and a malformed one with
/// `IncompleteSignatureException`. Since the service knows no secret keys, any access key is
/// accepted and the signature itself is not checked: [`with_sigv4`](Self::with_sigv4) checks it
/// against known keys, and [`allow_unsigned`](Self::allow_unsigned) turns the requirement off.
/// Unsigned operations are served either way.
pub struct AwsJsonService<R> {
    router: Arc<R>,
    limits: Limits,
    signatures: Signatures,
}

impl<R> Clone for AwsJsonService<R> {
    fn clone(&self) -> Self {
        AwsJsonService {
            router: self.router.clone(),
            limits: self.limits,
            signatures: self.signatures.clone(),
        }
    }
}

impl<R: Router> AwsJsonService<R> {
    /// The service for `router`, with the default [`Limits`] and a well-formed SigV4 signature
    /// required on signed operations (see the type's documentation).
    pub fn new(router: R) -> Self {
        AwsJsonService {
            router: Arc::new(router),
            limits: Limits::default(),
            signatures: Signatures::WellFormed,
        }
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Verifies the SigV4 signatures of signed operations with `verifier`'s keys, instead of
    /// only requiring them to be well-formed. Unsigned operations go through as they are.
    /// Replaces an earlier [`allow_unsigned`](Self::allow_unsigned).
    pub fn with_sigv4(mut self, verifier: SigV4Verifier) -> Self {
        self.signatures = Signatures::Verified(Arc::new(verifier));
        self
    }

    /// Serves signed operations without a signature too (not as AWS does: for local tools and
    /// tests that send raw requests). A signature that is there still names the caller in
    /// [`RequestContext::access_key_id`]. Replaces an earlier [`with_sigv4`](Self::with_sigv4).
    pub fn allow_unsigned(mut self) -> Self {
        self.signatures = Signatures::Optional;
        self
    }

    /// Handles one request.
    pub async fn handle<B>(&self, req: http::Request<B>) -> Response
    where
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let request_id = new_request_id();
        // The protocol of this request: the router's, or awsJson beside CBOR when the router
        // answers both and the request names its operation in `X-Amz-Target`.
        let content_type = match R::JSON_CONTENT_TYPE {
            Some(json) if req.headers().contains_key("x-amz-target") => json,
            _ => R::CONTENT_TYPE,
        };
        let reject = |status: StatusCode, code: &str, message: &str| {
            error_response(status, code, message, &request_id, content_type)
        };
        let mut labels = Vec::new();
        let route = match self.router.rest_routes() {
            Some(routes) => match routes.find(req.method(), req.uri()) {
                Ok(m) => {
                    labels = m.labels;
                    Route {
                        index: m.operation,
                        auth: self.router.rest_auth(m.operation),
                    }
                }
                // Smithy's restJson1 server answers an unknown path 404 and a known path with
                // another method 405, both as UnknownOperationException (docs §5.1).
                Err(e) => {
                    let status = match e {
                        super::route::RouteError::NotFound => StatusCode::NOT_FOUND,
                        super::route::RouteError::MethodNotAllowed => {
                            StatusCode::METHOD_NOT_ALLOWED
                        }
                    };
                    let message = format!("{e}: {} {}", req.method(), req.uri().path());
                    return reject(status, "UnknownOperationException", &message);
                }
            },
            None => {
                let route = if is_cbor(content_type) {
                    self.rpc_v2_route(&req)
                } else {
                    self.aws_json_route(&req, content_type)
                };
                match route {
                    Ok(route) => route,
                    Err((status, code, message)) => return reject(status, code, &message),
                }
            }
        };
        self.serve_routed(req, route, labels, request_id, content_type)
            .await
    }

    /// An awsJson request's operation: `POST /` with the service's content type, named in
    /// `X-Amz-Target`.
    fn aws_json_route<B>(
        &self,
        req: &http::Request<B>,
        content_type: &'static str,
    ) -> Result<Route, (StatusCode, &'static str, String)> {
        let reject = |status, code, message: &str| Err((status, code, message.to_owned()));
        if req.uri().path() != "/" {
            return reject(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                &format!(
                    "no operation at {}: awsJson requests go to POST /",
                    req.uri().path()
                ),
            );
        }
        if req.method() != Method::POST {
            return reject(
                StatusCode::METHOD_NOT_ALLOWED,
                "UnknownOperationException",
                &format!(
                    "method {} is not allowed: awsJson requests are POST /",
                    req.method()
                ),
            );
        }
        if let Err(message) = expect_content_type(req.headers(), content_type, true) {
            return reject(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeException",
                &message,
            );
        }
        let target = req
            .headers()
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let operation = target
            .strip_prefix(R::TARGET_PREFIX)
            .and_then(|t| t.strip_prefix('.'));
        let Some(route) = operation.and_then(|n| self.router.route(n)) else {
            let message = if target.is_empty() {
                "missing X-Amz-Target header".to_owned()
            } else {
                format!("unknown operation {target}")
            };
            return reject(
                StatusCode::BAD_REQUEST,
                "UnknownOperationException",
                &message,
            );
        };
        Ok(route)
    }

    /// A Smithy RPC v2 CBOR request's operation: `POST [prefix]/service/<Service>/operation/<Operation>`
    /// with `smithy-protocol: rpc-v2-cbor` and no `X-Amz-Target`, and a CBOR body when it has
    /// one. What is refused, and how, follows the Smithy server's (smithy-rs): a request that is
    /// not this protocol's is 404 `UnknownOperationException`, another method 405, a body that
    /// is not CBOR 400 `SerializationException` (docs/rest-json-and-cbor.md §5.2).
    fn rpc_v2_route<B: http_body::Body>(
        &self,
        req: &http::Request<B>,
    ) -> Result<Route, (StatusCode, &'static str, String)> {
        let reject = |status, code, message: String| Err((status, code, message));
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        };
        let unknown = |why: String| reject(StatusCode::NOT_FOUND, "UnknownOperationException", why);
        if req.method() != Method::POST {
            return reject(
                StatusCode::METHOD_NOT_ALLOWED,
                "UnknownOperationException",
                format!("method {} is not allowed: requests are POST", req.method()),
            );
        }
        if header("smithy-protocol") != "rpc-v2-cbor" {
            return unknown("the smithy-protocol header must be rpc-v2-cbor".to_owned());
        }
        if req.headers().contains_key("x-amz-target") || req.headers().contains_key("x-amzn-target")
        {
            return unknown("an RPC v2 CBOR request has no X-Amz-Target header".to_owned());
        }
        let path = req.uri().path();
        let operation = path
            .rfind("/service/")
            .map(|i| &path[i + "/service/".len()..])
            .and_then(|p| p.strip_prefix(R::TARGET_PREFIX))
            .and_then(|p| p.strip_prefix("/operation/"));
        let Some(route) = operation.and_then(|n| self.router.route(n)) else {
            return unknown(format!(
                "no operation at {path}: requests go to POST /service/{}/operation/<Operation>",
                R::TARGET_PREFIX
            ));
        };
        // hyper knows an empty body by its length or by its absence (neither a length nor
        // chunks): no Content-Type is needed then.
        let has_body = req.body().size_hint().exact() != Some(0);
        if let Err(message) = expect_content_type(req.headers(), R::CONTENT_TYPE, has_body) {
            return reject(StatusCode::BAD_REQUEST, "SerializationException", message);
        }
        Ok(route)
    }

    /// The checks every routed request passes (size, signature), then its operation.
    async fn serve_routed<B>(
        &self,
        req: http::Request<B>,
        route: Route,
        labels: Vec<(String, String)>,
        request_id: String,
        content_type: &'static str,
    ) -> Response
    where
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let reject = |status: StatusCode, code: &str, message: &str| {
            error_response(status, code, message, &request_id, content_type)
        };
        let streams = self.router.streams_input(route.index);
        let limit = self.limits.max_body_bytes;
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let too_large = |n: u64, max: u64| {
            reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLargeException",
                &format!("request body of {n} bytes exceeds the limit of {max} bytes"),
            )
        };
        let max_streamed = self.limits.max_streamed_bytes;
        match declared {
            Some(n) if !streams && n > limit as u64 => return too_large(n, limit as u64),
            Some(n) if streams && max_streamed.is_some_and(|m| n > m) => {
                return too_large(n, max_streamed.unwrap_or(0));
            }
            _ => {}
        }
        let mut cx = RequestContext::new(request_id.clone());
        // Signatures are checked before the body is read: a request that cannot be
        // authenticated gets no buffering. AWS's awsJson services answer with 400 (see
        // `VerifyFailure`).
        if route.auth == Auth::SigV4 {
            match &self.signatures {
                Signatures::WellFormed | Signatures::Verified(_) => {
                    match check_well_formed(req.headers(), R::SIGNING_NAME) {
                        Ok(auth) => cx.access_key_id = Some(auth.access_key_id),
                        Err(f) => return reject(StatusCode::BAD_REQUEST, f.code, &f.message),
                    }
                }
                Signatures::Optional => {
                    cx.access_key_id = req
                        .headers()
                        .get(http::header::AUTHORIZATION)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| crate::sigv4::parse_authorization(v).ok())
                        .map(|a| a.access_key_id);
                }
            }
        }
        let (parts, body) = req.into_parts();
        let finish = |mut cx: RequestContext, parts: http::request::Parts| {
            cx.headers = parts.headers;
            cx.uri = parts.uri;
            cx.labels = labels;
            cx.content_type = content_type;
            cx
        };
        // A streaming payload goes to the handler as it arrives when it is larger than the body
        // limit or of unknown length, once the signature is checked: possible when the request
        // signs `x-amz-content-sha256` (`UNSIGNED-PAYLOAD`, or the body's hash, which is then
        // checked as the body flows: `Sha256Checked`). Otherwise the signature covers a hash of
        // the whole body, which is read first, within the limit, like any other; so is a body
        // whose length fits the limit, which is then checked whole before the handler sees it.
        if streams && declared.is_none_or(|n| n > limit as u64) {
            let check = match (route.auth, &self.signatures) {
                (Auth::SigV4, Signatures::Verified(verifier)) => {
                    match verifier.verify_streamed(&parts, R::SIGNING_NAME) {
                        Ok(Some(streamed)) => {
                            cx.access_key_id = Some(streamed.access_key_id);
                            Some(streamed.sha256)
                        }
                        Ok(None) => None,
                        Err(f) => return reject(StatusCode::BAD_REQUEST, f.code, &f.message),
                    }
                }
                _ => Some(None),
            };
            match check {
                Some(hash) => {
                    let body = body
                        .map_frame(|f| f.map_data(|mut d| d.copy_to_bytes(d.remaining())))
                        .map_err(Into::<BoxError>::into);
                    let body = Limited::new(
                        body,
                        max_streamed
                            .map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX)),
                    );
                    let stream = match hash {
                        Some(hash) => ByteStream::from_body(super::verify::Sha256Checked::new(
                            Box::pin(body),
                            hash,
                        )),
                        None => ByteStream::from_body(body),
                    };
                    let cx = finish(cx, parts);
                    return self
                        .router
                        .clone()
                        .serve_body(route.index, stream, cx)
                        .await;
                }
                // To be read whole first: known to be too large for that already.
                None => {
                    if let Some(n) = declared.filter(|n| *n > limit as u64) {
                        return too_large(n, limit as u64);
                    }
                }
            }
        }
        let body = match Limited::new(body, limit).collect().await {
            Ok(c) => c.to_bytes(),
            Err(e) => {
                let too_large = e
                    .downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some();
                return if too_large {
                    reject(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "RequestEntityTooLargeException",
                        &format!("request body exceeds the limit of {limit} bytes"),
                    )
                } else {
                    reject(
                        StatusCode::BAD_REQUEST,
                        "SerializationException",
                        "the request body could not be read",
                    )
                };
            }
        };
        if let (Auth::SigV4, Signatures::Verified(verifier)) = (route.auth, &self.signatures) {
            match verifier.verify(&parts, &body, R::SIGNING_NAME) {
                Ok(access_key_id) => cx.access_key_id = Some(access_key_id),
                Err(f) => return reject(StatusCode::BAD_REQUEST, f.code, &f.message),
            }
        }
        let cx = finish(cx, parts);
        if streams {
            return self
                .router
                .clone()
                .serve_body(route.index, ByteStream::from(body), cx)
                .await;
        }
        self.router.clone().serve(route.index, body, cx).await
    }
}

impl<R, B> tower_service::Service<http::Request<B>> for AwsJsonService<R>
where
    R: Router,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(this.handle(req).await) })
    }
}

/// Decodes, validates and serves one operation: what a generated router calls per operation.
pub async fn serve<O, F, Fut>(
    schema: &'static Schema,
    input_shape: Option<u32>,
    body: Bytes,
    cx: RequestContext,
    handler: F,
) -> Response
where
    O: Operation,
    F: FnOnce(O::Input, RequestContext) -> Fut,
    Fut: Future<Output = Result<O::Output, O::Error>> + Send,
{
    // The request's protocol (the service's, unless it also answers awsJson and this request
    // came in that way).
    let ct = match cx.content_type {
        "" => <O::Service as crate::operation::Service>::CONTENT_TYPE,
        ct => ct,
    };
    let request_id = cx.request_id.clone();
    let reject = |code: &str, message: &str| {
        error_response(StatusCode::BAD_REQUEST, code, message, &request_id, ct)
    };
    let cbor = is_cbor(ct);
    let format = if cbor {
        crate::wire::Format::Cbor
    } else {
        crate::wire::Format::Json
    };
    // A CBOR body is checked and read as the JSON text it stands for (`cbor::to_json`): one
    // validator, with one wording, for every protocol.
    let transcoded;
    let text = if cbor {
        transcoded = match crate::cbor::to_json(&body) {
            Ok(t) => t,
            Err(e) => {
                return reject(
                    "SerializationException",
                    &format!("the request body is not valid CBOR: {e}"),
                )
            }
        };
        &transcoded[..]
    } else if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    // Fast path: a body the quick check accepts is read straight from its text. Anything else
    // (invalid JSON or UTF-8, a wrong type, a violation, a repeated member) takes the full path,
    // which decides again and words the rejection.
    let fast = std::str::from_utf8(text)
        .ok()
        .filter(|text| input_shape.is_none_or(|shape| check::certainly_valid(schema, shape, text)))
        .and_then(|text| read_str::<O::Input>(text).ok());
    let input = match fast {
        Some(input) => input,
        None => match decode_and_validate::<O>(schema, input_shape, text) {
            Ok(input) => input,
            Err((code, message)) => return reject(code, &message),
        },
    };
    // The JSON a CBOR body stands for has lost its kinds (a byte string and a text string are
    // both JSON strings there; tags are gone): the typed input is read from the CBOR itself,
    // which refuses a value of the wrong kind, once its constraints have passed.
    let input = if cbor {
        match crate::cbor::from_slice::<O::Input>(&body) {
            Ok(input) => input,
            Err(e) => {
                return reject(
                    "SerializationException",
                    &format!("the request body does not read as the operation's input: {e}"),
                )
            }
        }
    } else {
        input
    };
    let result = CatchUnwind(Box::pin(handler(input, cx))).await;
    match result {
        // An operation without output answers no body in RPC v2 CBOR (Smithy's spec), `{}` in
        // awsJson.
        Ok(Ok(_))
            if cbor && std::any::TypeId::of::<O::Output>() == std::any::TypeId::of::<()>() =>
        {
            let mut resp = json_response(StatusCode::OK, Vec::new(), &request_id, ct, None);
            resp.headers_mut().remove(CONTENT_TYPE);
            resp
        }
        Ok(Ok(output)) => match if cbor {
            crate::cbor::to_vec(&output)
        } else {
            crate::wire::to_vec(&output)
        } {
            Ok(bytes) => json_response(StatusCode::OK, bytes, &request_id, ct, None),
            Err(e) => error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
                &format!("the output could not be encoded: {e}"),
                &request_id,
                ct,
            ),
        },
        Ok(Err(error)) => {
            use crate::error::{ErrorEnum, ServiceError};
            // `X-Amzn-ErrorType` and `__type` carry the awsJson type; a query-compatible service
            // also names its awsQuery code and whose fault it is, as AWS's SQS does.
            let (code, query, modelled) = match error.shape() {
                Ok(e) => (e.wire_code().to_owned(), e.query_code(), e.http_status()),
                Err(m) => (m.code().unwrap_or("InternalFailure").to_owned(), None, None),
            };
            // RPC v2 CBOR answers the error's own status where the model gives one (Smithy's
            // spec); awsJson 400 or 500 by fault.
            let status = modelled
                .filter(|_| cbor)
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or_else(|| fault_status(error.fault()));
            let mut resp =
                json_response(status, error.to_body(format), &request_id, ct, Some(&code));
            if <O::Service as crate::operation::Service>::QUERY_COMPATIBLE {
                if let Some(q) = query {
                    let who = match error.fault() {
                        Fault::Client => "Sender",
                        Fault::Server => "Receiver",
                    };
                    if let Ok(v) = HeaderValue::from_str(&format!("{q};{who}")) {
                        resp.headers_mut().insert("x-amzn-query-error", v);
                    }
                }
            }
            resp
        }
        Err(_) => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            PANICKED,
            &request_id,
            ct,
        ),
    }
}

/// What a restJson1 operation binds where, and its success status: the data a generated router
/// hands [`serve_rest`] per operation.
#[derive(Debug)]
pub struct RestOperation {
    /// The query keys of the URI template (`?mode=import`), which no query map member takes.
    pub literals: &'static [&'static str],
    /// The input's members bound outside the JSON body (labels, query, headers, payload).
    pub input: &'static [super::rest::Binding],
    /// The output's members bound outside the JSON body (status code, headers, payload).
    pub output: &'static [super::rest::Binding],
    /// Whether the response has a JSON body of the output's unbound members (`{}` when there are
    /// none); else it has no body, or only its payload.
    pub output_body: bool,
    /// Whether a request's body is JSON (unbound members, or a structure payload): a
    /// `Content-Type` other than `application/json` is refused (415).
    pub input_json: bool,
    /// Whether a successful response's body is JSON: an `Accept` that allows no JSON is refused
    /// (406).
    pub output_json: bool,
    /// The status of a successful response (`http.responseCode`).
    pub code: u16,
    /// The service's errors that bind members outside their JSON body (headers, such as
    /// `Retry-After`), by wire code: those members go to their places, the rest to the body.
    pub errors: &'static [(&'static str, &'static [super::rest::Binding])],
}

/// Decodes, validates and serves one restJson1 operation: the input's JSON value from the
/// request's labels, query string, headers and body ([`super::rest::read_request`]), checked
/// against the model's constraints as an awsJson body is, then the handler; its output goes
/// back to the status, headers and body ([`super::rest::write_response`]). A modelled error
/// answers its `httpStatusCode` (else 400 or 500 by fault) with `X-Amzn-ErrorType`, its members
/// bound to headers in them and the rest as JSON. A streaming payload that the service did not
/// read is not read here: the request's body becomes the input's payload as it arrives
/// ([`Operation::put_payload`]). The output's streaming payload becomes the response's body
/// ([`Operation::take_output_payload`]), read by hyper as it sends it: an error or a panic of
/// that stream ends the connection, as the response's head has gone already. A payload that
/// requires a length (`requiresLength`) without `Content-Length` is refused with 411
/// `MissingContentLength`, as S3 refuses it.
pub async fn serve_rest<O, F, Fut>(
    schema: &'static Schema,
    input_shape: Option<u32>,
    op: &'static RestOperation,
    body: ByteStream,
    cx: RequestContext,
    handler: F,
) -> Response
where
    O: Operation,
    F: FnOnce(O::Input, RequestContext) -> Fut,
    Fut: Future<Output = Result<O::Output, O::Error>> + Send,
{
    let ct = <O::Service as crate::operation::Service>::CONTENT_TYPE;
    let request_id = cx.request_id.clone();
    let reject = |code: &str, message: &str| {
        error_response(StatusCode::BAD_REQUEST, code, message, &request_id, ct)
    };
    // S3's answer to a body without a length where the payload requires one.
    if O::PAYLOAD_REQUIRES_LENGTH && !cx.headers.contains_key(CONTENT_LENGTH) {
        return error_response(
            StatusCode::LENGTH_REQUIRED,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
            &request_id,
            ct,
        );
    }
    // A body the service read is in memory (a streaming payload too, when it fit the limit:
    // read from it as any payload); a streaming payload that was not read stays a stream.
    let (body, stream) = match body.bytes() {
        Some(bytes) => (bytes.clone(), None),
        None if O::STREAMING_INPUT => (Bytes::new(), Some(body)),
        None => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
                "this operation does not take a streamed body",
                &request_id,
                ct,
            )
        }
    };
    let has_body = stream
        .as_ref()
        .map_or(!body.is_empty(), |s| s.content_length() != Some(0));
    if let Err((status, code, message)) = check_media_types(op, &cx.headers, has_body) {
        return error_response(status, code, &message, &request_id, ct);
    }
    let query = super::route::parse_query(cx.uri.query().unwrap_or(""));
    // The template's own query literals are the route's, not the input's.
    let query: Vec<(String, String)> = query
        .into_iter()
        .filter(|(k, _)| !op.literals.contains(&k.as_str()))
        .collect();
    let mut value =
        match super::rest::read_request(op.input, &cx.labels, &query, &cx.headers, &body) {
            Ok(v) => v,
            Err(r) => return reject("SerializationException", &r.message()),
        };
    if stream.is_some() {
        // The payload is there, unread: it is not the JSON value's to check (a streaming blob
        // has no constraint a body must meet before it is read).
        super::rest::stand_in_payload(op.input, &mut value);
    }
    let mut input = match validate_and_read::<O>(schema, input_shape, &value) {
        Ok(input) => input,
        Err((code, message)) => return reject(code, &message),
    };
    if let Some(stream) = stream {
        O::put_payload(&mut input, stream);
    }
    let internal = |message: &str| {
        error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            message,
            &request_id,
            ct,
        )
    };
    match CatchUnwind(Box::pin(handler(input, cx))).await {
        Ok(Ok(mut output)) => {
            let stream = O::take_output_payload(&mut output);
            let value = crate::wire::to_vec(&output)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
                .and_then(|v| super::rest::write_response(op.output, v, op.code, op.output_body));
            match value {
                // hyper sends a stream's length as `Content-Length` when it is known, and the
                // stream chunked otherwise.
                Ok(resp) => rest_response(resp, stream, &request_id, None),
                Err(e) => internal(&format!("the output could not be encoded: {e}")),
            }
        }
        Ok(Err(error)) => {
            use crate::error::{ErrorEnum, ServiceError};
            let (code, status) = match error.shape() {
                Ok(e) => (e.wire_code().to_owned(), e.http_status()),
                Err(m) => (m.code().unwrap_or("InternalFailure").to_owned(), None),
            };
            let status = status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or_else(|| fault_status(error.fault()));
            let body = error.to_body(crate::wire::Format::Json);
            match op.errors.iter().find(|(c, _)| *c == code) {
                None => json_response(status, body, &request_id, ct, Some(&code)),
                Some((_, bindings)) => serde_json::from_slice(&body)
                    .map_err(|e| e.to_string())
                    .and_then(|v| super::rest::write_response(bindings, v, status.as_u16(), true))
                    .map(|resp| rest_response(resp, None, &request_id, Some(&code)))
                    .unwrap_or_else(|e| internal(&format!("the error could not be encoded: {e}"))),
            }
        }
        Err(_) => internal(PANICKED),
    }
}

/// A restJson1 response from [`super::rest::write_response`]'s status, headers and body: the
/// request id, an error's type, and the body in memory or the output's stream.
fn rest_response(
    resp: http::Response<Bytes>,
    stream: Option<ByteStream>,
    request_id: &str,
    error_type: Option<&str>,
) -> Response {
    let (mut parts, body) = resp.into_parts();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        parts.headers.insert(REQUEST_ID, v);
    }
    if let Some(code) = error_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        parts.headers.insert(ERROR_TYPE, code);
    }
    http::Response::from_parts(parts, stream.unwrap_or_else(|| ByteStream::from(body)))
}

/// Checks that a request says `Content-Type: expected` (parameters aside, any case); a request
/// that sends none passes unless `required`. The error is the message to answer with.
fn expect_content_type(
    headers: &http::HeaderMap,
    expected: &str,
    required: bool,
) -> Result<(), String> {
    let sent = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = sent.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case(expected) || (media.is_empty() && !required) {
        return Ok(());
    }
    let found = if sent.is_empty() {
        "none".to_owned()
    } else {
        format!("{sent:?}")
    };
    Err(format!("Content-Type must be {expected}, found {found}"))
}

/// The media type checks of Smithy's restJson1 servers (docs/rest-json-and-cbor.md §5.1), kept
/// to what no AWS SDK trips: a JSON body sent with another `Content-Type` is 415
/// `UnsupportedMediaTypeException` (a missing one is accepted, and blob or text payloads take
/// any), an `Accept` that allows no JSON for a JSON response is 406 `NotAcceptableException`
/// (none, `*/*` and `application/*` allow it).
fn check_media_types(
    op: &RestOperation,
    headers: &http::HeaderMap,
    has_body: bool,
) -> Result<(), (StatusCode, &'static str, String)> {
    let media = |v: &str| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    if op.input_json && has_body {
        expect_content_type(headers, "application/json", false).map_err(|message| {
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeException",
                message,
            )
        })?;
    }
    if op.output_json {
        let accepts: Vec<&str> = headers
            .get_all(http::header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let allows = |range: &str| {
            matches!(
                media(range).as_str(),
                "*/*" | "application/*" | "application/json"
            )
        };
        let listed = accepts
            .iter()
            .flat_map(|a| a.split(','))
            .filter(|r| !r.trim().is_empty());
        if !accepts.is_empty() && !listed.clone().any(allows) && listed.count() > 0 {
            return Err((
                StatusCode::NOT_ACCEPTABLE,
                "NotAcceptableException",
                format!(
                    "the response is application/json, which Accept: {} does not allow",
                    accepts.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The full path: the body as a JSON value, every constraint checked with AWS's wording, then the
/// typed decode. Errors are `(code, message)`.
fn decode_and_validate<O: Operation>(
    schema: &Schema,
    input_shape: Option<u32>,
    text: &[u8],
) -> Result<O::Input, (&'static str, String)> {
    let value: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
        (
            "SerializationException",
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    validate_and_read::<O>(schema, input_shape, &value)
}

/// The input's JSON value checked against every constraint of the model, then read as the
/// typed input: what awsJson's full path and restJson1 share. Errors are `(code, message)`.
fn validate_and_read<O: Operation>(
    schema: &Schema,
    input_shape: Option<u32>,
    value: &serde_json::Value,
) -> Result<O::Input, (&'static str, String)> {
    if let Some(shape) = input_shape {
        match validate(schema, shape, value) {
            Ok(()) => {}
            Err(r @ Rejection::Serialization(_)) => {
                return Err(("SerializationException", r.message()))
            }
            Err(r @ Rejection::Validation(_)) => return Err(("ValidationException", r.message())),
        }
    }
    // The input is read from the value that was validated, not from the body: with a repeated
    // member name the two differ (the value keeps the last, which may be a `null` that the
    // reader, reading the body, would skip and so keep an earlier, unchecked value).
    read_str::<O::Input>(&value.to_string()).map_err(|e| ("SerializationException", e.to_string()))
}

/// The status of a modelled error without a status of its own: 400 for the caller's fault, 500
/// for the service's.
fn fault_status(fault: Fault) -> StatusCode {
    match fault {
        Fault::Client => StatusCode::BAD_REQUEST,
        Fault::Server => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a handler that panicked answers, as AWS words an internal failure.
const PANICKED: &str =
    "The request processing has failed because of an unknown error, exception or failure.";

/// Polls a future, turning a panic into an error.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let fut = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| fut.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

// Named once: inserting by `&str` parses the name on every response.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");
const SMITHY_PROTOCOL: HeaderName = HeaderName::from_static("smithy-protocol");

fn json_response(
    status: StatusCode,
    body: Vec<u8>,
    request_id: &str,
    content_type: &'static str,
    error_type: Option<&str>,
) -> Response {
    let mut resp = http::Response::new(ByteStream::from(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if is_cbor(content_type) {
        h.insert(SMITHY_PROTOCOL, HeaderValue::from_static("rpc-v2-cbor"));
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert(REQUEST_ID, v);
    }
    if let Some(code) = error_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert(ERROR_TYPE, code);
    }
    resp
}

/// An error response: `{"__type": code, "message": message}`, as JSON or (for a service whose
/// content type is CBOR's) as CBOR.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    request_id: &str,
    content_type: &'static str,
) -> Response {
    let body = serde_json::json!({ "__type": code, "message": message });
    let bytes = if is_cbor(content_type) {
        crate::cbor::to_vec(&body).unwrap_or_default()
    } else {
        serde_json::to_vec(&body).unwrap_or_default()
    };
    json_response(status, bytes, request_id, content_type, Some(code))
}

/// A request id shaped like AWS's (a UUID), unique per process.
fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ u64::from(std::process::id()) << 32
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut x = seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    // 8-4-4-4-12 hex digits, version 4 and variant bits set; written by hand, since `format!`
    // with hex padding cost more than the rest of a small request's routing.
    let fields: [(u64, usize); 5] = [
        (x >> 32, 8),
        ((x >> 16) & 0xffff, 4),
        (0x4000 | (x & 0xfff), 4),
        (0x8000 | (n & 0x3fff), 4),
        (n & 0xffff_ffff_ffff, 12),
    ];
    let mut id = String::with_capacity(36);
    for (i, (value, digits)) in fields.into_iter().enumerate() {
        if i > 0 {
            id.push('-');
        }
        for d in (0..digits).rev() {
            let nibble = ((value >> (4 * d)) & 0xf) as u8;
            id.push(char::from(b"0123456789abcdef"[nibble as usize]));
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::new_request_id;

    /// A query-compatible service's modelled error: `__type` is the shape, and
    /// `x-amzn-query-error` carries the awsQuery code and the fault.
    #[tokio::test]
    async fn query_compatible_errors_name_their_query_code() {
        use crate::error::{AnyErrorShape, ErrorEnum, ErrorShape, Fault};
        use crate::operation::{Auth, Operation, OperationError, Service};
        use crate::server::schema::Schema;

        #[derive(Debug)]
        struct Gone;
        impl std::fmt::Display for Gone {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::error::display_shape(self, f)
            }
        }
        impl std::error::Error for Gone {}
        impl crate::wire::Wire for Gone {
            fn write<E: crate::wire::Encode>(
                &self,
                w: &mut E,
            ) -> Result<(), crate::json::WriteError> {
                let start = w.begin_struct();
                w.end_struct(start);
                Ok(())
            }
            fn read<'de, D: crate::wire::Decode<'de>>(
                r: &mut D,
            ) -> Result<Self, crate::reader::ReadError> {
                r.skip().map(|()| Gone)
            }
        }
        impl ErrorShape for Gone {
            const CODE: &'static str = "QueueDoesNotExist";
            const FAULT: Fault = Fault::Client;
            const RETRYABLE: Option<bool> = None;
            const QUERY_CODE: Option<&'static str> =
                Some("AWS.SimpleQueueService.NonExistentQueue");
            fn message(&self) -> Option<&str> {
                None
            }
        }
        #[derive(Debug)]
        struct Errors(Gone);
        impl std::fmt::Display for Errors {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::error::display_error(self, f)
            }
        }
        impl std::error::Error for Errors {}
        impl ErrorEnum for Errors {
            fn shape(&self) -> Result<&dyn AnyErrorShape, &crate::ErrorMetadata> {
                Ok(&self.0)
            }
        }
        impl OperationError for Errors {
            fn from_wire(
                _: &str,
                _: &crate::protocol::Response<'_>,
                _: crate::ErrorMetadata,
            ) -> Self {
                Errors(Gone)
            }
            fn unhandled(_: crate::ErrorMetadata) -> Self {
                Errors(Gone)
            }
            fn to_body(&self, format: crate::wire::Format) -> Vec<u8> {
                crate::operation::error_body(format, Gone::CODE, &self.0)
            }
        }
        struct Queues;
        impl Service for Queues {
            const PROTOCOL: crate::protocol::Protocol = crate::protocol::Protocol::AwsJson1_0;
            const SERVICE_ID: &'static str = "SQS";
            const TARGET_PREFIX: &'static str = "AmazonSQS";
            const CONTENT_TYPE: &'static str = "application/x-amz-json-1.0";
            const SIGNING_NAME: &'static str = "sqs";
            const ENDPOINT_PREFIX: &'static str = "sqs";
            const API_VERSION: &'static str = "2012-11-05";
            const QUERY_COMPATIBLE: bool = true;
        }
        struct GetQueueUrl;
        impl Operation for GetQueueUrl {
            type Service = Queues;
            const NAME: &'static str = "GetQueueUrl";
            const TARGET: &'static str = "AmazonSQS.GetQueueUrl";
            const AUTH: Auth = Auth::SigV4;
            type Input = ();
            type Output = ();
            type Error = Errors;
            fn encode(
                input: &(),
            ) -> Result<crate::protocol::Request, crate::protocol::EncodeError> {
                crate::protocol::aws_json::encode::<Self>(input)
            }
            fn decode(
                response: &crate::protocol::Response<'_>,
            ) -> Result<(), crate::reader::ReadError> {
                crate::protocol::aws_json::decode::<Self>(response)
            }
        }
        static SCHEMA: Schema = Schema::new(&[], &[], &[]);

        let resp = super::serve::<GetQueueUrl, _, _>(
            &SCHEMA,
            None,
            bytes::Bytes::from_static(b"{}"),
            crate::server::RequestContext::new("r-1"),
            |(), _| async { Err(Errors(Gone)) },
        )
        .await;
        assert_eq!(resp.status(), 400);
        let h = resp.headers();
        assert_eq!(
            h["x-amzn-query-error"],
            "AWS.SimpleQueueService.NonExistentQueue;Sender"
        );
        assert_eq!(h["x-amzn-errortype"], "QueueDoesNotExist");
        // What a client reports is the awsQuery code.
        assert_eq!(
            crate::error::ServiceError::code(&Errors(Gone)),
            "AWS.SimpleQueueService.NonExistentQueue"
        );
    }

    #[test]
    fn request_ids_are_distinct_version_4_uuids() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        for id in [&a, &b] {
            let groups: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{id}");
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
            assert!(groups[2].starts_with('4'), "{id}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{id}");
        }
    }
}
