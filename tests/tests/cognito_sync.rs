//! The generated restJson1 server stub (Cognito Sync) with a small in-memory implementation of
//! its dataset and record operations, served over loopback and driven by boto3
//! (`tests/python/cognito_sync_peer.py`) and by the generated restJson1 client.

mod common;
mod stub;

use std::collections::BTreeMap;
use std::sync::Mutex;

use awsgen_rt::DateTime;
use cognito_sync_server::error::{DeleteDatasetError, DescribeDatasetError};
use cognito_sync_server::types::*;
use cognito_sync_server::{CognitoSync, RequestContext};

/// Datasets by (identity, name): records by key, the dataset's sync count and last writer.
#[derive(Default)]
struct Datasets {
    datasets: Mutex<BTreeMap<(String, String), Stored>>,
}

#[derive(Clone)]
struct Stored {
    created: DateTime,
    modified: DateTime,
    by: String,
    sync_count: i64,
    records: BTreeMap<String, Record>,
}

fn now() -> DateTime {
    DateTime::from(std::time::SystemTime::now())
}

fn dataset(identity: &str, name: &str, d: &Stored) -> Dataset {
    Dataset::builder()
        .identity_id(identity)
        .dataset_name(name)
        .creation_date(d.created)
        .last_modified_date(d.modified)
        .last_modified_by(d.by.clone())
        .num_records(d.records.len() as i64)
        .data_storage(
            d.records
                .values()
                .map(|r| r.value.as_deref().map_or(0, str::len) as i64)
                .sum::<i64>(),
        )
        .build()
        .unwrap()
}

fn not_found(name: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::builder()
        .message(format!("Dataset {name} does not exist"))
        .build()
        .unwrap()
}

impl CognitoSync for Datasets {
    async fn update_records(
        &self,
        input: UpdateRecordsRequest,
        _: RequestContext,
    ) -> Result<UpdateRecordsResponse, cognito_sync_server::error::UpdateRecordsError> {
        let mut all = self.datasets.lock().unwrap();
        let t = now();
        let d = all
            .entry((input.identity_id.clone(), input.dataset_name.clone()))
            .or_insert_with(|| Stored {
                created: t,
                modified: t,
                by: String::new(),
                sync_count: 0,
                records: BTreeMap::new(),
            });
        d.sync_count += 1;
        d.modified = t;
        d.by = input
            .client_context
            .clone()
            .unwrap_or_else(|| "device".into());
        let mut changed = Vec::new();
        for patch in input.record_patches.unwrap_or_default() {
            let record = Record::builder()
                .key(patch.key.clone())
                .set_value(patch.value.clone())
                .sync_count(d.sync_count)
                .last_modified_date(t)
                .last_modified_by(d.by.clone())
                .build()
                .unwrap();
            match patch.op {
                Operation::Remove => {
                    d.records.remove(&patch.key);
                }
                _ => {
                    d.records.insert(patch.key.clone(), record.clone());
                }
            }
            changed.push(record);
        }
        Ok(UpdateRecordsResponse::builder()
            .records(changed)
            .build()
            .unwrap())
    }

    async fn list_records(
        &self,
        input: ListRecordsRequest,
        _: RequestContext,
    ) -> Result<ListRecordsResponse, cognito_sync_server::error::ListRecordsError> {
        let all = self.datasets.lock().unwrap();
        let d = all.get(&(input.identity_id.clone(), input.dataset_name.clone()));
        let records: Vec<Record> = d
            .map(|d| d.records.values().cloned().collect())
            .unwrap_or_default();
        let mut out = ListRecordsResponse::builder()
            .count(records.len() as i32)
            .records(records)
            .dataset_exists(d.is_some())
            .sync_session_token("session");
        if let Some(d) = d {
            out = out
                .dataset_sync_count(d.sync_count)
                .last_modified_by(d.by.clone());
        }
        Ok(out.build().unwrap())
    }

    async fn list_datasets(
        &self,
        input: ListDatasetsRequest,
        _: RequestContext,
    ) -> Result<ListDatasetsResponse, cognito_sync_server::error::ListDatasetsError> {
        let all = self.datasets.lock().unwrap();
        let datasets: Vec<Dataset> = all
            .iter()
            .filter(|((identity, _), _)| *identity == input.identity_id)
            .map(|((identity, name), d)| dataset(identity, name, d))
            .collect();
        Ok(ListDatasetsResponse::builder()
            .count(datasets.len() as i32)
            .datasets(datasets)
            .build()
            .unwrap())
    }

    async fn describe_dataset(
        &self,
        input: DescribeDatasetRequest,
        _: RequestContext,
    ) -> Result<DescribeDatasetResponse, DescribeDatasetError> {
        let all = self.datasets.lock().unwrap();
        match all.get(&(input.identity_id.clone(), input.dataset_name.clone())) {
            Some(d) => Ok(DescribeDatasetResponse::builder()
                .dataset(dataset(&input.identity_id, &input.dataset_name, d))
                .build()
                .unwrap()),
            None => Err(DescribeDatasetError::ResourceNotFoundException(not_found(
                &input.dataset_name,
            ))),
        }
    }

