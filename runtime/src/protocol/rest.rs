//! What REST protocols share (restJson1 now, restXml later): an operation's method and URI
//! template, input members bound to path labels, the query string and headers, output members
//! read back from headers and the status code, and the text formats of values in those places.
//!
//! The rules are botocore's (`serialize.py` `BaseRestSerializer`, `parsers.py` `BaseRestParser`)
//! where they agree with Smithy's HTTP binding traits and the protocol tests; where botocore
//! differs, the Smithy rule is kept and the difference is named beside it.

use std::collections::BTreeMap;

use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use super::{EncodeError, Request};
use crate::reader::ReadError;
use crate::{Blob, DateTime};

/// A timestamp's text format in a label, query string or header (the member's `timestampFormat`,
/// else the place's default: ISO 8601 in labels and query strings, HTTP date in headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// `2019-12-16T23:48:18Z` (fractional seconds when the time has them).
    DateTime,
    /// `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// `1576540098` (fractional seconds when the time has them).
    EpochSeconds,
}

fn write_time(out: &mut String, t: &DateTime, format: TimeFormat) {
    match format {
        TimeFormat::DateTime => out.push_str(&t.to_iso8601()),
        TimeFormat::HttpDate => out.push_str(&t.to_http_date()),
        TimeFormat::EpochSeconds if t.subsec_nanos() == 0 => {
            out.push_str(&t.secs().to_string());
        }
        TimeFormat::EpochSeconds => f64::fmt_param(&t.as_epoch_f64(), out),
    }
}

/// A value that a label, query parameter or header carries as text.
pub trait Param {
    fn fmt_param(&self, out: &mut String);
}

