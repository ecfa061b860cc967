//! The generated client against the emulator in process (the transport seam, no socket): the
//! emulator as a typed test double, and its behaviour as the API reference describes it.

use std::collections::BTreeMap;
use std::sync::Arc;

use awsgen_rt::codegen::serde_json::{self, Value};
use cognito_identity_client::error::{
    DescribeIdentityError, GetCredentialsForIdentityError, GetIdError, GetOpenIdTokenError,
    MergeDeveloperIdentitiesError,
};
use cognito_identity_client::{transport, Client, Config, Credentials, Error};
use cognito_identity_local::Emulator;

fn client() -> (Client, Arc<String>) {
    let emulator = Emulator::new("eu-west-1").unwrap();
    let jwk = Arc::new(emulator.jwk());
    let service = cognito_identity_server::service(emulator);
    let client = Client::new(
        Config::builder()
            .region("eu-west-1")
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .transport(transport::from_tower(service))
            .build()
            .unwrap(),
    )
    .unwrap();
    (client, jwk)
}

fn b64url_decode(s: &str) -> Vec<u8> {
    let mut b = s.replace('-', "+").replace('_', "/");
    while b.len() % 4 != 0 {
        b.push('=');
    }
    awsgen_rt::blob::decode(&b).unwrap()
}

/// Checks an ES256 JWT against the emulator's JWK and returns its claims.
fn verify(token: &str, jwk: &str) -> serde_json::Map<String, Value> {
    let key: Value = serde_json::from_str(jwk).unwrap();
    let mut point = vec![4u8];
    point.extend(b64url_decode(key["x"].as_str().unwrap()));
    point.extend(b64url_decode(key["y"].as_str().unwrap()));
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let signed = format!("{}.{}", parts[0], parts[1]);
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, point)
        .verify(signed.as_bytes(), &b64url_decode(parts[2]))
        .expect("the token's signature verifies with the published key");
    cognito_identity_local::claims(token).unwrap()
}

#[tokio::test]
async fn pools_pagination_and_rename() {
    let (c, _) = client();
    let mut ids = Vec::new();
    for i in 0..65 {
        let p = c
            .create_identity_pool()
            .identity_pool_name(format!("pool {i}"))
            .allow_unauthenticated_identities(false)
            .send()
            .await
            .unwrap();
        ids.push(p.identity_pool_id);
    }
    let pages = c
        .list_identity_pools()
        .max_results(30)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p.identity_pools.as_ref().map_or(0, Vec::len))
            .collect::<Vec<_>>(),
        [30, 30, 5]
    );
    let items = c
        .list_identity_pools()
        .max_results(60)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 65);
    let renamed = c
        .update_identity_pool()
        .identity_pool_id(&ids[0])
        .identity_pool_name("renamed")
        .allow_unauthenticated_identities(true)
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.identity_pool_name, "renamed");
    assert_eq!(
        c.describe_identity_pool()
            .identity_pool_id(&ids[0])
            .send()
            .await
            .unwrap()
            .identity_pool_name,
        "renamed"
    );
    c.delete_identity_pool()
        .identity_pool_id(&ids[0])
        .send()
        .await
        .unwrap();
    let gone = c.get_id().identity_pool_id(&ids[0]).send().await;
    assert!(
        matches!(
            gone,
            Err(Error::Service {
                error: GetIdError::ResourceNotFoundException(_),
                ..
            })
        ),
        "{gone:?}"
    );
}

