//! SigV4 checks for servers: [`check_well_formed`] (what a server does by default: a signed
//! operation needs a well-formed signature, whose key cannot be checked), and
//! [`SigV4Verifier`], which also checks the signature against a user-supplied credential lookup.
//! Failures are answered the way AWS's awsJson services answer them: HTTP 400 with
//! `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
//! `UnrecognizedClientException` or `InvalidSignatureException` (see [`VerifyFailure`]), and
//! S3's `XAmzContentSHA256Mismatch` for a body whose signed `x-amz-content-sha256` is not its
//! hash (for a streamed body, [`PayloadHashMismatch`] at the end of the stream).

use std::sync::Arc;
use std::time::Duration;

use crate::sigv4::{
    canonical_request, parse_amz_date, parse_authorization, string_to_sign, Authorization, Payload,
    SigningKey,
};
use crate::DateTime;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Finds the secret key of an access key id, if it is known.
pub type CredentialLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Verifies SigV4 signatures.
pub struct SigV4Verifier {
    lookup: CredentialLookup,
    /// How far the request's date may be from now. AWS allows 5 minutes.
    pub max_skew: Duration,
}

/// Why a signature was refused: an awsJson error code and message. AWS's awsJson services answer
/// every one of these with HTTP 400 (DynamoDB's error reference lists
/// `MissingAuthenticationTokenException`, `IncompleteSignatureException` and
/// `UnrecognizedClientException` under 400; Cognito's and ECS's `InvalidSignatureException`
/// arrive with 400, as in ArranJacques/laravel-aws-cognito-auth#18 and
/// teralytics/prometheus-ecs-discovery#7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub code: &'static str,
    pub message: String,
}

fn fail(code: &'static str, message: impl Into<String>) -> VerifyFailure {
    VerifyFailure {
        code,
        message: message.into(),
    }
}

/// The code and message AWS sends for a request to a signed operation without an
/// `Authorization` header: `{"__type": "...#MissingAuthenticationTokenException", "message":
/// "Request is missing Authentication Token"}`, as DynamoDB answers it
/// (awslabs/aws-sdk-ios-samples#111) and Cognito Identity answers its signed operations
/// (aws/aws-sdk-ruby#882, whose feature test expects `MissingAuthenticationTokenException` for a
/// signed operation called without credentials).
const MISSING_AUTHENTICATION_TOKEN: (&str, &str) = (
    "MissingAuthenticationTokenException",
    "Request is missing Authentication Token",
);

/// Checks that a request carries a well-formed SigV4 signature for `service`, without checking
/// the signature itself (no secret is known): an `Authorization` header
/// `AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/REGION/SERVICE/aws4_request, SignedHeaders=..,
/// Signature=<64 hex digits>` and an `X-Amz-Date` header. Returns the parsed header.
///
/// No header at all is `MissingAuthenticationTokenException`; a malformed one
/// `IncompleteSignatureException` with AWS's sentences (see [`parse_authorization`]); a
/// credential scoped to another service `InvalidSignatureException`, as AWS answers it.
/// Presigned (query) authentication is not accepted.
pub fn check_well_formed(
    headers: &http::HeaderMap,
    service: &str,
) -> Result<Authorization, VerifyFailure> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        let (code, message) = MISSING_AUTHENTICATION_TOKEN;
        return Err(fail(code, message));
    };
    let incomplete = |m: String| fail("IncompleteSignatureException", m);
    let date = headers.get("x-amz-date").and_then(|v| v.to_str().ok());
    let parsed = match value.to_str() {
        Ok(v) => parse_authorization(v),
        Err(_) => Err("The Authorization header is not visible ASCII text.".to_owned()),
    };
    // AWS names every missing part in one message, the date header last.
    let no_date =
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
    let auth = match (parsed, date) {
        (Ok(auth), Some(_)) => auth,
        (Ok(_), None) => return Err(incomplete(no_date.to_owned())),
        (Err(m), Some(_)) => return Err(incomplete(m)),
        (Err(m), None) => return Err(incomplete(format!("{m} {no_date}"))),
    };
    let date = date.unwrap_or_default();
    if parse_amz_date(date).is_none() {
        return Err(incomplete(format!(
            "X-Amz-Date {date:?} is not a valid date: expected YYYYMMDD'T'HHMMSS'Z'."
        )));
    }
    if auth.day.len() != 8 || !auth.day.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete(format!(
            "Credential date {:?} is not a valid date: expected YYYYMMDD.",
            auth.day
        )));
    }
    // Not AWS's wording: AWS computes the signature and answers a malformed one as any other
    // mismatch; without the secret, the form is all there is to check.
    if auth.signature.len() != 64 || !auth.signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete(
            "Signature should be 64 hexadecimal digits (HMAC-SHA256).".to_owned(),
        ));
    }
    if auth.service != service {
        return Err(fail(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{service}'."),
        ));
    }
    Ok(auth)
}

