//! Emitters: pure functions from the IR to token streams (and the crates' `Cargo.toml` text).
//! Each submodule emits one file's worth; this module holds what they share: Rust types of
//! shapes, wire codecs and `Debug` redaction plans.
//!
//! Every non-generic function the types crate emits (wire codecs, operation encoders and
//! decoders, error plumbing, builders, enum conversions) is `#[inline]`. That is for the build,
//! not for speed: an `#[inline]` function is compiled into machine code only in the crates that
//! call it, so a types crate of 458 shapes (EKS) no longer optimises every shape's reader and
//! writer when a binary makes one call; only what the calls reach is compiled, in the binary.
//! The one-call EKS build went from 40 s to 13 s for the generated crates (BENCHMARKS.md).

mod client;
mod errors;
mod manifest;
mod operations;
mod rest;
mod server;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::*;
use crate::naming::{ident, CrateNames};
use crate::Settings;

/// One generated file before rendering.
#[derive(Debug, Clone)]
pub enum File {
    Rust(TokenStream),
    /// TOML, written after the `@generated` header.
    Text(String),
    /// Data written as it is (JSON has no comments to carry a header).
    Data(String),
}

/// Makes one file (or one part of a file) from the IR. Emitters are pure functions, so files are
/// made independently (in parallel, by `crate::generate`).
pub type Emitter = fn(&Service, &Settings, Part) -> File;

/// Part `index` of `count` of a file: big files are emitted and formatted in parts, in parallel,
/// and the parts' text joined in order is the file (formatting is per item, so the text is the
/// same as formatting the whole file at once). Only the first part carries the file's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub index: usize,
    pub count: usize,
}

impl Part {
    pub const WHOLE: Part = Part { index: 0, count: 1 };

    pub fn is_first(self) -> bool {
        self.index == 0
    }

    /// The contiguous range of `n` items that this part emits.
    pub fn range(self, n: usize) -> std::ops::Range<usize> {
        n * self.index / self.count..n * (self.index + 1) / self.count
    }
}

/// One unit of work: a file's path, which part of it, and the emitter.
pub struct Job {
    pub path: String,
    pub part: Part,
    pub emit: Emitter,
}

/// How many parts a file of `items` top-level items is made in: about forty items a part, so a
/// big model's files spread over every core.
fn parts(items: usize) -> usize {
    (items / 40).clamp(1, 32)
}

/// Every file of the three crates generated for `svc` (paths under the output directory), each
/// with the emitter that makes it, in path order.
pub fn jobs(svc: &Service) -> Vec<Job> {
    let c = &svc.crates;
    let at = |krate: &str, path: &str| format!("{krate}/{path}");
    let whole: Vec<(String, Emitter)> = vec![
        (at(&c.types, "Cargo.toml"), |s, o, _| {
            File::Text(manifest::types(s, o))
        }),
        (at(&c.types, "src/lib.rs"), |s, _, _| {
            File::Rust(types::lib(s))
        }),
        (at(&c.types, "src/error.rs"), |s, _, _| {
            File::Rust(errors::errors(s))
        }),
        (at(&c.types, "src/operation.rs"), |s, _, _| {
            File::Rust(operations::operations(s))
        }),
        (at(&c.client, "Cargo.toml"), |s, o, _| {
            File::Text(manifest::client(s, o))
        }),
        (at(&c.client, "src/lib.rs"), |s, _, _| {
            File::Rust(client::lib(s))
        }),
        (at(&c.client, "src/client.rs"), |s, _, _| {
            File::Rust(client::client(s))
        }),
        (at(&c.client, "src/fluent.rs"), |s, _, _| {
            File::Rust(client::fluent(s))
        }),
        (at(&c.server, "Cargo.toml"), |s, o, _| {
            File::Text(manifest::server(s, o))
        }),
        (at(&c.server, "src/lib.rs"), |s, _, _| {
            File::Rust(server::lib(s))
        }),
        (at(&c.server, "src/handler.rs"), |s, _, _| {
            File::Rust(server::handler(s))
        }),
        (at(&c.server, "src/schema.rs"), |s, _, _| {
            File::Rust(server::schema(s))
        }),
        (at(&c.server, "src/service.rs"), |s, _, _| {
            File::Rust(server::service(s))
        }),
    ];
    let mut whole = whole;
    if svc.endpoint_rules.is_some() {
        whole.push((at(&c.types, "src/endpoint-rule-set.json"), |s, _, _| {
            File::Data(s.endpoint_rules.clone().unwrap_or_default())
        }));
    }
    let mut out: Vec<Job> = whole
        .into_iter()
        .map(|(path, emit)| Job {
            path,
            part: Part::WHOLE,
            emit,
        })
        .collect();
    let named = parts(svc.named_types().count());
    let split: [(String, Emitter); 2] = [
        (at(&c.types, "src/types.rs"), |s, _, p| {
            File::Rust(types::types(s, p))
        }),
        (at(&c.types, "src/types/builders.rs"), |s, _, p| {
            File::Rust(types::builders(s, p))
        }),
    ];
    for (path, emit) in split {
        for index in 0..named {
            out.push(Job {
                path: path.clone(),
                part: Part {
                    index,
                    count: named,
                },
                emit,
            });
        }
    }
    out.sort_by(|a, b| (&a.path, a.part.index).cmp(&(&b.path, b.part.index)));
    out
}

