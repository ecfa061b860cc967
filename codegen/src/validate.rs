//! Validation: checks a loaded model before anything is built from it. Every problem becomes a
//! diagnostic with its JSON path; all of them are reported, none stops the others.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostics;
use crate::model::{Extra, PaginatorsFile, ServiceModel, Shape, ShapeRef};

/// Shape types the model format knows and this generator maps to Rust.
pub const SHAPE_TYPES: &[&str] = &[
    "structure",
    "list",
    "map",
    "string",
    "integer",
    "long",
    "short",
    "byte",
    "boolean",
    "double",
    "float",
    "timestamp",
    "blob",
];

pub const TIMESTAMP_FORMATS: &[&str] = &["iso8601", "rfc822", "unixTimestamp"];

pub fn validate(model: &ServiceModel, paginators: Option<&PaginatorsFile>) -> Diagnostics {
    let mut d = Diagnostics::default();
    let v = Validator {
        model,
        d: &mut d,
        patterns: BTreeMap::new(),
    };
    v.run(paginators);
    d
}

struct Validator<'a> {
    model: &'a ServiceModel,
    d: &'a mut Diagnostics,
    /// Each distinct pattern is built once: shapes share them (`[\w-]+:[0-9a-f-]+`).
    patterns: BTreeMap<&'a str, Result<(), String>>,
}

impl<'a> Validator<'a> {
    fn run(mut self, paginators: Option<&PaginatorsFile>) {
        self.metadata();
        for (name, op) in &self.model.operations {
            let path = format!("operations.{name}");
            if let Some(n) = &op.name {
                if n != name {
                    self.d.error(
                        format!("{path}.name"),
                        format!("operation is named \"{n}\" but its key is \"{name}\""),
                    );
                }
            }
            self.extra(&path, &op.extra);
            if let Some(http) = &op.http {
                self.extra(&format!("{path}.http"), &http.extra);
                if let Some(m) = &http.method {
                    if !matches!(
                        m.as_str(),
                        "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
                    ) {
                        self.d.error(
                            format!("{path}.http.method"),
                            format!("unknown HTTP method \"{m}\""),
                        );
                    }
                }
            }
            for (key, r) in [("input", &op.input), ("output", &op.output)] {
                if let Some(r) = r {
                    let p = format!("{path}.{key}");
                    self.structure_ref(&p, r, false);
                }
            }
            for (i, r) in op.errors.iter().flatten().enumerate() {
                let p = format!("{path}.errors.{i}");
                self.structure_ref(&p, &r.target, true);
                if let Some(e) = &r.error {
                    self.extra(&format!("{p}.error"), &e.extra);
                }
            }
            if let Some(auth) = &op.authtype {
                if !matches!(auth.as_str(), "none" | "v4" | "v4-unsigned-body") {
                    self.d.warning(
                        format!("{path}.authtype"),
                        format!("auth type \"{auth}\" is not supported; the operation is signed with SigV4"),
                    );
                }
            }
            if let Some(e) = &op.endpoint {
                self.extra(&format!("{path}.endpoint"), &e.extra);
            }
        }
        for (name, shape) in &self.model.shapes {
            self.shape(name, shape);
        }
        if let Some(p) = paginators {
            self.paginators(p);
        }
    }

