//! JSON text in: a reader that generated code drives directly, member by member, without serde's
//! visitor protocol.
//!
//! A response is read once into owned values. Through serde, every value went through a
//! `Deserializer` call, a visitor, and (for members) a seed and an option visitor; reading a list
//! of 60 small structures cost about 2,800 instructions per structure beside allocation. Here a
//! generated `read` asks for what the model says comes next: member names are compared while
//! still borrowed from the input, strings are found eight bytes at a time and copied once, and
//! epoch-second timestamps are read from their digits.
//!
//! The reader accepts exactly RFC 8259 JSON (what `serde_json` accepts): the tests hold it to
//! `serde_json` on valid and damaged input alike. Nesting deeper than 128 levels is refused, as
//! `serde_json` refuses it, so a hostile body cannot exhaust the stack.

use std::borrow::Cow;
use std::fmt;

const MAX_DEPTH: u32 = 128;

/// Why a body could not be read: what was wrong, and where.
///
/// Boxed, so that every `Result` a read returns stays the size of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(Box<Problem>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    message: String,
    /// Line and column in the body, when known.
    at: Option<(usize, usize)>,
}

impl ReadError {
    /// An error with no position yet; [`from_str`] adds where reading stopped.
    #[cold]
    pub fn custom(message: impl fmt::Display) -> ReadError {
        ReadError(Box::new(Problem {
            message: message.to_string(),
            at: None,
        }))
    }

    /// What was wrong, without the position.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.at {
            Some((line, column)) => write!(f, "{} at line {line} column {column}", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for ReadError {}

impl serde::de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError::custom(msg)
    }
}

/// Reads one JSON value of type `T` from `text`, and nothing after it but whitespace.
pub fn from_str<T>(
    text: &str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let mut r = Reader::new(text);
    let value = read(&mut r).and_then(|v| match r.peek() {
        None => Ok(v),
        Some(_) => Err(r.error("trailing characters")),
    });
    value.map_err(|mut e| {
        if e.0.at.is_none() {
            e.0.at = Some(r.line_column(r.pos));
        }
        e
    })
}

/// A position in a JSON text.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

/// The members of an object being read; see [`Reader::object`].
pub struct Members {
    first: bool,
}

/// The items of an array being read; see [`Reader::array`].
pub struct Items {
    first: bool,
}

/// A number's text, checked against JSON's grammar, and its digits as read.
struct Number<'a> {
    text: &'a str,
    negative: bool,
    /// The integer and fraction digits as one whole number, when there are at most 18.
    digits: Option<u64>,
    integer_digits: u32,
    fraction_digits: u32,
    exponent: bool,
}

