//! `cargo xtask diff OLD NEW` and `cargo xtask import-model`: bringing in a new model and seeing
//! exactly what changed, classified for client users and server implementers.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::diff::{diff, same_service, Report};
use codegen::ir::Service;

/// A model's text and paginators' text, from a file or `REV:PATH` in git.
fn read_model(root: &Path, spec: &str) -> Result<(String, Option<String>), String> {
    let path = Path::new(spec);
    if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {spec}: {e}"))?;
        let pag = paginators_path(path).and_then(|p| std::fs::read_to_string(p).ok());
        return Ok((text, pag));
    }
    if let Some((rev, file)) = spec.split_once(':') {
        let show = |f: &str| {
            Command::new("git")
                .args(["show", &format!("{rev}:{f}")])
                .current_dir(root)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        };
        let text = show(file).ok_or_else(|| format!("cannot read {file} at git revision {rev}"))?;
        let pag = paginators_path(Path::new(file)).and_then(|p| show(&p.to_string_lossy()));
        return Ok((text, pag));
    }
    Err(format!(
        "cannot read {spec}: no such file (use a path, or REV:PATH for a git revision)"
    ))
}

fn paginators_path(model: &Path) -> Option<PathBuf> {
    let name = model.file_name()?.to_str()?;
    let stem = name.strip_suffix(".normal.json")?;
    Some(model.with_file_name(format!("{stem}.paginators.json")))
}

fn ir(spec: &str, text: &str, pag: Option<&str>) -> Result<Service, String> {
    codegen::build_ir(&codegen::ModelFiles::new(text).paginators(pag))
        .map(|(s, _)| s)
        .map_err(|d| format!("{spec} is not a usable awsJson model:\n{d}"))
}

/// Compares two models of one service ([`same_service`] says what makes one).
pub fn compare(
    old: &Service,
    new: &Service,
    old_name: &str,
    new_name: &str,
) -> Result<Report, String> {
    same_service(old, new).map_err(|why| {
        format!("{old_name} and {new_name} are not two versions of one service: {why}")
    })?;
    Ok(diff(old, new))
}

pub fn run(root: &Path, old: &str, new: &str, format: &str, fail_on_breaking: bool) -> ExitCode {
    let result = (|| {
        let (a, ap) = read_model(root, old)?;
        let (b, bp) = read_model(root, new)?;
        let (a, b) = (ir(old, &a, ap.as_deref())?, ir(new, &b, bp.as_deref())?);
        compare(&a, &b, old, new)
    })();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let out = match format {
        "markdown" | "md" => report.to_markdown(),
        "json" => report.to_json(),
        _ => report.to_text(),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{out}");
    if fail_on_breaking && report.has_breaking() {
        eprintln!(
            "breaking changes: {} for clients, {} for servers",
            report.breaking_for_clients(),
            report.breaking_for_servers()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

pub fn import(
    root: &Path,
    service: &str,
    botocore_version: Option<&str>,
    from: Option<&str>,
) -> ExitCode {
    let (flag, value) = match (botocore_version, from) {
        (Some(v), None) => ("--botocore-version", v.to_owned()),
        (None, Some(p)) => (
            "--from",
            std::fs::canonicalize(p)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| p.to_owned()),
        ),
        (None, None) => (
            "--botocore-version",
            crate::sweep::DEFAULT_BOTOCORE.to_owned(),
        ),
        (Some(_), Some(_)) => {
            eprintln!("error: give --botocore-version or --from, not both");
            return ExitCode::from(2);
        }
    };
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let out = Command::new(python)
        .arg(root.join("xtask/python/import_model.py"))
        .arg(service)
        .arg(root.join("model"))
        .arg(flag)
        .arg(&value)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let name = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            println!("imported model/{name}; run `cargo xtask gen`, then review `git diff model/ generated/`");
            ExitCode::SUCCESS
        }
        Ok(o) => {
            eprint!("{}", String::from_utf8_lossy(&o.stderr));
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: cannot run python3: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(path: &Path) -> Service {
        let text = std::fs::read_to_string(path).unwrap();
        ir(&path.to_string_lossy(), &text, None).unwrap()
    }

    /// The oldest cognito-identity model, from before botocore had `serviceId`, and today's are
    /// one service: `cargo xtask diff` compares them instead of refusing.
    #[test]
    fn a_model_without_service_id_compares_with_its_successor() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let old = build(
            &root.join("codegen/tests/fixtures/history/cognito-identity-botocore-0.107.0.json"),
        );
        let new = build(&root.join("model/cognito-identity-2014-06-30.normal.json"));
        let report = compare(&old, &new, "old", "new").unwrap();
        assert!(report
            .changes
            .iter()
            .any(|c| c.path == "operations.TagResource" && c.kind == "operation added"));
        let mut other = new.clone();
        other.target_prefix = "AWSCognitoIdentityProviderService".to_owned();
        assert_eq!(
            compare(&new, &other, "a", "b").unwrap_err(),
            "a and b are not two versions of one service: target prefix \"AWSCognitoIdentityService\" ≠ \"AWSCognitoIdentityProviderService\""
        );
    }
}
