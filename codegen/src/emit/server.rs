//! The server crate's root: a trait with one async method per operation. Every method has a
//! default that answers `NotImplemented`, so a model update that adds operations does not break
//! implementations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{deprecated_attr, doc_attrs, rt, types_crate};
use crate::ir::*;
use crate::naming::{self, ident};

pub fn trait_name(svc: &Service) -> proc_macro2::Ident {
    format_ident!("{}", naming::camel(&svc.service_id))
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
        pub use handler::#trait_name;
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
