//! `partitions.json` and `aws.partition`: which partition a region is in, with its outputs.

use std::sync::Arc;

use super::json::Json;
use super::{RuleSetError, Value};

/// `partitions.json`: each partition's outputs, regions and region pattern.
#[derive(Debug, Clone)]
pub struct Partitions {
    list: Vec<Partition>,
}

#[derive(Debug, Clone)]
struct Partition {
    regions: Vec<String>,
    pattern: RegionPattern,
    /// The partition's outputs, a record (`name` added when the file leaves it out).
    outputs: Value,
}

impl Partitions {
    /// Reads `partitions.json`.
    pub fn parse(text: &str) -> Result<Partitions, RuleSetError> {
        Partitions::from_doc(&Json::parse(text)?)
    }

    fn from_doc(j: &Json<'_>) -> Result<Partitions, RuleSetError> {
        let mut problems = Vec::new();
        let mut list = Vec::new();
        let items = j.get("partitions").and_then(Json::as_array);
        for (i, p) in items.into_iter().flatten().enumerate() {
            let path = format!("partitions[{i}]");
            let id = p.get("id").and_then(Json::as_str).unwrap_or_default();
            let Some(Value::Record(mut outputs)) = p.get("outputs").and_then(Value::from_json)
            else {
                problems.push(format!("{path}.outputs: expected an object"));
                continue;
            };
            if !outputs.contains_key("name") {
                Arc::make_mut(&mut outputs).insert("name", Value::from(id));
            }
            let regex = p
                .get("regionRegex")
                .and_then(Json::as_str)
                .unwrap_or_default();
            let Some(pattern) = RegionPattern::new(regex) else {
                problems.push(format!(
                    "{path}.regionRegex: {regex:?} is beyond the patterns read here"
                ));
                continue;
            };
            let regions = p
                .get("regions")
                .and_then(Json::as_object)
                .map(|o| o.keys().map(str::to_owned).collect())
                .unwrap_or_default();
            list.push(Partition {
                regions,
                pattern,
                outputs: Value::Record(outputs),
            });
        }
        if list.is_empty() {
            problems.push("partitions: none".to_owned());
        }
        if problems.is_empty() {
            Ok(Partitions { list })
        } else {
            Err(RuleSetError(problems))
        }
    }

    /// botocore's `aws_partition`: the partition listing the region, else the first whose pattern
    /// matches it, else the first partition (`aws`).
    pub(super) fn of(&self, region: Option<&str>) -> Option<&Value> {
        let p = region
            .and_then(|r| {
                self.list
                    .iter()
                    .find(|p| p.regions.iter().any(|x| x == r))
                    .or_else(|| self.list.iter().find(|p| p.pattern.matches(r)))
            })
            .or_else(|| self.list.first())?;
        Some(&p.outputs)
    }
}

/// The regular expressions `partitions.json` uses for regions, read without a regex engine (the
/// client build has none): `^`, `$`, literals, `\-`-style escapes, `\w`, `\d`, groups of
/// alternatives, and `+` after any of them. Anything else is refused when the file is read.
#[derive(Debug, Clone)]
struct RegionPattern(Vec<Atom>);

#[derive(Debug, Clone)]
enum Atom {
    Lit(char, bool),
    Word(bool),
    Digit(bool),
    Group(Vec<Vec<Atom>>, bool),
}

impl RegionPattern {
    fn new(re: &str) -> Option<RegionPattern> {
        let body = re.strip_prefix('^')?.strip_suffix('$')?;
        let chars: Vec<char> = body.chars().collect();
        let (seq, end) = Self::seq(&chars, 0, false)?;
        (end == chars.len()).then_some(RegionPattern(seq))
    }

