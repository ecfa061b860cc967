//! `cargo xtask sweep`: every model of a pinned botocore in a protocol the generator speaks
//! (awsJson, restJson1), generated and compiled.
//!
//! Models come from the botocore wheel (via `tests/python/botocore_models.py`). Each model's
//! three crates are written under `.cache/sweep/crates/` (crate names `<service>-<api version>-*`,
//! since two models may share a `serviceId`), then `cargo check --keep-going` type-checks them
//! all in one workspace with its own target directory. A model passes when it generates and its
//! crates compile without errors or warnings. On the pinned botocore, botocore's endpoint test
//! cases with operation inputs then run through the generated operations
//! (`crate::endpoint_cases`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use codegen::Settings;

pub const DEFAULT_BOTOCORE: &str = "1.44.5";
/// A botocore from before `.json.gz` data files, swept by the test command too.
pub const OLDER_BOTOCORE: &str = "1.29.0";

pub struct Options {
    pub botocore_version: String,
    /// botocore's names of the protocols whose models are swept (all the generator speaks when
    /// empty).
    pub protocols: Vec<String>,
    /// Model stems or service names to include (all when empty).
    pub only: Vec<String>,
    /// Models to generate but not compile (sagemaker in the test command).
    pub generate_only: Vec<String>,
    /// Also run `tests/interop/*.rs` (generated clients of other services against moto).
    pub interop: bool,
}

/// The interop tests and the models they need.
const INTEROP: &[(&str, &str)] = &[
    ("dynamodb", "dynamodb-2012-08-10"),
    ("secretsmanager", "secretsmanager-2017-10-17"),
    ("eks", "eks-2017-11-01"),
    ("apigateway", "apigateway-2015-07-09"),
    ("mediastore_data", "mediastore-data-2017-09-01"),
];

#[derive(Default)]
struct Row {
    /// `json 1.1`, with `*` when the model names another protocol first.
    protocol: String,
    operations: usize,
    shapes: usize,
    gen_ms: u128,
    diagnostics: usize,
    generated: Option<String>,
    compile_only: bool,
    errors: usize,
    warnings: usize,
    first_problem: Option<String>,
}

fn matches(stem: &str, names: &[String]) -> bool {
    names
        .iter()
        .any(|n| stem == n || stem.rsplit_once('-').is_some_and(|_| service_of(stem) == n))
}

/// `dynamodb-2012-08-10` → `dynamodb`.
fn service_of(stem: &str) -> &str {
    let b = stem.as_bytes();
    if b.len() > 11 && b[b.len() - 11] == b'-' {
        &stem[..stem.len() - 11]
    } else {
        stem
    }
}

pub fn models(root: &Path, version: &str, protocols: &[String]) -> Result<PathBuf, String> {
    let dir = root.join(format!(".cache/botocore-{version}/models"));
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let status = Command::new(python)
        .arg(root.join("tests/python/botocore_models.py"))
        .arg(version)
        .arg(&dir)
        .arg(if protocols.is_empty() {
            codegen::lower::SUPPORTED_PROTOCOLS.join(",")
        } else {
            protocols.join(",")
        })
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("fetching the models of botocore {version} failed"));
    }
    Ok(dir)
}

