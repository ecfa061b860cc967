//! Endpoint parameters an operation sets itself: `staticContextParams` (constants), input
//! members marked `contextParam`, and `operationContextParams` paths into the input
//! (`keys(RequestItems)`, `TransactItems[*].Get.TableName`,
//! `TransactItems[*].[Put.TableName, Delete.TableName][]`: the JMESPath subset botocore's models
//! use), lowered to steps over the input's Rust fields for the emitter.
//!
//! botocore takes these before the built-ins (`EndpointRulesetResolver._resolve_param_from_context`:
//! static, then the member, then the path); the client does the same by letting them replace
//! what the configuration set.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::Diagnostics;
use crate::ir::{EndpointParam, ParamSource, PathStep, Shape, ShapeKind, StaticValue, Terminal};
use crate::model;

/// The endpoint parameters of operation `name` (input shape `input`), in the order botocore
/// applies them; what cannot be expressed is a warning and left out.
pub fn lower(
    name: &str,
    op: &model::Operation,
    input: Option<&str>,
    model: &model::ServiceModel,
    shapes: &BTreeMap<String, Shape>,
    diags: &mut Diagnostics,
) -> Vec<EndpointParam> {
    let mut out = Vec::new();
    let path = format!("operations.{name}");
    if let Some(Value::Object(statics)) = &op.static_context_params {
        for (param, v) in statics {
            let value = match v.get("value") {
                Some(Value::Bool(b)) => Some(StaticValue::Bool(*b)),
                Some(Value::String(s)) => Some(StaticValue::String(s.clone())),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|x| x.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(StaticValue::Strings),
                _ => None,
            };
            match value {
                Some(value) => out.push(EndpointParam {
                    name: param.clone(),
                    source: ParamSource::Static(value),
                }),
                None => diags.warning(
                    format!("{path}.staticContextParams.{param}"),
                    "not a boolean, string or list of strings: left out",
                ),
            }
        }
    }
    let input_shape = input.and_then(|i| shapes.get(i));
    // Members marked `contextParam`, in model order (the model's own member list).
    let model_input = input.and_then(|i| model.shapes.get(i));
    if let (Some(m), Some(shape)) = (model_input, input_shape) {
        for (member, r) in m.members.iter().flat_map(|o| &o.0) {
            let Some(param) = r
                .context_param
                .as_ref()
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let at = format!(
                "shapes.{}.members.{member}.contextParam",
                input.unwrap_or_default()
            );
            match steps(shape, &[Segment::Member(member.clone())], shapes) {
                Ok((steps, terminal)) => out.push(EndpointParam {
                    name: param.to_owned(),
                    source: ParamSource::Input {
                        steps,
                        terminal,
                        many: false,
                    },
                }),
                Err(e) => diags.warning(at, format!("{e}: left out")),
            }
        }
    }
    if let Some(Value::Object(paths)) = &op.operation_context_params {
        for (param, v) in paths {
            let at = format!("{path}.operationContextParams.{param}");
            let Some(text) = v.get("path").and_then(Value::as_str) else {
                diags.warning(at, "no `path`: left out");
                continue;
            };
            let lowered = parse(text)
                .ok_or_else(|| format!("path {text:?} is beyond the JMESPath this generator reads"))
                .and_then(|segments| {
                    let shape =
                        input_shape.ok_or_else(|| "the operation has no input".to_owned())?;
                    let many = segments.iter().any(Segment::projects);
                    steps(shape, &segments, shapes).map(|(s, t)| (s, t, many))
                });
            match lowered {
                Ok((steps, terminal, many)) => out.push(EndpointParam {
                    name: param.clone(),
                    source: ParamSource::Input {
                        steps,
                        terminal,
                        many,
                    },
                }),
                Err(e) => diags.warning(at, format!("{e}: left out")),
            }
        }
    }
    out
}

/// A path as written, before it is checked against the input's shapes.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Member(String),
    /// `[*]`, or `[]` after a list.
    Each,
    /// `keys(...)` around the path before it.
    Keys,
    /// `.[a.b, c.d]`: several paths from here.
    Select(Vec<Vec<Segment>>),
}

impl Segment {
    fn projects(&self) -> bool {
        matches!(self, Segment::Each | Segment::Keys | Segment::Select(_))
    }
}

