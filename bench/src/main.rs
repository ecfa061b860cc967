//! `cargo xtask bench` runs this in release: generation time, client overhead and server overhead,
//! each side by side in one run with a raw hyper client or a bare hyper server sending or
//! answering the same bytes. Ratios matter, not absolute times: these machines are shared.
//!
//! ```text
//! bench [--quick] [generation|client|server]...
//! bench serve-canned PORT | serve-generated PORT | serve-bare PORT   (child processes)
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

/// Runs the generation benchmark, a sibling binary (see `src/bin/bench-generation.rs`).
fn generation(quick: bool) -> bool {
    let exe = std::env::current_exe()
        .map(|e| e.with_file_name(format!("bench-generation{}", std::env::consts::EXE_SUFFIX)));
    let mut cmd = match exe {
        Ok(exe) if exe.exists() => std::process::Command::new(exe),
        _ => {
            eprintln!("bench-generation is not built: cargo build -p bench --bins (cargo xtask bench does)");
            return false;
        }
    };
    if quick {
        cmd.arg("--quick");
    }
    matches!(cmd.status(), Ok(s) if s.success())
}

fn serve(port: &str, mode: server::Mode) -> ExitCode {
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("bad port {port}");
        return ExitCode::from(2);
    };
    server::serve(port, mode);
    ExitCode::SUCCESS
}
