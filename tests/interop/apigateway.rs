//! The generated API Gateway client (restJson1) against a real moto server: REST APIs created,
//! read back by their path label, listed through the paginator, deleted (a 202 with no body),
//! and a typed error for one that is gone.

#[path = "../tests/common/mod.rs"]
mod common;

use apigateway_2015_07_09_client::error::GetRestApiError;
use apigateway_2015_07_09_client::{Client, Error};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_get_list_delete_rest_apis() {
    let moto = common::Moto::start();
    let c = Client::new(moto.config()).unwrap();
    let mut ids = Vec::new();
    for name in ["orders", "users"] {
        let api = c
            .create_rest_api()
            .name(name)
            .description(format!("the {name} API"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.name.as_deref(), Some(name));
        ids.push(api.id.unwrap());
    }

    let got = c.get_rest_api().rest_api_id(&ids[0]).send().await.unwrap();
    assert_eq!(got.name.as_deref(), Some("orders"));
    assert_eq!(got.description.as_deref(), Some("the orders API"));

    let mut names: Vec<String> = c
        .get_rest_apis()
        .limit(10)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.name)
        .collect();
    names.sort();
    assert_eq!(names, ["orders", "users"]);

    c.delete_rest_api().rest_api_id(&ids[0]).send().await.unwrap();
    let gone = c.get_rest_api().rest_api_id(&ids[0]).send().await;
    assert!(
        matches!(gone, Err(Error::Service { error: GetRestApiError::NotFoundException(_), .. })),
        "{gone:?}"
    );
}
