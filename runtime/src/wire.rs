//! The awsJson wire rules, in one place: how each kind of value is written and read.
//!
//! Generated structures implement [`Wire`] and list their members; everything a member's value
//! needs (numbers that may be `"NaN"`, epoch-second timestamps, base64 blobs, `null` read as
//! absent, unknown members skipped) is decided here. A member whose timestamps use another format
//! picks a [`Codec`] other than [`Plain`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::reader::{ReadError, Reader};
use crate::{Blob, DateTime, Document};

/// A value with an awsJson representation.
///
/// `de` reads through serde (any format, and the server's validated input); `read` reads JSON
/// text directly with the [`Reader`] (the client's responses), under the same rules.
pub trait Wire: Sized {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError>;
}

/// How a value of type `T` is written and read; [`Plain`] uses `T`'s [`Wire`] rules.
pub trait Codec<T> {
    fn ser<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error>;
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error>;
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
    fn ser<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.ser(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::de(d)
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

/// Reads an optional value with codec `C`: JSON `null` is absent.
#[inline(always)]
pub fn read_opt<C: Codec<T>, T>(r: &mut Reader<'_>) -> Result<Option<T>, ReadError> {
    if r.null() {
        Ok(None)
    } else {
        C::read(r).map(Some)
    }
}

/// Serialises `&T` with codec `C`.
pub struct With<'a, C, T>(&'a T, PhantomData<C>);

impl<C: Codec<T>, T> Serialize for With<'_, C, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        C::ser(self.0, s)
    }
}

/// Wraps a value for serialisation with codec `C`.
pub fn with<C: Codec<T>, T>(v: &T) -> With<'_, C, T> {
    With(v, PhantomData)
}

/// Writes the member `key` of a structure with codec `C`.
pub fn entry<C: Codec<T>, T, M: serde::ser::SerializeMap>(
    map: &mut M,
    key: &'static str,
    v: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(key, &with::<C, T>(v))
}

/// Writes the optional member `key` of a structure with codec `C`, when it is set.
pub fn opt_entry<C: Codec<T>, T, M: serde::ser::SerializeMap>(
    map: &mut M,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), M::Error> {
    match v {
        Some(v) => map.serialize_entry(key, &with::<C, T>(v)),
        None => Ok(()),
    }
}

/// Reads a `T` with codec `C`.
pub struct Seed<C, T>(PhantomData<(C, T)>);

impl<C, T> Seed<C, T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for Seed<C, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        C::de(d)
    }
}

/// Reads an optional `T` with codec `C`: JSON `null` is absent.
pub struct OptSeed<C, T>(PhantomData<(C, T)>);

impl<C, T> OptSeed<C, T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        OptSeed(PhantomData)
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for OptSeed<C, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        struct V<C, T>(PhantomData<(C, T)>);
        impl<'de, C: Codec<T>, T> Visitor<'de> for V<C, T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                C::de(d).map(Some)
            }
        }
        d.deserialize_option(V::<C, T>(PhantomData))
    }
}

/// A member name read from an object, borrowed from the input when it can be.
pub struct FieldName<'de>(Cow<'de, str>);

impl<'de> FieldName<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_cow(self) -> Cow<'de, str> {
        self.0
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Skips a value the model does not know (an unknown member).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// The error for a required member that is absent or `null`.
pub fn missing<E: de::Error>(shape: &str, member: &str) -> E {
    E::custom(format_args!(
        "missing required member `{member}` of {shape}"
    ))
}

impl Wire for String {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.string()
    }
}

macro_rules! plain_serde {
    ($($t:ty => $ser:ident, $read:expr),*) => {$(
        impl Wire for $t {
            fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.$ser(*self)
            }
            fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t>::deserialize(d)
            }
            fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
                $read(r)
            }
        }
    )*};
}

plain_serde!(
    bool => serialize_bool, Reader::bool,
    i8 => serialize_i8, Reader::int::<i8>,
    i16 => serialize_i16, Reader::int::<i16>,
    i32 => serialize_i32, Reader::int::<i32>,
    i64 => serialize_i64, Reader::i64
);

/// Floats: finite values as numbers, the rest as `"NaN"`, `"Infinity"`, `"-Infinity"`.
struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&ExpectingFloat, f)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        float_from_str(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// The floats that are not numbers on the wire.
fn float_from_str(v: &str) -> Option<f64> {
    match v {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// A float as [`FloatVisitor`] reads it.
fn read_float(r: &mut Reader<'_>) -> Result<f64, ReadError> {
    if !r.at_string() {
        return r.f64();
    }
    let s = r.str()?;
    float_from_str(&s).ok_or_else(|| {
        r.error(format_args!(
            "invalid value: string {s:?}, expected {}",
            ExpectingFloat
        ))
    })
}

/// What a float member holds, for messages of both read paths.
struct ExpectingFloat;

impl fmt::Display for ExpectingFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
}

fn ser_float<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_nan() {
        s.serialize_str("NaN")
    } else if v == f64::INFINITY {
        s.serialize_str("Infinity")
    } else if v == f64::NEG_INFINITY {
        s.serialize_str("-Infinity")
    } else {
        s.serialize_f64(v)
    }
}

impl Wire for f64 {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_float(*self, s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_float(r)
    }
}

impl Wire for f32 {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            s.serialize_f32(*self)
        } else {
            ser_float(f64::from(*self), s)
        }
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_float(r).map(|v| v as f32)
    }
}

