//! Model diffs: every semantic change between two versions of a model, each classified for client
//! users and for server implementers as breaking or compatible, with the reason. Works on the IR,
//! so names are compared as the generated crates see them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Compatible,
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Where: `operations.GetId`, `shapes.GetIdInput.members.Logins`, ...
    pub path: String,
    /// What kind of change (`operation added`, `member required`, ...).
    pub kind: String,
    pub detail: String,
    pub client: Impact,
    pub client_reason: String,
    pub server: Impact,
    pub server_reason: String,
}

/// All changes, and how many shapes and operations changed their documentation only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Change>,
    pub documentation_changes: usize,
}

impl Report {
    pub fn breaking_for_clients(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.client == Impact::Breaking)
            .count()
    }

    pub fn breaking_for_servers(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.server == Impact::Breaking)
            .count()
    }

    pub fn has_breaking(&self) -> bool {
        self.breaking_for_clients() + self.breaking_for_servers() > 0
    }

    /// One line: `2 operations added, 1 breaking change for clients`.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() && self.documentation_changes == 0 {
            return "no changes".to_owned();
        }
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &self.changes {
            *kinds.entry(c.kind.as_str()).or_default() += 1;
        }
        let mut parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} × {k}")).collect();
        if self.documentation_changes > 0 {
            parts.push(format!(
                "{} documentation changes",
                self.documentation_changes
            ));
        }
        let (bc, bs) = (self.breaking_for_clients(), self.breaking_for_servers());
        parts.push(format!(
            "{bc} breaking for clients, {bs} breaking for servers"
        ));
        parts.join(", ")
    }

    pub fn to_text(&self) -> String {
        let mut out = format!(
            "model diff {} → {}: {}\n",
            self.old_version,
            self.new_version,
            self.summary()
        );
        for c in &self.changes {
            let _ = writeln!(out, "\n{} — {}: {}", c.path, c.kind, c.detail);
            let _ = writeln!(out, "  clients: {} — {}", label(c.client), c.client_reason);
            let _ = writeln!(out, "  servers: {} — {}", label(c.server), c.server_reason);
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "## Model changes {} → {}\n\n{}\n\n",
            self.old_version,
            self.new_version,
            self.summary()
        );
        if !self.changes.is_empty() {
            out.push_str("| where | change | clients | servers |\n|---|---|---|---|\n");
            for c in &self.changes {
                let _ = writeln!(
                    out,
                    "| `{}` | {}: {} | **{}**: {} | **{}**: {} |",
                    c.path,
                    c.kind,
                    c.detail.replace('|', "\\\\|"),
                    label(c.client),
                    c.client_reason,
                    label(c.server),
                    c.server_reason
                );
            }
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn label(i: Impact) -> &'static str {
    match i {
        Impact::Compatible => "compatible",
        Impact::Breaking => "breaking",
    }
}

use Impact::{Breaking as B, Compatible as C};

struct Diff<'a> {
    old: &'a Service,
    new: &'a Service,
    changes: Vec<Change>,
    docs: BTreeSet<String>,
}

