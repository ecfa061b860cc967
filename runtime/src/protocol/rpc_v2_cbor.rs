//! Smithy RPC v2 CBOR (botocore's `smithy-rpc-v2-cbor`): every call is a
//! `POST /service/<Service>/operation/<Operation>` saying `smithy-protocol: rpc-v2-cbor`, the
//! whole input a CBOR map ([`crate::cbor`]; no body for an operation without input), the output
//! the whole CBOR body of the response. Errors name their code in the body's `__type` (shape id
//! stripped as for awsJson); a query-compatible service also says `x-amzn-query-mode: true` and
//! answers its awsQuery code in `x-amzn-query-error`.

use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};

use super::{EncodeError, Request, Response, X_AMZN_QUERY_MODE};
use crate::error::{sanitize_error_code, ErrorMetadata};
use crate::operation::{Operation, OperationError, Service};
use crate::reader::ReadError;
use crate::wire::{Decode, Wire};

/// The media type of requests and responses.
pub const CBOR: &str = "application/cbor";
const SMITHY_PROTOCOL: HeaderName = HeaderName::from_static("smithy-protocol");

/// The request for operation `O` at `path` (`/service/<Service>/operation/<Operation>`, which
/// the generator writes out): the input as a CBOR map, or no body when the operation has no
/// input (`None`).
pub fn encode<O: Operation>(
    path: &'static str,
    input: Option<&O::Input>,
) -> Result<Request, EncodeError> {
    let mut req = Request::new(http::Method::POST, path);
    let h = &mut req.headers;
    h.insert(
        SMITHY_PROTOCOL,
        const { HeaderValue::from_static("rpc-v2-cbor") },
    );
    h.insert(ACCEPT, const { HeaderValue::from_static(CBOR) });
    if <O::Service as Service>::QUERY_COMPATIBLE {
        h.insert(
            X_AMZN_QUERY_MODE,
            const { HeaderValue::from_static("true") },
        );
    }
    match input {
        Some(input) => {
            let body = crate::cbor::to_vec(input)?;
            h.insert(CONTENT_TYPE, const { HeaderValue::from_static(CBOR) });
            h.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            req.body = body.into();
        }
        None => {
            h.insert(CONTENT_LENGTH, HeaderValue::from(0));
        }
    }
    Ok(req)
}

/// The output of a successful response: its whole body (empty counts as an empty map).
pub fn decode<O: Operation>(response: &Response<'_>) -> Result<O::Output, ReadError> {
    crate::cbor::from_slice(response.body)
}

/// The error structure `T` read from the response's CBOR body and wrapped as a variant of `E`,
/// or `Unhandled` when the body does not read as `T`: a `from_wire` arm.
pub fn decode_error<T: Wire, E: OperationError>(
    response: &Response<'_>,
    meta: ErrorMetadata,
    variant: fn(T) -> E,
) -> E {
    match crate::cbor::from_slice::<T>(response.body) {
        Ok(v) => variant(v),
        Err(_) => E::unhandled(meta),
    }
}

/// Code, message and request id of an error response: the code from the body's `__type` (a shape
/// id's namespace and any `:` suffix stripped), the message from `message` or `Message`. A body
/// that is not a CBOR map gives neither.
pub fn error_metadata(body: &[u8], request_id: Option<String>) -> ErrorMetadata {
    let (mut code, mut message) = (None, None);
    let mut r = crate::cbor::Reader::new(body);
    let parsed = (|| -> Result<(), ReadError> {
        let mut members = r.object()?;
        while let Some(key) = r.next_key(&mut members)? {
            let slot = match &*key {
                "__type" => &mut code,
                "message" | "Message" => &mut message,
                _ => {
                    r.skip()?;
                    continue;
                }
            };
            if r.null() {
                continue;
            }
            match r.str() {
                Ok(v) => *slot = Some(v.into_owned()),
                Err(_) => r.skip()?,
            }
        }
        Ok(())
    })();
    // A body that is not CBOR (an HTML error page from a proxy, say) is kept, shortened, as the
    // message, so what the server said is not lost.
    if parsed.is_err() {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if !text.is_empty() && !text.contains('\u{fffd}') {
            message = Some(text.chars().take(512).collect());
        }
    }
    ErrorMetadata {
        code: code
            .map(|c| sanitize_error_code(&c).to_owned())
            .filter(|c| !c.is_empty()),
        message,
        request_id,
    }
}

/// The CBOR body of an error, `{"__type": code, ...members}`: the server's.
pub fn error_body<T: Wire>(code: &str, error: &T) -> Vec<u8> {
    let members = crate::cbor::to_vec(error).unwrap_or_else(|_| vec![0xa0]);
    frame_error(code, &members)
}

/// The CBOR body for an error the model does not list: its code (or `InternalFailure`) and
/// message.
pub fn unhandled_body(meta: &ErrorMetadata) -> Vec<u8> {
    let mut doc = serde_json::Map::new();
    if let Some(m) = meta.message() {
        doc.insert("message".to_owned(), m.into());
    }
    let members = crate::cbor::to_vec(&crate::Document::Object(doc)).unwrap_or_default();
    frame_error(meta.code().unwrap_or("InternalFailure"), &members)
}

/// Puts `__type` first in the map `members` (a structure's CBOR, a definite-length map).
fn frame_error(code: &str, members: &[u8]) -> Vec<u8> {
    let mut r = crate::cbor::Reader::new(members);
    let mut count = 0u64;
    let at = (|| -> Result<usize, ReadError> {
        let mut m = r.object()?;
        let start = r.position();
        while r.next_entry(&mut m)? {
            r.skip()?;
            r.skip()?;
            count += 1;
        }
        Ok(start)
    })();
    let (entries, count) = match at {
        Ok(start) => (&members[start..], count),
        Err(_) => (&[][..], 0),
    };
    let mut doc = serde_json::Map::new();
    doc.insert("__type".to_owned(), code.into());
    let mut out = crate::cbor::to_vec(&crate::Document::Object(doc)).unwrap_or_default();
    // Replace the one-entry head with one of `count + 1` entries, then the members' entries.
    let mut head = crate::cbor::Writer::default();
    let start = crate::wire::Encode::begin_map(&mut head, (count + 1) as usize);
    crate::wire::Encode::end_map(&mut head, start);
    out.splice(0..1, head.into_bytes());
    out.extend_from_slice(entries);
    out
}

/// The code of `x-amzn-query-error: Code;Sender`, when the header has one.
pub fn query_error_code(headers: &HeaderMap) -> Option<&str> {
    super::aws_json::query_error_code(headers)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn error_bodies_put_the_code_first_and_read_back() {
        let members = BTreeMap::from([("message".to_owned(), "m".to_owned())]);
        let body = error_body("ns#Thrown", &members);
        let meta = error_metadata(&body, None);
        assert_eq!(meta.code.as_deref(), Some("Thrown"));
        assert_eq!(meta.message.as_deref(), Some("m"));
        let doc: crate::Document = crate::cbor::from_slice(&body).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({"__type": "ns#Thrown", "message": "m"})
        );
        let empty = error_body("E", &BTreeMap::<String, String>::new());
        let doc: crate::Document = crate::cbor::from_slice(&empty).unwrap();
        assert_eq!(doc, serde_json::json!({"__type": "E"}));
        // Not CBOR, or not a map: no code; text is kept as the message.
        let proxy = error_metadata(b"<html>Bad Gateway</html>", None);
        assert_eq!(proxy.code, None);
        assert_eq!(proxy.message.as_deref(), Some("<html>Bad Gateway</html>"));
        assert_eq!(error_metadata(&[0x01], None).code, None);
    }
}