    async fn delete_dataset(
        &self,
        input: DeleteDatasetRequest,
        _: RequestContext,
    ) -> Result<DeleteDatasetResponse, DeleteDatasetError> {
        let mut all = self.datasets.lock().unwrap();
        match all.remove(&(input.identity_id.clone(), input.dataset_name.clone())) {
            Some(d) => Ok(DeleteDatasetResponse::builder()
                .dataset(dataset(&input.identity_id, &input.dataset_name, &d))
                .build()
                .unwrap()),
            None => Err(DeleteDatasetError::ResourceNotFoundException(not_found(
                &input.dataset_name,
            ))),
        }
    }
}

/// Serves the stub on a loopback port until the test ends; its URL.
async fn serve(datasets: Datasets) -> String {
    stub::serve_stub(cognito_sync_server::service(datasets)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_against_the_generated_rest_json_stub() {
    let url = serve(Datasets::default()).await;
    stub::run_boto3_peer(
        "cognito_sync_peer.py",
        &url,
        "cognito-sync boto3 peer: 7 passed, 0 failed",
    )
    .await;
}

/// The generated restJson1 client against the generated restJson1 server: the two sides agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_client_against_the_generated_stub() {
    use cognito_sync_client::error::DescribeDatasetError as ClientDescribeError;
    use cognito_sync_client::types::{Operation as PatchOp, RecordPatch};
    use cognito_sync_client::{Client, Config, Credentials, Error};

    let url = serve(Datasets::default()).await;
    let c = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .build()
            .unwrap(),
    )
    .unwrap();
    let (pool, identity) = (
        "us-east-1:00000000-0000-4000-8000-000000000000",
        "us-east-1:11111111-0000-4000-8000-000000000000",
    );
    let patch = RecordPatch::builder()
        .op(PatchOp::Replace)
        .key("k 1")
        .value("v")
        .sync_count(0)
        .build()
        .unwrap();
    let updated = c
        .update_records()
        .identity_pool_id(pool)
        .identity_id(identity)
        .dataset_name("my.data-set:1")
        .sync_session_token("t")
        .client_context("phone")
        .record_patches(vec![patch])
        .send()
        .await
        .unwrap();
    assert_eq!(updated.records.unwrap()[0].key.as_deref(), Some("k 1"));
    let listed = c
        .list_records()
        .identity_pool_id(pool)
        .identity_id(identity)
        .dataset_name("my.data-set:1")
        .max_results(5)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.last_modified_by.as_deref(), Some("phone"));
    assert_eq!(listed.records.unwrap()[0].value.as_deref(), Some("v"));
    let missing = c
        .describe_dataset()
        .identity_pool_id(pool)
        .identity_id(identity)
        .dataset_name("nope")
        .send()
        .await;
    assert!(
        matches!(
            missing,
            Err(Error::Service {
                error: ClientDescribeError::ResourceNotFoundException(_),
                status: 404,
                ..
            })
        ),
        "{missing:?}"
    );
}

/// The media types Smithy's restJson1 servers check, kept to what no AWS SDK trips: a JSON body
/// with another `Content-Type` is 415, an `Accept` that allows no JSON is 406.
#[tokio::test]
async fn content_type_and_accept_are_checked() {
    use http_body_util::Full;

    let service = cognito_sync_server::service(Datasets::default()).allow_unsigned();
    let base = "/identitypools/us-east-1:00000000-0000-4000-8000-000000000000/identities/us-east-1:11111111-0000-4000-8000-000000000000/datasets";
    let call = |method: &'static str,
                uri: String,
                headers: Vec<(&'static str, &'static str)>,
                body: &'static str| {
        let service = service.clone();
        async move {
            let mut req = http::Request::builder().method(method).uri(uri);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            let resp = service
                .handle(
                    req.body(Full::new(bytes::Bytes::from_static(body.as_bytes())))
                        .unwrap(),
                )
                .await;
            let status = resp.status().as_u16();
            let kind = resp
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.to_str().unwrap().to_owned());
            let _ = resp.into_body().collect().await.unwrap();
            (status, kind)
        }
    };
    let records = r#"{"SyncSessionToken":"t","RecordPatches":[]}"#;
    let update = format!("{base}/settings");
    let (status, kind) = call(
        "POST",
        update.clone(),
        vec![("content-type", "text/plain")],
        records,
    )
    .await;
    assert_eq!(
        (status, kind.as_deref()),
        (415, Some("UnsupportedMediaTypeException"))
    );
    for headers in [
        vec![("content-type", "application/json; charset=utf-8")],
        vec![],
    ] {
        let (status, kind) = call("POST", update.clone(), headers, records).await;
        assert_eq!((status, kind), (200, None));
    }
    let (status, kind) = call("GET", base.to_owned(), vec![("accept", "text/html")], "").await;
    assert_eq!(
        (status, kind.as_deref()),
        (406, Some("NotAcceptableException"))
    );
    for accept in ["text/html, application/json;q=0.9", "*/*", "application/*"] {
        let (status, kind) = call("GET", base.to_owned(), vec![("accept", accept)], "").await;
        assert_eq!((status, kind), (200, None), "{accept}");
    }
}
