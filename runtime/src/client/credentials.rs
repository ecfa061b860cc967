//! Credentials: static, the standard environment variables, the shared `credentials` and
//! `config` files with profiles, and a cache in front of any provider implementing
//! `aws-credential-types`' [`ProvideCredentials`] (so `aws-config` providers plug in).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_credential_types::Credentials;

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: BTreeMap<String, String>,
}

impl EnvironmentProvider {
    pub fn new(env: BTreeMap<String, String>) -> Self {
        EnvironmentProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let get = |k: &str| self.env.get(k).filter(|v| !v.is_empty()).cloned();
        match (
            get("AWS_ACCESS_KEY_ID"),
            get("AWS_SECRET_ACCESS_KEY").or_else(|| get("SECRET_ACCESS_KEY")),
        ) {
            (Some(id), Some(secret)) => Ok(keys(
                id,
                secret,
                get("AWS_SESSION_TOKEN"),
                get("AWS_ACCOUNT_ID"),
                "Environment",
            )),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            _ => Err(CredentialsError::not_loaded(
                "no AWS_ACCESS_KEY_ID in the environment",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

/// The profile's keys from the shared files: `~/.aws/credentials` (or
/// `AWS_SHARED_CREDENTIALS_FILE`) over `~/.aws/config` (or `AWS_CONFIG_FILE`), profile
/// `AWS_PROFILE` or `default`.
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    env: BTreeMap<String, String>,
}

impl ProfileProvider {
    pub fn new(env: BTreeMap<String, String>) -> Self {
        ProfileProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = profile_name(&self.env);
        let Some(p) = load_profile(&self.env) else {
            return Err(CredentialsError::not_loaded(format!(
                "no profile {name:?} in the shared config files"
            )));
        };
        match (p.get("aws_access_key_id"), p.get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => Ok(keys(
                id.clone(),
                secret.clone(),
                p.get("aws_session_token").cloned(),
                p.get("aws_account_id").filter(|a| !a.is_empty()).cloned(),
                "Profile",
            )),
            _ => Err(CredentialsError::not_loaded(format!(
                "profile {name:?} has no aws_access_key_id and aws_secret_access_key"
            ))),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

/// Environment variables, then the profile.
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: EnvironmentProvider,
    profile: ProfileProvider,
}

impl DefaultChain {
    pub fn new(env: BTreeMap<String, String>) -> Self {
        DefaultChain {
            env: EnvironmentProvider::new(env.clone()),
            profile: ProfileProvider::new(env),
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let result = match self.env.load() {
            Ok(c) => Ok(c),
            Err(CredentialsError::CredentialsNotLoaded(_)) => self.profile.load().map_err(|e| match e {
                CredentialsError::CredentialsNotLoaded(_) => CredentialsError::not_loaded(
                    "no credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor in the shared profile files",
                ),
                other => other,
            }),
            Err(e) => Err(e),
        };
        future::ProvideCredentials::ready(result)
    }
}

/// Caches what a provider returns until five minutes before it expires (forever if it does not).
#[derive(Debug)]
pub struct Cached<P> {
    provider: P,
    cache: Mutex<Option<Credentials>>,
}

impl<P> Cached<P> {
    pub fn new(provider: P) -> Self {
        Cached {
            provider,
            cache: Mutex::new(None),
        }
    }
}

const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

impl<P: ProvideCredentials> ProvideCredentials for Cached<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let fresh = |c: &Credentials| match c.expiry() {
            None => true,
            Some(exp) => SystemTime::now() + REFRESH_BEFORE_EXPIRY < exp,
        };
        if let Ok(guard) = self.cache.lock() {
            if let Some(c) = guard.as_ref().filter(|c| fresh(c)) {
                return future::ProvideCredentials::ready(Ok(c.clone()));
            }
        }
        future::ProvideCredentials::new(async move {
            let c = self.provider.provide_credentials().await?;
            if let Ok(mut guard) = self.cache.lock() {
                *guard = Some(c.clone());
            }
            Ok(c)
        })
    }
}

/// Static keys, with the account id they belong to when it is configured beside them
/// (`AWS_ACCOUNT_ID`, the profile's `aws_account_id`: account-id endpoints use it).
fn keys(
    id: String,
    secret: String,
    token: Option<String>,
    account_id: Option<String>,
    provider: &'static str,
) -> Credentials {
    let mut b = Credentials::builder()
        .access_key_id(id)
        .secret_access_key(secret)
        .provider_name(provider);
    b.set_session_token(token);
    b.set_account_id(account_id.map(Into::into));
    b.build()
}

fn profile_name(env: &BTreeMap<String, String>) -> String {
    env.get("AWS_PROFILE")
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| "default".to_owned())
}

fn home(env: &BTreeMap<String, String>) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .map(PathBuf::from)
}

fn config_path(env: &BTreeMap<String, String>) -> Option<PathBuf> {
    env.get("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws/config")))
}

/// The keys of the selected profile, merged from both shared files (credentials file wins).
pub fn load_profile(env: &BTreeMap<String, String>) -> Option<BTreeMap<String, String>> {
    let name = profile_name(env);
    let creds_path = env
        .get("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws/credentials")));
    let mut found = None::<BTreeMap<String, String>>;
    if let Some(text) = config_path(env).and_then(|p| std::fs::read_to_string(p).ok()) {
        let sections = parse_ini(&text);
        let section = if name == "default" {
            sections
                .get("default")
                .or_else(|| sections.get("profile default"))
        } else {
            sections.get(&format!("profile {name}"))
        };
        if let Some(s) = section {
            found = Some(s.clone());
        }
    }
    if let Some(text) = creds_path.and_then(|p| std::fs::read_to_string(p).ok()) {
        if let Some(s) = parse_ini(&text).get(&name) {
            found.get_or_insert_with(BTreeMap::new).extend(s.clone());
        }
    }
    found
}

