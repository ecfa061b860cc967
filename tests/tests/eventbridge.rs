//! The generated Smithy RPC v2 CBOR server stub (EventBridge v2, which botocore speaks only in
//! CBOR) with a small in-memory implementation of its event bus operations, served over loopback
//! and driven by boto3 (`tests/python/eventbridge_peer.py`) and by the generated CBOR client.

mod common;
mod stub;

use std::collections::BTreeMap;
use std::sync::Mutex;

use awsgen_rt::DateTime;
use event_bridge_v2_server::error::{
    CreateEventBusError, DeleteEventBusError, DescribeEventBusError, ListEventBusesError,
    PutEventsError,
};
use event_bridge_v2_server::types::*;
use event_bridge_v2_server::{EventBridgeV2, RequestContext};

#[derive(Clone)]
struct Bus {
    name: String,
    arn: String,
    description: Option<String>,
    retention: Option<i32>,
    created: DateTime,
}

/// Event buses by name.
#[derive(Default)]
struct Buses {
    buses: Mutex<BTreeMap<String, Bus>>,
    created: Mutex<u64>,
}

impl Buses {
    fn by_arn(&self, arn: &str) -> Option<Bus> {
        let buses = self.buses.lock().unwrap();
        buses.values().find(|b| b.arn == arn).cloned()
    }
}

fn not_found(arn: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::builder()
        .message(format!("Event bus {arn} does not exist"))
        .build()
        .unwrap()
}

fn storage(b: &Bus) -> StorageConfigurationOutput {
    StorageConfigurationOutput::builder()
        .set_retention_period_in_days(b.retention)
        .retention_window_start_time(b.created)
        .build()
        .unwrap()
}

impl EventBridgeV2 for Buses {
    async fn create_event_bus(
        &self,
        input: CreateEventBusRequest,
        _: RequestContext,
    ) -> Result<CreateEventBusResponse, CreateEventBusError> {
        let mut buses = self.buses.lock().unwrap();
        if buses.contains_key(&input.name) {
            return Err(CreateEventBusError::ResourceAlreadyExistsException(
                ResourceAlreadyExistsException::builder()
                    .message(format!("Event bus {} already exists", input.name))
                    .build()
                    .unwrap(),
            ));
        }
        let mut n = self.created.lock().unwrap();
        *n += 1;
        let bus = Bus {
            arn: format!(
                "arn:aws:events:us-east-1:123456789012:event-busv2/{}/{:025}",
                input.name, *n
            ),
            name: input.name.clone(),
            description: input.description,
            retention: input
                .storage_configuration
                .and_then(|s| s.retention_period_in_days),
            // A time with milliseconds: CBOR carries it as a double under tag 1.
            created: DateTime::from_secs_and_nanos(1_735_787_045, 250_000_000),
        };
        buses.insert(bus.name.clone(), bus.clone());
        Ok(CreateEventBusResponse::builder()
            .event_bus_arn(bus.arn.clone())
            .name(bus.name.clone())
            .set_description(bus.description.clone())
            .storage_configuration(storage(&bus))
            .state(BusState::Active)
            .creation_time(bus.created)
            .build()
            .unwrap())
    }

    async fn describe_event_bus(
        &self,
        input: DescribeEventBusRequest,
        _: RequestContext,
    ) -> Result<DescribeEventBusResponse, DescribeEventBusError> {
        let Some(bus) = self.by_arn(&input.event_bus_arn) else {
            return Err(DescribeEventBusError::ResourceNotFoundException(not_found(
                &input.event_bus_arn,
            )));
        };
        Ok(DescribeEventBusResponse::builder()
            .event_bus_arn(bus.arn.clone())
            .name(bus.name.clone())
            .set_description(bus.description.clone())
            .storage_configuration(storage(&bus))
            .creation_time(bus.created)
            .last_modified_time(bus.created)
            .state(BusState::Active)
            .build()
            .unwrap())
    }

    async fn list_event_buses(
        &self,
        input: ListEventBusesRequest,
        _: RequestContext,
    ) -> Result<ListEventBusesResponse, ListEventBusesError> {
        let buses = self.buses.lock().unwrap();
        let prefix = input.name_prefix.unwrap_or_default();
        let all: Vec<&Bus> = buses
            .values()
            .filter(|b| b.name.starts_with(&prefix))
            .collect();
        let start: usize = input
            .next_token
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let size = input.max_results.unwrap_or(100) as usize;
        let page = all.iter().skip(start).take(size);
        let summaries = page
            .map(|b| {
                EventBusSummary::builder()
                    .name(b.name.clone())
                    .event_bus_arn(b.arn.clone())
                    .set_description(b.description.clone())
                    .creation_time(b.created)
                    .state(BusState::Active)
                    .event_bus_account_id("123456789012")
                    .build()
                    .unwrap()
            })
            .collect::<Vec<_>>();
        let next = (start + size < all.len()).then(|| (start + size).to_string());
        Ok(ListEventBusesResponse::builder()
            .event_buses(summaries)
            .set_next_token(next)
            .build()
            .unwrap())
    }

