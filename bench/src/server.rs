//! The loopback servers (child processes) and the server benchmark: the generated service
//! (decode, validate, trivial handler, encode) against a bare hyper service answering the same
//! canned bytes, both loaded by the same raw hyper client.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use awsgen_rt::codegen::serde_json;
use bytes::Bytes;
use cognito_identity_server::error::*;
use cognito_identity_server::types::*;
use cognito_identity_server::{CognitoIdentity, RequestContext};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

use crate::canned;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Canned bytes per target (the client benchmark's peer).
    Canned,
    /// The same, as the server benchmark's baseline.
    Bare,
    /// The generated service with a trivial handler.
    Generated,
}

/// Answers the benchmarked operations with the canned outputs, decoded once.
struct Trivial {
    get_id: GetIdResponse,
    pool: IdentityPool,
    pools: ListIdentityPoolsResponse,
}

fn output<T: awsgen_rt::codegen::serde::de::DeserializeOwned>(op: &str) -> T {
    let body = canned::response_for(&format!("X.{op}")).unwrap_or_default();
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("canned {op} output: {e}"))
}

impl CognitoIdentity for Trivial {
    async fn get_id(&self, _: GetIdInput, _: RequestContext) -> Result<GetIdResponse, GetIdError> {
        Ok(self.get_id.clone())
    }
    async fn describe_identity_pool(
        &self,
        _: DescribeIdentityPoolInput,
        _: RequestContext,
    ) -> Result<IdentityPool, DescribeIdentityPoolError> {
        Ok(self.pool.clone())
    }
    async fn list_identity_pools(
        &self,
        _: ListIdentityPoolsInput,
        _: RequestContext,
    ) -> Result<ListIdentityPoolsResponse, ListIdentityPoolsError> {
        Ok(self.pools.clone())
    }
}