/// The `[services NAME]` section of the shared config file: each service's settings, keyed
/// `service_key.setting` (`cognito_identity.endpoint_url`).
pub fn load_services_section(
    env: &BTreeMap<String, String>,
    name: &str,
) -> BTreeMap<String, String> {
    config_path(env)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| parse_ini(&text).remove(&format!("services {name}")))
        .unwrap_or_default()
}

/// A small INI reader for the shared files: `[section]`, `key = value`, `#` and `;` comments,
/// and sub-properties: indented `key = value` lines under a key with no value of its own, kept as
/// `parent.key` (the `services` sections and `s3 =` blocks are written that way).
pub fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    // The key whose value is empty, which indented lines after it belong to.
    let mut parent: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = section.split_whitespace().collect::<Vec<_>>().join(" ");
            out.entry(name.clone()).or_default();
            current = Some(name);
            parent = None;
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            let v = v
                .split(" #")
                .next()
                .unwrap_or(v)
                .split(" ;")
                .next()
                .unwrap_or(v)
                .trim();
            let k = k.trim().to_ascii_lowercase();
            let key = match (&parent, indented) {
                (Some(p), true) => format!("{p}.{k}"),
                _ => {
                    parent = v.is_empty().then(|| k.clone());
                    k
                }
            };
            out.entry(section.clone())
                .or_default()
                .insert(key, v.to_owned());
        }
    }
    out
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

    #[test]
    fn profiles_from_both_files() {
        let dir = std::env::temp_dir().join(format!("awsgen-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config"),
            "[default]\nregion = eu-west-1\n[profile dev]\nregion=us-west-2 # comment\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("credentials"),
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\naws_account_id = 444455556666\n",
        )
        .unwrap();
        let e = env(&[
            ("AWS_CONFIG_FILE", dir.join("config").to_str().unwrap()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("credentials").to_str().unwrap(),
            ),
            ("AWS_PROFILE", "dev"),
        ]);
        let p = load_profile(&e).unwrap();
        assert_eq!(p["region"], "us-west-2");
        let c = ProfileProvider::new(e.clone()).load().unwrap();
        assert_eq!(c.access_key_id(), "AKIDDEV");
        assert_eq!(c.account_id().map(|a| a.as_str()), Some("444455556666"));
        let mut e2 = e.clone();
        e2.remove("AWS_PROFILE");
        assert_eq!(load_profile(&e2).unwrap()["region"], "eu-west-1");
        assert!(ProfileProvider::new(e2).load().is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn sub_properties_are_kept_under_their_parent() {
        let ini = parse_ini(
            "[profile dev]\nservices = local\n[services local]\ncognito_identity =\n  endpoint_url = http://127.0.0.1:4566 # local\ndynamodb=\n\tendpoint_url=http://db\nregion = x\n  stray = y\n",
        );
        let s = &ini["services local"];
        assert_eq!(s["cognito_identity.endpoint_url"], "http://127.0.0.1:4566");
        assert_eq!(s["dynamodb.endpoint_url"], "http://db");
        assert_eq!(s["region"], "x");
        // An indented line under a key that has a value is a key of its own.
        assert_eq!(s["stray"], "y");
        assert_eq!(ini["profile dev"]["services"], "local");
    }

    #[test]
    fn environment_first() {
        let e = env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_SESSION_TOKEN", "t"),
        ]);
        let c = EnvironmentProvider::new(e.clone()).load().unwrap();
        assert_eq!(c.session_token(), Some("t"));
        assert_eq!(c.account_id(), None);
        let mut e = e;
        e.insert("AWS_ACCOUNT_ID".into(), "111122223333".into());
        let c = EnvironmentProvider::new(e).load().unwrap();
        assert_eq!(c.account_id().map(|a| a.as_str()), Some("111122223333"));
        assert!(
            EnvironmentProvider::new(env(&[("AWS_ACCESS_KEY_ID", "AKID")]))
                .load()
                .is_err()
        );
    }
}