    async fn delete_event_bus(
        &self,
        input: DeleteEventBusRequest,
        _: RequestContext,
    ) -> Result<DeleteEventBusResponse, DeleteEventBusError> {
        let Some(bus) = self.by_arn(&input.event_bus_arn) else {
            return Err(DeleteEventBusError::ResourceNotFoundException(not_found(
                &input.event_bus_arn,
            )));
        };
        self.buses.lock().unwrap().remove(&bus.name);
        Ok(DeleteEventBusResponse::builder().build().unwrap())
    }

    /// Each entry's event id says what arrived: its source, its time in epoch milliseconds and
    /// its detail's length, so a peer can check the wire carried them.
    async fn put_events(
        &self,
        input: PutEventsRequest,
        _: RequestContext,
    ) -> Result<PutEventsResponse, PutEventsError> {
        if self.by_arn(&input.event_bus_arn).is_none() {
            return Err(PutEventsError::ResourceNotFoundException(not_found(
                &input.event_bus_arn,
            )));
        }
        let entries = input
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let millis = e
                    .time
                    .map_or(-1, |t| (t.as_epoch_f64() * 1000.0).round() as i64);
                PutEventsResultEntry::builder()
                    .event_id(format!(
                        "{}@{millis}/{}",
                        e.source,
                        e.detail.as_deref().map_or(0, str::len)
                    ))
                    .sequence_number(i.to_string())
                    .success_code(SuccessCode::Published)
                    .build()
                    .unwrap()
            })
            .collect::<Vec<_>>();
        Ok(PutEventsResponse::builder()
            .failed_entry_count(0)
            .entries(entries)
            .build()
            .unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_against_the_generated_cbor_stub() {
    let url = stub::serve_stub(event_bridge_v2_server::service(Buses::default())).await;
    stub::run_boto3_peer(
        "eventbridge_peer.py",
        &url,
        "eventbridge boto3 peer: 8 passed, 0 failed",
    )
    .await;
}

/// The generated CBOR client against the generated CBOR server: the two sides agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_client_against_the_generated_stub() {
    use event_bridge_v2_client::error::DescribeEventBusError as ClientDescribeError;
    use event_bridge_v2_client::types::{PutEventsRequestEntry, StorageConfiguration};
    use event_bridge_v2_client::{Client, Config, Credentials, Error};

    let url = stub::serve_stub(event_bridge_v2_server::service(Buses::default())).await;
    let c = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials_provider(Credentials::from_keys("AKID", "secret", None))
            .build()
            .unwrap(),
    )
    .unwrap();
    let created = c
        .create_event_bus()
        .name("orders")
        .description("näive \u{1F600}")
        .storage_configuration(
            StorageConfiguration::builder()
                .retention_period_in_days(7)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let arn = created.event_bus_arn.unwrap();
    assert_eq!(
        created.state,
        Some(event_bridge_v2_client::types::BusState::Active)
    );
    assert_eq!(
        created.creation_time,
        Some(DateTime::from_secs_and_nanos(1_735_787_045, 250_000_000)),
        "milliseconds survive the tagged double"
    );
    for i in 0..4 {
        c.create_event_bus()
            .name(format!("bus-{i}"))
            .send()
            .await
            .unwrap();
    }
    let names: Vec<String> = c
        .list_event_buses()
        .max_results(2)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|b| b.name)
        .collect();
    assert_eq!(
        names,
        ["bus-0", "bus-1", "bus-2", "bus-3", "orders"],
        "across three pages"
    );
    let described = c
        .describe_event_bus()
        .event_bus_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.description.as_deref(), Some("näive \u{1F600}"));
    assert_eq!(
        described
            .storage_configuration
            .unwrap()
            .retention_period_in_days,
        Some(7)
    );
    let put = c
        .put_events()
        .event_bus_arn(&arn)
        .entries(vec![PutEventsRequestEntry::builder()
            .source("shop")
            .detail_type("OrderPlaced")
            .detail(r#"{"id": 1}"#)
            .time(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000))
            .build()
            .unwrap()])
        .send()
        .await
        .unwrap();
    assert_eq!(
        put.entries.unwrap()[0].event_id.as_deref(),
        Some("shop@1700000000123/9")
    );
    // A constraint the server checks: the name's pattern, against the whole value.
    let bad = c.create_event_bus().name("orders/x").send().await;
    match bad {
        Err(Error::Service {
            status: 400, error, ..
        }) => {
            let m = error.to_string();
            assert!(m.contains("ValidationException"), "{m}");
            assert!(m.contains("regular expression pattern"), "{m}");
        }
        other => panic!("expected a 400 ValidationException: {other:?}"),
    }
    c.delete_event_bus()
        .event_bus_arn(&arn)
        .send()
        .await
        .unwrap();
    let gone = c.describe_event_bus().event_bus_arn(&arn).send().await;
    assert!(
        matches!(
            gone,
            Err(Error::Service {
                error: ClientDescribeError::ResourceNotFoundException(_),
                status: 404,
                ..
            })
        ),
        "{gone:?}"
    );
}
