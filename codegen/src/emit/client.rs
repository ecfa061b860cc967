//! The client crate: a `Client` with one method per operation returning a fluent call builder
//! (`client.get_id().identity_pool_id(..).send().await`), paginators as streams, and the
//! runtime's configuration and error types re-exported. All HTTP work is the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, doc_attrs, rt, types_crate, Ctx};
use crate::ir::*;
use crate::naming::ident;

pub fn lib(svc: &Service) -> TokenStream {
    let types = types_crate(&svc.crates);
    let title = format!(
        " Client for {} (API version {}), generated from its AWS service model.",
        svc.full_name, svc.api_version
    );
    let docs = super::inner_doc_attrs(&svc.docs);
    let lib = ident(&crate::naming::CrateNames::lib(&svc.crates.client));
    let example_op = svc
        .operations
        .values()
        .find(|o| o.paginator.is_some())
        .or_else(|| svc.operations.values().next());
    let example = example_op.map(|op| {
        let m = &op.method;
        format!(
            " let client = {lib}::Client::new(\n     {lib}::Config::builder()\n         .region(\"us-east-1\")\n         .credentials_provider({lib}::Credentials::from_keys(\"AKID\", \"SECRET\", None))\n         .build()?,\n )?;\n let output = client.{m}()\n     // .member(value) for each input member\n     .send()\n     .await?;"
        )
    });
    let example_lines: Vec<String> = example
        .map(|e| e.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let ops: Vec<String> = svc
        .operations
        .values()
        .map(|op| {
            let pag = if op.paginator.is_some() {
                ", paginated"
            } else {
                ""
            };
            let auth = if op.auth == Auth::None {
                ", unsigned"
            } else {
                ""
            };
            format!(
                " - [`Client::{}`] (`{}`{auth}{pag})",
                op.method, op.wire_name
            )
        })
        .collect();
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " # Calling an operation"]
        #![doc = ""]
        #![doc = " Each operation is a method of [`Client`] that returns a call builder: set the input's"]
        #![doc = " members with methods named after them, then `send().await`. A required member that was"]
        #![doc = " not set is reported, with every other missing one, before anything is sent. The input"]
        #![doc = " value itself can be sent too: `client.runtime().invoke::<operation::X>(input)`."]
        #![doc = ""]
        #![doc = " ```ignore"]
        #(#![doc = #example_lines])*
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " # Errors"]
        #![doc = ""]
        #![doc = " A call returns [`Error`]: `Build` (nothing was sent), `Credentials`, `Dispatch` (I/O,"]
        #![doc = " connection, timeout), `Response` (an unreadable response) or `Service`, which holds the"]
        #![doc = " operation's own error enum, so a modelled error is one pattern away:"]
        #![doc = " `Err(Error::Service { error: XError::SomeException(e), .. })`."]
        #![doc = ""]
        #![doc = " # Configuration"]
        #![doc = ""]
        #![doc = " [`Config::builder`] sets region, endpoint, credentials (any `aws-credential-types`"]
        #![doc = " provider), retries and timeouts; [`ConfigBuilder::from_env`] reads `AWS_REGION`,"]
        #![doc = " `AWS_ENDPOINT_URL[_<SERVICE>]`, the credential variables and the shared profile files."]
        #![doc = " The HTTP transport can be replaced by any `tower::Service` ([`transport::from_tower`])."]
        #![doc = ""]
        #![doc = " # Operations"]
        #![doc = ""]
        #(#![doc = #ops])*
        #![doc = ""]
        #docs
        #![allow(deprecated, clippy::needless_lifetimes)]

        #[rustfmt::skip]
        pub use #types::{error, operation, types};
        #[rustfmt::skip]
        pub use ::awsgen_rt::client::{
            transport, AccountIdEndpointMode, Config, ConfigBuilder, ConfigError, Credentials, Error, ProvideCredentials, RetryConfig,
            TimeoutConfig,
        };
        #[rustfmt::skip]
        pub use ::awsgen_rt::client::{ItemStream, PageStream};
        #[rustfmt::skip]
        pub use ::awsgen_rt::ByteStream;

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod fluent;

        #[rustfmt::skip]
        pub use client::Client;
    }
}