    fn metadata(&mut self) {
        let m = &self.model.metadata;
        let supported = crate::lower::SUPPORTED_PROTOCOLS;
        let chosen = m.chosen_protocol(supported);
        match (m.protocol.as_deref(), chosen) {
            (_, Some(_)) => {}
            (Some(other), None) => self.d.error(
                "metadata.protocol",
                format!(
                    "protocol \"{other}\" is not supported: this generator handles {} (named here or listed in metadata.protocols)",
                    supported.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
                ),
            ),
            (None, None) => self.d.error("metadata.protocol", "missing: the model must name its protocol"),
        }
        let aws_json = chosen == Some("json");
        match m.json_version.as_deref() {
            Some("1.0" | "1.1") => {}
            Some(other) if aws_json => self.d.error(
                "metadata.jsonVersion",
                format!("jsonVersion \"{other}\" is not supported: expected \"1.0\" or \"1.1\""),
            ),
            None if aws_json => self.d.error(
                "metadata.jsonVersion",
                "missing: an awsJson model must say \"1.0\" or \"1.1\"",
            ),
            _ => {}
        }
        if aws_json && m.target_prefix.as_deref().unwrap_or("").is_empty() {
            self.d.error(
                "metadata.targetPrefix",
                "missing: awsJson routes on X-Amz-Target = targetPrefix.Operation",
            );
        }
        if m.service_id.as_deref().unwrap_or("").is_empty()
            && m.endpoint_prefix.as_deref().unwrap_or("").is_empty()
        {
            self.d.error(
                "metadata.serviceId",
                "missing: neither serviceId nor endpointPrefix names the service",
            );
        }
        if m.endpoint_prefix.as_deref().unwrap_or("").is_empty() {
            self.d.error(
                "metadata.endpointPrefix",
                "missing: the default endpoint is built from it",
            );
        }
        if let Some(sv) = &m.signature_version {
            if !matches!(sv.as_str(), "v4" | "") {
                self.d.warning(
                    "metadata.signatureVersion",
                    format!("signature version \"{sv}\" is not supported; operations are signed with SigV4"),
                );
            }
        }
        self.extra("metadata", &m.extra);
    }

    fn extra(&mut self, path: &str, extra: &Extra) {
        for key in extra.keys() {
            self.d
                .warning(format!("{path}.{key}"), "unknown key, ignored");
        }
    }

