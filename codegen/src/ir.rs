//! The intermediate representation: one service, built once from a validated model, with every
//! Rust name already decided (by `naming`) and kept beside its wire name. Emitters read only this.

use std::collections::BTreeMap;

use crate::naming::CrateNames;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    V1_0,
    V1_1,
}

/// The protocol the generated crates speak: the first one the model lists
/// (`metadata.protocols`, else `metadata.protocol`) that the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsJson 1.0 or 1.1: every call a `POST /` that names its operation in `X-Amz-Target`,
    /// JSON bodies holding the whole input and output.
    AwsJson(JsonVersion),
    /// restJson1 (botocore's `rest-json`): each operation's method and URI template, members
    /// bound to the path, query string, headers and status code, the rest (or one payload
    /// member) in a JSON body.
    RestJson,
    /// Smithy RPC v2 CBOR (botocore's `smithy-rpc-v2-cbor`): every call a
    /// `POST /service/<Service>/operation/<Operation>`, CBOR bodies holding the whole input and
    /// output.
    RpcV2Cbor,
}

impl Protocol {
    /// The model's name for it (`metadata.protocol`).
    pub fn model_name(self) -> &'static str {
        match self {
            Protocol::AwsJson(_) => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }

    /// Whether operations bind members to the HTTP request and response.
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson)
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Protocol::AwsJson(v) => write!(f, "awsJson {}", v.as_str()),
            Protocol::RestJson => f.write_str("restJson1"),
            Protocol::RpcV2Cbor => f.write_str("Smithy RPC v2 CBOR"),
        }
    }
}

impl Service {
    /// The content type of request and response bodies: awsJson's versioned one, JSON, CBOR.
    pub fn content_type(&self) -> &'static str {
        match self.protocol {
            Protocol::AwsJson(v) => v.content_type(),
            Protocol::RestJson => "application/json",
            Protocol::RpcV2Cbor => "application/cbor",
        }
    }

    /// The protocol the crates speak, for summaries: `awsJson 1.1`, and why when the model
    /// prefers another.
    pub fn protocol_summary(&self) -> String {
        match &self.preferred_protocol {
            Some(p) => format!("{}, which the model lists after {p}", self.protocol),
            None => self.protocol.to_string(),
        }
    }
}

impl JsonVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "1.0",
            JsonVersion::V1_1 => "1.1",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "application/x-amz-json-1.0",
            JsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub crates: CrateNames,
    /// The model's `serviceId`, or its endpoint prefix when it has none (botocore added
    /// `serviceId` in 2018): the base of the crate and trait names.
    pub service_id: String,
    /// Whether `service_id` is the model's own `serviceId`.
    pub service_id_in_model: bool,
    pub full_name: String,
    pub api_version: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
    /// `metadata.targetPrefix`: awsJson's `X-Amz-Target` is `<targetPrefix>.<Operation>`.
    pub target_prefix: String,
    pub protocol: Protocol,
    /// The model's `awsQueryCompatible` trait: the service moved from awsQuery and still reports
    /// awsQuery error codes (`x-amzn-query-mode`, `x-amzn-query-error`).
    pub query_compatible: bool,
    /// The protocol the model names first when the generator speaks another it lists (none in
    /// the pinned botocore: `query` before `json`, say, spoken as awsJson).
    pub preferred_protocol: Option<String>,
    /// A Smithy RPC v2 CBOR model that lists `json` too: the awsJson version its server stub
    /// also answers, as AWS answers both (botocore speaks awsJson to these services).
    pub also_json: Option<JsonVersion>,
    pub docs: Vec<String>,
    /// The endpoint rule set's text as botocore ships it (the client embeds it and resolves its
    /// endpoint with it); `None` when the model came without one.
    pub endpoint_rules: Option<String>,
    /// Every shape by wire name.
    pub shapes: BTreeMap<String, Shape>,
    /// Every operation by wire name.
    pub operations: BTreeMap<String, Operation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub note: Option<String>,
    pub since: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub wire_name: String,
    /// The Rust type name, for shapes that become a Rust type (structures, unions, enums).
    pub rust_name: String,
    pub docs: Vec<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub kind: ShapeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    Structure(Structure),
    Union(Union),
    /// A string shape with an `enum` list.
    Enum(Enum),
    String(StringShape),
    List(Collection),
    Map(MapShape),
    Boolean,
    Byte(Range),
    Short(Range),
    Integer(Range),
    Long(Range),
    Float(Range),
    Double(Range),
    Timestamp(Option<TimestampFormat>),
    Blob(Blob),
    /// A structure marked `document`: any JSON value.
    Document,
}

