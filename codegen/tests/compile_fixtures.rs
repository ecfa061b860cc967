//! Compiles what the generator makes of every fixture model: a workspace of the generated crates
//! under `target/`, checked by clippy with `-D warnings`, documented with `-D warnings`, and
//! exercised by the tests in `tests/fixture_tests/` (`<name>.rs` copied into the generated
//! types crate, `<name>_client.rs` into the client crate).
//! A snapshot of code that does not compile, or that warns, fails here.

mod common;

use std::fs;
use std::process::Command;

use codegen::{generate, ModelFiles, Settings};

#[test]
fn fixture_outputs_compile_lint_document_and_pass_their_tests() {
    let root = common::workspace();
    let dir = root.join("target/fixture-crates");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let settings = Settings {
        runtime_path: "../../../runtime".to_owned(),
        ..Settings::default()
    };
    let mut members = Vec::new();
    for name in common::OK {
        let (service, pag) = common::read("ok", name);
        let generated = generate(
            &ModelFiles::new(&service)
                .paginators(pag.as_deref())
                .endpoint_rules(common::read_rules("ok", name).as_deref()),
            &settings,
        )
        .unwrap();
        for (path, text) in &generated.files {
            let dest = dir.join(path);
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::write(dest, text).unwrap();
        }
        let c = &generated.service.crates;
        members.extend([c.types.clone(), c.client.clone(), c.server.clone()]);
        let behaviour = common::fixtures()
            .parent()
            .unwrap()
            .join(format!("fixture_tests/{name}.rs"));
        if behaviour.exists() {
            let tests = dir.join(&c.types).join("tests");
            fs::create_dir_all(&tests).unwrap();
            fs::copy(&behaviour, tests.join("behaviour.rs")).unwrap();
        }
        // What a fixture's client and server do, run inside the generated crates.
        for (suffix, krate) in [("client", &c.client), ("server", &c.server)] {
            let file = behaviour.with_file_name(format!("{name}_{suffix}.rs"));
            if !file.exists() {
                continue;
            }
            let tests = dir.join(krate).join("tests");
            fs::create_dir_all(&tests).unwrap();
            fs::copy(&file, tests.join("behaviour.rs")).unwrap();
            // What those tests drive the crate with: an executor, bodies and streams.
            let manifest = dir.join(krate).join("Cargo.toml");
            let mut text = fs::read_to_string(&manifest).unwrap();
            text.push_str(
                "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt\", \"macros\", \"sync\", \"time\"] }\n\
                 bytes = \"1\"\nhttp = \"1\"\nhttp-body = \"1\"\nhttp-body-util = \"0.1\"\nfutures-core = \"0.3\"\n",
            );
            fs::write(manifest, text).unwrap();
        }
    }
    members.retain(|m| dir.join(m).join("Cargo.toml").exists());
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target/fixture-target");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(&cargo)
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "cargo {args:?} failed:\n{stderr}\n{stdout}"
        );
        assert!(
            !stderr.contains("warning:"),
            "cargo {args:?} warned:\n{stderr}"
        );
        stdout
    };
    run(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
    run(
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    let stdout = run(&["test", "--workspace", "--quiet"], &[]);
    assert!(stdout.contains("test result: ok"), "{stdout}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
}
