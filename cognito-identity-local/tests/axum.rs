//! The generated service mounted in an axum `Router` (next to the application's own routes),
//! served over loopback, used by the generated client.

use cognito_identity_client::{Client, Config, Credentials};
use cognito_identity_local::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mounts_in_an_axum_router() {
    let service = cognito_identity_server::service(Emulator::new("us-east-1").unwrap());
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .route_service("/", service);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://{addr}"))
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .build()
            .unwrap(),
    )
    .unwrap();
    let pool = client
        .create_identity_pool()
        .identity_pool_name("axum")
        .allow_unauthenticated_identities(true)
        .send()
        .await
        .unwrap();
    let listed = client
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.identity_pools.unwrap()[0]
            .identity_pool_id
            .as_deref(),
        Some(pool.identity_pool_id.as_str())
    );
    let id = client
        .get_id()
        .identity_pool_id(&pool.identity_pool_id)
        .send()
        .await
        .unwrap();
    assert!(id.identity_id.is_some());
}
