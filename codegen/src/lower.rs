//! Lowering: builds the IR once from a validated model. Names come from `naming`; cycles of
//! structures are broken with boxes; paginators the generator cannot express are left out with a
//! warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Number;

use crate::diag::Diagnostics;
use crate::docs::html_to_markdown;
use crate::ir::*;
use crate::model::{self, PaginatorsFile, ServiceModel};
use crate::naming::{self, CrateNames};

/// Methods the generated client defines itself; operations with these names are renamed.
pub const CLIENT_METHODS: &[&str] = &["new", "config", "from_config", "with_transport", "builder"];

pub fn lower(
    model: &ServiceModel,
    paginators: Option<&PaginatorsFile>,
    endpoint_rules: Option<model::EndpointRules>,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let m = &model.metadata;
    let protocol = protocol(model, diags)?;
    let service_id = m
        .service_id
        .clone()
        .or_else(|| m.endpoint_prefix.clone())
        .unwrap_or_default();
    let endpoint_prefix = m.endpoint_prefix.clone().unwrap_or_default();

    // Type names for the shapes that become Rust types.
    let typed: Vec<(String, String)> = model
        .shapes
        .iter()
        .filter(|(_, s)| is_named_type(s))
        .map(|(n, _)| (n.clone(), naming::camel(n)))
        .collect();
    let type_names = naming::unique(&typed, naming::RESERVED_TYPE_NAMES, "Shape", "");

    let boxed = cyclic_edges(model);
    // The payload member of each structure: its own `payload`, or (older models) the one an
    // operation's input or output reference names.
    let mut payloads: BTreeMap<&str, &str> = BTreeMap::new();
    for op in model.operations.values() {
        for r in [&op.input, &op.output].into_iter().flatten() {
            if let (Some(shape), Some(p)) = (&r.shape, &r.payload) {
                payloads.insert(shape, p);
            }
        }
    }
    for (name, s) in &model.shapes {
        if let Some(p) = &s.payload {
            payloads.insert(name, p);
        }
    }

    let mut shapes = BTreeMap::new();
    for (name, s) in &model.shapes {
        let rust_name = type_names.get(name).cloned().unwrap_or_default();
        let kind = shape_kind(
            name,
            s,
            model,
            &boxed,
            payloads.get(name.as_str()).copied(),
            diags,
        );
        shapes.insert(
            name.clone(),
            Shape {
                wire_name: name.clone(),
                rust_name,
                docs: docs(s.documentation.as_deref()),
                sensitive: s.sensitive == Some(true),
                deprecated: deprecation(s.deprecated, &s.deprecated_message, &s.deprecated_since),
                kind,
            },
        );
    }

    if protocol.is_rest() {
        check_bindings(&shapes, diags);
    }
    let left_out = event_stream_operations(model, diags);
    let op_items: Vec<(String, String)> = model
        .operations
        .keys()
        .filter(|n| !left_out.contains(*n))
        .map(|n| (n.clone(), naming::snake(n)))
        .collect();
    let methods = naming::unique(&op_items, CLIENT_METHODS, "_operation", "_");
    let op_types = naming::operation_types(op_items.iter().map(|(n, _)| n));

    let mut operations = BTreeMap::new();
    for (name, op) in &model.operations {
        if left_out.contains(name) {
            continue;
        }
        let shape_of = |r: &Option<model::ShapeRef>| r.as_ref().and_then(|r| r.shape.clone());
        let http = http_binding(
            name,
            op,
            shape_of(&op.input).as_deref(),
            &shapes,
            protocol,
            diags,
        );
        let mut errors: Vec<String> = op
            .errors
            .iter()
            .flatten()
            .filter_map(|r| r.target.shape.clone())
            .filter(|e| {
                matches!(
                    shapes.get(e).map(|s: &Shape| &s.kind),
                    Some(ShapeKind::Structure(Structure { error: Some(_), .. }))
                )
            })
            .collect();
        errors.sort();
        errors.dedup();
        let no_auth = op.authtype.as_deref() == Some("none")
            || op
                .auth
                .as_ref()
                .is_some_and(|a| a.iter().any(|x| x == "smithy.api#noAuth"));
        let type_name = op_types
            .get(name)
            .cloned()
            .unwrap_or_else(|| naming::camel(name));
        let paginator = paginators
            .and_then(|p| p.pagination.get(name))
            .and_then(|p| paginator(name, p, model, diags));
        operations.insert(
            name.clone(),
            Operation {
                wire_name: name.clone(),
                method: methods
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| naming::snake(name)),
                error_enum: format!("{type_name}Error"),
                type_name,
                input: shape_of(&op.input),
                output: shape_of(&op.output),
                errors,
                auth: if no_auth { Auth::None } else { Auth::SigV4 },
                unsigned_payload: op.authtype.as_deref() == Some("v4-unsigned-body")
                    || op.unsigned_payload == Some(true),
                docs: docs(op.documentation.as_deref()),
                deprecated: deprecation(
                    op.deprecated,
                    &op.deprecated_message,
                    &op.deprecated_since,
                ),
                idempotent: op.idempotent == Some(true),
                paginator,
                host_prefix: op
                    .endpoint
                    .as_ref()
                    .and_then(|e| e.host_prefix.as_ref())
                    .and_then(|t| {
                        host_prefix(name, t, shape_of(&op.input).as_deref(), model, diags)
                    }),
                http,
                endpoint_params: crate::context_params::lower(
                    name,
                    op,
                    shape_of(&op.input).as_deref(),
                    model,
                    &shapes,
                    diags,
                ),
            },
        );
    }
    check_streaming(&shapes, &operations, diags);

    Some(Service {
        crates: CrateNames::new(&service_id),
        full_name: m
            .service_full_name
            .clone()
            .unwrap_or_else(|| service_id.clone()),
        service_id,
        service_id_in_model: m.service_id.is_some(),
        api_version: m.api_version.clone().unwrap_or_default(),
        signing_name: m
            .signing_name
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone()),
        endpoint_prefix,
        target_prefix: m.target_prefix.clone().unwrap_or_default(),
        query_compatible: m.aws_query_compatible.is_some(),
        preferred_protocol: m.protocol.clone().filter(|p| p != protocol.model_name()),
        also_json: also_json(model, protocol),
        protocol,
        docs: docs(model.documentation.as_deref()),
        endpoint_rules: endpoint_rules_of(endpoint_rules, diags),
        shapes,
        operations,
    })
}

