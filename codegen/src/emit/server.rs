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
    let service_type = match svc.protocol {
        Protocol::RestJson => quote!(RestJsonService),
        Protocol::RpcV2Cbor => quote!(RpcV2CborService),
        Protocol::AwsJson(_) => quote!(AwsJsonService),
    };
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
        pub use ::awsgen_rt::server::{#service_type, Limits, RequestContext, SigV4Verifier};
        /// The body of a response (in memory, or a handler's stream) and of a streaming payload.
        #[rustfmt::skip]
        pub use ::awsgen_rt::ByteStream;
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
            // The key the JSON value holds the member under (`locationName` in a body), and the
            // member's name in messages.
            let name = &m.json_name;
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
    if svc.protocol.is_rest() {
        return rest_service(svc);
    }
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
        let shape = input_shape(op, &index);
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
    let module_doc = match svc.also_json {
        Some(v) => format!(
            " The {} service, which answers awsJson {} too.",
            svc.protocol,
            v.as_str()
        ),
        None => format!(" The {} service.", svc.protocol),
    };
    let also_json = svc.also_json.map(|v| {
        let ct = v.content_type();
        quote!(const JSON_CONTENT_TYPE: Option<&'static str> = Some(#ct);)
    });
    let service_doc = format!(
        " The {} service (a `tower::Service` over `http` types) for a handler: mount it in",
        svc.protocol
    );
    quote! {
        #![doc = #module_doc]

        use crate::#trait_name;

        #[doc = #doc]
        pub struct Router<H> {
            handler: H,
        }

        impl<H: #trait_name> #rt::server::Router for Router<H> {
            const CONTENT_TYPE: &'static str = #content_type;
            const TARGET_PREFIX: &'static str = #target_prefix;
            const SIGNING_NAME: &'static str = #signing_name;
            #also_json

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

        #[doc = #service_doc]
        /// hyper 1 or axum. Signed operations require a well-formed SigV4 signature by default (any
        /// key; without one, 400 `MissingAuthenticationTokenException`): `.with_sigv4(..)` verifies
        /// signatures against known keys and `.allow_unsigned()` serves unsigned requests. Add
        /// `.with_limits(..)` as needed.
        pub fn service<H: #trait_name>(handler: H) -> #rt::server::AwsJsonService<Router<H>> {
            #rt::server::AwsJsonService::new(Router { handler })
        }
    }
}