impl Param for str {
    fn fmt_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Param for String {
    fn fmt_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Param for bool {
    fn fmt_param(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! int_params {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn fmt_param(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}
int_params!(i8, i16, i32, i64);

/// Floats as JSON writes them (`1.5`, `1e300`), and the three that are not numbers as `NaN`,
/// `Infinity` and `-Infinity`.
impl Param for f64 {
    fn fmt_param(&self, out: &mut String) {
        if self.is_nan() {
            out.push_str("NaN");
        } else if self.is_infinite() {
            out.push_str(if *self > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            let mut w = crate::json::Writer::default();
            w.f64(*self);
            out.push_str(std::str::from_utf8(&w.into_bytes()).unwrap_or_default());
        }
    }
}

impl Param for f32 {
    fn fmt_param(&self, out: &mut String) {
        if !self.is_finite() {
            return f64::from(*self).fmt_param(out);
        }
        let mut w = crate::json::Writer::default();
        w.f32(*self);
        out.push_str(std::str::from_utf8(&w.into_bytes()).unwrap_or_default());
    }
}

/// Base64, as blobs travel in headers and query strings.
impl Param for Blob {
    fn fmt_param(&self, out: &mut String) {
        out.push_str(&self.to_base64());
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn fmt_param(&self, out: &mut String) {
        (**self).fmt_param(out);
    }
}

fn text<T: Param + ?Sized>(v: &T) -> String {
    let mut s = String::new();
    v.fmt_param(&mut s);
    s
}

/// Percent-encodes `s` onto `out`: every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`),
/// and `/` too unless `keep_slash` (a greedy label keeps its slashes). Space is `%20`, never `+`.
fn push_encoded(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// A header list item: quoted (with `"` and `\` escaped) when it holds a comma or a quote, as
/// RFC 9110 lists need and botocore's `_escape_header_list_string` does, and when it is empty or
/// begins or ends with whitespace, which a reader would otherwise trim away (smithy-rs quotes
/// those too).
fn push_list_item(out: &mut String, item: &str) {
    let edged = item.is_empty() || item.starts_with([' ', '\t']) || item.ends_with([' ', '\t']);
    if edged || item.contains([',', '"']) {
        out.push('"');
        for c in item.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(item);
    }
}

/// Builds a REST request: the generated `encode` of each operation calls these in the order of
/// its URI template, then its query, header and body members.
#[derive(Debug)]
pub struct RequestBuilder {
    method: http::Method,
    path: String,
    /// Keys already set, literal and named: a query map's entry does not replace them.
    query_keys: Vec<String>,
    query: String,
    headers: HeaderMap,
}

impl RequestBuilder {
    pub fn new(method: &'static str) -> RequestBuilder {
        RequestBuilder {
            method: http::Method::from_bytes(method.as_bytes()).unwrap_or(http::Method::POST),
            path: String::with_capacity(64),
            query_keys: Vec::new(),
            query: String::new(),
            headers: super::request_headers(),
        }
    }

    /// Literal text of the URI's path, as the model writes it.
    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// A path label's value, percent-encoded (a greedy label keeps its `/`). An unset or empty
    /// value cannot make a URI: botocore would send `//`, Smithy clients refuse it, and so does
    /// this one.
    pub fn label<T: Param + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        greedy: bool,
    ) -> Result<(), EncodeError> {
        let v = value.map(text).unwrap_or_default();
        self.label_text(name, &v, greedy)
    }

    /// A timestamp path label.
    pub fn label_time(
        &mut self,
        name: &str,
        value: Option<&DateTime>,
        format: TimeFormat,
    ) -> Result<(), EncodeError> {
        let mut v = String::new();
        if let Some(t) = value {
            write_time(&mut v, t, format);
        }
        self.label_text(name, &v, false)
    }

    fn label_text(&mut self, name: &str, v: &str, greedy: bool) -> Result<(), EncodeError> {
        if v.is_empty() {
            return Err(EncodeError::new(format_args!(
                "path label {name} is not set or empty: the request URI needs it"
            )));
        }
        push_encoded(&mut self.path, v, greedy);
        Ok(())
    }

    fn push_query(&mut self, key: &str, value: Option<&str>) {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        push_encoded(&mut self.query, key, false);
        if let Some(v) = value {
            self.query.push('=');
            push_encoded(&mut self.query, v, false);
        }
    }

    /// A literal query parameter of the URI template (`?mode=import`, `?delete`), as written.
    pub fn query_literal(&mut self, key: &str, value: Option<&str>) {
        self.query
            .push(if self.query.is_empty() { '?' } else { '&' });
        self.query.push_str(key);
        if let Some(v) = value {
            self.query.push('=');
            self.query.push_str(v);
        }
        self.query_keys.push(key.to_owned());
    }

    /// A query parameter, when set (an empty string is `Key=`). Its key is the member's, set or
    /// not: a query map's entry never takes it (as smithy-rs protects every named key).
    pub fn query<T: Param + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.push_query(key, Some(&text(v)));
        }
        self.query_keys.push(key.to_owned());
    }

    pub fn query_time(&mut self, key: &str, value: Option<&DateTime>, format: TimeFormat) {
        if let Some(t) = value {
            let mut v = String::new();
            write_time(&mut v, t, format);
            self.push_query(key, Some(&v));
        }
        self.query_keys.push(key.to_owned());
    }

    /// A list in the query string: the key once per item (an empty list writes nothing).
    pub fn query_each<I>(&mut self, key: &str, items: I)
    where
        I: IntoIterator,
        I::Item: Param,
    {
        for item in items {
            self.push_query(key, Some(&text(&item)));
        }
        self.query_keys.push(key.to_owned());
    }

    pub fn query_each_time<'a, I>(&mut self, key: &str, items: I, format: TimeFormat)
    where
        I: IntoIterator<Item = &'a DateTime>,
    {
        for t in items {
            let mut v = String::new();
            write_time(&mut v, t, format);
            self.push_query(key, Some(&v));
        }
        self.query_keys.push(key.to_owned());
    }

    /// A map of query parameters (`querystring` without a name), called after every named one
    /// (the generated `encode` binds maps last): a key that a named member or the URI template
    /// has is left to them, as Smithy's `httpQueryParams` says (botocore lets the map's entry win).
    pub fn query_map<'a, I, V>(&mut self, entries: I)
    where
        I: IntoIterator<Item = (&'a String, &'a V)>,
        V: QueryValues + 'a,
    {
        for (k, v) in entries {
            if self.query_keys.iter().any(|q| q == k) {
                continue;
            }
            v.each(&mut |item| self.push_query(k, Some(item)));
        }
    }

    fn set_header(&mut self, name: &str, value: String) -> Result<(), EncodeError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| EncodeError::new(format_args!("{name:?} is not a valid header name")))?;
        let value = HeaderValue::from_str(&value).map_err(|_| {
            EncodeError::new(format_args!(
                "the value of header {name} is not a valid header value (line breaks or control characters)"
            ))
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// A header, when set (an empty string is sent as an empty header).
    pub fn header<T: Param + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), EncodeError> {
        match value {
            Some(v) => self.set_header(name, text(v)),
            None => Ok(()),
        }
    }

    pub fn header_time(
        &mut self,
        name: &str,
        value: Option<&DateTime>,
        format: TimeFormat,
    ) -> Result<(), EncodeError> {
        match value {
            Some(t) => {
                let mut v = String::new();
                write_time(&mut v, t, format);
                self.set_header(name, v)
            }
            None => Ok(()),
        }
    }

    /// A list in a header: its items joined by `, `, strings quoted where they hold a comma or a
    /// quote. A set but empty list is an empty header (Smithy's protocol tests; botocore sends
    /// none).
    pub fn header_each<I>(&mut self, name: &str, items: Option<I>) -> Result<(), EncodeError>
    where
        I: IntoIterator,
        I::Item: Param,
    {
        let Some(items) = items else { return Ok(()) };
        let mut v = String::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                v.push_str(", ");
            }
            push_list_item(&mut v, &text(&item));
        }
        self.set_header(name, v)
    }

    /// A list of timestamps in a header: never quoted, though an HTTP date holds a comma
    /// (readers split such lists on every second comma).
    pub fn header_each_time<'a, I>(
        &mut self,
        name: &str,
        items: Option<I>,
        format: TimeFormat,
    ) -> Result<(), EncodeError>
    where
        I: IntoIterator<Item = &'a DateTime>,
    {
        let Some(items) = items else { return Ok(()) };
        let mut v = String::new();
        for (i, t) in items.into_iter().enumerate() {
            if i > 0 {
                v.push_str(", ");
            }
            write_time(&mut v, t, format);
        }
        self.set_header(name, v)
    }

    /// A `jsonvalue` header: the member's JSON text, base64-encoded.
    pub fn header_json(&mut self, name: &str, value: Option<&str>) -> Result<(), EncodeError> {
        match value {
            Some(json) => self.set_header(name, crate::blob::encode(json.as_bytes())),
            None => Ok(()),
        }
    }

    /// A map of headers named `prefix` + key (`headers`), called after every named header (the
    /// generated `encode` binds maps last): a header a member sets is left to it, as Smithy's
    /// `httpPrefixHeaders` says.
    pub fn prefix_headers<'a, I>(
        &mut self,
        prefix: &str,
        entries: Option<I>,
    ) -> Result<(), EncodeError>
    where
        I: IntoIterator<Item = (&'a String, &'a String)>,
    {
        for (k, v) in entries.into_iter().flatten() {
            let name = format!("{prefix}{k}");
            if self
                .headers
                .contains_key(name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            self.set_header(&name, v.clone())?;
        }
        Ok(())
    }

    /// The finished request with `body`; `content_type` unless a member set one.
    pub fn finish(mut self, body: bytes::Bytes, content_type: Option<&'static str>) -> Request {
        if let Some(ct) = content_type {
            if !self.headers.contains_key(CONTENT_TYPE) {
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static(ct));
            }
        }
        // A request with a body says its length; so does one without, but for GET, HEAD and
        // OPTIONS, as botocore's `AWSRequestPreparer._prepare_headers` sends it
        // (`Content-Length: 0`).
        if !body.is_empty()
            || !matches!(
                self.method,
                http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
            )
        {
            self.headers
                .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        }
        if self.path.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(&self.query);
        Request {
            method: self.method,
            path: self.path.into(),
            headers: self.headers,
            body,
        }
    }
}

/// The values of one query map entry: a string, or a list of them (the key repeated).
pub trait QueryValues {
    fn each(&self, f: &mut dyn FnMut(&str));
}

impl QueryValues for String {
    fn each(&self, f: &mut dyn FnMut(&str)) {
        f(self)
    }
}

impl QueryValues for Vec<String> {
    fn each(&self, f: &mut dyn FnMut(&str)) {
        for v in self {
            f(v)
        }
    }
}

// ---- Responses (and, for a server, requests): values read back from their text.

/// A value read from a header's (or label's, or query parameter's) text.
pub trait FromParam: Sized {
    fn from_param(s: &str) -> Result<Self, String>;
}

impl FromParam for String {
    fn from_param(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

impl FromParam for bool {
    fn from_param(s: &str) -> Result<Self, String> {
        match s {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("{s:?} is not a boolean")),
        }
    }
}

macro_rules! int_from_params {
    ($($t:ty),*) => {$(
        impl FromParam for $t {
            fn from_param(s: &str) -> Result<Self, String> {
                s.parse().map_err(|_| format!("{s:?} is not an integer of this range"))
            }
        }
    )*};
}
int_from_params!(i8, i16, i32, i64);

impl FromParam for f64 {
    fn from_param(s: &str) -> Result<Self, String> {
        match s {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => s.parse().map_err(|_| format!("{s:?} is not a number")),
        }
    }
}

impl FromParam for f32 {
    fn from_param(s: &str) -> Result<Self, String> {
        f64::from_param(s).map(|v| v as f32)
    }
}

impl FromParam for Blob {
    fn from_param(s: &str) -> Result<Self, String> {
        Blob::from_base64(s).map_err(|e| e.to_string())
    }
}

/// A timestamp in any of the three formats (epoch seconds, ISO 8601, HTTP date), whatever the
/// member's format says, as botocore's `parse_timestamp` reads them.
pub fn time_from_param(s: &str) -> Result<DateTime, String> {
    DateTime::parse_any(s.trim()).map_err(|e| e.to_string())
}

/// A header value's text: UTF-8 (`HeaderValue::to_str` would refuse anything but visible
/// ASCII, and servers send UTF-8 in headers that carry user data).
fn value_text<'h>(name: &str, value: &'h HeaderValue) -> Result<&'h str, ReadError> {
    std::str::from_utf8(value.as_bytes())
        .map_err(|_| ReadError::custom(format_args!("header {name} is not UTF-8 text")))
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ReadError> {
    headers.get(name).map(|v| value_text(name, v)).transpose()
}

fn bad_header(name: &str, why: String) -> ReadError {
    ReadError::custom(format_args!("header {name}: {why}"))
}

/// A header's value, when the response has it.
pub fn header<T: FromParam>(headers: &HeaderMap, name: &str) -> Result<Option<T>, ReadError> {
    header_text(headers, name)?
        .map(|s| T::from_param(s.trim()).map_err(|e| bad_header(name, e)))
        .transpose()
}

pub fn header_time(headers: &HeaderMap, name: &str) -> Result<Option<DateTime>, ReadError> {
    header_text(headers, name)?
        .map(|s| time_from_param(s).map_err(|e| bad_header(name, e)))
        .transpose()
}

/// A `jsonvalue` header: base64-decoded JSON text.
pub fn header_json(headers: &HeaderMap, name: &str) -> Result<Option<String>, ReadError> {
    header_text(headers, name)?
        .map(|s| {
            crate::blob::decode(s.trim())
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
                .map_err(|e| bad_header(name, e))
        })
        .transpose()
}

/// The items of a comma-separated header (every value of the header, in order): quoted items
/// lose their quotes and escapes, the rest their surrounding spaces (RFC 9110 lists; botocore
/// splits on every comma, which breaks quoted items).
pub fn split_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    // An empty header is an empty list (how an empty list is sent).
    if value.trim().is_empty() {
        return out;
    }
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Up to the next comma.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            out.push(item);
            if chars.peek().is_none() {
                break;
            }
            continue;
        }
        let mut ended = true;
        for c in chars.by_ref() {
            if c == ',' {
                ended = false;
                break;
            }
            item.push(c);
        }
        out.push(item.trim().to_owned());
        if ended {
            break;
        }
    }
    out
}

