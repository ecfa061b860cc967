//! Which endpoint a client sends to: the service's endpoint rule set (embedded by the generated
//! crate, [`Service::ENDPOINT_RULES`]) resolved with parameters from the configuration, as AWS
//! SDKs resolve it, once when the client is built.
//!
//! The rule set is interpreted ([`crate::endpoint`]) rather than compiled into generated code:
//! BENCHMARKS.md has the measurements behind that choice. A client reads its service's rule set
//! when it is built (the partitions once per process) and keeps it only if some calls resolve
//! again: those of operations with endpoint parameters of their own, or with the credentials'
//! account id (see [`Resolver`]). The others cost nothing per call.

use std::sync::{Mutex, OnceLock};

use http::header::{HeaderName, HeaderValue};

use super::config::{Config, ConfigError};
use super::protocol::Endpoint;
use crate::endpoint::{Map, Params, Partitions, RuleSet, Value};
use crate::operation::Service;

/// `botocore/data/partitions.json` of the botocore the models come from (`model/partitions.json`
/// as compact JSON, as every client binary embeds it; a test keeps the two equal): the same for
/// every service.
const PARTITIONS_JSON: &str = include_str!("partitions.json");

/// The partitions, read once per process.
pub(crate) fn partitions() -> Result<&'static Partitions, ConfigError> {
    static PARTITIONS: OnceLock<Result<Partitions, String>> = OnceLock::new();
    PARTITIONS
        .get_or_init(|| Partitions::parse(PARTITIONS_JSON).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ConfigError::new(format!("the built-in partitions cannot be read: {e}")))
}

/// The rule set of `text`, read for one client (cognito-identity's and the partitions: about
/// 780k instructions, once per client). Not kept for the process: a client whose calls never
/// resolve again drops it once its endpoint is resolved, and nothing stays in memory that no call
/// uses.
fn rule_set(text: &'static str) -> Result<RuleSet, ConfigError> {
    RuleSet::parse(text).map_err(|e| {
        ConfigError::new(format!(
            "the service's endpoint rule set cannot be read: {e}"
        ))
    })
}

/// The rule set's parameters that the configuration sets (built-ins), by name; the others take
/// their defaults.
fn params_from_config(rules: &RuleSet, config: &Config, service_id: &str) -> Params {
    let mut params = Params::new();
    for p in &rules.params {
        let value = match p.built_in.as_deref() {
            Some("AWS::Region") => config.region.clone().map(Value::String),
            Some("AWS::UseFIPS") => Some(Value::Bool(config.use_fips)),
            Some("AWS::UseDualStack") => Some(Value::Bool(config.use_dual_stack)),
            Some("SDK::Endpoint") => config
                .endpoint_url_for(service_id)
                .map(|u| Value::String(u.to_owned())),
            Some("AWS::Auth::AccountIdEndpointMode") => config
                .account_id_endpoint_mode
                .map(|m| Value::String(m.as_str().to_owned())),
            Some(_) => None,
            // The service's own settings (`clientContextParams`), by name.
            None => config.endpoint_params.get(&p.name).cloned(),
        };
        if let Some(v) = value {
            params.insert(p.name.clone(), v);
        }
    }
    params
}

/// A service's rule set with the parameters its client's configuration sets, for the
/// operations that add their own and so resolve on each call.
pub(crate) struct Resolver {
    rules: RuleSet,
    base: Params,
    /// The parameter that takes the caller's account id (`AWS::Auth::AccountId`), if the rule
    /// set has one: it is filled from the credentials on each signed call.
    account_id_param: Option<String>,
    /// The last parameters resolved and their endpoint: calls on one table, stream or ARN in a
    /// row resolve once (as the official SDK's resolver caches its last result).
    last: Mutex<Option<(Params, Endpoint)>>,
}

impl Resolver {
    /// The name of the parameter the credentials' account id goes to, if the rules take one.
    pub(crate) fn account_id_param(&self) -> Option<&str> {
        self.account_id_param.as_deref()
    }

    /// The configuration's parameters, with `account_id` where the rules take one.
    pub(crate) fn params(&self, account_id: Option<String>) -> Params {
        let mut params = self.base.clone();
        if let (Some(name), Some(id)) = (&self.account_id_param, account_id) {
            params.insert(name.clone(), Value::String(id));
        }
        params
    }

