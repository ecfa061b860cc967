//! The awsJson wire rules, in one place: how each kind of value is written and read.
//!
//! Generated structures implement [`Wire`] and list their members; everything a member's value
//! needs (numbers that may be `"NaN"`, epoch-second timestamps, base64 blobs, `null` read as
//! absent, unknown members skipped) is decided here. A member whose timestamps use another format
//! picks a [`Codec`] other than [`Plain`].
//!
//! Both directions are JSON text driven by generated code: [`Writer`] out, [`Reader`] in. Serde
//! sees generated types only through [`serde_via_wire!`](crate::serde_via_wire), for users who
//! want them in another format.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::json::{WriteError, Writer};
use crate::reader::{ReadError, Reader};
use crate::{Blob, DateTime, Document};

/// A value with an awsJson representation.
pub trait Wire: Sized {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError>;
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError>;
}

/// How a value of type `T` is written and read; [`Plain`] uses `T`'s [`Wire`] rules.
pub trait Codec<T> {
    fn write(v: &T, w: &mut Writer) -> Result<(), WriteError>;
    fn read(r: &mut Reader<'_>) -> Result<T, ReadError>;
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
    fn write(v: &T, w: &mut Writer) -> Result<(), WriteError> {
        v.write(w)
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<T, ReadError> {
        T::read(r)
    }
}

/// Reads one `T` from JSON `text` (nothing but whitespace may follow).
pub fn read_str<T: Wire>(text: &str) -> Result<T, ReadError> {
    crate::reader::from_str(text, T::read)
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

/// Reads an optional value by its type's rules: JSON `null` is absent.
#[inline(always)]
pub fn read_opt<T: Wire>(r: &mut Reader<'_>) -> Result<Option<T>, ReadError> {
    read_opt_with::<Plain, T>(r)
}

/// Reads an optional value with codec `C`: JSON `null` is absent.
#[inline(always)]
pub fn read_opt_with<C: Codec<T>, T>(r: &mut Reader<'_>) -> Result<Option<T>, ReadError> {
    if r.null() {
        Ok(None)
    } else {
        C::read(r).map(Some)
    }
}

/// Writes a member of a structure by its type's rules; `key` is its name as the generator
/// escaped it, with the comma before it and the colon after it (`,"Name":`).
#[inline]
pub fn member<T: Wire>(w: &mut Writer, key: &'static str, v: &T) -> Result<(), WriteError> {
    member_with::<Plain, T>(w, key, v)
}

/// Writes a member of a structure with codec `C` (see [`member`]).
#[inline]
pub fn member_with<C: Codec<T>, T>(
    w: &mut Writer,
    key: &'static str,
    v: &T,
) -> Result<(), WriteError> {
    w.raw(key);
    C::write(v, w)
}

/// Writes an optional member of a structure by its type's rules, when it is set.
#[inline]
pub fn opt_member<T: Wire>(
    w: &mut Writer,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), WriteError> {
    opt_member_with::<Plain, T>(w, key, v)
}

/// Writes an optional member of a structure with codec `C`, when it is set.
#[inline]
pub fn opt_member_with<C: Codec<T>, T>(
    w: &mut Writer,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), WriteError> {
    match v {
        Some(v) => member_with::<C, T>(w, key, v),
        None => Ok(()),
    }
}

/// The error for a required member that is absent or `null`.
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
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.str(self);
        Ok(())
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.string()
    }
}

impl Wire for bool {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.bool(*self);
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.bool()
    }
}

macro_rules! integers {
    ($($t:ty => $read:expr),*) => {$(
        impl Wire for $t {
            fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
                w.i64(i64::from(*self));
                Ok(())
            }
            fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
                $read(r)
            }
        }
    )*};
}

integers!(
    i8 => Reader::int::<i8>,
    i16 => Reader::int::<i16>,
    i32 => Reader::int::<i32>,
    i64 => Reader::i64
);

/// The floats that are not numbers on the wire.
fn float_from_str(v: &str) -> Option<f64> {
    match v {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Floats: finite values as numbers, the rest as `"NaN"`, `"Infinity"`, `"-Infinity"`.
fn read_float(r: &mut Reader<'_>) -> Result<f64, ReadError> {
    if !r.at_string() {
        return r.f64();
    }
    let s = r.str()?;
    float_from_str(&s).ok_or_else(|| {
        r.error(format_args!(
            "invalid value: string {s:?}, expected a number, \"NaN\", \"Infinity\" or \"-Infinity\""
        ))
    })
}

/// The string for a float that is not finite.
fn non_finite(v: f64) -> &'static str {
    if v.is_nan() {
        "\"NaN\""
    } else if v > 0.0 {
        "\"Infinity\""
    } else {
        "\"-Infinity\""
    }
}

impl Wire for f64 {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        if self.is_finite() {
            w.f64(*self);
        } else {
            w.raw(non_finite(*self));
        }
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_float(r)
    }
}

