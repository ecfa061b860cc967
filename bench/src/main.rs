//! `cargo xtask bench` runs this in release: generation time, client overhead and server overhead,
//! each side by side in one run with a raw hyper client or a bare hyper server sending or
//! answering the same bytes. Ratios matter, not absolute times: these machines are shared.
//!
//! ```text
//! bench [--quick] [generation|client|server]...
//! bench serve-canned PORT | serve-generated PORT | serve-bare PORT   (child processes)
//! bench decode N   (decodes the canned list pages N times, for callgrind; see bench/instructions.sh)
//! ```

mod canned;
mod client;
mod cpu;
mod server;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--quick")
        .collect();
    match rest.as_slice() {
        ["serve-canned", port] => return serve(port, server::Mode::Canned),
        ["serve-generated", port] => return serve(port, server::Mode::Generated),
        ["serve-bare", port] => return serve(port, server::Mode::Bare),
        ["decode", n] => return decode(n),
        _ => {}
    }
    let all = rest.is_empty();
    let want = |name: &str| all || rest.contains(&name);
    let mut ok = true;
    if want("generation") {
        ok &= generation(quick);
    }
    if want("client") {
        ok &= client::run(quick);
    }
    if want("server") {
        ok &= server::run(quick);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Decodes the canned ListIdentities and ListIdentityPools pages `n` times each, dropping each
/// output before the next: the response decode alone, in one thread, without the transport, so
/// callgrind counts it the same on every run.
fn decode(n: &str) -> ExitCode {
    use cognito_identity_client::types::{ListIdentitiesResponse, ListIdentityPoolsResponse};
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("decode: N must be a number");
        return ExitCode::FAILURE;
    };
    let body = |op| canned::response_for(op).unwrap_or_default();
    let (identities, pools) = (body("ListIdentities"), body("ListIdentityPools"));
    for _ in 0..n {
        let a = awsgen_rt::wire::read_str::<ListIdentitiesResponse>(&identities);
        let b = awsgen_rt::wire::read_str::<ListIdentityPoolsResponse>(&pools);
        if a.is_err() || b.is_err() {
            eprintln!("decode: a canned page does not decode");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// Runs the generation benchmark, a binary of its own (see `src/bin/bench-generation.rs`):
/// through cargo, in this binary's profile, so it is never stale.
fn generation(quick: bool) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "run",
        "--quiet",
        "-p",
        "bench",
        "--bin",
        "bench-generation",
    ]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    cmd.arg("--");
    if quick {
        cmd.arg("--quick");
    }
    match cmd.status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("cannot run cargo for bench-generation: {e}");
            false
        }
    }
}

fn serve(port: &str, mode: server::Mode) -> ExitCode {
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("bad port {port}");
        return ExitCode::from(2);
    };
    server::serve(port, mode);
    ExitCode::SUCCESS
}
