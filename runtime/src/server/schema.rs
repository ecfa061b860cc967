//! The model's constraints as data, and the validator that checks a request body against them
//! before any handler runs. Generated server crates emit one static [`Schema`]; this module
//! interprets it, reporting every violation in the wording AWS uses.

use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// A service's shapes (by index) and its patterns.
pub struct Schema {
    pub shapes: &'static [Shape],
    /// Whether each shape is sensitive: its values never appear in messages.
    pub sensitive: &'static [bool],
    /// The model's patterns; compiled on first use.
    pub patterns: &'static [Pattern],
    pub compiled: OnceLock<Vec<Option<Matcher>>>,
}

/// One `pattern` of the model, as the generator rewrote it for the Rust engines
/// (`codegen::pattern` has the rules: whole-value matching as AWS does, Java's ASCII classes).
pub struct Pattern {
    /// As the model writes it (Java syntax): what messages quote.
    pub source: &'static str,
    /// The rule in the engines' syntax, anchored at both ends.
    pub regex: &'static str,
    /// Needs look-around or back-references: `fancy-regex` instead of `regex`.
    pub fancy: bool,
    /// A length in characters the value must also have: a pattern that is one class with a
    /// counted repetition (`[\p{L}]{1,1024}`) is compiled as `class*` plus this count.
    pub chars: Option<(u64, Option<u64>)>,
}

/// A compiled [`Pattern`].
pub enum Matcher {
    Regex(Regex),
    Fancy(fancy_regex::Regex),
}

impl Matcher {
    fn new(p: &Pattern) -> Option<Matcher> {
        // The generator built every pattern with these engines and their default limits, and
        // warned about any it could not; one that still fails is not checked.
        if p.fancy {
            fancy_regex::Regex::new(p.regex).ok().map(Matcher::Fancy)
        } else {
            Regex::new(p.regex).ok().map(Matcher::Regex)
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Regex(re) => re.is_match(text),
            // Past its backtracking limit the engine gives up; the value is then refused rather
            // than let through unchecked.
            Matcher::Fancy(re) => re.is_match(text).unwrap_or(false),
        }
    }
}