/// Reads `keys(path)` or a path of members, `[*]`, `[]` and `.[path, path]`.
fn parse(text: &str) -> Option<Vec<Segment>> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("keys(").and_then(|t| t.strip_suffix(')')) {
        let mut segments = parse(inner)?;
        segments.push(Segment::Keys);
        return Some(segments);
    }
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        if let Some(r) = rest.strip_prefix("[*]") {
            out.push(Segment::Each);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("[]") {
            // After a selection its values are already one list; after a list, its items.
            if !matches!(out.last(), Some(Segment::Select(_))) {
                out.push(Segment::Each);
            }
            rest = r;
        } else if let Some(r) = rest.strip_prefix(".[") {
            let end = matching_bracket(r)?;
            let branches = split_top(&r[..end])
                .into_iter()
                .map(parse)
                .collect::<Option<Vec<_>>>()?;
            out.push(Segment::Select(branches));
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            if rest.is_empty() {
                return None;
            }
        } else if rest.is_empty() {
            break;
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            out.push(Segment::Member(rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where the `]` closing a `[` just before `s` is.
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `a.b, c[*].d` split at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(s[start..].trim());
    parts
}

/// The segments checked against the shapes from `shape`: the steps over Rust fields and what
/// the last one reaches.
fn steps(
    shape: &Shape,
    segments: &[Segment],
    shapes: &BTreeMap<String, Shape>,
) -> Result<(Vec<PathStep>, Terminal), String> {
    let mut out = Vec::new();
    let mut current = shape;
    for (i, seg) in segments.iter().enumerate() {
        match seg {
            Segment::Member(m) => {
                let members = match &current.kind {
                    ShapeKind::Structure(s) => &s.members,
                    _ => return Err(format!("{m} is not a member of a structure")),
                };
                let member = members
                    .iter()
                    .find(|x| &x.wire_name == m)
                    .ok_or_else(|| format!("{} has no member {m}", current.wire_name))?;
                out.push(PathStep::Member {
                    field: member.field.clone(),
                    required: member.required,
                });
                current = shapes
                    .get(&member.target)
                    .ok_or_else(|| format!("{m}'s shape {} is not in the model", member.target))?;
            }
            Segment::Each => {
                let ShapeKind::List(l) = &current.kind else {
                    return Err(format!("{} is not a list", current.wire_name));
                };
                out.push(PathStep::Each);
                current = shapes
                    .get(&l.member)
                    .ok_or_else(|| format!("shape {} is not in the model", l.member))?;
            }
            Segment::Keys => {
                if !matches!(current.kind, ShapeKind::Map(_)) {
                    return Err(format!(
                        "keys() of {}, which is not a map",
                        current.wire_name
                    ));
                }
                if i + 1 != segments.len() {
                    return Err("keys() must come last".to_owned());
                }
                out.push(PathStep::Keys);
                return Ok((out, Terminal::String));
            }
            Segment::Select(branches) => {
                if i + 1 != segments.len() {
                    return Err("a selection must come last".to_owned());
                }
                let mut lowered = Vec::new();
                let mut terminal = None;
                for b in branches {
                    let (s, t) = steps(current, b, shapes)?;
                    if terminal.is_some_and(|x| x != t) {
                        return Err("a selection of values of different kinds".to_owned());
                    }
                    terminal = Some(t);
                    lowered.push(s);
                }
                out.push(PathStep::Select(lowered));
                return Ok((out, terminal.unwrap_or(Terminal::String)));
            }
        }
    }
    let terminal = match &current.kind {
        ShapeKind::String(_) => Terminal::String,
        ShapeKind::Enum(_) => Terminal::Enum,
        ShapeKind::Boolean => Terminal::Bool,
        _ => {
            return Err(format!(
                "{} is not a string or a boolean",
                current.wire_name
            ))
        }
    };
    Ok((out, terminal))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Segment {
        Segment::Member(s.to_owned())
    }

    #[test]
    fn botocores_paths_are_read() {
        assert_eq!(
            parse("keys(RequestItems)"),
            Some(vec![m("RequestItems"), Segment::Keys])
        );
        assert_eq!(
            parse("TableCreationParameters.TableName"),
            Some(vec![m("TableCreationParameters"), m("TableName")])
        );
        assert_eq!(
            parse("TransactItems[*].Get.TableName"),
            Some(vec![
                m("TransactItems"),
                Segment::Each,
                m("Get"),
                m("TableName")
            ])
        );
        assert_eq!(
            parse("TransactItems[*].[ConditionCheck.TableName, Put.TableName][]"),
            Some(vec![
                m("TransactItems"),
                Segment::Each,
                Segment::Select(vec![
                    vec![m("ConditionCheck"), m("TableName")],
                    vec![m("Put"), m("TableName")],
                ]),
            ])
        );
        for bad in ["", "a.", "a[0]", "a | b", "keys(a", "a.[b"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
