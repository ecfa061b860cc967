//! The emulator: all 23 operations of Amazon Cognito Identity, in memory, behaving as the API
//! reference in the model describes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use awsgen_rt::DateTime;
use cognito_identity_server::error::*;
use cognito_identity_server::types::*;
use cognito_identity_server::{CognitoIdentity, RequestContext};

use crate::jwt::{self, Signer};
use crate::random::Random;

/// OpenID tokens from GetOpenIdToken last ten minutes, as the API reference says.
const OPENID_TOKEN_SECONDS: i64 = 600;
/// GetOpenIdTokenForDeveloperIdentity's default TokenDuration: 15 minutes.
const DEVELOPER_TOKEN_SECONDS: i64 = 900;
/// Temporary credentials last an hour.
const CREDENTIALS_SECONDS: i64 = 3600;
/// The login name under which the OpenID tokens Cognito (here: this emulator) issued are given
/// back to GetCredentialsForIdentity and GetOpenIdToken (the developer-authenticated flow).
const COGNITO_PROVIDER: &str = "cognito-identity.amazonaws.com";
/// MergeDeveloperIdentities: "The number of linked logins is limited to 20."
const MAX_LINKED_LOGINS: usize = 20;

/// Builds an error variant with a message: `fail!(GetIdError::ResourceNotFoundException, "...")`.
macro_rules! fail {
    ($enum:ident :: $variant:ident, $($msg:tt)*) => {
        $enum::$variant(
            $variant::builder()
                .message(format!($($msg)*))
                .build()
                .unwrap_or_else(|_| unreachable!("error structures have no required members")),
        )
    };
}

/// The operation's ResourceNotFoundException for an identity pool id.
macro_rules! pool_not_found {
    ($enum:ident, $id:expr) => {
        fail!(
            $enum::ResourceNotFoundException,
            "IdentityPool '{}' not found.",
            $id
        )
    };
}

/// The operation's ResourceNotFoundException for an identity id.
macro_rules! identity_not_found {
    ($enum:ident, $id:expr) => {
        fail!(
            $enum::ResourceNotFoundException,
            "Identity '{}' not found.",
            $id
        )
    };
}

/// Builds an output; a missing required member is an internal error of the emulator.
macro_rules! output {
    ($enum:ident, $builder:expr) => {
        $builder
            .build()
            .map_err(|e| fail!($enum::InternalErrorException, "{e}"))
    };
}

struct Pool {
    config: IdentityPool,
    roles: BTreeMap<String, String>,
    role_mappings: BTreeMap<String, RoleMapping>,
    /// Provider name → (use defaults, tags).
    principal_tags: BTreeMap<String, (bool, BTreeMap<String, String>)>,
}

struct Identity {
    pool_id: String,
    /// Provider name → the user's subjects at that provider: one for a public provider, one or
    /// more developer user identifiers for the pool's developer provider (more after a merge).
    logins: BTreeMap<String, BTreeSet<String>>,
    created: DateTime,
    modified: DateTime,
}

impl Identity {
    fn new(pool_id: String) -> Identity {
        let t = now();
        Identity {
            pool_id,
            logins: BTreeMap::new(),
            created: t,
            modified: t,
        }
    }

    fn is_linked(&self, provider: &str, subject: &str) -> bool {
        self.logins
            .get(provider)
            .is_some_and(|s| s.contains(subject))
    }

    /// Links a public provider's login: an identity has one user per public provider.
    fn set_login(&mut self, provider: String, subject: String) {
        self.logins.insert(provider, BTreeSet::from([subject]));
    }

    /// Links one more developer user identifier.
    fn add_developer_user(&mut self, provider: &str, user: String) {
        self.logins
            .entry(provider.to_owned())
            .or_default()
            .insert(user);
    }

    fn linked_count(&self) -> usize {
        self.logins.values().map(BTreeSet::len).sum()
    }
}

#[derive(Default)]
struct State {
    pools: BTreeMap<String, Pool>,
    identities: BTreeMap<String, Identity>,
}

pub struct Emulator {
    state: Mutex<State>,
    random: Random,
    signer: Signer,
    region: String,
    account: String,
}

/// The user a login token stands for: the `sub` of a JWT, else the token itself.
fn subject(token: &str) -> String {
    jwt::claims(token)
        .and_then(|c| c.get("sub").and_then(|s| s.as_str()).map(str::to_owned))
        .unwrap_or_else(|| token.to_owned())
}

fn now() -> DateTime {
    DateTime::now()
}

impl Emulator {
    pub fn new(region: &str) -> Result<Emulator, String> {
        let random = Random::new();
        let signer = Signer::new(&random)?;
        Ok(Emulator {
            state: Mutex::new(State::default()),
            random,
            signer,
            region: region.to_owned(),
            account: "123456789012".to_owned(),
        })
    }