/// The protocols the generator speaks, by the model's names for them.
pub const SUPPORTED_PROTOCOLS: &[&str] = &["json", "rest-json", "smithy-rpc-v2-cbor"];

/// The protocol the crates speak: the first of the model's `protocols` (else its `protocol`) that
/// the generator supports. botocore picks by its own priority instead (json before rest-json
/// before smithy-rpc-v2-cbor); no model lists both json and rest-json, so the two rules differ
/// only where the model names a protocol this generator does not speak yet.
fn protocol(model: &ServiceModel, diags: &mut Diagnostics) -> Option<Protocol> {
    let m = &model.metadata;
    let listed: Vec<&str> = match &m.protocols {
        Some(ps) if !ps.is_empty() => ps.iter().map(String::as_str).collect(),
        _ => m.protocol.as_deref().into_iter().collect(),
    };
    match listed
        .into_iter()
        .find(|p| SUPPORTED_PROTOCOLS.contains(p))?
    {
        "rest-json" => Some(Protocol::RestJson),
        "smithy-rpc-v2-cbor" => Some(Protocol::RpcV2Cbor),
        _ => match m.json_version.as_deref() {
            Some("1.0") => Some(Protocol::AwsJson(JsonVersion::V1_0)),
            Some("1.1") => Some(Protocol::AwsJson(JsonVersion::V1_1)),
            _ => {
                diags.error("metadata.jsonVersion", "missing or unsupported");
                None
            }
        },
    }
}

/// The awsJson version a Smithy RPC v2 CBOR model offers beside CBOR (`json` in
/// `metadata.protocols`, with its `jsonVersion`).
fn also_json(model: &ServiceModel, protocol: Protocol) -> Option<JsonVersion> {
    let m = &model.metadata;
    let lists_json = m.protocols.iter().flatten().any(|p| p == "json");
    if protocol != Protocol::RpcV2Cbor || !lists_json {
        return None;
    }
    match m.json_version.as_deref() {
        Some("1.0") => Some(JsonVersion::V1_0),
        Some("1.1") => Some(JsonVersion::V1_1),
        _ => None,
    }
}