impl Diff<'_> {
    fn push(
        &mut self,
        path: String,
        kind: &str,
        detail: String,
        client: (Impact, &str),
        server: (Impact, &str),
    ) {
        self.changes.push(Change {
            path,
            kind: kind.to_owned(),
            detail,
            client: client.0,
            client_reason: client.1.to_owned(),
            server: server.0,
            server_reason: server.1.to_owned(),
        });
    }

    /// Whether a shape is reachable from an operation's input (so its constraints bind callers).
    fn input_shapes(svc: &Service) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = svc
            .operations
            .values()
            .filter_map(|o| o.input.clone())
            .collect();
        while let Some(s) = stack.pop() {
            if !seen.insert(s.clone()) {
                continue;
            }
            if let Some(shape) = svc.shape(&s) {
                match &shape.kind {
                    ShapeKind::Structure(st) => {
                        stack.extend(st.members.iter().map(|m| m.target.clone()))
                    }
                    ShapeKind::Union(u) => stack.extend(u.members.iter().map(|m| m.target.clone())),
                    ShapeKind::List(l) => stack.push(l.member.clone()),
                    ShapeKind::Map(m) => stack.extend([m.key.clone(), m.value.clone()]),
                    _ => {}
                }
            }
        }
        seen
    }

    /// What the service as a whole says of itself: names, signing, protocol version.
    fn service(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.full_name != new.full_name {
            self.docs.insert("metadata.serviceFullName".to_owned());
        }
        if old.docs != new.docs {
            self.docs.insert("documentation".to_owned());
        }
        let kind = match (old.service_id_in_model, new.service_id_in_model) {
            (false, true) => Some("service id added"),
            (true, false) => Some("service id removed"),
            _ if old.service_id != new.service_id => Some("service id changed"),
            _ => None,
        };
        if let Some(kind) = kind {
            let show = |s: &Service| {
                if s.service_id_in_model {
                    format!("{:?}", s.service_id)
                } else {
                    "none".to_owned()
                }
            };
            let trait_name = |s: &Service| crate::naming::server_trait(&s.service_id);
            let (client, server) = if old.crates == new.crates && trait_name(old) == trait_name(new)
            {
                (
                    (C, "the crate names, built from it, stay"),
                    (C, "the crate and trait names, built from it, stay"),
                )
            } else {
                (
                    (B, "the crates, named after it, are renamed"),
                    (
                        B,
                        "the crates and the handler trait, named after it, are renamed",
                    ),
                )
            };
            let names = if old.crates.base == new.crates.base {
                format!("crates {}-*", new.crates.base)
            } else {
                format!("crates {}-* → {}-*", old.crates.base, new.crates.base)
            };
            self.push(
                "metadata.serviceId".to_owned(),
                kind,
                format!("{} → {} ({names})", show(old), show(new)),
                client,
                server,
            );
        }
        if old.signing_name != new.signing_name {
            self.push(
                "metadata.signingName".to_owned(),
                "signing name changed",
                format!("{:?} → {:?}", old.signing_name, new.signing_name),
                (C, "requests are signed for the new name"),
                (
                    B,
                    "signatures are verified for the new name; requests signed for the old one are refused",
                ),
            );
        }
        match (old.protocol, new.protocol) {
            (a, b) if a == b => {}
            (Protocol::AwsJson(a), Protocol::AwsJson(b)) => self.push(
                "metadata.jsonVersion".to_owned(),
                "protocol version changed",
                format!("awsJson {} → {}", a.as_str(), b.as_str()),
                (C, "requests carry the new content type"),
                (B, "requests with the old content type are refused"),
            ),
            (a, b) => self.push(
                "metadata.protocol".to_owned(),
                "protocol changed",
                format!("{a} → {b}"),
                (C, "requests are sent in the new protocol"),
                (B, "requests in the old protocol are refused"),
            ),
        }
        // Equal in two versions of one service (`same_service`); a diff of two services says so.
        if old.endpoint_prefix != new.endpoint_prefix {
            self.push(
                "metadata.endpointPrefix".to_owned(),
                "endpoint prefix changed",
                format!("{:?} → {:?}", old.endpoint_prefix, new.endpoint_prefix),
                (B, "the default endpoint moves"),
                (C, "no change"),
            );
        }
        if old.target_prefix != new.target_prefix {
            self.push(
                "metadata.targetPrefix".to_owned(),
                "target prefix changed",
                format!("{:?} → {:?}", old.target_prefix, new.target_prefix),
                (B, "every request names another X-Amz-Target"),
                (B, "requests with the old X-Amz-Target are refused"),
            );
        }
    }

    /// An error's traits: whose fault it is, whether it is retried, the awsQuery code.
    fn error(&mut self, path: &str, o: &ErrorInfo, n: &ErrorInfo) {
        if o.fault != n.fault {
            let side = |fault: bool| if fault { "server" } else { "client" };
            self.push(
                format!("{path}.fault"),
                "error fault changed",
                format!("{} → {}", side(o.fault), side(n.fault)),
                (C, "only the error's Fault changes"),
                (
                    C,
                    if n.fault {
                        "the service sends it with HTTP 500, not 400"
                    } else {
                        "the service sends it with HTTP 400, not 500"
                    },
                ),
            );
        }
        if o.retryable != n.retryable {
            let show = |r: Option<Retryable>| match r {
                None => "not retryable",
                Some(Retryable { throttling: false }) => "retryable",
                Some(Retryable { throttling: true }) => "retryable (throttling)",
            };
            let client = match (o.retryable, n.retryable) {
                (None, Some(_)) => "the standard retry policy now retries it",
                (Some(_), None) => "the standard retry policy no longer retries it",
                _ => "retries of it back off differently",
            };
            self.push(
                format!("{path}.retryable"),
                "error retryability changed",
                format!("{} → {}", show(o.retryable), show(n.retryable)),
                (C, client),
                (C, "no change"),
            );
        }
        if o.query_code != n.query_code {
            self.push(
                format!("{path}.error.code"),
                "error query code changed",
                format!(
                    "{} → {}",
                    o.query_code.as_deref().unwrap_or("none"),
                    n.query_code.as_deref().unwrap_or("none")
                ),
                (C, "the code the error reports changes"),
                (C, "the x-amzn-query-error the service sends changes"),
            );
        }
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, o) in &old.operations {
            let path = format!("operations.{name}");
            let Some(n) = new.operations.get(name) else {
                self.push(
                    path,
                    "operation removed",
                    format!("{name} is gone"),
                    (B, "its client method is removed"),
                    (
                        B,
                        "its trait method is removed; implementations of it no longer compile",
                    ),
                );
                continue;
            };
            if o.docs != n.docs {
                self.docs.insert(path.clone());
            }
            if o.input != n.input {
                self.push(
                    format!("{path}.input"),
                    "operation input changed",
                    format!("{:?} → {:?}", o.input, n.input),
                    (B, "the call takes another input type"),
                    (B, "the handler receives another input type"),
                );
            }
            if o.output != n.output {
                self.push(
                    format!("{path}.output"),
                    "operation output changed",
                    format!("{:?} → {:?}", o.output, n.output),
                    (B, "the call returns another output type"),
                    (B, "the handler must return another output type"),
                );
            }
            for e in n.errors.iter().filter(|e| !o.errors.contains(e)) {
                self.push(format!("{path}.errors"), "error added", format!("{name} can return {e}"), (C, "the error enum is non-exhaustive; matches with a catch-all arm keep compiling"), (C, "handlers may return the new variant"));
            }
            for e in o.errors.iter().filter(|e| !n.errors.contains(e)) {
                self.push(
                    format!("{path}.errors"),
                    "error removed",
                    format!("{name} no longer returns {e}"),
                    (B, "the variant is removed from the operation's error enum"),
                    (B, "handlers returning it no longer compile"),
                );
            }
            match (o.auth, n.auth) {
                (Auth::None, Auth::SigV4) => self.push(
                    format!("{path}.auth"),
                    "auth changed",
                    "now signed".into(),
                    (B, "callers need credentials"),
                    (C, "verification now applies to it"),
                ),
                (Auth::SigV4, Auth::None) => self.push(
                    format!("{path}.auth"),
                    "auth changed",
                    "now unsigned".into(),
                    (C, "no credentials needed"),
                    (C, "requests may come unsigned"),
                ),
                _ => {}
            }
            match (&o.paginator, &n.paginator) {
                (None, Some(_)) => self.push(
                    format!("paginators.{name}"),
                    "paginator added",
                    format!("{name} pages"),
                    (C, "new pages()/items() methods"),
                    (C, "no change"),
                ),
                (Some(_), None) => self.push(
                    format!("paginators.{name}"),
                    "paginator removed",
                    format!("{name} no longer pages"),
                    (B, "pages()/items() are removed"),
                    (C, "no change"),
                ),
                (Some(a), Some(b)) if a != b => self.push(
                    format!("paginators.{name}"),
                    "paginator changed",
                    format!("{a:?} → {b:?}"),
                    (B, "page tokens or items move"),
                    (C, "no change"),
                ),
                _ => {}
            }
        }
        for name in new
            .operations
            .keys()
            .filter(|n| !old.operations.contains_key(*n))
        {
            self.push(
                format!("operations.{name}"),
                "operation added",
                format!("{name} is new"),
                (C, "a new client method"),
                (C, "a new trait method with a NotImplemented default"),
            );
            if new.operations[name].paginator.is_some() {
                self.push(
                    format!("paginators.{name}"),
                    "paginator added",
                    format!("{name} pages"),
                    (C, "new pages()/items() methods"),
                    (C, "no change"),
                );
            }
        }
    }

    fn shapes(&mut self) {
        let (old, new) = (self.old, self.new);
        let inputs = Self::input_shapes(new);
        for (name, o) in &old.shapes {
            let path = format!("shapes.{name}");
            let Some(n) = new.shapes.get(name) else {
                if o.kind.is_named_type() {
                    self.push(
                        path,
                        "shape removed",
                        format!("type {} is gone", o.rust_name),
                        (B, "the type is removed"),
                        (B, "the type is removed"),
                    );
                }
                continue;
            };
            if o.docs != n.docs {
                self.docs.insert(path.clone());
            }
            if o.sensitive != n.sensitive {
                self.push(
                    path.clone(),
                    "sensitivity changed",
                    format!("sensitive: {} → {}", o.sensitive, n.sensitive),
                    (C, "only Debug output changes"),
                    (C, "only Debug output and messages change"),
                );
            }
            let binding = inputs.contains(name);
            self.kind(&path, o, n, binding);
        }
        for (name, n) in &new.shapes {
            if !old.shapes.contains_key(name) && n.kind.is_named_type() {
                self.push(
                    format!("shapes.{name}"),
                    "shape added",
                    format!("type {}", n.rust_name),
                    (C, "a new type"),
                    (C, "a new type"),
                );
            }
        }
    }

    fn constraint(
        &mut self,
        path: &str,
        what: &str,
        old: Option<String>,
        new: Option<String>,
        tighter: bool,
        binding: bool,
    ) {
        if old == new {
            return;
        }
        let detail = format!(
            "{what}: {} → {}",
            old.as_deref().unwrap_or("none"),
            new.as_deref().unwrap_or("none")
        );
        if tighter {
            let server = if binding {
                (
                    B,
                    "requests that were valid are now refused before the handler",
                )
            } else {
                (C, "the shape is not in any input")
            };
            self.push(
                path.to_owned(),
                "constraint tightened",
                detail,
                (C, "no code change; values outside it fail at the service"),
                server,
            );
        } else {
            self.push(
                path.to_owned(),
                "constraint loosened",
                detail,
                (C, "more values are accepted"),
                (C, "handlers may see values they did not before"),
            );
        }
    }

    fn length(&mut self, path: &str, o: Length, n: Length, binding: bool) {
        let show = |v: Option<u64>| v.map(|x| x.to_string());
        let min_tighter = n.min.unwrap_or(0) > o.min.unwrap_or(0);
        self.constraint(
            &format!("{path}.min"),
            "min",
            show(o.min),
            show(n.min),
            min_tighter,
            binding,
        );
        let max_tighter = n.max.unwrap_or(u64::MAX) < o.max.unwrap_or(u64::MAX);
        self.constraint(
            &format!("{path}.max"),
            "max",
            show(o.max),
            show(n.max),
            max_tighter,
            binding,
        );
    }

    fn range(&mut self, path: &str, o: Range, n: Range, binding: bool) {
        let show = |v: Option<f64>| v.map(|x| x.to_string());
        let min_tighter = n.min.unwrap_or(f64::MIN) > o.min.unwrap_or(f64::MIN);
        self.constraint(
            &format!("{path}.min"),
            "min",
            show(o.min),
            show(n.min),
            min_tighter,
            binding,
        );
        let max_tighter = n.max.unwrap_or(f64::MAX) < o.max.unwrap_or(f64::MAX);
        self.constraint(
            &format!("{path}.max"),
            "max",
            show(o.max),
            show(n.max),
            max_tighter,
            binding,
        );
    }

    fn kind(&mut self, path: &str, o: &Shape, n: &Shape, binding: bool) {
        let type_name = |k: &ShapeKind| {
            format!("{k:?}")
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        match (&o.kind, &n.kind) {
            (ShapeKind::Structure(a), ShapeKind::Structure(b)) => {
                self.members(path, &a.members, &b.members);
                if let (Some(o), Some(n)) = (&a.error, &b.error) {
                    self.error(path, o, n);
                }
            }
            (ShapeKind::Union(a), ShapeKind::Union(b)) => {
                self.members(path, &a.members, &b.members)
            }
            (ShapeKind::Enum(a), ShapeKind::Enum(b)) => {
                let av: Vec<&str> = a.values.iter().map(|v| v.wire.as_str()).collect();
                let bv: Vec<&str> = b.values.iter().map(|v| v.wire.as_str()).collect();
                for v in bv.iter().filter(|v| !av.contains(v)) {
                    self.push(
                        format!("{path}.enum"),
                        "enum value added",
                        format!("{v:?}"),
                        (
                            C,
                            "the enum is non-exhaustive and unknown values were already kept",
                        ),
                        (C, "the value is now accepted"),
                    );
                }
                for v in av.iter().filter(|v| !bv.contains(v)) {
                    self.push(
                        format!("{path}.enum"),
                        "enum value removed",
                        format!("{v:?}"),
                        (
                            B,
                            "the variant is removed (the value is still read, as Unknown)",
                        ),
                        (
                            B,
                            "requests with it are now refused; the variant is removed",
                        ),
                    );
                }
                self.length(path, a.length, b.length, binding);
                self.pattern(path, &a.pattern, &b.pattern, binding);
            }
            (ShapeKind::String(a), ShapeKind::String(b)) => {
                self.length(path, a.length, b.length, binding);
                self.pattern(path, &a.pattern, &b.pattern, binding);
            }
            (ShapeKind::String(_), ShapeKind::Enum(e)) => {
                self.push(
                    path.to_owned(),
                    "became an enum",
                    format!("{} values", e.values.len()),
                    (B, "the members' type changes from String to an enum"),
                    (B, "the members' type changes and other values are refused"),
                );
            }
            (ShapeKind::List(a), ShapeKind::List(b)) => {
                if a.member != b.member {
                    self.push(
                        format!("{path}.member"),
                        "member type changed",
                        format!("{} → {}", a.member, b.member),
                        (B, "the item type changes"),
                        (B, "the item type changes"),
                    );
                }
                self.length(path, a.length, b.length, binding);
            }
            (ShapeKind::Map(a), ShapeKind::Map(b)) => {
                if a.key != b.key || a.value != b.value {
                    self.push(
                        path.to_owned(),
                        "member type changed",
                        format!("{}→{} to {}→{}", a.key, a.value, b.key, b.value),
                        (B, "the map's types change"),
                        (B, "the map's types change"),
                    );
                }
                self.length(path, a.length, b.length, binding);
            }
            (ShapeKind::Integer(a), ShapeKind::Integer(b))
            | (ShapeKind::Long(a), ShapeKind::Long(b))
            | (ShapeKind::Short(a), ShapeKind::Short(b))
            | (ShapeKind::Byte(a), ShapeKind::Byte(b))
            | (ShapeKind::Float(a), ShapeKind::Float(b))
            | (ShapeKind::Double(a), ShapeKind::Double(b)) => self.range(path, *a, *b, binding),
            (ShapeKind::Blob(a), ShapeKind::Blob(b)) => {
                self.length(path, a.length, b.length, binding)
            }
            (a, b) if type_name(a) != type_name(b) => {
                self.push(
                    path.to_owned(),
                    "shape type changed",
                    format!("{} → {}", type_name(a), type_name(b)),
                    (B, "the Rust type changes"),
                    (B, "the Rust type changes"),
                );
            }
            _ => {}
        }
    }

    fn pattern(&mut self, path: &str, o: &Option<Pattern>, n: &Option<Pattern>, binding: bool) {
        let (o, n) = (
            o.as_ref().map(|p| p.source.clone()),
            n.as_ref().map(|p| p.source.clone()),
        );
        if o != n {
            // A new or changed pattern may refuse values that passed before, unless it only
            // widens a character class.
            let tighter = match (&o, &n) {
                (_, None) => false,
                (Some(o), Some(n)) => !widens(o, n),
                (None, Some(_)) => true,
            };
            self.constraint(
                &format!("{path}.pattern"),
                "pattern",
                o,
                n,
                tighter,
                binding,
            );
        }
    }

    fn members(&mut self, path: &str, old: &[Member], new: &[Member]) {
        for m in old {
            let p = format!("{path}.members.{}", m.wire_name);
            let Some(n) = new.iter().find(|x| x.wire_name == m.wire_name) else {
                self.push(
                    p,
                    "member removed",
                    format!("field {}", m.field),
                    (B, "the field is removed"),
                    (B, "the field is removed"),
                );
                continue;
            };
            if m.docs != n.docs {
                self.docs.insert(p.clone());
            }
            if m.target != n.target {
                self.push(
                    p.clone(),
                    "member type changed",
                    format!("{} → {}", m.target, n.target),
                    (B, "the field's type changes"),
                    (B, "the field's type changes"),
                );
            }
            match (m.required, n.required) {
                (false, true) => self.push(
                    p.clone(),
                    "member now required",
                    format!("field {}: Option<T> → T", m.field),
                    (
                        B,
                        "callers must set it and the field is no longer an Option",
                    ),
                    (B, "the field is no longer an Option"),
                ),
                (true, false) => self.push(
                    p.clone(),
                    "member now optional",
                    format!("field {}: T → Option<T>", m.field),
                    (B, "the field becomes an Option"),
                    (
                        B,
                        "the field becomes an Option; requests without it now reach the handler",
                    ),
                ),
                _ => {}
            }
            if m.deprecated.is_none() && n.deprecated.is_some() {
                self.push(
                    p.clone(),
                    "member deprecated",
                    format!("field {}", m.field),
                    (C, "uses warn"),
                    (C, "uses warn"),
                );
            }
        }
        for n in new
            .iter()
            .filter(|n| !old.iter().any(|m| m.wire_name == n.wire_name))
        {
            let p = format!("{path}.members.{}", n.wire_name);
            if n.required {
                self.push(
                    p,
                    "required member added",
                    format!("field {}", n.field),
                    (B, "callers must set it"),
                    (C, "a new field of the (non-exhaustive) input or output"),
                );
            } else {
                self.push(
                    p,
                    "member added",
                    format!("field {}", n.field),
                    (C, "a new optional field; structures are non-exhaustive"),
                    (C, "a new optional field"),
                );
            }
        }
    }
}

