//! `cargo xtask bench`: the benchmarks, in release. Results and commands are recorded in
//! BENCHMARKS.md; `--quick` only checks that they build and run (the test command does that).

use std::path::Path;
use std::process::{Command, ExitCode};

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Every binary of the package: `bench` runs its sibling `bench-generation`.
    let built = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "bench", "--bins"])
        .status();
    if !matches!(built, Ok(s) if s.success()) {
        eprintln!("error: the benchmarks do not build");
        return ExitCode::FAILURE;
    }
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["run", "--release", "--quiet", "-p", "bench", "--"])
        .args(args)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
