//! Lists every identity pool of an endpoint, page by page.
//!
//! ```text
//! cargo run -p examples --example list_identity_pools -- http://127.0.0.1:5000
//! ```
//!
//! Region and credentials come from the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, ...,
//! or the shared profile files); the region defaults to us-east-1.

use cognito_identity_client::{Client, ConfigBuilder};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(endpoint) = std::env::args().nth(1) else {
        eprintln!("usage: list_identity_pools ENDPOINT_URL");
        std::process::exit(2);
    };
    let mut config = ConfigBuilder::from_env().endpoint_url(endpoint);
    if std::env::var_os("AWS_REGION").is_none() && std::env::var_os("AWS_DEFAULT_REGION").is_none()
    {
        config = config.region("us-east-1");
    }
    let client = Client::new(config.build()?)?;
    let mut pools = client.list_identity_pools().max_results(60).items();
    let mut count = 0;
    while let Some(pool) = pools.next().await {
        let pool = pool?;
        println!(
            "{}\t{}",
            pool.identity_pool_id.as_deref().unwrap_or("-"),
            pool.identity_pool_name.as_deref().unwrap_or("-")
        );
        count += 1;
    }
    eprintln!("{count} identity pools");
    Ok(())
}