    fn seq(c: &[char], mut i: usize, in_group: bool) -> Option<(Vec<Atom>, usize)> {
        let mut out = Vec::new();
        while i < c.len() {
            match c[i] {
                '|' | ')' if in_group => break,
                '(' => {
                    let mut alts = Vec::new();
                    i += 1;
                    loop {
                        let (s, next) = Self::seq(c, i, true)?;
                        alts.push(s);
                        match c.get(next) {
                            Some('|') => i = next + 1,
                            Some(')') => {
                                i = next + 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                    out.push(Atom::Group(alts, false));
                }
                '\\' => {
                    out.push(match c.get(i + 1)? {
                        'w' => Atom::Word(false),
                        'd' => Atom::Digit(false),
                        ch if !ch.is_ascii_alphanumeric() => Atom::Lit(*ch, false),
                        _ => return None,
                    });
                    i += 2;
                }
                '+' => {
                    match out.last_mut()? {
                        Atom::Lit(_, p) | Atom::Word(p) | Atom::Digit(p) | Atom::Group(_, p) => {
                            *p = true
                        }
                    }
                    i += 1;
                }
                ch if ch.is_ascii_alphanumeric() || ch == '-' => {
                    out.push(Atom::Lit(ch, false));
                    i += 1;
                }
                _ => return None,
            }
        }
        Some((out, i))
    }

    fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        Self::match_seq(&self.0, &chars, 0).contains(&chars.len())
    }

    /// Every position the sequence can end at, starting at `at`.
    fn match_seq(seq: &[Atom], s: &[char], at: usize) -> Vec<usize> {
        let mut ends = vec![at];
        for atom in seq {
            let mut next = Vec::new();
            for &p in &ends {
                for e in Self::match_atom(atom, s, p) {
                    if !next.contains(&e) {
                        next.push(e);
                    }
                }
            }
            ends = next;
            if ends.is_empty() {
                break;
            }
        }
        ends
    }

    fn match_atom(atom: &Atom, s: &[char], at: usize) -> Vec<usize> {
        let (once, plus): (Box<dyn Fn(usize) -> Vec<usize>>, bool) = match atom {
            Atom::Lit(c, p) => (
                Box::new(move |i| {
                    if s.get(i) == Some(c) {
                        vec![i + 1]
                    } else {
                        vec![]
                    }
                }),
                *p,
            ),
            Atom::Word(p) => (
                Box::new(move |i| match s.get(i) {
                    Some(c) if c.is_ascii_alphanumeric() || *c == '_' => vec![i + 1],
                    _ => vec![],
                }),
                *p,
            ),
            Atom::Digit(p) => (
                Box::new(move |i| match s.get(i) {
                    Some(c) if c.is_ascii_digit() => vec![i + 1],
                    _ => vec![],
                }),
                *p,
            ),
            Atom::Group(alts, p) => (
                Box::new(move |i| {
                    let mut v = Vec::new();
                    for a in alts {
                        v.extend(Self::match_seq(a, s, i));
                    }
                    v
                }),
                *p,
            ),
        };
        let mut ends = once(at);
        if plus {
            let mut frontier = ends.clone();
            while !frontier.is_empty() {
                let mut more = Vec::new();
                for p in frontier {
                    for e in once(p) {
                        if !ends.contains(&e) {
                            ends.push(e);
                            more.push(e);
                        }
                    }
                }
                frontier = more;
            }
        }
        ends
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_patterns_read_as_regular_expressions() {
        let p = RegionPattern::new(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$").unwrap();
        for (r, want) in [
            ("us-east-1", true),
            ("eu-west-12", true),
            // `\w` does not take `-`: GovCloud regions are another partition's.
            ("us-gov-west-1", false),
            ("cn-north-1", false),
            ("us-east-", false),
            ("us--1", false),
            ("us-east-1a", false),
        ] {
            assert_eq!(p.matches(r), want, "{r}");
        }
        let gov = RegionPattern::new(r"^us\-gov\-\w+\-\d+$").unwrap();
        assert!(gov.matches("us-gov-west-1") && !gov.matches("us-west-1"));
        assert!(RegionPattern::new(r"^eusc\-(de)\-\w+\-\d+$")
            .unwrap()
            .matches("eusc-de-east-1"));
        assert!(RegionPattern::new(r"^us[a-z]$").is_none());
    }
}
