//! A JSON text as the parsers read it.

use std::borrow::Cow;

use super::RuleSetError;
use crate::reader::{ReadError, Reader};

/// A JSON text read into a tree that borrows its strings from the text, for the parsers above:
/// a rule set is read once per client, and through `serde_json::Value` that cost a million
/// instructions and some 140 KB of the client binary (its deserializer and maps).
#[derive(Debug)]
pub(super) enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// A number: rule sets and partitions have integers only; anything else is kept as not one.
#[derive(Debug)]
pub(super) enum Number {
    Int(i64),
    Other,
}

impl Number {
    pub(super) fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Other => None,
        }
    }
}

/// An object's members in the text's order (a repeated name: the last one counts, as in
/// `serde_json`).
#[derive(Debug)]
pub(super) struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Object<'a> {
    pub(super) fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Each name once (its last value), in the text's order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| !self.0[i + 1..].iter().any(|(later, _)| later == k))
            .map(|(_, (k, v))| (k.as_ref(), v))
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }
}

impl<'a> Json<'a> {
    /// Reads `text` with the runtime's JSON reader (RFC 8259, as `serde_json` reads it).
    pub(super) fn parse(text: &'a str) -> Result<Json<'a>, RuleSetError> {
        let mut r = Reader::new(text);
        let value = Json::read(&mut r).and_then(|v| match r.peek_byte() {
            None => Ok(v),
            Some(_) => Err(r.error("trailing characters")),
        });
        value.map_err(|e| RuleSetError(vec![format!(": not valid JSON: {e}")]))
    }

    fn read(r: &mut Reader<'a>) -> Result<Json<'a>, ReadError> {
        Ok(match r.peek_byte() {
            Some(b'{') => {
                let mut members = r.object()?;
                let mut out = Vec::new();
                while let Some(k) = members.next_key(r)? {
                    out.push((k, Json::read(r)?));
                }
                Json::Object(Object(out))
            }
            Some(b'[') => {
                let mut items = r.array()?;
                let mut out = Vec::new();
                while items.next(r)? {
                    out.push(Json::read(r)?);
                }
                Json::Array(out)
            }
            Some(b'"') => Json::String(r.str()?),
            Some(b't' | b'f') => Json::Bool(r.bool()?),
            Some(b'n') if r.null() => Json::Null,
            _ => {
                let text = r.raw()?;
                match text.parse::<i64>() {
                    Ok(i) => Json::Number(Number::Int(i)),
                    // `raw` checked it against JSON's grammar: a number, just not an integer.
                    Err(_) => Json::Number(Number::Other),
                }
            }
        })
    }

    pub(super) fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(o) => o.get(key),
            _ => None,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(super) fn as_array(&self) -> Option<&Vec<Json<'a>>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(super) fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::RuleSet;

    #[test]
    fn json_as_serde_json_reads_it() {
        let j =
            Json::parse(r#" {"a": [1, 2.5, -3e2, true, null, "x\u00e9"], "b": {}, "a": "last"} "#)
                .unwrap();
        let o = j.as_object().unwrap();
        // A repeated name: the last value, once, where the name came first.
        assert_eq!(o.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(j.get("a").and_then(Json::as_str), Some("last"));
        let first = Json::parse(r#"[1, 2.5, -3e2, true, null, "x\u00e9"]"#).unwrap();
        let items = first.as_array().unwrap();
        assert!(matches!(items[0], Json::Number(Number::Int(1))));
        assert!(matches!(items[1], Json::Number(Number::Other)));
        assert!(matches!(items[2], Json::Number(Number::Other)));
        assert_eq!(items[3].as_bool(), Some(true));
        assert!(matches!(items[4], Json::Null));
        assert_eq!(items[5].as_str(), Some("x\u{e9}"));
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "nul", "1 2", "\"\\q\""] {
            let e = Json::parse(bad).unwrap_err();
            assert!(e.0[0].starts_with(": not valid JSON"), "{bad}: {e}");
        }
        assert!(RuleSet::parse("{\"parameters\": {}, \"rules\": []} x").is_err());
    }
}
