//! awsJson 1.0 and 1.1: every call is a `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`
//! and the whole input as a JSON body; the output is the whole JSON body of the response. Errors
//! name their code in `X-Amzn-ErrorType` or the body's `__type` (or `code`).

use http::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use super::{EncodeError, Request, Response, X_AMZN_QUERY_MODE, X_AMZ_TARGET};
use crate::error::{sanitize_error_code, ErrorMetadata};
use crate::operation::{Operation, Service};
use crate::reader::{self, ReadError, Reader};

/// The request for operation `O`: its body, content type and target. A query-compatible
/// service's requests also say `x-amzn-query-mode: true`.
pub fn encode<O: Operation>(input: &O::Input) -> Result<Request, EncodeError> {
    let body = crate::wire::to_vec(input)?;
    let mut req = Request::new(http::Method::POST, "/");
    let h = &mut req.headers;
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(<O::Service as Service>::CONTENT_TYPE),
    );
    h.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    h.insert(X_AMZ_TARGET, HeaderValue::from_static(O::TARGET));
    if <O::Service as Service>::QUERY_COMPATIBLE {
        h.insert(X_AMZN_QUERY_MODE, HeaderValue::from_static("true"));
    }
    req.body = body.into();
    Ok(req)
}

/// The output of a successful response: its whole body (empty counts as `{}`).
pub fn decode<O: Operation>(response: &Response<'_>) -> Result<O::Output, ReadError> {
    // One UTF-8 check of the whole body (fast on ASCII) instead of one per string value.
    let text = std::str::from_utf8(non_empty(response.body)).map_err(ReadError::custom)?;
    crate::wire::read_str::<O::Output>(text)
}

/// A body with nothing but whitespace reads as `{}`.
pub fn non_empty(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
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
pub(crate) enum CodeOrder {
    TypeFirst,
    CodeFirst,
}

/// Code, message and request id of an awsJson error response: the code from `X-Amzn-ErrorType`,
/// else the body's `__type`, else its `code`; the message from `message`, `Message` or
/// `errorMessage`.
pub fn error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> ErrorMetadata {
    json_error_metadata(headers, body, request_id, CodeOrder::TypeFirst)
}

pub(crate) fn json_error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
    order: CodeOrder,
) -> ErrorMetadata {
    let parsed = std::str::from_utf8(body)
        .ok()
        .and_then(|text| reader::from_str(text, error_fields).ok());
    // By index in ERROR_FIELDS.
    let field = |i: usize| parsed.as_ref().and_then(|fields| fields[i].clone());
    let body_code = match order {
        CodeOrder::TypeFirst => field(0).or_else(|| field(1)),
        CodeOrder::CodeFirst => field(1).or_else(|| field(2)).or_else(|| field(0)),
    };
    let raw_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(body_code);
    // A body that is not JSON (an HTML error page from a proxy, say) is kept, shortened, as the
    // message, so what the server said is not lost.
    let message = field(3)
        .or_else(|| field(4))
        .or_else(|| field(5))
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

/// The code of `x-amzn-query-error: Code;Sender`, when the header has one.
pub fn query_error_code(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get("x-amzn-query-error")?.to_str().ok()?;
    let code = v.split(';').next()?.trim();
    (!code.is_empty()).then_some(code)
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
    fn rest_json_reads_code_before_type() {
        let m = json_error_metadata(
            &HeaderMap::new(),
            br#"{"__type":"T","code":"C","message":"m"}"#,
            None,
            CodeOrder::CodeFirst,
        );
        assert_eq!(m.code.as_deref(), Some("C"));
        let m = json_error_metadata(
            &HeaderMap::new(),
            br#"{"__type":"ns#T","Code":"K"}"#,
            None,
            CodeOrder::CodeFirst,
        );
        assert_eq!(m.code.as_deref(), Some("K"));
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
