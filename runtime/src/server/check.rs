//! The fast path of validation: decides, straight from the request text and without building a
//! JSON value or any message, whether a body satisfies its input shape's constraints.
//!
//! It is conservative: it may call a valid body invalid (a repeated member name, a structure of
//! more than 256 members), never the reverse. A body it refuses goes to the full validator in
//! [`schema`](super::schema), which decides again and words every violation as AWS does; so the
//! messages have one source, and a valid body is read twice from text (this check, then the typed
//! decode) instead of being turned into a `serde_json::Value`, walked, and decoded from that.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::schema::{Member, Schema, Shape};

/// A member name read from an object, borrowed from the input when it can be.
struct FieldName<'de>(Cow<'de, str>);

impl<'de> FieldName<'de> {
    fn as_str(&self) -> &str {
        &self.0
    }

    fn into_cow(self) -> Cow<'de, str> {
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

/// Whether `body` (JSON text) certainly satisfies shape `root`.
pub(super) fn certainly_valid(schema: &Schema, root: u32, body: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(body);
    matches!(
        Check {
            schema,
            shape: root
        }
        .deserialize(&mut de),
        Ok(Seen::Value)
    ) && de.end().is_ok()
}

/// What a checked position held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// JSON `null`: an absent member, a skipped list item or map value.
    Null,
    /// A value that satisfies its shape.
    Value,
}

/// Any JSON value, read as a `serde_json::Value` would be (unlike `IgnoredAny`, which does not
/// parse numbers: `1e400` must be refused here as it is there).
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<FieldName<'de>, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

#[derive(Clone, Copy)]
struct Check<'s> {
    schema: &'s Schema,
    shape: u32,
}

impl<'s> Check<'s> {
    fn shape(&self) -> Option<&'s Shape> {
        self.schema.shapes.get(self.shape as usize)
    }

    fn at(self, shape: u32) -> Check<'s> {
        Check { shape, ..self }
    }

    /// A string (or map key) against this shape.
    fn str_ok(&self, s: &str) -> bool {
        match self.shape() {
            Some(Shape::String {
                min,
                max,
                pattern,
                values,
            }) => {
                length_ok(s.chars().count() as u64, *min, *max)
                    && pattern.is_none_or(|p| self.schema.matches(p, s))
                    && values.is_none_or(|v| v.contains(&s))
            }
            Some(Shape::Float { .. }) => matches!(s, "NaN" | "Infinity" | "-Infinity"),
            Some(Shape::Timestamp) => {
                crate::DateTime::parse_iso8601(s).is_ok()
                    || crate::DateTime::parse_http_date(s).is_ok()
            }
            Some(Shape::Blob { min, max }) => {
                crate::blob::decode(s).is_ok_and(|b| length_ok(b.len() as u64, *min, *max))
            }
            Some(Shape::Document) | None => true,
            Some(_) => false,
        }
    }

    fn number_ok(&self, n: Number) -> bool {
        match self.shape() {
            Some(Shape::Integer { bits, min, max }) => match n {
                Number::Int(i) => {
                    let limit = 1i128 << (bits - 1);
                    (-limit..limit).contains(&i128::from(i)) && range_ok(i as f64, *min, *max)
                }
                Number::Float(_) => false,
            },
            Some(Shape::Float { min, max }) => range_ok(n.as_f64(), *min, *max),
            Some(Shape::Timestamp | Shape::Document) | None => true,
            Some(_) => false,
        }
    }
}