pub fn serve(port: u16, mode: Mode) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .expect("bind");
        // The load generator sends the same unsigned requests to both servers, so the generated
        // one serves signed operations unsigned (without the opt-out it would refuse them).
        let generated = std::sync::Arc::new(
            cognito_identity_server::service(Trivial {
                get_id: output("GetId"),
                pool: output("DescribeIdentityPool"),
                pools: output("ListIdentityPools"),
            })
            .allow_unsigned(),
        );
        let responses: std::sync::Arc<Vec<(String, Bytes)>> = std::sync::Arc::new(
            canned::cases()
                .into_iter()
                .map(|c| {
                    (
                        format!("AWSCognitoIdentityService.{}", c.operation),
                        Bytes::from(c.response),
                    )
                })
                .collect(),
        );
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let generated = generated.clone();
            let responses = responses.clone();
            tokio::spawn(async move {
                let svc =
                    hyper::service::service_fn(move |req: http::Request<hyper::body::Incoming>| {
                        let generated = generated.clone();
                        let responses = responses.clone();
                        async move {
                            if mode == Mode::Generated {
                                return Ok::<_, Infallible>(generated.handle(req).await);
                            }
                            let target = req
                                .headers()
                                .get("x-amz-target")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned();
                            let _ = req.into_body().collect().await;
                            let body = responses
                                .iter()
                                .find(|(t, _)| *t == target)
                                .map(|(_, b)| b.clone())
                                .unwrap_or_default();
                            let mut resp = http::Response::new(awsgen_rt::ByteStream::from(body));
                            resp.headers_mut().insert(
                                "content-type",
                                http::HeaderValue::from_static("application/x-amz-json-1.1"),
                            );
                            resp.headers_mut().insert(
                                "x-amzn-requestid",
                                http::HeaderValue::from_static(
                                    "00000000-0000-4000-8000-000000000000",
                                ),
                            );
                            Ok(resp)
                        }
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
}

/// A child process serving in `mode`, killed when dropped.
pub struct Peer {
    child: Child,
    pub port: u16,
}

impl Peer {
    /// The server process's CPU time so far.
    pub fn cpu(&self) -> Duration {
        crate::cpu::child_cpu(self.child.id())
    }
}

impl Peer {
    /// Starts the peer pinned to one CPU (with `taskset`, when the machine has it).
    pub fn start_on(mode: &str, cpu: Option<usize>) -> Peer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("addr")
            .port();
        let exe = std::env::current_exe().expect("own executable");
        let mut command = match cpu.filter(|_| pinning_available()) {
            Some(cpu) => {
                let mut c = Command::new("taskset");
                c.args(["-c", &cpu.to_string()]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        let child = command
            .args([mode, &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("start the peer");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the peer did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Peer { child, port }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub type Raw = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<Bytes>,
>;

pub fn raw_client() -> Raw {
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.set_nodelay(true);
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(http)
}

/// Sends the same request `n` times; returns calls per second.
pub async fn raw_calls(
    client: &Raw,
    port: u16,
    target: &str,
    body: &str,
    extra: &[(String, String)],
    n: usize,
) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        let mut b = http::Request::builder()
            .method("POST")
            .uri(format!("http://127.0.0.1:{port}/"))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target);
        for (k, v) in extra {
            b = b.header(k.as_str(), v.as_str());
        }
        let req = b
            .body(Full::new(Bytes::from(body.to_owned())))
            .expect("request");
        let resp = client.request(req).await.expect("response");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        assert!(
            status.is_success(),
            "{status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Whether `taskset` can pin processes here (Linux with util-linux, two or more CPUs). Decided
/// once, before this process pins itself (after which it sees one CPU).
fn pinning_available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
            && Command::new("taskset")
                .arg("-V")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    })
}

/// Pins this process to one CPU, when it can.
pub fn pin_self(cpu: usize) -> bool {
    pinning_available()
        && Command::new("taskset")
            .args([
                "-p",
                "-c",
                &cpu.to_string(),
                &std::process::id().to_string(),
            ])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// Rounds of calls per side; the sides alternate round by round, so a slow spell of the shared
/// machine falls on both.
const ROUNDS: usize = 10;

pub fn run(quick: bool) -> bool {
    let n = if quick { 50 } else { 6000 };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "\n## Server: the generated service against a bare hyper service (same canned bytes)\n"
    );
    println!("| operation | bare hyper req/s | generated req/s | ratio | bare server CPU µs/req | generated server CPU µs/req |");
    println!("|---|---|---|---|---|---|");
    // The load generator on CPU 0, both servers on CPU 1: left to the scheduler, the client and
    // a server sometimes share a CPU and sometimes not, and that alone moved the bare server
    // between 8k and 40k requests/s from one run to the next.
    let pinned = pin_self(0);
    let server_cpu = pinned.then_some(1);
    let bare = Peer::start_on("serve-bare", server_cpu);
    let generated = Peer::start_on("serve-generated", server_cpu);
    let client = raw_client();
    let mut worst = f64::MAX;
    for case in canned::cases().into_iter().filter(|c| {
        matches!(
            c.operation,
            "GetId" | "DescribeIdentityPool" | "ListIdentityPools"
        )
    }) {
        let target = format!("AWSCognitoIdentityService.{}", case.operation);
        let per_round = (n / ROUNDS).max(1);
        let (b, g, b_cpu, g_cpu) = rt.block_on(async {
            // Warm up both connections.
            for peer in [&bare, &generated] {
                raw_calls(&client, peer.port, &target, &case.request, &[], n / 10 + 1).await;
            }
            let mut time = [Duration::ZERO; 2];
            let mut cpu = [Duration::ZERO; 2];
            for round in 0..ROUNDS {
                let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
                for side in order {
                    let peer = [&bare, &generated][side];
                    let cpu_before = peer.cpu();
                    let start = Instant::now();
                    raw_calls(&client, peer.port, &target, &case.request, &[], per_round).await;
                    time[side] += start.elapsed();
                    cpu[side] += peer.cpu().saturating_sub(cpu_before);
                }
            }
            let calls = (per_round * ROUNDS) as f64;
            let rate = |t: Duration| calls / t.as_secs_f64();
            let us = |c: Duration| c.as_secs_f64() * 1e6 / calls;
            (rate(time[0]), rate(time[1]), us(cpu[0]), us(cpu[1]))
        });
        worst = worst.min(g / b);
        println!(
            "| {} | {b:.0} | {g:.0} | {:.2} | {b_cpu:.1} | {g_cpu:.1} |",
            case.operation,
            g / b
        );
    }
    println!(
        "\nserver budget (≥ 0.8× bare hyper): worst ratio {worst:.2}{}",
        if pinned {
            " (load generator on CPU 0, servers on CPU 1)"
        } else {
            " (not pinned: taskset unavailable)"
        }
    );
    true
}
