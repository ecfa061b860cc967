//! The operation module: the service's wire constants and, per operation, a marker type that
//! names its target, auth and types, for the runtime's generic client and server.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, rt, Ctx};
use crate::ir::*;
use crate::naming::ident;

pub fn operations(svc: &Service) -> TokenStream {
    let rt = rt();
    let service_id = &svc.service_id;
    let target_prefix = &svc.target_prefix;
    let content_type = svc.content_type();
    let signing_name = &svc.signing_name;
    let endpoint_prefix = &svc.endpoint_prefix;
    let api_version = &svc.api_version;
    let service_doc = format!(" {}: the service's wire constants.", svc.full_name);
    let ty = |shape: &Option<String>| match shape.as_ref().and_then(|s| svc.shape(s)) {
        Some(s) => {
            let n = ident(&s.rust_name);
            quote!(crate::types::#n)
        }
        None => quote!(()),
    };
    let ops = svc.operations.values().map(|op| {
        let name = ident(&op.type_name);
        let wire = &op.wire_name;
        let cx = Ctx { svc };
        let (target, encode, decode) = match svc.protocol {
            Protocol::AwsJson(_) => {
                let target = format!("{}.{}", svc.target_prefix, op.wire_name);
                (
                    quote!(const TARGET: &'static str = #target;),
                    quote! {
                        #[inline]
                        fn encode(input: &Self::Input) -> Result<#rt::protocol::Request, #rt::protocol::EncodeError> {
                            #rt::protocol::aws_json::encode::<Self>(input)
                        }
                    },
                    quote! {
                        #[inline]
                        fn decode(response: &#rt::protocol::Response<'_>) -> Result<Self::Output, #rt::reader::ReadError> {
                            #rt::protocol::aws_json::decode::<Self>(response)
                        }
                    },
                )
            }
            Protocol::RestJson => (
                quote!(),
                super::rest::encode(&cx, op),
                super::rest::decode(&cx, op),
            ),
            Protocol::RpcV2Cbor => {
                let path = format!("/service/{}/operation/{}", svc.target_prefix, op.wire_name);
                let input = match op.input.as_ref().and_then(|i| svc.shape(i)) {
                    Some(_) => quote!(Some(input)),
                    None => quote!({
                        let _ = input;
                        None
                    }),
                };
                (
                    quote!(),
                    quote! {
                        #[inline]
                        fn encode(input: &Self::Input) -> Result<#rt::protocol::Request, #rt::protocol::EncodeError> {
                            #rt::protocol::rpc_v2_cbor::encode::<Self>(#path, #input)
                        }
                    },
                    quote! {
                        #[inline]
                        fn decode(response: &#rt::protocol::Response<'_>) -> Result<Self::Output, #rt::reader::ReadError> {
                            #rt::protocol::rpc_v2_cbor::decode::<Self>(response)
                        }
                    },
                )
            }
        };
        let auth = match op.auth {
            Auth::SigV4 => quote!(#rt::operation::Auth::SigV4),
            Auth::None => quote!(#rt::operation::Auth::None),
        };
        let streaming = super::rest::streaming(&cx, op);
        let unsigned_payload = op
            .unsigned_payload
            .then(|| quote!(const UNSIGNED_PAYLOAD: bool = true;));
        let input = ty(&op.input);
        let output = ty(&op.output);
        let error = ident(&op.error_enum);
        let host_prefix = op.host_prefix.as_ref().map(|h| host_prefix_fn(svc, op, h));
        let endpoint_params = endpoint_params_fn(op);
        let doc = format!(
            " `{}`: see the client's `{}` method for what it does.",
            op.wire_name, op.method
        );
        let dep = deprecated_attr(&op.deprecated);
        quote! {
            #[doc = #doc]
            #dep
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #name;

            impl #rt::operation::Operation for #name {
                type Service = Service;
                const NAME: &'static str = #wire;
                #target
                const AUTH: #rt::operation::Auth = #auth;
                type Input = #input;
                type Output = #output;
                type Error = crate::error::#error;
                #encode
                #decode
                #streaming
                #unsigned_payload
                #host_prefix
                #endpoint_params
            }
        }
    });
    let query_compatible = if svc.query_compatible {
        quote!(
            const QUERY_COMPATIBLE: bool = true;
        )
    } else {
        quote!()
    };
    let endpoint_rules = if svc.endpoint_rules.is_some() {
        quote!(
            const ENDPOINT_RULES: Option<&'static str> =
                Some(include_str!("endpoint-rule-set.json"));
        )
    } else {
        quote!()
    };
    let operation_endpoint_params = if svc
        .operations
        .values()
        .any(|op| !op.endpoint_params.is_empty())
    {
        quote!(
            const OPERATION_ENDPOINT_PARAMS: bool = true;
        )
    } else {
        quote!()
    };
    let protocol = match svc.protocol {
        Protocol::AwsJson(JsonVersion::V1_0) => quote!(AwsJson1_0),
        Protocol::AwsJson(JsonVersion::V1_1) => quote!(AwsJson1_1),
        Protocol::RestJson => quote!(RestJson1),
        Protocol::RpcV2Cbor => quote!(RpcV2Cbor),
    };
    quote! {
        //! The service's wire constants and one marker type per operation.

        #[doc = #service_doc]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Service;

        impl #rt::operation::Service for Service {
            const PROTOCOL: #rt::protocol::Protocol = #rt::protocol::Protocol::#protocol;
            const SERVICE_ID: &'static str = #service_id;
            const TARGET_PREFIX: &'static str = #target_prefix;
            const CONTENT_TYPE: &'static str = #content_type;
            const SIGNING_NAME: &'static str = #signing_name;
            const ENDPOINT_PREFIX: &'static str = #endpoint_prefix;
            const API_VERSION: &'static str = #api_version;
            #query_compatible
            #endpoint_rules
            #operation_endpoint_params
        }

        #(#ops)*
    }
}