/// The restJson1 router: operations by method and URI template, each with its bindings.
fn rest_service(svc: &Service) -> TokenStream {
    let rt = rt();
    let content_type = svc.content_type();
    let trait_name = trait_name(svc);
    let signing_name = &svc.signing_name;
    let index = shape_index(svc);
    let ops: Vec<&Operation> = svc.operations.values().collect();
    let templates = ops.iter().map(|op| {
        let method = &op.http.method;
        let uri = request_uri(op);
        quote!((#method, #uri))
    });
    let auths = ops.iter().map(|op| match op.auth {
        Auth::SigV4 => quote!(#rt::operation::Auth::SigV4),
        Auth::None => quote!(#rt::operation::Auth::None),
    });
    let count = proc_macro2::Literal::usize_unsuffixed(ops.len());
    // The binding types are named only where some operation binds a member outside its body.
    let binds_any = ops
        .iter()
        .any(|op| !bindings(svc, &op.input).is_empty() || !bindings(svc, &op.output).is_empty())
        || !error_bindings(svc).is_empty();
    let use_bindings = binds_any.then(|| quote!(use #rt::server::rest::{At, Binding, Kind};));
    let statics = ops.iter().enumerate().map(|(i, op)| {
        let name = quote::format_ident!("OP_{}", i);
        let input = bindings(svc, &op.input);
        let output = bindings(svc, &op.output);
        // A JSON body whenever the output has no payload member, `{}` when nothing is bound to
        // it (Smithy's RestJsonEmptyInputAndEmptyOutput: servers answer a JSON object even for
        // an output without members); no body for an operation without output.
        let output_body = svc
            .structure(op.output.as_deref())
            .is_some_and(|st| st.payload().is_none());
        // Whether the request's body, and the response's, is JSON (what `Content-Type` and
        // `Accept` are checked against): unbound members or a structure, union or document
        // payload; not a blob or text payload.
        let json = |shape: &Option<String>, empty_is_json: bool| {
            svc.structure(shape.as_deref())
                .is_some_and(|st| match st.payload() {
                    Some(p) => !matches!(
                        svc.shape(&p.target).map(|s| &s.kind),
                        Some(ShapeKind::Blob(_) | ShapeKind::String(_) | ShapeKind::Enum(_))
                    ),
                    None => {
                        empty_is_json || st.members.iter().any(|m| m.location == Location::Body)
                    }
                })
        };
        let input_json = json(&op.input, false);
        let output_json = json(&op.output, true);
        let code = proc_macro2::Literal::u16_unsuffixed(op.http.code);
        let literals = op.http.query.iter().map(|(k, _)| k);

        quote! {
            static #name: #rt::server::RestOperation = #rt::server::RestOperation {
                literals: &[#(#literals),*],
                input: &[#(#input),*],
                output: &[#(#output),*],
                output_body: #output_body,
                input_json: #input_json,
                output_json: #output_json,
                code: #code,
                errors: ERRORS,
            };
        }
    });
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let name = quote::format_ident!("OP_{}", i);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let t = ident(&op.type_name);
        let m = ident(&op.method);
        let shape = input_shape(op, &index);
        quote! {
            #i => Box::pin(#rt::server::serve_rest::<crate::operation::#t, _, _>(
                &crate::schema::SCHEMA,
                #shape,
                &#name,
                body,
                cx,
                move |input, cx| async move { self.handler.#m(input, cx).await },
            )),
        }
    });
    let error_tables = error_bindings(svc);
    // Operations whose request body is a streaming payload, handed over as it arrives.
    let streaming: Vec<_> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| streams_input(svc, op))
        .map(|(i, _)| proc_macro2::Literal::usize_unsuffixed(i))
        .collect();
    let streams_input = (!streaming.is_empty()).then(|| {
        quote! {
            fn streams_input(&self, index: usize) -> bool {
                matches!(index, #(#streaming)|*)
            }
        }
    });
    let doc = format!(
        " Routes {} requests to a [`{trait_name}`] implementation.",
        svc.full_name
    );
    quote! {
        //! The restJson1 service.

        use crate::#trait_name;
        #use_bindings

        #[doc = #doc]
        pub struct Router<H> {
            handler: H,
            routes: #rt::server::route::RestRoutes,
        }

        /// Each operation's URI template, in operation order.
        static TEMPLATES: [(&str, &str); #count] = [#(#templates),*];

        static AUTH: [#rt::operation::Auth; #count] = [#(#auths),*];

        /// The errors that bind members outside their JSON body, by wire code.
        static ERRORS: &[(&str, &[#rt::server::rest::Binding])] = &[#(#error_tables),*];

        #(#statics)*

        impl<H: #trait_name> #rt::server::Router for Router<H> {
            const CONTENT_TYPE: &'static str = #content_type;
            const TARGET_PREFIX: &'static str = "";
            const SIGNING_NAME: &'static str = #signing_name;

            fn route(&self, _: &str) -> Option<#rt::server::Route> {
                None
            }

            fn rest_routes(&self) -> Option<&#rt::server::route::RestRoutes> {
                Some(&self.routes)
            }

            fn rest_auth(&self, index: usize) -> #rt::operation::Auth {
                AUTH.get(index).copied().unwrap_or(#rt::operation::Auth::SigV4)
            }

            fn serve(
                self: ::std::sync::Arc<Self>,
                index: usize,
                body: #rt::server::Bytes,
                cx: #rt::server::RequestContext,
            ) -> #rt::server::BoxFuture<#rt::server::Response> {
                self.serve_body(index, #rt::ByteStream::from(body), cx)
            }

            #streams_input

            fn serve_body(
                self: ::std::sync::Arc<Self>,
                index: usize,
                body: #rt::ByteStream,
                cx: #rt::server::RequestContext,
            ) -> #rt::server::BoxFuture<#rt::server::Response> {
                match index {
                    #(#arms)*
                    _ => Box::pin(async move {
                        #rt::server::error_response(
                            #rt::server::http::StatusCode::NOT_FOUND,
                            "UnknownOperationException",
                            "unknown operation",
                            &cx.request_id,
                            #content_type,
                        )
                    }),
                }
            }
        }

        /// The restJson1 service (a `tower::Service` over `http` types) for a handler: mount it in
        /// hyper 1 or axum. Requests are routed on method and URI template. Signed operations
        /// require a well-formed SigV4 signature by default (any key; without one, 400
        /// `MissingAuthenticationTokenException`): `.with_sigv4(..)` verifies signatures against
        /// known keys and `.allow_unsigned()` serves unsigned requests. Add `.with_limits(..)` as
        /// needed.
        pub fn service<H: #trait_name>(handler: H) -> #rt::server::RestJsonService<Router<H>> {
            let routes = #rt::server::route::RestRoutes::checked(&TEMPLATES);
            #rt::server::AwsJsonService::new(Router { handler, routes })
        }
    }
}

/// An operation's URI template as the model writes it: its path and query literals.
fn request_uri(op: &Operation) -> String {
    let mut uri = String::new();
    for seg in &op.http.path {
        uri.push('/');
        match seg {
            PathSegment::Literal(l) => uri.push_str(l),
            PathSegment::Label { member, greedy } => {
                uri.push('{');
                uri.push_str(member);
                if *greedy {
                    uri.push('+');
                }
                uri.push('}');
            }
        }
    }
    if uri.is_empty() {
        uri.push('/');
    }
    for (i, (k, v)) in op.http.query.iter().enumerate() {
        uri.push(if i == 0 { '?' } else { '&' });
        uri.push_str(k);
        if let Some(v) = v {
            uri.push('=');
            uri.push_str(v);
        }
    }
    uri
}

/// Whether an operation's input payload is a streaming blob.
fn streams_input(svc: &Service, op: &Operation) -> bool {
    svc.structure(op.input.as_deref())
        .and_then(Structure::streaming)
        .is_some()
}

/// The service's errors that bind members outside their JSON body, as `(code, &[bindings])`:
/// one table for every operation.
fn error_bindings(svc: &Service) -> Vec<TokenStream> {
    svc.errors()
        .filter_map(|(shape, info)| {
            let b = bindings(svc, &Some(shape.wire_name.clone()));
            let code = &info.code;
            (!b.is_empty()).then(|| quote!((#code, &[#(#b),*])))
        })
        .collect()
}

/// The bindings of a structure's members outside the JSON body, for the runtime's REST reader
/// and writer.
fn bindings(svc: &Service, shape: &Option<String>) -> Vec<TokenStream> {
    let Some(st) = svc.structure(shape.as_deref()) else {
        return Vec::new();
    };
    st.members
        .iter()
        .filter(|m| m.location != Location::Body)
        .map(|m| {
            let key = &m.json_name;
            let at = match &m.location {
                // The routes name labels after their members (`request_uri`).
                Location::Label(_) => {
                    let l = &m.wire_name;
                    quote!(At::Label(#l))
                }
                Location::Query(q) => quote!(At::Query(#q)),
                Location::QueryMap => quote!(At::QueryMap),
                Location::Header(h) => quote!(At::Header(#h)),
                Location::PrefixHeaders(p) => quote!(At::PrefixHeaders(#p)),
                Location::StatusCode => quote!(At::StatusCode),
                Location::Payload | Location::Body => quote!(At::Payload),
            };
            let kind = if m.json_value {
                quote!(Kind::JsonValue)
            } else {
                binding_kind(
                    svc,
                    &m.target,
                    m.timestamp_format,
                    m.location == Location::Payload,
                )
            };
            quote!(Binding { key: #key, at: #at, kind: #kind })
        })
        .collect()
}

fn binding_kind(
    svc: &Service,
    target: &str,
    format: Option<TimestampFormat>,
    payload: bool,
) -> TokenStream {
    let Some(shape) = svc.shape(target) else {
        return quote!(Kind::Json);
    };
    match &shape.kind {
        ShapeKind::String(_) | ShapeKind::Enum(_) => quote!(Kind::String),
        ShapeKind::Byte(_) | ShapeKind::Short(_) | ShapeKind::Integer(_) | ShapeKind::Long(_) => {
            quote!(Kind::Integer)
        }
        ShapeKind::Float(_) | ShapeKind::Double(_) => quote!(Kind::Float),
        ShapeKind::Boolean => quote!(Kind::Boolean),
        ShapeKind::Timestamp(shape_format) => match format.or(*shape_format) {
            Some(TimestampFormat::Iso8601) => {
                quote!(Kind::Timestamp(Some(
                    ::awsgen_rt::protocol::rest::TimeFormat::DateTime
                )))
            }
            Some(TimestampFormat::Rfc822) => {
                quote!(Kind::Timestamp(Some(
                    ::awsgen_rt::protocol::rest::TimeFormat::HttpDate
                )))
            }
            Some(TimestampFormat::EpochSeconds) => {
                quote!(Kind::Timestamp(Some(
                    ::awsgen_rt::protocol::rest::TimeFormat::EpochSeconds
                )))
            }
            None => quote!(Kind::Timestamp(None)),
        },
        ShapeKind::Blob(_) => quote!(Kind::Blob),
        ShapeKind::List(l) if !payload => {
            let inner = binding_kind(svc, &l.member, None, false);
            quote!(Kind::List(&#inner))
        }
        ShapeKind::Map(m) if !payload => {
            let lists = matches!(
                svc.shape(&m.value).map(|s| &s.kind),
                Some(ShapeKind::List(_))
            );
            quote!(Kind::Map { lists: #lists })
        }
        _ => quote!(Kind::Json),
    }
}

/// The index of an operation's input shape in the schema table, as `Some(i)` or `None`.
fn input_shape(op: &Operation, index: &std::collections::BTreeMap<&str, u32>) -> TokenStream {
    match op.input.as_deref().and_then(|s| index.get(s)) {
        Some(i) => {
            let i = proc_macro2::Literal::u32_unsuffixed(*i);
            quote!(Some(#i))
        }
        None => quote!(None),
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
