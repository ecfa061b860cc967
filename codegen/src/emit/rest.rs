//! REST bindings (restJson1): per operation the `encode` that builds its request from the URI
//! template and the input's bound members, and per output or error structure with bound members
//! a `from_response` that reads them back from the status, headers and body. The rules
//! themselves are the runtime's (`awsgen_rt::protocol::rest`, `rest_json`); this emits the calls
//! in the model's order.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{local, member_inits, member_reads, member_writes};
use super::{rt, Ctx};
use crate::ir::*;
use crate::naming::ident;

/// What a bound value is, for the runtime call that formats or parses it.
enum Kind<'a> {
    /// Text, a number, a boolean or a blob: `Param` / `FromParam`.
    Scalar,
    /// An enum: its `as_str()`, and `From<String>` back.
    Enum(&'a Shape),
    Time(Option<TimestampFormat>),
    List(Box<Kind<'a>>),
    Other,
}

fn kind<'a>(cx: &Ctx<'a>, target: &str, format: Option<TimestampFormat>) -> Kind<'a> {
    match cx.svc.shape(target).map(|s| (s, &s.kind)) {
        Some((s, ShapeKind::Enum(_))) => Kind::Enum(s),
        Some((_, ShapeKind::Timestamp(shape_format))) => Kind::Time(format.or(*shape_format)),
        Some((_, ShapeKind::List(c))) => Kind::List(Box::new(kind(cx, &c.member, None))),
        Some((_, k)) if k.is_scalar() => Kind::Scalar,
        _ => Kind::Other,
    }
}

