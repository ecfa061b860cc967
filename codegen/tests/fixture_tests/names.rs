//! Runs inside the generated `names-types` crate: keywords, collisions and odd enum values get
//! usable Rust names while the wire names stay exactly as modelled.

use awsgen_rt::codegen::serde_json;
use names_types::types::{ClientShape, ErrorShape2, OptionShape};

#[test]
fn enum_values_that_are_not_identifiers() {
    let cases = [
        (ClientShape::UsEast1, "us-east-1"),
        (ClientShape::V1_0, "1.0"),
        (ClientShape::V10, "10"),
        (ClientShape::Star, "*"),
        (ClientShape::Empty, ""),
        (ClientShape::UnknownValue, "Unknown"),
        (ClientShape::UnknownValue3, "unknown"),
        (ClientShape::UnknownValue2, "UNKNOWN"),
        (ClientShape::AB, "a b"),
        (ClientShape::Self_, "Self"),
    ];
    for (variant, wire) in cases.clone() {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(ClientShape::from(wire), variant);
        assert_eq!(wire.parse::<ClientShape>().unwrap(), variant);
        assert_eq!(serde_json::to_string(&variant).unwrap(), serde_json::to_string(wire).unwrap());
    }
    assert_eq!(ClientShape::values().len(), cases.len());
    let other = ClientShape::from("eu-west-9");
    assert_eq!(other, ClientShape::Unknown("eu-west-9".to_owned()));
    assert_eq!(other.as_str(), "eu-west-9");
}

#[test]
fn keyword_and_colliding_members_keep_their_wire_names() {
    let v = ErrorShape2::builder()
        .r#type("t")
        .self_("S")
        .self_2("s")
        .r#match("m")
        .r#async("a")
        .crate_("c")
        .foo("lower")
        .foo_2("upper")
        .set_foo("set")
        .build_value("b")
        .default_value("d")
        .v3d("3")
        .dollar("$")
        .build()
        .unwrap();
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    let expected = serde_json::json!({
        "type": "t", "self": "s", "Self": "S", "match": "m", "async": "a", "crate": "c",
        "foo": "lower", "Foo": "upper", "SetFoo": "set", "Build": "b", "Default": "d", "3D": "3", "$": "$"
    });
    assert_eq!(json, expected);
    assert_eq!(serde_json::from_value::<ErrorShape2>(expected).unwrap(), v);
    // `XBuilder::default()` is still `Default::default` (a setter named `default` would shadow it).
    assert_eq!(ErrorShape2::builder(), names_types::types::builders::ErrorShape2Builder::default());
    let o = OptionShape::builder().build().unwrap();
    assert_eq!(serde_json::to_string(&o).unwrap(), "{}");
}