pub fn run(root: &Path, opts: &Options) -> ExitCode {
    let dir = match models(root, &opts.botocore_version, &opts.protocols) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stems: Vec<String> = match fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".normal.json"))
                    .map(str::to_owned)
            })
            .collect(),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    stems.sort();
    let wanted: Vec<String> = opts
        .only
        .iter()
        .chain(&opts.generate_only)
        .cloned()
        .collect();
    if !wanted.is_empty() {
        stems.retain(|s| matches(s, &wanted));
        for w in &wanted {
            if !stems.iter().any(|s| matches(s, std::slice::from_ref(w))) {
                eprintln!(
                    "error: no model named {w} in botocore {} (of the protocols the generator speaks)",
                    opts.botocore_version
                );
                return ExitCode::FAILURE;
            }
        }
    }

    let scratch = root.join(".cache/sweep/crates");
    let _ = fs::remove_dir_all(&scratch);
    if let Err(e) = fs::create_dir_all(&scratch) {
        eprintln!("error: cannot create {}: {e}", scratch.display());
        return ExitCode::FAILURE;
    }
    let settings_for = |stem: &str| Settings {
        runtime_path: "../../../../runtime".to_owned(),
        crate_base: Some(stem.to_owned()),
    };
    // botocore's endpoint tests, fetched by the test command with the protocol vectors: those of
    // the pinned botocore, so they are run on its models only (an older model's operations and
    // rule set are not the ones they were written for).
    let vectors = root.join(".cache/protocol-tests/endpoint-rules");
    let run_cases = opts.botocore_version == DEFAULT_BOTOCORE;
    let mut with_cases: Vec<crate::endpoint_cases::Model> = Vec::new();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut members = Vec::new();
    let mut package_of: BTreeMap<String, String> = BTreeMap::new();
    for stem in &stems {
        let mut row = Row::default();
        let service =
            fs::read_to_string(dir.join(format!("{stem}.normal.json"))).unwrap_or_default();
        let pag = fs::read_to_string(dir.join(format!("{stem}.paginators.json"))).ok();
        let start = Instant::now();
        let rules = fs::read_to_string(dir.join(format!("{stem}.endpoint-rule-set.json"))).ok();
        let files = codegen::ModelFiles::new(&service)
            .paginators(pag.as_deref())
            .endpoint_rules(rules.as_deref());
        let result = codegen::generate(&files, &settings_for(stem));
        row.gen_ms = start.elapsed().as_millis();
        match result {
            Ok(g) => {
                let protocol = match g.service.protocol {
                    codegen::ir::Protocol::AwsJson(v) => format!("json {}", v.as_str()),
                    codegen::ir::Protocol::RpcV2Cbor => "cbor".to_owned(),
                    other => other.model_name().to_owned(),
                };
                row.protocol = format!(
                    "{protocol}{}",
                    if g.service.preferred_protocol.is_some() {
                        "*"
                    } else {
                        ""
                    }
                );
                row.operations = g.service.operations.len();
                row.shapes = g.service.shapes.len();
                row.diagnostics = g.warnings.iter().count();
                row.compile_only = !matches(stem, &opts.generate_only);
                if row.compile_only {
                    for (path, text) in &g.files {
                        let dest = scratch.join(path);
                        if let Some(p) = dest.parent() {
                            let _ = fs::create_dir_all(p);
                        }
                        if let Err(e) = fs::write(&dest, text) {
                            eprintln!("error: cannot write {}: {e}", dest.display());
                            return ExitCode::FAILURE;
                        }
                    }
                    let c = &g.service.crates;
                    for krate in [&c.types, &c.client, &c.server] {
                        members.push(format!("\"{krate}\""));
                        package_of.insert(krate.clone(), stem.clone());
                    }
                    let cases = if run_cases {
                        crate::endpoint_cases::cases_of(&vectors, service_of(stem))
                    } else {
                        Vec::new()
                    };
                    // The vectors are for the service's latest API version: stems come sorted,
                    // so a later one of the same service replaces an earlier one.
                    if !cases.is_empty() {
                        with_cases.retain(|m| service_of(&m.stem) != service_of(stem));
                        with_cases.push(crate::endpoint_cases::Model {
                            stem: stem.clone(),
                            ir: g.service.clone(),
                            cases,
                        });
                    }
                }
                row.generated = Some(String::new());
            }
            Err(d) => {
                row.first_problem = d.sorted().first().map(|d| d.to_string());
                row.errors = d
                    .iter()
                    .filter(|d| d.severity == codegen::Severity::Error)
                    .count();
            }
        }
        rows.insert(stem.clone(), row);
    }

    if !members.is_empty() {
        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        );
        if let Err(e) = fs::write(scratch.join("Cargo.toml"), manifest) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        let _ = fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"));
        println!(
            "sweep: type-checking {} crates of {} models ...",
            members.len(),
            rows.values().filter(|r| r.compile_only).count()
        );
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .args([
                "check",
                "--workspace",
                "--keep-going",
                "--message-format=json",
            ])
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", root.join(".cache/sweep/target"))
            // A one-shot check of hundreds of crates: incremental caches only fill the disk
            // (48 GB after a few sessions of runtime changes).
            .env("CARGO_INCREMENTAL", "0")
            .stderr(Stdio::inherit())
            .output();
        let out = match out {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut built: BTreeMap<String, bool> = BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let name = v["target"]["name"]
                .as_str()
                .unwrap_or_default()
                .replace('_', "-");
            let Some(stem) = package_of.get(&name) else {
                continue;
            };
            match v["reason"].as_str() {
                Some("compiler-message") => {
                    let level = v["message"]["level"].as_str().unwrap_or_default();
                    if let Some(row) = rows.get_mut(stem) {
                        match level {
                            "error" => row.errors += 1,
                            "warning" => row.warnings += 1,
                            _ => {}
                        }
                        if matches!(level, "error" | "warning") && row.first_problem.is_none() {
                            let text = v["message"]["rendered"].as_str().unwrap_or_default();
                            row.first_problem = Some(format!(
                                "{name}: {}",
                                text.lines().take(6).collect::<Vec<_>>().join("\n    ")
                            ));
                        }
                    }
                }
                Some("compiler-artifact") => {
                    built.insert(name, true);
                }
                _ => {}
            }
        }
        for (krate, stem) in &package_of {
            if !built.contains_key(krate) {
                if let Some(row) = rows.get_mut(stem) {
                    if row.errors == 0 {
                        row.errors = 1;
                        row.first_problem
                            .get_or_insert_with(|| format!("{krate} was not built"));
                    }
                }
            }
        }
    }

    // Every endpoint test of the swept models, with the rule set each model's crates embed.
    let endpoint_counts = if run_cases && vectors.exists() {
        let swept = rows
            .iter()
            .filter(|(_, row)| row.generated.is_some() && row.compile_only)
            .map(|(stem, _)| (service_of(stem), stem.as_str()));
        crate::endpoint_cases::run_params_cases(&dir, &vectors, swept)
    } else {
        (0, Vec::new())
    };
    let mut cases_line = None;
    let cases_failed = if with_cases.is_empty() {
        if run_cases && !vectors.exists() {
            println!(
                "sweep: no endpoint tests in {} (the test command fetches them): the operation-input cases are not run",
                vectors.display()
            );
        }
        false
    } else {
        let (ok, line) = run_endpoint_cases(root, &scratch, &vectors, &with_cases);
        cases_line = line;
        !ok
    };

    let mut interop_failed = false;
    if opts.interop {
        interop_failed = !run_interop(root, &scratch, &members);
    }

    println!();
    println!(
        "{:<44} {:<9} {:>5} {:>6} {:>8} {:>6} {:<10} {:>8}",
        "model", "protocol", "ops", "shapes", "gen ms", "diags", "compile", "warnings"
    );
    let (mut passed, mut failed) = (0, 0);
    for (stem, row) in &rows {
        let compile = match (&row.generated, row.compile_only) {
            (None, _) => "no: model",
            (Some(_), false) => "not run",
            (Some(_), true) if row.errors == 0 => "ok",
            _ => "FAILED",
        };
        let ok = row.generated.is_some() && row.errors == 0 && row.warnings == 0;
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
        println!(
            "{stem:<44} {:<9} {:>5} {:>6} {:>8} {:>6} {compile:<10} {:>8}",
            row.protocol, row.operations, row.shapes, row.gen_ms, row.diagnostics, row.warnings
        );
    }
    let second = rows.values().filter(|r| r.protocol.ends_with('*')).count();
    println!(
        "\n* {second} of the {} models name a protocol this generator does not speak yet first, \
         and list one it speaks in metadata.protocols: these crates speak that one",
        rows.len()
    );
    for (stem, row) in &rows {
        if let Some(p) = &row.first_problem {
            if row.errors > 0 || row.warnings > 0 {
                println!("\n{stem}:\n    {p}");
            }
        }
    }
    if let Some(line) = &cases_line {
        println!("\n{line}");
    }
    let endpoints_failed = !endpoint_counts.1.is_empty();
    if run_cases && vectors.exists() {
        for f in endpoint_counts.1.iter().take(40) {
            println!("endpoint test failed: {f}");
        }
        let (n, f) = (endpoint_counts.0, endpoint_counts.1.len());
        println!(
            "endpoint tests: {} passed, {f} failed (the swept models' rule sets, as their crates embed them)",
            n.saturating_sub(f)
        );
    }
    println!(
        "\nsweep of botocore {}: {passed} passed, {failed} failed",
        opts.botocore_version
    );
    if opts.interop {
        println!(
            "interop tests against moto: {}",
            if interop_failed { "FAILED" } else { "passed" }
        );
    }
    if failed == 0 && !interop_failed && !cases_failed && !endpoints_failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Adds the `endpoint-cases` crate (`crate::endpoint_cases`) to the sweep workspace and runs it:
