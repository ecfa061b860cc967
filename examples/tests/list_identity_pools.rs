//! Runs the `list_identity_pools` example (built by `cargo test` with this crate) against a real
//! moto server holding a few pools.

#[path = "../../tests/tests/common/mod.rs"]
mod common;

use std::process::Command;

use cognito_identity_client::{Client, Config, Credentials};

#[tokio::test(flavor = "current_thread")]
async fn lists_the_pools_of_an_endpoint() {
    let moto = common::Moto::start();
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(moto.url())
            .credentials_provider(Credentials::from_keys("testing", "testing", None))
            .build()
            .unwrap(),
    )
    .unwrap();
    for name in ["alpha", "beta"] {
        client
            .create_identity_pool()
            .identity_pool_name(name)
            .allow_unauthenticated_identities(true)
            .send()
            .await
            .unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let example = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/list_identity_pools");
    let out = Command::new(&example)
        .arg(moto.url())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", example.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.lines().any(|l| l.ends_with("\talpha")), "{stdout}");
    assert!(stdout.lines().any(|l| l.ends_with("\tbeta")), "{stdout}");
    assert!(stderr.contains("2 identity pools"), "{stderr}");

    let usage = Command::new(&example).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
