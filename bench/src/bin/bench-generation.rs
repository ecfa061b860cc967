//! Generation time: cognito-identity, sagemaker, and how time grows with the number of shapes
//! (models of the sweep's botocore, when `cargo xtask sweep` or `cargo xtask test` fetched them).
//!
//! A binary of its own so that it runs with the allocator the generator's binary (`xtask`) uses,
//! while the client and server benchmarks keep the system allocator an application would have.
//! `bench generation` runs it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let quick = std::env::args().skip(1).any(|a| a == "--quick");
    if run(quick) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Median milliseconds of `runs` generations, and the shape count.
fn time(service: &str, pag: Option<&str>, runs: usize) -> Option<(f64, usize)> {
    let mut times = Vec::new();
    let mut shapes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let g = codegen::generate(
            &codegen::ModelFiles::new(service).paginators(pag),
            &codegen::Settings::default(),
        )
        .ok()?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        shapes = g.service.shapes.len();
    }
    times.sort_by(f64::total_cmp);
    Some((times[times.len() / 2], shapes))
}

fn run(quick: bool) -> bool {
    let runs = if quick { 1 } else { 9 };
    println!("\n## Generation (median of {runs} runs; parse, validate, lower, emit, format)\n");
    println!("| model | operations | shapes | ms | µs per shape |");
    println!("|---|---|---|---|---|");
    let model = root().join("model");
    let service = std::fs::read_to_string(model.join("cognito-identity-2014-06-30.normal.json"))
        .unwrap_or_default();
    let pag =
        std::fs::read_to_string(model.join("cognito-identity-2014-06-30.paginators.json")).ok();
    let mut ok = true;
    let mut row = |name: &str, service: &str, pag: Option<&str>, runs: usize| match time(
        service, pag, runs,
    ) {
        Some((ms, shapes)) => {
            let ops = codegen::build_ir(&codegen::ModelFiles::new(service).paginators(pag))
                .map(|(s, _)| s.operations.len())
                .unwrap_or(0);
            println!(
                "| {name} | {ops} | {shapes} | {ms:.1} | {:.1} |",
                ms * 1000.0 / shapes.max(1) as f64
            );
        }
        None => {
            println!("| {name} | generation failed | | | |");
            ok = false;
        }
    };
    row("cognito-identity", &service, pag.as_deref(), runs.max(3));
    let sweep = root().join(".cache/botocore-1.44.5/models");
    let mut sized: Vec<(usize, String)> = std::fs::read_dir(&sweep)
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let stem = name.strip_suffix(".normal.json")?.to_owned();
                    Some((e.metadata().ok()?.len() as usize, stem))
                })
                .collect()
        })
        .unwrap_or_default();
    sized.sort();
    if sized.is_empty() {
        println!("| (other models: run `cargo xtask sweep` once to fetch them) | | | | |");
        return ok;
    }
    // Six models spread over the size range, sagemaker (the largest) last.
    let picks: Vec<&(usize, String)> = if quick {
        sized
            .iter()
            .filter(|(_, s)| s.starts_with("sagemaker-"))
            .collect()
    } else {
        (0..6).map(|i| &sized[(sized.len() - 1) * i / 5]).collect()
    };
    for (_, stem) in picks {
        let text =
            std::fs::read_to_string(sweep.join(format!("{stem}.normal.json"))).unwrap_or_default();
        let pag = std::fs::read_to_string(sweep.join(format!("{stem}.paginators.json"))).ok();
        row(stem, &text, pag.as_deref(), runs.clamp(1, 3));
    }
    println!("\ngeneration budgets: cognito-identity under 50 ms, sagemaker under 2 s, µs per shape roughly flat");
    ok
}