/// whether it passed, and its count line.
fn run_endpoint_cases(
    root: &Path,
    scratch: &Path,
    vectors: &Path,
    with_cases: &[crate::endpoint_cases::Model],
) -> (bool, Option<String>) {
    let cases = match crate::endpoint_cases::write_crate(scratch, vectors, with_cases) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot write the endpoint-cases crate: {e}");
            return (false, None);
        }
    };
    let workspace = scratch.join("Cargo.toml");
    let text = fs::read_to_string(&workspace)
        .unwrap_or_default()
        .replace("members = [", "members = [\"endpoint-cases\", ");
    if fs::write(&workspace, text).is_err() {
        return (false, None);
    }
    println!(
        "sweep: {} endpoint test cases with operation inputs, through the generated operations of {} ...",
        cases.len(),
        with_cases
            .iter()
            .map(|m| m.stem.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["run", "--quiet", "-p", "endpoint-cases"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root.join(".cache/sweep/target"))
        .env("CARGO_INCREMENTAL", "0")
        .stderr(Stdio::inherit())
        .output();
    let outcomes: Vec<serde_json::Value> = match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).unwrap_or_default(),
        _ => {
            eprintln!("error: the endpoint-cases program did not run");
            return (false, None);
        }
    };
    let failures = crate::endpoint_cases::failures(&cases, &outcomes);
    for f in failures.iter().take(40) {
        println!("endpoint case failed: {f}");
    }
    let line = format!(
        "endpoint tests with operation inputs: {} passed, {} failed",
        cases.len() - failures.len().min(cases.len()),
        failures.len()
    );
    (failures.is_empty(), Some(line))
}