fn io_type(svc: &Service, shape: &Option<String>) -> TokenStream {
    match shape.as_ref().and_then(|s| svc.shape(s)) {
        Some(s) => {
            let n = ident(&s.rust_name);
            quote!(crate::types::#n)
        }
        None => quote!(()),
    }
}

pub fn client(svc: &Service) -> TokenStream {
    let rt = rt();
    let doc = format!(
        " A client for {}. Cheap to clone: clones share connections and caches.",
        svc.full_name
    );
    let methods = svc.operations.values().map(|op| {
        let m = ident(&op.method);
        let t = ident(&op.type_name);
        let docs = doc_attrs(&op.docs);
        let dep = deprecated_attr(&op.deprecated);
        quote! {
            #docs
            #dep
            pub fn #m(&self) -> crate::fluent::#t {
                crate::fluent::#t::from_client(self.inner.clone())
            }
        }
    });
    quote! {
        //! The client.

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: #rt::client::Client<crate::operation::Service>,
        }

        impl Client {
            /// A client with this configuration. Fails, never panics, when the configuration gives no
            /// usable endpoint (no region, a malformed endpoint URL, settings the service's endpoint
            /// rules refuse, such as FIPS where the partition has none) or TLS cannot be set up.
            pub fn new(config: crate::Config) -> Result<Self, crate::ConfigError> {
                Ok(Client { inner: #rt::client::Client::new(config)? })
            }

            /// A client configured from the environment and the shared AWS config files.
            pub fn from_env() -> Result<Self, crate::ConfigError> {
                Self::new(crate::ConfigBuilder::from_env().build()?)
            }

            /// The runtime client, for sending input values: `invoke::<operation::X>(input)`.
            pub fn runtime(&self) -> &#rt::client::Client<crate::operation::Service> {
                &self.inner
            }

            #(#methods)*
        }
    }
}

