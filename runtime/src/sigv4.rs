//! SigV4 arithmetic shared by the client's signer and the server's verifier: the canonical
//! request of an HTTP request, the string to sign, and the signature (key derivation and HMAC
//! from `aws-sigv4`).

use sha2::{Digest, Sha256};

use crate::DateTime;

/// Headers never signed (they may change on the way; `aws-sigv4` excludes them too).
pub const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "content-length",
];

pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// `20150830T123600Z` and `20150830` for a time.
pub fn amz_dates(t: DateTime) -> (String, String) {
    let iso = t.to_iso8601();
    let date = format!("{}{}{}", &iso[0..4], &iso[5..7], &iso[8..10]);
    let time = format!("{}T{}{}{}Z", date, &iso[11..13], &iso[14..16], &iso[17..19]);
    (time, date)
}

/// Reads `20150830T123600Z`.
pub fn parse_amz_date(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    DateTime::parse_iso8601(&iso).ok()
}

/// Percent-encodes a path the SigV4 way (every byte but unreserved ones and `/`).
pub fn encode_path(path: &str) -> String {
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

/// The canonical request and the signed header list. `headers` are (lower-case name, value)
/// pairs of the headers to sign, in any order; repeated names are joined with `,`.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (String, String) {
    let mut signed: Vec<(String, String)> = Vec::new();
    for (n, value) in headers {
        let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match signed.iter_mut().find(|(k, _)| k == n) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            None => signed.push((n.clone(), v)),
        }
    }
    signed.sort();
    let signed_headers = signed
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical = String::with_capacity(512);
    canonical.push_str(method);
    canonical.push('\n');
    canonical.push_str(&encode_path(path));
    canonical.push('\n');
    canonical.push_str(query);
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
    canonical.push_str(&hex(&sha256(body)));
    (canonical, signed_headers)
}

/// The string to sign for a canonical request.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&sha256(canonical.as_bytes()))
    )
}

/// The day's signing key.
pub fn signing_key(secret: &str, time: DateTime, region: &str, service: &str) -> Vec<u8> {
    aws_sigv4::sign::v4::generate_signing_key(secret, time.into(), region, service)
        .as_ref()
        .to_vec()
}

/// The hex signature of a string to sign.
pub fn signature(key: &[u8], string_to_sign: &str) -> String {
    aws_sigv4::sign::v4::calculate_signature(key, string_to_sign.as_bytes())
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub day: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses an `Authorization` header; `Err` says what is missing.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256")
        .ok_or("Authorization header requires the AWS4-HMAC-SHA256 algorithm")?
        .trim();
    let mut credential = None;
    let mut signed = None;
    let mut sig = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            sig = Some(v);
        }
    }
    let missing: Vec<&str> = [
        ("Credential", credential.is_none()),
        ("SignedHeaders", signed.is_none()),
        ("Signature", sig.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Authorization header requires {} parameter(s)",
            missing.join(", ")
        ));
    }
    let scope: Vec<&str> = credential.unwrap_or_default().split('/').collect();
    if scope.len() != 5 || scope[4] != "aws4_request" {
        return Err(
            "Credential should be scoped to a valid region, service and aws4_request".to_owned(),
        );
    }
    Ok(Authorization {
        access_key_id: scope[0].to_owned(),
        day: scope[1].to_owned(),
        region: scope[2].to_owned(),
        service: scope[3].to_owned(),
        signed_headers: signed
            .unwrap_or_default()
            .split(';')
            .map(str::to_owned)
            .collect(),
        signature: sig.unwrap_or_default().to_owned(),
    })
}
