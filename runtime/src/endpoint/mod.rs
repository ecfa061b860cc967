//! Endpoint rule sets, evaluated as AWS SDKs evaluate them: the `endpoint-rule-set-1.json` each
//! botocore service ships, with `partitions.json`. The rules engine is Smithy's
//! (`smithy.rules#endpointRuleSet`); where botocore's evaluator (`botocore/endpoint_provider.py`)
//! and the Smithy specification differ, botocore's behaviour is kept, and said beside the rule.
//!
//! A rule set is parsed once ([`RuleSet::parse`], every problem reported with its JSON path)
//! and resolved per call ([`RuleSet::resolve`]). Here, what a rule set is; in `parse` how it is
//! read (from the tree of `json`), in `eval` how it is resolved, with the standard library's
//! functions in `functions` and `aws.partition`'s table in `partitions`.

use std::fmt;
use std::sync::Arc;

mod eval;
mod functions;
mod json;
mod map;
mod parse;
mod partitions;

use json::Json;
pub use map::Map;
pub use partitions::Partitions;

/// A value in a rule set's scope: a parameter, an assigned result, a function's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    /// Shared: a partition's outputs are one record, handed to every resolve without a copy.
    Record(Arc<Map<Value>>),
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
                J::Object(r.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect())
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
                let mut r = Map::new();
                for (k, v) in o.iter() {
                    r.insert(k.to_owned(), Value::from_json(v)?);
                }
                Value::Record(Arc::new(r))
            }
            Json::Null => return None,
        })
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::Array(v.into_iter().map(Value::String).collect())
    }
}

/// The built-in parameters the generated clients set: from their configuration (region, FIPS,
/// dual-stack, endpoint URL, account-id mode) and, per signed call, from the credentials (the
/// account id). Any other built-in takes its default; the generator warns of each it meets.
pub const CLIENT_BUILT_INS: &[&str] = &[
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "SDK::Endpoint",
    "AWS::Auth::AccountId",
    "AWS::Auth::AccountIdEndpointMode",
];

/// A rule set's parameters by name, as [`RuleSet::resolve`] takes them.
pub type Params = Map<Value>;

/// The endpoint a rule set resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// `authSchemes` and the rest, as the rule set wrote them (templates filled in).
    pub properties: Map<Value>,
    pub headers: Map<Vec<String>>,
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
            .map(|(k, v)| (k.to_owned(), v.to_json()));
        o.insert("properties".to_owned(), J::Object(properties.collect()));
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| (k.to_owned(), J::from(v.clone())));
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