impl ShapeKind {
    /// Whether a value is one piece of text on the wire outside a body (a label, query parameter
    /// or header value): text, an enum, a boolean, a number, a timestamp or a blob.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            ShapeKind::String(_)
                | ShapeKind::Enum(_)
                | ShapeKind::Boolean
                | ShapeKind::Byte(_)
                | ShapeKind::Short(_)
                | ShapeKind::Integer(_)
                | ShapeKind::Long(_)
                | ShapeKind::Float(_)
                | ShapeKind::Double(_)
                | ShapeKind::Timestamp(_)
                | ShapeKind::Blob(_)
        )
    }

    /// Whether the shape is a Rust type of its own in the `types` module.
    pub fn is_named_type(&self) -> bool {
        matches!(
            self,
            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum(_)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    Rfc822,
}

/// A blob shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Blob {
    pub length: Length,
    /// `streaming`: as an operation's payload, the body is a stream of bytes, not buffered
    /// whole (`ByteStream`; see [`Member::streaming`]).
    pub streaming: bool,
    /// `requiresLength`: a streamed body must have a known length (`Content-Length`, not chunked).
    pub requires_length: bool,
}

/// Minimum and maximum length (characters for strings, entries for lists and maps, bytes for
/// blobs), inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// Numeric range, inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Range {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringShape {
    pub length: Length,
    pub pattern: Option<Pattern>,
}

/// A model `pattern` and its rewrite for the server's engines ([`crate::pattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// As the model writes it (Java syntax).
    pub source: String,
    pub translated: crate::pattern::Translated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub values: Vec<EnumValue>,
    pub length: Length,
    pub pattern: Option<Pattern>,
    /// Name of the variant that keeps values the model does not list.
    pub unknown_variant: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub member: String,
    pub length: Length,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    pub key: String,
    pub value: String,
    pub length: Length,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    pub members: Vec<Member>,
    pub error: Option<ErrorInfo>,
}

impl Structure {
    /// The member bound to the whole body (`payload`), if any.
    pub fn payload(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.location == Location::Payload)
    }

    /// The streaming blob payload member (a `ByteStream`), if any.
    pub fn streaming(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.streaming)
    }

    /// Whether any member is bound outside the JSON body (REST protocols).
    pub fn has_bindings(&self) -> bool {
        self.members.iter().any(|m| m.location != Location::Body)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub members: Vec<Member>,
    /// Name of the variant for a member the model does not list.
    pub unknown_variant: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The error code on the wire (`__type`), the shape name.
    pub code: String,
    /// The server's fault (HTTP 500), else the client's (HTTP 400): the model's `fault`, or its
    /// error's HTTP status where it has no flag ([`crate::model::ServiceModel::server_fault`]).
    pub fault: bool,
    /// Whether the model marks it retryable, and whether as throttling.
    pub retryable: Option<Retryable>,
    /// The awsQuery code of a query-compatible service's error (its `error` trait's `code`):
    /// the code its clients report, sent in `x-amzn-query-error`.
    pub query_code: Option<String>,
    /// Wire name of the member that carries the message, if any.
    pub message_member: Option<String>,
    /// The HTTP status a REST service answers it with (`httpStatusCode`).
    pub http_status: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    pub throttling: bool,
}

