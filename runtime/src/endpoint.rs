//! Endpoint rule sets, evaluated as AWS SDKs evaluate them: the `endpoint-rule-set-1.json` each
//! botocore service ships, with `partitions.json`. The rules engine is Smithy's
//! (`smithy.rules#endpointRuleSet`); where botocore's evaluator (`botocore/endpoint_provider.py`)
//! and the Smithy specification differ, botocore's behaviour is kept, and said beside the rule.
//!
//! A rule set is parsed once ([`RuleSet::parse`], every problem reported with its JSON path)
//! and resolved per call ([`RuleSet::resolve`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::reader::{ReadError, Reader};

/// A value in a rule set's scope: a parameter, an assigned result, a function's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    /// Shared: a partition's outputs are one record, handed to every resolve without a copy.
    Record(Arc<BTreeMap<String, Value>>),
}

impl Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON (endpoint properties are compared and handed on as JSON).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::String(s) => J::String(s.clone()),
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Array(a) => J::Array(a.iter().map(Value::to_json).collect()),
            Value::Record(r) => {
                J::Object(r.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    fn from_json(j: &Json<'_>) -> Option<Value> {
        Some(match j {
            Json::String(s) => Value::String(s.to_string()),
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Int(n.as_i64()?),
            Json::Array(a) => Value::Array(a.iter().map(Value::from_json).collect::<Option<_>>()?),
            Json::Object(o) => {
                // Inserted one by one: collecting into a map sorts first, and the sort's code
                // is kilobytes of the client binary for nothing (the names are few).
                let mut r = BTreeMap::new();
                for (k, v) in o.iter() {
                    r.insert(k.to_owned(), Value::from_json(v)?);
                }
                Value::Record(Arc::new(r))
            }
            Json::Null => return None,
        })
    }
}

/// A rule set's parameters by name, as [`RuleSet::resolve`] takes them.
pub type Params = BTreeMap<String, Value>;

/// The endpoint a rule set resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// `authSchemes` and the rest, as the rule set wrote them (templates filled in).
    pub properties: BTreeMap<String, Value>,
    pub headers: BTreeMap<String, Vec<String>>,
}

impl Endpoint {
    /// As botocore's endpoint tests write an endpoint: `{"url", "properties", "headers"}`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        let mut o = serde_json::Map::new();
        o.insert("url".to_owned(), J::String(self.url.clone()));
        let properties = self
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()));
        o.insert("properties".to_owned(), J::Object(properties.collect()));
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), J::from(v.clone())));
        o.insert("headers".to_owned(), J::Object(headers.collect()));
        J::Object(o)
    }
}

/// Why no endpoint: the message of the rule set's error rule, or that no rule matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError(pub String);

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResolveError {}

/// A rule set that cannot be read, with the JSON path of each problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError(pub Vec<String>);

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

impl std::error::Error for RuleSetError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Boolean,
    StringArray,
}

/// A parameter of a rule set.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    kind: Kind,
    /// `AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`, ...: where an SDK takes the value from.
    pub built_in: Option<String>,
    pub required: bool,
    default: Option<Value>,
}

#[derive(Debug, Clone)]
enum Rule {
    Endpoint(Vec<Condition>, EndpointExpr),
    Error(Vec<Condition>, Expr),
    Tree(Vec<Condition>, Vec<Rule>),
}

#[derive(Debug, Clone)]
struct Condition {
    call: Call,
    assign: Option<String>,
}

#[derive(Debug, Clone)]
struct EndpointExpr {
    url: Expr,
    properties: Vec<(String, Expr)>,
    headers: Vec<(String, Vec<Expr>)>,
}

#[derive(Debug, Clone)]
enum Expr {
    /// A string without a `{Name}` in it, kept as the value it is.
    Literal(Value),
    /// A string: a template, with `{Name}` and `{Name#path}` filled in, `{{` and `}}` for braces.
    Template(Vec<Part>),
    Bool(bool),
    Int(i64),
    Ref(String),
    Call(Box<Call>),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Var(String, Vec<Step>),
}

#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
}