/// Every file of the three crates generated for `svc`, by path under the output directory.
pub fn crates(svc: &Service, settings: &Settings) -> Vec<(String, File)> {
    let mut files: Vec<(String, File)> = Vec::new();
    for job in jobs(svc) {
        let file = (job.emit)(svc, settings, job.part);
        match (files.last_mut(), file) {
            (Some((path, File::Rust(tokens))), File::Rust(more)) if *path == job.path => {
                tokens.extend(more)
            }
            (_, file) => files.push((job.path, file)),
        }
    }
    files
}

/// `#[doc]` attributes for Markdown lines.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes (crate or module docs) for Markdown lines.
pub(crate) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#![doc = #lines])*)
}

pub(crate) fn deprecated_attr(d: &Option<Deprecation>) -> TokenStream {
    match d {
        None => quote!(),
        Some(d) => {
            let note = match (&d.note, &d.since) {
                (Some(n), Some(s)) => format!("{n} (since {s})"),
                (Some(n), None) => n.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => "deprecated in the service model".to_owned(),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// The runtime crate's path in generated code.
pub(crate) fn rt() -> TokenStream {
    quote!(::awsgen_rt)
}

pub(crate) fn types_crate(c: &CrateNames) -> proc_macro2::Ident {
    format_ident!("{}", CrateNames::lib(&c.types))
}

/// How a value is shown by `Debug`: as is, redacted whole, or a container with redacted parts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Redact {
    Show,
    Hide,
    List(Box<Redact>),
    Map(Box<Redact>, Box<Redact>),
}

pub(crate) struct Ctx<'a> {
    pub svc: &'a Service,
}

impl Ctx<'_> {
    fn shape(&self, wire: &str) -> Option<&Shape> {
        self.svc.shape(wire)
    }

    /// The Rust type of a value of shape `target`.
    pub fn rust_type(&self, target: &str) -> TokenStream {
        let rt = rt();
        let Some(s) = self.shape(target) else {
            return quote!(#rt::Document);
        };
        match &s.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum(_) => {
                let name = ident(&s.rust_name);
                quote!(crate::types::#name)
            }
            ShapeKind::String(_) => quote!(String),
            ShapeKind::List(c) => {
                let inner = self.rust_type(&c.member);
                quote!(Vec<#inner>)
            }
            ShapeKind::Map(m) => {
                let k = self.rust_type(&m.key);
                let v = self.rust_type(&m.value);
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Byte(_) => quote!(i8),
            ShapeKind::Short(_) => quote!(i16),
            ShapeKind::Integer(_) => quote!(i32),
            ShapeKind::Long(_) => quote!(i64),
            ShapeKind::Float(_) => quote!(f32),
            ShapeKind::Double(_) => quote!(f64),
            ShapeKind::Timestamp(_) => quote!(#rt::DateTime),
            ShapeKind::Blob(b) if b.streaming => quote!(#rt::ByteStream),
            ShapeKind::Blob(_) => quote!(#rt::Blob),
            ShapeKind::Document => quote!(#rt::Document),
        }
    }

    /// The member's type without `Option`: boxed when it closes a cycle.
    pub fn member_type(&self, m: &Member) -> TokenStream {
        let t = self.rust_type(&m.target);
        if m.boxed {
            quote!(Box<#t>)
        } else {
            t
        }
    }

    /// The codec a member's value is written and read with, when it is not its type's own
    /// rules (`Plain`): a timestamp format, or a list or map of such timestamps.
    pub fn codec(&self, m: &Member) -> Option<TokenStream> {
        self.codec_of(&m.target, m.timestamp_format)
    }

    fn codec_of(&self, target: &str, format: Option<TimestampFormat>) -> Option<TokenStream> {
        let rt = rt();
        match &self.shape(target)?.kind {
            ShapeKind::Timestamp(shape_format) => match format.or(*shape_format) {
                Some(TimestampFormat::Iso8601) => Some(quote!(#rt::wire::Iso8601)),
                Some(TimestampFormat::Rfc822) => Some(quote!(#rt::wire::HttpDate)),
                _ => None,
            },
            ShapeKind::List(c) => {
                let inner = self.codec_of(&c.member, None)?;
                Some(quote!(#rt::wire::List<#inner>))
            }
            ShapeKind::Map(m) => {
                let inner = self.codec_of(&m.value, None)?;
                Some(quote!(#rt::wire::Map<#inner>))
            }
            _ => None,
        }
    }

    /// How `Debug` shows a value of shape `target`.
    pub fn redaction(&self, target: &str) -> Redact {
        let Some(s) = self.shape(target) else {
            return Redact::Show;
        };
        if s.sensitive {
            return Redact::Hide;
        }
        match &s.kind {
            ShapeKind::List(c) => match self.redaction(&c.member) {
                Redact::Show => Redact::Show,
                r => Redact::List(Box::new(r)),
            },
            ShapeKind::Map(m) => match (self.redaction(&m.key), self.redaction(&m.value)) {
                (Redact::Show, Redact::Show) => Redact::Show,
                (k, v) => Redact::Map(Box::new(k), Box::new(v)),
            },
            _ => Redact::Show,
        }
    }
}

/// An expression that `Debug`s as `value` (an expression of type `&T`) does, with the plan's parts redacted.
pub(crate) fn redact_expr(plan: &Redact, value: TokenStream) -> TokenStream {
    let rt = rt();
    match plan {
        Redact::Show => value,
        Redact::Hide => quote!(#rt::debug::redacted(#value)),
        Redact::List(item) => {
            let map = match **item {
                Redact::Hide => quote!(#rt::debug::redacted),
                _ => {
                    let inner = redact_expr(item, quote!(x));
                    quote!(|x| #inner)
                }
            };
            quote!(#rt::debug::DebugFn(move |f: &mut ::std::fmt::Formatter<'_>| {
                f.debug_list().entries(::std::iter::IntoIterator::into_iter(#value).map(#map)).finish()
            }))
        }
        Redact::Map(k, v) => {
            let ke = redact_expr(k, quote!(k));
            let ve = redact_expr(v, quote!(x));
            quote!(#rt::debug::DebugFn(move |f: &mut ::std::fmt::Formatter<'_>| {
                f.debug_map().entries(::std::iter::IntoIterator::into_iter(#value).map(|(k, x)| (#ke, #ve))).finish()
            }))
        }
    }
}
