//! The generated cognito-identity types: secrets stay out of `Debug`, builders name what is
//! missing, enums keep values they do not know, and values take their awsJson shape.

use std::collections::BTreeMap;

use awsgen_rt::codegen::serde_json::{self, json};
use awsgen_rt::DateTime;
use cognito_identity_types::types::{
    AmbiguousRoleResolutionType, Credentials, GetCredentialsForIdentityInput,
    GetCredentialsForIdentityResponse, GetIdInput, GetOpenIdTokenForDeveloperIdentityInput,
    GetOpenIdTokenResponse, MappingRuleMatchType, RoleMapping, RoleMappingType,
};

const TOKEN: &str = "eyJraWQiOiJzZWNyZXQtdG9rZW4ifQ.payload.signature";

#[test]
fn logins_tokens_never_appear_in_debug() {
    let logins = BTreeMap::from([("accounts.google.com".to_owned(), TOKEN.to_owned())]);
    let input = GetIdInput::builder()
        .identity_pool_id("us-east-1:0000-1111")
        .logins(logins.clone())
        .build()
        .unwrap();
    let creds = GetCredentialsForIdentityInput::builder()
        .identity_id("us-east-1:abcd")
        .logins(logins.clone())
        .build()
        .unwrap();
    let dev = GetOpenIdTokenForDeveloperIdentityInput::builder()
        .identity_pool_id("us-east-1:0000-1111")
        .logins(logins.clone())
        .build()
        .unwrap();
    let builder = GetIdInput::builder().logins(logins);
    for shown in [
        format!("{input:?}"),
        format!("{input:#?}"),
        format!("{creds:?}"),
        format!("{dev:?}"),
        format!("{builder:?}"),
    ] {
        assert!(!shown.contains(TOKEN), "token leaked: {shown}");
        assert!(
            shown.contains("accounts.google.com"),
            "provider names stay visible: {shown}"
        );
        assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
    }
    assert!(format!("{input:?}").contains("us-east-1:0000-1111"));
}

#[test]
fn secret_keys_and_openid_tokens_never_appear_in_debug() {
    let creds = Credentials::builder()
        .access_key_id("AKIDEXAMPLE")
        .secret_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        .session_token("session")
        .expiration(DateTime::from_secs(1_700_000_000))
        .build()
        .unwrap();
    let out = GetCredentialsForIdentityResponse::builder()
        .identity_id("us-east-1:abcd")
        .credentials(creds)
        .build()
        .unwrap();
    let shown = format!("{out:?}");
    assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
    assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
    let tok = GetOpenIdTokenResponse::builder()
        .identity_id("us-east-1:abcd")
        .token(TOKEN)
        .build()
        .unwrap();
    assert!(!format!("{tok:?}").contains(TOKEN));
}

#[test]
fn builders_name_every_missing_required_member() {
    let err = cognito_identity_types::types::CreateIdentityPoolInput::builder()
        .build()
        .unwrap_err();
    assert_eq!(
        err.missing_members(),
        ["identity_pool_name", "allow_unauthenticated_identities"]
    );
    assert_eq!(
        err.to_string(),
        "cannot build CreateIdentityPoolInput: required members not set: `identity_pool_name`, `allow_unauthenticated_identities`"
    );
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(
        MappingRuleMatchType::values(),
        ["Equals", "Contains", "StartsWith", "NotEqual"]
    );
    assert_eq!(
        "Contains".parse::<MappingRuleMatchType>().unwrap(),
        MappingRuleMatchType::Contains
    );
    let future = AmbiguousRoleResolutionType::from("AskTheUser");
    assert_eq!(
        future,
        AmbiguousRoleResolutionType::Unknown("AskTheUser".to_owned())
    );
    let m: RoleMapping =
        serde_json::from_value(json!({"Type": "Magic", "AmbiguousRoleResolution": "AskTheUser"}))
            .unwrap();
    assert_eq!(m.r#type, RoleMappingType::Unknown("Magic".to_owned()));
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        json!({"Type": "Magic", "AmbiguousRoleResolution": "AskTheUser"})
    );
}

#[test]
fn wire_shape_of_a_response_with_nulls_and_fractional_timestamps() {
    let body = json!({
        "IdentityId": "us-east-1:abcd",
        "Credentials": {"AccessKeyId": "AKID", "SecretKey": "s", "SessionToken": null, "Expiration": 1700000000.25},
        "Unexpected": {"nested": true}
    });
    let out: GetCredentialsForIdentityResponse = serde_json::from_value(body).unwrap();
    let creds = out.credentials.unwrap();
    assert_eq!(creds.session_token, None);
    assert_eq!(
        creds.expiration,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000))
    );
}
