//! The client crate's root: for now the typed model (re-exported from the types crate) and the
//! operation list; the HTTP client is built on the runtime's generic client.

use proc_macro2::TokenStream;
use quote::quote;

use super::types_crate;
use crate::ir::*;

pub fn lib(svc: &Service) -> TokenStream {
    let types = types_crate(&svc.crates);
    let title = format!(
        " Client for {} (API version {}), generated from its AWS service model.",
        svc.full_name, svc.api_version
    );
    let docs = super::inner_doc_attrs(&svc.docs);
    let ops: Vec<String> = svc
        .operations
        .values()
        .map(|op| format!(" - `{}` ([`operation::{}`])", op.wire_name, op.type_name))
        .collect();
    quote! {
        #![doc = #title]
        #![doc = ""]
        #docs
        #![doc = ""]
        #![doc = " # Operations"]
        #![doc = ""]
        #(#![doc = #ops])*

        pub use #types::{error, operation, types};
    }
}