    fn lookup(&self, name: &str) -> Lookup<'a> {
        let model: &'a ServiceModel = self.model;
        match model.shapes.get(name) {
            Some(s) => Lookup::Found(s),
            None if model.unreadable_shapes.iter().any(|n| n == name) => Lookup::Unreadable,
            None => Lookup::Missing,
        }
    }

    /// Checks a reference; returns the target when it resolves.
    fn shape_ref(&mut self, path: &str, r: &ShapeRef) -> Option<&'a Shape> {
        self.extra(path, &r.extra);
        if let Some(f) = &r.timestamp_format {
            if !TIMESTAMP_FORMATS.contains(&f.as_str()) {
                self.d.error(
                    format!("{path}.timestampFormat"),
                    format!(
                        "unknown timestamp format \"{f}\", expected one of {TIMESTAMP_FORMATS:?}"
                    ),
                );
            }
        }
        let Some(name) = &r.shape else {
            self.d.error(
                format!("{path}.shape"),
                "missing: a reference must name a shape",
            );
            return None;
        };
        match self.lookup(name) {
            Lookup::Found(s) => Some(s),
            Lookup::Unreadable => None,
            Lookup::Missing => {
                self.d
                    .error(format!("{path}.shape"), format!("unknown shape \"{name}\""));
                None
            }
        }
    }

    fn structure_ref(&mut self, path: &str, r: &ShapeRef, error: bool) {
        let Some(shape) = self.shape_ref(path, r) else {
            return;
        };
        let name = r.shape.as_deref().unwrap_or_default();
        if shape.type_name.as_deref() != Some("structure") {
            self.d.error(
                format!("{path}.shape"),
                format!(
                    "shape \"{name}\" must be a structure, found {}",
                    shape.type_name.as_deref().unwrap_or("no type")
                ),
            );
            return;
        }
        if error && !self.model.is_exception(name) {
            self.d.warning(
                format!("{path}.shape"),
                format!("error shape \"{name}\" is not marked `exception`"),
            );
        }
        if !error && self.model.is_exception(name) {
            self.d.error(
                format!("{path}.shape"),
                format!("shape \"{name}\" is an exception, not an input or output"),
            );
        }
    }

    fn shape(&mut self, name: &str, s: &'a Shape) {
        let path = format!("shapes.{name}");
        self.extra(&path, &s.extra);
        let Some(ty) = s.type_name.as_deref() else {
            self.d
                .error(format!("{path}.type"), "missing: every shape needs a type");
            return;
        };
        if !SHAPE_TYPES.contains(&ty) {
            self.d.error(
                format!("{path}.type"),
                format!("unknown shape type \"{ty}\""),
            );
            return;
        }
        // A key that means nothing for the shape's type is ignored with a warning, as botocore
        // ignores it (its legacy suites declare a string shape with `key` and `value`).
        let not_for = |d: &mut Diagnostics, key: &str, present: bool, allowed: &[&str]| {
            if present && !allowed.contains(&ty) {
                d.warning(
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to a {ty} shape; ignored"),
                );
            }
        };
        not_for(self.d, "members", s.members.is_some(), &["structure"]);
        not_for(self.d, "required", s.required.is_some(), &["structure"]);
        not_for(self.d, "member", s.member.is_some(), &["list"]);
        not_for(self.d, "key", s.key.is_some(), &["map"]);
        not_for(self.d, "value", s.value.is_some(), &["map"]);
        not_for(self.d, "enum", s.enum_values.is_some(), &["string"]);
        not_for(self.d, "pattern", s.pattern.is_some(), &["string"]);
        if let (Some(p), "string") = (&s.pattern, ty) {
            let built = self
                .patterns
                .entry(p)
                .or_insert_with(|| crate::pattern::check(p).map(drop));
            if let Err(why) = built {
                self.d.warning(
                    format!("{path}.pattern"),
                    format!("pattern {p:?} {why}: the server will not check it"),
                );
            }
        }
        let sized = [
            "string", "list", "map", "blob", "integer", "long", "short", "byte", "double", "float",
        ];
        not_for(self.d, "min", s.min.is_some(), &sized);
        not_for(self.d, "max", s.max.is_some(), &sized);
        not_for(self.d, "exception", s.exception.is_some(), &["structure"]);
        not_for(self.d, "fault", s.fault.is_some(), &["structure"]);
        not_for(self.d, "error", s.error.is_some(), &["structure"]);
        if let Some(e) = &s.error {
            self.extra(&format!("{path}.error"), &e.extra);
        }
        not_for(self.d, "union", s.union.is_some(), &["structure"]);
        not_for(self.d, "document", s.document.is_some(), &["structure"]);
        not_for(
            self.d,
            "timestampFormat",
            s.timestamp_format.is_some(),
            &["timestamp"],
        );
        if let Some(f) = &s.timestamp_format {
            if !TIMESTAMP_FORMATS.contains(&f.as_str()) {
                self.d.error(
                    format!("{path}.timestampFormat"),
                    format!(
                        "unknown timestamp format \"{f}\", expected one of {TIMESTAMP_FORMATS:?}"
                    ),
                );
            }
        }
        if let (Some(min), Some(max)) = (
            s.min.as_ref().and_then(|n| n.as_f64()),
            s.max.as_ref().and_then(|n| n.as_f64()),
        ) {
            if min > max {
                self.d.error(
                    format!("{path}.min"),
                    format!("min {min} is greater than max {max}"),
                );
            }
        }
        if let Some(values) = &s.enum_values {
            let mut seen = BTreeSet::new();
            for (i, v) in values.iter().enumerate() {
                if !seen.insert(v) {
                    self.d.error(
                        format!("{path}.enum.{i}"),
                        format!("duplicate enum value \"{v}\""),
                    );
                }
            }
        }
        match ty {
            "structure" => {
                let members = s
                    .members
                    .as_ref()
                    .map(|m| m.0.as_slice())
                    .unwrap_or_default();
                let mut names = BTreeSet::new();
                for (m, r) in members {
                    if !names.insert(m.as_str()) {
                        self.d
                            .error(format!("{path}.members.{m}"), "duplicate member name");
                    }
                    self.shape_ref(&format!("{path}.members.{m}"), r);
                }
                for (i, req) in s.required.iter().flatten().enumerate() {
                    if !names.contains(req.as_str()) {
                        self.d.error(
                            format!("{path}.required.{i}"),
                            format!("required member \"{req}\" is not a member of {name}"),
                        );
                    }
                }
                if s.document == Some(true) && !members.is_empty() {
                    self.d
                        .error(format!("{path}.members"), "a document shape has no members");
                }
                if s.union == Some(true) && members.is_empty() {
                    self.d.error(
                        format!("{path}.members"),
                        "a union needs at least one member",
                    );
                }
            }
            "list" => match &s.member {
                Some(r) => {
                    self.shape_ref(&format!("{path}.member"), r);
                }
                None => self.d.error(
                    format!("{path}.member"),
                    "missing: a list needs a member shape",
                ),
            },
            "map" => {
                match &s.key {
                    Some(r) => {
                        if let Some(k) = self.shape_ref(&format!("{path}.key"), r) {
                            if k.type_name.as_deref() != Some("string") {
                                self.d.error(
                                    format!("{path}.key.shape"),
                                    format!(
                                        "map keys must be strings, found {}",
                                        k.type_name.as_deref().unwrap_or("no type")
                                    ),
                                );
                            }
                        }
                    }
                    None => self
                        .d
                        .error(format!("{path}.key"), "missing: a map needs a key shape"),
                }
                match &s.value {
                    Some(r) => {
                        self.shape_ref(&format!("{path}.value"), r);
                    }
                    None => self.d.error(
                        format!("{path}.value"),
                        "missing: a map needs a value shape",
                    ),
                }
            }
            _ => {}
        }
    }

    fn paginators(&mut self, file: &PaginatorsFile) {
        for (op_name, p) in &file.pagination {
            let path = format!("paginators.pagination.{op_name}");
            self.extra(&path, &p.extra);
            let Some(op) = self.model.operations.get(op_name) else {
                self.d.error(
                    path,
                    format!("paginator for unknown operation \"{op_name}\""),
                );
                continue;
            };
            let input = op
                .input
                .as_ref()
                .and_then(|r| r.shape.as_deref())
                .and_then(|n| self.model.shapes.get(n));
            let output = op
                .output
                .as_ref()
                .and_then(|r| r.shape.as_deref())
                .and_then(|n| self.model.shapes.get(n));
            let has = |shape: Option<&Shape>, member: &str| {
                let top = member.split(['.', '[']).next().unwrap_or(member);
                shape
                    .and_then(|s| s.members.as_ref())
                    .is_some_and(|m| m.0.iter().any(|(n, _)| n == top))
            };
            match &p.input_token {
                None => self.d.error(format!("{path}.input_token"), "missing"),
                Some(t) => {
                    for (i, t) in t.as_slice().iter().enumerate() {
                        if !has(input, t) {
                            self.d.error(
                                format!("{path}.input_token.{i}"),
                                format!("\"{t}\" is not a member of {op_name}'s input"),
                            );
                        }
                    }
                }
            }
            match &p.output_token {
                None => self.d.error(format!("{path}.output_token"), "missing"),
                Some(t) => {
                    for (i, t) in t.as_slice().iter().enumerate() {
                        if !has(output, t) {
                            self.d.error(
                                format!("{path}.output_token.{i}"),
                                format!("\"{t}\" is not a member of {op_name}'s output"),
                            );
                        }
                    }
                }
            }
            for (i, t) in p.result_key.iter().flat_map(|r| r.as_slice()).enumerate() {
                if !has(output, t) {
                    self.d.error(
                        format!("{path}.result_key.{i}"),
                        format!("\"{t}\" is not a member of {op_name}'s output"),
                    );
                }
            }
            if let Some(l) = &p.limit_key {
                if !has(input, l) {
                    self.d.error(
                        format!("{path}.limit_key"),
                        format!("\"{l}\" is not a member of {op_name}'s input"),
                    );
                }
            }
        }
    }
}

enum Lookup<'a> {
    Found(&'a Shape),
    Unreadable,
    Missing,
}
