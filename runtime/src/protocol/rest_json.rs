//! restJson1: the REST bindings of [`super::rest`] around JSON bodies. A request's body is the
//! JSON object of the input's unbound members (`{}` when the input has such members but none is
//! set, no body when it has none), or its payload member alone: a structure's JSON, a blob's
//! bytes, a string's text. Responses mirror that. Errors name their code in `X-Amzn-ErrorType`,
//! else the body's `code` (or `Code`), else its `__type`.

use bytes::Bytes;
use http::header::HeaderMap;

use super::json_body::{self, CodeOrder};
use super::rest::RequestBuilder;
use super::{EncodeError, Request, Response};
use crate::error::ErrorMetadata;
use crate::json::{WriteError, Writer};
use crate::reader::{ReadError, Reader};
use crate::wire::Wire;
use crate::{Blob, Document};

const JSON: &str = "application/json";

/// The request with a JSON body that `write` writes (the unbound members).
pub fn finish_json(
    b: RequestBuilder,
    write: impl FnOnce(&mut Writer) -> Result<(), WriteError>,
) -> Result<Request, EncodeError> {
    let mut w = Writer::with_capacity(128);
    write(&mut w)?;
    Ok(b.finish(Bytes::from(w.into_bytes()), Some(JSON)))
}

/// The request with no body: every member of the input is bound elsewhere.
pub fn finish_empty(b: RequestBuilder) -> Request {
    b.finish(Bytes::new(), None)
}

/// The request whose body is a structure (or union) payload member: its JSON; when unset, `{}`
/// for a structure and no body for a union (Smithy's protocol tests).
pub fn finish_payload<T: Wire>(
    b: RequestBuilder,
    value: Option<&T>,
    union: bool,
) -> Result<Request, EncodeError> {
    match value {
        Some(v) => Ok(b.finish(Bytes::from(crate::wire::to_vec(v)?), Some(JSON))),
        None if union => Ok(b.finish(Bytes::new(), None)),
        None => Ok(b.finish(Bytes::from_static(b"{}"), Some(JSON))),
    }
}

/// The request whose body is a document payload member: its JSON value as it is.
pub fn finish_document(
    b: RequestBuilder,
    value: Option<&Document>,
) -> Result<Request, EncodeError> {
    match value {
        Some(v) => Ok(b.finish(Bytes::from(crate::wire::to_vec(v)?), Some(JSON))),
        None => Ok(b.finish(Bytes::new(), None)),
    }
}

/// The request whose body is a blob payload member's bytes (`application/octet-stream` unless a
/// member sets the content type; none without a body).
pub fn finish_blob(b: RequestBuilder, value: Option<&Blob>) -> Request {
    match value {
        Some(v) => b.finish(
            Bytes::copy_from_slice(v.as_bytes()),
            Some("application/octet-stream"),
        ),
        None => b.finish(Bytes::new(), None),
    }
}

/// The request of an operation whose payload is a stream: no body here, as the client sends
/// the stream itself (`Operation::take_payload`) and says its length and type then.
pub fn finish_stream(b: RequestBuilder) -> Request {
    b.finish(Bytes::new(), None)
}

/// The request whose body is a string payload member's text (`text/plain` unless a member sets
/// the content type).
pub fn finish_text(b: RequestBuilder, value: Option<&str>) -> Request {
    match value {
        Some(v) => b.finish(Bytes::copy_from_slice(v.as_bytes()), Some("text/plain")),
        None => b.finish(Bytes::new(), None),
    }
}

/// Reads the JSON object of a response body with `read` (an empty body reads as `{}`).
pub fn read_body(
    body: &[u8],
    read: impl FnOnce(&mut Reader<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let body = json_body::non_empty(body);
    let text = std::str::from_utf8(body).map_err(ReadError::custom)?;
    crate::reader::from_str(text, read)
}

/// A whole body as one value of `T` (an output whose members are all in the body).
pub fn decode_body<T: Wire>(response: &Response<'_>) -> Result<T, ReadError> {
    json_body::read(response.body)
}

/// A structure, union or document payload: absent for an empty body.
pub fn payload<T: Wire>(body: &[u8]) -> Result<Option<T>, ReadError> {
    if json_body::is_empty(body) {
        return Ok(None);
    }
    json_body::read(body).map(Some)
}

/// A blob payload: the body's bytes, absent when it is empty.
pub fn payload_blob(body: &[u8]) -> Option<Blob> {
    (!body.is_empty()).then(|| Blob::new(body))
}

/// A string payload: the body's text, absent when it is empty.
pub fn payload_text(body: &[u8]) -> Result<Option<String>, ReadError> {
    if body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(body.to_vec())
        .map(Some)
        .map_err(ReadError::custom)
}

/// Code, message and request id of a restJson1 error response.
pub fn error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> ErrorMetadata {
    json_body::error_metadata(headers, body, request_id, CodeOrder::CodeFirst)
}
