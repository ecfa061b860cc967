//! CBOR (RFC 8949) in and out: the body format of Smithy RPC v2 CBOR, with that protocol's rules
//! for the kinds of values. Timestamps are epoch seconds under tag 1, blobs are byte strings,
//! and a member's `timestampFormat` is ignored.
//!
//! Written as botocore writes it (every map and list with its length up front, a structure's
//! length filled in when it ends; every integer in its shortest head), with two choices where
//! Smithy's spec and the official SDK's encoder say otherwise (docs/rest-json-and-cbor.md §3.2):
//! a timestamp is always a double (`c1 fb ..`, milliseconds kept; botocore writes whole seconds),
//! and a float that is not finite keeps its member's width (Smithy: no half floats on the wire;
//! botocore writes `f9 7e00`). Read as the protocol
//! requires: definite and indefinite lengths alike (strings in chunks too), any width of integer
//! and float, `null` and `undefined` as absent, tags other than a timestamp's skipped, nesting
//! deeper than 128 refused. The generated types drive both directions through
//! [`crate::wire::Wire`], as they drive JSON; there is no intermediate value.
//!
//! Why not a crate: reading member names in place against the model's list (the JSON reader's
//! fast path, [`crate::reader::Names`]) needs the decoder's position and bytes at every step, and
//! the format is small. The tests below hold both directions to RFC 8949's appendix A.

use std::borrow::Cow;
use std::fmt;

use crate::json::WriteError;
use crate::protocol::rest::TimeFormat;
use crate::reader::{Names, ReadError};
use crate::wire::{Decode, Encode, Wire};
use crate::{Blob, DateTime, Document};

const MAX_DEPTH: u32 = 128;

const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;
const SIMPLE: u8 = 7;

const FALSE: u8 = 0xf4;
const TRUE: u8 = 0xf5;
const NULL: u8 = 0xf6;
const UNDEFINED: u8 = 0xf7;
const BREAK: u8 = 0xff;
/// Tag 1: epoch-based date/time.
const EPOCH: u64 = 1;

/// Writes `v` as CBOR.
pub fn to_vec<T: Wire>(v: &T) -> Result<Vec<u8>, WriteError> {
    let mut w = Writer::default();
    v.write(&mut w)?;
    Ok(w.into_bytes())
}

/// Reads one `T` from `body` (nothing may follow it); an empty body reads as an empty map.
pub fn from_slice<T: Wire>(body: &[u8]) -> Result<T, ReadError> {
    let body: &[u8] = if body.is_empty() { &[0xa0] } else { body };
    let mut r = Reader::new(body);
    let v = T::read(&mut r)?;
    if r.pos != body.len() {
        return Err(r.error("trailing bytes after the value"));
    }
    Ok(v)
}

/// CBOR being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: Vec<u8>,
    /// Members written so far in the innermost structure.
    members: u64,
}

/// Where a structure began, and the member count of the one around it.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    at: usize,
    outer: u64,
}

impl Writer {
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    fn head(&mut self, major: u8, n: u64) {
        let m = major << 5;
        match n {
            0..=23 => self.out.push(m | n as u8),
            24..=0xff => self.out.extend_from_slice(&[m | 24, n as u8]),
            0x100..=0xffff => {
                self.out.push(m | 25);
                self.out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                self.out.push(m | 26);
                self.out.extend_from_slice(&(n as u32).to_be_bytes());
            }
            _ => {
                self.out.push(m | 27);
                self.out.extend_from_slice(&n.to_be_bytes());
            }
        }
    }

    fn text(&mut self, v: &str) {
        self.head(TEXT, v.len() as u64);
        self.out.extend_from_slice(v.as_bytes());
    }
}

/// The member name in a key the generator wrote for JSON (`,"Name":`).
fn key_name(key: &str) -> Cow<'_, str> {
    let quoted = key.trim_start_matches(',').trim_end_matches(':');
    let inner = quoted
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(quoted);
    if inner.contains('\\') {
        if let Ok(name) = serde_json::from_str::<String>(quoted) {
            return Cow::Owned(name);
        }
    }
    Cow::Borrowed(inner)
}

