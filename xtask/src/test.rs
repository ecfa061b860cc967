//! `cargo xtask test`: the one command that runs every test, on a fresh machine too. It installs
//! what the tests need (botocore's protocol test vectors, a Python virtualenv with boto3, the AWS
//! CLI and moto) under `.cache/`, then runs `cargo test --workspace` and the sweep over every
//! awsJson model of the pinned botocore (skipped when test arguments narrow the run).

use std::path::Path;
use std::process::{Command, ExitCode};

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Runs a setup step, saying what it is.
fn step(what: &str, cmd: &mut Command) -> bool {
    println!("xtask test: {what}");
    match cmd.status() {
        Ok(s) if s.success() => true,
        Ok(s) => {
            eprintln!("error: {what} failed ({s})");
            false
        }
        Err(e) => {
            eprintln!("error: {what}: cannot run {:?}: {e}", cmd.get_program());
            false
        }
    }
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let vectors = root.join(".cache/protocol-tests");
    if !step(
        "protocol test vectors (botocore source distribution, pinned and checked)",
        Command::new(python())
            .arg(root.join("tests/python/fetch_protocol_tests.py"))
            .arg(&vectors)
            .current_dir(root),
    ) {
        return ExitCode::FAILURE;
    }
    if !ensure_venv(root) {
        return ExitCode::FAILURE;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // A suite that fails before it writes its count line must not leave an old one to print.
    for which in ["cognito", "all"] {
        let _ = std::fs::remove_file(root.join(format!("target/endpoint-summary-{which}.txt")));
    }
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["test", "--workspace"])
        .args(args)
        .status();
    let ok = matches!(status, Ok(s) if s.success());
    if let Ok(summary) = std::fs::read_to_string(root.join("target/protocol-summary.txt")) {
        println!("\n{summary}");
    }
    for which in ["cognito", "all"] {
        let path = root.join(format!("target/endpoint-summary-{which}.txt"));
        if let Ok(line) = std::fs::read_to_string(path) {
            println!("{line}");
        }
    }
    if let Err(e) = status {
        eprintln!("error: cannot run cargo: {e}");
    }
    // The sweep over every awsJson model of the pinned botocore (about ten minutes on two cores),
    // and the interop tests of generated clients against moto.
    let sweep_ok = args.is_empty()
        && crate::sweep::run(
            root,
            &crate::sweep::Options {
                botocore_version: crate::sweep::DEFAULT_BOTOCORE.to_owned(),
                protocols: Vec::new(),
                only: Vec::new(),
                generate_only: Vec::new(),
                interop: true,
            },
        ) == ExitCode::SUCCESS;
    // The awsJson models of an older botocore, from before it gzipped its data (plain
    // service-2.json) and before the services that list json after smithy-rpc-v2-cbor: 128
    // models. Its format is what this run is for; the pinned sweep covers every protocol.
    let old_sweep_ok = args.is_empty()
        && crate::sweep::run(
            root,
            &crate::sweep::Options {
                botocore_version: crate::sweep::OLDER_BOTOCORE.to_owned(),
                protocols: vec!["json".to_owned()],
                only: Vec::new(),
                generate_only: Vec::new(),
                interop: false,
            },
        ) == ExitCode::SUCCESS;
    // The runtime of a server-only build hashes with sha2 instead of ring: its own unit tests
    // (the SigV4 known-answer test among them), since the workspace unifies both features.
    let server_only_ok = !args.is_empty()
        || step(
            "runtime unit tests without the client feature (sha2 backend)",
            Command::new(&cargo).current_dir(root).args([
                "test",
                "--quiet",
                "-p",
                "awsgen-rt",
                "--no-default-features",
                "--features",
                "server",
                "--lib",
            ]),
        );
    // The benchmarks build and run once, quickly; no time is asserted (see BENCHMARKS.md).
    let bench_ok = !args.is_empty()
        || step(
            "benchmarks, once, quickly (cargo run -p bench -- --quick)",
            Command::new(&cargo)
                .current_dir(root)
                .args(["run", "--quiet", "-p", "bench", "--", "--quick"]),
        );
    if ok && server_only_ok && bench_ok && ((sweep_ok && old_sweep_ok) || !args.is_empty()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The virtualenv with the test peers (boto3, the AWS CLI, moto), rebuilt when
/// `tests/python/requirements.txt` changes.
fn ensure_venv(root: &Path) -> bool {
    let venv = root.join(".cache/venv");
    let requirements = root.join("tests/python/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).unwrap_or_default();
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return true;
    }
    let _ = std::fs::remove_dir_all(&venv);
    if !step(
        "Python virtualenv for the test peers",
        Command::new(python()).args(["-m", "venv"]).arg(&venv),
    ) {
        return false;
    }
    if !step(
        "installing boto3, the AWS CLI and moto into it (tests/python/requirements.txt)",
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
    ) {
        return false;
    }
    std::fs::write(&stamp, wanted).is_ok()
}
