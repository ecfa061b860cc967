//! The HTTP client every generated client crate is a thin typed layer over: endpoint and
//! credentials resolution, each protocol's framing, streamed bodies, SigV4, retries, timeouts,
//! paginators and tracing.
//!
//! Generic over the service ([`Service`]) and the operation ([`Operation`]): generated code only
//! says which operation it calls with which input.

mod config;
mod connection;
pub mod credentials;
mod endpoints;
mod error;
pub mod paginate;
pub mod protocol;
mod retry;
pub mod sign;
pub mod transport;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
pub use http;
use tracing::Instrument;

pub use aws_credential_types::provider::ProvideCredentials;
pub use aws_credential_types::Credentials;
pub use config::{
    AccountIdEndpointMode, Config, ConfigBuilder, ConfigError, RetryConfig, TimeoutConfig,
};
pub use error::{
    BuildFailure, CredentialsFailure, DispatchError, DispatchKind, Error, ResponseError,
};
pub use paginate::{ItemStream, PageStream};
pub use protocol::Endpoint;
pub use transport::{SharedTransport, Transport, TransportError};

use crate::operation::{Auth, Operation, Service};
use crate::ByteStream;
use retry::{Attempt, RetryDecision};

/// A client for service `S`: cheap to clone, shares its connection pool and caches.
pub struct Client<S> {
    inner: Arc<Inner>,
    _service: PhantomData<fn() -> S>,
}

struct Inner {
    config: Config,
    /// The endpoint every call goes to, unless it resolves its own (see
    /// `Inner::resolves_per_call`); `None` when only a call's credentials can resolve it
    /// (account-id endpoints required).
    endpoint: Option<Endpoint>,
    /// For calls that resolve their own endpoint (see `Inner::resolves_per_call`).
    resolver: Option<endpoints::Resolver>,
    /// The model's signing name, for a call whose endpoint names no other.
    signing_name: &'static str,
    transport: SharedTransport,
    signer: sign::Signer,
}

impl<S> Clone for Client<S> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            _service: PhantomData,
        }
    }
}

