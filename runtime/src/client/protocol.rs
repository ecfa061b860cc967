//! awsJson framing on the client side, as pure functions: an input becomes an HTTP request, an
//! HTTP response becomes the output or the operation's error. The protocol test suites drive
//! these directly.

use std::fmt;

use bytes::Bytes;
use http::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST,
    USER_AGENT,
};

use super::error::{BuildFailure, Error, ResponseError};
use crate::error::{sanitize_error_code, ErrorMetadata};
use crate::operation::{Operation, OperationError, Service};
use crate::reader::{self, ReadError, Reader};

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

const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
/// The headers the signer sets, the optional one last.
const SIGNING_HEADERS: [HeaderName; 4] = [HOST, X_AMZ_DATE, AUTHORIZATION, X_AMZ_SECURITY_TOKEN];

/// A header map with every name a request can carry, in place with empty values, for the
/// encoder to fill in or remove; what it removes leaves room for the signer.
///
/// Why not `HeaderMap::with_capacity`: it rounds up to twelve entries of 104 bytes, a 1,248-byte
/// block, and glibc's malloc answers any request of 1 KiB or more by first merging every small
/// freed block into larger ones (`malloc_consolidate`). A caller that has just dropped the
/// previous response (hundreds of small strings) then pays for that merge, and the small
/// allocations of the next response are carved from the merged blocks on malloc's slow path: on
/// ListIdentities (60 identities) the merge alone was 24k instructions a call. A clone of this
/// map allocates exactly its nine entries (936 bytes), below that line, and never grows.
fn request_headers() -> HeaderMap {
    thread_local!(static TEMPLATE: HeaderMap = {
        let mut h = HeaderMap::with_capacity(9);
        let empty = HeaderValue::from_static("");
        // Optional names last: a name is removed by moving the last one into its place.
        for name in [CONTENT_TYPE, CONTENT_LENGTH, X_AMZ_TARGET, USER_AGENT]
            .into_iter()
            .chain(SIGNING_HEADERS)
            .chain([X_AMZN_QUERY_MODE])
        {
            h.insert(name, empty.clone());
        }
        h
    });
    TEMPLATE.with(HeaderMap::clone)
}

/// A copy of `req` whose header map has the same room as one [`encode_request`] makes (a
/// `clone` would allocate only as many entries as there are headers).
pub fn copy_request(req: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut out = http::Request::new(req.body().clone());
    *out.method_mut() = req.method().clone();
    *out.uri_mut() = req.uri().clone();
    *out.version_mut() = req.version();
    let h = out.headers_mut();
    *h = request_headers();
    h.clear();
    for (name, value) in req.headers() {
        h.append(name.clone(), value.clone());
    }
    out
}

/// Builds the HTTP request for operation `O`. Its header map has room for the headers the
/// signer adds (see `request_headers`).
pub fn encode_request<O: Operation>(
    input: &O::Input,
    endpoint: &Endpoint,
) -> Result<http::Request<Bytes>, BuildFailure> {
    let body = crate::wire::to_vec(input).map_err(|e| {
        BuildFailure::new(
            format!("{} input cannot be encoded: {e}", O::NAME),
            Some(Box::new(e)),
        )
    })?;
    let prefix = O::host_prefix(input)
        .map_err(|e| BuildFailure::new(format!("{}: {e}", O::NAME), None))?
        .unwrap_or_default();
    let target = Target {
        content_type: <O::Service as Service>::CONTENT_TYPE,
        query_compatible: <O::Service as Service>::QUERY_COMPATIBLE,
        operation: O::TARGET,
    };
    frame_request(body, &prefix, endpoint, target)
}

/// What an awsJson request says of its operation besides the body.
struct Target {
    content_type: &'static str,
    query_compatible: bool,
    /// `X-Amz-Target`.
    operation: &'static str,
}