#[derive(Debug, Clone)]
struct Call {
    f: Function,
    args: Vec<Expr>,
    /// `getAttr`'s path, read once when it is a literal (all of botocore's are).
    path: Option<Vec<Step>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    IsSet,
    Not,
    GetAttr,
    StringEquals,
    BooleanEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn named(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1),
            "not" => (Function::Not, 1),
            "getAttr" => (Function::GetAttr, 2),
            "stringEquals" => (Function::StringEquals, 2),
            "booleanEquals" => (Function::BooleanEquals, 2),
            "substring" => (Function::Substring, 4),
            "uriEncode" => (Function::UriEncode, 1),
            "parseURL" => (Function::ParseUrl, 1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2),
            "aws.partition" => (Function::Partition, 1),
            "aws.parseArn" => (Function::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }
}

/// A parsed rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub params: Vec<Param>,
    rules: Vec<Rule>,
}

/// Reads a rule set's JSON, collecting every problem with its path.
struct Parser {
    problems: Vec<String>,
}

impl Parser {
    fn problem(&mut self, path: &str, what: impl fmt::Display) {
        self.problems.push(format!("{path}: {what}"));
    }

    fn rules(&mut self, j: &Json<'_>, path: &str) -> Vec<Rule> {
        let Some(items) = j.as_array() else {
            self.problem(path, "expected a list of rules");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(r, &format!("{path}[{i}]")))
            .collect()
    }

