//! Seeded random values of the model's shapes that satisfy every constraint, for property and
//! fuzz tests.

#![allow(dead_code)]

use std::collections::BTreeMap;

use awsgen_rt::codegen::serde_json::{json, Map, Value};
use codegen::ir::{Service, ShapeKind};

/// xorshift64*: small, seeded, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub fn model() -> Service {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("model");
    let svc =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.normal.json")).unwrap();
    let pag =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.paginators.json")).unwrap();
    let rules =
        std::fs::read_to_string(root.join("cognito-identity-2014-06-30.endpoint-rule-set.json"))
            .unwrap();
    let files = codegen::ModelFiles::new(&svc)
        .paginators(Some(&pag))
        .endpoint_rules(Some(&rules));
    codegen::build_ir(&files).unwrap().0
}

pub struct Gen<'a> {
    pub svc: &'a Service,
    patterns: BTreeMap<String, regex::Regex>,
}

impl<'a> Gen<'a> {
    pub fn new(svc: &'a Service) -> Gen<'a> {
        Gen {
            svc,
            patterns: BTreeMap::new(),
        }
    }

    fn string(
        &mut self,
        rng: &mut Rng,
        shape: &str,
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<&codegen::ir::Pattern>,
    ) -> String {
        let min = min.unwrap_or(0);
        let max = max.unwrap_or(64).min(min + 40).max(min);
        // Patterns that need look-around are not in this model; the generator's rewrite is the
        // rule the server checks.
        let (min, max) = match pattern.and_then(|p| p.translated.chars) {
            Some((lo, hi)) => (min.max(lo), hi.map_or(max, |h| max.min(h))),
            None => (min, max),
        };
        let re = pattern.map(|p| {
            self.patterns
                .entry(p.source.clone())
                .or_insert_with(|| regex::Regex::new(&p.translated.regex).unwrap())
                .clone()
        });
        for attempt in 0..500 {
            let len = rng.range(min.max(1), max) as usize;
            let hex = b"0123456789abcdef";
            let family = attempt % 6;
            let candidate: String = match family {
                0 => (0..len)
                    .map(|_| (b'a' + rng.below(26) as u8) as char)
                    .collect(),
                1 => {
                    let tail: String = (0..len.saturating_sub(10).max(1))
                        .map(|_| hex[rng.below(16) as usize] as char)
                        .collect();
                    format!("us-east-1:{tail}")
                }
                2 => (0..len)
                    .map(|_| (b'0' + rng.below(10) as u8) as char)
                    .collect(),
                3 => {
                    if rng.chance(50) {
                        "authenticated".into()
                    } else {
                        "unauthenticated".into()
                    }
                }
                4 => (0..len)
                    .map(|i| {
                        if i % 3 == 0 {
                            'ü'
                        } else {
                            (b'A' + rng.below(26) as u8) as char
                        }
                    })
                    .collect(),
                _ => (0..len)
                    .map(|_| b"abc-_.:/XYZ019"[rng.below(14) as usize] as char)
                    .collect(),
            };
            let n = candidate.chars().count() as u64;
            if n >= min && n <= max.max(min) && re.as_ref().is_none_or(|r| r.is_match(&candidate)) {
                return candidate;
            }
        }
        panic!("no valid string found for shape {shape}");
    }

    /// A valid value of `shape`.
    pub fn value(&mut self, rng: &mut Rng, shape: &str, depth: usize) -> Value {
        let svc = self.svc;
        let s = svc.shape(shape).unwrap();
        match &s.kind {
            ShapeKind::Structure(st) => {
                let mut m = Map::new();
                for member in &st.members {
                    if member.required || (depth < 4 && rng.chance(60)) {
                        m.insert(
                            member.wire_name.clone(),
                            self.value(rng, &member.target, depth + 1),
                        );
                    }
                }
                Value::Object(m)
            }
            ShapeKind::List(l) => {
                let min = l.length.min.unwrap_or(0);
                let max = l.length.max.unwrap_or(4).min(min + 3);
                let n = rng.range(min, max);
                Value::Array(
                    (0..n)
                        .map(|_| self.value(rng, &l.member, depth + 1))
                        .collect(),
                )
            }
            ShapeKind::Map(mp) => {
                let min = mp.length.min.unwrap_or(0);
                let max = mp.length.max.unwrap_or(3).min(min + 3);
                let n = rng.range(min, max);
                let mut m = Map::new();
                let mut tries = 0;
                while (m.len() as u64) < n && tries < 100 {
                    tries += 1;
                    let k = match self.value(rng, &mp.key, depth + 1) {
                        Value::String(k) => k,
                        other => other.to_string(),
                    };
                    let v = self.value(rng, &mp.value, depth + 1);
                    m.insert(k, v);
                }
                Value::Object(m)
            }
            ShapeKind::Enum(e) => json!(e.values[rng.below(e.values.len() as u64) as usize].wire),
            ShapeKind::String(st) => {
                let (min, max, pattern) = (st.length.min, st.length.max, st.pattern.clone());
                json!(self.string(rng, shape, min, max, pattern.as_ref()))
            }
            ShapeKind::Integer(r)
            | ShapeKind::Long(r)
            | ShapeKind::Short(r)
            | ShapeKind::Byte(r) => {
                let lo = r.min.unwrap_or(0.0) as u64;
                let hi = r
                    .max
                    .map(|m| m as u64)
                    .unwrap_or(lo + 1000)
                    .min(lo + 100_000);
                json!(rng.range(lo, hi))
            }
            ShapeKind::Boolean => json!(rng.chance(50)),
            ShapeKind::Timestamp(_) => json!(
                1_600_000_000.0 + rng.below(100_000_000) as f64 + rng.below(1000) as f64 / 1000.0
            ),
            ShapeKind::Float(_) | ShapeKind::Double(_) => json!(rng.below(10_000) as f64 / 8.0),
            ShapeKind::Blob(_) => json!(awsgen_rt::blob::encode(&rng.next().to_le_bytes())),
            ShapeKind::Union(u) => {
                let m = &u.members[rng.below(u.members.len() as u64) as usize];
                json!({ m.wire_name.clone(): self.value(rng, &m.target, depth + 1) })
            }
            ShapeKind::Document => json!({"any": [1, "two"]}),
        }
    }
}
