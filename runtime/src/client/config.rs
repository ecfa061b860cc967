//! Client configuration: region, endpoint, credentials, retries, timeouts and transport.
//! Building a configuration or a client never panics: what is wrong comes back as a
//! [`ConfigError`] that says what to fix.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::ProvideCredentials;

use super::credentials::{self, Cached};
use super::protocol::Endpoint;
use super::transport::SharedTransport;
use crate::operation::Service;

/// A configuration problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Retries: standard mode. Attempts include the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles after each, with full jitter.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl RetryConfig {
    /// Three attempts, 1 s initial backoff, 20 s at most.
    pub fn standard() -> RetryConfig {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt only.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::standard()
        }
    }

    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

/// Timeouts. `None` means no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a connection (TCP and TLS). Default 3.1 s.
    pub connect: Option<Duration>,
    /// One attempt, from sending to the whole response read. Default none.
    pub attempt: Option<Duration>,
    /// The whole call, retries and backoff included. Default none.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            operation: None,
        }
    }
}

/// The configuration of a client.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) env_endpoints: Option<BTreeMap<String, String>>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<SharedTransport>,
    /// Extra trusted root certificates (DER), beside the webpki roots.
    pub(crate) tls_roots: Vec<Vec<u8>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "provider"),
            )
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The endpoint for service `S`: the configured URL; else, for a configuration loaded from
    /// the environment, `AWS_ENDPOINT_URL_<SERVICE>` then `AWS_ENDPOINT_URL`; else the regional
    /// default `https://<prefix>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China).
    pub fn resolve_endpoint<S: Service>(&self) -> Result<Endpoint, ConfigError> {
        let region = self
            .region
            .as_deref()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                ConfigError::new("no region: set one, or AWS_REGION / a profile region")
            })?;
        if !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(ConfigError::new(format!(
                "region {region:?} is not a valid region name"
            )));
        }
        let from_env = self.env_endpoints.as_ref().and_then(|env| {
            let key = format!("AWS_ENDPOINT_URL_{}", env_service_name(S::SERVICE_ID));
            env.get(&key)
                .or_else(|| env.get("AWS_ENDPOINT_URL"))
                .cloned()
        });
        let url = match self.endpoint_url.clone().or(from_env) {
            Some(u) => u,
            None => {
                let suffix = if region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                format!("https://{}.{region}.{suffix}", S::ENDPOINT_PREFIX)
            }
        };
        Endpoint::parse(&url).map_err(ConfigError::new)
    }
}

/// `Cognito Identity` → `COGNITO_IDENTITY`, as the endpoint environment variables name services.
pub fn env_service_name(service_id: &str) -> String {
    service_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    env_endpoints: Option<BTreeMap<String, String>>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    transport: Option<SharedTransport>,
    tls_roots: Vec<Vec<u8>>,
}

impl ConfigBuilder {
    /// Region, endpoint and credentials from the process environment and the shared
    /// `~/.aws/config` and `~/.aws/credentials` files (`AWS_PROFILE` picks the profile).
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::from_env_vars(std::env::vars().collect())
    }

    /// As [`from_env`](Self::from_env), with the given variables instead of the process's.
    pub fn from_env_vars(env: BTreeMap<String, String>) -> ConfigBuilder {
        let profile = credentials::load_profile(&env);
        let region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|k| env.get(*k).filter(|v| !v.is_empty()).cloned())
            .or_else(|| profile.as_ref().and_then(|p| p.get("region").cloned()));
        let chain = credentials::DefaultChain::new(env.clone());
        ConfigBuilder {
            region,
            env_endpoints: Some(env),
            credentials: Some(Arc::new(Cached::new(chain))),
            ..ConfigBuilder::default()
        }
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this URL (`http://127.0.0.1:4566`, say) instead of the regional
    /// endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Any credentials provider (static [`Credentials`](aws_credential_types::Credentials), or
    /// one from `aws-config`). Its credentials are cached until shortly before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(Cached::new(provider)));
        self
    }

    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Trusts one more root certificate (DER) for HTTPS, beside the webpki roots: a private CA,
    /// or a local endpoint's self-signed certificate authority. Checked when the client is built.
    pub fn tls_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.tls_roots.push(der.into());
        self
    }

    /// Replaces the HTTP transport (see [`transport`](super::transport)).
    pub fn transport(mut self, transport: SharedTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Checks and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(ConfigError::new(
                "max_attempts must be at least 1 (1 turns retries off)",
            ));
        }
        if retry.initial_backoff > retry.max_backoff {
            return Err(ConfigError::new(
                "initial_backoff must not exceed max_backoff",
            ));
        }
        let timeouts = self.timeouts.unwrap_or_default();
        for (name, t) in [
            ("connect", timeouts.connect),
            ("attempt", timeouts.attempt),
            ("operation", timeouts.operation),
        ] {
            if t == Some(Duration::ZERO) {
                return Err(ConfigError::new(format!(
                    "{name} timeout must not be zero (use None for no limit)"
                )));
            }
        }
        if let Some(url) = &self.endpoint_url {
            Endpoint::parse(url).map_err(ConfigError::new)?;
        }
        Ok(Config {
            region: self.region,
            endpoint_url: self.endpoint_url,
            env_endpoints: self.env_endpoints,
            credentials: self.credentials,
            retry,
            timeouts,
            transport: self.transport,
            tls_roots: self.tls_roots,
        })
    }
}
