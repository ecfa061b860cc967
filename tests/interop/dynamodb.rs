//! The generated DynamoDB client (awsJson 1.0) against a real moto server: a table's life, items
//! of every kind of attribute value, a paginator, and a typed error.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use dynamodb_2012_08_10_client::error::GetItemError;
use dynamodb_2012_08_10_client::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use dynamodb_2012_08_10_client::{Client, Error};

// DynamoDB's model gives AttributeValue as a structure of optional members (not a union).
fn s(v: &str) -> AttributeValue {
    AttributeValue::builder().s(v).build().unwrap()
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::builder().n(v).build().unwrap()
}

fn key(v: &str) -> BTreeMap<String, AttributeValue> {
    BTreeMap::from([("pk".to_owned(), s(v))])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_put_get_scan_list_delete() {
    let moto = common::Moto::start();
    let c = Client::new(moto.config()).unwrap();
    for t in ["music", "films", "books"] {
        c.create_table()
            .table_name(t)
            .attribute_definitions(vec![
                AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build().unwrap(),
            ])
            .key_schema(vec![KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().unwrap()])
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await
            .unwrap();
    }
    let described = c.describe_table().table_name("music").send().await.unwrap();
    assert_eq!(described.table.unwrap().table_name.as_deref(), Some("music"));

    let item = BTreeMap::from([
        ("pk".to_owned(), s("song-1")),
        ("plays".to_owned(), n("42")),
        ("tags".to_owned(), AttributeValue::builder().ss(vec!["live".to_owned(), "rock".to_owned()]).build().unwrap()),
        ("live".to_owned(), AttributeValue::builder().bool(true).build().unwrap()),
        ("nothing".to_owned(), AttributeValue::builder().null(true).build().unwrap()),
        ("cover".to_owned(), AttributeValue::builder().b(awsgen_rt::Blob::from("png-bytes")).build().unwrap()),
        (
            "album".to_owned(),
            AttributeValue::builder()
                .m(BTreeMap::from([
                    ("title".to_owned(), s("First")),
                    ("tracks".to_owned(), AttributeValue::builder().l(vec![n("1"), n("2")]).build().unwrap()),
                ]))
                .build()
                .unwrap(),
        ),
    ]);
    c.put_item().table_name("music").item(item.clone()).send().await.unwrap();
    let got = c
        .get_item()
        .table_name("music")
        .key(key("song-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(got.item.as_ref(), Some(&item), "every kind of attribute value round-trips");

    let scanned = c.scan().table_name("music").send().await.unwrap();
    assert_eq!(scanned.count, Some(1));

    let mut names = c.list_tables().limit(2).items().try_collect().await.unwrap();
    names.sort();
    assert_eq!(names, ["books", "films", "music"], "the paginator walks every page");
    let pages = c.list_tables().limit(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2, "two tables a page");

    c.delete_item()
        .table_name("music")
        .key(key("song-1"))
        .send()
        .await
        .unwrap();
    c.delete_table().table_name("music").send().await.unwrap();
    let missing = c
        .get_item()
        .table_name("music")
        .key(key("song-1"))
        .send()
        .await;
    assert!(
        matches!(missing, Err(Error::Service { error: GetItemError::ResourceNotFoundException(_), .. })),
        "{missing:?}"
    );
}
