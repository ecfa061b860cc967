//! The wire rules of every body format, in one place: how each kind of value is written and read.
//!
//! Generated structures implement [`Wire`] once, generic over the format: they list their
//! members and say which kind of value each holds. What a kind looks like in a format lives with
//! the format, behind [`Encode`] and [`Decode`]: JSON text ([`crate::json::Writer`],
//! [`crate::reader::Reader`]: numbers that may be `"NaN"`, epoch-second timestamps, base64 blobs)
//! and CBOR ([`crate::cbor`]: tagged epoch timestamps, byte strings, half floats). A member whose
//! timestamps use another format picks a [`Codec`] other than [`Plain`]; only JSON heeds it.
//!
//! In both formats `null` reads as absent and unknown members are skipped. Serde sees generated
//! types only through [`serde_via_wire!`](crate::serde_via_wire), in their JSON shape, for users
//! who want them in another format.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::json::{WriteError, Writer};
use crate::protocol::rest::TimeFormat;
use crate::reader::{Names, ReadError};
use crate::{Blob, DateTime, Document};

/// A body format: what a server answers in follows the request's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Cbor,
}

/// A value with a representation in every body format.
pub trait Wire: Sized {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError>;
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError>;
}

/// A body being written, in one format. Structures are written as [`begin_struct`], then for each
/// member set [`key`] and its value, then [`end_struct`]; lists and maps say their length first.
///
/// [`begin_struct`]: Encode::begin_struct
/// [`key`]: Encode::key
/// [`end_struct`]: Encode::end_struct
pub trait Encode {
    /// Where a structure, list or map began.
    type Start: Copy;
    fn begin_struct(&mut self) -> Self::Start;
    /// A member's name, as the generator wrote it for JSON: `,"Name":` (escaped as JSON).
    fn key(&mut self, key: &'static str);
    fn end_struct(&mut self, start: Self::Start);
    fn begin_list(&mut self, len: usize) -> Self::Start;
    /// Before each item of a list.
    fn item(&mut self);
    fn end_list(&mut self, start: Self::Start);
    fn begin_map(&mut self, len: usize) -> Self::Start;
    /// Before each key of a map.
    fn entry(&mut self);
    /// Between a map's key and its value.
    fn entry_value(&mut self);
    fn end_map(&mut self, start: Self::Start);
    fn string(&mut self, v: &str);
    fn boolean(&mut self, v: bool);
    fn long(&mut self, v: i64);
    fn float(&mut self, v: f32);
    fn double(&mut self, v: f64);
    /// A timestamp; `format` is the member's `timestampFormat` (JSON heeds it, CBOR always
    /// writes tagged epoch seconds).
    fn timestamp(&mut self, v: &DateTime, format: TimeFormat);
    fn blob(&mut self, v: &[u8]);
    fn document(&mut self, v: &Document) -> Result<(), WriteError>;
}

/// A body being read, in one format, borrowing strings from input that lives for `'de`.
pub trait Decode<'de> {
    /// The state of a structure or map being read.
    type Members;
    /// The state of a list being read.
    type Items;
    /// An error at the current position.
    fn error(&self, message: impl std::fmt::Display) -> ReadError;
    /// Whether the next value is null (or CBOR's undefined); consumes it if so.
    fn null(&mut self) -> bool;
    /// Starts a structure or map.
    fn object(&mut self) -> Result<Self::Members, ReadError>;
    /// The next member's index in `names` (`names.len()` for one not there), with the reader at
    /// its value; `None` after the last. `next` is where the search starts (the member after
    /// the last one found, as services send members in the model's order).
    fn next_index(
        &mut self,
        members: &mut Self::Members,
        names: &Names,
        next: &mut usize,
    ) -> Result<Option<usize>, ReadError>;
    /// The next member's name, with the reader at its value; `None` after the last.
    fn next_key(&mut self, members: &mut Self::Members)
        -> Result<Option<Cow<'de, str>>, ReadError>;
    /// Whether a map has another entry, with the reader at its key.
    fn next_entry(&mut self, members: &mut Self::Members) -> Result<bool, ReadError>;
    /// Between a map entry's key and its value.
    fn entry_value(&mut self) -> Result<(), ReadError>;
    /// Starts a list.
    fn array(&mut self) -> Result<Self::Items, ReadError>;
    /// Whether a list has another item, with the reader at it.
    fn next_item(&mut self, items: &mut Self::Items) -> Result<bool, ReadError>;
    /// Skips one value of any kind.
    fn skip(&mut self) -> Result<(), ReadError>;
    fn str(&mut self) -> Result<Cow<'de, str>, ReadError>;
    fn string(&mut self) -> Result<String, ReadError> {
        self.str().map(Cow::into_owned)
    }
    fn boolean(&mut self) -> Result<bool, ReadError>;
    fn long(&mut self) -> Result<i64, ReadError>;
    /// An integer that fits `T` (the error points at the value, not past it).
    fn int<T: TryFrom<i64>>(&mut self) -> Result<T, ReadError> {
        let v = self.long()?;
        T::try_from(v).map_err(|_| self.error(format_args!("integer `{v}` out of range")))
    }
    fn double(&mut self) -> Result<f64, ReadError>;
    /// A timestamp in whatever form the format allows (JSON: epoch seconds, ISO 8601 or an
    /// HTTP date, whatever the member's format says, as botocore reads them).
    fn timestamp(&mut self) -> Result<DateTime, ReadError>;
    fn blob(&mut self) -> Result<Blob, ReadError>;
    fn document(&mut self) -> Result<Document, ReadError>;
}

