//! Optional SigV4 verification for servers: checks the signature of signed operations against a
//! user-supplied credential lookup and answers failures the way AWS does (403 with
//! `IncompleteSignatureException`, `UnrecognizedClientException` or `InvalidSignatureException`).

use std::sync::Arc;
use std::time::Duration;

use crate::sigv4::{
    canonical_request, parse_amz_date, parse_authorization, string_to_sign, SigningKey,
};
use crate::DateTime;

/// Finds the secret key of an access key id, if it is known.
pub type CredentialLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Verifies SigV4 signatures.
pub struct SigV4Verifier {
    lookup: CredentialLookup,
    /// How far the request's date may be from now. AWS allows 5 minutes.
    pub max_skew: Duration,
}

/// Why a signature was refused.
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
        let header = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
        let Some(auth) = header("authorization") else {
            return Err(fail(
                "IncompleteSignatureException",
                "Request is missing Authentication Token",
            ));
        };
        let auth =
            parse_authorization(auth).map_err(|m| fail("IncompleteSignatureException", m))?;
        let Some(date) = header("x-amz-date") else {
            return Err(fail("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."));
        };
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
        if auth.service != service {
            return Err(fail(
                "InvalidSignatureException",
                format!("Credential should be scoped to correct service: '{service}'."),
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
            body,
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