    /// The public key that checks the OpenID tokens, as a JWK.
    pub fn jwk(&self) -> String {
        self.signer.jwk()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A handler that panicked while holding the lock leaves consistent data behind: every
        // change is made in one step at the end of a handler.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pool_of_arn<'a>(&self, arn: &'a str) -> Option<&'a str> {
        arn.strip_prefix(&format!(
            "arn:aws:cognito-identity:{}:{}:identitypool/",
            self.region, self.account
        ))
    }

    fn new_identity_id(&self) -> String {
        format!("{}:{}", self.region, self.random.uuid())
    }

    /// The providers a pool accepts logins from.
    fn providers(pool: &IdentityPool) -> BTreeSet<String> {
        let mut p = BTreeSet::new();
        p.extend(
            pool.supported_login_providers
                .iter()
                .flatten()
                .map(|(k, _)| k.clone()),
        );
        p.extend(pool.developer_provider_name.iter().cloned());
        p.extend(
            pool.open_id_connect_provider_arns
                .iter()
                .flatten()
                .map(|a| a.rsplit("oidc-provider/").next().unwrap_or(a).to_owned()),
        );
        p.extend(pool.open_id_connect_provider_arns.iter().flatten().cloned());
        p.extend(pool.saml_provider_arns.iter().flatten().cloned());
        p.extend(
            pool.cognito_identity_providers
                .iter()
                .flatten()
                .filter_map(|c| c.provider_name.clone()),
        );
        p
    }

    /// The role for an identity's credentials, resolving role mappings with the request's
    /// logins. An identity without linked logins is unauthenticated, even when it presents an
    /// OpenID token of its own.
    fn resolve_role(
        pool: &Pool,
        identity: &Identity,
        logins: &BTreeMap<String, String>,
    ) -> Result<Option<String>, String> {
        if identity.logins.is_empty() {
            return Ok(pool.roles.get("unauthenticated").cloned());
        }
        for (provider, token) in logins {
            let Some(mapping) = pool.role_mappings.get(provider) else {
                continue;
            };
            let claims = jwt::claims(token).unwrap_or_default();
            let claim = |name: &str| -> Vec<String> {
                match claims.get(name) {
                    Some(awsgen_rt::Document::String(s)) => vec![s.clone()],
                    Some(awsgen_rt::Document::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    Some(other) => vec![other.to_string()],
                    None => Vec::new(),
                }
            };
            let chosen = match &mapping.r#type {
                RoleMappingType::Token => claim("cognito:preferred_role").into_iter().next(),
                RoleMappingType::Rules => mapping.rules_configuration.as_ref().and_then(|rc| {
                    rc.rules.iter().find_map(|rule| {
                        let values = claim(&rule.claim);
                        let hit = match rule.match_type {
                            MappingRuleMatchType::Equals => values.contains(&rule.value),
                            MappingRuleMatchType::Contains => {
                                values.iter().any(|v| v.contains(&rule.value))
                            }
                            MappingRuleMatchType::StartsWith => {
                                values.iter().any(|v| v.starts_with(&rule.value))
                            }
                            MappingRuleMatchType::NotEqual => {
                                !values.is_empty() && values.iter().all(|v| *v != rule.value)
                            }
                            _ => false,
                        };
                        hit.then(|| rule.role_arn.clone())
                    })
                }),
                _ => None,
            };
            if let Some(role) = chosen {
                return Ok(Some(role));
            }
            return match mapping.ambiguous_role_resolution {
                Some(AmbiguousRoleResolutionType::Deny) => Err(format!(
                    "Ambiguous role resolution for {provider}: access denied by the role mapping."
                )),
                _ => Ok(pool.roles.get("authenticated").cloned()),
            };
        }
        Ok(pool.roles.get("authenticated").cloned())
    }

    fn describe(id: &str, identity: &Identity) -> IdentityDescription {
        IdentityDescription::builder()
            .identity_id(id)
            .logins(
                identity
                    .logins
                    .iter()
                    .filter(|(_, subjects)| !subjects.is_empty())
                    .map(|(provider, _)| provider.clone())
                    .collect::<Vec<_>>(),
            )
            .creation_date(identity.created)
            .last_modified_date(identity.modified)
            .build()
            .unwrap_or_else(|_| unreachable!("IdentityDescription has no required members"))
    }

