//! The generated EKS client (restJson1) against a real moto server: a cluster's life over
//! labels, query strings and JSON bodies, a paginator whose token travels in the query string,
//! and a typed error read from a REST error response.

#[path = "../tests/common/mod.rs"]
mod common;

use eks_2017_11_01_client::error::DescribeClusterError;
use eks_2017_11_01_client::types::VpcConfigRequest;
use eks_2017_11_01_client::{Client, Error};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_describe_list_delete_clusters() {
    let moto = common::Moto::start();
    let c = Client::new(moto.config()).unwrap();
    for name in ["alpha", "beta", "gamma"] {
        let created = c
            .create_cluster()
            .name(name)
            .role_arn("arn:aws:iam::123456789012:role/eks")
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .subnet_ids(vec!["subnet-1".to_owned(), "subnet-2".to_owned()])
                    .build()
                    .unwrap(),
            )
            .tags([("team".to_owned(), "core".to_owned())])
            .send()
            .await
            .unwrap();
        assert_eq!(created.cluster.unwrap().name.as_deref(), Some(name));
    }

    // GET /clusters/{name}: the name is a path label.
    let described = c.describe_cluster().name("beta").send().await.unwrap();
    let cluster = described.cluster.unwrap();
    assert_eq!(cluster.name.as_deref(), Some("beta"));
    assert_eq!(cluster.role_arn.as_deref(), Some("arn:aws:iam::123456789012:role/eks"));
    assert_eq!(
        cluster.tags.as_ref().and_then(|t| t.get("team")).map(String::as_str),
        Some("core")
    );

    // maxResults and nextToken are query parameters.
    let mut names = c.list_clusters().max_results(2).items().try_collect().await.unwrap();
    names.sort();
    assert_eq!(names, ["alpha", "beta", "gamma"], "the paginator walks every page");
    let pages = c.list_clusters().max_results(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2, "two clusters a page");

    c.delete_cluster().name("beta").send().await.unwrap();
    let missing = c.describe_cluster().name("beta").send().await;
    assert!(
        matches!(
            missing,
            Err(Error::Service { error: DescribeClusterError::ResourceNotFoundException(_), status: 404, .. })
        ),
        "{missing:?}"
    );
}
