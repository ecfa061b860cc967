//! A call's framing on the client side, as pure functions: an input becomes an HTTP request to
//! the endpoint (its protocol's encoding, [`crate::protocol`]), an HTTP response becomes the
//! output or the operation's error. The protocol test suites drive these directly.

use std::fmt;

use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};

use super::error::{BuildFailure, Error, ResponseError};
use crate::operation::{Operation, OperationError, Service};
use crate::protocol::{aws_json, rest_json, rpc_v2_cbor, Protocol, Response};
use crate::ByteStream;

/// Where requests go: scheme, authority and an optional base path; with a rule set, also the
/// headers, properties and SigV4 scope it resolved.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    scheme: String,
    authority: String,
    path: String,
    /// The request URI without a host prefix, parsed once instead of on every call.
    uri: http::Uri,
    /// Headers the rule set adds to every request (`endpoint.headers`).
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Properties as the rule set resolved them (`authSchemes` and any other).
    properties: crate::endpoint::Map<crate::endpoint::Value>,
    /// The SigV4 signing name and region of the rule set's `sigv4` auth scheme, where it says.
    signing_name: Option<String>,
    signing_region: Option<String>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.path)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl Endpoint {
    /// Parses `https://host[:port][/path]`. Only `http` and `https` are accepted; a query or
    /// fragment is refused.
    pub fn parse(url: &str) -> Result<Endpoint, String> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("endpoint {url:?} has no scheme (expected https://host)"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!("endpoint {url:?}: scheme must be http or https"));
        }
        if rest.contains(['?', '#']) {
            return Err(format!(
                "endpoint {url:?} must not have a query or fragment"
            ));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("endpoint {url:?} has no valid host"));
        }
        if http::uri::Authority::try_from(authority).is_err() {
            return Err(format!("endpoint {url:?} has no valid host"));
        }
        let authority = authority.to_ascii_lowercase();
        let path = path.trim_end_matches('/').to_owned();
        let uri = http::Uri::try_from(format!("{scheme}://{authority}{path}/"))
            .map_err(|e| format!("endpoint {url:?} is not a valid URI: {e}"))?;
        Ok(Endpoint {
            scheme,
            authority,
            path,
            uri,
            headers: Vec::new(),
            properties: Default::default(),
            signing_name: None,
            signing_region: None,
        })
    }

    /// The endpoint a rule set resolved: its URL, headers and properties, with the SigV4 scope
    /// of its first auth scheme.
    pub(crate) fn with_resolved(
        mut self,
        headers: Vec<(HeaderName, HeaderValue)>,
        properties: crate::endpoint::Map<crate::endpoint::Value>,
        signing_name: Option<String>,
        signing_region: Option<String>,
    ) -> Endpoint {
        self.headers = headers;
        self.properties = properties;
        self.signing_name = signing_name;
        self.signing_region = signing_region;
        self
    }

    /// Headers the rule set adds to every request.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// The endpoint's properties as the rule set resolved them (`authSchemes`, ...).
    pub fn properties(&self) -> &crate::endpoint::Map<crate::endpoint::Value> {
        &self.properties
    }

    /// The SigV4 signing name the rule set chose, if it chose one (else the model's).
    pub fn signing_name(&self) -> Option<&str> {
        self.signing_name.as_deref()
    }

    /// The SigV4 signing region the rule set chose, if it chose one (else the client's region).
    pub fn signing_region(&self) -> Option<&str> {
        self.signing_region.as_deref()
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The request path: the base path followed by `/`.
    pub fn request_path(&self) -> String {
        format!("{}/", self.path)
    }
}

/// A copy of `req` whose header map has the same room as one [`encode_request`] makes (a
/// `clone` would allocate only as many entries as there are headers); `None` when its body is
/// a stream that cannot be read twice.
pub fn copy_request(req: &http::Request<ByteStream>) -> Option<http::Request<ByteStream>> {
    let mut out = http::Request::new(req.body().try_clone()?);
    *out.method_mut() = req.method().clone();
    *out.uri_mut() = req.uri().clone();
    *out.version_mut() = req.version();
    let h = out.headers_mut();
    *h = crate::protocol::request_headers();
    for (name, value) in req.headers() {
        h.append(name.clone(), value.clone());
    }
    Some(out)
}

/// Builds the HTTP request for operation `O`: what its protocol makes of the input, sent to
/// `endpoint`, with `payload` (the input's streaming payload, which
/// [`Operation::take_payload`] took out of it) as its body. Its header map has room for the
/// headers the signer adds ([`crate::protocol::request_headers`]).
pub fn encode_request<O: Operation>(
    input: &O::Input,
    payload: Option<ByteStream>,
    endpoint: &Endpoint,
) -> Result<http::Request<ByteStream>, BuildFailure> {
    let request = O::encode(input).map_err(|e| {
        BuildFailure::new(
            format!("{} input cannot be encoded: {e}", O::NAME),
            Some(Box::new(e)),
        )
    })?;
    let prefix = O::host_prefix(input)
        .map_err(|e| BuildFailure::new(format!("{}: {e}", O::NAME), None))?
        .unwrap_or_default();
    let mut req = frame_request(request, &prefix, endpoint)?;
    if let Some(payload) = payload {
        attach_payload(&mut req, payload, O::PAYLOAD_REQUIRES_LENGTH, O::NAME)?;
    }
    Ok(req)
}