/// An operation's `http`, with its URI template's labels tied to the input members bound to
/// them. For REST protocols every label must name a `uri` member and every `uri` member a label.
fn http_binding(
    op: &str,
    o: &model::Operation,
    input: Option<&str>,
    shapes: &BTreeMap<String, Shape>,
    protocol: Protocol,
    diags: &mut Diagnostics,
) -> HttpBinding {
    let path = format!("operations.{op}.http");
    let http = o.http.clone().unwrap_or_default();
    let uri = http.request_uri.clone().unwrap_or_else(|| "/".to_owned());
    let (path_part, query_part) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri.as_str(), None),
    };
    let members: &[Member] = match input.and_then(|i| shapes.get(i)).map(|s| &s.kind) {
        Some(ShapeKind::Structure(st)) => &st.members,
        _ => &[],
    };
    let label_member = |label: &str| {
        members
            .iter()
            .find(|m| m.location == Location::Label(label.to_owned()))
    };
    let mut segments = Vec::new();
    let mut greedy_seen = false;
    for seg in path_part.strip_prefix('/').unwrap_or(path_part).split('/') {
        let inner = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
        match inner {
            Some(label) if protocol.is_rest() => {
                let (label, greedy) = match label.strip_suffix('+') {
                    Some(l) => (l, true),
                    None => (label, false),
                };
                if greedy && std::mem::replace(&mut greedy_seen, true) {
                    diags.error(
                        format!("{path}.requestUri"),
                        format!("{uri:?} has more than one greedy label"),
                    );
                }
                match label_member(label) {
                    Some(m) => segments.push(PathSegment::Label {
                        member: m.wire_name.clone(),
                        greedy,
                    }),
                    None => diags.error(
                        format!("{path}.requestUri"),
                        format!("label {{{label}}} of {uri:?} is not an input member with location `uri`"),
                    ),
                }
            }
            _ if protocol.is_rest() && seg.contains(['{', '}']) => diags.error(
                format!("{path}.requestUri"),
                format!("segment {seg:?} of {uri:?}: a label must be a whole path segment"),
            ),
            _ => segments.push(PathSegment::Literal(seg.to_owned())),
        }
    }
    if protocol.is_rest() {
        for m in members {
            if let Location::Label(l) = &m.location {
                let bound = segments.iter().any(
                    |s| matches!(s, PathSegment::Label { member, .. } if member == &m.wire_name),
                );
                if !bound {
                    diags.error(
                        format!(
                            "shapes.{}.members.{}.location",
                            input.unwrap_or_default(),
                            m.wire_name
                        ),
                        format!(
                            "`uri` member with label {{{l}}} does not appear in {op}'s URI {uri:?}"
                        ),
                    );
                }
            }
        }
    }
    let query = query_part
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                    None => (kv.to_owned(), None),
                })
                .collect()
        })
        .unwrap_or_default();
    HttpBinding {
        method: http.method.clone().unwrap_or_else(|| "POST".to_owned()),
        path: segments,
        query,
        code: http.response_code.unwrap_or(200),
    }
}

