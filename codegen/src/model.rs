//! Loading: serde types that mirror the botocore model format (`service-2.json`,
//! `paginators-1.json`), read key by key so that every problem is reported with its JSON path.
//!
//! Every field is optional here: whether a key must be present is a question for validation,
//! which can then report all missing keys at once instead of stopping at the first.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Number, Value};

use crate::diag::Diagnostics;

/// Keys a model may carry that this generator reads no further; kept so nothing is lost.
pub type Extra = BTreeMap<String, Value>;

/// A JSON object read into a list that keeps the file's order (members, in model order).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One string or a list of strings (paginator tokens and result keys).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub json_version: Option<String>,
    pub protocol: Option<String>,
    pub protocols: Option<Vec<String>>,
    pub service_full_name: Option<String>,
    pub service_abbreviation: Option<String>,
    pub service_id: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub target_prefix: Option<String>,
    pub uid: Option<String>,
    pub auth: Option<Vec<String>>,
    pub protocol_settings: Option<Value>,
    pub rip_service_name: Option<String>,
    pub aws_query_compatible: Option<Value>,
    pub global_endpoint: Option<String>,
    pub checksum_format: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Metadata {
    /// Whether AWS serves awsJson for this service: its `protocol` is `json`, or `json` is among
    /// the `protocols` it lists (41 services of botocore 1.44.5 name `smithy-rpc-v2-cbor` first
    /// and `json` after it; their endpoints answer both).
    /// The protocol a generator speaking `supported` (botocore's names) uses for this model: the
    /// first of its `protocols` (else its `protocol`) that it speaks.
    pub fn chosen_protocol<'a>(&'a self, supported: &[&str]) -> Option<&'a str> {
        let listed: Vec<&str> = match &self.protocols {
            Some(ps) if !ps.is_empty() => ps.iter().map(String::as_str).collect(),
            _ => self.protocol.as_deref().into_iter().collect(),
        };
        listed.into_iter().find(|p| supported.contains(p))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    pub method: Option<String>,
    pub request_uri: Option<String>,
    pub response_code: Option<u16>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reference to a shape, as used by operation inputs, outputs, errors and shape members.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: Option<String>,
    pub documentation: Option<String>,
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    pub idempotency_token: Option<bool>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    #[serde(rename = "jsonvalue")]
    pub json_value: Option<bool>,
    pub timestamp_format: Option<String>,
    pub flattened: Option<bool>,
    pub context_param: Option<Value>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub host_label: Option<bool>,
    #[serde(rename = "eventpayload")]
    pub event_payload: Option<bool>,
    pub streaming: Option<bool>,
    pub xml_namespace: Option<Value>,
    pub result_wrapper: Option<String>,
    /// Older models name an operation's payload member on its input or output reference
    /// rather than on the shape (botocore merges the two).
    pub payload: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An error's `error` trait: its HTTP status and, for services that also speak awsQuery, the
/// query error code. Written on the error shape, and in older models (botocore before 1.0 and
/// some later ones) copied onto each of the operation's error references as well.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// The awsQuery error code (`AWS.SimpleQueueService.NonExistentQueue`); awsJson's `__type`
    /// stays the shape name.
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    /// Whether the caller is at fault (awsQuery's `Sender`).
    pub sender_fault: Option<bool>,
    /// The server's fault, written here instead of on the shape by a few models (appmesh).
    pub fault: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ErrorTrait {
    /// Whether the server is at fault, as far as this trait says: its `fault` or `senderFault`
    /// flag, else its HTTP status (5xx).
    pub fn server_fault(&self) -> Option<bool> {
        self.fault
            .or(self.sender_fault.map(|sender| !sender))
            .or(self.http_status_code.map(|code| code >= 500))
    }
}

