//! SigV4 for the client's requests: the canonical request is built here directly (method, path,
//! sorted query, the headers the request carries), the arithmetic is `crate::sigv4`'s. The derived signing key is cached per credentials and day, so it is not
//! re-derived on every call (the official SDK re-derives it each time).

use std::sync::Mutex;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};

use crate::sigv4::{
    amz_dates, canonical_request, string_to_sign, Payload, SigningKey, UNSIGNED_HEADERS,
    UNSIGNED_PAYLOAD,
};
use crate::ByteStream;
use crate::DateTime;

/// Signs requests for one service and region.
pub struct Signer {
    service: String,
    region: String,
    cache: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    day: String,
    /// The credentials the key was derived from (a shared handle, not a copy of the secret).
    credentials: Credentials,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("service", &self.service)
            .field("region", &self.region)
            .finish()
    }
}

// Constants, so that their names are checked when compiling, not at each call.
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

impl Signer {
    pub fn new(service: impl Into<String>, region: String) -> Signer {
        Signer {
            service: service.into(),
            region,
            cache: Mutex::new(None),
        }
    }

    /// The signing key for the day, from the cache when the credentials and day are unchanged.
    fn signing_key(&self, creds: &Credentials, day: &str, now: SystemTime) -> SigningKey {
        if let Ok(guard) = self.cache.lock() {
            if let Some(k) = guard.as_ref() {
                if k.day == day
                    && k.credentials.access_key_id() == creds.access_key_id()
                    && k.credentials.secret_access_key() == creds.secret_access_key()
                {
                    return k.key.clone();
                }
            }
        }
        let key = SigningKey::derive(
            creds.secret_access_key(),
            DateTime::from(now),
            &self.region,
            &self.service,
        );
        if let Ok(mut guard) = self.cache.lock() {
            *guard = Some(CachedKey {
                day: day.to_owned(),
                credentials: creds.clone(),
                key: key.clone(),
            });
        }
        key
    }

