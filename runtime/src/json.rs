//! JSON text out: a writer that generated code drives directly (through [`crate::wire`]), the
//! counterpart of [`crate::reader`]. It writes what `serde_json`'s compact writer writes, byte for
//! byte, with a faster string escaper.
//!
//! Bodies are mostly strings (ids, names, keys), and `serde_json` looks at a string one byte at a
//! time: encoding a 60-item list response cost 58k instructions in its escaper alone. Here plain
//! runs are found eight bytes at a time and copied whole. Member names are written as literals the
//! generator escaped once, comma included. Floats go through `serde_json`, so numbers are written
//! exactly as it writes them.
//!
//! Objects and lists are written without tracking which item is first: every item is written
//! after a comma, and closing turns the first comma into the opening bracket (or writes `{}` /
//! `[]` when nothing was written).

use std::fmt;

/// Why a value could not be written (a union holding a member this version does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(String);

impl WriteError {
    pub fn custom(message: impl fmt::Display) -> Self {
        WriteError(message.to_string())
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

/// JSON text being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: Vec<u8>,
}

/// Where an object or list began; [`Writer::close`] needs it.
#[derive(Debug, Clone, Copy)]
#[must_use = "an object or list must be closed"]
pub struct Start(usize);

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            out: Vec::with_capacity(n),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Text written as it is: a member name the generator escaped (`,"Name":`), or punctuation.
    #[inline]
    pub fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// The separator before an item of a list or map.
    #[inline]
    pub fn comma(&mut self) {
        self.out.push(b',');
    }

    /// The separator between a map's key and its value.
    #[inline]
    pub fn colon(&mut self) {
        self.out.push(b':');
    }

    pub fn str(&mut self, s: &str) {
        write_str(&mut self.out, s);
    }

    pub fn bool(&mut self, v: bool) {
        self.raw(if v { "true" } else { "false" });
    }

    pub fn i64(&mut self, v: i64) {
        write_i64(&mut self.out, v);
    }

    /// A finite `f64`, as `serde_json` writes it (the wire rules write the others as strings).
    pub fn f64(&mut self, v: f64) {
        let _ = serde_json::to_writer(&mut self.out, &v);
    }

    /// A finite `f32`, as `serde_json` writes it.
    pub fn f32(&mut self, v: f32) {
        let _ = serde_json::to_writer(&mut self.out, &v);
    }

    /// Any serde value (a document), as `serde_json` writes it.
    pub fn serde<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        serde_json::to_writer(&mut self.out, v).map_err(WriteError::custom)
    }

    /// A document, as `serde_json` writes a `Value` (members in the map's order), without
    /// `serde_json`'s serializer: a client that never sends a document compiles none of it.
    pub fn document(&mut self, v: &crate::Document) {
        use crate::Document;
        match v {
            Document::Null => self.raw("null"),
            Document::Bool(b) => self.bool(*b),
            Document::Number(n) => {
                if let Some(i) = n.as_u64() {
                    write_u64(&mut self.out, i);
                } else if let Some(i) = n.as_i64() {
                    write_i64(&mut self.out, i);
                } else if let Some(f) = n.as_f64() {
                    // A `Value` holds only finite floats.
                    self.f64(f);
                }
            }
            Document::String(text) => self.str(text),
            Document::Array(items) => {
                let start = self.start();
                for item in items {
                    self.comma();
                    self.document(item);
                }
                self.close(start, b'[', b']');
            }
            Document::Object(members) => {
                let start = self.start();
                for (name, value) in members {
                    self.comma();
                    self.str(name);
                    self.colon();
                    self.document(value);
                }
                self.close(start, b'{', b'}');
            }
        }
    }

    /// Starts an object or a list: its items follow, each after a comma.
    #[inline]
    pub fn start(&self) -> Start {
        Start(self.out.len())
    }

    /// Ends an object (`{`, `}`) or a list (`[`, `]`) begun at `start`.
    #[inline]
    pub fn close(&mut self, start: Start, open: u8, close: u8) {
        match self.out.get_mut(start.0) {
            Some(first) => *first = open,
            None => self.out.push(open),
        }
        self.out.push(close);
    }
}