impl Encode for Writer {
    type Start = Start;
    fn begin_struct(&mut self) -> Start {
        let start = Start {
            at: self.out.len(),
            outer: self.members,
        };
        // A map of no members yet; `end_struct` puts the count in.
        self.out.push(MAP << 5);
        self.members = 0;
        start
    }
    fn key(&mut self, key: &'static str) {
        self.members += 1;
        self.text(&key_name(key));
    }
    fn end_struct(&mut self, start: Start) {
        let n = self.members;
        self.members = start.outer;
        if n < 24 {
            self.out[start.at] = (MAP << 5) | n as u8;
        } else {
            // A longer head: written apart and put in place of the one-byte one.
            let mut head = Writer::default();
            head.head(MAP, n);
            self.out.splice(start.at..start.at + 1, head.out);
        }
    }
    fn begin_list(&mut self, len: usize) -> Start {
        self.head(ARRAY, len as u64);
        Start {
            at: self.out.len(),
            outer: self.members,
        }
    }
    fn item(&mut self) {}
    fn end_list(&mut self, _start: Start) {}
    fn begin_map(&mut self, len: usize) -> Start {
        self.head(MAP, len as u64);
        Start {
            at: self.out.len(),
            outer: self.members,
        }
    }
    fn entry(&mut self) {}
    fn entry_value(&mut self) {}
    fn end_map(&mut self, _start: Start) {}
    fn string(&mut self, v: &str) {
        self.text(v);
    }
    fn boolean(&mut self, v: bool) {
        self.out.push(if v { TRUE } else { FALSE });
    }
    fn long(&mut self, v: i64) {
        if v >= 0 {
            self.head(UNSIGNED, v as u64);
        } else {
            // -1 - v, which is !v in two's complement.
            self.head(NEGATIVE, !v as u64);
        }
    }
    fn float(&mut self, v: f32) {
        // NaN as the one quiet NaN, whatever payload it carried.
        let v = if v.is_nan() { f32::NAN } else { v };
        self.out.push(0xfa);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    fn double(&mut self, v: f64) {
        let v = if v.is_nan() { f64::NAN } else { v };
        self.out.push(0xfb);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    fn timestamp(&mut self, v: &DateTime, _format: TimeFormat) {
        self.head(TAG, EPOCH);
        self.double(v.as_epoch_f64());
    }
    fn blob(&mut self, v: &[u8]) {
        self.head(BYTES, v.len() as u64);
        self.out.extend_from_slice(v);
    }
    fn document(&mut self, v: &Document) -> Result<(), WriteError> {
        match v {
            Document::Null => self.out.push(NULL),
            Document::Bool(b) => self.boolean(*b),
            Document::Number(n) => {
                if let Some(i) = n.as_u64() {
                    self.head(UNSIGNED, i);
                } else if let Some(i) = n.as_i64() {
                    self.long(i);
                } else if let Some(f) = n.as_f64() {
                    self.double(f);
                }
            }
            Document::String(s) => self.text(s),
            Document::Array(items) => {
                self.head(ARRAY, items.len() as u64);
                for item in items {
                    self.document(item)?;
                }
            }
            Document::Object(members) => {
                self.head(MAP, members.len() as u64);
                for (k, item) in members {
                    self.text(k);
                    self.document(item)?;
                }
            }
        }
        Ok(())
    }
}

/// A position in a CBOR body.
pub struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    depth: u32,
}

/// The entries of a map being read: how many are left, or `None` until a break (indefinite).
pub struct Members {
    left: Option<u64>,
}

/// The items of an array being read, as [`Members`].
pub struct Items {
    left: Option<u64>,
}

/// A data item's first byte and argument.
#[derive(Clone, Copy)]
struct Head {
    major: u8,
    info: u8,
    /// The argument; unused when `info` is 31 (an indefinite length or a break).
    arg: u64,
}

impl Head {
    fn indefinite(self) -> bool {
        self.info == 31
    }
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Reader<'a> {
        Reader {
            b,
            pos: 0,
            depth: 0,
        }
    }