/// Refuses, with a diagnostic each, members bound to a place their value cannot take (a map in a
/// header, a structure in the query string, a byte status code): the generated code would not
/// compile. No botocore model has one; this keeps a malformed model from getting that far.
fn check_bindings(shapes: &BTreeMap<String, Shape>, diags: &mut Diagnostics) {
    let kind = |t: &str| shapes.get(t).map(|s| &s.kind);
    let scalar = |t: &str| kind(t).is_some_and(ShapeKind::is_scalar);
    let scalar_or_list = |t: &str| match kind(t) {
        Some(ShapeKind::List(c)) => scalar(&c.member),
        _ => scalar(t),
    };
    let string = |t: &str| matches!(kind(t), Some(ShapeKind::String(_)));
    for (name, s) in shapes {
        let ShapeKind::Structure(st) = &s.kind else {
            continue;
        };
        for m in &st.members {
            let t = m.target.as_str();
            if !m.streaming && matches!(kind(t), Some(ShapeKind::Blob(b)) if b.streaming) {
                // Said by `check_streaming`.
                continue;
            }
            let ok = match &m.location {
                Location::Body => true,
                Location::Label(_) => scalar(t) && !matches!(kind(t), Some(ShapeKind::Blob(_))),
                Location::Query(_) => scalar_or_list(t),
                Location::Header(_) if m.json_value => string(t),
                Location::Header(_) => scalar_or_list(t),
                Location::QueryMap => matches!(kind(t), Some(ShapeKind::Map(mp))
                    if string(&mp.key) && (string(&mp.value)
                        || matches!(kind(&mp.value), Some(ShapeKind::List(c)) if string(&c.member)))),
                Location::PrefixHeaders(_) => {
                    matches!(kind(t), Some(ShapeKind::Map(mp)) if string(&mp.key) && string(&mp.value))
                }
                Location::StatusCode => {
                    matches!(kind(t), Some(ShapeKind::Integer(_) | ShapeKind::Long(_)))
                }
                Location::Payload => matches!(
                    kind(t),
                    Some(
                        ShapeKind::Structure(_)
                            | ShapeKind::Union(_)
                            | ShapeKind::Document
                            | ShapeKind::Blob(_)
                            | ShapeKind::String(_)
                            | ShapeKind::Enum(_)
                    )
                ),
            };
            if !ok {
                let place = match &m.location {
                    Location::Label(_) => {
                        "a path label takes a string, number, boolean or timestamp"
                    }
                    Location::Query(_) => "a query parameter takes a scalar or a list of them",
                    Location::Header(_) if m.json_value => "a `jsonvalue` header takes a string",
                    Location::Header(_) => "a header takes a scalar or a list of them",
                    Location::QueryMap => {
                        "a query map takes a map of strings to strings or to lists of strings"
                    }
                    Location::PrefixHeaders(_) => "prefix headers take a map of strings to strings",
                    Location::StatusCode => "a status code takes an integer or a long",
                    _ => "a payload takes a structure, union, document, blob or string",
                };
                diags.error(
                    format!("shapes.{name}.members.{}.location", m.wire_name),
                    format!("member targets \"{t}\", but {place}"),
                );
            }
        }
    }
}

/// Where a streaming payload may be: a streaming blob only as the payload member of a
/// structure that is an operation's input or output and nothing else (not an error, not a
/// member of another shape, not the input of a paginated operation, whose pages copy it). The
/// generated code holds such a member as a `ByteStream`, which cannot be copied or compared.
fn check_streaming(
    shapes: &BTreeMap<String, Shape>,
    operations: &BTreeMap<String, Operation>,
    diags: &mut Diagnostics,
) {
    let streaming_blob =
        |t: &str| matches!(shapes.get(t).map(|s| &s.kind), Some(ShapeKind::Blob(b)) if b.streaming);
    let mut referenced: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, s) in shapes {
        let targets: Vec<&str> = match &s.kind {
            ShapeKind::Structure(st) => st.members.iter().map(|m| m.target.as_str()).collect(),
            ShapeKind::Union(u) => u.members.iter().map(|m| m.target.as_str()).collect(),
            ShapeKind::List(l) => vec![l.member.as_str()],
            ShapeKind::Map(m) => vec![m.key.as_str(), m.value.as_str()],
            _ => Vec::new(),
        };
        for t in targets {
            referenced.entry(t).or_insert(name.as_str());
        }
    }
    for (name, s) in shapes {
        let members = match &s.kind {
            ShapeKind::Structure(st) => &st.members,
            ShapeKind::Union(u) => &u.members,
            _ => continue,
        };
        for m in members.iter().filter(|m| streaming_blob(&m.target)) {
            let at = format!("shapes.{name}.members.{}", m.wire_name);
            let t = &m.target;
            let why = if !m.streaming {
                format!("member targets \"{t}\", a streaming blob, which only an operation's payload member can target")
            } else if matches!(&s.kind, ShapeKind::Structure(st) if st.error.is_some()) {
                format!("error structure {name} has a streaming payload (\"{t}\"): errors are read whole")
            } else if let Some(by) = referenced.get(name.as_str()) {
                format!("{name} has a streaming payload (\"{t}\") and is also a member of {by}: only an operation's input or output may stream")
            } else if let Some(op) = operations
                .values()
                .find(|op| op.paginator.is_some() && op.input.as_deref() == Some(name.as_str()))
            {
                format!("{name} has a streaming payload (\"{t}\") and is the input of paginated {}, whose pages would each send it", op.wire_name)
            } else {
                continue;
            };
            diags.error(at, why);
        }
    }
}