    /// The endpoint for `params` (from [`params`](Self::params), with a call's own added).
    pub(crate) fn resolve(&self, params: Params) -> Result<Endpoint, String> {
        if let Some((p, e)) = self.last.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if *p == params {
                return Ok(e.clone());
            }
        }
        let resolved = self
            .rules
            .resolve(&params, partitions().map_err(|e| e.to_string())?)
            .map_err(|e| format!("no endpoint: {e}"))?;
        let endpoint = from_resolved(resolved).map_err(|e| e.to_string())?;
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((params, endpoint.clone()));
        Ok(endpoint)
    }
}

/// The endpoint of service `S` for `config`: by its rule set, or (a model generated without
/// one) `https://<prefix>.<region>.amazonaws.com`. A rule set's error ("FIPS and DualStack are
/// enabled, but this partition does not support one or both") is a configuration error.
/// With the endpoint, the resolver for calls that add parameters (an operation's own, the
/// account id of the credentials).
///
/// A rule set that takes the account id may refuse to resolve without one
/// (`AccountIdEndpointMode` `required`), which only the credentials give, on each call: when
/// the configuration alone does not resolve but does with an account id, the client has no
/// endpoint of its own (`None`) and every call resolves.
pub(crate) fn resolve<S: Service>(
    config: &Config,
) -> Result<(Option<Endpoint>, Option<Resolver>), ConfigError> {
    if let Some(region) = config.region.as_deref() {
        // botocore refuses a region that is not a valid host label (`validate_region_name`).
        if region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(ConfigError::new(format!(
                "region {region:?} is not a valid region name"
            )));
        }
    }
    let Some(text) = S::ENDPOINT_RULES else {
        return fallback::<S>(config).map(|e| (Some(e), None));
    };
    let rules = rule_set(text)?;
    let base = params_from_config(&rules, config, S::SERVICE_ID);
    let account_id_param = rules
        .params
        .iter()
        .find(|p| p.built_in.as_deref() == Some("AWS::Auth::AccountId"))
        .map(|p| p.name.clone());
    let endpoint = match rules.resolve(&base, partitions()?) {
        Ok(resolved) => Some(from_resolved(resolved)?),
        Err(e) => {
            let error = || ConfigError::new(format!("no endpoint for {}: {e}", S::SERVICE_ID));
            // Whether an account id (any) would make it resolve.
            let Some(name) = &account_id_param else {
                return Err(error());
            };
            let mut with_account = base.clone();
            with_account.insert(name.clone(), Value::String("000000000000".to_owned()));
            if rules.resolve(&with_account, partitions()?).is_err() {
                return Err(error());
            }
            None
        }
    };
    // Calls resolve again only for operations with parameters of their own, for the account id,
    // or when the client has no endpoint of its own; otherwise the rules are done with.
    let resolver = (S::OPERATION_ENDPOINT_PARAMS
        || account_id_param.is_some()
        || endpoint.is_none())
    .then(|| Resolver {
        rules,
        base,
        account_id_param,
        last: Mutex::new(None),
    });
    Ok((endpoint, resolver))
}

/// The client's endpoint from what the rule set resolved.
fn from_resolved(resolved: crate::endpoint::Endpoint) -> Result<Endpoint, ConfigError> {
    let endpoint = Endpoint::parse(&resolved.url).map_err(ConfigError::new)?;
    let mut headers = Vec::new();
    for (name, values) in resolved.headers.iter() {
        let name = HeaderName::try_from(name).map_err(|e| {
            ConfigError::new(format!(
                "the endpoint's header name {name:?} is invalid: {e}"
            ))
        })?;
        for v in values {
            let value = HeaderValue::try_from(v.as_str()).map_err(|e| {
                ConfigError::new(format!(
                    "the endpoint's header {name} has an invalid value: {e}"
                ))
            })?;
            headers.push((name.clone(), value));
        }
    }
    let (signing_name, signing_region) = sigv4_scope(&resolved.properties)?;
    Ok(endpoint.with_resolved(headers, resolved.properties, signing_name, signing_region))
}