/// Whether two models are versions of one service; the reason when they are not.
///
/// A service is what its wire protocol names, the two things botocore has never changed for one:
/// the endpoint prefix (the host every request goes to) and the target prefix (`X-Amz-Target`,
/// which routes every awsJson request). Between botocore 1.0.0, 1.29.0 and 1.44.5 no model
/// changed either (sqs and cloudwatch gained a target prefix when they became awsJson, so the
/// older side is not awsJson at all). Neither alone is enough: kinesisanalytics and
/// kinesisanalyticsv2 share the endpoint prefix, timestream-query and timestream-write the
/// target prefix `Timestream_20181101`. Together they are unique in botocore 1.44.5 but for the
/// two API versions of events and of inspector, which are versions of one service indeed.
///
/// Not compared, and reported as changes instead:
/// - `serviceId`: models have it only since botocore 1.10 (2018), so the history before it has
///   none, and it is not stable where both have it: events 2014-02-03 says "CloudWatch Events"
///   and 2015-10-07 "EventBridge", for the same endpoint and target prefix.
/// - the signing name: iot (`execute-api` → `iot`) and sso-oidc (`awsssooidc` → `sso-oauth`)
///   changed theirs between botocore 1.29.0 and 1.44.5, as one service each.
///
/// The full name is branding and changes with it; `uid` carries the API version.
pub fn same_service(old: &Service, new: &Service) -> Result<(), String> {
    let mut differ = Vec::new();
    if old.endpoint_prefix != new.endpoint_prefix {
        differ.push(format!(
            "endpoint prefix {:?} ≠ {:?}",
            old.endpoint_prefix, new.endpoint_prefix
        ));
    }
    if old.target_prefix != new.target_prefix {
        differ.push(format!(
            "target prefix {:?} ≠ {:?}",
            old.target_prefix, new.target_prefix
        ));
    }
    if differ.is_empty() {
        Ok(())
    } else {
        Err(differ.join(", "))
    }
}

