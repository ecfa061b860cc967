//! Resolving: the rules tried in order with the parameters in scope, as botocore's evaluator
//! tries them.

use std::borrow::Cow;
use std::sync::Arc;

use super::functions::*;
use super::parse::parse_path;
use super::Map;
use super::*;

impl RuleSet {
    /// Resolves the endpoint for `params` (by parameter name; unset ones take their default).
    pub fn resolve(
        &self,
        params: &Map<Value>,
        partitions: &Partitions,
    ) -> Result<Endpoint, ResolveError> {
        let mut scope = Scope { vars: Vec::new() };
        for p in &self.params {
            let value = params.get(&p.name).cloned().or_else(|| p.default.clone());
            match (&value, p.kind) {
                (None, _) if p.required => {
                    return Err(ResolveError(format!(
                        "missing required parameter {}",
                        p.name
                    )))
                }
                (None, _)
                | (Some(Value::String(_)), Kind::String)
                | (Some(Value::Bool(_)), Kind::Boolean)
                | (Some(Value::Array(_)), Kind::StringArray) => {}
                (Some(v), kind) => {
                    return Err(ResolveError(format!(
                        "parameter {} must be a {kind:?}, not {v:?}",
                        p.name
                    )))
                }
            }
            if let Some(v) = value {
                scope.vars.push((p.name.as_str(), v));
            }
        }
        let cx = Cx { partitions };
        match cx.rules(&self.rules, &mut scope)? {
            Some(e) => Ok(e),
            // botocore: "No endpoint found for parameters" (EndpointResolutionError).
            None => Err(ResolveError(
                "no endpoint rule matched the parameters".to_owned(),
            )),
        }
    }
}

struct Cx<'a> {
    partitions: &'a Partitions,
}

/// The names in scope while rules are tried: the parameters, then what conditions assigned,
/// innermost last. What a rule's conditions assigned goes when the next rule is tried (the
/// list is cut back to its length before them), so nothing is copied from rule to rule.
struct Scope<'r> {
    vars: Vec<(&'r str, Value)>,
}

impl Scope<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