impl SigV4Verifier {
    pub fn new(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> SigV4Verifier {
        SigV4Verifier {
            lookup: Arc::new(lookup),
            max_skew: Duration::from_secs(300),
        }
    }

    /// Checks a request; returns the caller's access key id.
    pub fn verify(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        service: &str,
    ) -> Result<String, VerifyFailure> {
        self.verify_at(parts, body, service, DateTime::now())
    }

    pub fn verify_at(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        service: &str,
        now: DateTime,
    ) -> Result<String, VerifyFailure> {
        match declared_payload(parts) {
            Some(Declared::Unsigned) => self.verify_payload(parts, Payload::Unsigned, service, now),
            // The signature covers the declared hash; then the body must have it, or the
            // request is refused as S3 refuses it. A forged request fails as forged first.
            Some(Declared::Sha256(hash)) => {
                let who = self.verify_payload(parts, Payload::Sha256(hash), service, now)?;
                if crate::sigv4::sha256(body) != hash {
                    return Err(sha256_mismatch());
                }
                Ok(who)
            }
            None => self.verify_payload(parts, Payload::Bytes(body), service, now),
        }
    }

    /// Checks a request whose body is not read yet (a streamed payload): possible when the
    /// request signs `x-amz-content-sha256`, as `UNSIGNED-PAYLOAD` or as the body's SHA-256.
    /// `Ok(None)` when it does not (the body's hash is then needed first).
    pub fn verify_streamed(
        &self,
        parts: &http::request::Parts,
        service: &str,
    ) -> Result<Option<Streamed>, VerifyFailure> {
        let (payload, sha256) = match declared_payload(parts) {
            None => return Ok(None),
            Some(Declared::Unsigned) => (Payload::Unsigned, None),
            Some(Declared::Sha256(hash)) => (Payload::Sha256(hash), Some(hash)),
        };
        let access_key_id = self.verify_payload(parts, payload, service, DateTime::now())?;
        Ok(Some(Streamed {
            access_key_id,
            sha256,
        }))
    }

    fn verify_payload(
        &self,
        parts: &http::request::Parts,
        payload: Payload<'_>,
        service: &str,
        now: DateTime,
    ) -> Result<String, VerifyFailure> {
        let auth = check_well_formed(&parts.headers, service)?;
        let date = parts
            .headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(when) = parse_amz_date(date) else {
            return Err(fail(
                "IncompleteSignatureException",
                format!("X-Amz-Date {date:?} is not a valid date"),
            ));
        };
        let skew = self.max_skew.as_secs() as i64;
        if (now.secs() - when.secs()).abs() > skew {
            let (now_s, _) = crate::sigv4::amz_dates(now);
            let earliest = crate::sigv4::amz_dates(DateTime::from_secs(now.secs() - skew)).0;
            return Err(fail(
                "InvalidSignatureException",
                format!(
                    "Signature expired: {date} is now earlier than {earliest} ({now_s} - 5 min.)"
                ),
            ));
        }
        if !date.starts_with(&auth.day) {
            return Err(fail(
                "InvalidSignatureException",
                "Credential date does not match X-Amz-Date",
            ));
        }
        if !auth.signed_headers.iter().any(|h| h == "host") {
            return Err(fail(
                "InvalidSignatureException",
                "'Host' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        let Some(secret) = (self.lookup)(&auth.access_key_id) else {
            return Err(fail(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        };
        let mut signed = Vec::new();
        for name in &auth.signed_headers {
            let values: Vec<&str> = parts
                .headers
                .get_all(name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            if values.is_empty() {
                return Err(fail(
                    "IncompleteSignatureException",
                    format!("signed header {name} is missing from the request"),
                ));
            }
            for v in values {
                signed.push((name.clone(), v.to_owned()));
            }
        }
        let (canonical, _) = canonical_request(
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            &signed,
            payload,
        );
        let scope = format!("{}/{}/{}/aws4_request", auth.day, auth.region, auth.service);
        let expected = SigningKey::derive(&secret, when, &auth.region, &auth.service)
            .sign(&string_to_sign(date, &scope, &canonical));
        if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
            return Err(fail(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            ));
        }
        Ok(auth.access_key_id)
    }
}

/// A request whose signature was checked before its body was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streamed {
    /// The caller's access key id.
    pub access_key_id: String,
    /// The SHA-256 the body must have as it is read ([`Sha256Checked`]); `None` for
    /// `UNSIGNED-PAYLOAD`.
    pub sha256: Option<[u8; 32]>,
}

/// What a request's `x-amz-content-sha256` says of its payload, when the signature covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    /// `UNSIGNED-PAYLOAD` (a streamed body, an operation whose payload goes unsigned): the
    /// canonical request has that in place of the body's hash, as AWS verifies it.
    Unsigned,
    /// The body's SHA-256, which the canonical request then holds.
    Sha256([u8; 32]),
}

fn declared_payload(parts: &http::request::Parts) -> Option<Declared> {
    let signed = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_authorization(v).ok())
        .is_some_and(|a| a.signed_headers.iter().any(|h| h == "x-amz-content-sha256"));
    let value = parts.headers.get("x-amz-content-sha256")?.as_bytes();
    if !signed {
        return None;
    }
    if value == crate::sigv4::UNSIGNED_PAYLOAD.as_bytes() {
        return Some(Declared::Unsigned);
    }
    // 64 hex digits, nothing else (`from_str_radix` alone would take a sign).
    if value.len() != 64 || !value.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, pair) in value.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        hash[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(Declared::Sha256(hash))
}

fn sha256_mismatch() -> VerifyFailure {
    fail(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )
}

/// The error a streamed body ends in when its bytes are not the ones its signed
/// `x-amz-content-sha256` declares (S3's `XAmzContentSHA256Mismatch`): the source of the
/// [`ByteStreamError`](crate::ByteStreamError) a handler reads last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadHashMismatch;

impl std::fmt::Display for PayloadHashMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = sha256_mismatch();
        write!(f, "{}: {}", e.code, e.message)
    }
}