    /// Checks that every login given with a request for `identity_id` belongs to it: a public
    /// or developer login must be linked to it, and a `cognito-identity.amazonaws.com` login must
    /// be an OpenID token this emulator issued (signature, expiry) for this identity (`sub`) in
    /// its pool (`aud`). Returns the `amr` entries the logins stand for; the error is the
    /// `NotAuthorizedException` message.
    fn check_logins(
        &self,
        identity_id: &str,
        identity: &Identity,
        logins: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, String> {
        let mut amr = Vec::new();
        for (provider, token) in logins {
            if provider == COGNITO_PROVIDER {
                let claims = self
                    .signer
                    .verify(token, now().secs())
                    .map_err(|e| format!("Invalid login token. {e}"))?;
                let claim = |name: &str| claims.get(name).and_then(|v| v.as_str());
                if claim("aud") != Some(identity.pool_id.as_str()) {
                    return Err("Invalid login token. Incorrect token audience.".to_owned());
                }
                if claim("sub") != Some(identity_id) {
                    return Err(format!("Invalid login token. The token for {COGNITO_PROVIDER} was issued to another identity."));
                }
                // The token stands for the logins it was issued for.
                let issued_for = claims.get("amr").and_then(|a| a.as_array());
                for entry in issued_for.into_iter().flatten().filter_map(|v| v.as_str()) {
                    if entry != "authenticated" && entry != "unauthenticated" {
                        amr.push(entry.to_owned());
                    }
                }
            } else if identity.is_linked(provider, &subject(token)) {
                amr.push(provider.clone());
            } else {
                return Err(format!("Invalid login token. The login for {provider} does not belong to this identity."));
            }
        }
        let mut seen = BTreeSet::new();
        amr.retain(|entry| seen.insert(entry.clone()));
        Ok(amr)
    }
}

/// Checks role mappings as SetIdentityPoolRoles does.
fn check_role_mappings(mappings: &BTreeMap<String, RoleMapping>) -> Result<(), String> {
    for (provider, m) in mappings {
        if matches!(m.r#type, RoleMappingType::Token | RoleMappingType::Rules)
            && m.ambiguous_role_resolution.is_none()
        {
            return Err(format!("AmbiguousRoleResolution must be specified for the role mapping of {provider} when Type is Token or Rules."));
        }
        if m.r#type == RoleMappingType::Rules && m.rules_configuration.is_none() {
            return Err(format!("RulesConfiguration must be provided for the role mapping of {provider} when Type is Rules."));
        }
        if matches!(m.r#type, RoleMappingType::Unknown(_)) {
            return Err(format!(
                "Type of the role mapping of {provider} must be Token or Rules."
            ));
        }
    }
    Ok(())
}

/// A page of `items` after the token `after`, at most `max` long, and the next token.
fn page<T: Clone>(
    items: &[(String, T)],
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<T>, Option<String>), String> {
    let start = match after {
        None => 0,
        Some(token) => {
            let key = awsgen_rt::blob::decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or("Invalid pagination token.")?;
            items
                .iter()
                .position(|(k, _)| *k > key)
                .unwrap_or(items.len())
        }
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len() && end > start)
        .then(|| awsgen_rt::blob::encode(items[end - 1].0.as_bytes()));
    Ok((
        items[start..end].iter().map(|(_, v)| v.clone()).collect(),
        next,
    ))
}

impl CognitoIdentity for Emulator {
    async fn create_identity_pool(
        &self,
        input: CreateIdentityPoolInput,
        _cx: RequestContext,
    ) -> Result<IdentityPool, CreateIdentityPoolError> {
        let id = format!("{}:{}", self.region, self.random.uuid());
        let pool = output!(
            CreateIdentityPoolError,
            IdentityPool::builder()
                .identity_pool_id(id.clone())
                .identity_pool_name(input.identity_pool_name)
                .allow_unauthenticated_identities(input.allow_unauthenticated_identities)
                .set_allow_classic_flow(input.allow_classic_flow)
                .set_supported_login_providers(input.supported_login_providers)
                .set_developer_provider_name(input.developer_provider_name)
                .set_open_id_connect_provider_arns(input.open_id_connect_provider_arns)
                .set_cognito_identity_providers(input.cognito_identity_providers)
                .set_saml_provider_arns(input.saml_provider_arns)
                .set_identity_pool_tags(input.identity_pool_tags)
        )?;
        self.state().pools.insert(
            id,
            Pool {
                config: pool.clone(),
                roles: BTreeMap::new(),
                role_mappings: BTreeMap::new(),
                principal_tags: BTreeMap::new(),
            },
        );
        Ok(pool)
    }

    async fn delete_identities(
        &self,
        input: DeleteIdentitiesInput,
        _cx: RequestContext,
    ) -> Result<DeleteIdentitiesResponse, DeleteIdentitiesError> {
        let mut state = self.state();
        for id in &input.identity_ids_to_delete {
            state.identities.remove(id);
        }
        output!(
            DeleteIdentitiesError,
            DeleteIdentitiesResponse::builder().unprocessed_identity_ids(Vec::new())
        )
    }

    async fn delete_identity_pool(
        &self,
        input: DeleteIdentityPoolInput,
        _cx: RequestContext,
    ) -> Result<(), DeleteIdentityPoolError> {
        let mut state = self.state();
        if state.pools.remove(&input.identity_pool_id).is_none() {
            return Err(pool_not_found!(
                DeleteIdentityPoolError,
                input.identity_pool_id
            ));
        }
        state
            .identities
            .retain(|_, i| i.pool_id != input.identity_pool_id);
        Ok(())
    }

