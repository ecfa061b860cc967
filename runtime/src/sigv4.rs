//! SigV4 arithmetic shared by the client's signer and the server's verifier: the canonical
//! request of an HTTP request, the string to sign, the day's key and the signature.
//!
//! Hashing: with the `client` feature, SHA-256 and HMAC come from `ring`, which the client
//! already links for TLS (assembly, and a day's HMAC key keeps its padded inner and outer states,
//! so a signature costs two SHA-256 blocks fewer); without it (a server-only build), from `sha2`
//! and `aws-sigv4`.

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

/// Appends the lower-case hex of `bytes` to `out`.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::new();
    push_hex(&mut s, bytes);
    s
}

/// The SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(data);
    h.finish()
}

/// SHA-256 over data that arrives in pieces (a streamed body being checked): with ring in
/// client builds, with `sha2` in server-only ones.
pub struct Sha256 {
    #[cfg(feature = "client")]
    inner: ring::digest::Context,
    #[cfg(not(feature = "client"))]
    inner: sha2::Sha256,
}

impl Sha256 {
    pub fn new() -> Sha256 {
        Sha256 {
            #[cfg(feature = "client")]
            inner: ring::digest::Context::new(&ring::digest::SHA256),
            #[cfg(not(feature = "client"))]
            inner: <sha2::Sha256 as sha2::Digest>::new(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        #[cfg(feature = "client")]
        self.inner.update(data);
        #[cfg(not(feature = "client"))]
        sha2::Digest::update(&mut self.inner, data);
    }

    pub fn finish(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        #[cfg(feature = "client")]
        out.copy_from_slice(self.inner.finish().as_ref());
        #[cfg(not(feature = "client"))]
        out.copy_from_slice(&sha2::Digest::finalize(self.inner));
        out
    }
}

impl Default for Sha256 {
    fn default() -> Sha256 {
        Sha256::new()
    }
}

/// `20150830T123600Z` and `20150830` for a time.
pub fn amz_dates(t: DateTime) -> (String, String) {
    fn push2(out: &mut String, v: i64) {
        let v = v.clamp(0, 99) as u8;
        out.push((b'0' + v / 10) as char);
        out.push((b'0' + v % 10) as char);
    }
    let (y, mo, d, h, mi, s) = t.civil();
    // SigV4 dates have four-digit years; times outside 0000-9999 are clamped.
    let y = y.clamp(0, 9999);
    let mut date = String::with_capacity(8);
    push2(&mut date, y / 100);
    push2(&mut date, y % 100);
    push2(&mut date, mo);
    push2(&mut date, d);
    let mut time = String::with_capacity(16);
    time.push_str(&date);
    time.push('T');
    push2(&mut time, h);
    push2(&mut time, mi);
    push2(&mut time, s);
    time.push('Z');
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

/// Percent-encodes a path the SigV4 way (every byte but unreserved ones and `/`) onto `out`.
fn push_encoded_path(out: &mut String, path: &str) {
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Appends a header value with leading and trailing spaces removed and inner runs of spaces
/// folded into one, as SigV4 asks.
fn push_trimmed(out: &mut String, value: &str) {
    let mut first = true;
    for word in value.split_ascii_whitespace() {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

/// The query in SigV4's canonical form: its parameters sorted by name, then value, each written
/// `name=value` (a bare `flag` becomes `flag=`). They keep the encoding they have, which for this
/// client's requests is SigV4's own (unreserved characters as they are, the rest `%XX`), as
/// botocore's signer keeps them. A REST request's query comes in the model's member order
/// (`maxResults`, `nextToken`, ...) and may hold a literal flag (`?delete`): signed as written, AWS
/// would refuse it (SignatureDoesNotMatch). An insertion sort, as for the headers below.
fn push_canonical_query(out: &mut String, query: &str) {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for p in query.split('&').filter(|p| !p.is_empty()) {
        let pair = p.split_once('=').unwrap_or((p, ""));
        let at = pairs.partition_point(|&q| q <= pair);
        pairs.insert(at, pair);
    }
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// The canonical request and the signed header list. `headers` are (lower-case name, value)
/// pairs of the headers to sign, in any order; repeated names are joined with `,` in the order
/// given.
pub fn canonical_request<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(N, V)],
    payload: Payload<'_>,
) -> (String, String) {
    // Header indices sorted by name, repeated names in the order given: an insertion sort, as a
    // request has a handful of headers (hyper parses at most 100), and the standard library's
    // stable sort costs 9 KB of code in every client binary for it.
    let mut order: Vec<usize> = Vec::with_capacity(headers.len());
    for i in 0..headers.len() {
        let name = headers[i].0.as_ref();
        let at = order.partition_point(|&j| headers[j].0.as_ref() <= name);
        order.insert(at, i);
    }
    let mut signed_headers = String::with_capacity(96);
    let mut canonical = String::with_capacity(512);
    canonical.push_str(method);
    canonical.push('\n');
    push_encoded_path(&mut canonical, path);
    canonical.push('\n');
    push_canonical_query(&mut canonical, query);
    canonical.push('\n');
    let mut previous: Option<&str> = None;
    for &i in &order {
        let (name, value) = (headers[i].0.as_ref(), headers[i].1.as_ref());
        if previous == Some(name) {
            canonical.pop();
            canonical.push(',');
        } else {
            if previous.is_some() {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        push_trimmed(&mut canonical, value);
        canonical.push('\n');
        previous = Some(name);
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    match payload {
        Payload::Bytes(body) => push_hex(&mut canonical, &sha256(body)),
        Payload::Sha256(hash) => push_hex(&mut canonical, &hash),
        Payload::Unsigned => canonical.push_str(UNSIGNED_PAYLOAD),
    }
    (canonical, signed_headers)
}

/// What a canonical request says of the payload.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// The body, whose SHA-256 is signed.
    Bytes(&'a [u8]),
    /// The SHA-256 of a body not read yet, as its `x-amz-content-sha256` declares it.
    Sha256([u8; 32]),
    /// `UNSIGNED-PAYLOAD`: a body that is streamed rather than held in memory, or an operation
    /// that sends its payload unsigned.
    Unsigned,
}

/// What a canonical request holds in place of the payload's hash when it is not signed; the
/// request says so in `x-amz-content-sha256`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The string to sign for a canonical request.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical: &str) -> String {
    let mut s = String::with_capacity(17 + amz_date.len() + 1 + scope.len() + 1 + 64);
    s.push_str("AWS4-HMAC-SHA256\n");
    s.push_str(amz_date);
    s.push('\n');
    s.push_str(scope);
    s.push('\n');
    push_hex(&mut s, &sha256(canonical.as_bytes()));
    s
}

/// A day's signing key, ready to sign strings.
#[derive(Clone)]
pub struct SigningKey {
    #[cfg(feature = "client")]
    key: ring::hmac::Key,
    #[cfg(not(feature = "client"))]
    key: Vec<u8>,
}

impl SigningKey {
    /// Derives the day's key: HMAC-SHA256 of the day, region, service and `aws4_request` in turn,
    /// starting from `AWS4` and the secret (with ring in client builds, so the client does not
    /// compile `aws-sigv4` and its own hashing crates for four HMACs a day; `aws-sigv4` derives
    /// it in server-only builds and checks the client's signatures in the tests).
    #[cfg(feature = "client")]
    pub fn derive(secret: &str, time: DateTime, region: &str, service: &str) -> SigningKey {
        use ring::hmac::{sign, Key, HMAC_SHA256};
        let (_, day) = amz_dates(time);
        let mut start = Vec::with_capacity(4 + secret.len());
        start.extend_from_slice(b"AWS4");
        start.extend_from_slice(secret.as_bytes());
        let mut key = sign(&Key::new(HMAC_SHA256, &start), day.as_bytes());
        start.fill(0);
        for part in [region, service, "aws4_request"] {
            key = sign(&Key::new(HMAC_SHA256, key.as_ref()), part.as_bytes());
        }
        SigningKey {
            key: Key::new(HMAC_SHA256, key.as_ref()),
        }
    }

    /// Derives the day's key (`aws-sigv4`'s derivation).
    #[cfg(not(feature = "client"))]
    pub fn derive(secret: &str, time: DateTime, region: &str, service: &str) -> SigningKey {
        let raw = aws_sigv4::sign::v4::generate_signing_key(secret, time.into(), region, service);
        SigningKey {
            key: raw.as_ref().to_vec(),
        }
    }

    /// The hex signature of a string to sign.
    pub fn sign(&self, string_to_sign: &str) -> String {
        #[cfg(feature = "client")]
        {
            hex(ring::hmac::sign(&self.key, string_to_sign.as_bytes()).as_ref())
        }
        #[cfg(not(feature = "client"))]
        {
            aws_sigv4::sign::v4::calculate_signature(&self.key, string_to_sign.as_bytes())
        }
    }
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

/// Parses an `Authorization: AWS4-HMAC-SHA256 Credential=.., SignedHeaders=.., Signature=..`
/// header. `Err` is the message of AWS's `IncompleteSignatureException` for it: the sentences
/// "Authorization header requires 'Credential' parameter." (and 'Signature', 'SignedHeaders')
/// for each part missing, as AWS sends them (aws/chalice#828, brendanhay/amazonka#316), or
/// "'..' not a valid key=value pair (missing equal-sign) in Authorization header." for a part
/// without `=` (iann0036/cloud9-sync#10). Unlike AWS, the header's value is not repeated in the
/// message: it may be a bearer token sent to the wrong place.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256")
        .filter(|r| r.is_empty() || r.starts_with(' '))
        .unwrap_or("");
    let mut credential = None;
    let mut signed = None;
    let mut sig = None;
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, v)) = part.split_once('=') else {
            return Err(format!(
                "'{part}' not a valid key=value pair (missing equal-sign) in Authorization header."
            ));
        };
        match key.trim() {
            "Credential" => credential = Some(v.trim()),
            "SignedHeaders" => signed = Some(v.trim()),
            "Signature" => sig = Some(v.trim()),
            _ => {}
        }
    }
    let missing: Vec<String> = [
        ("Credential", credential.is_none()),
        ("Signature", sig.is_none()),
        ("SignedHeaders", signed.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| format!("Authorization header requires '{n}' parameter."))
    .collect();
    if !missing.is_empty() {
        return Err(missing.join(" "));
    }
    let scope: Vec<&str> = credential.unwrap_or_default().split('/').collect();
    if scope.len() != 5 || scope.iter().any(|p| p.is_empty()) {
        return Err("Credential should be scoped to a valid region, service and aws4_request: ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.".to_owned());
    }
    if scope[4] != "aws4_request" {
        return Err(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            scope[4]
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the SigV4 documentation (IAM ListUsers, 2015-08-30), through
    /// whichever hashing backend this build uses.
    #[test]
    fn documented_example() {
        let headers = [
            ("x-amz-date", "20150830T123600Z"),
            ("host", "iam.amazonaws.com"),
            (
                "content-type",
                "  application/x-www-form-urlencoded;   charset=utf-8 ",
            ),
        ];
        let (canonical, signed) = canonical_request(
            "GET",
            "/",
            "Action=ListUsers&Version=2010-05-08",
            &headers,
            Payload::Bytes(b""),
        );
        assert_eq!(signed, "content-type;host;x-amz-date");
        assert_eq!(
            canonical,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n\
             content-type:application/x-www-form-urlencoded; charset=utf-8\n\
             host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n\
             content-type;host;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let to_sign = string_to_sign(
            "20150830T123600Z",
            "20150830/us-east-1/iam/aws4_request",
            &canonical,
        );
        assert!(
            to_sign.ends_with("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        );
        let key = SigningKey::derive(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            DateTime::from_secs(1_440_938_160),
            "us-east-1",
            "iam",
        );
        assert_eq!(
            key.sign(&to_sign),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn amz_dates_are_padded() {
        let (time, day) = amz_dates(DateTime::from_secs(1_440_938_160));
        assert_eq!(
            (time.as_str(), day.as_str()),
            ("20150830T123600Z", "20150830")
        );
        let (time, day) = amz_dates(DateTime::from_secs(-62_135_596_800 + 86_400 * 40 + 3_661));
        assert_eq!(
            (time.as_str(), day.as_str()),
            ("00010210T010101Z", "00010210")
        );
    }

    #[test]
    fn repeated_headers_join_in_order() {
        let headers = [
            ("x-b", "2"),
            ("x-a", "1"),
            ("host", "h"),
            ("x-b", " 3  4 "),
            ("a", ""),
            ("x-a", "0"),
            ("x-b", "1"),
        ];
        let (canonical, signed) =
            canonical_request("POST", "/a b", "", &headers, Payload::Bytes(b"{}"));
        assert_eq!(signed, "a;host;x-a;x-b");
        assert!(
            canonical.starts_with(
                "POST\n/a%20b\n\na:\nhost:h\nx-a:1,0\nx-b:2,3 4,1\n\na;host;x-a;x-b\n"
            ),
            "{canonical}"
        );
    }
}