    /// Adds `host`, `x-amz-date`, `x-amz-security-token` (with a session token) and
    /// `authorization` to the request.
    ///
    /// The body's SHA-256 is signed when it is in memory. A streamed body, and any body of an
    /// operation whose payload goes unsigned (`unsigned_payload`) over HTTPS, is signed as
    /// `UNSIGNED-PAYLOAD`, which the request then says in `x-amz-content-sha256`: botocore's
    /// `SigV4Auth.payload` does so for `v4-unsigned-body` operations (and signs the payload
    /// anyway over plain HTTP), and the official Rust SDK signs any body not in memory so.
    pub fn sign(
        &self,
        req: &mut http::Request<ByteStream>,
        unsigned_payload: bool,
        creds: &Credentials,
        now: SystemTime,
    ) {
        let (amz_date, day) = amz_dates(DateTime::from(now));
        let host = req
            .uri()
            .authority()
            .map(|a| a.as_str())
            .unwrap_or_default();
        let host = HeaderValue::from_str(host).ok();
        // Each is replaced or removed: the request may carry a stale one already.
        let token = creds.session_token().and_then(|t| {
            let mut v = HeaderValue::from_str(t).ok()?;
            v.set_sensitive(true);
            Some(v)
        });
        let headers = req.headers_mut();
        for (name, value) in [
            (HOST, host),
            (X_AMZ_DATE, HeaderValue::from_str(&amz_date).ok()),
            (X_AMZ_SECURITY_TOKEN, token),
        ] {
            match value {
                Some(v) => {
                    headers.insert(name, v);
                }
                None => {
                    headers.remove(name);
                }
            }
        }
        headers.remove(AUTHORIZATION);
        let over_https = req.uri().scheme_str() == Some("https");
        let unsigned = req.body().bytes().is_none() || (unsigned_payload && over_https);
        if unsigned {
            req.headers_mut().insert(
                X_AMZ_CONTENT_SHA256,
                const { HeaderValue::from_static(UNSIGNED_PAYLOAD) },
            );
        }
        let payload = match req.body().bytes() {
            Some(body) if !unsigned => Payload::Bytes(body),
            _ => Payload::Unsigned,
        };

        // Borrowed: a header value is copied only when it is not UTF-8.
        let signed: Vec<(&str, std::borrow::Cow<'_, str>)> = req
            .headers()
            .iter()
            .filter(|(name, _)| !UNSIGNED_HEADERS.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), String::from_utf8_lossy(value.as_bytes())))
            .collect();
        let (canonical, signed_headers) = canonical_request(
            req.method().as_str(),
            req.uri().path(),
            req.uri().query().unwrap_or(""),
            &signed,
            payload,
        );
        let mut scope = String::with_capacity(64);
        for part in [day.as_str(), &self.region, &self.service, "aws4_request"] {
            if !scope.is_empty() {
                scope.push('/');
            }
            scope.push_str(part);
        }
        let to_sign = string_to_sign(&amz_date, &scope, &canonical);
        let signature = self.signing_key(creds, &day, now).sign(&to_sign);
        let mut auth = String::with_capacity(160 + signed_headers.len());
        auth.push_str("AWS4-HMAC-SHA256 Credential=");
        auth.push_str(creds.access_key_id());
        auth.push('/');
        auth.push_str(&scope);
        auth.push_str(", SignedHeaders=");
        auth.push_str(&signed_headers);
        auth.push_str(", Signature=");
        auth.push_str(&signature);
        if let Ok(mut v) = HeaderValue::from_str(&auth) {
            v.set_sensitive(true);
            req.headers_mut().insert(AUTHORIZATION, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use std::time::{Duration, UNIX_EPOCH};

    fn request_to(uri: &str) -> http::Request<Bytes> {
        http::Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "AWSCognitoIdentityService.ListIdentityPools",
            )
            .header("user-agent", "test")
            .body(Bytes::from_static(br#"{"MaxResults":60}"#))
            .unwrap()
    }

    /// The signature equals what `aws-sigv4`'s own request signer computes, for a body in memory,
    /// a streamed body and an operation whose payload goes unsigned.
    #[test]
    fn matches_aws_sigv4_request_signing() {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_sigv4::sign::v4;
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_123);
        // A REST request's query comes in the model's member order and may hold a bare flag.
        let urls = [
            "https://cognito-identity.us-east-1.amazonaws.com/",
            "https://cognito-identity.us-east-1.amazonaws.com/a%20b/c?nextToken=x%2Fy&maxResults=2&delete&include=b&include=a",
        ];
        #[derive(Debug, Clone, Copy, PartialEq)]
        enum Body {
            InMemory,
            Streamed,
            UnsignedOperation,
        }
        let cases = urls.into_iter().flat_map(|u| {
            [None, Some("session-token".to_owned())]
                .into_iter()
                .flat_map(move |t| {
                    [Body::InMemory, Body::Streamed, Body::UnsignedOperation]
                        .map(|b| (u, t.clone(), b))
                })
        });
        for (url, token, body) in cases {
            let creds = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                token.clone(),
                None,
                "test",
            );
            let mut ours = request_to(url).map(|b| match body {
                Body::Streamed => {
                    let chunks = vec![Ok::<_, std::io::Error>(b)];
                    ByteStream::from_stream(Chunks(chunks), None)
                }
                _ => ByteStream::from(b),
            });
            Signer::new("cognito-identity", "us-east-1".into()).sign(
                &mut ours,
                body == Body::UnsignedOperation,
                &creds,
                now,
            );

            let mut theirs = request_to(url);
            theirs.headers_mut().insert(
                HOST,
                HeaderValue::from_static("cognito-identity.us-east-1.amazonaws.com"),
            );
            if body != Body::InMemory {
                theirs.headers_mut().insert(
                    "x-amz-content-sha256",
                    HeaderValue::from_static("UNSIGNED-PAYLOAD"),
                );
            }
            let identity = creds.clone().into();
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("cognito-identity")
                .time(now)
                .settings(SigningSettings::default())
                .build()
                .unwrap()
                .into();
            let headers: Vec<(&str, &str)> = theirs
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str(), v.to_str().unwrap()))
                .collect();
            let signable = SignableRequest::new(
                "POST",
                theirs.uri().to_string(),
                headers.into_iter(),
                match body {
                    Body::InMemory => SignableBody::Bytes(theirs.body()),
                    _ => SignableBody::UnsignedPayload,
                },
            )
            .unwrap();
            let (instructions, _) = sign(signable, &params).unwrap().into_parts();
            let mut signed = theirs.clone();
            instructions.apply_to_request_http1x(&mut signed);
            assert_eq!(
                ours.headers()[AUTHORIZATION],
                signed.headers()[AUTHORIZATION],
                "{url}, token {token:?}, {body:?}"
            );
            assert_eq!(ours.headers()["x-amz-date"], signed.headers()["x-amz-date"]);
            assert_eq!(
                ours.headers().get("x-amz-content-sha256"),
                signed.headers().get("x-amz-content-sha256"),
            );
        }
    }

    /// A payload of an unsigned-payload operation is signed anyway over plain HTTP, as botocore
    /// does (`SigV4Auth._should_sha256_sign_payload`).
    #[test]
    fn unsigned_payloads_are_signed_over_plain_http() {
        let creds = Credentials::new("AKID", "secret", None, None, "test");
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_123);
        let signer = Signer::new("svc", "us-east-1".into());
        let sign = |unsigned| {
            let mut r = request_to("http://localhost:1234/").map(ByteStream::from);
            signer.sign(&mut r, unsigned, &creds, now);
            r
        };
        let (plain, unsigned) = (sign(false), sign(true));
        assert_eq!(
            plain.headers()[AUTHORIZATION],
            unsigned.headers()[AUTHORIZATION]
        );
        assert!(unsigned.headers().get("x-amz-content-sha256").is_none());
    }

    struct Chunks(Vec<Result<Bytes, std::io::Error>>);

    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready((!self.0.is_empty()).then(|| self.0.remove(0)))
        }
    }

    #[test]
    fn signing_key_is_cached_per_day_and_credentials() {
        let s = Signer::new("svc", "us-east-1".into());
        let c = Credentials::new("AKID", "secret", None, None, "test");
        let t = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let k1 = s.signing_key(&c, "20231114", t).sign("x");
        assert_eq!(s.cache.lock().unwrap().as_ref().unwrap().day, "20231114");
        let k2 = s.signing_key(&c, "20231114", t).sign("x");
        assert_eq!(k1, k2);
        let other = Credentials::new("AKID", "other", None, None, "test");
        assert_ne!(s.signing_key(&other, "20231114", t).sign("x"), k1);
        assert_eq!(s.cache.lock().unwrap().as_ref().unwrap().credentials, other);
    }
}