/// The signing name and region of the endpoint's first auth scheme, which must be SigV4.
///
/// botocore takes the first scheme of `authSchemes` it supports (`endpoint_provider` /
/// `regions.py`, `auth_schemes_to_signing_ctx`); this client signs with SigV4 only, so an
/// endpoint that lists SigV4 after another scheme is signed with SigV4, and one that does not
/// list it at all cannot be called.
fn sigv4_scope(properties: &Map<Value>) -> Result<(Option<String>, Option<String>), ConfigError> {
    let Some(Value::Array(schemes)) = properties.get("authSchemes") else {
        return Ok((None, None));
    };
    let field = |scheme: &Map<Value>, key: &str| match scheme.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let mut names = Vec::new();
    for scheme in schemes {
        let Value::Record(scheme) = scheme else {
            continue;
        };
        let name = field(scheme, "name").unwrap_or_default();
        if name == "sigv4" {
            return Ok((field(scheme, "signingName"), field(scheme, "signingRegion")));
        }
        names.push(name);
    }
    if names.is_empty() {
        return Ok((None, None));
    }
    Err(ConfigError::new(format!(
        "the endpoint requires the auth scheme(s) {}, which this client does not support (it signs with SigV4)",
        names.join(", ")
    )))
}

/// Without a rule set: the configured URL, else `https://<prefix>.<region>.amazonaws.com`
/// (`.amazonaws.com.cn` in China).
fn fallback<S: Service>(config: &Config) -> Result<Endpoint, ConfigError> {
    let url = match config.endpoint_url_for(S::SERVICE_ID) {
        Some(u) => u.to_owned(),
        None => {
            let region = config.region.as_deref().ok_or_else(|| {
                ConfigError::new("no region: set one, or AWS_REGION / a profile region")
            })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in the generator counts as set is set: from the configuration here, or
    /// (the account id) by the resolver on each signed call.
    #[test]
    fn the_client_sets_every_built_in_it_claims() {
        let params: Vec<String> = crate::endpoint::CLIENT_BUILT_INS
            .iter()
            .enumerate()
            .map(|(i, b)| format!(r#""P{i}": {{"builtIn": "{b}", "type": "String"}}"#))
            .collect();
        let rules = RuleSet::parse(&format!(
            r#"{{"parameters": {{{}}}, "rules": []}}"#,
            params.join(", ")
        ))
        .unwrap();
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("https://example.com")
            .account_id_endpoint_mode(super::super::AccountIdEndpointMode::Required)
            .build()
            .unwrap();
        let set = params_from_config(&rules, &config, "Svc");
        for (i, b) in crate::endpoint::CLIENT_BUILT_INS.iter().enumerate() {
            let by_call = *b == "AWS::Auth::AccountId";
            assert_eq!(set.contains_key(&format!("P{i}")), !by_call, "{b}");
        }
    }

    #[test]
    fn built_in_partitions_are_botocores() {
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(
            value(PARTITIONS_JSON),
            value(include_str!("../../../model/partitions.json")),
            "runtime/src/client/partitions.json must be model/partitions.json (compact)"
        );
        assert!(partitions().is_ok());
    }

    fn record(pairs: &[(&str, &str)]) -> Value {
        Value::Record(std::sync::Arc::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        ))
    }

    #[test]
    fn the_first_sigv4_scheme_gives_the_scope() {
        let props =
            |schemes: Vec<Value>| Map::from([("authSchemes".to_owned(), Value::Array(schemes))]);
        let v4 = record(&[
            ("name", "sigv4"),
            ("signingName", "iam"),
            ("signingRegion", "us-east-1"),
        ]);
        let v4a = record(&[("name", "sigv4a"), ("signingName", "events")]);
        assert_eq!(
            sigv4_scope(&props(vec![v4a.clone(), v4.clone()])).unwrap(),
            (Some("iam".into()), Some("us-east-1".into()))
        );
        assert_eq!(sigv4_scope(&Map::new()).unwrap(), (None, None));
        let e = sigv4_scope(&props(vec![v4a])).unwrap_err().to_string();
        assert!(e.contains("sigv4a"), "{e}");
    }
}