/// How a value of type `T` is written and read; [`Plain`] uses `T`'s [`Wire`] rules.
pub trait Codec<T> {
    fn write<E: Encode>(v: &T, w: &mut E) -> Result<(), WriteError>;
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<T, ReadError>;
}

/// The default rules of the value's type.
pub struct Plain;
/// Timestamps as ISO 8601 strings (`timestampFormat: iso8601`).
pub struct Iso8601;
/// Timestamps as RFC 822 / HTTP date strings (`timestampFormat: rfc822`).
pub struct HttpDate;
/// A list whose items use codec `C`.
pub struct List<C>(PhantomData<C>);
/// A map whose values use codec `C`.
pub struct Map<C>(PhantomData<C>);

impl<T: Wire> Codec<T> for Plain {
    #[inline]
    fn write<E: Encode>(v: &T, w: &mut E) -> Result<(), WriteError> {
        v.write(w)
    }
    #[inline]
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<T, ReadError> {
        T::read(r)
    }
}

/// Reads one `T` from JSON `text` (nothing but whitespace may follow).
pub fn read_str<T: Wire>(text: &str) -> Result<T, ReadError> {
    crate::reader::from_str(text, |r| T::read(r))
}

/// Writes `v` as JSON text.
pub fn to_vec<T: Wire>(v: &T) -> Result<Vec<u8>, WriteError> {
    // Sized like the last body this thread wrote: a service answers the same operations again
    // and again, and growing an 8 KiB body from a small buffer cost six reallocations and copies.
    thread_local!(static LAST_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
    let hint = LAST_LEN.with(|l| l.get()).clamp(128, 1 << 20);
    let mut w = Writer::with_capacity(hint);
    v.write(&mut w)?;
    let out = w.into_bytes();
    LAST_LEN.with(|l| l.set(out.len() + out.len() / 8));
    Ok(out)
}

/// Reads the members of a structure whose members are all strings (most AWS errors: a message)
/// into `slots`, in `names`' order. Not inlined: every such structure shares this one loop
/// (per format) instead of compiling its own.
#[inline(never)]
pub fn read_strings<'de, D: Decode<'de>>(
    r: &mut D,
    members: &mut D::Members,
    names: &Names,
    slots: &mut [Option<String>],
) -> Result<(), ReadError> {
    let mut next = 0;
    while let Some(i) = r.next_index(members, names, &mut next)? {
        match slots.get_mut(i) {
            Some(slot) => *slot = read_opt(r)?,
            None => r.skip()?,
        }
    }
    Ok(())
}

/// Reads an optional value by its type's rules: null is absent.
#[inline(always)]
pub fn read_opt<'de, T: Wire, D: Decode<'de>>(r: &mut D) -> Result<Option<T>, ReadError> {
    read_opt_with::<Plain, T, D>(r)
}

/// Reads an optional value with codec `C`: null is absent.
#[inline(always)]
pub fn read_opt_with<'de, C: Codec<T>, T, D: Decode<'de>>(
    r: &mut D,
) -> Result<Option<T>, ReadError> {
    if r.null() {
        Ok(None)
    } else {
        C::read(r).map(Some)
    }
}

/// Writes a member of a structure by its type's rules; `key` is its name as the generator
/// escaped it for JSON, with the comma before it and the colon after it (`,"Name":`).
#[inline]
pub fn member<T: Wire, E: Encode>(w: &mut E, key: &'static str, v: &T) -> Result<(), WriteError> {
    member_with::<Plain, T, E>(w, key, v)
}

/// Writes a member of a structure with codec `C` (see [`member`]).
#[inline]
pub fn member_with<C: Codec<T>, T, E: Encode>(
    w: &mut E,
    key: &'static str,
    v: &T,
) -> Result<(), WriteError> {
    w.key(key);
    C::write(v, w)
}

/// Writes an optional member of a structure by its type's rules, when it is set.
#[inline]
pub fn opt_member<T: Wire, E: Encode>(
    w: &mut E,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), WriteError> {
    opt_member_with::<Plain, T, E>(w, key, v)
}

/// Writes an optional member of a structure with codec `C`, when it is set.
#[inline]
pub fn opt_member_with<C: Codec<T>, T, E: Encode>(
    w: &mut E,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), WriteError> {
    match v {
        Some(v) => member_with::<C, T, E>(w, key, v),
        None => Ok(()),
    }
}

/// The error for a required member that is absent or null.
pub fn missing(shape: &str, member: &str) -> ReadError {
    ReadError::custom(format_args!(
        "missing required member `{member}` of {shape}"
    ))
}

/// The error for writing a union value that holds a member this version does not know.
pub fn unknown_union_member(shape: &str) -> WriteError {
    WriteError::custom(format_args!(
        "cannot send {shape}: it holds a member this client does not know"
    ))
}

impl Wire for String {
    #[inline]
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
    #[inline]
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.string()
    }
}