/// Compares two versions of a model.
pub fn diff(old: &Service, new: &Service) -> Report {
    let mut d = Diff {
        old,
        new,
        changes: Vec::new(),
        docs: BTreeSet::new(),
    };
    d.service();
    d.operations();
    d.shapes();
    let mut changes = d.changes;
    changes.sort_by(|a, b| (&a.path, &a.kind, &a.detail).cmp(&(&b.path, &b.kind, &b.detail)));
    Report {
        old_version: old.api_version.clone(),
        new_version: new.api_version.clone(),
        changes,
        documentation_changes: d.docs.len(),
    }
}

/// One item of a character class: a character, a range, or an escape class (`\w`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Escape(char),
}

/// A pattern that is one character class and a quantifier (`^[\w._-]+$`): anchors, items,
/// quantifier. `None` for anything else (negated or nested classes, `\p{..}`, groups, ...).
fn one_class(p: &str) -> Option<(bool, Vec<ClassItem>, String, bool)> {
    let (start, rest) = match p.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, p),
    };
    let (rest, end) = match rest.strip_suffix('$') {
        Some(r) if !r.ends_with('\\') => (r, true),
        _ => (rest, false),
    };
    let chars: Vec<char> = rest.strip_prefix('[')?.chars().collect();
    // One character of the class at `i` (escaped or not) and the index after it.
    let single = |i: usize| -> Option<(ClassItem, usize)> {
        match *chars.get(i)? {
            '[' | '&' => None,
            '\\' => {
                let e = *chars.get(i + 1)?;
                match e {
                    'w' | 'W' | 's' | 'S' | 'd' | 'D' => Some((ClassItem::Escape(e), i + 2)),
                    _ if e.is_ascii_alphanumeric() => None,
                    _ => Some((ClassItem::Char(e), i + 2)),
                }
            }
            c => Some((ClassItem::Char(c), i + 1)),
        }
    };
    let mut items = Vec::new();
    let mut i = 0;
    loop {
        match chars.get(i)? {
            ']' if items.is_empty() => return None,
            ']' => break,
            '^' if items.is_empty() => return None,
            _ => {}
        }
        let (item, next) = single(i)?;
        // `a-z`; a `-` before `]` or after an escape class is itself.
        let range = chars.get(next) == Some(&'-')
            && chars.get(next + 1).is_some_and(|c| *c != ']')
            && matches!(item, ClassItem::Char(_));
        match (item, range) {
            (ClassItem::Char(a), true) => match single(next + 1)? {
                (ClassItem::Char(b), after) if a <= b => {
                    items.push(ClassItem::Range(a, b));
                    i = after;
                }
                _ => return None,
            },
            _ => {
                items.push(item);
                i = next;
            }
        }
    }
    let quantifier: String = chars[i + 1..].iter().collect();
    let simple = ["+", "*", "?", ""].contains(&quantifier.as_str())
        || quantifier
            .strip_prefix('{')
            .and_then(|q| q.strip_suffix('}'))
            .is_some_and(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_digit() || c == ','));
    simple.then_some((start, items, quantifier, end))
}

