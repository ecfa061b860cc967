//! The client benchmark: the generated client against a raw hyper client sending the same bytes,
//! sequential calls on one keep-alive connection to a canned loopback server (another process, so
//! this process's CPU time is the client's alone).

use std::time::{Duration, Instant};

use awsgen_rt::codegen::serde::de::DeserializeOwned;
use awsgen_rt::codegen::serde_json;
use awsgen_rt::operation::{Auth, Operation};
use cognito_identity_client::{operation, Client, Config, Credentials, RetryConfig};

use crate::canned::{self, Case};
use crate::cpu::process_cpu;
use crate::server::{pin_self, raw_calls, raw_client, Peer, Raw};

struct Row {
    operation: &'static str,
    signed: bool,
    raw_rate: f64,
    gen_rate: f64,
    raw_cpu_us: f64,
    gen_cpu_us: f64,
}

/// The headers the generated client signs with, computed once for the raw client to replay.
fn signed_headers(port: u16, case: &Case) -> Vec<(String, String)> {
    let mut req = http::Request::builder()
        .method("POST")
        .uri(format!("http://127.0.0.1:{port}/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityService.{}", case.operation),
        )
        .body(awsgen_rt::ByteStream::from(case.request.clone()))
        .expect("request");
    let creds = Credentials::from_keys("AKIDBENCH", "bench-secret", None);
    awsgen_rt::client::sign::Signer::new("cognito-identity", "us-east-1".into()).sign(
        &mut req,
        false,
        &creds,
        std::time::SystemTime::now(),
    );
    ["authorization", "x-amz-date", "host"]
        .iter()
        .filter_map(|h| {
            req.headers()
                .get(*h)
                .map(|v| (h.to_string(), v.to_str().unwrap_or_default().to_owned()))
        })
        .collect()
}

async fn measure<O>(client: &Client, raw: &Raw, port: u16, case: &Case, n: usize) -> Row
where
    O: Operation<Service = operation::Service>,
    O::Input: Clone + DeserializeOwned,
{
    let input: O::Input =
        serde_json::from_str(&case.request).unwrap_or_else(|e| panic!("{}: {e}", case.operation));
    let target = format!("AWSCognitoIdentityService.{}", case.operation);
    let signed = O::AUTH == Auth::SigV4;
    let extra = if signed {
        signed_headers(port, case)
    } else {
        Vec::new()
    };
    let generated = |n: usize| {
        let input = input.clone();
        async move {
            let (cpu, start) = (process_cpu(), Instant::now());
            for _ in 0..n {
                client
                    .runtime()
                    .invoke::<O>(input.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{}: {e}", O::NAME));
            }
            (
                n as f64 / start.elapsed().as_secs_f64(),
                process_cpu().saturating_sub(cpu),
            )
        }
    };
    let plain = |n: usize| {
        let (target, extra) = (target.clone(), extra.clone());
        async move {
            let cpu = process_cpu();
            let rate = raw_calls(raw, port, &target, &case.request, &extra, n).await;
            (rate, process_cpu().saturating_sub(cpu))
        }
    };
    generated(n / 10 + 1).await;
    plain(n / 10 + 1).await;
    // Alternate halves so that drift on a shared machine affects both alike.
    let (g1, gc1) = generated(n / 2).await;
    let (r1, rc1) = plain(n / 2).await;
    let (r2, rc2) = plain(n / 2).await;
    let (g2, gc2) = generated(n / 2).await;
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    Row {
        operation: case.operation,
        signed,
        raw_rate: (r1 + r2) / 2.0,
        gen_rate: (g1 + g2) / 2.0,
        raw_cpu_us: per_call(rc1 + rc2),
        gen_cpu_us: per_call(gc1 + gc2),
    }
}

pub fn run(quick: bool) -> bool {
    let n = if quick { 40 } else { 4000 };
    // As in the server benchmark: this process on CPU 0, the canned server on CPU 1.
    let pinned = pin_self(0);
    let peer = Peer::start_on("serve-canned", pinned.then_some(1));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://127.0.0.1:{}", peer.port))
            .credentials_provider(Credentials::from_keys("AKIDBENCH", "bench-secret", None))
            .retry(RetryConfig::disabled())
            .build()
            .expect("config"),
    )
    .expect("client");
    let raw = raw_client();
    let rows: Vec<Row> = rt.block_on(async {
        let mut rows = Vec::new();
        for case in canned::cases() {
            let row = match case.operation {
                "GetId" => measure::<operation::GetId>(&client, &raw, peer.port, &case, n).await,
                "DescribeIdentityPool" => {
                    measure::<operation::DescribeIdentityPool>(&client, &raw, peer.port, &case, n)
                        .await
                }
                "ListIdentityPools" => {
                    measure::<operation::ListIdentityPools>(&client, &raw, peer.port, &case, n)
                        .await
                }
                "GetCredentialsForIdentity" => {
                    measure::<operation::GetCredentialsForIdentity>(
                        &client, &raw, peer.port, &case, n,
                    )
                    .await
                }
                _ => measure::<operation::ListIdentities>(&client, &raw, peer.port, &case, n).await,
            };
            rows.push(row);
        }
        rows
    });
    println!("\n## Client: the generated client against a raw hyper client (same bytes, {n} sequential calls each)\n");
    println!("| operation | signed | raw calls/s | generated calls/s | ratio | raw CPU µs/call | generated CPU µs/call |");
    println!("|---|---|---|---|---|---|---|");
    let (mut worst_unsigned, mut worst_signed) = (f64::MAX, f64::MAX);
    for r in &rows {
        let ratio = r.gen_rate / r.raw_rate;
        if r.signed {
            worst_signed = worst_signed.min(ratio);
        } else {
            worst_unsigned = worst_unsigned.min(ratio);
        }
        println!(
            "| {} | {} | {:.0} | {:.0} | {ratio:.2} | {:.1} | {:.1} |",
            r.operation,
            if r.signed { "yes" } else { "no" },
            r.raw_rate,
            r.gen_rate,
            r.raw_cpu_us,
            r.gen_cpu_us
        );
    }
    println!(
        "\nclient budgets (unsigned ≥ 0.8×, signed ≥ 0.6× raw): worst unsigned {worst_unsigned:.2}, worst signed {worst_signed:.2}{}",
        if pinned { " (this process on CPU 0, the server on CPU 1)" } else { " (not pinned)" }
    );
    true
}
