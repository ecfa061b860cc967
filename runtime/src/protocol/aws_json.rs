//! awsJson 1.0 and 1.1: every call is a `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`
//! and the whole input as a JSON body; the output is the whole JSON body of the response. Errors
//! name their code in `X-Amzn-ErrorType` or the body's `__type` (or `code`).

use http::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use super::json_body::{self, CodeOrder};
use super::{EncodeError, Request, Response, X_AMZN_QUERY_MODE, X_AMZ_TARGET};
use crate::error::ErrorMetadata;
use crate::operation::{Operation, Service};
use crate::reader::ReadError;

/// The request for operation `O`: its body, content type and target. A query-compatible
/// service's requests also say `x-amzn-query-mode: true`.
pub fn encode<O: Operation>(input: &O::Input) -> Result<Request, EncodeError> {
    let body = crate::wire::to_vec(input)?;
    let mut req = Request::new(http::Method::POST, "/");
    let h = &mut req.headers;
    h.insert(
        CONTENT_TYPE,
        const { HeaderValue::from_static(<O::Service as Service>::CONTENT_TYPE) },
    );
    h.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    h.insert(X_AMZ_TARGET, const { HeaderValue::from_static(O::TARGET) });
    if <O::Service as Service>::QUERY_COMPATIBLE {
        h.insert(
            X_AMZN_QUERY_MODE,
            const { HeaderValue::from_static("true") },
        );
    }
    req.body = body.into();
    Ok(req)
}

/// The output of a successful response: its whole body (empty counts as `{}`).
pub fn decode<O: Operation>(response: &Response<'_>) -> Result<O::Output, ReadError> {
    json_body::read(response.body)
}

/// Code, message and request id of an awsJson error response: the code from `X-Amzn-ErrorType`,
/// else the body's `__type`, else its `code`; the message from `message`, `Message` or
/// `errorMessage`.
pub fn error_metadata(
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> ErrorMetadata {
    json_body::error_metadata(headers, body, request_id, CodeOrder::TypeFirst)
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
        let m = json_body::error_metadata(
            &HeaderMap::new(),
            br#"{"__type":"T","code":"C","message":"m"}"#,
            None,
            CodeOrder::CodeFirst,
        );
        assert_eq!(m.code.as_deref(), Some("C"));
        let m = json_body::error_metadata(
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