fn time_format(format: Option<TimestampFormat>, default: TokenStream) -> TokenStream {
    let rt = rt();
    match format {
        Some(TimestampFormat::Iso8601) => quote!(#rt::protocol::rest::TimeFormat::DateTime),
        Some(TimestampFormat::Rfc822) => quote!(#rt::protocol::rest::TimeFormat::HttpDate),
        Some(TimestampFormat::EpochSeconds) => {
            quote!(#rt::protocol::rest::TimeFormat::EpochSeconds)
        }
        None => default,
    }
}

fn enum_type(s: &Shape) -> TokenStream {
    let n = ident(&s.rust_name);
    quote!(crate::types::#n)
}

/// `Option<&T>` of a member of `input`.
fn opt_ref(m: &Member) -> TokenStream {
    let f = ident(&m.field);
    if m.required {
        quote!(Some(&input.#f))
    } else {
        quote!(input.#f.as_ref())
    }
}

/// The items of a list member of `input` (none when unset).
fn items(m: &Member) -> TokenStream {
    let f = ident(&m.field);
    if m.required {
        quote!(input.#f.iter())
    } else {
        quote!(input.#f.iter().flatten())
    }
}

/// The statements that put one bound member of `input` into the request builder `b`.
fn bind(cx: &Ctx<'_>, m: &Member, greedy: bool) -> TokenStream {
    let rt = rt();
    let iso = quote!(#rt::protocol::rest::TimeFormat::DateTime);
    let http_date = quote!(#rt::protocol::rest::TimeFormat::HttpDate);
    let k = kind(cx, &m.target, m.timestamp_format);
    let value = opt_ref(m);
    match (&m.location, k) {
        (Location::Label(name), Kind::Time(f)) => {
            let f = time_format(f, iso);
            quote!(b.label_time(#name, #value, #f)?;)
        }
        (Location::Label(name), Kind::Enum(e)) => {
            let t = enum_type(e);
            quote!(b.label(#name, #value.map(#t::as_str), #greedy)?;)
        }
        (Location::Label(name), _) => quote!(b.label(#name, #value, #greedy)?;),
        (Location::Query(name), Kind::Time(f)) => {
            let f = time_format(f, iso);
            quote!(b.query_time(#name, #value, #f);)
        }
        (Location::Query(name), Kind::Enum(e)) => {
            let t = enum_type(e);
            quote!(b.query(#name, #value.map(#t::as_str));)
        }
        (Location::Query(name), Kind::List(inner)) => {
            let items = items(m);
            match *inner {
                Kind::Time(f) => {
                    let f = time_format(f, iso);
                    quote!(b.query_each_time(#name, #items, #f);)
                }
                Kind::Enum(e) => {
                    let t = enum_type(e);
                    quote!(b.query_each(#name, #items.map(#t::as_str));)
                }
                _ => quote!(b.query_each(#name, #items);),
            }
        }
        (Location::Query(name), _) => quote!(b.query(#name, #value);),
        (Location::QueryMap, _) => {
            let items = items(m);
            quote!(b.query_map(#items);)
        }
        (Location::Header(name), _) if m.json_value => {
            quote!(b.header_json(#name, #value.map(String::as_str))?;)
        }
        (Location::Header(name), Kind::Time(f)) => {
            let f = time_format(f, http_date);
            quote!(b.header_time(#name, #value, #f)?;)
        }
        (Location::Header(name), Kind::Enum(e)) => {
            let t = enum_type(e);
            quote!(b.header(#name, #value.map(#t::as_str))?;)
        }
        (Location::Header(name), Kind::List(inner)) => match *inner {
            Kind::Time(f) => {
                let f = time_format(f, http_date);
                quote!(b.header_each_time(#name, #value.map(|l| l.iter()), #f)?;)
            }
            Kind::Enum(e) => {
                let t = enum_type(e);
                quote!(b.header_each(#name, #value.map(|l| l.iter().map(#t::as_str)))?;)
            }
            _ => quote!(b.header_each(#name, #value.map(|l| l.iter()))?;),
        },
        (Location::Header(name), _) => quote!(b.header(#name, #value)?;),
        (Location::PrefixHeaders(prefix), _) => quote!(b.prefix_headers(#prefix, #value)?;),
        // Response-only or body bindings.
        (Location::StatusCode | Location::Body | Location::Payload, _) => quote!(),
    }
}

/// The body of `Operation::encode` for a REST operation.
pub fn encode(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = rt();
    let method = &op.http.method;
    let st = cx.svc.structure(op.input.as_deref());
    let members: &[Member] = st.map(|st| st.members.as_slice()).unwrap_or_default();
    let member = |wire: &str| members.iter().find(|m| m.wire_name == wire);

    // The path: literal text run together, labels between.
    let mut path = Vec::new();
    let mut text = String::new();
    for seg in &op.http.path {
        text.push('/');
        match seg {
            PathSegment::Literal(l) => text.push_str(l),
            PathSegment::Label {
                member: wire,
                greedy,
            } => {
                path.push(quote!(b.literal(#text);));
                text.clear();
                if let Some(m) = member(wire) {
                    path.push(bind(cx, m, *greedy));
                }
            }
        }
    }
    if !text.is_empty() {
        path.push(quote!(b.literal(#text);));
    }
    let literals = op.http.query.iter().map(|(k, v)| match v {
        Some(v) => quote!(b.query_literal(#k, Some(#v));),
        None => quote!(b.query_literal(#k, None);),
    });
    // Maps of query parameters and headers last: a named member's key wins over a map's entry,
    // and the builder knows the named keys only once they are bound.
    let is_map =
        |m: &&Member| matches!(m.location, Location::QueryMap | Location::PrefixHeaders(_));
    let named = members
        .iter()
        .filter(|m| !matches!(m.location, Location::Label(_)) && !is_map(m));
    let bound = named
        .chain(members.iter().filter(is_map))
        .map(|m| bind(cx, m, false));
    let body = body(cx, members);
    let uses_input = members.iter().any(|m| m.location != Location::StatusCode);
    let input_binding = if uses_input {
        quote!()
    } else {
        quote!(let _ = input;)
    };
    quote! {
        #[inline]
        fn encode(input: &Self::Input) -> Result<#rt::protocol::Request, #rt::protocol::EncodeError> {
            #input_binding
            let mut b = #rt::protocol::rest::RequestBuilder::new(#method);
            #(#path)*
            #(#literals)*
            #(#bound)*
            #body
        }
    }
}

/// The end of `encode`: the body from the payload member, or the JSON of the unbound members.
fn body(cx: &Ctx<'_>, members: &[Member]) -> TokenStream {
    let rt = rt();
    let rj = quote!(#rt::protocol::rest_json);
    if let Some(p) = members.iter().find(|m| m.location == Location::Payload) {
        if p.streaming {
            // The client sends the stream itself (`Operation::take_payload`).
            return quote!(Ok(#rj::finish_stream(b)));
        }
        let f = ident(&p.field);
        let value = if p.required {
            quote!(Some(&input.#f))
        } else {
            quote!(input.#f.as_ref())
        };
        return match cx.svc.shape(&p.target).map(|s| (s, &s.kind)) {
            Some((_, ShapeKind::Blob(_))) => quote!(Ok(#rj::finish_blob(b, #value))),
            Some((_, ShapeKind::String(_))) => {
                quote!(Ok(#rj::finish_text(b, #value.map(String::as_str))))
            }
            Some((e, ShapeKind::Enum(_))) => {
                let t = enum_type(e);
                quote!(Ok(#rj::finish_text(b, #value.map(#t::as_str))))
            }
            Some((_, ShapeKind::Document)) | None => quote!(#rj::finish_document(b, #value)),
            Some((_, ShapeKind::Union(_))) => quote!(#rj::finish_payload(b, #value, true)),
            _ => quote!(#rj::finish_payload(b, #value, false)),
        };
    }
    let body: Vec<&Member> = members
        .iter()
        .filter(|m| m.location == Location::Body)
        .collect();
    if body.is_empty() {
        return quote!(Ok(#rj::finish_empty(b)));
    }
    let writes = member_writes(cx, &body, &quote!(input));
    quote! {
        #rj::finish_json(b, |w| {
            let start = w.start();
            #(#writes)*
            w.close(start, b'{', b'}');
            Ok(())
        })
    }
}

/// The body of `Operation::decode` for a REST operation.
pub fn decode(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = rt();
    let read = match op.output.as_ref().and_then(|o| cx.svc.shape(o)) {
        None => quote! {
            // No output: whatever the body holds is not read.
            let _ = response;
            Ok(())
        },
        Some(s) if is_streaming(s) => {
            // Buffered, as the protocol tests give responses; the client calls `decode_stream`.
            let n = ident(&s.rust_name);
            quote!(crate::types::#n::from_response(response, #rt::ByteStream::from(response.body.to_vec())))
        }
        Some(s) if needs_from_response(s) => {
            let n = ident(&s.rust_name);
            quote!(crate::types::#n::from_response(response))
        }
        Some(_) => quote!(#rt::protocol::rest_json::decode_body(response)),
    };
    quote! {
        #[inline]
        fn decode(response: &#rt::protocol::Response<'_>) -> Result<Self::Output, #rt::reader::ReadError> {
            #read
        }
    }
}

fn is_streaming(s: &Shape) -> bool {
    matches!(&s.kind, ShapeKind::Structure(st) if st.streaming().is_some())
}

/// The items of `Operation` for an operation whose input or output payload streams: the input's
/// stream taken out for the client to send (and put in by the server), the output's handed over
/// unread (and taken out by the server to answer with).
pub fn streaming(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = rt();
    let input = cx
        .svc
        .structure(op.input.as_deref())
        .and_then(Structure::streaming)
        .map(|m| {
            let f = ident(&m.field);
            let requires_length = matches!(
                cx.svc.shape(&m.target).map(|s| &s.kind),
                Some(ShapeKind::Blob(b)) if b.requires_length
            );
            let requires_length = requires_length.then(|| {
                quote!(
                    const PAYLOAD_REQUIRES_LENGTH: bool = true;
                )
            });
            quote! {
                #[inline]
                fn take_payload(input: &mut Self::Input) -> Option<#rt::ByteStream> {
                    Some(std::mem::take(&mut input.#f))
                }
                const STREAMING_INPUT: bool = true;
                #[inline]
                fn put_payload(input: &mut Self::Input, body: #rt::ByteStream) {
                    input.#f = body;
                }
                #requires_length
            }
        });
    let output = op
        .output
        .as_ref()
        .and_then(|o| cx.svc.shape(o))
        .filter(|s| is_streaming(s))
        .map(|s| {
            let n = ident(&s.rust_name);
            let take = match &s.kind {
                ShapeKind::Structure(st) => st.streaming().map(|m| {
                    let f = ident(&m.field);
                    quote! {
                        #[inline]
                        fn take_output_payload(output: &mut Self::Output) -> Option<#rt::ByteStream> {
                            Some(std::mem::take(&mut output.#f))
                        }
                    }
                }),
                _ => None,
            };
            quote! {
                #take
                const STREAMING_OUTPUT: bool = true;
                #[inline]
                fn decode_stream(
                    response: &#rt::protocol::Response<'_>,
                    body: #rt::ByteStream,
                ) -> Result<Self::Output, #rt::reader::ReadError> {
                    crate::types::#n::from_response(response, body)
                }
            }
        });
    quote!(#input #output)
}

/// Whether a structure read from a REST response has members outside its JSON body (and so a
/// `from_response` of its own).
pub fn needs_from_response(s: &Shape) -> bool {
    matches!(&s.kind, ShapeKind::Structure(st) if st.has_bindings())
}

/// The structures that REST responses carry with members outside the body: operation outputs
/// and errors.
pub fn response_structures(svc: &Service) -> std::collections::BTreeSet<&str> {
    if !svc.protocol.is_rest() {
        return Default::default();
    }
    let outputs = svc
        .operations
        .values()
        .filter_map(|op| op.output.as_deref());
    let errors = svc.errors().map(|(s, _)| s.wire_name.as_str());
    outputs
        .chain(errors)
        .filter(|n| svc.shape(n).is_some_and(needs_from_response))
        .collect()
}

/// `from_response` of a structure with members bound to the status, headers or payload.
pub fn from_response(cx: &Ctx<'_>, s: &Shape, st: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let rest = quote!(#rt::protocol::rest);
    let rj = quote!(#rt::protocol::rest_json);
    let bound = st.members.iter().filter(|m| m.location != Location::Body && !m.streaming).map(|m| {
        let l = local(m);
        let t = cx.member_type(m);
        let read = match (&m.location, kind(cx, &m.target, m.timestamp_format)) {
            (Location::Header(h), _) if m.json_value => quote!(#rest::header_json(h, #h)?),
            (Location::Header(h), Kind::Time(_)) => quote!(#rest::header_time(h, #h)?),
            (Location::Header(h), Kind::Enum(e)) => {
                let e = enum_type(e);
                quote!(#rest::header::<String>(h, #h)?.map(#e::from))
            }
            (Location::Header(h), Kind::List(inner)) => match *inner {
                Kind::Time(_) => quote!(#rest::header_time_list(h, #h)?),
                Kind::Enum(e) => {
                    let e = enum_type(e);
                    quote!(#rest::header_list::<String>(h, #h)?.map(|l| l.into_iter().map(#e::from).collect()))
                }
                _ => quote!(#rest::header_list(h, #h)?),
            },
            (Location::Header(h), _) => quote!(#rest::header(h, #h)?),
            (Location::PrefixHeaders(p), _) => quote!(#rest::prefix_headers(h, #p)?),
            (Location::StatusCode, _) => quote!(Some(response.status.into())),
            (Location::Payload, _) => match cx.svc.shape(&m.target).map(|s| (s, &s.kind)) {
                Some((_, ShapeKind::Blob(_))) => quote!(#rj::payload_blob(response.body)),
                Some((_, ShapeKind::String(_))) => quote!(#rj::payload_text(response.body)?),
                Some((e, ShapeKind::Enum(_))) => {
                    let e = enum_type(e);
                    quote!(#rj::payload_text(response.body)?.map(#e::from))
                }
                _ => quote!(#rj::payload(response.body)?),
            },
            // Request-only bindings: not in a response.
            _ => quote!(None),
        };
        quote!(let #l: Option<#t> = #read;)
    });
    let body: Vec<&Member> = st
        .members
        .iter()
        .filter(|m| m.location == Location::Body)
        .collect();
    let read_body = if body.is_empty() || st.payload().is_some() {
        quote!()
    } else {
        let (decls, loop_) = member_reads(cx, &body);
        quote! {
            #decls
            #rj::read_body(response.body, |r| {
                use #rt::wire::Decode as _;
                let mut members = r.object()?;
                #loop_
                Ok(())
            })?;
        }
    };
    // The streaming payload is the body as it is, unread.
    let inits = st.members.iter().map(|m| match m.streaming {
        true => {
            let f = ident(&m.field);
            quote!(#f: payload,)
        }
        false => {
            let init = member_inits(&s.wire_name, std::slice::from_ref(m));
            quote!(#(#init)*)
        }
    });
    let uses_headers = st
        .members
        .iter()
        .any(|m| matches!(m.location, Location::Header(_) | Location::PrefixHeaders(_)));
    let reads_response = uses_headers
        || !body.is_empty()
        || st.members.iter().any(|m| {
            matches!(m.location, Location::StatusCode | Location::Payload) && !m.streaming
        });
    let h = if uses_headers {
        quote!(let h = response.headers;)
    } else if !reads_response {
        // Members bound to the request only (a label, the query): nothing to read.
        quote!(let _ = response;)
    } else {
        quote!()
    };
    let payload_param = st.streaming().map(|_| quote!(payload: #rt::ByteStream,));
    quote! {
        impl #name {
            /// Reads the structure from a REST response: members bound to the status code and
            /// headers from there, the rest from the body.
            pub(crate) fn from_response(
                response: &#rt::protocol::Response<'_>,
                #payload_param
            ) -> Result<Self, #rt::reader::ReadError> {
                #h
                #(#bound)*
                #read_body
                Ok(#name { #(#inits)* })
            }
        }
    }
}