/// Adds an `interop` crate with `tests/interop/*.rs` to the sweep workspace and runs its tests.
fn run_interop(root: &Path, scratch: &Path, members: &[String]) -> bool {
    let mut deps = String::new();
    let mut tests = String::new();
    for (test, stem) in INTEROP {
        let client = format!("{stem}-client");
        if !members.iter().any(|m| m.trim_matches('"') == client) {
            eprintln!("error: --interop needs the {stem} model in the sweep (add it to --only)");
            return false;
        }
        deps.push_str(&format!("{client} = {{ path = \"../{client}\" }}\n"));
        tests.push_str(&format!(
            "\n[[test]]\nname = \"{test}\"\npath = \"../../../../tests/interop/{test}.rs\"\n"
        ));
    }
    let dir = scratch.join("interop");
    let manifest = format!(
        "[package]\nname = \"interop\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nawsgen-rt = {{ path = \"../../../../runtime\" }}\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"io-util\", \"time\"] }}\nbytes = \"1\"\nfutures-core = \"0.3\"\n{deps}{tests}"
    );
    let lib = "//! Interop tests of generated clients against moto live in tests/interop/.\n";
    let written = fs::create_dir_all(dir.join("src"))
        .and_then(|_| fs::write(dir.join("Cargo.toml"), manifest))
        .and_then(|_| fs::write(dir.join("src/lib.rs"), lib));
    if let Err(e) = written {
        eprintln!("error: cannot write the interop crate: {e}");
        return false;
    }
    let workspace = scratch.join("Cargo.toml");
    let text = fs::read_to_string(&workspace)
        .unwrap_or_default()
        .replace("members = [", "members = [\"interop\", ");
    if fs::write(&workspace, text).is_err() {
        return false;
    }
    println!("sweep: interop tests of generated clients against moto ...");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(["test", "-p", "interop", "--no-fail-fast"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root.join(".cache/sweep/target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("AWSGEN_VENV", root.join(".cache/venv"))
        .status()
        .is_ok_and(|s| s.success())
}