    fn rule(&mut self, j: &Json<'_>, path: &str) -> Option<Rule> {
        let conditions = match j.get("conditions") {
            Some(c) => self.conditions(c, &format!("{path}.conditions")),
            None => Vec::new(),
        };
        match j.get("type").and_then(Json::as_str) {
            Some("endpoint") => {
                let e = j.get("endpoint");
                let epath = format!("{path}.endpoint");
                let Some(e) = e.and_then(Json::as_object) else {
                    self.problem(&epath, "expected an endpoint object");
                    return None;
                };
                let url = match e.get("url") {
                    Some(u) => self.expr(u, &format!("{epath}.url")),
                    None => {
                        self.problem(&epath, "no url");
                        return None;
                    }
                };
                let properties = match e.get("properties").map(|p| (p, p.as_object())) {
                    None => Vec::new(),
                    Some((_, Some(o))) => o
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.to_owned(),
                                self.expr(v, &format!("{epath}.properties.{k}")),
                            )
                        })
                        .collect(),
                    Some((_, None)) => {
                        self.problem(&format!("{epath}.properties"), "expected an object");
                        Vec::new()
                    }
                };
                let headers = match e.get("headers").map(|h| (h, h.as_object())) {
                    None => Vec::new(),
                    Some((_, Some(o))) => o
                        .iter()
                        .map(|(k, v)| {
                            let hpath = format!("{epath}.headers.{k}");
                            let values = match v.as_array() {
                                Some(a) => a
                                    .iter()
                                    .enumerate()
                                    .map(|(i, x)| self.expr(x, &format!("{hpath}[{i}]")))
                                    .collect(),
                                None => {
                                    self.problem(&hpath, "expected a list of values");
                                    Vec::new()
                                }
                            };
                            (k.to_owned(), values)
                        })
                        .collect(),
                    Some((_, None)) => {
                        self.problem(&format!("{epath}.headers"), "expected an object");
                        Vec::new()
                    }
                };
                Some(Rule::Endpoint(
                    conditions,
                    EndpointExpr {
                        url,
                        properties,
                        headers,
                    },
                ))
            }
            Some("error") => match j.get("error") {
                Some(e) => Some(Rule::Error(
                    conditions,
                    self.expr(e, &format!("{path}.error")),
                )),
                None => {
                    self.problem(path, "an error rule without `error`");
                    None
                }
            },
            Some("tree") => match j.get("rules") {
                Some(r) => Some(Rule::Tree(
                    conditions,
                    self.rules(r, &format!("{path}.rules")),
                )),
                None => {
                    self.problem(path, "a tree rule without `rules`");
                    None
                }
            },
            other => {
                self.problem(
                    &format!("{path}.type"),
                    format_args!("unknown rule type {other:?}"),
                );
                None
            }
        }
    }

    fn conditions(&mut self, j: &Json<'_>, path: &str) -> Vec<Condition> {
        let Some(items) = j.as_array() else {
            self.problem(path, "expected a list of conditions");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let cpath = format!("{path}[{i}]");
                let call = self.call(c, &cpath)?;
                let assign = match c.get("assign") {
                    None => None,
                    Some(Json::String(s)) => Some(s.to_string()),
                    Some(_) => {
                        self.problem(&format!("{cpath}.assign"), "expected a name");
                        None
                    }
                };
                Some(Condition { call, assign })
            })
            .collect()
    }

    fn call(&mut self, j: &Json<'_>, path: &str) -> Option<Call> {
        let name = j.get("fn").and_then(Json::as_str)?;
        let Some((f, arity)) = Function::named(name) else {
            self.problem(
                &format!("{path}.fn"),
                format_args!("unknown function `{name}`"),
            );
            return None;
        };
        let args: Vec<Expr> = match j.get("argv").and_then(Json::as_array) {
            Some(a) => a
                .iter()
                .enumerate()
                .map(|(i, x)| self.expr(x, &format!("{path}.argv[{i}]")))
                .collect(),
            None => {
                self.problem(path, "no `argv` list");
                return None;
            }
        };
        if args.len() != arity {
            self.problem(
                &format!("{path}.argv"),
                format_args!("`{name}` takes {arity} arguments, not {}", args.len()),
            );
            return None;
        }
        let path = match (f, args.get(1)) {
            (Function::GetAttr, Some(Expr::Literal(Value::String(p)))) => {
                Some(self.path(p, &format!("{path}.argv[1]")))
            }
            _ => None,
        };
        Some(Call { f, args, path })
    }

    fn expr(&mut self, j: &Json<'_>, path: &str) -> Expr {
        match j {
            Json::String(s) => {
                let mut parts = self.template(s, path);
                if let [Part::Text(_)] = parts.as_slice() {
                    if let Some(Part::Text(t)) = parts.pop() {
                        return Expr::Literal(Value::String(t));
                    }
                }
                Expr::Template(parts)
            }
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Expr::Int(i),
                None => {
                    self.problem(path, "a number that is not an integer");
                    Expr::Int(0)
                }
            },
            Json::Array(a) => Expr::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| self.expr(x, &format!("{path}[{i}]")))
                    .collect(),
            ),
            Json::Object(o) => {
                if let Some(r) = o.get("ref") {
                    match r.as_str() {
                        Some(name) => return Expr::Ref(name.to_owned()),
                        None => self.problem(&format!("{path}.ref"), "expected a name"),
                    }
                }
                if o.contains_key("fn") {
                    return match self.call(j, path) {
                        Some(c) => Expr::Call(Box::new(c)),
                        None => Expr::Bool(false),
                    };
                }
                Expr::Record(
                    o.iter()
                        .map(|(k, v)| (k.to_owned(), self.expr(v, &format!("{path}.{k}"))))
                        .collect(),
                )
            }
            Json::Null => {
                self.problem(path, "null is not a value here");
                Expr::Bool(false)
            }
        }
    }

    fn template(&mut self, s: &str, path: &str) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let Some(end) = rest.find('}') else {
                        self.problem(path, format_args!("unclosed `{{` in {s:?}"));
                        text.push_str(&s[i..]);
                        break;
                    };
                    let inner = &rest[..end];
                    for _ in 0..inner.chars().count() + 1 {
                        chars.next();
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    let (name, steps) = match inner.split_once('#') {
                        Some((n, p)) => (n, self.path(p, path)),
                        None => (inner, Vec::new()),
                    };
                    parts.push(Part::Var(name.to_owned(), steps));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text));
        }
        parts
    }

    /// A `getAttr` path: `name`, `name.other`, `name[0]`.
    fn path(&mut self, p: &str, path: &str) -> Vec<Step> {
        parse_path(p).unwrap_or_else(|| {
            self.problem(path, format_args!("bad attribute path {p:?}"));
            Vec::new()
        })
    }
}

