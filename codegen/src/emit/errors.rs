//! The error module: per operation an enum of exactly its modelled errors plus `Unhandled`, and
//! a service-wide `Error` that every operation's error converts into.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, rt};
use crate::ir::*;
use crate::naming::ident;

/// An error enum over `errors` (error shapes) named `name`. Everything but the one match of
/// `ErrorEnum::shape`, the decoding arms and the (server's) encoding arms comes from the runtime.
/// `bound`: the error structures read with their own `from_response` (REST bindings); `decoder`:
/// the module with the protocol's `decode_error` (a server encodes in the request's format,
/// which the runtime's `error_body` takes).
fn error_enum(
    bound: &BTreeSet<&str>,
    decoder: &TokenStream,
    name: &str,
    doc: &str,
    errors: &[&Shape],
) -> TokenStream {
    let rt = rt();
    let name = ident(name);
    let variants = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let d = doc_attrs(&s.docs);
        quote!(#d #v(crate::types::#v),)
    });
    let shape = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(e) => Ok(e),)
    });
    let decode = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let code = &s.wire_name;
        if bound.contains(s.wire_name.as_str()) {
            quote!(#code => #rt::operation::decode_error_with(response, meta, crate::types::#v::from_response, Self::#v),)
        } else {
            quote!(#code => decode(response, meta, Self::#v),)
        }
    });
    let encode_arms = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let code = &s.wire_name;
        quote!(Self::#v(e) => body(format, #code, e),)
    });
    let encode = if errors.is_empty() {
        quote! {
            let Self::Unhandled(m) = self;
            #rt::operation::unhandled_body(format, m)
        }
    } else {
        quote! {
            use #rt::operation::{error_body as body, unhandled_body};
            match self {
                #(#encode_arms)*
                Self::Unhandled(m) => unhandled_body(format, m),
            }
        }
    };
    let from_wire = if errors.is_empty() {
        quote! {
            let _ = (code, response);
            Self::Unhandled(meta)
        }
    } else {
        let import = if errors.iter().any(|s| !bound.contains(s.wire_name.as_str())) {
            quote!(use #decoder::decode_error as decode;)
        } else {
            quote!()
        };
        quote! {
            #import
            match code {
                #(#decode)*
                _ => Self::Unhandled(meta),
            }
        }
    };
    let doc = format!(" {doc}");
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not list here (or whose body could not be read): its code,
            /// message and request id as received.
            Unhandled(#rt::ErrorMetadata),
        }

        impl #rt::ErrorEnum for #name {
            #[inline]
            fn shape(&self) -> Result<&dyn #rt::error::AnyErrorShape, &#rt::ErrorMetadata> {
                match self {
                    #(#shape)*
                    Self::Unhandled(m) => Err(m),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #rt::error::display_error(self, f)
            }
        }

        impl ::std::error::Error for #name {
            #[inline]
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                #rt::error::error_source(self)
            }
        }

        impl #rt::operation::OperationError for #name {
            #[inline]
            fn from_wire(code: &str, response: &#rt::protocol::Response<'_>, meta: #rt::ErrorMetadata) -> Self {
                #from_wire
            }
            #[inline]
            fn unhandled(meta: #rt::ErrorMetadata) -> Self {
                Self::Unhandled(meta)
            }
            #[inline]
            fn to_body(&self, format: #rt::wire::Format) -> Vec<u8> {
                #encode
            }
        }
    }
}

pub fn errors(svc: &Service) -> TokenStream {
    let shapes = |names: &mut dyn Iterator<Item = &String>| -> Vec<&Shape> {
        names.filter_map(|n| svc.shape(n)).collect()
    };
    let all: Vec<&Shape> = svc.errors().map(|(s, _)| s).collect();
    let service_doc = format!(
        "Any error of {}: every error shape of the model, plus `Unhandled`.",
        svc.full_name
    );
    // Computed once: every operation's error enum asks.
    let bound = super::rest::response_structures(svc);
    let rt = rt();
    let decoder = match svc.protocol {
        Protocol::RpcV2Cbor => quote!(#rt::protocol::rpc_v2_cbor),
        Protocol::AwsJson(_) | Protocol::RestJson => quote!(#rt::operation),
    };
    let service = error_enum(&bound, &decoder, "Error", &service_doc, &all);
    let per_op = svc.operations.values().map(|op| {
        let errs = shapes(&mut op.errors.iter());
        let doc = format!(
            "An error of `{}`: the errors the model lists for it, plus `Unhandled`.",
            op.wire_name
        );
        let e = error_enum(&bound, &decoder, &op.error_enum, &doc, &errs);
        let name = ident(&op.error_enum);
        let arms = errs.iter().map(|s| {
            let v = ident(&s.rust_name);
            quote!(E::#v(e) => Error::#v(e),)
        });
        quote! {
            #e

            impl ::std::convert::From<#name> for Error {
                #[inline]
                fn from(e: #name) -> Error {
                    use #name as E;
                    match e {
                        #(#arms)*
                        E::Unhandled(m) => Error::Unhandled(m),
                    }
                }
            }
        }
    });
    quote! {
        //! Errors: one enum per operation with exactly the errors it can return, and the
        //! service-wide [`Error`].

        #service
        #(#per_op)*
    }
}
