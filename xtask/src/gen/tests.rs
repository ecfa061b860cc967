//! `cargo xtask gen --out DIR` for a user's own project, and depending on the generated client
//! from outside this workspace as the README says (a git dependency on this repository).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::{relative, run};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn relative_paths() {
    let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
    assert_eq!(r("/w/generated", "/w/runtime"), "../runtime");
    assert_eq!(r("/tmp/x/out", "/w/runtime"), "../../../w/runtime");
    assert_eq!(r("/w/a/../generated", "/w/./runtime"), "../runtime");
    assert_eq!(r("/w/runtime", "/w/runtime"), ".");
}

const MAIN: &str = r#"use cognito_identity_client::{Client, Config};

fn main() {
    let config = Config::builder().region("us-east-1").build().expect("config");
    let client = Client::new(config).expect("client");
    let call = client.get_id().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000");
    drop(call);
}
"#;

/// A scratch binary crate outside the workspace with `dependency` as its one dependency, checked
/// with cargo (type-checked, in a target directory of its own that both cases share).
fn check_scratch(dir: &Path, dependency: &str) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user-project\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["check", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/user-project"))
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo check of a project depending on `{dependency}` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_users_project_builds_against_gen_out_and_against_this_repository() {
    let root = root();
    let scratch = std::env::temp_dir().join(format!("awsgen-user-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);

    // Crates written outside generated/ name the runtime by a path that is right from there.
    let out = scratch.join("vendored/crates");
    assert_eq!(
        run(&root.join("model"), &out, &root.join("runtime"), false),
        ExitCode::SUCCESS
    );
    let manifest = std::fs::read_to_string(out.join("cognito-identity-client/Cargo.toml")).unwrap();
    let runtime = format!("../{}", relative(&out, &root.join("runtime")));
    assert!(
        manifest.contains(&format!("path = \"{runtime}\"")),
        "{manifest}"
    );
    let client = out.join("cognito-identity-client");
    check_scratch(
        &scratch.join("with-path"),
        &format!(
            "cognito-identity-client = {{ path = {:?} }}",
            client.display().to_string()
        ),
    );

    // The README's way: a git dependency on this repository (here its committed HEAD, so
    // uncommitted changes are not what this checks).
    assert!(
        root.join(".git").exists(),
        "this test needs the repository's git history"
    );
    check_scratch(
        &scratch.join("with-git"),
        &format!(
            "cognito-identity-client = {{ git = \"file://{}\" }}",
            root.display()
        ),
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
