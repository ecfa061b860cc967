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
    /// One attempt, from sending to the whole response read. A streaming output is handed to
    /// the caller once its head has arrived: this limit then applies to each wait for its next
    /// chunk while the caller reads it. Default none.
    pub attempt: Option<Duration>,
    /// The whole call, retries and backoff included, up to the output (a streaming output's
    /// body is read after the call, under the attempt limit). Default none.
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

/// Whether requests go to an endpoint with the caller's account id in it (DynamoDB's
/// `https://<account>.ddb.<region>.amazonaws.com`), where the service's rule set offers one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountIdEndpointMode {
    /// Use one when the account id is known (the default of the rule sets that have it).
    Preferred,
    /// Never.
    Disabled,
    /// Always; an error when the account id is not known.
    Required,
}

impl AccountIdEndpointMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }

    fn parse(value: &str, setting: &str) -> Result<AccountIdEndpointMode, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(format!(
                "{setting} must be preferred, disabled or required, not {value:?}"
            )),
        }
    }
}

/// Endpoint URLs configured outside the code, by [`ConfigBuilder::from_env`]: the environment's
/// `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`, the profile's `services` section and its
/// `endpoint_url`; all left empty when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is true.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfiguredEndpoints {
    /// `AWS_ENDPOINT_URL` and every `AWS_ENDPOINT_URL_<SERVICE>`, by variable name.
    env: BTreeMap<String, String>,
    /// The profile's `services` section, `service_key.setting` → value.
    services: BTreeMap<String, String>,
    /// The profile's own `endpoint_url`.
    profile: Option<String>,
}

impl ConfiguredEndpoints {
    /// botocore's order (`configprovider.py`, `ConfiguredEndpointProvider`): the service's
    /// variable, the global variable, the service's entry in the `services` section, the
    /// profile's `endpoint_url`.
    fn url_for(&self, service_id: &str) -> Option<&str> {
        let env_key = format!("AWS_ENDPOINT_URL_{}", env_service_name(service_id));
        let section_key = format!("{}.endpoint_url", config_service_key(service_id));
        [
            self.env.get(&env_key),
            self.env.get("AWS_ENDPOINT_URL"),
            self.services.get(&section_key),
            self.profile.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|u| !u.is_empty())
    }
}

