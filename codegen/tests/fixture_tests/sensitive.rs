//! Runs inside the generated `secrets-types` crate: sensitive values never reach `Debug`.

use std::collections::BTreeMap;

use secrets_types::types::{Level, StoreInput, StoreOutput, Vault};

#[test]
fn debug_redacts_sensitive_values_in_every_container() {
    let input = StoreInput::builder()
        .key("top-secret-key")
        .keys(vec!["secret-in-list".to_owned()])
        .tokens(BTreeMap::from([("provider.example".to_owned(), "secret-in-map".to_owned())]))
        .nested(vec![vec!["secret-in-nested-list".to_owned()]])
        .vault(Vault::builder().combination("secret-combination").build().unwrap())
        .level("high")
        .plain("visible-value")
        .build()
        .unwrap();
    for shown in [format!("{input:?}"), format!("{input:#?}"), format!("{:?}", StoreInput::builder().key("top-secret-key"))] {
        for secret in ["top-secret-key", "secret-in-list", "secret-in-map", "secret-in-nested-list", "secret-combination", "high"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
    }
    let shown = format!("{input:?}");
    assert!(shown.contains("provider.example"), "map keys stay visible: {shown}");
    assert!(shown.contains("visible-value"), "{shown}");
    let out = StoreOutput::builder()
        .vaults(vec![Vault::builder().combination("1234").build().unwrap()])
        .build()
        .unwrap();
    assert!(!format!("{out:?}").contains("1234"));
    assert!(!format!("{:?}", Level::High).contains("high"));
}
