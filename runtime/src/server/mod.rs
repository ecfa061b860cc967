//! The server side of every generated service: a `tower::Service` over `http` types that speaks
//! awsJson the way AWS does (routing on `X-Amz-Target`, content type and size checks, validation
//! of the model's constraints with every violation reported, errors with `__type`), or restJson1
//! (routing on method and URI template, [`route`]; members bound to the URI, query string and
//! headers, [`rest`]; the same validation), SigV4 on
//! signed operations (a well-formed signature required by default, verified against known keys
//! on request, or not required at all: see [`AwsJsonService`]), and the request context
//! handlers receive.

mod check;
pub mod rest;
pub mod route;
pub mod schema;
mod service;
pub mod verify;

pub use bytes::Bytes;
pub use http;
pub use service::{
    error_response, serve, serve_rest, AwsJsonService, BoxFuture, Limits, Response,
    RestJsonService, RestOperation, Route, Router, RpcV2CborService,
};
pub use verify::{CredentialLookup, PayloadHashMismatch, SigV4Verifier};

use crate::ErrorMetadata;

/// What a handler knows about the request besides its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The id sent back in `x-amzn-RequestId`.
    pub request_id: String,
    /// The request's headers.
    pub headers: http::HeaderMap,
    /// The request's path and query, as received.
    pub uri: http::Uri,
    /// A REST request's URI labels (`{Key}` of `/objects/{Key+}`), percent-decoded, by name.
    pub labels: Vec<(String, String)>,
    /// The caller's access key id, when the request to a signed operation was signed: taken
    /// from a well-formed signature, or from a verified one with
    /// [`with_sigv4`](AwsJsonService::with_sigv4).
    pub access_key_id: Option<String>,
    /// The content type of the request's protocol (the service's, or awsJson's for a CBOR
    /// service that also answers awsJson); empty until the service routed the request.
    pub(crate) content_type: &'static str,
}

impl RequestContext {
    pub fn new(request_id: impl Into<String>) -> RequestContext {
        RequestContext {
            request_id: request_id.into(),
            ..RequestContext::default()
        }
    }

    /// The first value of a header, by case-insensitive name, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The error an operation answers when the implementation does not provide it.
pub fn not_implemented(operation: &str) -> ErrorMetadata {
    ErrorMetadata {
        code: Some("NotImplemented".to_owned()),
        message: Some(format!("{operation} is not implemented by this server")),
        request_id: None,
    }
}