pub fn fluent(svc: &Service) -> TokenStream {
    let cx = Ctx { svc };
    let rt = rt();
    let items = svc.operations.values().map(|op| {
        let t = ident(&op.type_name);
        let op_path = quote!(crate::operation::#t);
        let error = ident(&op.error_enum);
        let output = io_type(svc, &op.output);
        let doc = format!(" A call of `{}`: set the input's members, then [`send`](Self::send).", op.wire_name);
        let input_shape = op.input.as_ref().and_then(|s| svc.shape(s));
        let structure = input_shape.and_then(|s| match &s.kind {
            ShapeKind::Structure(st) => Some((s, st)),
            _ => None,
        });
        let (field, init, setters, build) = match structure {
            Some((s, st)) => {
                let builder = quote::format_ident!("{}Builder", s.rust_name);
                let setters = st.members.iter().map(|m| {
                    let f = ident(&m.setter);
                    let set = ident(&m.opt_setter);
                    let docs = doc_attrs(&m.docs);
                    let dep = deprecated_attr(&m.deprecated);
                    let ty = cx.rust_type(&m.target);
                    let member_t = cx.member_type(m);
                    let set_doc = format!(" Sets or clears [`{0}`](Self::{0}).", m.setter);
                    quote! {
                        #docs
                        #dep
                        pub fn #f(mut self, value: impl Into<#ty>) -> Self {
                            self.input = self.input.#f(value);
                            self
                        }

                        #[doc = #set_doc]
                        #dep
                        pub fn #set(mut self, value: Option<#member_t>) -> Self {
                            self.input = self.input.#set(value);
                            self
                        }
                    }
                });
                (
                    quote!(input: crate::types::builders::#builder,),
                    quote!(input: ::std::default::Default::default(),),
                    quote!(#(#setters)*),
                    quote!(self.input.build().map_err(|e| #rt::client::Error::Build(e.into()))),
                )
            }
            None => (quote!(), quote!(), quote!(), quote!()),
        };
        let send_body = if structure.is_some() {
            quote! {
                let input = #build?;
                self.client.invoke::<#op_path>(input).await
            }
        } else {
            quote!(self.client.invoke::<#op_path>(()).await)
        };
        let paginator = op.paginator.as_ref().filter(|_| structure.is_some()).and_then(|p| paginator(&cx, op, p, &build));
        // A call that holds a stream cannot be copied.
        let derive = if structure.is_some_and(|(_, st)| st.streaming().is_some()) {
            quote!(#[derive(Debug)])
        } else {
            quote!(#[derive(Clone, Debug)])
        };
        quote! {
            #[doc = #doc]
            #derive
            pub struct #t {
                client: #rt::client::Client<crate::operation::Service>,
                #field
            }

            impl #t {
                pub(crate) fn from_client(client: #rt::client::Client<crate::operation::Service>) -> Self {
                    #t { client, #init }
                }

                #setters

                /// Sends the call. A required member left unset fails here, naming every one, before
                /// anything is sent.
                pub async fn send(self) -> Result<#output, #rt::client::Error<crate::error::#error>> {
                    #send_body
                }

                #paginator
            }
        }
    });
    quote! {
        //! Call builders, one per operation.

        #(#items)*
    }
}

fn member<'a>(svc: &'a Service, shape: &Option<String>, wire: &str) -> Option<&'a Member> {
    match &svc.shape(shape.as_deref()?)?.kind {
        ShapeKind::Structure(st) => st.members.iter().find(|m| m.wire_name == wire),
        _ => None,
    }
}

fn paginator(
    cx: &Ctx<'_>,
    op: &Operation,
    p: &Paginator,
    build: &TokenStream,
) -> Option<TokenStream> {
    let rt = rt();
    let svc = cx.svc;
    let t = ident(&op.type_name);
    let op_path = quote!(crate::operation::#t);
    let input_token = member(svc, &op.input, &p.input_token)?;
    let output_token = member(svc, &op.output, &p.output_token)?;
    let string_token = |m: &Member| {
        matches!(
            svc.shape(&m.target).map(|s| &s.kind),
            Some(ShapeKind::String(_))
        )
    };
    if !string_token(input_token) || !string_token(output_token) {
        return None;
    }
    let in_f = ident(&input_token.field);
    let set = if input_token.required {
        quote!(|input, token| input.#in_f = token)
    } else {
        quote!(|input, token| input.#in_f = Some(token))
    };
    let out_f = ident(&output_token.field);
    let get = if output_token.required {
        quote!(|output| Some(output.#out_f.as_str()))
    } else {
        quote!(|output| output.#out_f.as_deref())
    };
    let items = p.items.as_ref().and_then(|w| member(svc, &op.output, w)).and_then(|m| {
        let ShapeKind::List(list) = &svc.shape(&m.target)?.kind else {
            return None;
        };
        let item = cx.rust_type(&list.member);
        let f = ident(&m.field);
        let take = if m.required { quote!(|output| output.#f) } else { quote!(|output| output.#f.unwrap_or_default()) };
        let doc = format!(" Every `{}` item of every page, as a stream; it ends after the last page or at the first error.", m.wire_name);
        Some(quote! {
            #[doc = #doc]
            pub fn items(self) -> #rt::client::ItemStream<#op_path, #item> {
                self.pages().items(#take)
            }
        })
    });
    let page_size = p
        .page_size
        .as_ref()
        .and_then(|w| member(svc, &op.input, w))
        .map(|m| {
            let doc = format!(" The page size is set with [`{0}`](Self::{0}).", m.setter);
            quote!(#[doc = ""] #[doc = #doc])
        });
    Some(quote! {
        /// Every page, as a stream: each page's next token is sent for the next page; the stream ends
        /// when there is none (or it repeats) or after the first error.
        #page_size
        pub fn pages(self) -> #rt::client::PageStream<#op_path> {
            let pagination = #rt::client::paginate::Pagination::<#op_path> {
                set_token: #set,
                next_token: #get,
            };
            match #build {
                Ok(input) => #rt::client::PageStream::new(self.client, input, pagination),
                Err(e) => #rt::client::PageStream::failed(e, pagination),
            }
        }

        #items
    })
}