impl<S: Service> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &S::SERVICE_ID)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl<S: Service> Client<S> {
    /// Builds a client from a configuration. Fails (never panics) when the configuration does not
    /// give a usable endpoint (the service's endpoint rule set resolves it from the region,
    /// FIPS, dual-stack and endpoint URL settings; its errors come back here, before anything
    /// is sent) or the default HTTPS transport cannot be set up.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        let (endpoint, resolver) = endpoints::resolve::<S>(&config)?;
        let transport = match config.transport.clone() {
            Some(t) => t,
            None => {
                transport::default_transport(&config.timeouts, &config.tls_roots, &config.resolve)?
            }
        };
        // The endpoint's auth scheme may name another signing name or region (global services
        // sign for us-east-1, say).
        let signer = sign::Signer::new(
            endpoint
                .as_ref()
                .and_then(Endpoint::signing_name)
                .unwrap_or(S::SIGNING_NAME),
            endpoint
                .as_ref()
                .and_then(Endpoint::signing_region)
                .or(config.region.as_deref())
                .unwrap_or_default()
                .to_owned(),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                endpoint,
                resolver,
                signing_name: S::SIGNING_NAME,
                transport,
                signer,
            }),
            _service: PhantomData,
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint resolved when the client was built, which calls go to unless they resolve
    /// their own (an operation that sets endpoint parameters, a rule set that takes the
    /// credentials' account id); `None` when only a call can resolve it (account-id endpoints
    /// `required`, where the account id comes with the credentials).
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// Calls operation `O` with `input`: signs it if the operation needs it, retries what is worth
    /// retrying, and returns the typed output or a typed error.
    pub async fn invoke<O: Operation<Service = S>>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, Error<O::Error>> {
        let span = tracing::debug_span!(
            "awsgen.call",
            service = S::SERVICE_ID,
            operation = O::NAME,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        // Instrumented first, then timed if a limit is set: one `Instrumented` future whichever
        // way, so that the call's state machine is compiled into one poll function, not two.
        let call = self.call::<O>(input, span.clone()).instrument(span);
        match self.inner.config.timeouts.operation {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(r) => r,
                Err(_) => Err(Error::Dispatch(DispatchError::timeout(
                    "the whole call",
                    limit,
                ))),
            },
            None => call.await,
        }
    }

    async fn call<O: Operation<Service = S>>(
        &self,
        mut input: O::Input,
        span: tracing::Span,
    ) -> Result<O::Output, Error<O::Error>> {
        let inner = &*self.inner;
        // A call that resolves its own endpoint: an operation with endpoint parameters, a rule
        // set that takes the credentials' account id, a client without an endpoint of its own.
        // Only `endpoint_params` depends on the operation; the rest is `Inner`'s, compiled once.
        let per_call = match inner.resolves_per_call(O::ENDPOINT_PARAMS, O::AUTH) {
            None => None,
            Some(with_account) => {
                let account_id = match with_account {
                    true => inner.account_id().await,
                    false => None,
                };
                let mut params = inner.call_params(account_id);
                O::endpoint_params(&input, &mut params);
                Some(inner.call_endpoint(params).map_err(|e| {
                    Error::Build(BuildFailure::new(format!("{}: {e}", O::NAME), None))
                })?)
            }
        };
        let (endpoint, signer) = match (&per_call, &inner.endpoint) {
            (Some(c), _) => (&c.endpoint, c.signer.as_ref().unwrap_or(&inner.signer)),
            (None, Some(e)) => (e, &inner.signer),
            (None, None) => {
                return Err(Error::Build(BuildFailure::new(
                    format!("{}: no endpoint", O::NAME),
                    None,
                )))
            }
        };
        let payload = O::take_payload(&mut input);
        let mut request =
            protocol::encode_request::<O>(&input, payload, endpoint).map_err(Error::Build)?;
        drop(input);
        let retry = &inner.config.retry;
        let mut attempt = Attempt::new(retry);
        loop {
            let n = attempt.number();
            span.record("attempts", n);
            // The last attempt sends the request itself; an earlier one a copy. Either's header
            // map has room for the signer's headers (see `protocol::encode_request`). A body
            // that cannot be read twice (a caller's stream) makes this attempt the last.
            let copy = match attempt.is_last() {
                true => None,
                false => protocol::copy_request(&request),
            };
            let mut req = match copy {
                Some(copy) => copy,
                None => {
                    attempt.make_last();
                    std::mem::take(&mut request)
                }
            };
            if O::AUTH == Auth::SigV4 {
                let creds = match &inner.config.credentials {
                    Some(p) => p
                        .provide_credentials()
                        .await
                        .map_err(|e| Error::Credentials(CredentialsFailure::new(e)))?,
                    None => return Err(Error::Credentials(CredentialsFailure::missing(O::NAME))),
                };
                signer.sign(
                    &mut req,
                    O::UNSIGNED_PAYLOAD,
                    &creds,
                    std::time::SystemTime::now(),
                );
            }
            let started = Instant::now();
            // The response's head, and its whole body unless it is a streaming payload (which
            // the caller reads, after the attempt).
            let exchange = async {
                let resp = inner.transport.send(req).await?;
                let (parts, body) = resp.into_parts();
                if O::STREAMING_OUTPUT && parts.status.is_success() {
                    return Ok((parts, Received::Stream(body)));
                }
                let body = transport::collect(body).await?;
                Ok::<_, TransportError>((parts, Received::Whole(body)))
            };
            let sent = match inner.config.timeouts.attempt {
                Some(limit) => match tokio::time::timeout(limit, exchange).await {
                    Ok(r) => r,
                    Err(_) => Err(TransportError::timeout(limit)),
                },
                None => exchange.await,
            };
            let outcome = match sent {
                Ok((parts, body)) => {
                    let status = parts.status.as_u16();
                    let request_id = protocol::request_id(&parts.headers);
                    span.record("status", status);
                    if let Some(id) = &request_id {
                        span.record("request_id", id.as_str());
                    }
                    tracing::debug!(
                        attempt = n,
                        status,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "response"
                    );
                    match body {
                        Received::Whole(body) => {
                            protocol::decode_response::<O>(status, &parts.headers, &body)
                        }
                        Received::Stream(body) => {
                            let body = match inner.config.timeouts.attempt {
                                Some(limit) => transport::idle_timeout(body, limit),
                                None => body,
                            };
                            protocol::decode_stream_output::<O>(status, &parts.headers, body)
                        }
                    }
                }
                Err(e) => {
                    tracing::debug!(attempt = n, error = %e, "dispatch failed");
                    Err(Error::Dispatch(e.into_dispatch()))
                }
            };
            match attempt.decide(&outcome) {
                RetryDecision::Done => return outcome,
                RetryDecision::RetryAfter(delay) => {
                    tracing::debug!(attempt = n, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

/// A response's body as the client received it.
enum Received {
    /// Read whole, for the output's decoder or the error's.
    Whole(Bytes),
    /// A successful response's streaming payload, for the caller to read.
    Stream(ByteStream),
}

/// The endpoint of one call that resolves its own, and a signer for it when its auth scheme
/// names another signing name or region than the client's.
struct CallEndpoint {
    endpoint: Endpoint,
    signer: Option<sign::Signer>,
}

impl Inner {
    /// Whether a call of an operation with (`operation_params`) or without endpoint parameters of
    /// its own resolves its endpoint, and if so whether with the credentials' account id.
    fn resolves_per_call(&self, operation_params: bool, auth: Auth) -> Option<bool> {
        let resolver = self.resolver.as_ref()?;
        let account = resolver.account_id_param().is_some() && auth == Auth::SigV4;
        (operation_params || account || self.endpoint.is_none()).then_some(account)
    }

    /// The account id of the credentials, if they carry one. A provider that fails here fails
    /// again, and is reported, when the call signs.
    async fn account_id(&self) -> Option<String> {
        let provider = self.config.credentials.as_ref()?;
        let credentials = provider.provide_credentials().await.ok()?;
        credentials.account_id().map(|a| a.as_str().to_owned())
    }

    /// The configuration's endpoint parameters, with the account id where the rules take one.
    fn call_params(&self, account_id: Option<String>) -> crate::endpoint::Params {
        match &self.resolver {
            Some(r) => r.params(account_id),
            None => crate::endpoint::Params::new(),
        }
    }

    fn call_endpoint(&self, params: crate::endpoint::Params) -> Result<CallEndpoint, String> {
        let resolver = self.resolver.as_ref().ok_or("no endpoint rule set")?;
        let endpoint = resolver.resolve(params)?;
        let same_scope = self.endpoint.as_ref().is_some_and(|base| {
            endpoint.signing_name() == base.signing_name()
                && endpoint.signing_region() == base.signing_region()
        });
        let signer = (!same_scope).then(|| {
            sign::Signer::new(
                endpoint.signing_name().unwrap_or(self.signing_name),
                endpoint
                    .signing_region()
                    .or(self.config.region.as_deref())
                    .unwrap_or_default()
                    .to_owned(),
            )
        });
        Ok(CallEndpoint { endpoint, signer })
    }
}

/// The body of a request or response.
pub type Body = ByteStream;