/// The rule set's text for the client (compact JSON), with a warning for each parameter the client cannot set.
/// (A model without a rule set is warned about where its client is generated, `crate::generate`.)
fn endpoint_rules_of(
    rules: Option<model::EndpointRules>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let rules = rules?;
    for p in &rules.rule_set.params {
        match &p.built_in {
            Some(b) if !awsgen_rt::endpoint::CLIENT_BUILT_INS.contains(&b.as_str()) => diags
                .warning(
                    format!("endpointRuleSet.parameters.{}", p.name),
                    format!(
                    "built-in {b} is not set by the client yet: the parameter takes its default"
                ),
                ),
            _ => {}
        }
    }
    // Compact, as the client embeds it (`include_str!`) in every binary that calls the service:
    // the model's indentation is a third of its text.
    Some(
        serde_json::from_str::<serde_json::Value>(&rules.text)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok())
            .unwrap_or(rules.text),
    )
}

fn is_named_type(s: &model::Shape) -> bool {
    match s.type_name.as_deref() {
        Some("structure") => s.document != Some(true),
        Some("string") => s.enum_values.is_some(),
        _ => false,
    }
}

fn docs(html: Option<&str>) -> Vec<String> {
    html.map(html_to_markdown).unwrap_or_default()
}

fn deprecation(
    flag: Option<bool>,
    message: &Option<String>,
    since: &Option<String>,
) -> Option<Deprecation> {
    (flag == Some(true)).then(|| Deprecation {
        note: message.clone(),
        since: since.clone(),
    })
}

fn length(min: &Option<Number>, max: &Option<Number>) -> Length {
    let conv = |n: &Option<Number>| {
        n.as_ref().and_then(|n| {
            n.as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
        })
    };
    Length {
        min: conv(min),
        max: conv(max),
    }
}

fn range(min: &Option<Number>, max: &Option<Number>) -> Range {
    Range {
        min: min.as_ref().and_then(Number::as_f64),
        max: max.as_ref().and_then(Number::as_f64),
    }
}

fn timestamp_format(f: Option<&str>) -> Option<TimestampFormat> {
    match f {
        Some("iso8601") => Some(TimestampFormat::Iso8601),
        Some("rfc822") => Some(TimestampFormat::Rfc822),
        Some("unixTimestamp") => Some(TimestampFormat::EpochSeconds),
        _ => None,
    }
}

