//! Runs inside the generated `recursion-types` crate: recursive shapes build and round-trip.

use std::collections::BTreeMap;

use awsgen_rt::codegen::serde_json;
use recursion_types::types::{Expr, Node, Other, Tree};

#[test]
fn recursive_structures_round_trip() {
    let inner = Node::builder().label("inner").build().unwrap();
    let node = Node::builder()
        .next(inner.clone())
        .other(Other::builder().back(inner).build().unwrap())
        .label("outer")
        .build()
        .unwrap();
    let json = serde_json::to_string(&node).unwrap();
    // Compared as values: serde sees the members through a `serde_json::Value`, whose member
    // order depends on serde_json's features.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        serde_json::json!({"Next":{"Label":"inner"},"Other":{"Back":{"Label":"inner"}},"Label":"outer"})
    );
    assert_eq!(serde_json::from_str::<Node>(&json).unwrap(), node);

    let leaf = Tree::builder().expr(Expr::Leaf("x".into())).build().unwrap();
    let tree = Tree::builder()
        .children(vec![leaf.clone()])
        .attrs(BTreeMap::from([("a".to_owned(), leaf)]))
        .expr(Expr::Not(Box::new(Expr::And(vec![Expr::Leaf("y".into())]))))
        .build()
        .unwrap();
    let json = serde_json::to_string(&tree).unwrap();
    assert_eq!(serde_json::from_str::<Tree>(&json).unwrap(), tree);
    assert!(json.contains(r#""Expr":{"Not":{"And":[{"Leaf":"y"}]}}"#), "{json}");
}

#[test]
fn unions_reject_two_members_and_keep_unknown_ones() {
    assert!(serde_json::from_str::<Expr>(r#"{"Leaf":"a","Not":{"Leaf":"b"}}"#).is_err());
    assert!(serde_json::from_str::<Expr>(r#"{}"#).is_err());
    assert_eq!(serde_json::from_str::<Expr>(r#"{"Or":[]}"#).unwrap(), Expr::Unknown("Or".into()));
    assert_eq!(serde_json::from_str::<Expr>(r#"{"Leaf":"a","Not":null}"#).unwrap(), Expr::Leaf("a".into()));
    assert!(serde_json::to_string(&Expr::Unknown("Or".into())).is_err());
}

#[test]
fn required_members_are_checked_when_reading() {
    let err = serde_json::from_str::<Other>("{}").unwrap_err().to_string();
    assert!(err.contains("missing required member `Back` of Other"), "{err}");
}