impl Number<'_> {
    fn is_integer(&self) -> bool {
        self.fraction_digits == 0 && !self.exponent
    }

    /// The value, when it is a whole number of at most 18 digits.
    fn small_integer(&self) -> Option<i64> {
        let d = self.digits.filter(|_| self.is_integer())? as i64;
        Some(if self.negative { -d } else { d })
    }
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    fn line_column(&self, pos: usize) -> (usize, usize) {
        let before = &self.bytes[..pos.min(self.bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, column)
    }

    /// An error at the current position.
    #[cold]
    pub fn error(&self, message: impl fmt::Display) -> ReadError {
        ReadError(Box::new(Problem {
            message: message.to_string(),
            at: Some(self.line_column(self.pos)),
        }))
    }

    /// The first byte of the next value, which says its kind (`{`, `[`, `"`, `t`, `f`, `n`, a
    /// digit or `-`); `None` at the end of the text.
    pub fn peek_byte(&mut self) -> Option<u8> {
        self.peek()
    }

    /// The next byte that is not whitespace, left in place.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                _ => return Some(b),
            }
        }
        None
    }

    fn unexpected(&mut self, expected: &str) -> ReadError {
        match self.peek() {
            None => self.error(format_args!("EOF while parsing {expected}")),
            Some(b) => self.error(format_args!(
                "expected {expected}, found {}",
                Found(&self.bytes[self.pos..], b)
            )),
        }
    }

    /// Consumes `literal` (after whitespace) if it comes next.
    fn eat(&mut self, literal: &[u8]) -> bool {
        if self.peek().is_some() && self.bytes[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    /// Whether the next value is `null`; consumes it if so.
    #[inline(always)]
    pub fn null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.bytes[self.pos..].starts_with(b"null") {
            self.pos += 4;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), ReadError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Past the `}` or `]` that closes what [`Reader::enter`] opened.
    #[inline(always)]
    fn leave(&mut self) {
        self.pos += 1;
        self.depth -= 1;
    }

    /// Starts reading an object: `{`.
    pub fn object(&mut self) -> Result<Members, ReadError> {
        if self.peek() != Some(b'{') {
            return Err(self.unexpected("an object"));
        }
        self.enter()?;
        Ok(Members { first: true })
    }

    /// Starts reading an array: `[`.
    pub fn array(&mut self) -> Result<Items, ReadError> {
        if self.peek() != Some(b'[') {
            return Err(self.unexpected("an array"));
        }
        self.enter()?;
        Ok(Items { first: true })
    }

    /// A string value, borrowed from the text when it has no escapes.
    #[inline(always)]
    pub fn str(&mut self) -> Result<Cow<'a, str>, ReadError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string"));
        }
        self.string_body()
    }

    /// A string value, owned.
    #[inline(always)]
    pub fn string(&mut self) -> Result<String, ReadError> {
        self.str().map(Cow::into_owned)
    }

    /// Reads a string whose opening quote is at `pos`.
    fn string_body(&mut self) -> Result<Cow<'a, str>, ReadError> {
        let start = self.pos + 1;
        let end = find_special(self.bytes, start);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                // Both ends are ASCII quotes, so both are character boundaries.
                match self.text.get(start..end) {
                    Some(s) => Ok(Cow::Borrowed(s)),
                    None => Err(self.error("invalid string")),
                }
            }
            Some(b'\\') => self.escaped(start, end).map(Cow::Owned),
            Some(_) => {
                self.pos = end;
                Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"))
            }
            None => {
                self.pos = self.bytes.len();
                Err(self.error("EOF while parsing a string"))
            }
        }
    }

    /// The rest of a string that has escapes: `run_start..pos` is plain, `pos` is a backslash.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, mut run_start: usize, mut pos: usize) -> Result<String, ReadError> {
        let mut out = String::with_capacity(pos - run_start + 16);
        loop {
            out.push_str(self.text.get(run_start..pos).unwrap_or_default());
            match self.bytes.get(pos) {
                Some(b'"') => {
                    self.pos = pos + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos = pos + 1;
                    let Some(&e) = self.bytes.get(pos + 1) else {
                        self.pos = self.bytes.len();
                        return Err(self.error("EOF while parsing a string"));
                    };
                    self.pos = pos + 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos = pos + 1;
                            return Err(self.error("invalid escape"));
                        }
                    }
                }
                Some(_) => {
                    self.pos = pos;
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                None => {
                    self.pos = self.bytes.len();
                    return Err(self.error("EOF while parsing a string"));
                }
            }
            run_start = self.pos;
            pos = find_special(self.bytes, run_start);
        }
    }

    fn hex4(&mut self) -> Result<u16, ReadError> {
        let mut n = 0u16;
        for _ in 0..4 {
            let Some(&b) = self.bytes.get(self.pos) else {
                self.pos = self.bytes.len();
                return Err(self.error("EOF while parsing a string"));
            };
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            n = (n << 4) | u16::from(digit);
            self.pos += 1;
        }
        Ok(n)
    }

    /// After `\u`: one escaped character, a surrogate pair when it takes two.
    fn unicode_escape(&mut self) -> Result<char, ReadError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            n => u32::from(n),
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    /// A number's text, checked against JSON's grammar, with its digits gathered on the way.
    fn number(&mut self) -> Result<Number<'a>, ReadError> {
        let b = self.bytes;
        let start = self.pos;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        // The integer and fraction digits, gathered while there are at most 18.
        let (mut acc, mut count) = (0u64, 0u32);
        macro_rules! digits {
            () => {{
                // Eight at a time while they fit the 18 gathered.
                while count <= 10 {
                    let Some(chunk) = b.get(i..i + 8) else { break };
                    let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
                    let Some(v) = eight_digits(w) else { break };
                    acc = acc * 100_000_000 + v;
                    count += 8;
                    i += 8;
                }
                while let Some(&d) = b.get(i) {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    if count < 18 {
                        acc = acc * 10 + u64::from(d - b'0');
                    }
                    count += 1;
                    i += 1;
                }
            }};
        }
        match b.get(i) {
            Some(b'0') => {
                count = 1;
                i += 1;
            }
            Some(b'1'..=b'9') => digits!(),
            _ => {
                self.pos = i;
                return Err(self.unexpected("a number"));
            }
        }
        let integer_digits = count;
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            digits!();
        }
        let fraction_digits = count - integer_digits;
        let exponent = matches!(b.get(i), Some(b'e' | b'E'));
        if exponent {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Number {
            text: self.text.get(start..i).unwrap_or_default(),
            negative,
            digits: (count <= 18).then_some(acc),
            integer_digits,
            fraction_digits,
            exponent,
        })
    }

    /// A whole number in `i64`'s range; fractions and exponents are refused, as serde refuses
    /// them for integer members.
    pub fn i64(&mut self) -> Result<i64, ReadError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected("an integer"));
        }
        let start = self.pos;
        let n = self.number()?;
        if !n.is_integer() {
            self.pos = start;
            return Err(self.error(format_args!(
                "invalid type: floating point `{}`, expected an integer",
                n.text
            )));
        }
        if n.negative && n.digits == Some(0) {
            // serde_json reads `-0` as a float; refused alike, so client and server agree.
            self.pos = start;
            return Err(self.error("invalid type: floating point `-0`, expected an integer"));
        }
        if let Some(v) = n.small_integer() {
            return Ok(v);
        }
        n.text.parse::<i64>().map_err(|_| {
            self.pos = start;
            self.error(format_args!("integer `{}` out of range", n.text))
        })
    }

    /// A whole number that fits `T`.
    pub fn int<T: TryFrom<i64>>(&mut self) -> Result<T, ReadError> {
        let start = self.pos;
        let v = self.i64()?;
        T::try_from(v).map_err(|_| {
            self.pos = start;
            self.error(format_args!("integer `{v}` out of range"))
        })
    }

    /// A finite number (the wire's `"NaN"` and `"Infinity"` strings are [`crate::wire`]'s).
    pub fn f64(&mut self) -> Result<f64, ReadError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected("a number"));
        }
        let n = self.number()?;
        match n.text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error("number out of range")),
        }
    }

    /// `true` or `false`.
    pub fn bool(&mut self) -> Result<bool, ReadError> {
        if self.eat(b"true") {
            Ok(true)
        } else if self.eat(b"false") {
            Ok(false)
        } else {
            Err(self.unexpected("a boolean"))
        }
    }

    /// Epoch seconds as a number: whole seconds, and up to six decimals read exactly; anything
    /// else as `f64`, rounded to the microsecond like [`crate::DateTime::from_epoch_f64`].
    #[inline(always)]
    pub fn epoch_seconds(&mut self) -> Result<crate::DateTime, ReadError> {
        match self.epoch_seconds_plain() {
            Some(t) => Ok(t),
            None => self.epoch_seconds_in_full(),
        }
    }

    /// Epoch seconds in any shape JSON allows.
    #[inline(never)]
    fn epoch_seconds_in_full(&mut self) -> Result<crate::DateTime, ReadError> {
        let start = self.pos;
        let n = self.number()?;
        let bad = |r: &mut Self, e: &dyn fmt::Display| {
            r.pos = start;
            r.error(e)
        };
        if let Some(secs) = n.small_integer() {
            return Ok(crate::DateTime::from_secs(secs));
        }
        if n.is_integer() {
            return match n.text.parse::<i64>() {
                Ok(secs) => Ok(crate::DateTime::from_secs(secs)),
                Err(_) => Err(bad(
                    self,
                    &format_args!("timestamp `{}` out of range", n.text),
                )),
            };
        }
        // Up to six decimals and twelve integer digits: exact, and the count of microseconds
        // fits `i64`.
        if let (Some(digits), false, 1..=6, ..=12) =
            (n.digits, n.exponent, n.fraction_digits, n.integer_digits)
        {
            let micros = digits as i64 * 10i64.pow(6 - n.fraction_digits);
            let micros = if n.negative { -micros } else { micros };
            return Ok(crate::DateTime::from_secs_and_nanos(
                micros.div_euclid(1_000_000),
                (micros.rem_euclid(1_000_000) * 1000) as u32,
            ));
        }
        match n.text.parse::<f64>() {
            Ok(v) => crate::DateTime::from_epoch_f64(v).map_err(|e| bad(self, &e)),
            Err(e) => Err(bad(self, &e)),
        }
    }

    /// The `:` between a member's name and its value.
    #[inline]
    pub fn colon(&mut self) -> Result<(), ReadError> {
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:`"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Whether the next value is a string (left in place).
    #[inline]
    pub fn at_string(&mut self) -> bool {
        self.peek() == Some(b'"')
    }

    /// The common shape of epoch seconds, `[1-9][0-9]{0,11}(\.[0-9]{1,6})?`, read in one pass;
    /// `None` (nothing consumed) for anything else, which [`Reader::epoch_seconds`] then reads in
    /// full.
    #[inline(always)]
    fn epoch_seconds_plain(&mut self) -> Option<crate::DateTime> {
        const SCALE: [u32; 7] = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
        let b = self.bytes;
        let start = self.pos;
        if !matches!(b.get(start), Some(b'1'..=b'9')) {
            return None;
        }
        let mut i = start;
        let mut secs: i64 = 0;
        if let Some(v) = b
            .get(i..i + 8)
            .and_then(|c| eight_digits(u64::from_le_bytes(c.try_into().ok()?)))
        {
            secs = v as i64;
            i += 8;
        }
        while let Some(&d @ b'0'..=b'9') = b.get(i) {
            if i - start == 12 {
                return None;
            }
            secs = secs * 10 + i64::from(d - b'0');
            i += 1;
        }
        let mut micros: u32 = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fraction = i;
            while let Some(&d @ b'0'..=b'9') = b.get(i) {
                if i - fraction == 6 {
                    return None;
                }
                micros = micros * 10 + u32::from(d - b'0');
                i += 1;
            }
            micros *= *SCALE.get(i - fraction).filter(|_| i > fraction)?;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            return None;
        }
        self.pos = i;
        Some(crate::DateTime::from_secs_and_nanos(secs, micros * 1000))
    }

    /// Skips one value of any kind.
    pub fn skip(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            Some(b'{') => {
                let mut m = self.object()?;
                while m.next_key(self)?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'[') => {
                let mut items = self.array()?;
                while items.next(self)? {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'"') => self.string_body().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => {
                if self.eat(b"null") || self.eat(b"true") || self.eat(b"false") {
                    Ok(())
                } else {
                    Err(self.unexpected("a value"))
                }
            }
        }
    }

    /// Any JSON value, as `serde_json` reads a `Value`: whole numbers as `u64` or, when
    /// negative, `i64` where they fit, other numbers (and `-0`) as `f64`; a repeated member name
    /// keeps its last value. Without `serde_json`'s deserializer, so a client compiles none of it.
    pub fn document(&mut self) -> Result<crate::Document, ReadError> {
        use crate::Document;
        match self.peek() {
            Some(b'{') => {
                let mut members = self.object()?;
                let mut map = serde_json::Map::new();
                while let Some(name) = members.next_key(self)? {
                    let value = self.document()?;
                    map.insert(name.into_owned(), value);
                }
                Ok(Document::Object(map))
            }
            Some(b'[') => {
                let mut items = self.array()?;
                let mut list = Vec::new();
                while items.next(self)? {
                    list.push(self.document()?);
                }
                Ok(Document::Array(list))
            }
            Some(b'"') => Ok(Document::String(self.string_body()?.into_owned())),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let n = self.number()?;
                let whole = n.is_integer() && !(n.negative && n.digits == Some(0));
                if whole {
                    if n.negative {
                        if let Ok(v) = n.text.parse::<i64>() {
                            return Ok(Document::from(v));
                        }
                    } else if let Ok(v) = n.text.parse::<u64>() {
                        return Ok(Document::from(v));
                    }
                }
                match n
                    .text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Some(v) => Ok(Document::Number(v)),
                    None => {
                        self.pos = start;
                        Err(self.error("number out of range"))
                    }
                }
            }
            _ if self.eat(b"null") => Ok(Document::Null),
            _ if self.eat(b"true") => Ok(Document::Bool(true)),
            _ if self.eat(b"false") => Ok(Document::Bool(false)),
            _ => Err(self.unexpected("a value")),
        }
    }

    /// The text of the next value, skipped.
    pub fn raw(&mut self) -> Result<&'a str, ReadError> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }
}

impl Members {
    /// Whether another member follows, with the reader left at its name (a string value).
    #[inline(always)]
    pub fn next_entry(&mut self, r: &mut Reader<'_>) -> Result<bool, ReadError> {
        match r.peek() {
            Some(b'}') => {
                r.leave();
                return Ok(false);
            }
            Some(b',') if !self.first => {
                r.pos += 1;
                if r.peek() != Some(b'"') {
                    return Err(r.unexpected("a member name"));
                }
            }
            Some(b'"') if self.first => {}
            _ if self.first => return Err(r.unexpected("a member name or `}`")),
            _ => return Err(r.unexpected("`,` or `}`")),
        }
        self.first = false;
        Ok(true)
    }

    /// The next member's name, with the reader left at its value; `None` after the last.
    #[inline(always)]
    pub fn next_key<'a>(&mut self, r: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>, ReadError> {
        if !self.next_entry(r)? {
            return Ok(None);
        }
        let key = r.string_body()?;
        r.colon()?;
        Ok(Some(key))
    }
}

/// JSON's rules for the kinds of values: floats may be the strings `"NaN"`, `"Infinity"` and
/// `"-Infinity"`; a timestamp is epoch seconds (a number) or a string in ISO 8601 or HTTP-date
/// form, whatever the member's format says (as botocore reads them); blobs are base64.
impl<'a> crate::wire::Decode<'a> for Reader<'a> {
    type Members = Members;
    type Items = Items;
    fn error(&self, message: impl fmt::Display) -> ReadError {
        Reader::error(self, message)
    }
    #[inline(always)]
    fn null(&mut self) -> bool {
        Reader::null(self)
    }
    #[inline]
    fn object(&mut self) -> Result<Members, ReadError> {
        Reader::object(self)
    }
    #[inline(always)]
    fn next_index(
        &mut self,
        members: &mut Members,
        names: &Names,
        next: &mut usize,
    ) -> Result<Option<usize>, ReadError> {
        members.next_index(self, names, next)
    }
    #[inline]
    fn next_key(&mut self, members: &mut Members) -> Result<Option<Cow<'a, str>>, ReadError> {
        members.next_key(self)
    }
    #[inline]
    fn next_entry(&mut self, members: &mut Members) -> Result<bool, ReadError> {
        members.next_entry(self)
    }
    #[inline]
    fn entry_value(&mut self) -> Result<(), ReadError> {
        self.colon()
    }
    #[inline]
    fn array(&mut self) -> Result<Items, ReadError> {
        Reader::array(self)
    }
    #[inline(always)]
    fn next_item(&mut self, items: &mut Items) -> Result<bool, ReadError> {
        items.next(self)
    }
    fn skip(&mut self) -> Result<(), ReadError> {
        Reader::skip(self)
    }
    #[inline(always)]
    fn str(&mut self) -> Result<Cow<'a, str>, ReadError> {
        Reader::str(self)
    }
    fn boolean(&mut self) -> Result<bool, ReadError> {
        self.bool()
    }
    fn long(&mut self) -> Result<i64, ReadError> {
        self.i64()
    }
    fn int<T: TryFrom<i64>>(&mut self) -> Result<T, ReadError> {
        Reader::int(self)
    }
    fn double(&mut self) -> Result<f64, ReadError> {
        if !self.at_string() {
            return self.f64();
        }
        let s = Reader::str(self)?;
        match &*s {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(self.error(format_args!(
                "invalid value: string {s:?}, expected a number, \"NaN\", \"Infinity\" or \"-Infinity\""
            ))),
        }
    }
    #[inline]
    fn timestamp(&mut self) -> Result<crate::DateTime, ReadError> {
        if self.at_string() {
            let s = Reader::str(self)?;
            crate::DateTime::parse_any(&s).map_err(|e| self.error(e))
        } else {
            self.epoch_seconds()
        }
    }
    fn blob(&mut self) -> Result<crate::Blob, ReadError> {
        let s = Reader::str(self)?;
        crate::Blob::from_base64(&s).map_err(|e| self.error(e))
    }
    fn document(&mut self) -> Result<crate::Document, ReadError> {
        Reader::document(self)
    }
}

/// A structure's member names, in the model's order, for [`Members::next_index`].
pub struct Names {
    pub(crate) names: &'static [&'static str],
    /// No name has a quote, a backslash or a control character, so a name's JSON text is the
    /// name itself between quotes and the text can be compared byte for byte.
    plain: bool,
}

impl Names {
    /// `key`'s index (`names.len()` when it is not there); a name found moves `next` past it.
    pub(crate) fn index_of(&self, key: &str, next: &mut usize) -> usize {
        let found = self.names.iter().position(|n| *n == key);
        if let Some(i) = found {
            *next = i + 1;
        }
        found.unwrap_or(self.names.len())
    }

    pub const fn new(names: &'static [&'static str]) -> Names {
        let mut plain = true;
        let mut i = 0;
        while i < names.len() {
            let b = names[i].as_bytes();
            let mut j = 0;
            while j < b.len() {
                if is_special(b[j]) {
                    plain = false;
                }
                j += 1;
            }
            i += 1;
        }
        Names { names, plain }
    }
}

impl Members {
    /// The next member's index in `names` (`names.len()` for a name not there), with the
    /// reader left at its value; `None` after the last.
    ///
    /// Services send members in the model's order, so the name after the last one found is
    /// tried first, by comparing the text with it in place, instead of reading the name as a
    /// string and matching it (one ListIdentities page has 243 names; this took some 20k
    /// instructions off its decode). Any other name is read and looked up.
    #[inline(always)]
    pub fn next_index(
        &mut self,
        r: &mut Reader<'_>,
        names: &Names,
        next: &mut usize,
    ) -> Result<Option<usize>, ReadError> {
        let b = r.bytes;
        // The usual shape, `,"` or a first `"` with no whitespace, without the general checks.
        match b.get(r.pos) {
            Some(b',') if !self.first && b.get(r.pos + 1) == Some(&b'"') => r.pos += 1,
            Some(b'"') if self.first => self.first = false,
            _ => {
                if !self.next_entry(r)? {
                    return Ok(None);
                }
            }
        }
        if let (true, Some(name)) = (names.plain, names.names.get(*next)) {
            let (start, n) = (r.pos + 1, name.len());
            if let Some(rest) = b.get(start..start + n + 2) {
                if same(&rest[..n], name.as_bytes()) && rest[n] == b'"' && rest[n + 1] == b':' {
                    r.pos = start + n + 2;
                    let i = *next;
                    *next += 1;
                    return Ok(Some(i));
                }
            }
        }
        self.look_up(r, names, next).map(Some)
    }

    /// The member name at the reader, read as a string and looked up in `names`.
    #[inline(never)]
    fn look_up(
        &mut self,
        r: &mut Reader<'_>,
        names: &Names,
        next: &mut usize,
    ) -> Result<usize, ReadError> {
        let key = r.string_body()?;
        r.colon()?;
        Ok(names.index_of(&key, next))
    }
}

impl Items {
    /// Whether another item follows, with the reader left at it.
    #[inline(always)]
    pub fn next(&mut self, r: &mut Reader<'_>) -> Result<bool, ReadError> {
        match r.peek() {
            Some(b']') => {
                r.leave();
                Ok(false)
            }
            Some(b',') if !self.first => {
                r.pos += 1;
                // A value must follow the comma: `[1,]` is refused.
                if r.peek() == Some(b']') {
                    return Err(r.error("trailing comma"));
                }
                Ok(true)
            }
            Some(_) if self.first => {
                self.first = false;
                Ok(true)
            }
            None => Err(r.error("EOF while parsing a list")),
            Some(_) => Err(r.unexpected("`,` or `]`")),
        }
    }
}

/// Names the byte found where another was expected.
struct Found<'a>(&'a [u8], u8);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            b'"' => f.write_str("a string"),
            b'{' => f.write_str("an object"),
            b'[' => f.write_str("an array"),
            b'-' | b'0'..=b'9' => f.write_str("a number"),
            _ if self.0.starts_with(b"null") => f.write_str("null"),
            _ if self.0.starts_with(b"true") || self.0.starts_with(b"false") => {
                f.write_str("a boolean")
            }
            b if b.is_ascii_graphic() => write!(f, "`{}`", char::from(b)),
            b => write!(f, "byte 0x{b:02x}"),
        }
    }
}

/// The first byte at or after `i` that ends a plain run in a string: `"`, `\` or a control
/// character; `bytes.len()` when there is none. Sixteen bytes at a time with SSE2 (part of every
/// x86-64 target), eight at a time elsewhere. The search runs on past the string's end when it
/// can: its closing quote stops it.
#[inline]
fn find_special(bytes: &[u8], i: usize) -> usize {
    let rest = bytes.get(i..).unwrap_or_default();
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: `find_in` only needs SSE2, which this build targets (the cfg above).
    let found = unsafe { find_in(rest) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    let found = find_in(rest);
    match found {
        Some(p) => i + p,
        None => bytes.len(),
    }
}

/// Whether two byte strings of the same length are equal; names of 4 to 16 bytes (most) as two
/// overlapping words each, without a call to `memcmp`.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    fn word<const W: usize>(s: &[u8], at: usize) -> [u8; W] {
        s[at..at + W].try_into().unwrap_or([0; W])
    }
    match n {
        8..=16 => {
            u64::from_le_bytes(word(a, 0)) == u64::from_le_bytes(word(b, 0))
                && u64::from_le_bytes(word(a, n - 8)) == u64::from_le_bytes(word(b, n - 8))
        }
        4..=7 => {
            u32::from_le_bytes(word(a, 0)) == u32::from_le_bytes(word(b, 0))
                && u32::from_le_bytes(word(a, n - 4)) == u32::from_le_bytes(word(b, n - 4))
        }
        _ => a == b,
    }
}

const fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn find_in(rest: &[u8]) -> Option<usize> {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x,
    };
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let control = _mm_set1_epi8(0x1f);
    let chunks = rest.chunks_exact(16);
    let tail = chunks.remainder();
    for (k, chunk) in chunks.enumerate() {
        let v = u128::from_le_bytes(chunk.try_into().unwrap_or_default());
        let x = _mm_set_epi64x((v >> 64) as i64, v as i64);
        // A byte is a control character when min(byte, 0x1f) is the byte.
        let hits = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
            _mm_cmpeq_epi8(_mm_min_epu8(x, control), x),
        );
        let mask = _mm_movemask_epi8(hits);
        if mask != 0 {
            return Some(k * 16 + mask.trailing_zeros() as usize);
        }
    }
    let tail_start = rest.len() - tail.len();
    tail.iter()
        .position(|&b| is_special(b))
        .map(|p| tail_start + p)
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn find_in(rest: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let chunks = rest.chunks_exact(8);
    let tail = chunks.remainder();
    for (k, chunk) in chunks.enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // Bytes below 0x20, equal to `"`, or equal to `\`; `!w` keeps bytes >= 0x80 out (a
        // byte equal to `"` or `\` has no high bit either). The lowest flagged byte is exact:
        // borrows only run upwards.
        let flagged = (w.wrapping_sub(ONES * 0x20)
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & !w
            & HIGH;
        if flagged != 0 {
            return Some(k * 8 + (flagged.trailing_zeros() / 8) as usize);
        }
    }
    let tail_start = rest.len() - tail.len();
    tail.iter()
        .position(|&b| is_special(b))
        .map(|p| tail_start + p)
}