impl Schema {
    pub const fn new(
        shapes: &'static [Shape],
        sensitive: &'static [bool],
        patterns: &'static [Pattern],
    ) -> Schema {
        Schema {
            shapes,
            sensitive,
            patterns,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` satisfies pattern `i` as a whole; `true` for a pattern that could not be
    /// compiled (the generator warned about it).
    pub fn matches(&self, i: u32, text: &str) -> bool {
        let all = self
            .compiled
            .get_or_init(|| self.patterns.iter().map(Matcher::new).collect());
        let Some(pattern) = self.patterns.get(i as usize) else {
            return true;
        };
        if let Some((min, max)) = pattern.chars {
            let n = text.chars().count() as u64;
            if n < min || max.is_some_and(|m| n > m) {
                return false;
            }
        }
        all.get(i as usize)
            .and_then(Option::as_ref)
            .is_none_or(|m| m.is_match(text))
    }
}

/// One shape's constraints.
pub enum Shape {
    Structure {
        members: &'static [Member],
    },
    Union {
        members: &'static [Member],
    },
    List {
        member: u32,
        min: Option<u64>,
        max: Option<u64>,
    },
    Map {
        key: u32,
        value: u32,
        min: Option<u64>,
        max: Option<u64>,
    },
    String {
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<u32>,
        values: Option<&'static [&'static str]>,
    },
    Integer {
        bits: u8,
        min: Option<f64>,
        max: Option<f64>,
    },
    Float {
        min: Option<f64>,
        max: Option<f64>,
    },
    Boolean,
    Timestamp,
    Blob {
        min: Option<u64>,
        max: Option<u64>,
    },
    Document,
}

/// A structure or union member.
pub struct Member {
    /// Its name on the wire.
    pub name: &'static str,
    /// Its name in messages (`identityPoolId`).
    pub path: &'static str,
    pub target: u32,
    pub required: bool,
    /// Its value is never shown in messages.
    pub sensitive: bool,
}

/// Why a body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// A value of the wrong JSON type: `SerializationException`.
    Serialization(String),
    /// Constraint violations, every one: `ValidationException`.
    Validation(Vec<String>),
}

impl Rejection {
    /// The message AWS would send.
    pub fn message(&self) -> String {
        match self {
            Rejection::Serialization(m) => m.clone(),
            Rejection::Validation(v) => {
                let n = v.len();
                let s = if n == 1 { "" } else { "s" };
                format!("{n} validation error{s} detected: {}", v.join("; "))
            }
        }
    }
}

/// Checks `value` against shape `root`: `Ok` or the rejection (the first type error, or every
/// constraint violation).
pub fn validate(schema: &Schema, root: u32, value: &Value) -> Result<(), Rejection> {
    let mut v = Validator {
        schema,
        violations: Vec::new(),
        type_error: None,
    };
    v.check(root, value, &Path::Root, false);
    if let Some(e) = v.type_error {
        return Err(Rejection::Serialization(e));
    }
    if v.violations.is_empty() {
        Ok(())
    } else {
        Err(Rejection::Validation(v.violations))
    }
}

struct Validator<'a> {
    schema: &'a Schema,
    violations: Vec<String>,
    type_error: Option<String>,
}

/// Where a value sits in the request, rendered only when a message needs it (most requests have
/// no violation, so no path string is ever built).
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Member(&'a Path<'a>, &'static str),
    /// A list item, numbered from 1 as AWS does: `list.1.member`.
    Item(&'a Path<'a>, usize),
    /// A map value: `map.key.member`.
    Entry(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(parent, name) if parent.is_root() => f.write_str(name),
            Path::Member(parent, name) => write!(f, "{parent}.{name}"),
            Path::Item(parent, i) => write!(f, "{parent}.{}.member", i + 1),
            Path::Entry(parent, k) => write!(f, "{parent}.{k}.member"),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as AWS shows it in messages (strings bare, lists as `[a, b]`), shortened if long.
fn show(v: &Value) -> String {
    let mut s = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}={}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    };
    if s.chars().count() > 256 {
        s = s.chars().take(256).collect::<String>() + "...";
    }
    s
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Validator<'_> {
    fn wrong_type(&mut self, path: &Path<'_>, expected: &str, v: &Value) {
        if self.type_error.is_none() {
            let at = if path.is_root() {
                "the request body".to_owned()
            } else {
                format!("'{path}'")
            };
            self.type_error = Some(format!("Expected {expected} at {at}, found {}", kind(v)));
        }
    }

    fn violation(&mut self, v: &Value, path: &Path<'_>, sensitive: bool, constraint: &str) {
        let mut m = String::new();
        if sensitive {
            let _ = write!(
                m,
                "Value at '{path}' failed to satisfy constraint: {constraint}"
            );
        } else {
            let _ = write!(
                m,
                "Value '{}' at '{path}' failed to satisfy constraint: {constraint}",
                show(v)
            );
        }
        self.violations.push(m);
    }

    fn length(
        &mut self,
        v: &Value,
        path: &Path<'_>,
        sensitive: bool,
        len: u64,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        if let Some(min) = min.filter(|m| len < *m) {
            self.violation(
                v,
                path,
                sensitive,
                &format!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = max.filter(|m| len > *m) {
            self.violation(
                v,
                path,
                sensitive,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
    }

    fn range(
        &mut self,
        v: &Value,
        path: &Path<'_>,
        sensitive: bool,
        n: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) {
        if let Some(min) = min.filter(|m| n < *m) {
            self.violation(
                v,
                path,
                sensitive,
                &format!(
                    "Member must have value greater than or equal to {}",
                    fmt_num(min)
                ),
            );
        }
        if let Some(max) = max.filter(|m| n > *m) {
            self.violation(
                v,
                path,
                sensitive,
                &format!(
                    "Member must have value less than or equal to {}",
                    fmt_num(max)
                ),
            );
        }
    }

    fn check(&mut self, shape: u32, v: &Value, path: &Path<'_>, sensitive: bool) {
        if self.type_error.is_some() {
            return;
        }
        let Some(s) = self.schema.shapes.get(shape as usize) else {
            return;
        };
        let sensitive = sensitive
            || self
                .schema
                .sensitive
                .get(shape as usize)
                .copied()
                .unwrap_or(false);
        match s {
            Shape::Structure { members } | Shape::Union { members } => {
                let Value::Object(obj) = v else {
                    return self.wrong_type(path, "an object", v);
                };
                let mut set = 0;
                for m in members.iter() {
                    let p = Path::Member(path, m.path);
                    match obj.get(m.name) {
                        None | Some(Value::Null) => {
                            if m.required {
                                self.violations.push(format!("Value null at '{p}' failed to satisfy constraint: Member must not be null"));
                            }
                        }
                        Some(value) => {
                            set += 1;
                            self.check(m.target, value, &p, sensitive || m.sensitive);
                        }
                    }
                }
                if matches!(s, Shape::Union { .. }) && set > 1 && self.type_error.is_none() {
                    let at = if path.is_root() {
                        "the request body".to_owned()
                    } else {
                        format!("'{path}'")
                    };
                    self.type_error = Some(format!(
                        "Union at {at} must have exactly one member set, found {set}"
                    ));
                }
            }
            Shape::List { member, min, max } => {
                let Value::Array(items) = v else {
                    return self.wrong_type(path, "a list", v);
                };
                self.length(v, path, sensitive, items.len() as u64, *min, *max);
                for (i, item) in items.iter().enumerate() {
                    if !item.is_null() {
                        self.check(*member, item, &Path::Item(path, i), sensitive);
                    }
                }
            }
            Shape::Map {
                key,
                value,
                min,
                max,
            } => {
                let Value::Object(obj) = v else {
                    return self.wrong_type(path, "a map", v);
                };
                self.length(v, path, sensitive, obj.len() as u64, *min, *max);
                for (k, item) in obj {
                    let before = self.violations.len();
                    self.check(*key, &Value::String(k.clone()), path, sensitive);
                    if self.violations.len() > before {
                        let inner: Vec<String> = self
                            .violations
                            .drain(before..)
                            .map(|m| {
                                m.split_once("failed to satisfy constraint: ")
                                    .map(|(_, c)| c.to_owned())
                                    .unwrap_or(m)
                            })
                            .collect();
                        let key_value = Value::String(k.clone());
                        self.violation(
                            &key_value,
                            path,
                            sensitive,
                            &format!("Map keys must satisfy constraint: [{}]", inner.join(", ")),
                        );
                    }
                    if !item.is_null() {
                        self.check(*value, item, &Path::Entry(path, k), sensitive);
                    }
                }
            }
            Shape::String {
                min,
                max,
                pattern,
                values,
            } => {
                let Value::String(text) = v else {
                    return self.wrong_type(path, "a string", v);
                };
                self.length(v, path, sensitive, text.chars().count() as u64, *min, *max);
                if let Some(p) = pattern {
                    if !self.schema.matches(*p, text) {
                        let source = self.schema.patterns[*p as usize].source;
                        self.violation(
                            v,
                            path,
                            sensitive,
                            &format!("Member must satisfy regular expression pattern: {source}"),
                        );
                    }
                }
                if let Some(values) = values {
                    if !values.contains(&text.as_str()) {
                        self.violation(
                            v,
                            path,
                            sensitive,
                            &format!(
                                "Member must satisfy enum value set: [{}]",
                                values.join(", ")
                            ),
                        );
                    }
                }
            }
            Shape::Integer { bits, min, max } => {
                let n = match v {
                    Value::Number(n) => n.as_i64(),
                    _ => None,
                };
                let limit = 1i128 << (bits - 1);
                match n {
                    Some(n) if (n as i128) >= -limit && (n as i128) < limit => {
                        self.range(v, path, sensitive, n as f64, *min, *max)
                    }
                    Some(_) => self.wrong_type(path, &format!("a {bits}-bit integer"), v),
                    None => self.wrong_type(path, "an integer", v),
                }
            }
            Shape::Float { min, max } => match v {
                Value::Number(n) => {
                    let n = n.as_f64().unwrap_or(f64::NAN);
                    self.range(v, path, sensitive, n, *min, *max);
                }
                Value::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => {}
                _ => self.wrong_type(path, "a number", v),
            },
            Shape::Boolean => {
                if !v.is_boolean() {
                    self.wrong_type(path, "a boolean", v);
                }
            }
            Shape::Timestamp => match v {
                Value::Number(_) => {}
                Value::String(s)
                    if crate::DateTime::parse_iso8601(s).is_ok()
                        || crate::DateTime::parse_http_date(s).is_ok() => {}
                _ => self.wrong_type(path, "a timestamp (epoch seconds)", v),
            },
            Shape::Blob { min, max } => {
                let Value::String(s) = v else {
                    return self.wrong_type(path, "a base64 string", v);
                };
                match crate::blob::decode(s) {
                    Ok(bytes) => self.length(v, path, sensitive, bytes.len() as u64, *min, *max),
                    Err(_) => self.wrong_type(path, "a base64 string", v),
                }
            }
            Shape::Document => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static SHAPES: &[Shape] = &[
        Shape::Structure {
            members: &[
                Member {
                    name: "IdentityPoolId",
                    path: "identityPoolId",
                    target: 1,
                    required: true,
                    sensitive: false,
                },
                Member {
                    name: "MaxResults",
                    path: "maxResults",
                    target: 2,
                    required: true,
                    sensitive: false,
                },
                Member {
                    name: "Logins",
                    path: "logins",
                    target: 3,
                    required: false,
                    sensitive: false,
                },
                Member {
                    name: "Kind",
                    path: "kind",
                    target: 5,
                    required: false,
                    sensitive: false,
                },
            ],
        },
        Shape::String {
            min: Some(1),
            max: Some(55),
            pattern: Some(0),
            values: None,
        },
        Shape::Integer {
            bits: 32,
            min: Some(1.0),
            max: Some(60.0),
        },
        Shape::Map {
            key: 4,
            value: 4,
            min: None,
            max: Some(10),
        },
        Shape::String {
            min: Some(1),
            max: Some(5),
            pattern: None,
            values: None,
        },
        Shape::String {
            min: None,
            max: None,
            pattern: None,
            values: Some(&["A", "B"]),
        },
    ];
    static SCHEMA: Schema = Schema::new(
        SHAPES,
        &[false; 6],
        &[Pattern {
            source: "[\\w-]+:[0-9a-f-]+",
            regex: "\\A(?:[[a-zA-Z0-9_]-]+:[0-9a-f-]+)\\z",
            fancy: false,
            chars: None,
        }],
    );

    #[test]
    fn every_violation_in_aws_wording() {
        let r = validate(
            &SCHEMA,
            0,
            &json!({"IdentityPoolId": "x", "MaxResults": 61, "Kind": "C"}),
        )
        .unwrap_err();
        assert_eq!(
            r.message(),
            "3 validation errors detected: Value 'x' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+; \
             Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60; \
             Value 'C' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [A, B]"
        );
        let r = validate(&SCHEMA, 0, &json!({})).unwrap_err();
        assert_eq!(r.message(), "2 validation errors detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null; Value null at 'maxResults' failed to satisfy constraint: Member must not be null");
        let r = validate(
            &SCHEMA,
            0,
            &json!({"IdentityPoolId": "us-east-1:ab", "MaxResults": 1, "Logins": {"toolong": "v"}}),
        )
        .unwrap_err();
        assert_eq!(r.message(), "1 validation error detected: Value 'toolong' at 'logins' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 5]");
        assert!(validate(
            &SCHEMA,
            0,
            &json!({"IdentityPoolId": "us-east-1:ab", "MaxResults": 60})
        )
        .is_ok());
    }

    #[test]
    fn wrong_types_are_serialization_errors_naming_the_member() {
        let r = validate(&SCHEMA, 0, &json!({"IdentityPoolId": 5, "MaxResults": "x"})).unwrap_err();
        assert_eq!(
            r,
            Rejection::Serialization(
                "Expected a string at 'identityPoolId', found a number".into()
            )
        );
        let r = validate(&SCHEMA, 0, &json!([1])).unwrap_err();
        assert_eq!(
            r,
            Rejection::Serialization("Expected an object at the request body, found a list".into())
        );
        let r = validate(
            &SCHEMA,
            0,
            &json!({"IdentityPoolId": "a:b", "MaxResults": 1.5}),
        )
        .unwrap_err();
        assert_eq!(
            r,
            Rejection::Serialization("Expected an integer at 'maxResults', found a number".into())
        );
    }

    #[test]
    fn patterns_match_the_whole_value() {
        let ok = |id: &str| {
            validate(&SCHEMA, 0, &json!({"IdentityPoolId": id, "MaxResults": 1})).is_ok()
        };
        assert!(ok("us-east-1:ab"));
        // A match inside the value is not enough (AWS matches the whole value).
        assert!(!ok("us-east-1:ab/x"));
        assert!(!ok("/us-east-1:ab"));
        assert!(!ok("us-east-1:ab\u{0}"));
    }

    #[test]
    fn engines_and_counted_classes() {
        static PATTERNS: [Pattern; 2] = [
            Pattern {
                source: "^(?!aws:).*$",
                regex: "\\A(?:^(?!aws:)[^\\n]*$)\\z",
                fancy: true,
                chars: None,
            },
            Pattern {
                source: "[\\p{L}]{2,3}",
                regex: "\\A(?:(?:[\\p{L}])*)\\z",
                fancy: false,
                chars: Some((2, Some(3))),
            },
        ];
        static S: Schema = Schema::new(&[], &[], &PATTERNS);
        assert!(S.matches(0, "tag"));
        assert!(!S.matches(0, "aws:tag"));
        assert!(!S.matches(1, "é"));
        assert!(S.matches(1, "éé"));
        assert!(S.matches(1, "ééé"));
        assert!(!S.matches(1, "éééé"));
        assert!(!S.matches(1, "é1"));
    }
}