#[tokio::test]
async fn tokens_and_credentials() {
    let (c, jwk) = client();
    let pool = c
        .create_identity_pool()
        .identity_pool_name("tokens")
        .allow_unauthenticated_identities(true)
        .developer_provider_name("login.example")
        .send()
        .await
        .unwrap()
        .identity_pool_id;
    let id = c
        .get_id()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let token = c
        .get_open_id_token()
        .identity_id(&id)
        .send()
        .await
        .unwrap()
        .token
        .unwrap();
    let claims = verify(&token, &jwk);
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["aud"], pool.as_str());
    assert_eq!(claims["iss"], cognito_identity_local::ISSUER);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        600
    );

    let dev = c
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(&pool)
        .logins(BTreeMap::from([(
            "login.example".to_owned(),
            "user-42".to_owned(),
        )]))
        .token_duration(7200)
        .send()
        .await
        .unwrap();
    let claims = verify(dev.token.as_deref().unwrap(), &jwk);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        7200
    );

    // A pool without roles refuses credentials, as AWS does.
    let refused = c
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::Service {
                error: GetCredentialsForIdentityError::InvalidIdentityPoolConfigurationException(_),
                ..
            })
        ),
        "{refused:?}"
    );
    c.set_identity_pool_roles()
        .identity_pool_id(&pool)
        .roles(BTreeMap::from([(
            "unauthenticated".to_owned(),
            "arn:aws:iam::123456789012:role/unauth".to_owned(),
        )]))
        .send()
        .await
        .unwrap();
    let creds = c
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let expires = creds.expiration.unwrap().secs() - awsgen_rt::DateTime::now().secs();
    assert!((3500..=3600).contains(&expires), "{expires}");
    assert!(creds.access_key_id.unwrap().starts_with("ASIA"));
}