/// One of an operation's `errors`: a reference to the error shape. Older models repeat the
/// shape's error traits on it (`"exception": true`, `"fault": true`, `"error": {...}`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ErrorRef {
    pub exception: Option<bool>,
    pub fault: Option<bool>,
    pub error: Option<ErrorTrait>,
    #[serde(flatten)]
    pub target: ShapeRef,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub host_prefix: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: Option<String>,
    pub http: Option<Http>,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    pub errors: Option<Vec<ErrorRef>>,
    pub documentation: Option<String>,
    pub documentation_url: Option<String>,
    pub idempotent: Option<bool>,
    pub readonly: Option<bool>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub authtype: Option<String>,
    pub unsigned_payload: Option<bool>,
    pub auth: Option<Vec<String>>,
    pub endpoint: Option<Endpoint>,
    #[serde(rename = "endpointdiscovery")]
    pub endpoint_discovery: Option<Value>,
    #[serde(rename = "endpointoperation")]
    pub endpoint_operation: Option<bool>,
    pub static_context_params: Option<Value>,
    pub operation_context_params: Option<Value>,
    pub http_checksum: Option<Value>,
    #[serde(rename = "requestcompression")]
    pub request_compression: Option<Value>,
    pub alias: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    pub members: Option<Ordered<ShapeRef>>,
    pub required: Option<Vec<String>>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    pub min: Option<Number>,
    pub max: Option<Number>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub exception: Option<bool>,
    pub fault: Option<bool>,
    pub error: Option<ErrorTrait>,
    pub sensitive: Option<bool>,
    #[serde(rename = "box")]
    pub boxed: Option<bool>,
    pub union: Option<bool>,
    pub document: Option<bool>,
    pub event: Option<bool>,
    #[serde(rename = "eventstream")]
    pub event_stream: Option<bool>,
    pub flattened: Option<bool>,
    pub timestamp_format: Option<String>,
    pub deprecated: Option<bool>,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub retryable: Option<Value>,
    pub synthetic: Option<bool>,
    pub documentation: Option<String>,
    pub payload: Option<String>,
    pub streaming: Option<bool>,
    pub requires_length: Option<bool>,
    pub wrapper: Option<bool>,
    /// Older models bind a shape to a location (`header`) on the shape itself; a member's own
    /// `location` wins over it, as in botocore.
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub xml_namespace: Option<Value>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A `service-2.json` file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceModel {
    pub version: Option<String>,
    pub metadata: Metadata,
    pub documentation: Option<String>,
    pub operations: BTreeMap<String, Operation>,
    pub shapes: BTreeMap<String, Shape>,
    /// Shapes that are present in the file but could not be read; references to them are not
    /// reported a second time as dangling.
    pub unreadable_shapes: Vec<String>,
    pub unreadable_operations: Vec<String>,
    pub extra: Extra,
}

