//! Protocols: how an operation's input becomes an HTTP request and a response becomes its output,
//! one room per protocol. What generated code calls lives here, with no transport: the client
//! (`awsgen_rt::client`, with the `client` feature) adds the endpoint, signs and sends; the server routes and answers.
//!
//! - [`aws_json`]: awsJson 1.0 and 1.1, every call a `POST /` naming its operation in
//!   `X-Amz-Target`, the whole input and output as JSON bodies.
//! - [`json_body`]: what the JSON protocols share about bodies and error codes.
//! - [`rest`]: what REST protocols share: URI templates, query strings and headers bound to
//!   members, the formats of values there.
//! - [`rest_json`]: restJson1, REST bindings around JSON bodies.
//! - [`rpc_v2_cbor`]: Smithy RPC v2 CBOR, every call a `POST` to a path naming the service and
//!   operation, the whole input and output as CBOR bodies.

pub mod aws_json;
pub mod json_body;
pub mod rest;
pub mod rest_json;
pub mod rpc_v2_cbor;

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST,
    USER_AGENT,
};

/// The protocol a service speaks ([`crate::operation::Service::PROTOCOL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
    RestJson1,
    RpcV2Cbor,
}

impl Protocol {
    /// Whether operations bind members to the URI, query string and headers.
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1)
    }
}

/// An operation's request as its protocol frames it: everything but where it goes (the client
/// puts the endpoint's scheme, host and base path in front of `path`, and signs it).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: http::Method,
    /// Path and query, starting with `/`, percent-encoded.
    pub path: Cow<'static, str>,
    /// The protocol's headers. The map has room for the headers the client adds (see
    /// [`request_headers`]).
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Request {
    /// A request with no headers yet and an empty body.
    pub fn new(method: http::Method, path: impl Into<Cow<'static, str>>) -> Request {
        Request {
            method,
            path: path.into(),
            headers: request_headers(),
            body: Bytes::new(),
        }
    }
}

/// A response as generated code reads it.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Why an input cannot be sent: a value the protocol cannot carry (an empty path label, a header
/// value with a line break, a union member this version does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError(String);

impl EncodeError {
    pub fn new(message: impl fmt::Display) -> EncodeError {
        EncodeError(message.to_string())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl From<crate::json::WriteError> for EncodeError {
    fn from(e: crate::json::WriteError) -> EncodeError {
        EncodeError::new(e)
    }
}

pub(crate) const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
pub(crate) const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
/// The headers the signer sets, the optional one last.
pub const SIGNING_HEADERS: [HeaderName; 4] =
    [HOST, X_AMZ_DATE, AUTHORIZATION, X_AMZ_SECURITY_TOKEN];

/// An empty header map with room for every header an awsJson request carries (the protocol's,
/// the client's and the signer's), which REST requests with a few headers of their own fit too.
///
/// Why not `HeaderMap::with_capacity`: it rounds up to twelve entries of 104 bytes, a 1,248-byte
/// block, and glibc's malloc answers any request of 1 KiB or more by first merging every small
/// freed block into larger ones (`malloc_consolidate`). A caller that has just dropped the
/// previous response (hundreds of small strings) then pays for that merge, and the small
/// allocations of the next response are carved from the merged blocks on malloc's slow path: on
/// ListIdentities (60 identities) the merge alone was 24k instructions a call. A clone of a map
/// of nine entries allocates exactly those (936 bytes), below that line; cleared, it keeps them.
pub fn request_headers() -> HeaderMap {
    thread_local!(static TEMPLATE: HeaderMap = {
        let mut h = HeaderMap::with_capacity(9);
        let empty = HeaderValue::from_static("");
        for name in [CONTENT_TYPE, CONTENT_LENGTH, X_AMZ_TARGET, USER_AGENT]
            .into_iter()
            .chain(SIGNING_HEADERS)
            .chain([X_AMZN_QUERY_MODE])
        {
            h.insert(name, empty.clone());
        }
        h
    });
    let mut h = TEMPLATE.with(HeaderMap::clone);
    h.clear();
    h
}