/// A list header's items (every line of the header joined).
pub fn header_list<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<Vec<T>>, ReadError> {
    let mut items: Option<Vec<T>> = None;
    for v in headers.get_all(name) {
        let s = value_text(name, v)?;
        let list = items.get_or_insert_with(Vec::new);
        for item in split_list(s) {
            list.push(T::from_param(&item).map_err(|e| bad_header(name, e))?);
        }
    }
    Ok(items)
}

/// A list header of timestamps. HTTP dates hold a comma of their own (`Mon, 16 Dec 2019 ...`),
/// so such a list is split on every second comma.
pub fn header_time_list(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<Vec<DateTime>>, ReadError> {
    let mut items: Option<Vec<DateTime>> = None;
    for v in headers.get_all(name) {
        let s = value_text(name, v)?;
        let parts = split_list(s);
        let list = items.get_or_insert_with(Vec::new);
        let http_dates = parts
            .first()
            .is_some_and(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_alphabetic()));
        if http_dates {
            for pair in parts.chunks(2) {
                let joined = pair.join(", ");
                list.push(time_from_param(&joined).map_err(|e| bad_header(name, e))?);
            }
        } else {
            for p in parts {
                list.push(time_from_param(&p).map_err(|e| bad_header(name, e))?);
            }
        }
    }
    Ok(items)
}