fn shape_kind(
    name: &str,
    s: &model::Shape,
    model: &ServiceModel,
    boxed: &BTreeSet<(String, String)>,
    payload: Option<&str>,
    diags: &mut Diagnostics,
) -> ShapeKind {
    let target =
        |r: &Option<model::ShapeRef>| r.as_ref().and_then(|r| r.shape.clone()).unwrap_or_default();
    match s.type_name.as_deref().unwrap_or_default() {
        "structure" if s.document == Some(true) => ShapeKind::Document,
        "structure" => {
            let members = members(name, s, model, boxed, payload);
            if s.union == Some(true) {
                let unknown = naming::UNKNOWN_VARIANT.to_owned();
                ShapeKind::Union(Union {
                    members,
                    unknown_variant: unknown,
                })
            } else {
                let error = model.is_exception(name).then(|| ErrorInfo {
                    code: name.to_owned(),
                    fault: model.server_fault(name),
                    http_status: model.error_status(name),
                    query_code: model
                        .metadata
                        .aws_query_compatible
                        .is_some()
                        .then(|| s.error.as_ref().and_then(|e| e.code.clone()))
                        .flatten(),
                    retryable: s.retryable.as_ref().map(|r| Retryable {
                        throttling: r
                            .get("throttling")
                            .and_then(|t| t.as_bool())
                            .unwrap_or(false),
                    }),
                    message_member: members
                        .iter()
                        .find(|m| m.wire_name.eq_ignore_ascii_case("message"))
                        .map(|m| m.wire_name.clone()),
                });
                ShapeKind::Structure(Structure { members, error })
            }
        }
        "string" => match &s.enum_values {
            Some(values) => {
                let items: Vec<(String, String)> = values
                    .iter()
                    .map(|v| (v.clone(), naming::camel(v)))
                    .collect();
                let variants = naming::unique(&items, &[naming::UNKNOWN_VARIANT], "Value", "");
                ShapeKind::Enum(Enum {
                    values: values
                        .iter()
                        .map(|v| EnumValue {
                            wire: v.clone(),
                            variant: variants.get(v).cloned().unwrap_or_else(|| naming::camel(v)),
                        })
                        .collect(),
                    length: length(&s.min, &s.max),
                    pattern: pattern(&s.pattern),
                    unknown_variant: naming::UNKNOWN_VARIANT.to_owned(),
                })
            }
            None => ShapeKind::String(StringShape {
                length: length(&s.min, &s.max),
                pattern: pattern(&s.pattern),
            }),
        },
        "list" => ShapeKind::List(Collection {
            member: target(&s.member),
            length: length(&s.min, &s.max),
        }),
        "map" => ShapeKind::Map(MapShape {
            key: target(&s.key),
            value: target(&s.value),
            length: length(&s.min, &s.max),
        }),
        "boolean" => ShapeKind::Boolean,
        "byte" => ShapeKind::Byte(range(&s.min, &s.max)),
        "short" => ShapeKind::Short(range(&s.min, &s.max)),
        "integer" => ShapeKind::Integer(range(&s.min, &s.max)),
        "long" => ShapeKind::Long(range(&s.min, &s.max)),
        "float" => ShapeKind::Float(range(&s.min, &s.max)),
        "double" => ShapeKind::Double(range(&s.min, &s.max)),
        "timestamp" => ShapeKind::Timestamp(timestamp_format(s.timestamp_format.as_deref())),
        "blob" => ShapeKind::Blob(Blob {
            length: length(&s.min, &s.max),
            streaming: s.streaming == Some(true),
            requires_length: s.requires_length == Some(true),
        }),
        other => {
            diags.error(
                format!("shapes.{name}.type"),
                format!("unknown shape type \"{other}\""),
            );
            ShapeKind::Document
        }
    }
}