impl Wire for bool {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.boolean(*self);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.boolean()
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
                w.long(i64::from(*self));
                Ok(())
            }
            fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
                r.int()
            }
        }
    )*};
}

integers!(i8, i16, i32);

impl Wire for i64 {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.long(*self);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.long()
    }
}

impl Wire for f64 {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.double(*self);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.double()
    }
}

impl Wire for f32 {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.float(*self);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.double().map(|v| v as f32)
    }
}

/// Epoch seconds in JSON, with a fraction when the time is not a whole second.
impl Wire for DateTime {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.timestamp(self, TimeFormat::EpochSeconds);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.timestamp()
    }
}

impl Codec<DateTime> for Iso8601 {
    fn write<E: Encode>(v: &DateTime, w: &mut E) -> Result<(), WriteError> {
        w.timestamp(v, TimeFormat::DateTime);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<DateTime, ReadError> {
        r.timestamp()
    }
}

impl Codec<DateTime> for HttpDate {
    fn write<E: Encode>(v: &DateTime, w: &mut E) -> Result<(), WriteError> {
        w.timestamp(v, TimeFormat::HttpDate);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<DateTime, ReadError> {
        r.timestamp()
    }
}

/// Base64 in JSON, a byte string in CBOR.
impl Wire for Blob {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.blob(self.as_bytes());
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.blob()
    }
}

/// A streaming payload is the body itself, never inside a body; through the serde bridge
/// ([`crate::serde_via_wire`]) it is written as a blob is, when it is in memory.
impl Wire for crate::ByteStream {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        match self.bytes() {
            Some(b) => {
                w.blob(b);
                Ok(())
            }
            None => Err(WriteError::custom(
                "a streaming payload that is not in memory has no JSON form",
            )),
        }
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        Blob::read(r).map(crate::ByteStream::from)
    }
}

impl Wire for Document {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        w.document(self)
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        r.document()
    }
}

impl<T: Wire> Wire for Box<T> {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        (**self).write(w)
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        T::read(r).map(Box::new)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        List::<Plain>::write(self, w)
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        List::<Plain>::read(r)
    }
}

impl<K: Wire + Ord, V: Wire> Wire for BTreeMap<K, V> {
    fn write<E: Encode>(&self, w: &mut E) -> Result<(), WriteError> {
        Map::<Plain>::write(self, w)
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Self, ReadError> {
        Map::<Plain>::read(r)
    }
}

/// Lists: null items (which dense lists cannot hold) are skipped.
impl<T, C: Codec<T>> Codec<Vec<T>> for List<C> {
    fn write<E: Encode>(v: &Vec<T>, w: &mut E) -> Result<(), WriteError> {
        let start = w.begin_list(v.len());
        for item in v {
            w.item();
            C::write(item, w)?;
        }
        w.end_list(start);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<Vec<T>, ReadError> {
        let mut items = r.array()?;
        let mut out = Vec::new();
        while r.next_item(&mut items)? {
            if let Some(item) = read_opt_with::<C, T, D>(r)? {
                out.push(item);
            }
        }
        Ok(out)
    }
}

/// Maps: null values (which dense maps cannot hold) are skipped.
impl<K: Wire + Ord, T, C: Codec<T>> Codec<BTreeMap<K, T>> for Map<C> {
    fn write<E: Encode>(v: &BTreeMap<K, T>, w: &mut E) -> Result<(), WriteError> {
        let start = w.begin_map(v.len());
        for (k, item) in v {
            w.entry();
            k.write(w)?;
            w.entry_value();
            C::write(item, w)?;
        }
        w.end_map(start);
        Ok(())
    }
    fn read<'de, D: Decode<'de>>(r: &mut D) -> Result<BTreeMap<K, T>, ReadError> {
        let mut members = r.object()?;
        let mut out = BTreeMap::new();
        while r.next_entry(&mut members)? {
            let k = K::read(r)?;
            r.entry_value()?;
            if let Some(v) = read_opt_with::<C, T, D>(r)? {
                out.insert(k, v);
            }
        }
        Ok(out)
    }
}

/// `serde::Serialize` through the wire rules: the value's awsJson text, handed to `s` as a JSON
/// value. For users who want generated types in another format; the SDK itself never calls it.
pub fn serialize<T: Wire, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let text = to_vec(v).map_err(S::Error::custom)?;
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(S::Error::custom)?;
    serde::Serialize::serialize(&value, s)
}

/// `serde::Deserialize` through the wire rules: a JSON value from `d`, read as awsJson text.
pub fn deserialize<'de, T: Wire, D: serde::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    use serde::de::Error as _;
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    let text = serde_json::to_string(&value).map_err(D::Error::custom)?;
    read_str(&text).map_err(D::Error::custom)
}

