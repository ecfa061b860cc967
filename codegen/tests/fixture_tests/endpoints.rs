//! Runs inside the generated `things-types` crate: each operation sets the endpoint parameters
//! its model gives it (a constant, `contextParam` members, `operationContextParams` paths), over
//! what the configuration set, as botocore does.

use std::collections::BTreeMap;

use awsgen_rt::endpoint::{Params, Value};
use awsgen_rt::operation::Operation;
use things_types::operation::{BatchThings, GetThing, ListThings};
use things_types::types::{BatchThingsInput, Empty, GetThingInput, Mode, Op, Target};

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn strings(v: &[&str]) -> Value {
    Value::Array(v.iter().map(|x| s(x)).collect())
}

#[test]
fn members_and_constants() {
    let mut p = Params::from([("Region".to_owned(), s("us-east-1"))]);
    let input = GetThingInput::builder()
        .name("n")
        .thing_arn("arn:aws:things:eu-west-1:123456789012:thing/n")
        .mode(Mode::Safe)
        .build()
        .unwrap();
    const { assert!(GetThing::ENDPOINT_PARAMS) };
    GetThing::endpoint_params(&input, &mut p);
    assert_eq!(
        p,
        Params::from([
            ("Region".to_owned(), s("us-east-1")),
            ("OperationType".to_owned(), s("data")),
            ("ResourceArn".to_owned(), s("arn:aws:things:eu-west-1:123456789012:thing/n")),
            ("Mode".to_owned(), s("safe")),
        ])
    );
    // An unset member sets nothing: what the configuration gave stays.
    let mut p = Params::from([("ResourceArn".to_owned(), s("from-config"))]);
    GetThing::endpoint_params(&GetThingInput::builder().name("n").build().unwrap(), &mut p);
    assert_eq!(p["ResourceArn"], s("from-config"));
}

#[test]
fn paths_into_the_input() {
    let target = |t: &str| Target::builder().table(t).build().unwrap();
    let input = BatchThingsInput::builder()
        .items_value(BTreeMap::from([
            ("b-table".to_owned(), "x".to_owned()),
            ("a-table".to_owned(), "y".to_owned()),
        ]))
        .ops(vec![
            Op::builder().put(target("p1")).build().unwrap(),
            Op::builder()
                .delete(target("d2"))
                .put(target("p2"))
                .build()
                .unwrap(),
            Op::builder().build().unwrap(),
        ])
        .build()
        .unwrap();
    let mut p = Params::new();
    BatchThings::endpoint_params(&input, &mut p);
    // keys(): the map's keys (in key order: the generated maps are sorted).
    assert_eq!(p["ResourceArnList"], strings(&["a-table", "b-table"]));
    // [*].[Put.Table, Delete.Table][]: each item's values in the selection's order; unset ones
    // are skipped, as a JMESPath projection skips nulls.
    assert_eq!(p["Tables"], strings(&["p1", "p2", "d2"]));
    let mut p = Params::new();
    BatchThings::endpoint_params(&BatchThingsInput::builder().build().unwrap(), &mut p);
    assert_eq!(p["Tables"], strings(&[]));
    const { assert!(!ListThings::ENDPOINT_PARAMS) };
    let mut p = Params::new();
    ListThings::endpoint_params(&Empty::builder().build().unwrap(), &mut p);
    assert!(p.is_empty());
}