    /// The byte offset reached.
    pub fn position(&self) -> usize {
        self.pos
    }

    #[cold]
    fn err(&self, message: impl fmt::Display) -> ReadError {
        ReadError::custom(format_args!("{message} at byte {}", self.pos))
    }

    fn peek(&self) -> Result<u8, ReadError> {
        self.b
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.err("end of body while reading a value"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| self.err("end of body inside a value"))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn head(&mut self) -> Result<Head, ReadError> {
        let first = self.peek()?;
        let (major, info) = (first >> 5, first & 0x1f);
        let at = self.pos;
        self.pos += 1;
        let arg = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.take(1)?[0]),
            25 => u64::from(u16::from_be_bytes(
                self.take(2)?.try_into().unwrap_or_default(),
            )),
            26 => u64::from(u32::from_be_bytes(
                self.take(4)?.try_into().unwrap_or_default(),
            )),
            27 => u64::from_be_bytes(self.take(8)?.try_into().unwrap_or_default()),
            31 if matches!(major, BYTES | TEXT | ARRAY | MAP | SIMPLE) => 0,
            _ => {
                self.pos = at;
                return Err(self.err(format_args!("malformed data item 0x{first:02x}")));
            }
        };
        // A simple value of one extra byte below 32 is not well-formed (RFC 8949 §3.3).
        if major == SIMPLE && info == 24 && arg < 32 {
            self.pos = at;
            return Err(self.err(format_args!("malformed simple value {arg}")));
        }
        Ok(Head { major, info, arg })
    }

    /// The next head, past any tags before it.
    fn untagged_head(&mut self) -> Result<Head, ReadError> {
        loop {
            let h = self.head()?;
            if h.major != TAG {
                return Ok(h);
            }
        }
    }

    fn unexpected(&mut self, at: usize, h: Head, expected: &str) -> ReadError {
        self.pos = at;
        let found = match (h.major, h.info) {
            (UNSIGNED | NEGATIVE, _) => "an integer",
            (BYTES, _) => "a byte string",
            (TEXT, _) => "a text string",
            (ARRAY, _) => "an array",
            (MAP, _) => "a map",
            (SIMPLE, 20 | 21) => "a boolean",
            (SIMPLE, 22 | 23) => "null",
            (SIMPLE, 25..=27) => "a float",
            (SIMPLE, 31) => "a break",
            _ => "a simple value",
        };
        self.err(format_args!("expected {expected}, found {found}"))
    }

    fn enter(&mut self) -> Result<(), ReadError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        Ok(())
    }

    /// A length that must fit in the rest of the body.
    fn len(&self, n: u64) -> Result<usize, ReadError> {
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.b.len() - self.pos)
            .ok_or_else(|| self.err("length beyond the end of the body"))
    }

    /// A byte or text string of major type `major`, whole or in chunks.
    fn chunks(&mut self, h: Head, major: u8) -> Result<Cow<'a, [u8]>, ReadError> {
        if !h.indefinite() {
            let n = self.len(h.arg)?;
            return self.take(n).map(Cow::Borrowed);
        }
        let mut out = Vec::new();
        loop {
            if self.peek()? == BREAK {
                self.pos += 1;
                return Ok(Cow::Owned(out));
            }
            let at = self.pos;
            let c = self.head()?;
            if c.major != major || c.indefinite() {
                return Err(self.unexpected(at, c, "a definite chunk of the same string"));
            }
            let n = self.len(c.arg)?;
            let chunk = self.take(n)?;
            // Each chunk of a text string is whole UTF-8 on its own (RFC 8949 §3.2.3).
            if major == TEXT && std::str::from_utf8(chunk).is_err() {
                self.pos = at;
                return Err(self.err("invalid UTF-8 in a text string chunk"));
            }
            out.extend_from_slice(chunk);
        }
    }

    fn text_of(&mut self, h: Head) -> Result<Cow<'a, str>, ReadError> {
        let at = self.pos;
        match self.chunks(h, TEXT)? {
            Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed).map_err(|_| {
                self.pos = at;
                self.err("invalid UTF-8 in a text string")
            }),
            Cow::Owned(b) => String::from_utf8(b).map(Cow::Owned).map_err(|_| {
                self.pos = at;
                self.err("invalid UTF-8 in a text string")
            }),
        }
    }

    fn number_of(&mut self, at: usize, h: Head) -> Result<f64, ReadError> {
        match (h.major, h.info) {
            (UNSIGNED, _) => Ok(h.arg as f64),
            (NEGATIVE, _) => Ok(-1.0 - h.arg as f64),
            (SIMPLE, 25) => Ok(f16_to_f64(h.arg as u16)),
            (SIMPLE, 26) => Ok(f64::from(f32::from_bits(h.arg as u32))),
            (SIMPLE, 27) => Ok(f64::from_bits(h.arg)),
            _ => Err(self.unexpected(at, h, "a number")),
        }
    }

    fn next_of(&mut self, left: &mut Option<u64>) -> Result<bool, ReadError> {
        match left {
            Some(0) => {
                self.depth -= 1;
                Ok(false)
            }
            Some(n) => {
                *n -= 1;
                Ok(true)
            }
            None if self.peek()? == BREAK => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            None => Ok(true),
        }
    }

    fn container(&mut self, major: u8, expected: &str) -> Result<Option<u64>, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        if h.major != major {
            return Err(self.unexpected(at, h, expected));
        }
        self.enter()?;
        Ok((!h.indefinite()).then_some(h.arg))
    }
}