fn members(
    name: &str,
    s: &model::Shape,
    model: &ServiceModel,
    boxed: &BTreeSet<(String, String)>,
    payload: Option<&str>,
) -> Vec<Member> {
    let list: &[(String, model::ShapeRef)] = s
        .members
        .as_ref()
        .map(|m| m.0.as_slice())
        .unwrap_or_default();
    let required: BTreeSet<&str> = s.required.iter().flatten().map(String::as_str).collect();
    let fields = naming::unique(
        &list
            .iter()
            .map(|(n, _)| (n.clone(), naming::snake(n)))
            .collect::<Vec<_>>(),
        &[],
        "",
        "_",
    );
    // Builder methods: the setters (field names where they are free), the `set_` setters, and the
    // builders' own methods (`build`, `send`, ...). Fields keep their names; only methods move.
    let mut taken: Vec<(String, String)> = fields
        .iter()
        .map(|(w, f)| (format!("0{w}"), f.clone()))
        .collect();
    taken.extend(list.iter().map(|(n, _)| {
        (
            format!("1{n}"),
            format!("set_{}", fields.get(n).cloned().unwrap_or_default()),
        )
    }));
    let builder = naming::unique(&taken, naming::BUILDER_METHODS, "_value", "_");
    let variants = naming::unique(
        &list
            .iter()
            .map(|(n, _)| (n.clone(), naming::camel(n)))
            .collect::<Vec<_>>(),
        &[naming::UNKNOWN_VARIANT],
        "Value",
        "",
    );
    let members: Vec<Member> = list
        .iter()
        .map(|(wire, r)| {
            let target = r.shape.clone().unwrap_or_default();
            let target_shape = model.shapes.get(&target);
            // botocore merges a shape's own serialization keys under the member's.
            let location_name = r
                .location_name
                .clone()
                .or_else(|| target_shape.and_then(|t| t.location_name.clone()));
            let named = || location_name.clone().unwrap_or_else(|| wire.clone());
            let location = match r
                .location
                .as_deref()
                .or_else(|| target_shape.and_then(|t| t.location.as_deref()))
            {
                _ if payload == Some(wire.as_str()) => Location::Payload,
                Some("uri") => Location::Label(named()),
                // A map in the query string is a map of parameters, named or not (botocore's
                // `_partition_parameters` merges any map there).
                Some("querystring") => match target_shape.and_then(|t| t.type_name.as_deref()) {
                    Some("map") => Location::QueryMap,
                    _ => Location::Query(named()),
                },
                Some("header") => Location::Header(named()),
                Some("headers") => {
                    Location::PrefixHeaders(location_name.clone().unwrap_or_default())
                }
                Some("statusCode") => Location::StatusCode,
                _ => Location::Body,
            };
            let streaming = location == Location::Payload
                && target_shape.is_some_and(|t| {
                    t.type_name.as_deref() == Some("blob") && t.streaming == Some(true)
                });
            Member {
                json_name: match location {
                    Location::Body => named(),
                    _ => wire.clone(),
                },
                location,
                json_value: r.json_value == Some(true),
                field: fields.get(wire).cloned().unwrap_or_default(),
                setter: builder
                    .get(&format!("0{wire}"))
                    .cloned()
                    .unwrap_or_default(),
                opt_setter: builder
                    .get(&format!("1{wire}"))
                    .cloned()
                    .unwrap_or_default(),
                variant: variants.get(wire).cloned().unwrap_or_default(),
                required: required.contains(wire.as_str()) || streaming,
                streaming,
                boxed: boxed.contains(&(name.to_owned(), target.clone())),
                docs: docs(r.documentation.as_deref()),
                deprecated: deprecation(r.deprecated, &r.deprecated_message, &r.deprecated_since),
                idempotency_token: r.idempotency_token == Some(true),
                timestamp_format: timestamp_format(r.timestamp_format.as_deref()),
                wire_name: wire.clone(),
                target,
            }
        })
        .collect();
    unclash(members)
}

/// A member bound outside the body keeps its own name as its JSON key, unless a body member's
/// `locationName` is that name (API Gateway's PutIntegration: the label member `httpMethod` and
/// the body's `integrationHttpMethod`, sent as `httpMethod`): then it takes `<name>@bound`, so
/// that the JSON view of the structure (the serde bridge, the server's reader) keeps both.
fn unclash(mut members: Vec<Member>) -> Vec<Member> {
    let body: BTreeSet<String> = members
        .iter()
        .filter(|m| m.location == Location::Body)
        .map(|m| m.json_name.clone())
        .collect();
    for m in members.iter_mut().filter(|m| m.location != Location::Body) {
        if body.contains(&m.json_name) {
            m.json_name = format!("{}@bound", m.wire_name);
        }
    }
    members
}

/// Edges (structure → structure) that close a cycle of direct containment: the member must be
/// boxed. Lists and maps already allocate, so only direct structure members count.
fn cyclic_edges(model: &ServiceModel) -> BTreeSet<(String, String)> {
    let is_struct = |n: &str| {
        model.shapes.get(n).is_some_and(|s| {
            s.type_name.as_deref() == Some("structure") && s.document != Some(true)
        })
    };
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, s) in &model.shapes {
        if !is_struct(name) {
            continue;
        }
        let targets = s
            .members
            .iter()
            .flat_map(|m| m.0.iter())
            .filter_map(|(_, r)| r.shape.as_deref())
            .filter(|t| is_struct(t));
        graph.entry(name.as_str()).or_default().extend(targets);
    }
    // A member edge a → b is in a cycle when a is reachable from b.
    let reach = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(graph.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for (a, targets) in &graph {
        for b in targets {
            if reach(b, a) {
                out.insert((a.to_string(), b.to_string()));
            }
        }
    }
    out
}