impl ServiceModel {
    /// The operations' references to shape `name` as an error.
    pub fn error_refs<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ErrorRef> + 'a {
        self.operations
            .values()
            .flat_map(|op| op.errors.iter().flatten())
            .filter(move |r| r.target.shape.as_deref() == Some(name))
    }

    /// Whether shape `name` is an error: marked `exception` itself, or, in older models, on an
    /// operation's reference to it.
    pub fn is_exception(&self, name: &str) -> bool {
        self.shapes
            .get(name)
            .is_some_and(|s| s.exception == Some(true))
            || self.error_refs(name).any(|r| r.exception == Some(true))
    }

    /// The HTTP status of error shape `name` (its `error` trait's `httpStatusCode`, else one an
    /// operation's reference to it repeats).
    pub fn error_status(&self, name: &str) -> Option<u16> {
        let own = self
            .shapes
            .get(name)
            .and_then(|s| s.error.as_ref())
            .and_then(|e| e.http_status_code);
        own.or_else(|| {
            self.error_refs(name)
                .find_map(|r| r.error.as_ref().and_then(|e| e.http_status_code))
        })
    }

    /// Whether the server is at fault for error `name` (HTTP 500 rather than 400). The shape's
    /// own word comes first: its `fault` flag, then its `error` trait (an explicit flag, else the
    /// HTTP status: 72 error shapes of botocore 1.44.5 say 5xx there and carry no `fault`, four
    /// of them awsJson, directconnect's `DirectConnectServerException` among them). Only when
    /// the shape says nothing do the copies on the operations' references count (older models),
    /// flags before statuses. Nothing said at all is the client's fault, as the format has it.
    pub fn server_fault(&self, name: &str) -> bool {
        let shape = self.shapes.get(name);
        let own = shape.and_then(|s| {
            s.fault
                .or_else(|| s.error.as_ref().and_then(ErrorTrait::server_fault))
        });
        own.or_else(|| {
            self.error_refs(name)
                .find_map(|r| r.fault.or(r.error.as_ref().and_then(|e| e.fault)))
        })
        .or_else(|| {
            self.error_refs(name)
                .find_map(|r| r.error.as_ref().and_then(ErrorTrait::server_fault))
        })
        .unwrap_or(false)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Paginator {
    pub input_token: Option<OneOrMany>,
    pub output_token: Option<OneOrMany>,
    pub result_key: Option<OneOrMany>,
    pub limit_key: Option<String>,
    pub more_results: Option<String>,
    pub non_aggregate_keys: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A `paginators-1.json` file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PaginatorsFile {
    pub pagination: BTreeMap<String, Paginator>,
}

/// Reads a `service-2.json` text. Problems go to `diags`; what could be read is returned, or
/// `None` when the text is not a JSON object at all.
pub fn parse_service(text: &str, diags: &mut Diagnostics) -> Option<ServiceModel> {
    let mut model = ServiceModel::default();
    let root = parse_object(text, "", "service model", diags)?;
    for key in ["metadata", "operations", "shapes"] {
        if !root.contains_key(key) {
            diags.error(
                key,
                "missing: a service model needs `metadata`, `operations` and `shapes`",
            );
        }
    }
    for (key, value) in root {
        match key.as_str() {
            "version" => model.version = decode(&value, "version", diags),
            "documentation" => model.documentation = decode(&value, "documentation", diags),
            "metadata" => {
                model.metadata = decode(&value, "metadata", diags).unwrap_or_default();
            }
            "operations" => {
                for (name, op) in objects(&value, "operations", diags) {
                    let path = format!("operations.{name}");
                    match decode::<Operation>(&op, &path, diags) {
                        Some(op) => {
                            model.operations.insert(name, op);
                        }
                        None => model.unreadable_operations.push(name),
                    }
                }
            }
            "shapes" => {
                for (name, shape) in objects(&value, "shapes", diags) {
                    let path = format!("shapes.{name}");
                    match decode::<Shape>(&shape, &path, diags) {
                        Some(mut shape) => {
                            // botocore's legacy `character` type is a string of one character
                            // on the wire (its parsers treat it as a string); read it as one.
                            if shape.type_name.as_deref() == Some("character") {
                                shape.type_name = Some("string".to_owned());
                            }
                            model.shapes.insert(name, shape);
                        }
                        None => model.unreadable_shapes.push(name),
                    }
                }
            }
            _ => {
                model.extra.insert(key, value);
            }
        }
    }
    Some(model)
}

/// Reads a `paginators-1.json` text.
pub fn parse_paginators(text: &str, diags: &mut Diagnostics) -> PaginatorsFile {
    let mut file = PaginatorsFile::default();
    let Some(root) = parse_object(text, "paginators", "paginators file", diags) else {
        return file;
    };
    for (key, value) in root {
        if key == "pagination" {
            for (name, p) in objects(&value, "paginators.pagination", diags) {
                let path = format!("paginators.pagination.{name}");
                if let Some(p) = decode::<Paginator>(&p, &path, diags) {
                    file.pagination.insert(name, p);
                }
            }
        } else {
            diags.warning(format!("paginators.{key}"), "unknown key, ignored");
        }
    }
    file
}

/// An endpoint rule set (`endpoint-rule-set-1.json`): its text as botocore ships it, read by the
/// rules engine the generated client resolves it with.
#[derive(Debug, Clone)]
pub struct EndpointRules {
    pub text: String,
    pub rule_set: awsgen_rt::endpoint::RuleSet,
}

/// Reads an endpoint rule set; each problem is reported at its path under `endpointRuleSet`.
pub fn parse_endpoint_rules(text: &str, diags: &mut Diagnostics) -> Option<EndpointRules> {
    match awsgen_rt::endpoint::RuleSet::parse(text) {
        Ok(rule_set) => Some(EndpointRules {
            text: text.to_owned(),
            rule_set,
        }),
        Err(e) => {
            for problem in e.0 {
                let (path, what) = problem.split_once(": ").unwrap_or(("", &problem));
                let at = if path.is_empty() {
                    "endpointRuleSet".to_owned()
                } else {
                    format!("endpointRuleSet.{path}")
                };
                diags.error(at, what);
            }
            None
        }
    }
}

fn parse_object(
    text: &str,
    path: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        Ok(other) => {
            diags.error(
                path,
                format!("a {what} must be a JSON object, found {}", kind(&other)),
            );
            None
        }
        Err(e) => {
            diags.error(path, format!("not valid JSON: {e}"));
            None
        }
    }
}

fn objects(value: &Value, path: &str, diags: &mut Diagnostics) -> Vec<(String, Value)> {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        other => {
            diags.error(path, format!("expected an object, found {}", kind(other)));
            Vec::new()
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes `value` as `T`. On failure, finds every key that fails on its own and reports each at
/// its full path (descending into nested objects), so one bad key does not hide the others.
fn decode<T: DeserializeOwned>(value: &Value, path: &str, diags: &mut Diagnostics) -> Option<T> {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => Some(v),
        Err(whole) => {
            let found = locate::<T>(value, &|v| v, path, diags);
            if !found {
                diags.error(path, whole.to_string());
            }
            None
        }
    }
}

/// Puts a value back where it was found in the document.
type Rewrap<'a> = Box<dyn Fn(Value) -> Value + 'a>;

/// Tries each key of `cur` alone (wrapped back into its place by `wrap`), reporting the keys that
/// fail by themselves. Returns whether anything was reported.
fn locate<T: DeserializeOwned>(
    cur: &Value,
    wrap: &dyn Fn(Value) -> Value,
    path: &str,
    diags: &mut Diagnostics,
) -> bool {
    // An object is tried key by key, a list item by item (alone in a list of one: an
    // operation's `errors.2`).
    let items: Vec<(String, &Value, Rewrap<'_>)> = match cur {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let single: Box<dyn Fn(Value) -> Value> = Box::new(move |inner: Value| {
                    let mut m = Map::new();
                    m.insert(k.clone(), inner);
                    wrap(Value::Object(m))
                });
                (k.clone(), v, single)
            })
            .collect(),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let single: Box<dyn Fn(Value) -> Value> =
                    Box::new(move |inner: Value| wrap(Value::Array(vec![inner])));
                (i.to_string(), v, single)
            })
            .collect(),
        _ => return false,
    };
    let mut found = false;
    for (k, v, single) in items {
        if let Err(e) = serde_json::from_value::<T>(single(v.clone())) {
            let sub = if path.is_empty() {
                k
            } else {
                format!("{path}.{k}")
            };
            if !locate::<T>(v, &*single, &sub, diags) {
                diags.error(sub, e.to_string());
            }
            found = true;
        }
    }
    found
}
