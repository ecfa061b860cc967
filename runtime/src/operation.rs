//! What a generated crate says about its service and each operation, so that the client and the
//! server in this runtime can work on any of them without per-service code.

use crate::wire::Wire;

/// Whether requests for an operation are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with SigV4.
    SigV4,
    /// Sent unsigned; needs no credentials.
    None,
}

/// A service: its wire constants.
pub trait Service {
    /// The protocol it speaks.
    const PROTOCOL: crate::protocol::Protocol;
    /// `serviceId`, e.g. `Cognito Identity`.
    const SERVICE_ID: &'static str;
    /// Prefix of awsJson's `X-Amz-Target`, e.g. `AWSCognitoIdentityService`.
    const TARGET_PREFIX: &'static str;
    /// awsJson's content type (`application/x-amz-json-1.0` or `-1.1`); restJson1's requests
    /// carry the content type of their body (`application/json`, or a payload's own).
    const CONTENT_TYPE: &'static str;
    /// The SigV4 signing name.
    const SIGNING_NAME: &'static str;
    /// First label of the default endpoint host.
    const ENDPOINT_PREFIX: &'static str;
    /// The model's API version.
    const API_VERSION: &'static str;
    /// The model's `awsQueryCompatible` trait: a service that moved from awsQuery to awsJson (SQS)
    /// and still reports awsQuery error codes. Its clients send `x-amzn-query-mode: true` and read
    /// the code from `x-amzn-query-error` (`Code;Sender`); its servers send that header.
    const QUERY_COMPATIBLE: bool = false;
    /// The service's endpoint rule set (`endpoint-rule-set-1.json`, as botocore ships it), which
    /// the client resolves its endpoint with; `None` for a model generated without one (the
    /// client then builds `https://<ENDPOINT_PREFIX>.<region>.amazonaws.com`).
    const ENDPOINT_RULES: Option<&'static str> = None;
    /// Whether any operation sets endpoint parameters of its own
    /// ([`Operation::ENDPOINT_PARAMS`]): the client then keeps the rule set to resolve with.
    const OPERATION_ENDPOINT_PARAMS: bool = false;
}

/// One operation: its name, target, auth and types.
pub trait Operation {
    type Service: Service;
    /// The operation's name in the model.
    const NAME: &'static str;
    /// awsJson's full `X-Amz-Target` value (empty for other protocols).
    const TARGET: &'static str = "";
    const AUTH: Auth;
    type Input: Wire + Send + Sync + 'static;
    type Output: Wire + Send + Sync + 'static;
    type Error: OperationError;

    /// The request for `input`, as the service's protocol frames it (everything but the
    /// endpoint, which the client adds).
    fn encode(
        input: &Self::Input,
    ) -> Result<crate::protocol::Request, crate::protocol::EncodeError>;

    /// The output of a successful response.
    fn decode(
        response: &crate::protocol::Response<'_>,
    ) -> Result<Self::Output, crate::reader::ReadError>;

    /// Takes the input's streaming payload (a `streaming` blob bound to the body) out of it, to
    /// be sent as the request's body after [`encode`](Operation::encode) framed the rest; `None`
    /// for an operation without one.
    fn take_payload(input: &mut Self::Input) -> Option<crate::ByteStream> {
        let _ = input;
        None
    }

    /// Whether the input's payload is a streaming blob ([`take_payload`](Operation::take_payload),
    /// [`put_payload`](Operation::put_payload)).
    const STREAMING_INPUT: bool = false;

    /// Gives an input its streaming payload: on the server, the request's body as it arrives
    /// (the other way from [`take_payload`](Operation::take_payload)); nothing for an operation
    /// without one.
    fn put_payload(input: &mut Self::Input, body: crate::ByteStream) {
        let _ = (input, body);
    }

    /// Takes the output's streaming payload out of it: on the server, to answer with as the
    /// response's body, read as it is sent; `None` for an operation without one.
    fn take_output_payload(output: &mut Self::Output) -> Option<crate::ByteStream> {
        let _ = output;
        None
    }

    /// Whether the streaming payload must say its length (`requiresLength`): a stream of unknown
    /// length is refused before anything is sent, instead of going out chunked.
    const PAYLOAD_REQUIRES_LENGTH: bool = false;

    /// Whether the request's payload goes unsigned (botocore's `v4-unsigned-body`, Smithy's
    /// `unsignedPayload`): SigV4 signs `UNSIGNED-PAYLOAD` in place of the body's hash.
    const UNSIGNED_PAYLOAD: bool = false;

    /// Whether the output's payload is a stream: the client then hands a successful response's
    /// body to [`decode_stream`](Operation::decode_stream) unread instead of buffering it.
    const STREAMING_OUTPUT: bool = false;

    /// The output of a successful response whose streaming payload is `body` (`response.body` is
    /// empty). Only called when [`STREAMING_OUTPUT`](Operation::STREAMING_OUTPUT) is set.
    fn decode_stream(
        response: &crate::protocol::Response<'_>,
        body: crate::ByteStream,
    ) -> Result<Self::Output, crate::reader::ReadError> {
        let _ = body;
        Self::decode(response)
    }

    /// The host prefix of the model's endpoint trait (`hostPrefix`), with the input's host labels
    /// filled in; `Err` names a label that is not a valid host label.
    fn host_prefix(input: &Self::Input) -> Result<Option<String>, String> {
        let _ = input;
        Ok(None)
    }

    /// Whether the operation sets endpoint rule-set parameters itself ([`endpoint_params`]); the
    /// client then resolves the endpoint for each call instead of once.
    ///
    /// [`endpoint_params`]: Operation::endpoint_params
    const ENDPOINT_PARAMS: bool = false;