/// Whether an escape class (Java's, ASCII) matches a character.
fn escape_matches(e: char, c: char) -> bool {
    let word = c.is_ascii_alphanumeric() || c == '_';
    let space = matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r');
    match e {
        'w' => word,
        'W' => !word,
        'd' => c.is_ascii_digit(),
        'D' => !c.is_ascii_digit(),
        's' => space,
        'S' => !space,
        _ => false,
    }
}

/// Whether every value pattern `old` accepts, `new` accepts too, as far as a plain look can
/// tell: both are one character class with the same anchors and quantifier (or `+` widened to
/// `*`), and each item of the old class is in the new one. Anything else is not known to widen.
fn widens(old: &str, new: &str) -> bool {
    let (Some((os, oi, oq, oe)), Some((ns, ni, nq, ne))) = (one_class(old), one_class(new)) else {
        return false;
    };
    if os != ns || oe != ne || !(oq == nq || (oq == "+" && nq == "*")) {
        return false;
    }
    let has_char = |c: char| {
        ni.iter().any(|n| match *n {
            ClassItem::Char(x) => x == c,
            ClassItem::Range(a, b) => (a..=b).contains(&c),
            ClassItem::Escape(e) => escape_matches(e, c),
        })
    };
    oi.iter().all(|o| match *o {
        ClassItem::Char(c) => has_char(c),
        // Ranges of a model are short (`a-z`, `0-9`); a long one is left to the plain answer.
        ClassItem::Range(a, b) => (b as u32) - (a as u32) <= 0xFFFF && (a..=b).all(has_char),
        ClassItem::Escape(e) => ni.iter().any(|n| match *n {
            ClassItem::Escape(x) => {
                x == e || (x == 'S' && matches!(e, 'w' | 'd')) || (x == 'w' && e == 'd')
            }
            _ => false,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::widens;

    #[test]
    fn a_wider_character_class_widens() {
        for (old, new) in [
            (r"[\w ]+", r"[\w\s+=,.@-]+"),
            (r"[\w._-]+", r"[\w.;_/-]+"),
            (r"^[a-z0-9-]+$", r"^[a-z0-9_-]+$"),
            (r"[a-f0-9]{1,64}", r"[\w]{1,64}"),
            (r"[\d]+", r"[\S]+"),
            (r"[a-z]+", r"[a-z]*"),
            (r"[\-a]+", r"[a\-b]+"),
            (r"[\.-9]+", r"[\w./]+"),
        ] {
            assert!(widens(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn anything_else_is_not_known_to_widen() {
        for (old, new) in [
            // narrower or different
            (r"[a-z0-9-]+", r"[a-z]+"),
            (r"[\w ]+", r"[\w]+"),
            (r"[\S]+", r"[\w]+"),
            (r"[a-z]*", r"[a-z]+"),
            (r"[a-z]+", r"[a-z]{1,5}"),
            (r"^[a-z]+$", r"[a-z]+"),
            // more than one class, or classes this look does not read
            (r"[a-z]+:[0-9]+", r"[a-z0-9:]+"),
            (r"[^a]+", r"[^]+"),
            (r"[\p{L}]+", r"[\p{L}\p{N}]+"),
            (r"[a-z&&[^x]]+", r"[a-z]+"),
            (r"[a-]+", r"[a-]"),
            (r"[]a]+", r"[]ab]+"),
            (r"[a\.-z]+", r"[a.]+"),
            (r"[z-a]+", r"[a-z]+"),
            (r"[a-z", r"[a-z]+"),
            (r"", r"[a]+"),
        ] {
            assert!(!widens(old, new), "{old} → {new}");
        }
    }
}