#[derive(Clone, Copy)]
enum Number {
    /// A number that fits an `i64`.
    Int(i64),
    /// Any other: fractional, exponent, or beyond `i64`.
    Float(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

fn length_ok(n: u64, min: Option<u64>, max: Option<u64>) -> bool {
    min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
}

/// Written as "not below, not above", as the full validator words it (a NaN bound refuses nothing).
fn range_ok(n: f64, min: Option<f64>, max: Option<f64>) -> bool {
    !min.is_some_and(|m| n < m) && !max.is_some_and(|m| n > m)
}

/// The check failed; the full validator will say why.
fn refuse<T, E: de::Error>() -> Result<T, E> {
    Err(E::custom("refused by the fast check"))
}

fn verdict<E: de::Error>(ok: bool) -> Result<Seen, E> {
    if ok {
        Ok(Seen::Value)
    } else {
        refuse()
    }
}

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = Seen;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Seen, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check<'_> {
    type Value = Seen;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the model's shape")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Seen, E> {
        Ok(Seen::Null)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Seen, E> {
        verdict(matches!(
            self.shape(),
            Some(Shape::Boolean | Shape::Document) | None
        ))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Seen, E> {
        verdict(self.number_ok(Number::Int(n)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Seen, E> {
        verdict(self.number_ok(match i64::try_from(n) {
            Ok(i) => Number::Int(i),
            Err(_) => Number::Float(n as f64),
        }))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Seen, E> {
        verdict(self.number_ok(Number::Float(n)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Seen, E> {
        verdict(self.str_ok(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        match self.shape() {
            Some(Shape::List { member, min, max }) => {
                let item = self.at(*member);
                let mut n = 0u64;
                while seq.next_element_seed(item)?.is_some() {
                    n += 1;
                }
                verdict(length_ok(n, *min, *max))
            }
            Some(Shape::Document) | None => {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Seen::Value)
            }
            Some(_) => refuse(),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        match self.shape() {
            Some(Shape::Structure { members }) => self.members(members, false, map),
            Some(Shape::Union { members }) => self.members(members, true, map),
            Some(Shape::Map {
                key,
                value,
                min,
                max,
            }) => {
                let key = self.at(*key);
                let value = self.at(*value);
                // Repeated keys count once, as in the decoded map; only a minimum needs the exact
                // count (more entries than keys can only break a maximum, which the full validator
                // then rechecks).
                let mut keys: Option<Vec<Cow<'de, str>>> = min.map(|_| Vec::new());
                let mut n = 0u64;
                while let Some(k) = map.next_key::<FieldName<'de>>()? {
                    if !key.str_ok(k.as_str()) {
                        return refuse();
                    }
                    map.next_value_seed(value)?;
                    n += 1;
                    if let Some(keys) = &mut keys {
                        keys.push(k.into_cow());
                    }
                }
                let count = match keys {
                    Some(mut keys) => {
                        keys.sort_unstable();
                        keys.dedup();
                        keys.len() as u64
                    }
                    None => n,
                };
                verdict(length_ok(count, *min, *max))
            }
            Some(Shape::Document) | None => {
                while map.next_entry::<FieldName<'de>, Skip>()?.is_some() {}
                Ok(Seen::Value)
            }
            Some(_) => refuse(),
        }
    }
}

impl Check<'_> {
    /// A structure's or union's members: each known one checked, required ones present, a union
    /// with at most one set. A repeated member name is refused (the full validator sees the last).
    fn members<'de, A: MapAccess<'de>>(
        self,
        members: &[Member],
        union: bool,
        mut map: A,
    ) -> Result<Seen, A::Error> {
        const WORDS: usize = 4;
        if members.len() > WORDS * 64 {
            return refuse();
        }
        let mut seen = [0u64; WORDS];
        let mut set = [0u64; WORDS];
        let mut count = 0usize;
        while let Some(k) = map.next_key::<FieldName<'de>>()? {
            let Some(i) = members.iter().position(|m| m.name == k.as_str()) else {
                map.next_value::<Skip>()?;
                continue;
            };
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            if seen[word] & bit != 0 {
                return refuse();
            }
            seen[word] |= bit;
            if map.next_value_seed(self.at(members[i].target))? == Seen::Value {
                set[word] |= bit;
                count += 1;
            }
        }
        let required_present = members
            .iter()
            .enumerate()
            .all(|(i, m)| !m.required || set[i / 64] & (1u64 << (i % 64)) != 0);
        verdict(required_present && !(union && count > 1))
    }
}

#[cfg(test)]
mod tests {
    use super::certainly_valid;
    use crate::server::schema::{validate, Member, Pattern, Schema, Shape};

    const fn member(name: &'static str, target: u32, required: bool) -> Member {
        Member {
            name,
            path: name,
            target,
            required,
            sensitive: false,
        }
    }

    static SHAPES: &[Shape] = &[
        // 0: the input
        Shape::Structure {
            members: &[
                member("Id", 1, true),
                member("Count", 2, false),
                member("Tags", 3, false),
                member("Names", 4, false),
                member("Ratio", 5, false),
                member("When", 6, false),
                member("Data", 7, false),
                member("Flag", 8, false),
                member("Kind", 9, false),
                member("Choice", 10, false),
                member("Doc", 11, false),
                member("Small", 12, false),
            ],
        },
        // 1: a patterned id
        Shape::String {
            min: Some(3),
            max: Some(20),
            pattern: Some(0),
            values: None,
        },
        // 2
        Shape::Integer {
            bits: 32,
            min: Some(1.0),
            max: Some(60.0),
        },
        // 3: a map with a minimum, constrained keys
        Shape::Map {
            key: 13,
            value: 13,
            min: Some(1),
            max: Some(2),
        },
        // 4
        Shape::List {
            member: 13,
            min: Some(1),
            max: Some(2),
        },
        // 5
        Shape::Float {
            min: Some(0.0),
            max: Some(1.0),
        },
        // 6
        Shape::Timestamp,
        // 7
        Shape::Blob {
            min: Some(1),
            max: Some(4),
        },
        // 8
        Shape::Boolean,
        // 9
        Shape::String {
            min: None,
            max: None,
            pattern: None,
            values: Some(&["A", "B"]),
        },
        // 10
        Shape::Union {
            members: &[member("Left", 13, false), member("Right", 2, false)],
        },
        // 11
        Shape::Document,
        // 12
        Shape::Integer {
            bits: 8,
            min: None,
            max: None,
        },
        // 13: short strings
        Shape::String {
            min: Some(1),
            max: Some(3),
            pattern: None,
            values: None,
        },
    ];
    static SCHEMA: Schema = Schema::new(
        SHAPES,
        &[false; 14],
        &[Pattern {
            source: "^[a-z]+:[0-9]+$",
            regex: "\\A(?:^[a-z]+:[0-9]+$)\\z",
            fancy: false,
            chars: None,
        }],
    );

    const SAMPLES: &[&str] = &[
        "null",
        "true",
        "0",
        "1",
        "-1",
        "60",
        "61",
        "127",
        "128",
        "-129",
        "1.5",
        "0.5",
        "9223372036854775807",
        "18446744073709551615",
        "1e400",
        "\"\"",
        "\"a\"",
        "\"abc\"",
        "\"abcd\"",
        "\"A\"",
        "\"C\"",
        "\"NaN\"",
        "\"Infinity\"",
        "\"ab:12\"",
        "\"ab:1x\"",
        "\"ab\\u003a12\"",
        "\"2020-01-01T00:00:00Z\"",
        "\"Wed, 01 Jan 2020 00:00:00 GMT\"",
        "\"not a date\"",
        "\"aGk=\"",
        "\"aGVsbG8=\"",
        "\"!!\"",
        "[]",
        "[\"a\"]",
        "[\"a\",null]",
        "[\"a\",\"b\",\"c\"]",
        "[\"abcd\"]",
        "[1]",
        "{}",
        "{\"a\":\"b\"}",
        "{\"a\":null}",
        "{\"abcd\":\"b\"}",
        "{\"a\":\"b\",\"c\":\"d\",\"e\":\"f\"}",
        "{\"Left\":\"x\"}",
        "{\"Left\":\"x\",\"Right\":2}",
        "{\"Left\":\"x\",\"Right\":null}",
        "{\"Right\":0}",
    ];

    /// Samples with a repeated name, which the fast check may refuse though they are valid.
    const REPEATS: &[&str] = &[
        "{\"a\":\"b\",\"a\":\"c\"}",
        "{\"a\":\"b\",\"c\":\"d\",\"a\":\"e\"}",
        "{\"Left\":\"x\",\"Left\":\"y\"}",
    ];

    const MEMBERS: &[&str] = &[
        "Id", "Count", "Tags", "Names", "Ratio", "When", "Data", "Flag", "Kind", "Choice", "Doc",
        "Small", "Unknown",
    ];

    /// The full validator's verdict: JSON, and no violation.
    fn valid(body: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(body)
            .is_ok_and(|value| validate(&SCHEMA, 0, &value).is_ok())
    }

    /// The fast check never accepts what the full validator refuses (or what is not JSON).
    fn agree(body: &str) -> bool {
        let fast = certainly_valid(&SCHEMA, 0, body);
        if fast {
            let value: serde_json::Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("accepted invalid JSON {body}: {e}"));
            if let Err(r) = validate(&SCHEMA, 0, &value) {
                panic!(
                    "accepted {body}, which the validator refuses: {}",
                    r.message()
                );
            }
        }
        fast
    }

    #[test]
    fn decides_as_the_validator_does() {
        for name in MEMBERS {
            for sample in SAMPLES {
                let with_id =
                    (*name != "Id").then(|| format!(r#"{{"Id":"ab:12","{name}":{sample}}}"#));
                for body in with_id
                    .into_iter()
                    .chain([format!(r#"{{"{name}":{sample}}}"#)])
                {
                    // Without repeated names the two agree exactly: the fast path is taken
                    // whenever it can be.
                    assert_eq!(agree(&body), valid(&body), "{body}");
                }
                // A repeated member: never accepted wrongly.
                agree(&format!(
                    r#"{{"Id":"ab:12","{name}":{sample},"{name}":{sample}}}"#
                ));
            }
            for sample in REPEATS {
                agree(&format!(r#"{{"Id":"ab:12","{name}":{sample}}}"#));
            }
        }
        for body in [
            "",
            "null",
            "[]",
            "\"x\"",
            "{",
            "{}x",
            "{\"Id\":\"ab:12\"} {}",
            "\u{0}",
        ] {
            assert!(!agree(body), "{body:?}");
        }
    }

    #[test]
    fn accepts_valid_bodies_of_every_kind() {
        let body = r#"{"Id":"ab:12","Count":60,"Tags":{"a":"b","c":"d"},"Names":["a",null],
            "Ratio":"NaN","When":"2020-01-01T00:00:00Z","Data":"aGk=","Flag":false,"Kind":"B",
            "Choice":{"Left":"x","Right":null},"Doc":{"any":[1,{"x":null}]},"Small":-128,
            "Unknown":{"deep":[true]}}"#;
        assert!(agree(body));
        assert!(agree(
            r#"{"Id":"ab:12","When":1.7e9,"Ratio":1,"Count":null}"#
        ));
    }

    #[test]
    fn refuses_each_kind_of_violation() {
        for body in [
            r#"{"Count":1}"#,
            r#"{"Id":null}"#,
            r#"{"Id":"ab:1x"}"#,
            r#"{"Id":"ab:12","Count":61}"#,
            r#"{"Id":"ab:12","Count":1.0}"#,
            r#"{"Id":"ab:12","Small":128}"#,
            r#"{"Id":"ab:12","Tags":{}}"#,
            r#"{"Id":"ab:12","Tags":{"abcd":"b"}}"#,
            r#"{"Id":"ab:12","Names":["a","b","c"]}"#,
            r#"{"Id":"ab:12","Ratio":2}"#,
            r#"{"Id":"ab:12","When":"yesterday"}"#,
            r#"{"Id":"ab:12","Data":"aGVsbG8="}"#,
            r#"{"Id":"ab:12","Flag":"true"}"#,
            r#"{"Id":"ab:12","Kind":"C"}"#,
            r#"{"Id":"ab:12","Choice":{"Left":"x","Right":1}}"#,
            r#"{"Id":"ab:12","Id":"ab:12"}"#,
        ] {
            assert!(!agree(body), "{body}");
        }
    }
}