/// A half float's value.
fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let mantissa = f64::from(h & 0x3ff);
    match exp {
        0 => sign * mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        _ => sign * (1.0 + mantissa / 1024.0) * 2f64.powi(exp - 15),
    }
}

impl<'a> Decode<'a> for Reader<'a> {
    type Members = Members;
    type Items = Items;

    fn error(&self, message: impl fmt::Display) -> ReadError {
        self.err(message)
    }

    fn null(&mut self) -> bool {
        match self.b.get(self.pos) {
            Some(&(NULL | UNDEFINED)) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn object(&mut self) -> Result<Members, ReadError> {
        let left = self.container(MAP, "a map")?;
        Ok(Members { left })
    }

    fn next_index(
        &mut self,
        members: &mut Members,
        names: &Names,
        next: &mut usize,
    ) -> Result<Option<usize>, ReadError> {
        if !self.next_of(&mut members.left)? {
            return Ok(None);
        }
        // The expected name, compared in place when its head is one byte (names under 24
        // bytes) or two.
        if let Some(name) = names.names.get(*next) {
            let n = name.len();
            let rest = &self.b[self.pos..];
            let head_len = match n {
                0..=23 if rest.first() == Some(&(0x60 | n as u8)) => 1,
                24..=255 if rest.first() == Some(&0x78) && rest.get(1) == Some(&(n as u8)) => 2,
                _ => 0,
            };
            if head_len > 0 && rest.get(head_len..head_len + n) == Some(name.as_bytes()) {
                self.pos += head_len + n;
                let i = *next;
                *next += 1;
                return Ok(Some(i));
            }
        }
        let key = Decode::str(self)?;
        Ok(Some(names.index_of(&key, next)))
    }

    fn next_key(&mut self, members: &mut Members) -> Result<Option<Cow<'a, str>>, ReadError> {
        if !self.next_of(&mut members.left)? {
            return Ok(None);
        }
        Decode::str(self).map(Some)
    }

    fn next_entry(&mut self, members: &mut Members) -> Result<bool, ReadError> {
        self.next_of(&mut members.left)
    }

    fn entry_value(&mut self) -> Result<(), ReadError> {
        Ok(())
    }

    fn array(&mut self) -> Result<Items, ReadError> {
        let left = self.container(ARRAY, "an array")?;
        Ok(Items { left })
    }

    fn next_item(&mut self, items: &mut Items) -> Result<bool, ReadError> {
        self.next_of(&mut items.left)
    }

    fn skip(&mut self) -> Result<(), ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        match h.major {
            UNSIGNED | NEGATIVE => Ok(()),
            BYTES | TEXT => self.chunks(h, h.major).map(drop),
            ARRAY | MAP => {
                self.enter()?;
                let mut left = (!h.indefinite()).then_some(h.arg);
                let per_entry = if h.major == MAP { 2 } else { 1 };
                while self.next_of(&mut left)? {
                    for _ in 0..per_entry {
                        self.skip()?;
                    }
                }
                Ok(())
            }
            _ if h.indefinite() => Err(self.unexpected(at, h, "a value")),
            _ => Ok(()),
        }
    }

    /// A text string; on any error the reader is left at its head, so a caller that recovers
    /// (error metadata) can skip the whole item.
    fn str(&mut self) -> Result<Cow<'a, str>, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        if h.major != TEXT {
            return Err(self.unexpected(at, h, "a text string"));
        }
        self.text_of(h).inspect_err(|_| self.pos = at)
    }

    fn boolean(&mut self) -> Result<bool, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        match (h.major, h.info) {
            (SIMPLE, 20) => Ok(false),
            (SIMPLE, 21) => Ok(true),
            _ => Err(self.unexpected(at, h, "a boolean")),
        }
    }

    fn long(&mut self) -> Result<i64, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        let v = match (h.major, h.info) {
            (UNSIGNED, _) => i64::try_from(h.arg).ok(),
            (NEGATIVE, _) => i64::try_from(h.arg).ok().map(|v| -1 - v),
            // Any numeric form for any numeric member (botocore; Smithy's upcasting cases): a
            // float with a whole value in range.
            (SIMPLE, 25..=27) => {
                let f = self.number_of(at, h)?;
                let whole = f.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f);
                whole.then_some(f as i64)
            }
            _ => return Err(self.unexpected(at, h, "an integer")),
        };
        v.ok_or_else(|| {
            self.pos = at;
            self.err("integer out of range")
        })
    }

    fn double(&mut self) -> Result<f64, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        self.number_of(at, h)
    }

    fn timestamp(&mut self) -> Result<DateTime, ReadError> {
        let at = self.pos;
        // Tag 1 (epoch seconds) or none; other tags are skipped, as for every other kind.
        let h = self.untagged_head()?;
        let v = match (h.major, h.info) {
            (UNSIGNED, _) => i64::try_from(h.arg).ok().map(DateTime::from_secs),
            (NEGATIVE, _) => i64::try_from(h.arg)
                .ok()
                .map(|v| DateTime::from_secs(-1 - v)),
            _ => DateTime::from_epoch_f64(self.number_of(at, h)?).ok(),
        };
        v.ok_or_else(|| {
            self.pos = at;
            self.err("timestamp out of range")
        })
    }

    fn blob(&mut self) -> Result<Blob, ReadError> {
        let at = self.pos;
        let h = self.untagged_head()?;
        if h.major != BYTES {
            return Err(self.unexpected(at, h, "a byte string"));
        }
        Ok(Blob::new(self.chunks(h, BYTES)?.into_owned()))
    }

    fn document(&mut self) -> Result<Document, ReadError> {
        let at = self.pos;
        if self.null() {
            return Ok(Document::Null);
        }
        let h = self.untagged_head()?;
        match (h.major, h.info) {
            (UNSIGNED, _) => Ok(Document::from(h.arg)),
            (NEGATIVE, _) => match i64::try_from(h.arg) {
                Ok(v) => Ok(Document::from(-1 - v)),
                Err(_) => Err(self.err("integer out of range")),
            },
            (TEXT, _) => Ok(Document::String(self.text_of(h)?.into_owned())),
            (BYTES, _) => Ok(Document::String(crate::blob::encode(
                &self.chunks(h, BYTES)?,
            ))),
            (ARRAY, _) => {
                self.enter()?;
                let mut left = (!h.indefinite()).then_some(h.arg);
                let mut items = Vec::new();
                while self.next_of(&mut left)? {
                    items.push(self.document()?);
                }
                Ok(Document::Array(items))
            }
            (MAP, _) => {
                self.enter()?;
                let mut left = (!h.indefinite()).then_some(h.arg);
                let mut map = serde_json::Map::new();
                while self.next_of(&mut left)? {
                    let k = Decode::str(self)?.into_owned();
                    map.insert(k, self.document()?);
                }
                Ok(Document::Object(map))
            }
            (SIMPLE, 20) => Ok(Document::Bool(false)),
            (SIMPLE, 21) => Ok(Document::Bool(true)),
            (SIMPLE, 25..=27) => {
                let v = self.number_of(at, h)?;
                serde_json::Number::from_f64(v)
                    .map(Document::Number)
                    .ok_or_else(|| self.err("a document cannot hold a float that is not finite"))
            }
            _ => Err(self.unexpected(at, h, "a value")),
        }
    }
}

