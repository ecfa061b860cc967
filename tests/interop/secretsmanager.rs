//! The generated Secrets Manager client (awsJson 1.1) against a real moto server: create (with an
//! idempotency token filled in), read, update, list with the paginator, delete, a typed error, and
//! the secret never in `Debug`.

#[path = "../tests/common/mod.rs"]
mod common;

use secretsmanager_2017_10_17_client::error::GetSecretValueError;
use secretsmanager_2017_10_17_client::{Client, Error};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_lifecycle() {
    let moto = common::Moto::start();
    let c = Client::new(moto.config()).unwrap();
    let created = c.create_secret().name("db-password").secret_string("hunter2-very-secret").send().await.unwrap();
    assert_eq!(created.name.as_deref(), Some("db-password"));
    assert!(created.version_id.is_some(), "the version id comes from the filled-in ClientRequestToken");

    let value = c.get_secret_value().secret_id("db-password").send().await.unwrap();
    assert_eq!(value.secret_string.as_deref(), Some("hunter2-very-secret"));
    assert!(!format!("{value:?}").contains("hunter2"), "secrets stay out of Debug");

    c.put_secret_value().secret_id("db-password").secret_string("rotated").send().await.unwrap();
    let value = c.get_secret_value().secret_id("db-password").send().await.unwrap();
    assert_eq!(value.secret_string.as_deref(), Some("rotated"));

    for i in 0..5 {
        c.create_secret().name(format!("extra-{i}")).secret_string("x").send().await.unwrap();
    }
    let all = c.list_secrets().max_results(2).items().try_collect().await.unwrap();
    assert_eq!(all.len(), 6, "{all:?}");

    c.delete_secret().secret_id("db-password").force_delete_without_recovery(true).send().await.unwrap();
    let missing = c.get_secret_value().secret_id("db-password").send().await;
    assert!(
        matches!(missing, Err(Error::Service { error: GetSecretValueError::ResourceNotFoundException(_), .. })),
        "{missing:?}"
    );
}