/// `endpoint_params` for an operation that sets endpoint rule-set parameters: constants and
/// what its input holds at each path (`crate::context_params`).
fn endpoint_params_fn(op: &Operation) -> TokenStream {
    if op.endpoint_params.is_empty() {
        return quote!();
    }
    let rt = rt();
    let value = quote!(#rt::endpoint::Value);
    let uses_input = op
        .endpoint_params
        .iter()
        .any(|p| matches!(p.source, ParamSource::Input { .. }));
    let input = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    // botocore tries static, then member, then path, and takes the first that is set: the
    // emitted code sets them in the reverse order, each replacing what came before.
    let mut params: Vec<&EndpointParam> = op.endpoint_params.iter().collect();
    params.reverse();
    let sets = params.into_iter().map(|p| {
        let name = &p.name;
        match &p.source {
            ParamSource::Static(v) => {
                let v = match v {
                    StaticValue::Bool(b) => quote!(#value::Bool(#b)),
                    StaticValue::String(s) => quote!(#value::String(#s.to_owned())),
                    StaticValue::Strings(items) => {
                        quote!(#value::Array(vec![#(#value::String(#items.to_owned())),*]))
                    }
                };
                quote!(params.insert(#name.to_owned(), #v);)
            }
            ParamSource::Input {
                steps,
                terminal,
                many,
            } => {
                let leaf_value = |v: &proc_macro2::Ident| match terminal {
                    Terminal::String => quote!(#value::String(#v.clone())),
                    Terminal::Enum => quote!(#value::String(#v.as_str().to_owned())),
                    Terminal::Bool => quote!(#value::Bool(*#v)),
                };
                let root = quote::format_ident!("v0");
                if *many {
                    let walk = path_code(steps, &root, 0, &|v| {
                        let x = leaf_value(v);
                        quote!(found.push(#x);)
                    });
                    quote! {
                        {
                            let v0 = input;
                            let mut found = Vec::new();
                            #walk
                            params.insert(#name.to_owned(), #value::Array(found));
                        }
                    }
                } else {
                    let walk = path_code(steps, &root, 0, &|v| {
                        let x = leaf_value(v);
                        quote!(params.insert(#name.to_owned(), #x);)
                    });
                    quote! {
                        {
                            let v0 = input;
                            #walk
                        }
                    }
                }
            }
        }
    });
    quote! {
        const ENDPOINT_PARAMS: bool = true;
        #[inline]
        fn endpoint_params(#input: &Self::Input, params: &mut #rt::endpoint::Params) {
            #(#sets)*
        }
    }
}

/// Code that runs `leaf` on every value `steps` reach from `var`.
fn path_code(
    steps: &[PathStep],
    var: &proc_macro2::Ident,
    depth: usize,
    leaf: &dyn Fn(&proc_macro2::Ident) -> TokenStream,
) -> TokenStream {
    let Some((first, rest)) = steps.split_first() else {
        return leaf(var);
    };
    let next = quote::format_ident!("v{}", depth + 1);
    match first {
        PathStep::Member { field, required } => {
            let f = ident(field);
            let inner = path_code(rest, &next, depth + 1, leaf);
            if *required {
                quote!({ let #next = &#var.#f; #inner })
            } else {
                quote!(if let Some(#next) = &#var.#f { #inner })
            }
        }
        PathStep::Each => {
            let inner = path_code(rest, &next, depth + 1, leaf);
            quote!(for #next in #var.iter() { #inner })
        }
        PathStep::Keys => {
            let inner = path_code(rest, &next, depth + 1, leaf);
            quote!(for #next in #var.keys() { #inner })
        }
        PathStep::Select(branches) => {
            let parts = branches.iter().map(|b| path_code(b, var, depth, leaf));
            quote!(#(#parts)*)
        }
    }
}

/// `host_prefix` for an operation with an endpoint trait: the template with each label replaced by
/// the input member's value, which must be a valid host label.
fn host_prefix_fn(svc: &Service, op: &Operation, h: &HostPrefix) -> TokenStream {
    let rt = rt();
    let input = op.input.as_ref().and_then(|i| svc.shape(i));
    let members: Vec<&Member> = match input.map(|s| &s.kind) {
        Some(ShapeKind::Structure(st)) => st.members.iter().collect(),
        _ => Vec::new(),
    };
    let mut fmt = h.template.clone();
    let mut args = Vec::new();
    for label in &h.labels {
        let Some(m) = members.iter().find(|m| &m.wire_name == label) else {
            continue;
        };
        let f = ident(&m.field);
        fmt = fmt.replacen(&format!("{{{label}}}"), "{}", 1);
        let value = if m.required {
            quote!(&input.#f)
        } else {
            let missing = format!("host label {label} is not set");
            quote!(input.#f.as_deref().ok_or_else(|| ::std::string::String::from(#missing))?)
        };
        args.push(quote!(#rt::operation::host_label(#label, #value)?));
    }
    let fmt = fmt
        .replace('{', "{{")
        .replace('}', "}}")
        .replace("{{}}", "{}");
    quote! {
        #[inline]
        fn host_prefix(input: &Self::Input) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String> {
            let _ = input;
            ::std::result::Result::Ok(::std::option::Option::Some(format!(#fmt, #(#args),*)))
        }
    }
}