    async fn describe_identity(
        &self,
        input: DescribeIdentityInput,
        _cx: RequestContext,
    ) -> Result<IdentityDescription, DescribeIdentityError> {
        let state = self.state();
        match state.identities.get(&input.identity_id) {
            Some(i) => Ok(Self::describe(&input.identity_id, i)),
            None => Err(identity_not_found!(
                DescribeIdentityError,
                input.identity_id
            )),
        }
    }

    async fn describe_identity_pool(
        &self,
        input: DescribeIdentityPoolInput,
        _cx: RequestContext,
    ) -> Result<IdentityPool, DescribeIdentityPoolError> {
        match self.state().pools.get(&input.identity_pool_id) {
            Some(p) => Ok(p.config.clone()),
            None => Err(pool_not_found!(
                DescribeIdentityPoolError,
                input.identity_pool_id
            )),
        }
    }

    async fn get_credentials_for_identity(
        &self,
        input: GetCredentialsForIdentityInput,
        _cx: RequestContext,
    ) -> Result<GetCredentialsForIdentityResponse, GetCredentialsForIdentityError> {
        use GetCredentialsForIdentityError as E;
        let state = self.state();
        let Some(identity) = state.identities.get(&input.identity_id) else {
            return Err(identity_not_found!(E, input.identity_id));
        };
        let Some(pool) = state.pools.get(&identity.pool_id) else {
            return Err(pool_not_found!(E, identity.pool_id));
        };
        let logins = input.logins.clone().unwrap_or_default();
        if logins.is_empty() && !identity.logins.is_empty() {
            return Err(fail!(E::NotAuthorizedException, "Logins don't match. Please include at least one valid login for this identity or identity pool."));
        }
        if identity.logins.is_empty() && !pool.config.allow_unauthenticated_identities {
            return Err(fail!(
                E::NotAuthorizedException,
                "Unauthenticated access is not supported for this identity pool."
            ));
        }
        self.check_logins(&input.identity_id, identity, &logins)
            .map_err(|m| fail!(E::NotAuthorizedException, "{m}"))?;
        let role = match &input.custom_role_arn {
            Some(custom) => Some(custom.clone()),
            None => Self::resolve_role(pool, identity, &logins)
                .map_err(|m| fail!(E::NotAuthorizedException, "{m}"))?,
        };
        if role.is_none() {
            return Err(fail!(
                E::InvalidIdentityPoolConfigurationException,
                "Invalid identity pool configuration. Check assigned IAM roles for this pool."
            ));
        }
        let upper = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let secret = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let expiration = DateTime::from_secs(now().secs() + CREDENTIALS_SECONDS);
        let credentials = output!(
            E,
            Credentials::builder()
                .access_key_id(format!("ASIA{}", self.random.string(upper, 16)))
                .secret_key(self.random.string(secret, 40))
                .session_token(self.random.string(secret, 356))
                .expiration(expiration)
        )?;
        output!(
            E,
            GetCredentialsForIdentityResponse::builder()
                .identity_id(input.identity_id)
                .credentials(credentials)
        )
    }

