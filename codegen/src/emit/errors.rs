//! The error module: per operation an enum of exactly its modelled errors plus `Unhandled`, and
//! a service-wide `Error` that every operation's error converts into.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, rt};
use crate::ir::*;
use crate::naming::ident;

/// An error enum over `errors` (error shape wire names) named `name`.
fn error_enum(name: &str, doc: &str, errors: &[&Shape]) -> TokenStream {
    let rt = rt();
    let name = ident(name);
    let variants = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let d = doc_attrs(&s.docs);
        quote!(#d #v(crate::types::#v),)
    });
    let display = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(e) => ::std::fmt::Display::fmt(e, f),)
    });
    let source = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(e) => Some(e),)
    });
    let code = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(_) => crate::types::#v::CODE,)
    });
    let message = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(e) => e.message(),)
    });
    let info = |s: &Shape| match &s.kind {
        ShapeKind::Structure(Structure { error: Some(e), .. }) => Some(e.clone()),
        _ => None,
    };
    let fault = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let f = if info(s).is_some_and(|e| e.fault) {
            quote!(Server)
        } else {
            quote!(Client)
        };
        quote!(Self::#v(_) => #rt::Fault::#f,)
    });
    let retryable = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let r = match info(s).and_then(|e| e.retryable) {
            Some(r) => {
                let t = r.throttling;
                quote!(Some(#t))
            }
            None => quote!(None),
        };
        quote!(Self::#v(_) => #r,)
    });
    let decode = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let code = &s.wire_name;
        quote! {
            #code => match #rt::codegen::serde_json::from_slice::<crate::types::#v>(body) {
                Ok(e) => Self::#v(e),
                Err(_) => Self::Unhandled(meta),
            },
        }
    });
    let from_wire = if errors.is_empty() {
        quote! {
            let _ = (code, body);
            Self::Unhandled(meta)
        }
    } else {
        quote! {
            match code {
                #(#decode)*
                _ => Self::Unhandled(meta),
            }
        }
    };
    let encode = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        quote!(Self::#v(e) => #rt::operation::error_body(crate::types::#v::CODE, e),)
    });
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

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display)*
                    Self::Unhandled(m) => ::std::fmt::Display::fmt(m, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source)*
                    Self::Unhandled(_) => None,
                }
            }
        }

        impl #rt::ServiceError for #name {
            fn code(&self) -> &str {
                match self {
                    #(#code)*
                    Self::Unhandled(m) => m.code().unwrap_or("Unhandled"),
                }
            }
            fn message(&self) -> Option<&str> {
                match self {
                    #(#message)*
                    Self::Unhandled(m) => m.message(),
                }
            }
            fn fault(&self) -> #rt::Fault {
                match self {
                    #(#fault)*
                    Self::Unhandled(_) => #rt::Fault::Server,
                }
            }
            fn retryable(&self) -> Option<bool> {
                match self {
                    #(#retryable)*
                    Self::Unhandled(_) => None,
                }
            }
        }

        impl #rt::operation::OperationError for #name {
            fn from_wire(code: &str, body: &[u8], meta: #rt::ErrorMetadata) -> Self {
                #from_wire
            }
            fn to_body(&self) -> ::std::vec::Vec<u8> {
                match self {
                    #(#encode)*
                    Self::Unhandled(m) => #rt::operation::unhandled_body(m),
                }
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
    let service = error_enum("Error", &service_doc, &all);
    let per_op = svc.operations.values().map(|op| {
        let errs = shapes(&mut op.errors.iter());
        let doc = format!(
            "An error of `{}`: the errors the model lists for it, plus `Unhandled`.",
            op.wire_name
        );
        let e = error_enum(&op.error_enum, &doc, &errs);
        let name = ident(&op.error_enum);
        let arms = errs.iter().map(|s| {
            let v = ident(&s.rust_name);
            quote!(#name::#v(e) => Error::#v(e),)
        });
        quote! {
            #e

            impl ::std::convert::From<#name> for Error {
                fn from(e: #name) -> Error {
                    match e {
                        #(#arms)*
                        #name::Unhandled(m) => Error::Unhandled(m),
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