impl<'a> Cx<'a> {
    /// The first rule whose conditions hold decides. A tree whose own rules all fail lets the
    /// next rule try, as botocore's evaluator does (the Smithy specification calls a tree
    /// terminal).
    fn rules<'r>(
        &self,
        rules: &'r [Rule],
        scope: &mut Scope<'r>,
    ) -> Result<Option<Endpoint>, ResolveError> {
        for rule in rules {
            let mark = scope.vars.len();
            let (Rule::Endpoint(conditions, _)
            | Rule::Error(conditions, _)
            | Rule::Tree(conditions, _)) = rule;
            if self.conditions(conditions, scope) {
                match rule {
                    Rule::Endpoint(_, e) => return self.endpoint(e, scope).map(Some),
                    Rule::Error(_, message) => {
                        return Err(ResolveError(match self.eval(message, scope).as_deref() {
                            Some(Value::String(s)) => s.clone(),
                            other => format!("{other:?}"),
                        }));
                    }
                    Rule::Tree(_, inner) => {
                        if let Some(e) = self.rules(inner, scope)? {
                            return Ok(Some(e));
                        }
                    }
                }
            }
            scope.vars.truncate(mark);
        }
        Ok(None)
    }

    /// Conditions in order; one fails when its value is unset or `false` (botocore: `is None or
    /// is False`); an `assign` binds the value for the conditions and rule after it.
    fn conditions<'r>(&self, conditions: &'r [Condition], scope: &mut Scope<'r>) -> bool {
        for c in conditions {
            let value = match self.call(&c.call, scope) {
                None | Some(Cow::Borrowed(Value::Bool(false))) => return false,
                Some(Cow::Owned(Value::Bool(false))) => return false,
                Some(v) => c.assign.as_ref().map(|_| v.into_owned()),
            };
            if let (Some(name), Some(v)) = (&c.assign, value) {
                scope.vars.push((name.as_str(), v));
            }
        }
        true
    }

    fn endpoint(&self, e: &EndpointExpr, scope: &Scope<'_>) -> Result<Endpoint, ResolveError> {
        let url = match self.eval(&e.url, scope).map(Cow::into_owned) {
            Some(Value::String(s)) => s,
            other => {
                return Err(ResolveError(format!(
                    "endpoint url is not a string: {other:?}"
                )))
            }
        };
        let mut properties = Map::new();
        for (k, v) in &e.properties {
            if let Some(v) = self.eval(v, scope) {
                properties.insert(k.clone(), v.into_owned());
            }
        }
        let mut headers = Map::new();
        for (k, vs) in &e.headers {
            let values = vs
                .iter()
                .filter_map(|v| self.eval(v, scope))
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            headers.insert(k.clone(), values);
        }
        Ok(Endpoint {
            url,
            properties,
            headers,
        })
    }

    /// A value, borrowed where it is one already (a literal, a name in scope, a partition's
    /// outputs), made where it is computed.
    fn eval<'s>(&'s self, e: &'s Expr, scope: &'s Scope<'_>) -> Option<Cow<'s, Value>> {
        match e {
            Expr::Literal(v) => Some(Cow::Borrowed(v)),
            Expr::Template(parts) => {
                // `{Name}` alone is the string it names.
                if let [Part::Var(name, steps)] = parts.as_slice() {
                    if let v @ Value::String(_) = get_attr(scope.get(name)?, steps)? {
                        return Some(Cow::Borrowed(v));
                    }
                }
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Text(t) => out.push_str(t),
                        Part::Var(name, steps) => {
                            let v = get_attr(scope.get(name)?, steps)?;
                            match v {
                                Value::String(s) => out.push_str(s),
                                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                                Value::Int(i) => out.push_str(&i.to_string()),
                                _ => return None,
                            }
                        }
                    }
                }
                Some(Cow::Owned(Value::String(out)))
            }
            Expr::Bool(b) => Some(Cow::Owned(Value::Bool(*b))),
            Expr::Int(i) => Some(Cow::Owned(Value::Int(*i))),
            Expr::Ref(name) => scope.get(name).map(Cow::Borrowed),
            Expr::Call(c) => self.call(c, scope),
            Expr::Array(items) => Some(Cow::Owned(Value::Array(
                items
                    .iter()
                    .filter_map(|x| self.eval(x, scope).map(Cow::into_owned))
                    .collect(),
            ))),
            Expr::Record(fields) => {
                let mut r = Map::new();
                for (k, v) in fields {
                    if let Some(v) = self.eval(v, scope) {
                        r.insert(k.clone(), v.into_owned());
                    }
                }
                Some(Cow::Owned(Value::Record(Arc::new(r))))
            }
        }
    }

    fn call<'s>(&'s self, c: &'s Call, scope: &'s Scope<'_>) -> Option<Cow<'s, Value>> {
        // No function takes more than four arguments (the parser checks each one's count).
        let mut args: [Option<Cow<'s, Value>>; 4] = [None, None, None, None];
        for (slot, a) in args.iter_mut().zip(&c.args) {
            *slot = self.eval(a, scope);
        }
        let arg = |i: usize| args.get(i).and_then(|a| a.as_deref());
        let string = |i: usize| arg(i).and_then(Value::as_str);
        let flag = |i: usize| matches!(arg(i), Some(Value::Bool(true)));
        let owned = |v: Value| Some(Cow::Owned(v));
        match c.f {
            Function::IsSet => owned(Value::Bool(arg(0).is_some())),
            // botocore: `not value`, Python's truth: unset, false, empty and zero are false.
            Function::Not => owned(Value::Bool(match arg(0) {
                None => true,
                Some(Value::Bool(b)) => !b,
                Some(Value::String(s)) => s.is_empty(),
                Some(Value::Int(i)) => *i == 0,
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::Record(r)) => r.is_empty(),
            })),
            Function::StringEquals | Function::BooleanEquals => {
                owned(Value::Bool(arg(0) == arg(1)))
            }
            Function::GetAttr => {
                let parsed;
                let steps = match &c.path {
                    Some(steps) => steps,
                    None => {
                        parsed = parse_path(string(1)?)?;
                        &parsed
                    }
                };
                let [value, ..] = args;
                match value? {
                    Cow::Borrowed(v) => get_attr(v, steps).map(Cow::Borrowed),
                    Cow::Owned(v) => get_attr(&v, steps).cloned().map(Cow::Owned),
                }
            }
            Function::Substring => {
                let s = string(0)?;
                let (Some(Value::Int(start)), Some(Value::Int(stop))) = (arg(1), arg(2)) else {
                    return None;
                };
                substring(s, *start, *stop, flag(3))
                    .and_then(|s| owned(Value::String(s.to_owned())))
            }
            Function::UriEncode => owned(Value::String(uri_encode(string(0)?))),
            Function::ParseUrl => parse_url(string(0)?).map(Cow::Owned),
            Function::IsValidHostLabel => owned(Value::Bool(
                string(0).is_some_and(|s| is_valid_host_label(s, flag(1))),
            )),
            Function::Partition => self.partitions.of(string(0)).map(Cow::Borrowed),
            Function::ParseArn => parse_arn(string(0)?).map(Cow::Owned),
            Function::IsVirtualHostableS3Bucket => owned(Value::Bool(
                string(0).is_some_and(|s| is_virtual_hostable_s3_bucket(s, flag(1))),
            )),
        }
    }
}

pub(super) fn get_attr<'a>(mut v: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    for s in steps {
        v = match (s, v) {
            (Step::Field(f), Value::Record(r)) => r.get(f)?,
            (Step::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}