/// The value of eight ASCII digits read as a little-endian word; `None` unless all eight are
/// digits.
#[inline]
fn eight_digits(w: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Every byte is 0x30..=0x3f, and adding 6 leaves it there (no carry between bytes is possible).
    const HIGH_NIBBLES: u64 = ONES * 0xf0;
    if w & HIGH_NIBBLES != ONES * 0x30 || w.wrapping_add(ONES * 0x06) & HIGH_NIBBLES != ONES * 0x30
    {
        return None;
    }
    let v = w - ONES * u64::from(b'0');
    // Pairs, then quads, then all eight (the first digit is the lowest byte).
    let v = (v * 10 + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v * 100 + (v >> 16)) & 0x0000_ffff_0000_ffff;
    Some((v * 10_000 + (v >> 32)) & 0xffff_ffff)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    use crate::wire::{read_str, Wire};
    use crate::{Blob, DateTime, Document};

    /// JSON as serde_json parses it, repeated member names kept: the oracle's input.
    #[derive(Debug)]
    enum J {
        Null,
        Bool(bool),
        Int(i64),
        UInt(u64),
        Float(f64),
        Str(String),
        List(Vec<J>),
        Object(Vec<(String, J)>),
    }

    impl<'de> Deserialize<'de> for J {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = J;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_unit<E>(self) -> Result<J, E> {
                    Ok(J::Null)
                }
                fn visit_bool<E>(self, v: bool) -> Result<J, E> {
                    Ok(J::Bool(v))
                }
                fn visit_i64<E>(self, v: i64) -> Result<J, E> {
                    Ok(J::Int(v))
                }
                fn visit_u64<E>(self, v: u64) -> Result<J, E> {
                    Ok(J::UInt(v))
                }
                fn visit_f64<E>(self, v: f64) -> Result<J, E> {
                    Ok(J::Float(v))
                }
                fn visit_str<E>(self, v: &str) -> Result<J, E> {
                    Ok(J::Str(v.to_owned()))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
                    let mut out = Vec::new();
                    while let Some(item) = seq.next_element()? {
                        out.push(item);
                    }
                    Ok(J::List(out))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry()? {
                        out.push(entry);
                    }
                    Ok(J::Object(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// The wire rules applied to parsed JSON, written independently of the reader: the oracle.
    trait Oracle: Sized {
        fn from_json(j: J) -> Option<Self>;
    }

    impl Oracle for String {
        fn from_json(j: J) -> Option<Self> {
            match j {
                J::Str(s) => Some(s),
                _ => None,
            }
        }
    }

    impl Oracle for i64 {
        fn from_json(j: J) -> Option<Self> {
            match j {
                J::Int(v) => Some(v),
                J::UInt(v) => i64::try_from(v).ok(),
                _ => None,
            }
        }
    }

    impl Oracle for i32 {
        fn from_json(j: J) -> Option<Self> {
            i64::from_json(j).and_then(|v| i32::try_from(v).ok())
        }
    }

    impl Oracle for i8 {
        fn from_json(j: J) -> Option<Self> {
            i64::from_json(j).and_then(|v| i8::try_from(v).ok())
        }
    }

    impl Oracle for bool {
        fn from_json(j: J) -> Option<Self> {
            match j {
                J::Bool(v) => Some(v),
                _ => None,
            }
        }
    }

    impl Oracle for f64 {
        fn from_json(j: J) -> Option<Self> {
            match j {
                J::Int(v) => Some(v as f64),
                J::UInt(v) => Some(v as f64),
                J::Float(v) => Some(v),
                J::Str(s) => match s.as_str() {
                    "NaN" => Some(f64::NAN),
                    "Infinity" => Some(f64::INFINITY),
                    "-Infinity" => Some(f64::NEG_INFINITY),
                    _ => None,
                },
                _ => None,
            }
        }
    }

    impl Oracle for DateTime {
        fn from_json(j: J) -> Option<Self> {
            match j {
                J::Int(v) => Some(DateTime::from_secs(v)),
                J::UInt(v) => i64::try_from(v).ok().map(DateTime::from_secs),
                J::Float(v) => DateTime::from_epoch_f64(v).ok(),
                J::Str(s) => DateTime::parse_iso8601(&s)
                    .or_else(|_| DateTime::parse_http_date(&s))
                    .ok()
                    .or_else(|| DateTime::from_epoch_f64(s.parse().ok()?).ok()),
                _ => None,
            }
        }
    }

    impl Oracle for Blob {
        fn from_json(j: J) -> Option<Self> {
            String::from_json(j).and_then(|s| Blob::from_base64(&s).ok())
        }
    }

    /// Lists skip `null` items.
    impl<T: Oracle> Oracle for Vec<T> {
        fn from_json(j: J) -> Option<Self> {
            let J::List(items) = j else { return None };
            let mut out = Vec::new();
            for item in items {
                if !matches!(item, J::Null) {
                    out.push(T::from_json(item)?);
                }
            }
            Some(out)
        }
    }

    /// Maps skip `null` values (which so do not replace an earlier value of the same key).
    impl<T: Oracle> Oracle for BTreeMap<String, T> {
        fn from_json(j: J) -> Option<Self> {
            let J::Object(members) = j else { return None };
            let mut out = BTreeMap::new();
            for (k, v) in members {
                if !matches!(v, J::Null) {
                    out.insert(k, T::from_json(v)?);
                }
            }
            Some(out)
        }
    }

    /// A document is any JSON; a repeated member name keeps its last value, as in serde_json.
    impl Oracle for Document {
        fn from_json(j: J) -> Option<Self> {
            Some(match j {
                J::Null => Document::Null,
                J::Bool(v) => Document::Bool(v),
                J::Int(v) => Document::from(v),
                J::UInt(v) => Document::from(v),
                J::Float(v) => Document::Number(serde_json::Number::from_f64(v)?),
                J::Str(v) => Document::String(v),
                J::List(items) => Document::Array(
                    items
                        .into_iter()
                        .map(Document::from_json)
                        .collect::<Option<_>>()?,
                ),
                J::Object(members) => {
                    let mut map = serde_json::Map::new();
                    for (k, v) in members {
                        map.insert(k, Document::from_json(v)?);
                    }
                    Document::Object(map)
                }
            })
        }
    }

    /// A structure read as generated code reads one (member names looked up by
    /// [`super::Members::next_index`]), with the oracle's rules written out: members in any
    /// order, unknown ones skipped, a repeated one replacing the earlier value, `null` absent.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: Option<String>,
        b: Option<i64>,
        q: Option<bool>,
    }

    thread_local! {
        /// Whether the text being read starts `{"odd"`: [`Pair`] then looks up other names.
        static ODD_TEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    impl Wire for Pair {
        fn write<E: crate::wire::Encode>(&self, _: &mut E) -> Result<(), crate::json::WriteError> {
            unreachable!("only read in these tests")
        }
        fn read<'de, D: crate::wire::Decode<'de>>(r: &mut D) -> Result<Self, super::ReadError> {
            // `q\` is not plain: a text byte-equal to it is an escape, not the name.
            static NAMES: super::Names = super::Names::new(&["a", "bb"]);
            static ODD: super::Names = super::Names::new(&["a", "q\\"]);
            let names = if ODD_TEXT.with(|o| o.get()) {
                &ODD
            } else {
                &NAMES
            };
            let (mut a, mut b, mut q) = (None, None, None);
            let mut members = r.object()?;
            let mut next = 0;
            while let Some(i) = r.next_index(&mut members, names, &mut next)? {
                match (i, std::ptr::eq(names, &ODD)) {
                    (0, _) => a = crate::wire::read_opt(r)?,
                    (1, false) => b = crate::wire::read_opt(r)?,
                    (1, true) => q = crate::wire::read_opt(r)?,
                    _ => r.skip()?,
                }
            }
            Ok(Pair { a, b, q })
        }
    }

    impl Oracle for Pair {
        fn from_json(j: J) -> Option<Self> {
            let J::Object(members) = j else { return None };
            let mut out = Pair {
                a: None,
                b: None,
                q: None,
            };
            fn opt<T: Oracle>(v: J) -> Option<Option<T>> {
                match v {
                    J::Null => Some(None),
                    v => T::from_json(v).map(Some),
                }
            }
            let odd = members.first().is_some_and(|(k, _)| k == "odd");
            for (k, v) in members {
                match (k.as_str(), odd) {
                    ("a", _) => out.a = opt(v)?,
                    ("bb", false) => out.b = opt(v)?,
                    ("q\\", true) => out.q = opt(v)?,
                    _ => {}
                }
            }
            Some(out)
        }
    }

    fn through_serde<T: Oracle>(text: &str) -> Result<T, String> {
        let j: J = serde_json::from_str(text).map_err(|e| e.to_string())?;
        T::from_json(j).ok_or_else(|| "not this type".to_owned())
    }

    /// The reader accepts the texts that serde_json parses and the wire rules accept, and reads
    /// the same values from them.
    fn agree<T: Wire + Oracle + Debug>(text: &str, same: impl Fn(&T, &T) -> bool) {
        ODD_TEXT.with(|o| o.set(text.starts_with("{\"odd\"")));
        match (through_serde::<T>(text), read_str::<T>(text)) {
            (Ok(a), Ok(b)) => assert!(same(&a, &b), "{text:?}: serde {a:?}, reader {b:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{text:?}: serde {a:?}, reader {b:?}"),
        }
    }

    fn eq<T: PartialEq>(a: &T, b: &T) -> bool {
        a == b
    }

    fn close(a: &f64, b: &f64) -> bool {
        (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= a.abs() * 1e-15
    }

    fn close_time(a: &DateTime, b: &DateTime) -> bool {
        (a.as_epoch_f64() - b.as_epoch_f64()).abs() <= 1e-6
    }

    /// Every text, every truncation of it, and every one-byte change to a character that
    /// matters to JSON.
    fn damaged(base: &str) -> Vec<String> {
        const SWAPS: &[u8] = b"\"\\,:[]{}0159-+.eEnutf x\n\t\x01/";
        let mut out = vec![base.to_owned()];
        let bytes = base.as_bytes();
        for i in 0..=bytes.len() {
            if base.is_char_boundary(i) {
                out.push(base[..i].to_owned());
            }
            if i < bytes.len() && bytes[i].is_ascii() {
                for &c in SWAPS {
                    let mut b = bytes.to_vec();
                    b[i] = c;
                    out.extend(String::from_utf8(b).ok());
                }
            }
        }
        out
    }

    fn corpus<T: Wire + Oracle + Debug>(bases: &[&str], same: impl Fn(&T, &T) -> bool) -> usize {
        let mut n = 0;
        for base in bases {
            for text in damaged(base) {
                agree::<T>(&text, &same);
                n += 1;
            }
        }
        n
    }

    #[test]
    fn agrees_with_serde_json_on_valid_and_damaged_input() {
        let mut n = 0;
        n += corpus::<String>(
            &[
                r#""plain""#,
                r#" "a\"b\\c\/d\b\f\n\r\t" "#,
                r#""\u00e9\u4e2d\ud83d\ude00 é""#,
                r#""\ud800""#,
                r#""\udc00x""#,
                r#""sixteen bytes!!!and more than that, past two chunks""#,
            ],
            eq,
        );
        n += corpus::<Vec<String>>(&[r#"["a", null, "b" ,"c"]"#, "[]", "[ ]"], eq);
        n += corpus::<BTreeMap<String, i32>>(
            &[
                r#"{"a": 1, "b": null, "c": -20}"#,
                "{}",
                r#"{"x":2147483647}"#,
            ],
            eq,
        );
        n += corpus::<Vec<i64>>(
            &[
                "[0, -1, 9223372036854775807, -9223372036854775808]",
                "[123456789012345678, 12]",
                "[1.5, 1e3]",
            ],
            eq,
        );
        n += corpus::<Vec<i8>>(&["[127, -128, 128]", "[0]"], eq);
        n += corpus::<Vec<bool>>(&["[true, false]"], eq);
        n += corpus::<Vec<f64>>(
            &[
                r#"[1.5, -0.25, 1e10, 2E-3, 0, 12345678901234567890, "NaN", "Infinity", "-Infinity"]"#,
                "[1e400]",
            ],
            |a: &Vec<f64>, b: &Vec<f64>| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(x, y))
            },
        );
        n += corpus::<Vec<DateTime>>(
            &[
                r#"[1700000000.123, 1700000100, -1.5, 0.000001, 12.3456789, 1e9, "2015-01-25T08:00:00Z"]"#,
                "[123456789012.5, 1234567890123.5, 99999999999999999999]",
            ],
            |a: &Vec<DateTime>, b: &Vec<DateTime>| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close_time(x, y))
            },
        );
        n += corpus::<Blob>(&[r#""Zm9vYmFy""#], eq);
        assert!(!super::Names::new(&["q\\"]).plain && super::Names::new(&["a"]).plain);
        n += corpus::<Pair>(
            &[
                r#"{"odd":0,"a":"x","q\\":true}"#,
                r#"{"odd":0,"q\\\\":true}"#,
            ],
            eq,
        );
        n += corpus::<Vec<Pair>>(
            &[
                r#"[{"a":"x","bb":1,"q\\":true},{"bb":2,"a":"y"}]"#,
                r#"[{ "a" : "x" , "bb" : 3 }, {"c":[1,{"a":2}],"a":null,"a":"z"}]"#,
                r#"[{"\u0061":"e","b\u0062":4,"q\\\\":false}, {}, {"bb":"no"}]"#,
                r#"[{"ab":1,"a":"n","bbb":2,"bb":5}]"#,
            ],
            eq,
        );
        n += corpus::<Document>(
            &[
                r#"{"a": [1, 2.5, "x", {"b": null}], "c": true}"#,
                r#"[-0, 0, -1, 18446744073709551615, 18446744073709551616, -9223372036854775809, 1e2, -2.5E-3]"#,
                r#"{"k": 1, "k": [false], "\u006b": {}}"#,
            ],
            eq,
        );
        assert!(n > 10_000, "{n} texts");
    }

    /// Documents are read without serde_json, into the same values it reads (integers as
    /// `u64`/`i64` where they fit, `-0` and the rest as floats, the last of a repeated name).
    #[test]
    fn documents_read_as_serde_json_reads_them() {
        for text in [
            "[-0, 0, -1, 1.0, 18446744073709551615, 18446744073709551616, -9223372036854775808]",
            "[-9223372036854775809, 1e2, 1E+2, -2.5e-3, 1e-400, 0.1, 123456789012345678901234567890]",
            r#"{"k": 1, "k": [false, null, true], "": {"\ud83d\ude00": "\n"}}"#,
            "1e400",
            r#"{"a": 1,}"#,
            "[01]",
        ] {
            let ours = super::from_str(text, |r| r.document());
            match serde_json::from_str::<Document>(text) {
                Ok(theirs) => {
                    let ours = ours.unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(ours, theirs, "{text}");
                    // Same numbers, kind included: `1` is not `1.0`.
                    assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
                }
                Err(_) => assert!(ours.is_err(), "{text}: read as {ours:?}"),
            }
        }
    }

    #[test]
    fn timestamps_keep_every_decimal_up_to_microseconds() {
        let t: DateTime = read_str("1700000000.123456").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_456_000));
        let t: DateTime = read_str("-1.5").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        let t: DateTime = read_str("1700000100").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_100, 0));
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = read_str::<Vec<String>>("[\n\"a\",\n 1]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected a string, found a number at line 3 column 2"
        );
        let e = read_str::<String>("\"a\" x").unwrap_err();
        assert_eq!(e.to_string(), "trailing characters at line 1 column 5");
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = read_str::<Document>(&deep).unwrap_err();
        assert!(e.to_string().starts_with("recursion limit exceeded"), "{e}");
    }
}