/// JSON's rules for the kinds of values: non-finite floats as the strings `"NaN"`, `"Infinity"`
/// and `"-Infinity"`; timestamps as epoch seconds (a fraction when the time has one) unless the
/// member's format says otherwise; blobs as base64.
impl crate::wire::Encode for Writer {
    type Start = Start;
    #[inline]
    fn begin_struct(&mut self) -> Start {
        self.start()
    }
    #[inline]
    fn key(&mut self, key: &'static str) {
        self.raw(key);
    }
    #[inline]
    fn end_struct(&mut self, start: Start) {
        self.close(start, b'{', b'}');
    }
    #[inline]
    fn begin_list(&mut self, _len: usize) -> Start {
        self.start()
    }
    #[inline]
    fn item(&mut self) {
        self.comma();
    }
    #[inline]
    fn end_list(&mut self, start: Start) {
        self.close(start, b'[', b']');
    }
    #[inline]
    fn begin_map(&mut self, _len: usize) -> Start {
        self.start()
    }
    #[inline]
    fn entry(&mut self) {
        self.comma();
    }
    #[inline]
    fn entry_value(&mut self) {
        self.colon();
    }
    #[inline]
    fn end_map(&mut self, start: Start) {
        self.close(start, b'{', b'}');
    }
    #[inline]
    fn string(&mut self, v: &str) {
        self.str(v);
    }
    fn boolean(&mut self, v: bool) {
        self.bool(v);
    }
    fn long(&mut self, v: i64) {
        self.i64(v);
    }
    fn float(&mut self, v: f32) {
        if v.is_finite() {
            self.f32(v);
        } else {
            self.raw(non_finite(f64::from(v)));
        }
    }
    fn double(&mut self, v: f64) {
        if v.is_finite() {
            self.f64(v);
        } else {
            self.raw(non_finite(v));
        }
    }
    fn timestamp(&mut self, v: &crate::DateTime, format: crate::protocol::rest::TimeFormat) {
        use crate::protocol::rest::TimeFormat;
        match format {
            TimeFormat::EpochSeconds if v.subsec_nanos() == 0 => self.i64(v.secs()),
            TimeFormat::EpochSeconds => self.f64(v.as_epoch_f64()),
            TimeFormat::DateTime => self.str(&v.to_iso8601()),
            TimeFormat::HttpDate => self.str(&v.to_http_date()),
        }
    }
    fn blob(&mut self, v: &[u8]) {
        self.str(&crate::blob::encode(v));
    }
    fn document(&mut self, v: &crate::Document) -> Result<(), WriteError> {
        Writer::document(self, v);
        Ok(())
    }
}

/// The JSON text of a float that is not finite.
fn non_finite(v: f64) -> &'static str {
    if v.is_nan() {
        "\"NaN\""
    } else if v > 0.0 {
        "\"Infinity\""
    } else {
        "\"-Infinity\""
    }
}

/// Which bytes need an escape, and how: `u` for `\u00XX`, else the letter after `\`.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Whether any of the eight bytes is a control character, `"` or `\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (below_space
        | has_zero(word ^ (ONES * u64::from(b'"')))
        | has_zero(word ^ (ONES * u64::from(b'\\'))))
        != 0
}

/// The next byte at or after `i` that needs an escape, looking at eight bytes at a time (the
/// last, short group padded with spaces).
fn next_escape(bytes: &[u8], mut i: usize) -> Option<usize> {
    let find = |from: usize, to: usize| (from..to).find(|&k| ESCAPE[usize::from(bytes[k])] != 0);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if needs_escape(word) {
            if let Some(k) = find(i, i + 8) {
                return Some(k);
            }
        }
        i += 8;
    }
    let tail = bytes.get(i..).unwrap_or_default();
    if tail.is_empty() {
        return None;
    }
    let mut padded = [b' '; 8];
    padded[..tail.len()].copy_from_slice(tail);
    if needs_escape(u64::from_le_bytes(padded)) {
        find(i, bytes.len())
    } else {
        None
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes it.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        out.extend_from_slice(&bytes[start..i]);
        let b = bytes[i];
        match ESCAPE[usize::from(b)] {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ]);
            }
            letter => out.extend_from_slice(&[b'\\', letter]),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn write_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    write_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same_as_serde_json(value: &serde_json::Value) {
        let mut w = Writer::default();
        w.document(value);
        let ours = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(ours, serde_json::to_string(value).unwrap());
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut all_bytes = String::new();
        for c in (0u8..0x80).map(char::from) {
            all_bytes.push(c);
        }
        for s in [
            "",
            "a",
            "plain ascii, longer than eight bytes",
            "\"quoted\"",
            "back\\slash",
            "tab\tnew\nline\r\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "héllo wörld ✓ 😀 and more than eight",
            "12345678\"",
            "1234567\"8",
            "\u{1}2345678123456789",
            all_bytes.as_str(),
        ] {
            same_as_serde_json(&json!(s));
            // Every split position, so the eight-byte steps meet the escapes everywhere.
            for i in (0..=s.len()).filter(|i| s.is_char_boundary(*i)) {
                same_as_serde_json(&json!(&s[i..]));
            }
        }
    }

    #[test]
    fn values_write_as_serde_json_does() {
        same_as_serde_json(&json!({
            "n": [0, 1, -1, i64::MIN, i64::MAX, u64::MAX, 1.5, -0.0, 1e300, 1700000000.123, 0.1],
            "b": [true, false, null],
            "nested": {"k": {"": []}, "e": {}, "l": [[], [{}], [[1]]]},
        }));
        same_as_serde_json(&json!([]));
        same_as_serde_json(&json!({}));
        let mut w = Writer::default();
        w.f32(1.1);
        assert_eq!(w.into_bytes(), serde_json::to_vec(&1.1f32).unwrap());
    }
}