impl Wire for f32 {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        if self.is_finite() {
            w.f32(*self);
        } else {
            w.raw(non_finite(f64::from(*self)));
        }
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_float(r).map(|v| v as f32)
    }
}

/// Timestamps are read in any of the three formats, whatever the member's format says: a
/// number is epoch seconds, a string is ISO 8601 or an HTTP date.
#[inline]
fn read_timestamp(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
    if r.at_string() {
        let s = r.str()?;
        DateTime::parse_any(&s).map_err(|e| r.error(e))
    } else {
        r.epoch_seconds()
    }
}

/// Epoch seconds, with a fraction when the time is not a whole second.
impl Wire for DateTime {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        if self.subsec_nanos() == 0 {
            w.i64(self.secs());
        } else {
            w.f64(self.as_epoch_f64());
        }
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_timestamp(r)
    }
}

impl Codec<DateTime> for Iso8601 {
    fn write(v: &DateTime, w: &mut Writer) -> Result<(), WriteError> {
        w.str(&v.to_iso8601());
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
        read_timestamp(r)
    }
}

impl Codec<DateTime> for HttpDate {
    fn write(v: &DateTime, w: &mut Writer) -> Result<(), WriteError> {
        w.str(&v.to_http_date());
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
        read_timestamp(r)
    }
}

/// Base64.
impl Wire for Blob {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.str(&self.to_base64());
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        let s = r.str()?;
        Blob::from_base64(&s).map_err(|e| r.error(e))
    }
}

/// A streaming payload is the body itself, never inside JSON; through the serde bridge
/// ([`crate::serde_via_wire`]) it is written as a blob is, when it is in memory.
impl Wire for crate::ByteStream {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self.bytes() {
            Some(b) => Blob::new(b.to_vec()).write(w),
            None => Err(WriteError::custom(
                "a streaming payload that is not in memory has no JSON form",
            )),
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        Blob::read(r).map(crate::ByteStream::from)
    }
}

impl Wire for Document {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.document(self);
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.document()
    }
}

impl<T: Wire> Wire for Box<T> {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        (**self).write(w)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        T::read(r).map(Box::new)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        List::<Plain>::write(self, w)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        List::<Plain>::read(r)
    }
}

impl<K: Wire + Ord, V: Wire> Wire for BTreeMap<K, V> {
    fn write(&self, w: &mut Writer) -> Result<(), WriteError> {
        Map::<Plain>::write(self, w)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        Map::<Plain>::read(r)
    }
}

/// Lists: `null` items (which dense lists cannot hold) are skipped.
impl<T, C: Codec<T>> Codec<Vec<T>> for List<C> {
    fn write(v: &Vec<T>, w: &mut Writer) -> Result<(), WriteError> {
        let start = w.start();
        for item in v {
            w.comma();
            C::write(item, w)?;
        }
        w.close(start, b'[', b']');
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>, ReadError> {
        let mut items = r.array()?;
        let mut out = Vec::new();
        while items.next(r)? {
            if let Some(item) = read_opt_with::<C, T>(r)? {
                out.push(item);
            }
        }
        Ok(out)
    }
}

/// Maps: `null` values (which dense maps cannot hold) are skipped.
impl<K: Wire + Ord, T, C: Codec<T>> Codec<BTreeMap<K, T>> for Map<C> {
    fn write(v: &BTreeMap<K, T>, w: &mut Writer) -> Result<(), WriteError> {
        let start = w.start();
        for (k, item) in v {
            w.comma();
            k.write(w)?;
            w.colon();
            C::write(item, w)?;
        }
        w.close(start, b'{', b'}');
        Ok(())
    }
    fn read(r: &mut Reader<'_>) -> Result<BTreeMap<K, T>, ReadError> {
        let mut members = r.object()?;
        let mut out = BTreeMap::new();
        while members.next_entry(r)? {
            let k = K::read(r)?;
            r.colon()?;
            if let Some(v) = read_opt_with::<C, T>(r)? {
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
        crate::reader::from_str(s, C::read)
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