/// Operations whose input or output streams events: left out, with a warning that says so.
fn event_stream_operations(model: &ServiceModel, diags: &mut Diagnostics) -> BTreeSet<String> {
    let streams = |shape: Option<&str>| {
        shape.and_then(|n| model.shapes.get(n)).is_some_and(|s| {
            s.members.iter().flat_map(|m| m.0.iter()).any(|(_, r)| {
                r.shape
                    .as_deref()
                    .and_then(|t| model.shapes.get(t))
                    .is_some_and(|t| t.event_stream == Some(true))
            })
        })
    };
    let mut out = BTreeSet::new();
    for (name, op) in &model.operations {
        let input = op.input.as_ref().and_then(|r| r.shape.as_deref());
        let output = op.output.as_ref().and_then(|r| r.shape.as_deref());
        if streams(input) || streams(output) {
            diags.warning(
                format!("operations.{name}"),
                "event streams are not supported yet; the operation is left out of the generated crates",
            );
            out.insert(name.clone());
        }
    }
    out
}

fn paginator(
    op: &str,
    p: &model::Paginator,
    model: &ServiceModel,
    diags: &mut Diagnostics,
) -> Option<Paginator> {
    let path = format!("paginators.pagination.{op}");
    let single = |v: &Option<model::OneOrMany>| match v.as_ref().map(|v| v.as_slice()) {
        Some([one]) if !one.contains(['.', '[', ' ', '|']) => Some(one.clone()),
        _ => None,
    };
    let (Some(input_token), Some(output_token)) = (single(&p.input_token), single(&p.output_token))
    else {
        diags.warning(
            path,
            "only paginators with one top-level input and output token are supported; no paginator is generated for this operation",
        );
        return None;
    };
    let items = single(&p.result_key).filter(|k| {
        let out = model
            .operations
            .get(op)
            .and_then(|o| o.output.as_ref())
            .and_then(|r| r.shape.as_deref());
        let member = out
            .and_then(|o| model.shapes.get(o))
            .and_then(|o| o.members.as_ref())
            .and_then(|m| m.0.iter().find(|(n, _)| n == k))
            .and_then(|(_, r)| r.shape.as_deref())
            .and_then(|t| model.shapes.get(t));
        member.is_some_and(|t| t.type_name.as_deref() == Some("list"))
    });
    if items.is_none() && p.result_key.is_some() {
        diags.warning(
            format!("{path}.result_key"),
            "result key is not one top-level list; the paginator yields pages only",
        );
    }
    Some(Paginator {
        input_token,
        output_token,
        items,
        page_size: p.limit_key.clone(),
    })
}

/// Parses an endpoint trait's host prefix; every `{Label}` must be an input member marked
/// `hostLabel`. Smithy also makes such members required; botocore does not, and models may leave
/// one optional (botocore's legacy endpoint suite does), so an optional one is checked when the
/// request is built.
fn host_prefix(
    op: &str,
    template: &str,
    input: Option<&str>,
    model: &ServiceModel,
    diags: &mut Diagnostics,
) -> Option<HostPrefix> {
    let path = format!("operations.{op}.endpoint.hostPrefix");
    let mut labels = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            diags.error(path, format!("unclosed `{{` in host prefix {template:?}"));
            return None;
        };
        labels.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    let members = input
        .and_then(|i| model.shapes.get(i))
        .map(|s| s.members.clone().unwrap_or_default());
    for label in &labels {
        let ok = members.as_ref().is_some_and(|m| {
            m.0.iter()
                .any(|(n, r)| n == label && r.host_label == Some(true))
        });
        if !ok {
            diags.error(
                &path,
                format!("host label {{{label}}} is not an input member marked hostLabel"),
            );
            return None;
        }
    }
    Some(HostPrefix {
        template: template.to_owned(),
        labels,
    })
}

/// A pattern and its rewrite; one that cannot be rewritten was reported by validation and is
/// left out, so the server does not check it.
fn pattern(p: &Option<String>) -> Option<Pattern> {
    let source = p.as_ref()?;
    let translated = crate::pattern::translate(source).ok()?;
    Some(Pattern {
        source: source.clone(),
        translated,
    })
}
