//! The types crate: one Rust type per structure, union and enum shape, with builders, wire
//! encoding and redacting `Debug`.
//!
//! Generated code names `String`, `Vec`, `Box`, `Option`, `Result`, `Some`, `None`, `Ok`, `Err` and
//! `Into` through the prelude: the naming module never gives a shape or an operation type one of
//! those names (`RESERVED_TYPE_NAMES`), so no generated module can shadow them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{deprecated_attr, doc_attrs, redact_expr, rt, Ctx, Part, Redact};
use crate::ir::*;
use crate::naming::ident;

pub fn lib(svc: &Service) -> TokenStream {
    let title = format!(
        " Types of {} (API version {}), generated from its AWS service model.",
        svc.full_name, svc.api_version
    );
    let docs = super::inner_doc_attrs(&svc.docs);
    let count = format!(
        " {} operations; {} shapes. Used by the client and server crates, which re-export it.",
        svc.operations.len(),
        svc.shapes.len()
    );
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #count]
        #![doc = ""]
        #docs
        #![allow(deprecated, clippy::enum_variant_names, clippy::large_enum_variant, clippy::needless_lifetimes)]

        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
    }
}

pub fn types(svc: &Service, part: Part) -> TokenStream {
    let cx = Ctx { svc };
    let named: Vec<&Shape> = svc.named_types().collect();
    let responses = super::rest::response_structures(svc);
    let items = named[part.range(named.len())]
        .iter()
        .map(|s| match &s.kind {
            ShapeKind::Structure(st) if responses.contains(s.wire_name.as_str()) => {
                let own = structure(&cx, s, st);
                let from = super::rest::from_response(&cx, s, st);
                quote!(#own #from)
            }
            ShapeKind::Structure(st) => structure(&cx, s, st),
            ShapeKind::Union(u) => union(&cx, s, u),
            ShapeKind::Enum(e) => enumeration(s, e),
            _ => quote!(),
        });
    if !part.is_first() {
        return quote!(#(#items)*);
    }
    quote! {
        //! Every structure, union and enum of the model.

        #[rustfmt::skip]
        pub mod builders;

        #(#items)*
    }
}

pub fn builders(svc: &Service, part: Part) -> TokenStream {
    let cx = Ctx { svc };
    let named: Vec<&Shape> = svc.named_types().collect();
    let items = named[part.range(named.len())]
        .iter()
        .filter_map(|s| match &s.kind {
            ShapeKind::Structure(st) => Some(builder(&cx, s, st)),
            _ => None,
        });
    if !part.is_first() {
        return quote!(#(#items)*);
    }
    quote! {
        //! Builders for the structures: set members one by one, then `build()`, which names every
        //! required member left unset.

        #(#items)*
    }
}

/// A member's name as the JSON writer writes it before the value: comma, escaped name, colon.
fn member_key(wire_name: &str) -> String {
    format!(",{}:", serde_json::Value::from(wire_name))
}

pub(super) fn local(m: &Member) -> proc_macro2::Ident {
    format_ident!("m_{}", m.field)
}

fn field_decl(cx: &Ctx<'_>, m: &Member) -> TokenStream {
    let docs = doc_attrs(&m.docs);
    let dep = deprecated_attr(&m.deprecated);
    let f = ident(&m.field);
    let t = cx.member_type(m);
    let note = if m.required {
        quote!(#[doc = ""] #[doc = " Required."])
    } else {
        quote!()
    };
    let t = if m.required { t } else { quote!(Option<#t>) };
    quote!(#docs #note #dep pub #f: #t,)
}

fn needs_redaction(cx: &Ctx<'_>, s: &Shape, members: &[Member]) -> bool {
    s.sensitive
        || members
            .iter()
            .any(|m| cx.redaction(&m.target) != Redact::Show)
}

/// A `Debug` impl that redacts sensitive members (for `name`, the type being printed).
fn debug_impl(
    cx: &Ctx<'_>,
    s: &Shape,
    members: &[Member],
    ty: &TokenStream,
    label: &str,
    builder: bool,
) -> TokenStream {
    let rt = rt();
    let body = if s.sensitive {
        quote!(f.debug_tuple(#label).field(&#rt::debug::REDACTED).finish())
    } else {
        let fields = members.iter().map(|m| {
            let f = ident(&m.field);
            let name = &m.field;
            let plan = cx.redaction(&m.target);
            match plan {
                Redact::Show => quote!(.field(#name, &self.#f)),
                _ if m.required && !builder => {
                    let e = redact_expr(&plan, quote!(&self.#f));
                    quote!(.field(#name, &#e))
                }
                Redact::Hide => quote!(.field(#name, &self.#f.as_ref().map(#rt::debug::redacted))),
                _ => {
                    let e = redact_expr(&plan, quote!(v));
                    quote!(.field(#name, &self.#f.as_ref().map(|v| #e)))
                }
            }
        });
        quote!(f.debug_struct(#label) #(#fields)* .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #ty {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

fn structure(cx: &Ctx<'_>, s: &Shape, st: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let builder_name = format_ident!("{}Builder", s.rust_name);
    let docs = doc_attrs(&s.docs);
    let dep = deprecated_attr(&s.deprecated);
    let fields = st.members.iter().map(|m| field_decl(cx, m));
    let redact = needs_redaction(cx, s, &st.members);
    let derive_debug = if redact { quote!() } else { quote!(, Debug) };
    let debug = if redact {
        debug_impl(cx, s, &st.members, &quote!(#name), &s.rust_name, false)
    } else {
        quote!()
    };
    let wire = structure_wire(cx, s, st);
    let builder_doc = format!(" A builder for [`{}`].", s.rust_name);
    let error = st.error.as_ref().map(|e| error_impls(cx, s, st, e));
    // A stream can be neither copied nor compared.
    let derive = if st.streaming().is_some() {
        if redact {
            quote!()
        } else {
            quote!(#[derive(Debug)])
        }
    } else {
        quote!(#[derive(Clone, PartialEq #derive_debug)])
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derive
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #builder_doc]
            #[inline]
            pub fn builder() -> builders::#builder_name {
                builders::#builder_name::default()
            }
        }

        #debug
        #wire
        #rt::serde_via_wire!(#name);
        #error
    }
}

fn error_impls(cx: &Ctx<'_>, s: &Shape, st: &Structure, e: &ErrorInfo) -> TokenStream {
    let name = ident(&s.rust_name);
    let code = &e.code;
    let message = st
        .members
        .iter()
        .find(|m| Some(&m.wire_name) == e.message_member.as_ref());
    let message_fn = match message {
        Some(m)
            if matches!(
                cx.svc.shape(&m.target).map(|t| &t.kind),
                Some(ShapeKind::String(_))
            ) && !cx.svc.shape(&m.target).is_some_and(|t| t.sensitive) =>
        {
            let f = ident(&m.field);
            let get = if m.required {
                quote!(Some(self.#f.as_str()))
            } else {
                quote!(self.#f.as_deref())
            };
            quote!(#get)
        }
        _ => quote!(None),
    };
    let rt = rt();
    let query_code = match &e.query_code {
        Some(q) => quote!(const QUERY_CODE: Option<&'static str> = Some(#q);),
        None => quote!(),
    };
    // A REST or RPC v2 CBOR service answers each error with its own status (awsJson ones with
    // 400 or 500).
    let http_status = match e.http_status {
        Some(status) if cx.svc.protocol.is_rest() || cx.svc.protocol == Protocol::RpcV2Cbor => {
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            quote!(const HTTP_STATUS: Option<u16> = Some(#status);)
        }
        _ => quote!(),
    };
    let fault = if e.fault {
        quote!(Server)
    } else {
        quote!(Client)
    };
    let retryable = match e.retryable {
        Some(r) => {
            let t = r.throttling;
            quote!(Some(#t))
        }
        None => quote!(None),
    };
    quote! {
        impl #name {
            /// The error code on the wire.
            pub const CODE: &'static str = #code;

            /// The message the service sent, if any.
            #[inline]
            pub fn message(&self) -> Option<&str> {
                #message_fn
            }
        }

        impl #rt::ErrorShape for #name {
            const CODE: &'static str = Self::CODE;
            const FAULT: #rt::Fault = #rt::Fault::#fault;
            const RETRYABLE: Option<bool> = #retryable;
            #query_code
            #http_status
            #[inline]
            fn message(&self) -> Option<&str> {
                self.message()
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #rt::error::display_shape(self, f)
            }
        }

        impl ::std::error::Error for #name {}
    }
}

fn structure_wire(cx: &Ctx<'_>, s: &Shape, st: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let members: Vec<&Member> = st.members.iter().collect();
    let writes = member_writes(cx, &members, &quote!(self));
    let shared = st
        .error
        .is_some()
        .then(|| string_members(cx, &members))
        .flatten();
    let (decls, read_members) = match shared {
        Some(read) => (quote!(), read),
        None => member_reads(cx, &members),
    };
    let read_inits = member_inits(&s.wire_name, &st.members);
    quote! {
        impl #rt::wire::Wire for #name {
            #[inline]
            fn write<E: #rt::wire::Encode>(&self, w: &mut E) -> Result<(), #rt::json::WriteError> {
                let start = w.begin_struct();
                #(#writes)*
                w.end_struct(start);
                Ok(())
            }

            #[inline]
            fn read<'de, D: #rt::wire::Decode<'de>>(r: &mut D) -> Result<Self, #rt::reader::ReadError> {
                #decls
                let mut members = r.object()?;
                #read_members
                Ok(#name { #(#read_inits)* })
            }
        }
    }
}

/// The member loop of an error structure whose members are all strings (most errors: a
/// message), as one call of the runtime's `read_strings`, shared by every such error: each
/// would otherwise compile a loop of its own into every binary that can receive it (a one-call
/// binary receives the operation's every error). Outputs keep their own loops, which read a
/// little faster (`bench decode`). `None` for any other structure.
fn string_members(cx: &Ctx<'_>, members: &[&Member]) -> Option<TokenStream> {
    let rt = rt();
    let all_strings = !members.is_empty()
        && members.len() <= 32
        && members.iter().all(|m| {
            !m.boxed
                && !m.json_value
                && matches!(
                    cx.svc.shape(&m.target).map(|s| &s.kind),
                    Some(ShapeKind::String(_))
                )
        });
    if !all_strings {
        return None;
    }
    let names = members.iter().map(|m| &m.json_name);
    let locals = members.iter().map(|m| local(m));
    let n = proc_macro2::Literal::usize_unsuffixed(members.len());
    Some(quote! {
        static NAMES: #rt::reader::Names = #rt::reader::Names::new(&[#(#names),*]);
        let mut strings: [Option<String>; #n] = Default::default();
        #rt::wire::read_strings(r, &mut members, &NAMES, &mut strings)?;
        let [#(#locals),*] = strings;
    })
}

/// One write statement per member of `owner` (an expression of the structure): its JSON key,
/// then its value, skipped when an optional member is unset.
pub(super) fn member_writes(
    cx: &Ctx<'_>,
    members: &[&Member],
    owner: &TokenStream,
) -> Vec<TokenStream> {
    let rt = rt();
    members
        .iter()
        .map(|m| {
            let f = ident(&m.field);
            let key = member_key(&m.json_name);
            let write = match (m.required, cx.codec(m)) {
                (true, None) => quote!(member),
                (false, None) => quote!(opt_member),
                (true, Some(codec)) => quote!(member_with::<#codec, _, _>),
                (false, Some(codec)) => quote!(opt_member_with::<#codec, _, _>),
            };
            quote!(#rt::wire::#write(w, #key, &#owner.#f)?;)
        })
        .collect()
}

/// The locals `members` are read into (`m_<field>`, all `None`), and the loop that reads the
/// members of a JSON object (`members`, from `r.object()`) into them by their JSON keys.
pub(super) fn member_reads(cx: &Ctx<'_>, members: &[&Member]) -> (TokenStream, TokenStream) {
    let rt = rt();
    let decls = members.iter().map(|m| {
        let l = local(m);
        let t = cx.member_type(m);
        quote!(let mut #l: Option<#t> = None;)
    });
    let read_arms = members.iter().enumerate().map(|(i, m)| {
        let l = local(m);
        let read = match cx.codec(m) {
            None => quote!(read_opt),
            Some(codec) => quote!(read_opt_with::<#codec, _, _>),
        };
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#i => #l = #rt::wire::#read(r)?,)
    });
    let names = members.iter().map(|m| &m.json_name);
    let read_members = if members.is_empty() {
        quote! {
            while r.next_key(&mut members)?.is_some() {
                r.skip()?;
            }
        }
    } else {
        quote! {
            static NAMES: #rt::reader::Names = #rt::reader::Names::new(&[#(#names),*]);
            let mut next = 0;
            while let Some(i) = r.next_index(&mut members, &NAMES, &mut next)? {
                match i {
                    #(#read_arms)*
                    _ => r.skip()?,
                }
            }
        }
    };
    (quote!(#(#decls)*), read_members)
}

/// The field initialisers of structure `label` from its members' locals: a required member that
/// was not read is an error naming it.
pub(super) fn member_inits(label: &str, members: &[Member]) -> Vec<TokenStream> {
    let rt = rt();
    members
        .iter()
        .map(|m| {
            let l = local(m);
            let f = ident(&m.field);
            let key = &m.wire_name;
            if m.streaming {
                quote!(#f: #l.unwrap_or_default(),)
            } else if m.required {
                quote!(#f: #l.ok_or_else(|| #rt::wire::missing(#label, #key))?,)
            } else {
                quote!(#f: #l,)
            }
        })
        .collect()
}

fn builder(cx: &Ctx<'_>, s: &Shape, st: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let builder_name = format_ident!("{}Builder", s.rust_name);
    let doc = format!(" A builder for [`{0}`](super::{0}).", s.rust_name);
    let fields = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let t = cx.member_type(m);
        quote!(#f: Option<#t>,)
    });
    let setters = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let setter = ident(&m.setter);
        let set = ident(&m.opt_setter);
        let docs = doc_attrs(&m.docs);
        let dep = deprecated_attr(&m.deprecated);
        let t = cx.rust_type(&m.target);
        let member_t = cx.member_type(m);
        let wrap = if m.boxed {
            quote!(Box::new(value.into()))
        } else {
            quote!(value.into())
        };
        let set_doc = format!(" Sets or clears [`{0}`](Self::{0}).", m.setter);
        quote! {
            #docs
            #dep
            pub fn #setter(mut self, value: impl Into<#t>) -> Self {
                self.#f = Some(#wrap);
                self
            }

            #[doc = #set_doc]
            #dep
            #[inline]
            pub fn #set(mut self, value: Option<#member_t>) -> Self {
                self.#f = value;
                self
            }
        }
    });
    // A streaming payload left unset is an empty body, not a missing member.
    let required: Vec<&Member> = st
        .members
        .iter()
        .filter(|m| m.required && !m.streaming)
        .collect();
    let label = &s.rust_name;
    let inits = st.members.iter().map(|m| {
        let f = ident(&m.field);
        if m.streaming {
            quote!(#f: self.#f.unwrap_or_default(),)
        } else if m.required {
            let l = local(m);
            quote!(#f: #l,)
        } else {
            quote!(#f: self.#f,)
        }
    });
    // Idempotency tokens the caller left unset are filled in, so a retried call is recognised.
    let tokens: Vec<&Member> = st
        .members
        .iter()
        .filter(|m| {
            m.idempotency_token
                && matches!(
                    cx.svc.shape(&m.target).map(|t| &t.kind),
                    Some(ShapeKind::String(_))
                )
        })
        .collect();
    let fill = tokens.iter().map(|m| {
        let f = ident(&m.field);
        quote! {
            if self.#f.is_none() {
                self.#f = Some(#rt::idempotency_token());
            }
        }
    });
    let self_mut = if tokens.is_empty() {
        quote!(self)
    } else {
        quote!(mut self)
    };
    let build_body = if required.is_empty() {
        quote!(Ok(super::#name { #(#inits)* }))
    } else {
        let checks = required.iter().map(|m| {
            let f = ident(&m.field);
            let rust = &m.field;
            quote!(if self.#f.is_none() { missing.push(#rust); })
        });
        let scrutinee = required.iter().map(|m| {
            let f = ident(&m.field);
            quote!(self.#f)
        });
        let pats = required.iter().map(|m| {
            let l = local(m);
            quote!(Some(#l))
        });
        quote! {
            let mut missing: Vec<&'static str> = Vec::new();
            #(#checks)*
            match (#(#scrutinee,)*) {
                (#(#pats,)*) => Ok(super::#name { #(#inits)* }),
                _ => Err(#rt::BuildError::missing(#label, missing)),
            }
        }
    };
    let redact = needs_redaction(cx, s, &st.members);
    let derive_debug = if redact { quote!() } else { quote!(, Debug) };
    let debug = if redact {
        debug_impl(
            cx,
            s,
            &st.members,
            &quote!(#builder_name),
            &format!("{}Builder", s.rust_name),
            true,
        )
    } else {
        quote!()
    };
    let build_doc = if required.is_empty() {
        " Builds the structure. It has no required members, so this does not fail.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|m| format!("`{}`", m.field)).collect();
        format!(
            " Builds the structure, or names every required member not set ({}).",
            names.join(", ")
        )
    };
    let derive = if st.streaming().is_some() {
        if redact {
            quote!(#[derive(Default)])
        } else {
            quote!(#[derive(Default, Debug)])
        }
    } else {
        quote!(#[derive(Clone, Default, PartialEq #derive_debug)])
    };
    quote! {
        #[doc = #doc]
        #derive
        pub struct #builder_name {
            #(#fields)*
        }

        impl #builder_name {
            #(#setters)*

            #[doc = #build_doc]
            #[inline]
            pub fn build(#self_mut) -> Result<super::#name, #rt::BuildError> {
                #(#fill)*
                #build_body
            }
        }

        #debug
    }
}

fn union(cx: &Ctx<'_>, s: &Shape, u: &Union) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let docs = doc_attrs(&s.docs);
    let dep = deprecated_attr(&s.deprecated);
    let unknown = ident(&u.unknown_variant);
    let variants = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let t = cx.member_type(m);
        let d = doc_attrs(&m.docs);
        let dd = deprecated_attr(&m.deprecated);
        quote!(#d #dd #v(#t),)
    });
    let redact = s.sensitive
        || u.members
            .iter()
            .any(|m| cx.redaction(&m.target) != Redact::Show);
    let derive_debug = if redact { quote!() } else { quote!(, Debug) };
    let label = &s.rust_name;
    let debug = if redact {
        let arms = u.members.iter().map(|m| {
            let v = ident(&m.variant);
            let vn = &m.variant;
            let e = if s.sensitive {
                quote!(#rt::debug::redacted(x))
            } else {
                redact_expr(&cx.redaction(&m.target), quote!(x))
            };
            quote!(Self::#v(x) => f.debug_tuple(#vn).field(&#e).finish(),)
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::#unknown(member) => f.debug_tuple(#label).field(member).finish(),
                    }
                }
            }
        }
    } else {
        quote!()
    };
    let write_arms = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let key = member_key(&m.json_name);
        let write = match cx.codec(m) {
            None => quote!(member),
            Some(codec) => quote!(member_with::<#codec, _, _>),
        };
        quote!(Self::#v(x) => #rt::wire::#write(w, #key, x)?,)
    });
    let read_arms = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let key = &m.json_name;
        let t = cx.member_type(m);
        let read = match cx.codec(m) {
            None => quote!(read_opt::<#t, _>),
            Some(codec) => quote!(read_opt_with::<#codec, #t, _>),
        };
        quote!(#key => #rt::wire::#read(r)?.map(#name::#v),)
    });
    let wire_name = &s.wire_name;
    let too_many = format!("more than one member of union {} is set", s.wire_name);
    let none = format!("no member of union {} is set", s.wire_name);
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, PartialEq #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not know; holds its wire name.
            #unknown(String),
        }

        #debug

        impl #rt::wire::Wire for #name {
            #[inline]
            fn write<E: #rt::wire::Encode>(&self, w: &mut E) -> Result<(), #rt::json::WriteError> {
                let start = w.begin_struct();
                match self {
                    #(#write_arms)*
                    Self::#unknown(_) => return Err(#rt::wire::unknown_union_member(#wire_name)),
                }
                w.end_struct(start);
                Ok(())
            }

            #[inline]
            fn read<'de, D: #rt::wire::Decode<'de>>(r: &mut D) -> Result<Self, #rt::reader::ReadError> {
                let mut out: Option<#name> = None;
                let mut members = r.object()?;
                while let Some(key) = r.next_key(&mut members)? {
                    let value = match &*key {
                        #(#read_arms)*
                        "__type" => { r.skip()?; None }
                        other => {
                            r.skip()?;
                            Some(#name::#unknown(other.to_owned()))
                        }
                    };
                    if let Some(value) = value {
                        if out.is_some() {
                            return Err(#rt::reader::ReadError::custom(#too_many));
                        }
                        out = Some(value);
                    }
                }
                out.ok_or_else(|| #rt::reader::ReadError::custom(#none))
            }
        }

        #rt::serde_via_wire!(#name);
    }
}

fn enumeration(s: &Shape, e: &Enum) -> TokenStream {
    let rt = rt();
    let name = ident(&s.rust_name);
    let docs = doc_attrs(&s.docs);
    let dep = deprecated_attr(&s.deprecated);
    let unknown = ident(&e.unknown_variant);
    let variants = e.values.iter().map(|v| {
        let id = ident(&v.variant);
        let d = format!(" `{}`", v.wire.replace('`', "'"));
        quote!(#[doc = #d] #id,)
    });
    let as_str = e.values.iter().map(|v| {
        let id = ident(&v.variant);
        let w = &v.wire;
        quote!(Self::#id => #w,)
    });
    let from = e.values.iter().map(|v| {
        let id = ident(&v.variant);
        let w = &v.wire;
        quote!(#w => Self::#id,)
    });
    let from_owned = e.values.iter().map(|v| {
        let id = ident(&v.variant);
        let w = &v.wire;
        quote!(#w => Self::#id,)
    });
    let values = e.values.iter().map(|v| &v.wire);
    let (derive_debug, debug) = if s.sensitive {
        (
            quote!(),
            quote! {
                impl ::std::fmt::Debug for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Debug::fmt(&#rt::debug::REDACTED, f)
                    }
                }
            },
        )
    } else {
        (quote!(, Debug), quote!())
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the model does not list, kept as received.
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(v) => v.as_str(),
                }
            }

            /// Every value the model lists, in model order.
            #[inline]
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        #debug

        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(v: &str) -> Self {
                match v {
                    #(#from)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<String> for #name {
            #[inline]
            fn from(v: String) -> Self {
                match v.as_str() {
                    #(#from_owned)*
                    _ => Self::#unknown(v),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(v: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(v))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::wire::Wire for #name {
            #[inline]
            fn write<E: #rt::wire::Encode>(&self, w: &mut E) -> Result<(), #rt::json::WriteError> {
                w.string(self.as_str());
                Ok(())
            }
            #[inline]
            fn read<'de, D: #rt::wire::Decode<'de>>(r: &mut D) -> Result<Self, #rt::reader::ReadError> {
                r.string().map(Self::from)
            }
        }

        #rt::serde_via_wire!(#name);
    }
}