/// The headers whose name starts with `prefix` (any case), by the rest of their name; an empty
/// prefix takes every header. `None` when there is none.
pub fn prefix_headers(
    headers: &HeaderMap,
    prefix: &str,
) -> Result<Option<BTreeMap<String, String>>, ReadError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
            out.insert(
                rest.to_owned(),
                value_text(name.as_str(), value)?.to_owned(),
            );
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_query_are_percent_encoded() {
        let mut b = RequestBuilder::new("GET");
        b.literal("/a/");
        b.label("L", Some(" %:/?#[]@!$&'()*+,;=😹"), false).unwrap();
        b.literal("/");
        b.label("G", Some("there/guy"), true).unwrap();
        b.query_literal("mode", Some("import"));
        b.query("q", Some("a b/c"));
        b.query_each("l", ["x", "y"]);
        let req = b.finish(bytes::Bytes::new(), None);
        assert_eq!(
            req.path,
            "/a/%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9/there/guy?mode=import&q=a%20b%2Fc&l=x&l=y"
        );
        assert!(
            !req.headers.contains_key(CONTENT_LENGTH),
            "a GET without a body"
        );
        let mut b = RequestBuilder::new("GET");
        assert!(b.label::<str>("L", Some(""), false).is_err());
        assert!(b.label::<str>("L", None, false).is_err());
    }

    #[test]
    fn named_query_parameters_win_over_the_map() {
        let mut b = RequestBuilder::new("POST");
        b.query("bar", Some("named"));
        b.query::<str>("unset", None);
        let map = BTreeMap::from([
            ("bar".to_owned(), "fromMap".to_owned()),
            ("qux".to_owned(), "alsoFromMap".to_owned()),
            ("unset".to_owned(), "fromMap".to_owned()),
        ]);
        b.query_map(&map);
        let req = b.finish(bytes::Bytes::new(), None);
        assert_eq!(req.path, "/?bar=named&qux=alsoFromMap");
        assert_eq!(req.headers[CONTENT_LENGTH], "0");
        let req = RequestBuilder::new("DELETE").finish(bytes::Bytes::new(), None);
        assert_eq!(
            req.headers[CONTENT_LENGTH], "0",
            "as botocore sends a DELETE"
        );
    }

    #[test]
    fn header_lists_quote_and_split() {
        let mut b = RequestBuilder::new("GET");
        b.header_each("x-l", Some(["b,c", "\"def\"", "a"])).unwrap();
        let req = b.finish(bytes::Bytes::new(), None);
        assert_eq!(req.headers["x-l"], r#""b,c", "\"def\"", a"#);
        assert_eq!(
            split_list(r#""b,c", "\"def\"", a"#),
            ["b,c", "\"def\"", "a"]
        );
        assert_eq!(split_list("a, b ,c"), ["a", "b", "c"]);
        assert!(split_list("").is_empty() && split_list("  ").is_empty());
        // Items a reader would trim or lose are quoted, and come back whole.
        let mut b = RequestBuilder::new("GET");
        b.header_each("x-e", Some(["", " a", "b "])).unwrap();
        let req = b.finish(bytes::Bytes::new(), None);
        let sent = req.headers["x-e"].to_str().unwrap();
        assert_eq!(sent, r#""", " a", "b ""#);
        assert_eq!(split_list(sent), ["", " a", "b "]);
        let mut h = HeaderMap::new();
        h.insert("x-u", HeaderValue::from_bytes("café".as_bytes()).unwrap());
        assert_eq!(
            header::<String>(&h, "x-u").unwrap().as_deref(),
            Some("café")
        );
        let mut h = HeaderMap::new();
        h.insert(
            "x-t",
            HeaderValue::from_static(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
            ),
        );
        let t = header_time_list(&h, "x-t").unwrap().unwrap();
        assert_eq!(t, vec![DateTime::from_secs(1576540098); 2]);
    }
}
