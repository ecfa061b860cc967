//! What the JSON protocols (awsJson and restJson1) share about bodies: an empty body reads as `{}`,
//! a body is one JSON value read with the runtime's reader, and an error names its code and
//! message in the headers and the body.

use http::header::HeaderMap;

use crate::error::{sanitize_error_code, ErrorMetadata};
use crate::reader::{self, ReadError, Reader};
use crate::wire::Wire;

/// A whole body as one value of `T` (empty counts as `{}`), with one UTF-8 check of the whole
/// body (fast on ASCII) instead of one per string value.
pub fn read<T: Wire>(body: &[u8]) -> Result<T, ReadError> {
    let text = std::str::from_utf8(non_empty(body)).map_err(ReadError::custom)?;
    crate::wire::read_str(text)
}

/// Whether a body holds nothing but whitespace.
pub fn is_empty(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// A body with nothing but whitespace reads as `{}`.
pub fn non_empty(body: &[u8]) -> &[u8] {
    if is_empty(body) {
        b"{}"
    } else {
        body
    }
}

/// The members of an error body that [`error_metadata`] reads: the code, then the message.
const ERROR_FIELDS: [&str; 6] = [
    "__type",
    "code",
    "Code",
    "message",
    "Message",
    "errorMessage",
];

/// The string values of [`ERROR_FIELDS`] in a JSON object (the last one where a name repeats, as
/// `serde_json` keeps it; `None` for a value that is not a string), read with the runtime's own
/// reader so that a client compiles no `serde_json` deserializer for it.
fn error_fields(r: &mut Reader<'_>) -> Result<[Option<String>; 6], ReadError> {
    let mut fields: [Option<String>; 6] = Default::default();
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

/// Where a JSON protocol finds an error's code after `X-Amzn-ErrorType`: awsJson's `__type`
/// before `code`, restJson1's `code` (or `Code`) before `__type` (botocore's
/// `RestJSONParser._inject_error_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOrder {
    TypeFirst,
    CodeFirst,
}

/// Code, message and request id of an error response: the code from `X-Amzn-ErrorType`, else the
/// body's code members in the protocol's `order`; the message from `message`, `Message` or
/// `errorMessage`.
pub fn error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
    order: CodeOrder,
) -> ErrorMetadata {
    let parsed = std::str::from_utf8(body)
        .ok()
        .and_then(|text| reader::from_str(text, error_fields).ok());
    let is_json = parsed.is_some();
    // By index in ERROR_FIELDS: the first of `order` that is there.
    let mut fields = parsed.unwrap_or_default();
    let mut first = |order: &[usize]| order.iter().find_map(|&i| fields[i].take());
    let body_code = match order {
        CodeOrder::TypeFirst => first(&[0, 1]),
        CodeOrder::CodeFirst => first(&[1, 2, 0]),
    };
    let raw_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(body_code);
    // A body that is not JSON (an HTML error page from a proxy, say) is kept, shortened, as the
    // message, so what the server said is not lost.
    let message = first(&[3, 4, 5]).or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        (!is_json && !text.is_empty()).then(|| text.chars().take(512).collect())
    });
    ErrorMetadata {
        code: raw_code
            .map(|c| sanitize_error_code(&c).to_owned())
            .filter(|c| !c.is_empty()),
        message,
        request_id,
    }
}