/// The request around an encoded body: the same code for every operation (only the body and
/// the host prefix depend on the input), so each operation a program calls does not bring a
/// copy of it.
fn frame_request(
    body: Vec<u8>,
    prefix: &str,
    endpoint: &Endpoint,
    target: Target,
) -> Result<http::Request<Bytes>, BuildFailure> {
    let uri = if prefix.is_empty() {
        endpoint.uri.clone()
    } else {
        let uri = format!(
            "{}://{}{}{}",
            endpoint.scheme,
            prefix,
            endpoint.authority,
            endpoint.request_path()
        );
        http::Uri::try_from(&uri).map_err(|e| {
            BuildFailure::new(format!("invalid request URI {uri}: {e}"), Some(Box::new(e)))
        })?
    };
    let length = HeaderValue::from(body.len());
    let mut req = http::Request::new(Bytes::from(body));
    *req.method_mut() = http::Method::POST;
    *req.uri_mut() = uri;
    *req.headers_mut() = request_headers();
    let h = req.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(target.content_type));
    h.insert(CONTENT_LENGTH, length);
    h.insert(X_AMZ_TARGET, HeaderValue::from_static(target.operation));
    if target.query_compatible {
        h.insert(X_AMZN_QUERY_MODE, HeaderValue::from_static("true"));
    } else {
        h.remove(X_AMZN_QUERY_MODE);
    }
    h.insert(
        USER_AGENT,
        HeaderValue::from_static(concat!("awsgen-rt/", env!("CARGO_PKG_VERSION"))),
    );
    // The signer adds these; the room they leave stays.
    for name in SIGNING_HEADERS.into_iter().rev() {
        h.remove(name);
    }
    for (name, value) in &endpoint.headers {
        h.append(name.clone(), value.clone());
    }
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

/// Reads the response to operation `O`.
pub fn decode_response<O: Operation>(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<O::Output, Error<O::Error>> {
    let request_id = request_id(headers);
    if (200..300).contains(&status) {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            &b"{}"[..]
        } else {
            body
        };
        // One UTF-8 check of the whole body (fast on ASCII) instead of one per string value.
        let text = match std::str::from_utf8(body) {
            Ok(text) => text,
            Err(e) => {
                return Err(Error::Response(ResponseError::new(
                    status,
                    request_id,
                    format!("{} output is not valid: {e}", O::NAME),
                    Some(Box::new(e)),
                )))
            }
        };
        return crate::wire::read_str::<O::Output>(text).map_err(|e| {
            Error::Response(ResponseError::new(
                status,
                request_id,
                format!("{} output is not valid: {e}", O::NAME),
                Some(Box::new(e)),
            ))
        });
    }
    let mut meta = error_metadata(headers, body, request_id.clone());
    // The awsJson type picks the variant; a query-compatible service's awsQuery code (in
    // `x-amzn-query-error: Code;Sender`) is the code reported, as botocore reports it.
    let code = meta.code.clone().unwrap_or_default();
    if <O::Service as Service>::QUERY_COMPATIBLE {
        if let Some(q) = query_error_code(headers) {
            meta.code = Some(q.to_owned());
        }
    }
    // An error with no body (the code only in `X-Amzn-ErrorType`) is its structure with no members.
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    Err(Error::Service {
        error: O::Error::from_wire(&code, body, meta),
        status,
        request_id,
    })
}

/// The code of `x-amzn-query-error: Code;Sender`, when the header has one.
pub fn query_error_code(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get("x-amzn-query-error")?.to_str().ok()?;
    let code = v.split(';').next()?.trim();
    (!code.is_empty()).then_some(code)
}

/// The members of an error body that [`error_metadata`] reads: the code, then the message.
const ERROR_FIELDS: [&str; 5] = ["__type", "code", "message", "Message", "errorMessage"];