/// Timestamps are read in any of the three formats, whatever the member's format says: a
/// number is epoch seconds, a string is ISO 8601 or an HTTP date.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp (epoch seconds or a date string)")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        DateTime::from_epoch_f64(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v).map(DateTime::from_secs).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        timestamp_from_str(v).map_err(E::custom)
    }
}

fn timestamp_from_str(v: &str) -> Result<DateTime, crate::datetime::InvalidTimestamp> {
    DateTime::parse_iso8601(v)
        .or_else(|_| DateTime::parse_http_date(v))
        .or_else(|e| {
            v.parse::<f64>()
                .map_err(|_| e)
                .and_then(DateTime::from_epoch_f64)
        })
}

/// A timestamp in any of the three formats, as [`TimestampVisitor`] reads it.
fn read_timestamp(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
    if r.at_string() {
        let s = r.str()?;
        timestamp_from_str(&s).map_err(|e| r.error(e))
    } else {
        r.epoch_seconds()
    }
}

/// Epoch seconds, with a fraction when the time is not a whole second.
impl Wire for DateTime {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.subsec_nanos() == 0 {
            s.serialize_i64(self.secs())
        } else {
            s.serialize_f64(self.as_epoch_f64())
        }
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        read_timestamp(r)
    }
}

impl Codec<DateTime> for Iso8601 {
    fn ser<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_iso8601())
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
    fn read(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
        read_timestamp(r)
    }
}

impl Codec<DateTime> for HttpDate {
    fn ser<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_http_date())
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
    fn read(r: &mut Reader<'_>) -> Result<DateTime, ReadError> {
        read_timestamp(r)
    }
}

/// Base64.
impl Wire for Blob {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                Blob::from_base64(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        let s = r.str()?;
        Blob::from_base64(&s).map_err(|e| r.error(e))
    }
}

impl Wire for Document {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Document::deserialize(d)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        let raw = r.raw()?;
        serde_json::from_str(raw).map_err(|e| r.error(e))
    }
}

impl<T: Wire> Wire for Box<T> {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).ser(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::de(d).map(Box::new)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        T::read(r).map(Box::new)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        List::<Plain>::ser(self, s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        List::<Plain>::de(d)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        List::<Plain>::read(r)
    }
}

impl<K: Wire + Ord, V: Wire> Wire for BTreeMap<K, V> {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Map::<Plain>::ser(self, s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::<Plain>::de(d)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        Map::<Plain>::read(r)
    }
}

/// Lists: `null` items (which dense lists cannot hold) are skipped.
impl<T, C: Codec<T>> Codec<Vec<T>> for List<C> {
    fn ser<S: Serializer>(v: &Vec<T>, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v {
            seq.serialize_element(&with::<C, T>(item))?;
        }
        seq.end()
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct V<C, T>(PhantomData<(C, T)>);
        impl<'de, C: Codec<T>, T> Visitor<'de> for V<C, T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element_seed(OptSeed::<C, T>::new())? {
                    if let Some(item) = item {
                        out.push(item);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<C, T>(PhantomData))
    }
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>, ReadError> {
        let mut items = r.array()?;
        let mut out = Vec::new();
        while items.next(r)? {
            if let Some(item) = read_opt::<C, T>(r)? {
                out.push(item);
            }
        }
        Ok(out)
    }
}

/// Maps: `null` values (which dense maps cannot hold) are skipped.
impl<K: Wire + Ord, T, C: Codec<T>> Codec<BTreeMap<K, T>> for Map<C> {
    fn ser<S: Serializer>(v: &BTreeMap<K, T>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(v.len()))?;
        for (k, item) in v {
            map.serialize_entry(&with::<Plain, K>(k), &with::<C, T>(item))?;
        }
        map.end()
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<K, T>, D::Error> {
        struct V<K, C, T>(PhantomData<(K, C, T)>);
        impl<'de, K: Wire + Ord, C: Codec<T>, T> Visitor<'de> for V<K, C, T> {
            type Value = BTreeMap<K, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BTreeMap<K, T>, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(k) = map.next_key_seed(Seed::<Plain, K>::new())? {
                    if let Some(v) = map.next_value_seed(OptSeed::<C, T>::new())? {
                        out.insert(k, v);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V::<K, C, T>(PhantomData))
    }
    fn read(r: &mut Reader<'_>) -> Result<BTreeMap<K, T>, ReadError> {
        let mut members = r.object()?;
        let mut out = BTreeMap::new();
        while members.next_entry(r)? {
            let k = K::read(r)?;
            r.colon()?;
            if let Some(v) = read_opt::<C, T>(r)? {
                out.insert(k, v);
            }
        }
        Ok(out)
    }
}

/// Error for serialising a union value that holds a member this version does not know.
pub fn unknown_union_member<E: ser::Error>(shape: &str) -> E {
    E::custom(format_args!(
        "cannot send {shape}: it holds a member this client does not know"
    ))
}

/// Implements `serde::Serialize` and `serde::Deserialize` through [`Wire`], so generated types
/// work with any serde format in their awsJson shape.
#[macro_export]
macro_rules! serde_via_wire {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::codegen::serde::Serialize for $t {
            fn serialize<S: $crate::codegen::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::wire::Wire::ser(self, s)
            }
        }
        impl<'de> $crate::codegen::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::Wire::de(d)
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_json<C: Codec<T>, T>(v: &T) -> String {
        serde_json::to_string(&with::<C, T>(v)).unwrap()
    }

    fn from_json<C: Codec<T>, T>(s: &str) -> Result<T, serde_json::Error> {
        let mut d = serde_json::Deserializer::from_str(s);
        Seed::<C, T>::new().deserialize(&mut d)
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
}
