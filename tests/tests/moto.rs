//! The generated client against a real moto server (from the project's virtualenv) on loopback:
//! every operation moto implements, a paginator over more than 60 pools, and a missing pool
//! surfacing as the typed `ResourceNotFoundException`.

mod common;

use std::collections::BTreeMap;

use cognito_identity_client::error::DescribeIdentityPoolError;
use cognito_identity_client::{Client, Config, Credentials, Error, RetryConfig};

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials_provider(Credentials::from_keys("testing", "testing", None))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_identity_against_moto() {
    let moto = common::Moto::start();
    let c = client(&moto.url());

    // Create, describe, update (rename), list.
    let pool = c
        .create_identity_pool()
        .identity_pool_name("first-pool")
        .allow_unauthenticated_identities(true)
        .developer_provider_name("login.example")
        .supported_login_providers(BTreeMap::from([(
            "graph.facebook.com".to_owned(),
            "123".to_owned(),
        )]))
        .send()
        .await
        .unwrap();
    let id = pool.identity_pool_id.clone();
    assert!(id.starts_with("us-east-1:"), "{id}");
    assert_eq!(pool.identity_pool_name, "first-pool");

    let described = c
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.identity_pool_name, "first-pool");
    assert!(described.allow_unauthenticated_identities);

    let renamed = c
        .update_identity_pool()
        .identity_pool_id(&id)
        .identity_pool_name("renamed-pool")
        .allow_unauthenticated_identities(false)
        .send()
        .await
        .unwrap();
    // moto 5.2.5 keeps the old name on UpdateIdentityPool (`pool.identity_pool_name or
    // identity_pool_name` in its backend), so only the flag change is checked here; renames are
    // checked against cognito-identity-local.
    assert_eq!(renamed.identity_pool_id, id);
    let described = c
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert!(!described.allow_unauthenticated_identities);

    for i in 0..64 {
        c.create_identity_pool()
            .identity_pool_name(format!("pool-{i}"))
            .allow_unauthenticated_identities(false)
            .send()
            .await
            .unwrap();
    }
    let pools = c
        .list_identity_pools()
        .max_results(60)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pools.len(), 65, "every pool, across pages");
    assert!(pools
        .iter()
        .any(|p| p.identity_pool_id.as_deref() == Some(id.as_str())));
    assert!(pools
        .iter()
        .any(|p| p.identity_pool_name.as_deref() == Some("pool-63")));
    let pages = c
        .list_identity_pools()
        .max_results(60)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(!pages.is_empty());

    // Identities and tokens.
    let identity = c
        .get_id()
        .identity_pool_id(&id)
        .logins(BTreeMap::from([(
            "graph.facebook.com".to_owned(),
            "facebook-token".to_owned(),
        )]))
        .send()
        .await
        .unwrap();
    let identity_id = identity.identity_id.unwrap();
    let token = c
        .get_open_id_token()
        .identity_id(&identity_id)
        .send()
        .await
        .unwrap();
    assert_eq!(token.identity_id.as_deref(), Some(identity_id.as_str()));
    assert!(token.token.as_deref().is_some_and(|t| !t.is_empty()));
    assert!(
        !format!("{token:?}").contains(token.token.as_deref().unwrap()),
        "the token is redacted"
    );

    let dev = c
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(&id)
        .logins(BTreeMap::from([(
            "login.example".to_owned(),
            "user-1".to_owned(),
        )]))
        .send()
        .await
        .unwrap();
    assert!(dev.identity_id.is_some());
    assert!(dev.token.is_some());

    let creds = c
        .get_credentials_for_identity()
        .identity_id(&identity_id)
        .send()
        .await
        .unwrap();
    let creds = creds.credentials.expect("credentials");
    assert!(creds.access_key_id.is_some());
    assert!(creds.secret_key.is_some());
    assert!(!format!("{creds:?}").contains(creds.secret_key.as_deref().unwrap()));

    let identities = c
        .list_identities()
        .identity_pool_id(&id)
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(identities.identity_pool_id.as_deref(), Some(id.as_str()));

    // Delete, then the pool is gone: a typed error, matched in one step.
    c.delete_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    match c
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
    {
        Err(Error::Service {
            error: DescribeIdentityPoolError::ResourceNotFoundException(e),
            status,
            ..
        }) => {
            assert_eq!(status, 400);
            assert!(
                e.to_string().starts_with("ResourceNotFoundException"),
                "{e}"
            );
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}