fn parse_path(p: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for seg in p.split('.') {
        let (field, mut rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !field.is_empty() {
            steps.push(Step::Field(field.to_owned()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            steps.push(Step::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() || (field.is_empty() && steps.is_empty()) {
            return None;
        }
    }
    Some(steps)
}

impl RuleSet {
    /// Reads a rule set (`endpoint-rule-set-1.json`); every problem is reported, each with its
    /// JSON path.
    pub fn parse(text: &str) -> Result<RuleSet, RuleSetError> {
        RuleSet::from_doc(&Json::parse(text)?)
    }

    fn from_doc(j: &Json<'_>) -> Result<RuleSet, RuleSetError> {
        let mut p = Parser {
            problems: Vec::new(),
        };
        let mut params = Vec::new();
        match j.get("parameters").and_then(Json::as_object) {
            Some(o) => {
                for (name, d) in o.iter() {
                    let path = format!("parameters.{name}");
                    // Both spellings occur in botocore's rule sets.
                    let kind = match d
                        .get("type")
                        .and_then(Json::as_str)
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                    {
                        Some("string") => Kind::String,
                        Some("boolean") => Kind::Boolean,
                        Some("stringarray") => Kind::StringArray,
                        other => {
                            p.problem(
                                &format!("{path}.type"),
                                format_args!("unknown parameter type {other:?}"),
                            );
                            continue;
                        }
                    };
                    let default = d.get("default").and_then(Value::from_json);
                    params.push(Param {
                        name: name.to_owned(),
                        kind,
                        built_in: d.get("builtIn").and_then(Json::as_str).map(str::to_owned),
                        required: d.get("required").and_then(Json::as_bool).unwrap_or(false),
                        default,
                    });
                }
            }
            None => p.problem("parameters", "expected an object"),
        }
        let rules = match j.get("rules") {
            Some(r) => p.rules(r, "rules"),
            None => {
                p.problem("rules", "missing");
                Vec::new()
            }
        };
        if p.problems.is_empty() {
            Ok(RuleSet { params, rules })
        } else {
            Err(RuleSetError(p.problems))
        }
    }

    /// Resolves the endpoint for `params` (by parameter name; unset ones take their default).
    pub fn resolve(
        &self,
        params: &BTreeMap<String, Value>,
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
        let mut properties = BTreeMap::new();
        for (k, v) in &e.properties {
            if let Some(v) = self.eval(v, scope) {
                properties.insert(k.clone(), v.into_owned());
            }
        }
        let mut headers = BTreeMap::new();
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
                let mut r = BTreeMap::new();
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

fn get_attr<'a>(mut v: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    for s in steps {
        v = match (s, v) {
            (Step::Field(f), Value::Record(r)) => r.get(f)?,
            (Step::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// botocore: unset unless `0 <= start < stop <= len` and the input is ASCII; `reverse` counts
/// from the end.
fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    let len = s.len() as i64;
    if start < 0 || start >= stop || stop > len || !s.is_ascii() {
        return None;
    }
    let (a, b) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    s.get(a as usize..b as usize)
}

/// Percent-encoding of everything but the unreserved characters (botocore: `quote(value,
/// safe='')`, which keeps `A-Z a-z 0-9 _ . - ~`).
fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `{scheme, authority, path, normalizedPath, isIp}` of an `http` or `https` URL without a
/// query; unset for anything else (botocore's `parse_url`).
fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']')?;
        let port = &v6[end + 1..];
        if !port.is_empty() && !valid_port(port.strip_prefix(':')?) {
            return None;
        }
        &authority[..end + 2]
    } else {
        match authority.rsplit_once(':') {
            Some((h, port)) => {
                if !valid_port(port) {
                    return None;
                }
                h
            }
            None => authority,
        }
    };
    let is_ip = is_ipv4(host) || (host.starts_with('[') && host.ends_with(']'));
    let mut normalized = path.to_owned();
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut r = BTreeMap::new();
    r.insert("scheme".to_owned(), Value::String(scheme.to_owned()));
    r.insert("authority".to_owned(), Value::String(authority.to_owned()));
    r.insert("path".to_owned(), Value::String(path.to_owned()));
    r.insert("normalizedPath".to_owned(), Value::String(normalized));
    r.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Record(Arc::new(r)))
}

fn valid_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| n <= 65535)
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$` for each label (botocore's `is_valid_host_label`); with
/// `allow_subdomains`, every dot-separated label.
fn is_valid_host_label(s: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return s.split('.').all(|l| is_valid_host_label(l, false));
    }
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// botocore's `aws_is_virtual_hostable_s3_bucket`: at least 3 characters, lower case, not an
/// IPv4 address, and a valid host label (labels with `allow_subdomains`).
fn is_virtual_hostable_s3_bucket(s: &str, allow_subdomains: bool) -> bool {
    s.len() >= 3 && s.to_lowercase() == s && !is_ipv4(s) && is_valid_host_label(s, allow_subdomains)
}

/// botocore's `aws_parse_arn`: `arn:partition:service:region:account:resource`, the resource
/// split on `:` and `/`; unset without six parts, a partition, a service or a resource.
fn parse_arn(s: &str) -> Option<Value> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6
        || parts[0] != "arn"
        || parts[1].is_empty()
        || parts[2].is_empty()
        || parts[5].is_empty()
    {
        return None;
    }
    let resource = parts[5]
        .split([':', '/'])
        .map(|p| Value::String(p.to_owned()))
        .collect();
    let mut r = BTreeMap::new();
    r.insert("partition".to_owned(), Value::String(parts[1].to_owned()));
    r.insert("service".to_owned(), Value::String(parts[2].to_owned()));
    r.insert("region".to_owned(), Value::String(parts[3].to_owned()));
    r.insert("accountId".to_owned(), Value::String(parts[4].to_owned()));
    r.insert("resourceId".to_owned(), Value::Array(resource));
    Some(Value::Record(Arc::new(r)))
}

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
            Arc::make_mut(&mut outputs)
                .entry("name".to_owned())
                .or_insert_with(|| Value::String(id.to_owned()));
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
    fn of(&self, region: Option<&str>) -> Option<&Value> {
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

/// A JSON text read into a tree that borrows its strings from the text, for the parsers above:
/// a rule set is read once per client, and through `serde_json::Value` that cost a million
/// instructions and some 140 KB of the client binary (its deserializer and maps).
#[derive(Debug)]
enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// A number: rule sets and partitions have integers only; anything else is kept as not one.
#[derive(Debug)]
enum Number {
    Int(i64),
    Other,
}

impl Number {
    fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Other => None,
        }
    }
}

/// An object's members in the text's order (a repeated name: the last one counts, as in
/// `serde_json`).
#[derive(Debug)]
struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Object<'a> {
    fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Each name once (its last value), in the text's order.
    fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| !self.0[i + 1..].iter().any(|(later, _)| later == k))
            .map(|(_, (k, v))| (k.as_ref(), v))
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }
}

impl<'a> Json<'a> {
    /// Reads `text` with the runtime's JSON reader (RFC 8259, as `serde_json` reads it).
    fn parse(text: &'a str) -> Result<Json<'a>, RuleSetError> {
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

    fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(o) => o.get(key),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&Vec<Json<'a>>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
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

    #[test]
    fn templates_paths_and_functions() {
        assert_eq!(substring("abcdef", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdef", 0, 3, true), Some("def"));
        assert_eq!(substring("ab", 0, 3, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        assert!(is_valid_host_label("a-b.c", true) && !is_valid_host_label("a-b.c", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        let url = parse_url("https://example.com:8443/path").unwrap();
        assert_eq!(
            get_attr(&url, &parse_path("normalizedPath").unwrap()),
            Some(&Value::String("/path/".into()))
        );
        assert!(parse_url("https://example.com/?q=1").is_none());
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/name").unwrap();
        assert_eq!(
            get_attr(&arn, &parse_path("resourceId[1]").unwrap()),
            Some(&Value::String("name".into()))
        );
    }
}