/// The string values of [`ERROR_FIELDS`] in a JSON object (the last one where a name repeats, as
/// `serde_json` keeps it; `None` for a value that is not a string), read with the runtime's own
/// reader so that a client compiles no `serde_json` deserializer for it.
fn error_fields(r: &mut Reader<'_>) -> Result<[Option<String>; 5], ReadError> {
    let mut fields: [Option<String>; 5] = Default::default();
    let mut members = r.object()?;
    while let Some(name) = members.next_key(r)? {
        match ERROR_FIELDS.iter().position(|f| *f == name) {
            Some(i) if r.at_string() => fields[i] = Some(r.string()?),
            Some(i) => {
                fields[i] = None;
                r.skip()?;
            }
            None => r.skip()?,
        }
    }
    Ok(fields)
}

/// Code, message and request id of an error response: the code from `X-Amzn-ErrorType`, else the
/// body's `__type`, else its `code`; the message from `message`, `Message` or `errorMessage`.
pub fn error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> ErrorMetadata {
    let parsed = std::str::from_utf8(body)
        .ok()
        .and_then(|text| reader::from_str(text, error_fields).ok());
    // By index in ERROR_FIELDS.
    let field = |i: usize| parsed.as_ref().and_then(|fields| fields[i].clone());
    let raw_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| field(0).or_else(|| field(1)));
    // A body that is not JSON (an HTML error page from a proxy, say) is kept, shortened, as the
    // message, so what the server said is not lost.
    let message = field(2)
        .or_else(|| field(3))
        .or_else(|| field(4))
        .or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (parsed.is_none() && !text.is_empty()).then(|| text.chars().take(512).collect())
        });
    ErrorMetadata {
        code: raw_code
            .map(|c| sanitize_error_code(&c).to_owned())
            .filter(|c| !c.is_empty()),
        message,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(header: Option<&str>, body: &str) -> (Option<String>, Option<String>) {
        let mut headers = HeaderMap::new();
        if let Some(h) = header {
            headers.insert("x-amzn-errortype", h.parse().unwrap());
        }
        let m = error_metadata(&headers, body.as_bytes(), None);
        (m.code, m.message)
    }

    fn some(code: &str, message: &str) -> (Option<String>, Option<String>) {
        (Some(code.to_owned()), Some(message.to_owned()))
    }

    #[test]
    fn code_and_message_as_aws_sdks_read_them() {
        let body = r#"{"__type":"com.amazonaws#Thrown:http://x","message":"m"}"#;
        assert_eq!(meta(None, body), some("Thrown", "m"));
        // The header wins over the body; `code` stands in for `__type`, `Message` and
        // `errorMessage` for `message`, in that order.
        assert_eq!(meta(Some("FromHeader:x"), body), some("FromHeader", "m"));
        assert_eq!(meta(None, r#"{"code":"C","Message":"M"}"#), some("C", "M"));
        assert_eq!(
            meta(
                None,
                r#"{"errorMessage":"e","Message":"M","__type":"T","code":"C"}"#
            ),
            some("T", "M")
        );
        // A repeated name keeps its last value; a value that is not a string is no value.
        assert_eq!(
            meta(
                None,
                r#"{"__type":"A","__type":"B","message":"x","message":{"a":[1]}}"#
            ),
            (Some("B".to_owned()), None)
        );
        assert_eq!(
            meta(
                None,
                r#"{"__type":7,"code":"C","x":[{"__type":"Nested"}],"message":"m"}"#
            ),
            some("C", "m")
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_the_message() {
        assert_eq!(
            meta(None, "<html>Bad Gateway</html>"),
            (None, Some("<html>Bad Gateway</html>".to_owned()))
        );
        // Trailing text makes the whole body not JSON, as for serde_json.
        assert_eq!(
            meta(None, r#"{"__type":"T"} trailing"#),
            (None, Some(r#"{"__type":"T"} trailing"#.to_owned()))
        );
        assert_eq!(meta(Some("H"), "  "), (Some("H".to_owned()), None));
        assert_eq!(meta(None, "{}"), (None, None));
    }
}
