//! The server crate's root: a trait with one async method per operation. Every method has a
//! default that answers `NotImplemented`, so a model update that adds operations does not break
//! implementations.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, doc_attrs, rt, types_crate};
use crate::ir::*;
use crate::naming::{self, ident};

pub fn trait_name(svc: &Service) -> proc_macro2::Ident {
    ident(&naming::server_trait(&svc.service_id))
}

pub fn lib(svc: &Service) -> TokenStream {
    let types = types_crate(&svc.crates);
    let title = format!(
        " Server stub for {} (API version {}), generated from its AWS service model.",
        svc.full_name, svc.api_version
    );
    let trait_name = trait_name(svc);
    quote! {
        #![doc = #title]
        #![allow(deprecated)]

        #[rustfmt::skip]
        pub use #types::{error, operation, types};

        #[rustfmt::skip]
        mod handler;
        #[rustfmt::skip]
        mod schema;
        #[rustfmt::skip]
        mod service;

        #[rustfmt::skip]
        pub use handler::#trait_name;
        #[rustfmt::skip]
        pub use service::{service, Router};
        #[rustfmt::skip]
        pub use ::awsgen_rt::server::{AwsJsonService, Limits, RequestContext, SigV4Verifier};
    }
}

pub fn handler(svc: &Service) -> TokenStream {
    let rt = rt();
    let trait_name = trait_name(svc);
    let trait_doc = format!(
        " {}: implement the operations you serve; the others answer `NotImplemented`.",
        svc.full_name
    );
    let ty = |shape: &Option<String>| match shape.as_ref().and_then(|s| svc.shape(s)) {
        Some(s) => {
            let n = ident(&s.rust_name);
            quote!(crate::types::#n)
        }
        None => quote!(()),
    };
    let methods = svc.operations.values().map(|op| {
        let m = ident(&op.method);
        let input = ty(&op.input);
        let output = ty(&op.output);
        let error = ident(&op.error_enum);
        let docs = doc_attrs(&op.docs);
        let dep = deprecated_attr(&op.deprecated);
        let wire = &op.wire_name;
        quote! {
            #docs
            #dep
            fn #m(
                &self,
                input: #input,
                cx: #rt::server::RequestContext,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::error::#error>> + ::std::marker::Send {
                let _ = (input, cx);
                async { ::std::result::Result::Err(crate::error::#error::Unhandled(#rt::server::not_implemented(#wire))) }
            }
        }
    });
    quote! {
        //! The trait a server implements.

        #[doc = #trait_doc]
        pub trait #trait_name: ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }
    }
}

/// The model's constraints as a static table for the runtime's validator: one entry per shape,
/// in wire-name order.
pub fn schema<'a>(svc: &'a Service) -> TokenStream {
    let rt = rt();
    let index = shape_index(svc);
    let idx =
        |wire: &str| proc_macro2::Literal::u32_unsuffixed(index.get(wire).copied().unwrap_or(0));
    let mut patterns: Vec<&Pattern> = Vec::new();
    let opt_u64 = |v: Option<u64>| match v {
        Some(v) => {
            let l = proc_macro2::Literal::u64_unsuffixed(v);
            quote!(Some(#l))
        }
        None => quote!(None),
    };
    let opt_f64 = |v: Option<f64>| match v {
        Some(v) if v.is_finite() => {
            let l = proc_macro2::Literal::f64_unsuffixed(v);
            quote!(Some(#l))
        }
        _ => quote!(None),
    };
    let members = |ms: &[Member]| {
        let items = ms.iter().map(|m| {
            let name = &m.wire_name;
            let path = lower_first(&m.wire_name);
            let target = idx(&m.target);
            let required = m.required;
            let sensitive = svc.shape(&m.target).is_some_and(|t| t.sensitive);
            quote!(Member { name: #name, path: #path, target: #target, required: #required, sensitive: #sensitive })
        });
        quote!(&[#(#items),*])
    };
    let shapes: Vec<TokenStream> = svc
        .shapes
        .values()
        .map(|s| {
            let mut pattern_index = |p: &'a Option<Pattern>| match p {
                Some(p) => {
                    let i = match patterns.iter().position(|x| x.source == p.source) {
                        Some(i) => i,
                        None => {
                            patterns.push(p);
                            patterns.len() - 1
                        }
                    } as u32;
                    let i = proc_macro2::Literal::u32_unsuffixed(i);
                    quote!(Some(#i))
                }
                None => quote!(None),
            };
            let body = match &s.kind {
                ShapeKind::Structure(st) => {
                    let m = members(&st.members);
                    quote!(Structure { members: #m })
                }
                ShapeKind::Union(u) => {
                    let m = members(&u.members);
                    quote!(Union { members: #m })
                }
                ShapeKind::List(l) => {
                    let (member, min, max) = (idx(&l.member), opt_u64(l.length.min), opt_u64(l.length.max));
                    quote!(List { member: #member, min: #min, max: #max })
                }
                ShapeKind::Map(m) => {
                    let (key, value, min, max) = (idx(&m.key), idx(&m.value), opt_u64(m.length.min), opt_u64(m.length.max));
                    quote!(Map { key: #key, value: #value, min: #min, max: #max })
                }
                ShapeKind::String(st) => {
                    let (min, max, pattern) = (opt_u64(st.length.min), opt_u64(st.length.max), pattern_index(&st.pattern));
                    quote!(String { min: #min, max: #max, pattern: #pattern, values: None })
                }
                ShapeKind::Enum(e) => {
                    let (min, max, pattern) = (opt_u64(e.length.min), opt_u64(e.length.max), pattern_index(&e.pattern));
                    let values = e.values.iter().map(|v| &v.wire);
                    quote!(String { min: #min, max: #max, pattern: #pattern, values: Some(&[#(#values),*]) })
                }
                ShapeKind::Byte(r) | ShapeKind::Short(r) | ShapeKind::Integer(r) | ShapeKind::Long(r) => {
                    let bits: u8 = match &s.kind {
                        ShapeKind::Byte(_) => 8,
                        ShapeKind::Short(_) => 16,
                        ShapeKind::Integer(_) => 32,
                        _ => 64,
                    };
                    let (min, max) = (opt_f64(r.min), opt_f64(r.max));
                    quote!(Integer { bits: #bits, min: #min, max: #max })
                }
                ShapeKind::Float(r) | ShapeKind::Double(r) => {
                    let (min, max) = (opt_f64(r.min), opt_f64(r.max));
                    quote!(Float { min: #min, max: #max })
                }
                ShapeKind::Boolean => quote!(Boolean),
                ShapeKind::Timestamp(_) => quote!(Timestamp),
                ShapeKind::Blob(l) => {
                    let (min, max) = (opt_u64(l.length.min), opt_u64(l.length.max));
                    quote!(Blob { min: #min, max: #max })
                }
                ShapeKind::Document => quote!(Document),
            };
            quote!(Shape::#body)
        })
        .collect();
    let count = proc_macro2::Literal::usize_unsuffixed(shapes.len());
    let sensitive = svc.shapes.values().map(|s| s.sensitive);
    let patterns = patterns.iter().map(|p| {
        let (source, t) = (&p.source, &p.translated);
        let (regex, fancy) = (&t.regex, t.fancy);
        let chars = match t.chars {
            Some((min, max)) => {
                let (min, max) = (proc_macro2::Literal::u64_unsuffixed(min), opt_u64(max));
                quote!(Some((#min, #max)))
            }
            None => quote!(None),
        };
        quote!(Pattern { source: #source, regex: #regex, fancy: #fancy, chars: #chars })
    });
    quote! {
        //! The model's constraints, checked before any handler runs.

        use #rt::server::schema::{Member, Pattern, Schema, Shape};

        /// Every shape's constraints, by index (shapes in wire-name order).
        pub(crate) static SCHEMA: Schema = Schema::new(&SHAPES, &SENSITIVE, PATTERNS);

        static SHAPES: [Shape; #count] = [#(#shapes),*];

        static SENSITIVE: [bool; #count] = [#(#sensitive),*];

        static PATTERNS: &[Pattern] = &[#(#patterns),*];
    }
}

/// `IdentityPoolId` → `identityPoolId`, as AWS names members in validation messages.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The router: operations by name, each decoded, validated and handed to the handler.
pub fn service(svc: &Service) -> TokenStream {
    let rt = rt();
    let trait_name = trait_name(svc);
    let content_type = svc.content_type();
    let target_prefix = &svc.target_prefix;
    let signing_name = &svc.signing_name;
    let index = shape_index(svc);
    let ops: Vec<&Operation> = svc.operations.values().collect();
    let routes = ops.iter().enumerate().map(|(i, op)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let wire = &op.wire_name;
        let auth = match op.auth {
            Auth::SigV4 => quote!(SigV4),
            Auth::None => quote!(None),
        };
        quote!(#wire => Some(#rt::server::Route { index: #i, auth: #rt::operation::Auth::#auth }),)
    });
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let t = ident(&op.type_name);
        let m = ident(&op.method);
        let shape = match op.input.as_deref().and_then(|s| index.get(s)) {
            Some(i) => {
                let i = proc_macro2::Literal::u32_unsuffixed(*i);
                quote!(Some(#i))
            }
            None => quote!(None),
        };
        quote! {
            #i => Box::pin(#rt::server::serve::<crate::operation::#t, _, _>(
                &crate::schema::SCHEMA,
                #shape,
                body,
                cx,
                move |input, cx| async move { self.handler.#m(input, cx).await },
            )),
        }
    });
    let doc = format!(
        " Routes {} requests to a [`{trait_name}`] implementation.",
        svc.full_name
    );
    quote! {
        //! The awsJson service.

        use crate::#trait_name;

        #[doc = #doc]
        pub struct Router<H> {
            handler: H,
        }

        impl<H: #trait_name> #rt::server::Router for Router<H> {
            const CONTENT_TYPE: &'static str = #content_type;
            const TARGET_PREFIX: &'static str = #target_prefix;
            const SIGNING_NAME: &'static str = #signing_name;

            fn route(&self, operation: &str) -> Option<#rt::server::Route> {
                match operation {
                    #(#routes)*
                    _ => None,
                }
            }

            fn serve(
                self: ::std::sync::Arc<Self>,
                index: usize,
                body: #rt::server::Bytes,
                cx: #rt::server::RequestContext,
            ) -> #rt::server::BoxFuture<#rt::server::Response> {
                match index {
                    #(#arms)*
                    _ => Box::pin(async move {
                        #rt::server::error_response(
                            #rt::server::http::StatusCode::BAD_REQUEST,
                            "UnknownOperationException",
                            "unknown operation",
                            &cx.request_id,
                            #content_type,
                        )
                    }),
                }
            }
        }

        /// The awsJson service (a `tower::Service` over `http` types) for a handler: mount it in
        /// hyper 1 or axum. Signed operations require a well-formed SigV4 signature by default (any
        /// key; without one, 400 `MissingAuthenticationTokenException`): `.with_sigv4(..)` verifies
        /// signatures against known keys and `.allow_unsigned()` serves unsigned requests. Add
        /// `.with_limits(..)` as needed.
        pub fn service<H: #trait_name>(handler: H) -> #rt::server::AwsJsonService<Router<H>> {
            #rt::server::AwsJsonService::new(Router { handler })
        }
    }
}

/// Each shape's index in the schema table: its position in wire-name order.
fn shape_index(svc: &Service) -> std::collections::BTreeMap<&str, u32> {
    svc.shapes
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect()
}