/// Rewrites a CBOR body as the JSON text the JSON protocols would carry for it (byte strings as
/// base64, tagged timestamps as epoch seconds, floats that are not finite as `"NaN"`,
/// `"Infinity"` and `"-Infinity"`, `undefined` as `null`): how the server checks a CBOR input
/// with the same validator as a JSON one. An empty body is `{}`.
pub fn to_json(body: &[u8]) -> Result<Vec<u8>, ReadError> {
    if body.is_empty() {
        return Ok(b"{}".to_vec());
    }
    let mut r = Reader::new(body);
    let mut w = crate::json::Writer::with_capacity(body.len() * 2);
    transcode(&mut r, &mut w)?;
    if r.pos != body.len() {
        return Err(r.error("trailing bytes after the value"));
    }
    Ok(w.into_bytes())
}

fn transcode(r: &mut Reader<'_>, w: &mut crate::json::Writer) -> Result<(), ReadError> {
    if r.null() {
        w.raw("null");
        return Ok(());
    }
    let at = r.pos;
    let mut h = r.head()?;
    let mut timestamp = false;
    while h.major == TAG {
        timestamp = h.arg == EPOCH;
        h = r.head()?;
    }
    match (h.major, h.info) {
        (UNSIGNED, _) => w.raw(&h.arg.to_string()),
        (NEGATIVE, _) => w.raw(&format!("-{}", u128::from(h.arg) + 1)),
        (TEXT, _) => w.str(&r.text_of(h)?),
        (BYTES, _) => w.str(&crate::blob::encode(&r.chunks(h, BYTES)?)),
        (ARRAY, _) => {
            r.enter()?;
            let mut left = (!h.indefinite()).then_some(h.arg);
            let start = w.start();
            while r.next_of(&mut left)? {
                w.comma();
                transcode(r, w)?;
            }
            w.close(start, b'[', b']');
        }
        (MAP, _) => {
            r.enter()?;
            let mut left = (!h.indefinite()).then_some(h.arg);
            let start = w.start();
            while r.next_of(&mut left)? {
                w.comma();
                let k = Decode::str(r)?;
                w.str(&k);
                w.colon();
                transcode(r, w)?;
            }
            w.close(start, b'{', b'}');
        }
        (SIMPLE, 20) => w.raw("false"),
        (SIMPLE, 21) => w.raw("true"),
        (SIMPLE, 25..=27) => {
            let v = r.number_of(at, h)?;
            // A whole float in `i64`'s range as an integer: CBOR lets any numeric form stand
            // for any numeric member, and JSON's validator takes `42` for a double but not
            // `42.0` for an integer.
            if v.fract() == 0.0
                && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&v)
            {
                w.i64(v as i64);
            } else if timestamp && v.is_finite() {
                w.f64(v);
            } else {
                Encode::double(w, v);
            }
        }
        _ => return Err(r.unexpected(at, h, "a value")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn enc<T: Wire>(v: &T) -> String {
        to_vec(v)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// RFC 8949 appendix A, the examples the protocol's kinds of values can hold.
    #[test]
    fn writes_the_rfc_examples() {
        assert_eq!(enc(&0i64), "00");
        assert_eq!(enc(&23i64), "17");
        assert_eq!(enc(&24i64), "1818");
        assert_eq!(enc(&1000i64), "1903e8");
        assert_eq!(enc(&1_000_000i64), "1a000f4240");
        assert_eq!(enc(&1_000_000_000_000i64), "1b000000e8d4a51000");
        assert_eq!(enc(&-1i64), "20");
        assert_eq!(enc(&-1000i64), "3903e7");
        assert_eq!(enc(&i64::MIN), "3b7fffffffffffffff");
        assert_eq!(enc(&1.1f64), "fb3ff199999999999a");
        assert_eq!(enc(&100000.0f32), "fa47c35000");
        assert_eq!(enc(&f64::INFINITY), "fb7ff0000000000000");
        assert_eq!(enc(&f64::NAN), "fb7ff8000000000000");
        assert_eq!(enc(&f32::NEG_INFINITY), "faff800000");
        assert_eq!(enc(&f32::NAN), "fa7fc00000");
        assert_eq!(enc(&true), "f5");
        assert_eq!(enc(&String::from("IETF")), "6449455446");
        assert_eq!(enc(&String::from("\u{6c34}")), "63e6b0b4");
        assert_eq!(enc(&Blob::new(vec![1, 2, 3, 4])), "4401020304");
        assert_eq!(enc(&vec![1i64, 2, 3]), "83010203");
        assert_eq!(
            enc(&BTreeMap::from([
                ("a".to_owned(), 1i64),
                ("b".to_owned(), 2)
            ])),
            "a2616101616202"
        );
        assert_eq!(
            enc(&DateTime::from_secs(1363896240)),
            "c1fb41d452d9ec000000"
        );
        assert_eq!(
            enc(&DateTime::from_secs_and_nanos(1363896240, 500_000_000)),
            "c1fb41d452d9ec200000"
        );
    }

    fn dec<T: Wire>(h: &str) -> Result<T, ReadError> {
        from_slice(&hex(h))
    }

    #[test]
    fn reads_the_rfc_examples_in_every_width() {
        assert_eq!(dec::<i64>("1b000000e8d4a51000").unwrap(), 1_000_000_000_000);
        assert_eq!(dec::<i64>("3903e7").unwrap(), -1000);
        assert_eq!(dec::<i64>("3b7fffffffffffffff").unwrap(), i64::MIN);
        assert!(dec::<i64>("1bffffffffffffffff").is_err());
        assert!(dec::<i32>("1a80000000").is_err());
        assert_eq!(dec::<i32>("1818").unwrap(), 24);
        assert_eq!(dec::<f64>("f93e00").unwrap(), 1.5);
        assert_eq!(dec::<f64>("f90001").unwrap(), 5.960464477539063e-8);
        assert_eq!(dec::<f64>("f97bff").unwrap(), 65504.0);
        assert_eq!(dec::<f64>("f9fc00").unwrap(), f64::NEG_INFINITY);
        assert!(dec::<f64>("f97e00").unwrap().is_nan());
        assert_eq!(dec::<f64>("fa47c35000").unwrap(), 100000.0);
        assert_eq!(dec::<f64>("fb3ff199999999999a").unwrap(), 1.1);
        assert_eq!(dec::<String>("6449455446").unwrap(), "IETF");
        // Indefinite strings, arrays and maps.
        assert_eq!(
            dec::<String>("7f657374726561646d696e67ff").unwrap(),
            "streaming"
        );
        assert_eq!(
            dec::<Blob>("5f42010243030405ff").unwrap().as_bytes(),
            &[1, 2, 3, 4, 5]
        );
        // [_ 1, [2, 3], [_ 4, 5]]: nested lists are no integers, but read as a document.
        assert!(dec::<Vec<i64>>("9f018202039f0405ffff").is_err());
        assert_eq!(
            dec::<Document>("9f018202039f0405ffff").unwrap(),
            serde_json::json!([1, [2, 3], [4, 5]])
        );
        assert_eq!(dec::<Vec<i64>>("9f0102ff").unwrap(), vec![1, 2]);
        let m: BTreeMap<String, String> = dec("bf61610161626142ff").unwrap_or_default();
        assert!(m.is_empty(), "values of the wrong kind are refused");
        let m: BTreeMap<String, i64> = dec("bf6161016162f6ff").unwrap();
        assert_eq!(m, BTreeMap::from([("a".to_owned(), 1)]));
        assert_eq!(
            dec::<DateTime>("c11a514b67b0").unwrap(),
            DateTime::from_secs(1363896240)
        );
        assert_eq!(
            dec::<DateTime>("c1fb41d452d9ec200000").unwrap(),
            DateTime::from_secs_and_nanos(1363896240, 500_000_000)
        );
        // A chunk of another kind, a string cut short, bytes after the value, a reserved head.
        assert!(dec::<String>("7f657374726561424142ff").is_err());
        assert!(dec::<String>("64494554").is_err());
        assert!(dec::<String>("644945544600").is_err());
        assert!(dec::<i64>("1c").is_err());
        assert!(dec::<Vec<i64>>("9b00000000ffffffff").is_err());
    }

    #[test]
    fn any_numeric_form_for_integers_and_well_formedness() {
        // A whole float is an integer member's value; a fraction or a float out of range is not.
        assert_eq!(dec::<i64>("fb4045000000000000").unwrap(), 42);
        assert_eq!(dec::<i32>("f94900").unwrap(), 10);
        assert!(dec::<i64>("fb4045100000000000").is_err());
        assert!(dec::<i64>("fb7ff0000000000000").is_err());
        assert!(dec::<i64>("fb43e0000000000000").is_err());
        // A chunk that is not whole UTF-8 on its own, though the chunks together would be.
        assert!(dec::<String>("7f61c361a9ff").is_err());
        assert_eq!(dec::<String>("7f62c3a9ff").unwrap(), "é");
        // Simple values below 32 in a one-byte argument are not well-formed.
        assert!(Reader::new(&hex("f800")).skip().is_err());
        assert!(Reader::new(&hex("f820")).skip().is_ok());
        // A text string that fails leaves the reader at its head, so it can be skipped whole.
        let body = hex("62c328");
        let mut r = Reader::new(&body);
        assert!(Decode::str(&mut r).is_err());
        assert_eq!(r.position(), 0);
        r.skip().unwrap();
        assert_eq!(r.position(), 3);
        // Tags other than 1 before a timestamp are skipped, as before any other value.
        assert_eq!(
            dec::<DateTime>("d82ac11a514b67b0").unwrap(),
            DateTime::from_secs(1363896240)
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowing_the_stack() {
        let body = vec![0x81; 100_000];
        let mut r = Reader::new(&body);
        assert!(r.skip().is_err());
        assert!(to_json(&body).is_err());
        assert!(from_slice::<Document>(&body).is_err());
    }

    #[test]
    fn bodies_read_as_the_json_the_validator_knows() {
        let body = hex("a5616101624e6bf97e00617843010203617ec11a514b67b06177fb4045000000000000");
        assert_eq!(
            String::from_utf8(to_json(&body).unwrap()).unwrap(),
            r#"{"a":1,"Nk":"NaN","x":"AQID","~":1363896240,"w":42}"#
        );
        assert_eq!(to_json(&[]).unwrap(), b"{}");
        assert_eq!(
            String::from_utf8(to_json(&hex("9f3bffffffffffffffff20ff")).unwrap()).unwrap(),
            "[-18446744073709551616,-1]"
        );
    }

    #[test]
    fn structure_heads_take_their_member_count() {
        let mut w = Writer::default();
        let outer = w.begin_struct();
        for i in 0..30u8 {
            let key: &'static str = Box::leak(format!(",\"k{i}\":").into_boxed_str());
            w.key(key);
            if i == 3 {
                let inner = w.begin_struct();
                w.key(",\"n\\\"q\":");
                w.long(1);
                w.end_struct(inner);
            } else {
                w.long(i64::from(i));
            }
        }
        w.end_struct(outer);
        let body = w.into_bytes();
        assert_eq!(&body[..2], &[0xb8, 30]);
        let d: Document = from_slice(&body).unwrap();
        assert_eq!(d["k3"]["n\"q"], serde_json::json!(1));
        assert_eq!(d["k29"], serde_json::json!(29));
    }
}