/// Where a member of an operation's input, output or error travels, as the model binds it
/// (lowering reads it for every structure; the REST emitters use it for an operation's own input,
/// output and errors, and awsJson, which binds nothing, puts every member in the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A member of the JSON body, under its [`Member::json_name`].
    Body,
    /// The whole body (`payload`): a structure's JSON, or a blob's or string's bytes.
    Payload,
    /// A path label of the operation's URI template (`{Name}` or greedy `{Name+}`).
    Label(String),
    /// A query string parameter (a list repeats it).
    Query(String),
    /// A map whose entries are query string parameters (`querystring` without a name).
    QueryMap,
    /// A header (a list is comma-separated).
    Header(String),
    /// A map whose entries are headers named with this prefix (`headers`).
    PrefixHeaders(String),
    /// The response's status code.
    StatusCode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub wire_name: String,
    /// The key in a JSON body: `locationName` where the model gives one, else the member's name.
    /// A member bound elsewhere (header, label, ...) keeps its name here, for the structure's
    /// JSON view, or `<name>@bound` where a body member's key is that name (`lower::unclash`).
    pub json_name: String,
    pub location: Location,
    /// `jsonvalue`: a string header that carries base64-encoded JSON text.
    pub json_value: bool,
    /// Field name in the structure.
    pub field: String,
    /// Setter in its builder and call builder (the field name unless a builder method has it).
    pub setter: String,
    /// Variant name, for union members.
    pub variant: String,
    /// Builder method that takes an `Option`.
    pub opt_setter: String,
    pub target: String,
    pub required: bool,
    /// Boxed to break a cycle of structures.
    pub boxed: bool,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecation>,
    pub idempotency_token: bool,
    pub timestamp_format: Option<TimestampFormat>,
    /// A `streaming` blob bound to the payload: a `ByteStream` field that is always there
    /// (unset, an empty body) and so `required`, which the client sends and hands back without
    /// buffering it.
    pub streaming: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    SigV4,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub wire_name: String,
    /// Method name on the client and the server trait.
    pub method: String,
    /// `UpperCamelCase` base for the operation's own types (`GetIdError`).
    pub type_name: String,
    pub error_enum: String,
    pub input: Option<String>,
    pub output: Option<String>,
    /// Error shapes by wire name, sorted.
    pub errors: Vec<String>,
    pub auth: Auth,
    /// The payload goes unsigned (`authtype: v4-unsigned-body`, `unsignedPayload`).
    pub unsigned_payload: bool,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecation>,
    pub idempotent: bool,
    pub paginator: Option<Paginator>,
    /// The endpoint trait's host prefix, e.g. `foo.{Label}.`, with its labels.
    pub host_prefix: Option<HostPrefix>,
    /// The operation's HTTP binding (`http`): method, URI template and success status.
    pub http: HttpBinding,
    /// Endpoint rule-set parameters the operation sets (`crate::context_params`).
    pub endpoint_params: Vec<EndpointParam>,
}

/// An endpoint rule-set parameter an operation sets itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointParam {
    /// The rule set's name for it.
    pub name: String,
    pub source: ParamSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamSource {
    /// `staticContextParams`: the same value on every call.
    Static(StaticValue),
    /// A `contextParam` member or an `operationContextParams` path: what the steps reach in the
    /// input. `many` when the path projects (`[*]`, `keys()`): a list of strings; else the one
    /// value, when it is there.
    Input {
        steps: Vec<PathStep>,
        terminal: Terminal,
        many: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticValue {
    Bool(bool),
    String(String),
    Strings(Vec<String>),
}

/// One step of a path into an operation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A structure's member (its Rust field); an optional one may be unset.
    Member { field: String, required: bool },
    /// Every item of a list.
    Each,
    /// Every key of a map.
    Keys,
    /// Several paths from here, their values one after another.
    Select(Vec<Vec<PathStep>>),
}

/// What a path ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminal {
    String,
    Enum,
    Bool,
}

/// An operation's `http`: what REST protocols route on (awsJson's is always `POST /`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    pub method: String,
    /// The path's segments after the first `/` (`/` itself is one empty literal).
    pub path: Vec<PathSegment>,
    /// The URI template's literal query (`?mode=import`, `?delete`): keys with their value if any.
    pub query: Vec<(String, Option<String>)>,
    /// The status of a successful response (`responseCode`, 200 when the model gives none): what
    /// a server answers with (clients take any 2xx).
    pub code: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// `{Name}` (or greedy `{Name+}`, which may span `/`): the input member (wire name) bound to it.
    Label {
        member: String,
        greedy: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    /// The template as the model writes it.
    pub template: String,
    /// Input members (wire names) named by `{...}` in the template, in template order.
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// Input member (wire name) that carries the token.
    pub input_token: String,
    /// Output member (wire name) that carries the next token.
    pub output_token: String,
    /// Output member (wire name) holding the items, if the entry names one list.
    pub items: Option<String>,
    /// Input member (wire name) that sets the page size.
    pub page_size: Option<String>,
}

impl Service {
    pub fn shape(&self, wire: &str) -> Option<&Shape> {
        self.shapes.get(wire)
    }

    /// The structure an operation's input or output names, if it names one.
    pub fn structure(&self, wire: Option<&str>) -> Option<&Structure> {
        match &self.shape(wire?)?.kind {
            ShapeKind::Structure(st) => Some(st),
            _ => None,
        }
    }

    /// Shapes that become Rust types, in wire-name order.
    pub fn named_types(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| s.kind.is_named_type())
    }

    /// Error shapes, in wire-name order.
    pub fn errors(&self) -> impl Iterator<Item = (&Shape, &ErrorInfo)> {
        self.shapes.values().filter_map(|s| match &s.kind {
            ShapeKind::Structure(Structure { error: Some(e), .. }) => Some((s, e)),
            _ => None,
        })
    }
}