    async fn get_id(
        &self,
        input: GetIdInput,
        _cx: RequestContext,
    ) -> Result<GetIdResponse, GetIdError> {
        use GetIdError as E;
        let mut state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(E, input.identity_pool_id));
        };
        let logins = input.logins.unwrap_or_default();
        if logins.is_empty() && !pool.config.allow_unauthenticated_identities {
            return Err(fail!(
                E::NotAuthorizedException,
                "Unauthenticated access is not supported for this identity pool."
            ));
        }
        let providers = Self::providers(&pool.config);
        for provider in logins.keys() {
            if !providers.contains(provider) {
                return Err(fail!(E::NotAuthorizedException, "Invalid login token. {provider} is not a login provider of this identity pool."));
            }
        }
        let subjects: BTreeMap<String, String> = logins
            .iter()
            .map(|(p, t)| (p.clone(), subject(t)))
            .collect();
        let existing = if subjects.is_empty() {
            None
        } else {
            state
                .identities
                .iter()
                .find(|(_, i)| {
                    i.pool_id == input.identity_pool_id
                        && subjects.iter().any(|(p, s)| i.is_linked(p, s))
                })
                .map(|(id, _)| id.clone())
        };
        let id = match existing {
            Some(id) => {
                if let Some(identity) = state.identities.get_mut(&id) {
                    // Further logins supplied together link to the same identity.
                    let before = identity.logins.clone();
                    for (provider, subject) in subjects {
                        identity.set_login(provider, subject);
                    }
                    if identity.logins != before {
                        identity.modified = now();
                    }
                }
                id
            }
            None => {
                let id = self.new_identity_id();
                let mut identity = Identity::new(input.identity_pool_id);
                for (provider, subject) in subjects {
                    identity.set_login(provider, subject);
                }
                state.identities.insert(id.clone(), identity);
                id
            }
        };
        output!(E, GetIdResponse::builder().identity_id(id))
    }

    async fn get_identity_pool_roles(
        &self,
        input: GetIdentityPoolRolesInput,
        _cx: RequestContext,
    ) -> Result<GetIdentityPoolRolesResponse, GetIdentityPoolRolesError> {
        let state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(
                GetIdentityPoolRolesError,
                input.identity_pool_id
            ));
        };
        output!(
            GetIdentityPoolRolesError,
            GetIdentityPoolRolesResponse::builder()
                .identity_pool_id(input.identity_pool_id.clone())
                .roles(pool.roles.clone())
                .role_mappings(pool.role_mappings.clone())
        )
    }

    async fn get_open_id_token(
        &self,
        input: GetOpenIdTokenInput,
        _cx: RequestContext,
    ) -> Result<GetOpenIdTokenResponse, GetOpenIdTokenError> {
        use GetOpenIdTokenError as E;
        let state = self.state();
        let Some(identity) = state.identities.get(&input.identity_id) else {
            return Err(identity_not_found!(E, input.identity_id));
        };
        let logins = input.logins.unwrap_or_default();
        if logins.is_empty() && !identity.logins.is_empty() {
            return Err(fail!(E::NotAuthorizedException, "Logins don't match. Please include at least one valid login for this identity or identity pool."));
        }
        let from_logins = self
            .check_logins(&input.identity_id, identity, &logins)
            .map_err(|m| fail!(E::NotAuthorizedException, "{m}"))?;
        let amr: Vec<String> = if identity.logins.is_empty() {
            vec!["unauthenticated".to_owned()]
        } else {
            std::iter::once("authenticated".to_owned())
                .chain(from_logins)
                .collect()
        };
        let token = self.signer.token(
            &self.random,
            &input.identity_id,
            &identity.pool_id,
            &amr,
            now().secs(),
            OPENID_TOKEN_SECONDS,
        );
        output!(
            E,
            GetOpenIdTokenResponse::builder()
                .identity_id(input.identity_id)
                .token(token)
        )
    }

    async fn get_open_id_token_for_developer_identity(
        &self,
        input: GetOpenIdTokenForDeveloperIdentityInput,
        _cx: RequestContext,
    ) -> Result<GetOpenIdTokenForDeveloperIdentityResponse, GetOpenIdTokenForDeveloperIdentityError>
    {
        use GetOpenIdTokenForDeveloperIdentityError as E;
        let mut state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(E, input.identity_pool_id));
        };
        let Some(dev) = pool.config.developer_provider_name.clone() else {
            return Err(fail!(
                E::InvalidParameterException,
                "The identity pool has no developer provider name."
            ));
        };
        let Some(user) = input.logins.get(&dev).cloned() else {
            return Err(fail!(
                E::NotAuthorizedException,
                "Logins must include the developer provider {dev}."
            ));
        };
        let owner = state
            .identities
            .iter()
            .find(|(_, i)| i.pool_id == input.identity_pool_id && i.is_linked(&dev, &user))
            .map(|(id, _)| id.clone());
        let id = match (&input.identity_id, owner) {
            (Some(wanted), Some(owner)) if *wanted != owner => {
                return Err(fail!(
                    E::DeveloperUserAlreadyRegisteredException,
                    "Developer user {user} is already registered with identity {owner}."
                ));
            }
            (Some(wanted), _) => {
                let Some(identity) = state
                    .identities
                    .get_mut(wanted)
                    .filter(|i| i.pool_id == input.identity_pool_id)
                else {
                    return Err(fail!(
                        E::ResourceNotFoundException,
                        "Identity '{wanted}' not found."
                    ));
                };
                identity.add_developer_user(&dev, user.clone());
                identity.modified = now();
                wanted.clone()
            }
            (None, Some(owner)) => owner,
            (None, None) => {
                let id = self.new_identity_id();
                state
                    .identities
                    .insert(id.clone(), Identity::new(input.identity_pool_id.clone()));
                id
            }
        };
        if let Some(identity) = state.identities.get_mut(&id) {
            for (provider, token) in &input.logins {
                if *provider == dev {
                    identity.add_developer_user(&dev, token.clone());
                } else {
                    identity.set_login(provider.clone(), subject(token));
                }
            }
        }
        let seconds = input.token_duration.unwrap_or(DEVELOPER_TOKEN_SECONDS);
        let mut amr = vec!["authenticated".to_owned()];
        amr.extend(input.logins.keys().cloned());
        let token = self.signer.token(
            &self.random,
            &id,
            &input.identity_pool_id,
            &amr,
            now().secs(),
            seconds,
        );
        output!(
            E,
            GetOpenIdTokenForDeveloperIdentityResponse::builder()
                .identity_id(id)
                .token(token)
        )
    }

    async fn get_principal_tag_attribute_map(
        &self,
        input: GetPrincipalTagAttributeMapInput,
        _cx: RequestContext,
    ) -> Result<GetPrincipalTagAttributeMapResponse, GetPrincipalTagAttributeMapError> {
        let state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(
                GetPrincipalTagAttributeMapError,
                input.identity_pool_id
            ));
        };
        let (use_defaults, tags) = pool
            .principal_tags
            .get(&input.identity_provider_name)
            .cloned()
            .unwrap_or((true, BTreeMap::new()));
        output!(
            GetPrincipalTagAttributeMapError,
            GetPrincipalTagAttributeMapResponse::builder()
                .identity_pool_id(input.identity_pool_id.clone())
                .identity_provider_name(input.identity_provider_name)
                .use_defaults(use_defaults)
                .principal_tags(tags)
        )
    }

    async fn list_identities(
        &self,
        input: ListIdentitiesInput,
        _cx: RequestContext,
    ) -> Result<ListIdentitiesResponse, ListIdentitiesError> {
        let state = self.state();
        if !state.pools.contains_key(&input.identity_pool_id) {
            return Err(pool_not_found!(ListIdentitiesError, input.identity_pool_id));
        }
        let all: Vec<(String, IdentityDescription)> = state
            .identities
            .iter()
            .filter(|(_, i)| i.pool_id == input.identity_pool_id)
            .map(|(id, i)| (id.clone(), Self::describe(id, i)))
            .collect();
        let (items, next) = page(
            &all,
            input.next_token.as_deref(),
            input.max_results.max(1) as usize,
        )
        .map_err(|m| fail!(ListIdentitiesError::InvalidParameterException, "{m}"))?;
        output!(
            ListIdentitiesError,
            ListIdentitiesResponse::builder()
                .identity_pool_id(input.identity_pool_id.clone())
                .identities(items)
                .set_next_token(next)
        )
    }

    async fn list_identity_pools(
        &self,
        input: ListIdentityPoolsInput,
        _cx: RequestContext,
    ) -> Result<ListIdentityPoolsResponse, ListIdentityPoolsError> {
        let state = self.state();
        let all: Vec<(String, IdentityPoolShortDescription)> = state
            .pools
            .iter()
            .map(|(id, p)| {
                let d = IdentityPoolShortDescription::builder()
                    .identity_pool_id(id.clone())
                    .identity_pool_name(p.config.identity_pool_name.clone())
                    .build()
                    .unwrap_or_else(|_| {
                        unreachable!("IdentityPoolShortDescription has no required members")
                    });
                (id.clone(), d)
            })
            .collect();
        let (items, next) = page(
            &all,
            input.next_token.as_deref(),
            input.max_results.max(1) as usize,
        )
        .map_err(|m| fail!(ListIdentityPoolsError::InvalidParameterException, "{m}"))?;
        output!(
            ListIdentityPoolsError,
            ListIdentityPoolsResponse::builder()
                .identity_pools(items)
                .set_next_token(next)
        )
    }

    async fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
        _cx: RequestContext,
    ) -> Result<ListTagsForResourceResponse, ListTagsForResourceError> {
        let state = self.state();
        let Some(pool) = self
            .pool_of_arn(&input.resource_arn)
            .and_then(|id| state.pools.get(id))
        else {
            return Err(fail!(
                ListTagsForResourceError::ResourceNotFoundException,
                "Resource '{}' not found.",
                input.resource_arn
            ));
        };
        output!(
            ListTagsForResourceError,
            ListTagsForResourceResponse::builder()
                .tags(pool.config.identity_pool_tags.clone().unwrap_or_default())
        )
    }

    async fn lookup_developer_identity(
        &self,
        input: LookupDeveloperIdentityInput,
        _cx: RequestContext,
    ) -> Result<LookupDeveloperIdentityResponse, LookupDeveloperIdentityError> {
        use LookupDeveloperIdentityError as E;
        let state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(E, input.identity_pool_id));
        };
        let Some(dev) = pool.config.developer_provider_name.clone() else {
            return Err(fail!(
                E::ResourceNotFoundException,
                "The identity pool has no developer provider."
            ));
        };
        let found = match (&input.identity_id, &input.developer_user_identifier) {
            (Some(id), _) => state
                .identities
                .get(id)
                .filter(|i| i.pool_id == input.identity_pool_id)
                .map(|i| (id.clone(), i)),
            (None, Some(user)) => state
                .identities
                .iter()
                .find(|(_, i)| i.pool_id == input.identity_pool_id && i.is_linked(&dev, user))
                .map(|(id, i)| (id.clone(), i)),
            (None, None) => {
                return Err(fail!(
                    E::InvalidParameterException,
                    "Either IdentityId or DeveloperUserIdentifier must be given."
                ))
            }
        };
        let Some((id, identity)) = found else {
            return Err(fail!(
                E::ResourceNotFoundException,
                "No identity found for the given identifier."
            ));
        };
        if let Some(user) = &input.developer_user_identifier {
            if !identity.is_linked(&dev, user) {
                return Err(fail!(
                    E::ResourceConflictException,
                    "Developer user {user} is not linked to identity {id}."
                ));
            }
        }
        let users: Vec<(String, String)> = identity
            .logins
            .get(&dev)
            .into_iter()
            .flatten()
            .map(|u| (u.clone(), u.clone()))
            .collect();
        let max = input.max_results.unwrap_or(60).max(1) as usize;
        let (users, next) = page(&users, input.next_token.as_deref(), max)
            .map_err(|m| fail!(E::InvalidParameterException, "{m}"))?;
        output!(
            E,
            LookupDeveloperIdentityResponse::builder()
                .identity_id(id)
                .developer_user_identifier_list(users)
                .set_next_token(next)
        )
    }

    async fn merge_developer_identities(
        &self,
        input: MergeDeveloperIdentitiesInput,
        _cx: RequestContext,
    ) -> Result<MergeDeveloperIdentitiesResponse, MergeDeveloperIdentitiesError> {
        use MergeDeveloperIdentitiesError as E;
        let mut state = self.state();
        let Some(pool) = state.pools.get(&input.identity_pool_id) else {
            return Err(pool_not_found!(E, input.identity_pool_id));
        };
        if pool.config.developer_provider_name.as_deref()
            != Some(input.developer_provider_name.as_str())
        {
            return Err(fail!(
                E::InvalidParameterException,
                "{} is not the developer provider of this identity pool.",
                input.developer_provider_name
            ));
        }
        let dev = input.developer_provider_name.clone();
        let find = |user: &str| {
            state
                .identities
                .iter()
                .find(|(_, i)| i.pool_id == input.identity_pool_id && i.is_linked(&dev, user))
                .map(|(id, _)| id.clone())
        };
        let Some(source) = find(&input.source_user_identifier) else {
            return Err(fail!(
                E::ResourceNotFoundException,
                "Developer user {} not found.",
                input.source_user_identifier
            ));
        };
        let Some(destination) = find(&input.destination_user_identifier) else {
            return Err(fail!(
                E::ResourceNotFoundException,
                "Developer user {} not found.",
                input.destination_user_identifier
            ));
        };
        if source != destination {
            // The API reference: "Cognito associates the given source user with the IdentityId of
            // the DestinationUserIdentifier"; the users' logins together are limited to 20, and
            // two different users of one public provider cannot be merged. So the source
            // identity's logins all move to the destination, and the source identity, left
            // with none, is deleted. Everything is checked before anything changes.
            let (Some(src), Some(dst)) = (
                state.identities.get(&source),
                state.identities.get(&destination),
            ) else {
                return Err(fail!(
                    E::InternalErrorException,
                    "identity {source} or {destination} vanished"
                ));
            };
            for (provider, subjects) in &src.logins {
                let theirs = dst.logins.get(provider).filter(|t| !t.is_empty());
                if *provider != dev && theirs.is_some_and(|t| t != subjects) {
                    return Err(fail!(
                        E::ResourceConflictException,
                        "The identities to merge are linked to different users of {provider}."
                    ));
                }
            }
            if src.linked_count() + dst.linked_count() > MAX_LINKED_LOGINS {
                return Err(fail!(
                    E::InvalidParameterException,
                    "The number of linked logins is limited to {MAX_LINKED_LOGINS}: the users to merge have {} together.",
                    src.linked_count() + dst.linked_count()
                ));
            }
            if let Some(src) = state.identities.remove(&source) {
                if let Some(dst) = state.identities.get_mut(&destination) {
                    for (provider, subjects) in src.logins {
                        dst.logins.entry(provider).or_default().extend(subjects);
                    }
                    dst.modified = now();
                }
            }
        }
        output!(
            E,
            MergeDeveloperIdentitiesResponse::builder().identity_id(destination)
        )
    }

    async fn set_identity_pool_roles(
        &self,
        input: SetIdentityPoolRolesInput,
        _cx: RequestContext,
    ) -> Result<(), SetIdentityPoolRolesError> {
        use SetIdentityPoolRolesError as E;
        if let Some(bad) = input
            .roles
            .keys()
            .find(|k| *k != "authenticated" && *k != "unauthenticated")
        {
            return Err(fail!(
                E::InvalidParameterException,
                "Roles keys must be authenticated or unauthenticated, found {bad}."
            ));
        }
        let mappings = input.role_mappings.unwrap_or_default();
        check_role_mappings(&mappings).map_err(|m| fail!(E::InvalidParameterException, "{m}"))?;
        let mut state = self.state();
        let Some(pool) = state.pools.get_mut(&input.identity_pool_id) else {
            return Err(pool_not_found!(E, input.identity_pool_id));
        };
        pool.roles = input.roles;
        pool.role_mappings = mappings;
        Ok(())
    }

    async fn set_principal_tag_attribute_map(
        &self,
        input: SetPrincipalTagAttributeMapInput,
        _cx: RequestContext,
    ) -> Result<SetPrincipalTagAttributeMapResponse, SetPrincipalTagAttributeMapError> {
        let mut state = self.state();
        let Some(pool) = state.pools.get_mut(&input.identity_pool_id) else {
            return Err(pool_not_found!(
                SetPrincipalTagAttributeMapError,
                input.identity_pool_id
            ));
        };
        let entry = (
            input.use_defaults.unwrap_or(true),
            input.principal_tags.clone().unwrap_or_default(),
        );
        pool.principal_tags
            .insert(input.identity_provider_name.clone(), entry.clone());
        output!(
            SetPrincipalTagAttributeMapError,
            SetPrincipalTagAttributeMapResponse::builder()
                .identity_pool_id(input.identity_pool_id)
                .identity_provider_name(input.identity_provider_name)
                .use_defaults(entry.0)
                .principal_tags(entry.1)
        )
    }

    async fn tag_resource(
        &self,
        input: TagResourceInput,
        _cx: RequestContext,
    ) -> Result<TagResourceResponse, TagResourceError> {
        let mut state = self.state();
        let Some(pool) = self
            .pool_of_arn(&input.resource_arn)
            .and_then(|id| state.pools.get_mut(id))
        else {
            return Err(fail!(
                TagResourceError::ResourceNotFoundException,
                "Resource '{}' not found.",
                input.resource_arn
            ));
        };
        let tags = pool
            .config
            .identity_pool_tags
            .get_or_insert_with(BTreeMap::new);
        tags.extend(input.tags);
        if tags.len() > 50 {
            return Err(fail!(
                TagResourceError::InvalidParameterException,
                "A resource can have at most 50 tags."
            ));
        }
        output!(TagResourceError, TagResourceResponse::builder())
    }

    async fn unlink_developer_identity(
        &self,
        input: UnlinkDeveloperIdentityInput,
        _cx: RequestContext,
    ) -> Result<(), UnlinkDeveloperIdentityError> {
        let mut state = self.state();
        let Some(identity) = state
            .identities
            .get_mut(&input.identity_id)
            .filter(|i| i.pool_id == input.identity_pool_id)
        else {
            return Err(identity_not_found!(
                UnlinkDeveloperIdentityError,
                input.identity_id
            ));
        };
        if !identity.is_linked(
            &input.developer_provider_name,
            &input.developer_user_identifier,
        ) {
            return Err(fail!(
                UnlinkDeveloperIdentityError::ResourceNotFoundException,
                "Developer user {} is not linked to identity {}.",
                input.developer_user_identifier,
                input.identity_id
            ));
        }
        if let Some(users) = identity.logins.get_mut(&input.developer_provider_name) {
            users.remove(&input.developer_user_identifier);
            if users.is_empty() {
                identity.logins.remove(&input.developer_provider_name);
            }
        }
        identity.modified = now();
        Ok(())
    }

    async fn unlink_identity(
        &self,
        input: UnlinkIdentityInput,
        _cx: RequestContext,
    ) -> Result<(), UnlinkIdentityError> {
        use UnlinkIdentityError as E;
        let mut state = self.state();
        let Some(identity) = state.identities.get_mut(&input.identity_id) else {
            return Err(identity_not_found!(E, input.identity_id));
        };
        self.check_logins(&input.identity_id, identity, &input.logins)
            .map_err(|m| fail!(E::NotAuthorizedException, "{m}"))?;
        if let Some(provider) = input
            .logins_to_remove
            .iter()
            .find(|p| !identity.logins.contains_key(*p))
        {
            return Err(fail!(
                E::InvalidParameterException,
                "{provider} is not linked to identity {}.",
                input.identity_id
            ));
        }
        for provider in &input.logins_to_remove {
            identity.logins.remove(provider);
        }
        identity.modified = now();
        Ok(())
    }

    async fn untag_resource(
        &self,
        input: UntagResourceInput,
        _cx: RequestContext,
    ) -> Result<UntagResourceResponse, UntagResourceError> {
        let mut state = self.state();
        let Some(pool) = self
            .pool_of_arn(&input.resource_arn)
            .and_then(|id| state.pools.get_mut(id))
        else {
            return Err(fail!(
                UntagResourceError::ResourceNotFoundException,
                "Resource '{}' not found.",
                input.resource_arn
            ));
        };
        if let Some(tags) = pool.config.identity_pool_tags.as_mut() {
            for k in &input.tag_keys {
                tags.remove(k);
            }
        }
        output!(UntagResourceError, UntagResourceResponse::builder())
    }

    async fn update_identity_pool(
        &self,
        input: IdentityPool,
        _cx: RequestContext,
    ) -> Result<IdentityPool, UpdateIdentityPoolError> {
        let mut state = self.state();
        let Some(pool) = state.pools.get_mut(&input.identity_pool_id) else {
            return Err(pool_not_found!(
                UpdateIdentityPoolError,
                input.identity_pool_id
            ));
        };
        let tags = input
            .identity_pool_tags
            .clone()
            .or_else(|| pool.config.identity_pool_tags.clone());
        let mut updated = input;
        updated.identity_pool_tags = tags;
        pool.config = updated.clone();
        Ok(updated)
    }
}
