//! `cargo xtask gen`: models in, crates out; only changed files are written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::{Diagnostics, Settings};

#[cfg(test)]
mod tests;

pub fn run(models: &Path, out: &Path, runtime: &Path, check: bool) -> ExitCode {
    let start = Instant::now();
    // Each crate lives in `out/<crate>/` and names the runtime by a path relative to itself.
    let settings = Settings {
        runtime_path: format!("../{}", relative(out, runtime)),
        ..Settings::default()
    };
    let inputs = match find_models(models) {
        Ok(i) if !i.is_empty() => i,
        Ok(_) => {
            eprintln!("error: no *.normal.json model in {}", models.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", models.display());
            return ExitCode::FAILURE;
        }
    };
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut crate_dirs: BTreeSet<String> = BTreeSet::new();
    let mut failed = false;
    let mut summary = Vec::new();
    let mut warnings = 0;
    let mut changes: Vec<String> = Vec::new();
    for input in &inputs {
        let name = input
            .service
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let service = match fs::read_to_string(&input.service) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: cannot read: {e}", input.service.display());
                failed = true;
                continue;
            }
        };
        let (paginators, endpoint_rules) = match (
            read_beside(input.paginators.as_deref()),
            read_beside(input.endpoint_rules.as_deref()),
        ) {
            (Ok(p), Ok(r)) => (p, r),
            _ => {
                failed = true;
                continue;
            }
        };
        let model_files = codegen::ModelFiles::new(&service)
            .paginators(paginators.as_deref())
            .endpoint_rules(endpoint_rules.as_deref());
        match codegen::generate(&model_files, &settings) {
            Ok(generated) => {
                print_diags(&name, &generated.warnings);
                warnings += generated.warnings.iter().count();
                let svc = &generated.service;
                summary.push(format!(
                    "{} ({}, {} operations, {} shapes)",
                    svc.crates.base,
                    svc.protocol_summary(),
                    svc.operations.len(),
                    svc.shapes.len()
                ));
                for c in [&svc.crates.types, &svc.crates.client, &svc.crates.server] {
                    crate_dirs.insert(c.clone());
                }
                // A copy of the model the output was made from, to say what changed next time.
                let stem = name.trim_end_matches(".normal.json");
                let copy = format!("models/{stem}.normal.json");
                let pag_copy = format!("models/{stem}.paginators.json");
                if let Some(line) = model_change(out, &copy, &pag_copy, svc) {
                    changes.push(format!("{name}: {line}"));
                }
                let mut files_of_model = generated.files;
                files_of_model.insert(copy, service.clone());
                if let Some(p) = &paginators {
                    files_of_model.insert(pag_copy, p.clone());
                }
                for (path, text) in files_of_model {
                    if files.insert(path.clone(), text).is_some() {
                        eprintln!("error: {name}: two models generate {path}");
                        failed = true;
                    }
                }
            }
            Err(diags) => {
                print_diags(&name, &diags);
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == codegen::Severity::Error)
                    .count();
                eprintln!(
                    "error: {name}: {errors} problem(s) in the model; nothing generated for it"
                );
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }

    // Compare with what is on disk: changed, new, and stale files (in generated crate dirs only).
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for (path, text) in &files {
        match fs::read_to_string(out.join(path)) {
            Ok(existing) if existing == *text => unchanged += 1,
            _ => changed.push(path.clone()),
        }
    }
    let mut stale = Vec::new();
    for dir in &crate_dirs {
        for f in list_files(&out.join(dir)) {
            let rel = f
                .strip_prefix(out)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            if !files.contains_key(&rel)
                && !rel.contains("/target/")
                && !rel.ends_with("Cargo.lock")
            {
                stale.push(rel);
            }
        }
    }

    if check {
        if changed.is_empty() && stale.is_empty() {
            println!(
                "gen --check: {} files up to date for {}",
                files.len(),
                summary.join(", ")
            );
            return ExitCode::SUCCESS;
        }
        eprintln!("gen --check: generated output is stale; run `cargo xtask gen`:");
        for p in &changed {
            eprintln!("  differs: generated/{p}");
        }
        for p in &stale {
            eprintln!("  not generated any more: generated/{p}");
        }
        return ExitCode::FAILURE;
    }

    for p in &changed {
        let dest = out.join(p);
        if let Some(parent) = dest.parent() {
            if let Err(e) = fs::create_dir_all(parent) {
                eprintln!("error: cannot create {}: {e}", parent.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = fs::write(&dest, &files[p]) {
            eprintln!("error: cannot write {}: {e}", dest.display());
            return ExitCode::FAILURE;
        }
    }
    for p in &stale {
        if let Err(e) = fs::remove_file(out.join(p)) {
            eprintln!("error: cannot remove generated/{p}: {e}");
            return ExitCode::FAILURE;
        }
    }
    for c in &changes {
        println!("{c}");
    }
    println!(
        "gen: {}: {} files, {} written, {} unchanged, {} removed, {} warnings, {} ms",
        summary.join(", "),
        files.len(),
        changed.len(),
        unchanged,
        stale.len(),
        warnings,
        start.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

/// `to` as a path relative to `from` (both absolute), `/`-separated, worked out from their
/// components: `generated` → `runtime` is `../runtime`.
fn relative(from: &Path, to: &Path) -> String {
    fn parts(p: &Path) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c.as_os_str().to_string_lossy().into_owned()),
            }
        }
        out
    }
    let (from, to) = (parts(from), parts(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel: Vec<&str> = vec![".."; from.len() - common];
    rel.extend(to[common..].iter().map(String::as_str));
    if rel.is_empty() {
        ".".to_owned()
    } else {
        rel.join("/")
    }
}

fn print_diags(model: &str, diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{model}: {d}");
    }
}

/// The text of a file beside a model, when there is one; an unreadable one is reported.
fn read_beside(path: Option<&Path>) -> Result<Option<String>, ()> {
    match path.map(fs::read_to_string) {
        None => Ok(None),
        Some(Ok(t)) => Ok(Some(t)),
        Some(Err(e)) => {
            eprintln!(
                "error: {}: cannot read: {e}",
                path.unwrap_or(Path::new("")).display()
            );
            Err(())
        }
    }
}

struct ModelInput {
    service: PathBuf,
    paginators: Option<PathBuf>,
    endpoint_rules: Option<PathBuf>,
}

fn find_models(dir: &Path) -> std::io::Result<Vec<ModelInput>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(stem) = name.strip_suffix(".normal.json") {
            let pag = dir.join(format!("{stem}.paginators.json"));
            let rules = dir.join(format!("{stem}.endpoint-rule-set.json"));
            out.push(ModelInput {
                paginators: pag.exists().then_some(pag),
                endpoint_rules: rules.exists().then_some(rules),
                service: path,
            });
        }
    }
    out.sort_by(|a, b| a.service.cmp(&b.service));
    Ok(out)
}

fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            out.extend(list_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// What changed in a model since its output was last generated, in one line, if anything did.
fn model_change(
    out: &Path,
    copy: &str,
    pag_copy: &str,
    new: &codegen::ir::Service,
) -> Option<String> {
    let old_text = fs::read_to_string(out.join(copy)).ok()?;
    let old_pag = fs::read_to_string(out.join(pag_copy)).ok();
    let (old, _) =
        codegen::build_ir(&codegen::ModelFiles::new(&old_text).paginators(old_pag.as_deref()))
            .ok()?;
    let report = codegen::diff::diff(&old, new);
    if report.changes.is_empty() && report.documentation_changes == 0 {
        return None;
    }
    Some(format!(
        "model changed: {} — review with `cargo xtask diff HEAD:generated/{copy} model/{}`",
        report.summary(),
        copy.trim_start_matches("models/")
    ))
}