/// Implements `serde::Serialize` and `serde::Deserialize` through [`Wire`], so generated types
/// work with any self-describing serde format, in their awsJson shape.
#[macro_export]
macro_rules! serde_via_wire {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::codegen::serde::Serialize for $t {
            fn serialize<S: $crate::codegen::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize(self, s)
            }
        }
        impl<'de> $crate::codegen::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize(d)
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_json<C: Codec<T>, T>(v: &T) -> String {
        let mut w = Writer::default();
        C::write(v, &mut w).unwrap();
        String::from_utf8(w.into_bytes()).unwrap()
    }

    fn from_json<C: Codec<T>, T>(s: &str) -> Result<T, ReadError> {
        crate::reader::from_str(s, |r| C::read(r))
    }

    #[test]
    fn floats_and_timestamps() {
        assert_eq!(to_json::<Plain, f64>(&f64::NAN), "\"NaN\"");
        assert_eq!(to_json::<Plain, f64>(&f64::NEG_INFINITY), "\"-Infinity\"");
        assert_eq!(to_json::<Plain, f64>(&1.5), "1.5");
        assert!(from_json::<Plain, f64>("\"NaN\"").unwrap().is_nan());
        assert_eq!(from_json::<Plain, f64>("3").unwrap(), 3.0);
        assert!(from_json::<Plain, f64>("\"nan\"").is_err());
        let t = DateTime::from_secs(1_422_172_800);
        assert_eq!(to_json::<Plain, DateTime>(&t), "1422172800");
        assert_eq!(to_json::<Iso8601, DateTime>(&t), "\"2015-01-25T08:00:00Z\"");
        assert_eq!(
            from_json::<Plain, DateTime>("1422172800.5")
                .unwrap()
                .subsec_nanos(),
            500_000_000
        );
        assert_eq!(
            from_json::<Plain, DateTime>("\"2015-01-25T08:00:00Z\"").unwrap(),
            t
        );
        assert_eq!(
            to_json::<Plain, DateTime>(&DateTime::from_secs_and_nanos(1, 250_000_000)),
            "1.25"
        );
    }

    #[test]
    fn collections_skip_nulls_and_blobs_are_base64() {
        assert_eq!(
            from_json::<Plain, Vec<String>>("[\"a\", null, \"b\"]").unwrap(),
            vec!["a", "b"]
        );
        let m = from_json::<Plain, BTreeMap<String, i32>>("{\"a\": 1, \"b\": null}").unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(to_json::<Plain, Blob>(&Blob::from("foo")), "\"Zm9v\"");
        assert_eq!(
            from_json::<Plain, Blob>("\"Zm9v\"").unwrap().as_bytes(),
            b"foo"
        );
        assert!(from_json::<Plain, Blob>("\"%%%\"").is_err());
        assert_eq!(
            from_json::<List<Iso8601>, Vec<DateTime>>("[0]").unwrap(),
            vec![DateTime::from_secs(0)]
        );
        assert_eq!(
            to_json::<List<Iso8601>, Vec<DateTime>>(&vec![DateTime::from_secs(0)]),
            "[\"1970-01-01T00:00:00Z\"]"
        );
    }

    #[test]
    fn the_serde_bridge_keeps_every_float_bit() {
        let mut x = 0.1f64 + 0.2;
        for _ in 0..2000 {
            let value = serialize(&x, serde_json::value::Serializer).unwrap();
            let back: f64 = deserialize(value).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x:e}");
            x = x * 1.618_033_988_749_895 + 1e-17;
        }
        let value = serialize(&f64::NAN, serde_json::value::Serializer).unwrap();
        assert_eq!(value, serde_json::json!("NaN"));
    }
}