/// The configuration of a client.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) configured_endpoints: ConfiguredEndpoints,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// Endpoint rule-set parameters set by name (the model's `clientContextParams`).
    pub(crate) endpoint_params: crate::endpoint::Params,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<SharedTransport>,
    /// Extra trusted root certificates (DER), beside the webpki roots.
    pub(crate) tls_roots: Vec<Vec<u8>>,
    /// Host names the default transport connects to at a given address instead of looking up.
    pub(crate) resolve: Vec<(String, std::net::SocketAddr)>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("endpoint_params", &self.endpoint_params)
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

    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    pub fn account_id_endpoint_mode(&self) -> Option<AccountIdEndpointMode> {
        self.account_id_endpoint_mode
    }

    /// The endpoint URL set for the service with `service_id`: in the code
    /// ([`ConfigBuilder::endpoint_url`]), else outside it (see [`ConfigBuilder::from_env`]). The
    /// rule set is given it as `SDK::Endpoint`.
    pub fn endpoint_url_for(&self, service_id: &str) -> Option<&str> {
        self.endpoint_url
            .as_deref()
            .or_else(|| self.configured_endpoints.url_for(service_id))
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

/// `Cognito Identity` → `cognito_identity`, as the shared config file's `services` sections name
/// services.
pub fn config_service_key(service_id: &str) -> String {
    env_service_name(service_id).to_ascii_lowercase()
}

/// `true` or `false`, in any case, as AWS SDKs read boolean settings; anything else is refused.
fn parse_bool(value: &str, setting: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{setting} must be true or false, not {value:?}")),
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    configured_endpoints: ConfiguredEndpoints,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    endpoint_params: crate::endpoint::Params,
    /// Settings from the environment or profile that could not be read; `build` reports them.
    problems: Vec<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    transport: Option<SharedTransport>,
    tls_roots: Vec<Vec<u8>>,
    resolve: Vec<(String, std::net::SocketAddr)>,
}

impl ConfigBuilder {
    /// Region, endpoints and credentials from the process environment and the shared
    /// `~/.aws/config` and `~/.aws/credentials` files (`AWS_PROFILE` picks the profile), each
    /// setting from its variable first, then the profile: `AWS_REGION` / `AWS_DEFAULT_REGION` /
    /// `region`, `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` /
    /// `use_dualstack_endpoint`, `AWS_ACCOUNT_ID_ENDPOINT_MODE` / `account_id_endpoint_mode`, and
    /// endpoint URLs (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services`
    /// section, its `endpoint_url`; none of them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or
    /// `ignore_configured_endpoint_urls` is true). What the code sets afterwards wins.
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::from_env_vars(std::env::vars().collect())
    }

    /// As [`from_env`](Self::from_env), with the given variables instead of the process's.
    pub fn from_env_vars(env: BTreeMap<String, String>) -> ConfigBuilder {
        let profile = credentials::load_profile(&env).unwrap_or_default();
        let setting = |var: &str, key: &str| -> Option<(String, String)> {
            match env.get(var).filter(|v| !v.is_empty()) {
                Some(v) => Some((v.clone(), var.to_owned())),
                None => profile
                    .get(key)
                    .filter(|v| !v.is_empty())
                    .map(|v| (v.clone(), format!("profile setting {key}"))),
            }
        };
        let mut problems = Vec::new();
        let mut flag = |var: &str, key: &str| {
            setting(var, key).and_then(|(v, from)| match parse_bool(&v, &from) {
                Ok(b) => Some(b),
                Err(e) => {
                    problems.push(e);
                    None
                }
            })
        };
        let use_fips = flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
        let use_dual_stack = flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
        let ignore_urls = flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )
        .unwrap_or(false);
        let account_id_endpoint_mode =
            setting("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode").and_then(
                |(v, from)| match AccountIdEndpointMode::parse(&v, &from) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        problems.push(e);
                        None
                    }
                },
            );
        let configured_endpoints = if ignore_urls {
            ConfiguredEndpoints::default()
        } else {
            ConfiguredEndpoints {
                env: env
                    .iter()
                    .filter(|(k, _)| k.starts_with("AWS_ENDPOINT_URL"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                services: profile
                    .get("services")
                    .map(|name| credentials::load_services_section(&env, name))
                    .unwrap_or_default(),
                profile: profile.get("endpoint_url").cloned(),
            }
        };
        let region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|k| env.get(*k).filter(|v| !v.is_empty()).cloned())
            .or_else(|| profile.get("region").cloned());
        let chain = credentials::DefaultChain::new(env);
        ConfigBuilder {
            region,
            configured_endpoints,
            use_fips,
            use_dual_stack,
            account_id_endpoint_mode,
            problems,
            credentials: Some(Arc::new(Cached::new(chain))),
            ..ConfigBuilder::default()
        }
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this URL (`http://127.0.0.1:4566`, say) instead of the regional
    /// endpoint. It wins over any URL configured outside the code; the service's rule set is
    /// given it as `SDK::Endpoint` (most refuse it together with FIPS or dual-stack).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sends requests to the service's FIPS endpoint (`AWS::UseFIPS`). Default false.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Sends requests to the service's dual-stack (IPv4 and IPv6) endpoint (`AWS::UseDualStack`).
    /// Default false.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// Account-id endpoints (`AWS::Auth::AccountIdEndpointMode`), for the services whose rule set
    /// has them.
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.account_id_endpoint_mode = Some(mode);
        self
    }

    /// Sets one of the service's own endpoint settings by the name its rule set gives it (the
    /// model's `clientContextParams`, e.g. ACM's `ServiceType`): a string, a boolean or a list
    /// of strings. An operation that sets the same parameter itself wins, as in botocore; a
    /// name the rule set does not have is ignored.
    pub fn endpoint_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<crate::endpoint::Value>,
    ) -> Self {
        self.endpoint_params.insert(name.into(), value.into());
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

    /// Connects to `addr` whenever a request goes to `host`, instead of looking the name up; TLS
    /// still checks the certificate against `host`, and `Host` and the signature still name it.
    /// For a VPC endpoint's address, or a local stand-in for an AWS endpoint in a test. (The
    /// default transport only; a replaced one does its own lookups.)
    pub fn resolve(mut self, host: impl Into<String>, addr: std::net::SocketAddr) -> Self {
        self.resolve.push((host.into().to_ascii_lowercase(), addr));
        self
    }

    /// Replaces the HTTP transport (see [`transport`](super::transport)).
    pub fn transport(mut self, transport: SharedTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Checks and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(problem) = self.problems.first() {
            return Err(ConfigError::new(problem.clone()));
        }
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
            configured_endpoints: self.configured_endpoints,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            account_id_endpoint_mode: self.account_id_endpoint_mode,
            endpoint_params: self.endpoint_params,
            credentials: self.credentials,
            retry,
            timeouts,
            transport: self.transport,
            tls_roots: self.tls_roots,
            resolve: self.resolve,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A shared config file in a directory of its own; the variables that point at it.
    fn with_config_file(name: &str, text: &str) -> (std::path::PathBuf, Vec<(String, String)>) {
        let dir = std::env::temp_dir().join(format!("awsgen-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), text).unwrap();
        let vars = vec![
            (
                "AWS_CONFIG_FILE".to_owned(),
                dir.join("config").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                dir.join("none").display().to_string(),
            ),
        ];
        (dir, vars)
    }

    const PROFILE: &str = "[default]\nregion = eu-west-1\nuse_fips_endpoint = true\nendpoint_url = http://profile\nservices = local\n[services local]\ncognito_identity =\n  endpoint_url = http://section\n";

    #[test]
    fn endpoint_urls_in_botocores_order() {
        let (dir, file) = with_config_file("order", PROFILE);
        let build = |extra: &[(&str, &str)]| {
            let mut e = env(extra);
            e.extend(file.iter().cloned());
            ConfigBuilder::from_env_vars(e).build().unwrap()
        };
        let id = "Cognito Identity";
        let c = build(&[
            ("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "http://service-env"),
            ("AWS_ENDPOINT_URL", "http://global-env"),
        ]);
        assert_eq!(c.endpoint_url_for(id), Some("http://service-env"));
        let c = build(&[("AWS_ENDPOINT_URL", "http://global-env")]);
        assert_eq!(c.endpoint_url_for(id), Some("http://global-env"));
        let c = build(&[]);
        assert_eq!(c.endpoint_url_for(id), Some("http://section"));
        // Another service has no entry in the section: the profile's own URL.
        assert_eq!(c.endpoint_url_for("DynamoDB"), Some("http://profile"));
        // The profile's settings, as the variables would give them.
        assert!(c.use_fips() && !c.use_dual_stack());
        assert_eq!(c.region(), Some("eu-west-1"));
        // Ignored: every configured URL, but not one set in the code.
        let c = build(&[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
            ("AWS_ENDPOINT_URL", "http://global-env"),
        ]);
        assert_eq!(c.endpoint_url_for(id), None);
        let mut e = env(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        e.extend(file.iter().cloned());
        let c = ConfigBuilder::from_env_vars(e)
            .endpoint_url("http://code")
            .build()
            .unwrap();
        assert_eq!(c.endpoint_url_for(id), Some("http://code"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn variables_win_over_the_profile_and_the_code_over_both() {
        let (dir, file) = with_config_file("flags", PROFILE);
        let mut e = env(&[
            ("AWS_USE_FIPS_ENDPOINT", "false"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "True"),
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required"),
        ]);
        e.extend(file.iter().cloned());
        let c = ConfigBuilder::from_env_vars(e.clone()).build().unwrap();
        assert!(!c.use_fips() && c.use_dual_stack());
        assert_eq!(
            c.account_id_endpoint_mode(),
            Some(AccountIdEndpointMode::Required)
        );
        let c = ConfigBuilder::from_env_vars(e)
            .use_fips(true)
            .use_dual_stack(false)
            .build()
            .unwrap();
        assert!(c.use_fips() && !c.use_dual_stack());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn unreadable_settings_are_configuration_errors() {
        for (var, value) in [
            ("AWS_USE_FIPS_ENDPOINT", "yes"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "sometimes"),
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "always"),
        ] {
            let e = env(&[(var, value), ("HOME", "/nonexistent")]);
            let err = ConfigBuilder::from_env_vars(e).build().unwrap_err();
            assert!(
                err.to_string().contains(var) && err.to_string().contains(value),
                "{err}"
            );
        }
    }
}
