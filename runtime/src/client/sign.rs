//! SigV4 for awsJson requests. The canonical request of an awsJson call is always the same shape
//! (POST, no query, a few headers), so it is built here directly; the key derivation and the
//! signature come from `aws-sigv4`. The derived signing key is cached per access key, secret and
//! day, so it is not re-derived on every call (the official SDK re-derives it each time).

use std::sync::Mutex;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};
use sha2::{Digest, Sha256};

use crate::DateTime;

/// Headers never signed (they may change on the way, as `aws-sigv4` also excludes them).
const UNSIGNED: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "content-length",
];

/// Signs requests for one service and region.
pub struct Signer {
    service: &'static str,
    region: String,
    cache: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    day: String,
    access_key_id: String,
    secret_digest: [u8; 32],
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("service", &self.service)
            .field("region", &self.region)
            .finish()
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// `20150830T123600Z` and `20150830`.
fn amz_dates(now: SystemTime) -> (String, String) {
    let iso = DateTime::from(now).to_iso8601();
    // 2015-08-30T12:36:00[.fff]Z
    let date = format!("{}{}{}", &iso[0..4], &iso[5..7], &iso[8..10]);
    let time = format!("{}T{}{}{}Z", date, &iso[11..13], &iso[14..16], &iso[17..19]);
    (time, date)
}

/// Percent-encodes a path the SigV4 way (every byte but unreserved ones and `/`).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Signer {
    pub fn new(service: &'static str, region: String) -> Signer {
        Signer {
            service,
            region,
            cache: Mutex::new(None),
        }
    }

    /// The signing key for the day, from the cache when the credentials and day are unchanged.
    fn signing_key(&self, creds: &Credentials, day: &str, now: SystemTime) -> Vec<u8> {
        let digest = sha256(creds.secret_access_key().as_bytes());
        if let Ok(guard) = self.cache.lock() {
            if let Some(k) = guard.as_ref() {
                if k.day == day
                    && k.access_key_id == creds.access_key_id()
                    && k.secret_digest == digest
                {
                    return k.key.clone();
                }
            }
        }
        let key = aws_sigv4::sign::v4::generate_signing_key(
            creds.secret_access_key(),
            now,
            &self.region,
            self.service,
        )
        .as_ref()
        .to_vec();
        if let Ok(mut guard) = self.cache.lock() {
            *guard = Some(CachedKey {
                day: day.to_owned(),
                access_key_id: creds.access_key_id().to_owned(),
                secret_digest: digest,
                key: key.clone(),
            });
        }
        key
    }

    /// Adds `host`, `x-amz-date`, `x-amz-security-token` (with a session token) and
    /// `authorization` to the request.
    pub fn sign(&self, req: &mut http::Request<Bytes>, creds: &Credentials, now: SystemTime) {
        let (amz_date, day) = amz_dates(now);
        let host = req
            .uri()
            .authority()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default();
        let headers = req.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&host) {
            headers.insert(HOST, v);
        }
        if let Ok(v) = HeaderValue::from_str(&amz_date) {
            headers.insert(HeaderName::from_static("x-amz-date"), v);
        }
        if let Some(token) = creds.session_token() {
            if let Ok(mut v) = HeaderValue::from_str(token) {
                v.set_sensitive(true);
                headers.insert(HeaderName::from_static("x-amz-security-token"), v);
            }
        }
        headers.remove(AUTHORIZATION);

        let mut signed: Vec<(String, String)> = Vec::new();
        for (name, value) in req.headers() {
            let n = name.as_str();
            if UNSIGNED.contains(&n) {
                continue;
            }
            let v = String::from_utf8_lossy(value.as_bytes())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            match signed.iter_mut().find(|(k, _)| k == n) {
                Some((_, existing)) => {
                    existing.push(',');
                    existing.push_str(&v);
                }
                None => signed.push((n.to_owned(), v)),
            }
        }
        signed.sort();
        let names: Vec<&str> = signed.iter().map(|(k, _)| k.as_str()).collect();
        let signed_headers = names.join(";");
        let mut canonical = String::with_capacity(512);
        canonical.push_str(req.method().as_str());
        canonical.push('\n');
        canonical.push_str(&encode_path(req.uri().path()));
        canonical.push('\n');
        canonical.push_str(req.uri().query().unwrap_or(""));
        canonical.push('\n');
        for (k, v) in &signed {
            canonical.push_str(k);
            canonical.push(':');
            canonical.push_str(v);
            canonical.push('\n');
        }
        canonical.push('\n');
        canonical.push_str(&signed_headers);
        canonical.push('\n');
        canonical.push_str(&hex(&sha256(req.body())));

        let scope = format!("{day}/{}/{}/aws4_request", self.region, self.service);
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&sha256(canonical.as_bytes()))
        );
        let key = self.signing_key(creds, &day, now);
        let signature = aws_sigv4::sign::v4::calculate_signature(&key, string_to_sign.as_bytes());
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            creds.access_key_id()
        );
        if let Ok(mut v) = HeaderValue::from_str(&auth) {
            v.set_sensitive(true);
            req.headers_mut().insert(AUTHORIZATION, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn request() -> http::Request<Bytes> {
        http::Request::builder()
            .method("POST")
            .uri("https://cognito-identity.us-east-1.amazonaws.com/")
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "AWSCognitoIdentityService.ListIdentityPools",
            )
            .header("user-agent", "test")
            .body(Bytes::from_static(br#"{"MaxResults":60}"#))
            .unwrap()
    }

    /// The signature equals what `aws-sigv4`'s own request signer computes.
    #[test]
    fn matches_aws_sigv4_request_signing() {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_sigv4::sign::v4;
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_123);
        for token in [None, Some("session-token".to_owned())] {
            let creds = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                token.clone(),
                None,
                "test",
            );
            let mut ours = request();
            Signer::new("cognito-identity", "us-east-1".into()).sign(&mut ours, &creds, now);

            let mut theirs = request();
            theirs.headers_mut().insert(
                HOST,
                HeaderValue::from_static("cognito-identity.us-east-1.amazonaws.com"),
            );
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
                SignableBody::Bytes(theirs.body()),
            )
            .unwrap();
            let (instructions, _) = sign(signable, &params).unwrap().into_parts();
            let mut signed = theirs.clone();
            instructions.apply_to_request_http1x(&mut signed);
            assert_eq!(
                ours.headers()[AUTHORIZATION],
                signed.headers()[AUTHORIZATION],
                "token {token:?}"
            );
            assert_eq!(ours.headers()["x-amz-date"], signed.headers()["x-amz-date"]);
        }
    }

    #[test]
    fn signing_key_is_cached_per_day_and_credentials() {
        let s = Signer::new("svc", "us-east-1".into());
        let c = Credentials::new("AKID", "secret", None, None, "test");
        let t = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let k1 = s.signing_key(&c, "20231114", t);
        assert_eq!(s.cache.lock().unwrap().as_ref().unwrap().day, "20231114");
        let k2 = s.signing_key(&c, "20231114", t);
        assert_eq!(k1, k2);
        let other = Credentials::new("AKID", "other", None, None, "test");
        assert_ne!(s.signing_key(&other, "20231114", t), k1);
    }
}