    /// Sets the operation's endpoint parameters from the model (`staticContextParams`) and from
    /// `input` (members marked `contextParam`, `operationContextParams` paths), over what the
    /// configuration set, as botocore gives them precedence over the built-ins.
    fn endpoint_params(input: &Self::Input, params: &mut crate::endpoint::Params) {
        let _ = (input, params);
    }
}

/// An operation's error enum: typed from a code and body on the client, encoded on the server.
pub trait OperationError: crate::error::ErrorEnum + Sized {
    /// Builds the error from its (sanitised) code and the response. A modelled code whose
    /// response does not read as its structure, and any code the operation does not list,
    /// become `Unhandled`.
    fn from_wire(
        code: &str,
        response: &crate::protocol::Response<'_>,
        meta: crate::ErrorMetadata,
    ) -> Self;
    /// The `Unhandled` variant.
    fn unhandled(meta: crate::ErrorMetadata) -> Self;
    /// The body for this error in `format`, with `__type` ([`error_body`], [`unhandled_body`]):
    /// the server's. A generated match, not a method of the error shapes' `dyn` view, so that a
    /// client, which never encodes errors, links no encoder for them.
    fn to_body(&self, format: crate::wire::Format) -> Vec<u8>;
}

/// The error structure `T` read from the response's JSON body (empty reads as `{}`) and wrapped
/// as a variant of `E`, or `Unhandled` when the body does not read as `T`: a `from_wire` arm.
pub fn decode_error<T: Wire, E: OperationError>(
    response: &crate::protocol::Response<'_>,
    meta: crate::ErrorMetadata,
    variant: fn(T) -> E,
) -> E {
    match crate::protocol::json_body::read::<T>(response.body) {
        Ok(v) => variant(v),
        Err(_) => E::unhandled(meta),
    }
}

/// The error structure `T` read by `read` (a REST error with members bound to headers) and
/// wrapped as a variant of `E`, or `Unhandled` when it does not read: a `from_wire` arm.
pub fn decode_error_with<T, E: OperationError>(
    response: &crate::protocol::Response<'_>,
    meta: crate::ErrorMetadata,
    read: fn(&crate::protocol::Response<'_>) -> Result<T, crate::reader::ReadError>,
    variant: fn(T) -> E,
) -> E {
    match read(response) {
        Ok(v) => variant(v),
        Err(_) => E::unhandled(meta),
    }
}

/// The empty input or output of an operation that has none: `{}` on the wire.
impl Wire for () {
    fn write<E: crate::wire::Encode>(&self, w: &mut E) -> Result<(), crate::json::WriteError> {
        let start = w.begin_struct();
        w.end_struct(start);
        Ok(())
    }
    fn read<'de, D: crate::wire::Decode<'de>>(r: &mut D) -> Result<Self, crate::reader::ReadError> {
        r.skip()
    }
}

/// The body of an error in `format`: `__type`, then the error structure's members.
pub fn error_body<T: Wire>(format: crate::wire::Format, code: &str, error: &T) -> Vec<u8> {
    match format {
        crate::wire::Format::Json => {
            frame_error(code, &crate::wire::to_vec(error).unwrap_or_default())
        }
        crate::wire::Format::Cbor => crate::protocol::rpc_v2_cbor::error_body(code, error),
    }
}

/// `{"__type": code, ...}` around the members of an error structure's text (`{...}`): the same
/// code for every error shape.
fn frame_error(code: &str, members: &[u8]) -> Vec<u8> {
    let mut w = crate::json::Writer::default();
    w.raw("{\"__type\":");
    w.str(code);
    match members.get(1..members.len().saturating_sub(1)) {
        Some(inner) if !inner.is_empty() => {
            w.comma();
            w.raw(std::str::from_utf8(inner).unwrap_or_default());
        }
        _ => {}
    }
    w.raw("}");
    w.into_bytes()
}

/// The body in `format` for an error the model does not list: its code (or `InternalFailure`)
/// and message.
pub fn unhandled_body(format: crate::wire::Format, meta: &crate::ErrorMetadata) -> Vec<u8> {
    if format == crate::wire::Format::Cbor {
        return crate::protocol::rpc_v2_cbor::unhandled_body(meta);
    }
    let mut w = crate::json::Writer::default();
    w.raw("{\"__type\":");
    w.str(meta.code().unwrap_or("InternalFailure"));
    if let Some(m) = meta.message() {
        w.raw(",\"message\":");
        w.str(m);
    }
    w.raw("}");
    w.into_bytes()
}

/// Checks a host label value (letters, digits and `-`, 1 to 63 characters, not starting or ending
/// with `-`) and returns it.
pub fn host_label<'a>(name: &str, value: &'a str) -> Result<&'a str, String> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value)
    } else {
        Err(format!(
            "host label {name} = {value:?} is not a valid host label"
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::error_body;

    fn body<T: crate::wire::Wire>(error: &T) -> String {
        String::from_utf8(error_body(crate::wire::Format::Json, "Oops", error)).unwrap()
    }

    #[test]
    fn error_bodies_put_the_code_before_the_members() {
        let members = BTreeMap::from([
            ("message".to_owned(), "it \"broke\"".to_owned()),
            ("Reason".to_owned(), "x".to_owned()),
        ]);
        assert_eq!(
            body(&members),
            r#"{"__type":"Oops","Reason":"x","message":"it \"broke\""}"#
        );
        assert_eq!(
            body(&BTreeMap::<String, String>::new()),
            r#"{"__type":"Oops"}"#
        );
        assert_eq!(body(&()), r#"{"__type":"Oops"}"#);
    }
}
