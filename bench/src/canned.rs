//! The canned requests and responses: what the raw hyper client sends and the loopback servers
//! answer, for each benchmarked operation.

pub struct Case {
    pub operation: &'static str,
    pub request: String,
    pub response: String,
}

fn pools(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"IdentityPoolId":"us-east-1:{i:08x}-0000-4000-8000-000000000000","IdentityPoolName":"pool-{i}"}}"#))
        .collect();
    format!(r#"{{"IdentityPools":[{}]}}"#, items.join(","))
}

fn identities(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"IdentityId":"us-east-1:{i:08x}-1111-4000-8000-000000000000","Logins":["graph.facebook.com","accounts.google.com","www.amazon.com","login.example.myapp"],"CreationDate":1700000000.123,"LastModifiedDate":1700000100.456}}"#
            )
        })
        .collect();
    // A page as AWS sends it when more follow: a NextToken of the length AWS's opaque tokens have.
    let next_token = "AgV4".to_owned() + &"x7Kp2QmZ".repeat(18);
    format!(
        r#"{{"IdentityPoolId":"us-east-1:00000000-0000-4000-8000-000000000000","Identities":[{}],"NextToken":"{next_token}"}}"#,
        items.join(",")
    )
}

pub fn cases() -> Vec<Case> {
    let pool = "us-east-1:00000000-0000-4000-8000-000000000000";
    vec![
        Case {
            operation: "GetId",
            request: format!(r#"{{"IdentityPoolId":"{pool}","Logins":{{"graph.facebook.com":"token"}}}}"#),
            response: r#"{"IdentityId":"us-east-1:11111111-0000-4000-8000-000000000000"}"#.to_owned(),
        },
        Case {
            operation: "DescribeIdentityPool",
            request: format!(r#"{{"IdentityPoolId":"{pool}"}}"#),
            response: format!(
                r#"{{"IdentityPoolId":"{pool}","IdentityPoolName":"bench","AllowUnauthenticatedIdentities":true,"SupportedLoginProviders":{{"graph.facebook.com":"123"}}}}"#
            ),
        },
        Case { operation: "ListIdentityPools", request: r#"{"MaxResults":60}"#.to_owned(), response: pools(60) },
        Case {
            operation: "GetCredentialsForIdentity",
            request: r#"{"IdentityId":"us-east-1:11111111-0000-4000-8000-000000000000"}"#.to_owned(),
            response: r#"{"IdentityId":"us-east-1:11111111-0000-4000-8000-000000000000","Credentials":{"AccessKeyId":"ASIAEXAMPLEEXAMPLE00","SecretKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"FwoGZXIvYXdzEXAMPLE","Expiration":1700003600}}"#.to_owned(),
        },
        Case {
            operation: "ListIdentities",
            request: format!(r#"{{"IdentityPoolId":"{pool}","MaxResults":60}}"#),
            response: identities(60),
        },
    ]
}

/// The canned response body for an `X-Amz-Target`.
pub fn response_for(target: &str) -> Option<String> {
    let op = target.rsplit('.').next()?;
    cases()
        .into_iter()
        .find(|c| c.operation == op)
        .map(|c| c.response)
}

#[cfg(test)]
mod tests {
    /// The ListIdentities page has the shape of the independent measurement the budget is set
    /// against: 60 identities, 13.5 kB.
    #[test]
    fn list_identities_page_is_13_5_kb() {
        let body = super::identities(60);
        assert_eq!(body.matches(r#""IdentityId""#).count(), 60);
        assert!(
            (13_300..13_700).contains(&body.len()),
            "{} bytes",
            body.len()
        );
    }
}