fn logins(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A pool with a developer provider and an authenticated role.
async fn developer_pool(c: &Client, name: &str) -> String {
    let pool = c
        .create_identity_pool()
        .identity_pool_name(name)
        .allow_unauthenticated_identities(false)
        .developer_provider_name("login.example")
        .supported_login_providers(logins(&[("graph.facebook.com", "12345")]))
        .send()
        .await
        .unwrap()
        .identity_pool_id;
    c.set_identity_pool_roles()
        .identity_pool_id(&pool)
        .roles(logins(&[(
            "authenticated",
            "arn:aws:iam::123456789012:role/auth",
        )]))
        .send()
        .await
        .unwrap();
    pool
}

/// (identity id, token) for a developer user.
async fn developer(c: &Client, pool: &str, user: &str) -> (String, String) {
    let out = c
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(pool)
        .logins(logins(&[("login.example", user)]))
        .send()
        .await
        .unwrap();
    (out.identity_id.unwrap(), out.token.unwrap())
}

#[tokio::test]
async fn the_emulators_own_tokens_are_logins_of_their_identity_only() {
    let (c, jwk) = client();
    let pool = developer_pool(&c, "enhanced flow").await;
    let (a, token) = developer(&c, &pool, "user-a").await;
    let cognito = |t: &str| logins(&[("cognito-identity.amazonaws.com", t)]);
    let creds = c
        .get_credentials_for_identity()
        .identity_id(&a)
        .logins(cognito(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(creds.identity_id.as_deref(), Some(a.as_str()));
    let fresh = c
        .get_open_id_token()
        .identity_id(&a)
        .logins(cognito(&token))
        .send()
        .await
        .unwrap()
        .token
        .unwrap();
    let claims = verify(&fresh, &jwk);
    assert_eq!(claims["sub"], a.as_str());
    assert_eq!(
        claims["amr"],
        serde_json::json!(["authenticated", "login.example"])
    );

    let (b, b_token) = developer(&c, &pool, "user-b").await;
    let other_pool = developer_pool(&c, "other").await;
    let (_, foreign) = developer(&c, &other_pool, "user-a").await;
    // Another emulator signs with another key.
    let (other_client, _) = client();
    let elsewhere_pool = developer_pool(&other_client, "elsewhere").await;
    let (_, elsewhere) = developer(&other_client, &elsewhere_pool, "user-a").await;
    for (what, t) in [
        ("b's token for a", b_token.as_str()),
        ("another pool's", foreign.as_str()),
        ("another emulator's", elsewhere.as_str()),
        ("garbage", "x.y.z"),
    ] {
        let refused = c
            .get_credentials_for_identity()
            .identity_id(&a)
            .logins(cognito(t))
            .send()
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Service {
                    error: GetCredentialsForIdentityError::NotAuthorizedException(_),
                    ..
                })
            ),
            "{what}: {refused:?}"
        );
        let refused = c
            .get_open_id_token()
            .identity_id(&a)
            .logins(cognito(t))
            .send()
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Service {
                    error: GetOpenIdTokenError::NotAuthorizedException(_),
                    ..
                })
            ),
            "{what}: {refused:?}"
        );
    }
    // b's own token is fine for b.
    c.get_credentials_for_identity()
        .identity_id(&b)
        .logins(cognito(&b_token))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn merging_developer_identities_moves_the_source_to_the_destination() {
    let (c, _) = client();
    let pool = developer_pool(&c, "merge").await;
    let (a, _) = developer(&c, &pool, "user-a").await;
    let (b, _) = developer(&c, &pool, "user-b").await;
    let merge = |source: &str, destination: &str| {
        c.merge_developer_identities()
            .source_user_identifier(source)
            .destination_user_identifier(destination)
            .developer_provider_name("login.example")
            .identity_pool_id(&pool)
            .send()
    };
    let merged = merge("user-b", "user-a").await.unwrap();
    assert_eq!(merged.identity_id.as_deref(), Some(a.as_str()));
    let lookup = |id: Option<&str>, user: Option<&str>| {
        let mut l = c.lookup_developer_identity().identity_pool_id(&pool);
        if let Some(id) = id {
            l = l.identity_id(id);
        }
        if let Some(user) = user {
            l = l.developer_user_identifier(user);
        }
        l.max_results(10).send()
    };
    let both = lookup(Some(&a), None).await.unwrap();
    assert_eq!(
        both.developer_user_identifier_list.unwrap(),
        ["user-a", "user-b"]
    );
    let b_now = lookup(None, Some("user-b")).await.unwrap();
    assert_eq!(b_now.identity_id.as_deref(), Some(a.as_str()));
    let gone = c.describe_identity().identity_id(&b).send().await;
    assert!(
        matches!(
            gone,
            Err(Error::Service {
                error: DescribeIdentityError::ResourceNotFoundException(_),
                ..
            })
        ),
        "the source identity, left without logins, is deleted: {gone:?}"
    );
    assert_eq!(developer(&c, &pool, "user-b").await.0, a);
    c.unlink_developer_identity()
        .identity_id(&a)
        .identity_pool_id(&pool)
        .developer_provider_name("login.example")
        .developer_user_identifier("user-b")
        .send()
        .await
        .unwrap();
    let left = lookup(Some(&a), None).await.unwrap();
    assert_eq!(left.developer_user_identifier_list.unwrap(), ["user-a"]);

    // Two users of one public provider do not merge, and nothing moves.
    for (user, facebook) in [("user-c", "fb-1"), ("user-d", "fb-2")] {
        c.get_open_id_token_for_developer_identity()
            .identity_pool_id(&pool)
            .logins(logins(&[
                ("login.example", user),
                ("graph.facebook.com", facebook),
            ]))
            .send()
            .await
            .unwrap();
    }
    let conflict = merge("user-d", "user-c").await;
    assert!(
        matches!(
            conflict,
            Err(Error::Service {
                error: MergeDeveloperIdentitiesError::ResourceConflictException(_),
                ..
            })
        ),
        "{conflict:?}"
    );
    let d = lookup(None, Some("user-d")).await.unwrap();
    assert_eq!(d.developer_user_identifier_list.unwrap(), ["user-d"]);

    // At most 20 linked logins together.
    for i in 0..20 {
        c.get_open_id_token_for_developer_identity()
            .identity_pool_id(&pool)
            .identity_id(&a)
            .logins(logins(&[("login.example", &format!("many-{i}"))]))
            .send()
            .await
            .unwrap();
    }
    let too_many = merge("user-d", "user-a").await;
    assert!(
        matches!(
            too_many,
            Err(Error::Service {
                error: MergeDeveloperIdentitiesError::InvalidParameterException(_),
                ..
            })
        ),
        "{too_many:?}"
    );
}