impl std::error::Error for PayloadHashMismatch {}

/// A streamed request body checked against the SHA-256 its signed `x-amz-content-sha256`
/// declares, as it is read. The bytes reach the reader as they arrive, so the check can only
/// come at the end: a body whose bytes differ ends in [`PayloadHashMismatch`] instead of
/// ending. A handler that stores a streamed body must therefore keep what it wrote only once
/// the stream has ended without an error.
pub struct Sha256Checked<B> {
    inner: B,
    hasher: Option<crate::sigv4::Sha256>,
    expected: [u8; 32],
}

impl<B> Sha256Checked<B> {
    pub fn new(inner: B, expected: [u8; 32]) -> Sha256Checked<B> {
        Sha256Checked {
            inner,
            hasher: Some(crate::sigv4::Sha256::new()),
            expected,
        }
    }
}

impl<B> http_body::Body for Sha256Checked<B>
where
    B: http_body::Body<Data = bytes::Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, BoxError>>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            let Some(hasher) = this.hasher.as_mut() else {
                return Poll::Ready(None);
            };
            match std::pin::Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        hasher.update(data);
                    }
                    return Poll::Ready(Some(Ok(frame)));
                }
                Poll::Ready(None) => {
                    let hash = this.hasher.take().map(crate::sigv4::Sha256::finish);
                    if hash != Some(this.expected) {
                        return Poll::Ready(Some(Err(Box::new(PayloadHashMismatch))));
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.hasher.is_none()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::check_well_formed;

    const SIG: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn auth(credential: &str, signature: &str) -> String {
        format!("AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host;x-amz-date, Signature={signature}")
    }

    fn refused(pairs: &[(&'static str, &str)]) -> (&'static str, String) {
        let f = check_well_formed(&headers(pairs), "cognito-identity").unwrap_err();
        (f.code, f.message)
    }

    #[test]
    fn a_well_formed_signature_of_any_key_passes() {
        let a = auth(
            "ANYKEY/20240102/eu-west-1/cognito-identity/aws4_request",
            SIG,
        );
        let ok = check_well_formed(
            &headers(&[("authorization", &a), ("x-amz-date", "20240102T030405Z")]),
            "cognito-identity",
        )
        .unwrap();
        assert_eq!(
            (ok.access_key_id.as_str(), ok.region.as_str()),
            ("ANYKEY", "eu-west-1")
        );
    }

    #[test]
    fn no_signature_is_a_missing_authentication_token() {
        assert_eq!(
            refused(&[("x-amz-date", "20240102T030405Z")]),
            (
                "MissingAuthenticationTokenException",
                "Request is missing Authentication Token".to_owned()
            )
        );
    }

    #[test]
    fn malformed_signatures_are_incomplete_in_aws_wording() {
        let date = ("x-amz-date", "20240102T030405Z");
        assert_eq!(
            refused(&[("authorization", "Bearer eyJhbGciOi.e30.sig")]),
            (
                "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.".to_owned()
            ),
            "the message does not repeat the header's value"
        );
        let good = auth("AKID/20240102/us-east-1/cognito-identity/aws4_request", SIG);
        assert_eq!(
            refused(&[("authorization", &good)]).1,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        );
        let (code, message) = refused(&[
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/cognito-identity/aws4_request, SignedHeaders",
            ),
            date,
        ]);
        assert_eq!(code, "IncompleteSignatureException");
        assert_eq!(
            message,
            "'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header."
        );
        for (credential, signature) in [
            ("AKID/20240102/us-east-1/aws4_request", SIG),
            ("AKID/20240102/us-east-1/cognito-identity/aws5_request", SIG),
            (
                "AKID/2024-01-02/us-east-1/cognito-identity/aws4_request",
                SIG,
            ),
            (
                "AKID/20240102/us-east-1/cognito-identity/aws4_request",
                &SIG[1..],
            ),
            (
                "AKID/20240102/us-east-1/cognito-identity/aws4_request",
                &SIG.replace('a', "g"),
            ),
        ] {
            let (code, message) = refused(&[("authorization", &auth(credential, signature)), date]);
            assert_eq!(
                code, "IncompleteSignatureException",
                "{credential} {signature}: {message}"
            );
        }
        let (code, _) = refused(&[("authorization", &good), ("x-amz-date", "yesterday")]);
        assert_eq!(code, "IncompleteSignatureException");
    }

    #[test]
    fn a_credential_for_another_service_is_an_invalid_signature() {
        let other = auth("AKID/20240102/us-east-1/dynamodb/aws4_request", SIG);
        assert_eq!(
            refused(&[
                ("authorization", &other),
                ("x-amz-date", "20240102T030405Z")
            ]),
            (
                "InvalidSignatureException",
                "Credential should be scoped to correct service: 'cognito-identity'.".to_owned()
            )
        );
    }
}