/// Makes a streaming payload the request's body: its length, when known, is the
/// `Content-Length`; a stream of unknown length goes out chunked, unless the operation requires
/// a length (`requiresLength`), which fails here. A payload that is not empty is
/// `application/octet-stream` unless a member set the content type.
fn attach_payload(
    req: &mut http::Request<ByteStream>,
    payload: ByteStream,
    requires_length: bool,
    operation: &str,
) -> Result<(), BuildFailure> {
    let length = payload.content_length();
    let headers = req.headers_mut();
    match length {
        Some(n) => {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(n));
        }
        None if requires_length => {
            return Err(BuildFailure::new(
                format!(
                    "{operation}: the payload's length must be known (the operation requires \
                     it), and this stream has none: give it one (ByteStream::from_stream's \
                     length, a file, bytes in memory)"
                ),
                None,
            ))
        }
        None => {
            headers.remove(CONTENT_LENGTH);
        }
    }
    if length != Some(0) && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(
            CONTENT_TYPE,
            const { HeaderValue::from_static("application/octet-stream") },
        );
    }
    *req.body_mut() = payload;
    Ok(())
}

/// The request around an encoded one: the same code for every operation (only the encoding and
/// the host prefix depend on the operation), so each operation a program calls does not bring a
/// copy of it.
fn frame_request(
    request: crate::protocol::Request,
    prefix: &str,
    endpoint: &Endpoint,
) -> Result<http::Request<ByteStream>, BuildFailure> {
    let crate::protocol::Request {
        method,
        path,
        mut headers,
        body,
    } = request;
    let uri = if prefix.is_empty() && path == "/" {
        endpoint.uri.clone()
    } else {
        let uri = format!(
            "{}://{}{}{}{}",
            endpoint.scheme, prefix, endpoint.authority, endpoint.path, path
        );
        http::Uri::try_from(&uri).map_err(|e| {
            BuildFailure::new(format!("invalid request URI {uri}: {e}"), Some(Box::new(e)))
        })?
    };
    headers.insert(
        USER_AGENT,
        const { HeaderValue::from_static(concat!("awsgen-rt/", env!("CARGO_PKG_VERSION"))) },
    );
    for (name, value) in &endpoint.headers {
        headers.append(name.clone(), value.clone());
    }
    let mut req = http::Request::new(ByteStream::from(body));
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    Ok(req)
}

/// The request id a response carries.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads a successful response to operation `O`, whose output's payload is a stream
/// ([`Operation::STREAMING_OUTPUT`]): `body` becomes the payload unread.
pub fn decode_stream_output<O: Operation>(
    status: u16,
    headers: &HeaderMap,
    body: ByteStream,
) -> Result<O::Output, Error<O::Error>> {
    let response = Response {
        status,
        headers,
        body: &[],
    };
    O::decode_stream(&response, body)
        .map_err(|e| invalid_output::<O>(status, request_id(headers), e))
}

fn invalid_output<O: Operation>(
    status: u16,
    request_id: Option<String>,
    e: crate::reader::ReadError,
) -> Error<O::Error> {
    Error::Response(ResponseError::new(
        status,
        request_id,
        format!("{} output is not valid: {e}", O::NAME),
        Some(Box::new(e)),
    ))
}

/// Reads the response to operation `O`: a 2xx status is its output, anything else its error.
pub fn decode_response<O: Operation>(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<O::Output, Error<O::Error>> {
    let request_id = request_id(headers);
    let response = Response {
        status,
        headers,
        body,
    };
    if (200..300).contains(&status) {
        return O::decode(&response).map_err(|e| invalid_output::<O>(status, request_id, e));
    }
    let mut meta = match <O::Service as Service>::PROTOCOL {
        Protocol::RestJson1 => rest_json::error_metadata(headers, body, request_id.clone()),
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            aws_json::error_metadata(headers, body, request_id.clone())
        }
        Protocol::RpcV2Cbor => rpc_v2_cbor::error_metadata(body, request_id.clone()),
    };
    // The code picks the variant; a query-compatible service's awsQuery code (in
    // `x-amzn-query-error: Code;Sender`) is the code reported, as botocore reports it.
    let code = meta.code.clone().unwrap_or_default();
    if <O::Service as Service>::QUERY_COMPATIBLE {
        if let Some(q) = aws_json::query_error_code(headers) {
            meta.code = Some(q.to_owned());
        }
    }
    Err(Error::Service {
        error: O::Error::from_wire(&code, &response, meta),
        status,
        request_id,
    })
}
