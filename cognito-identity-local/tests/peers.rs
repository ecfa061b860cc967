//! Real peers against the `cognito-identity-local` binary over loopback: boto3 (every operation,
//! the paginator over more than 60 pools, error codes as botocore parses them, raw-HTTP cases,
//! developer-authenticated identities, the signature signed operations need) and the AWS CLI,
//! both from the project's virtualenv made by `cargo xtask test`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn venv_bin(name: &str) -> PathBuf {
    let venv = std::env::var("AWSGEN_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join(".cache/venv"));
    let bin = venv.join("bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing: run `cargo xtask test`, which installs the test peers",
        bin.display()
    );
    bin
}

struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-identity-local"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the server did not start"
            );
            assert!(child.try_wait().unwrap().is_none(), "the server exited");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn aws(server: &Server, args: &[&str]) -> Output {
    Command::new(venv_bin("aws"))
        .args([
            "--endpoint-url",
            &server.url,
            "--region",
            "us-east-1",
            "--output",
            "json",
            "cognito-identity",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDCLI")
        .env("AWS_SECRET_ACCESS_KEY", "cli-secret")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap()
}

/// Runs a Python peer script with the server's URL; it prints `N passed, M failed`.
fn python_peer(script: &std::path::Path, server: &Server) {
    let out = Command::new(venv_bin("python"))
        .arg(script)
        .arg(&server.url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// The scripts beside this file.
fn local_script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

#[test]
fn boto3_against_the_local_server() {
    // boto3_local.py's raw-HTTP cases send signed operations (ListIdentityPools) without a
    // signature, to test routing, content type and body checks; the server serves them only
    // with the opt-out. The default refusal is tested in `signatures_with_boto3`.
    let server = Server::start(&["--allow-unsigned"]);
    python_peer(&local_script("boto3_local.py"), &server);
}

#[test]
fn developer_identities_with_boto3() {
    let server = Server::start(&[]);
    python_peer(&local_script("developer_identities.py"), &server);
}

#[test]
fn signatures_with_boto3() {
    let server = Server::start(&[]);
    python_peer(&local_script("signatures.py"), &server);
}

/// The AWS CLI without credentials (`--no-sign-request`).
fn aws_unsigned(server: &Server, args: &[&str]) -> Output {
    Command::new(venv_bin("aws"))
        .args([
            "--endpoint-url",
            &server.url,
            "--region",
            "us-east-1",
            "--no-sign-request",
            "cognito-identity",
        ])
        .args(args)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap()
}

#[test]
fn unsigned_requests_to_signed_operations_need_the_opt_out() {
    let strict = Server::start(&[]);
    let refused = aws_unsigned(&strict, &["list-identity-pools", "--max-results", "5"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("(MissingAuthenticationTokenException)")
            && stderr.contains("Request is missing Authentication Token"),
        "{stderr}"
    );
    let open = Server::start(&["--allow-unsigned"]);
    let served = aws_unsigned(&open, &["list-identity-pools", "--max-results", "5"]);
    assert!(
        served.status.success(),
        "{}",
        String::from_utf8_lossy(&served.stderr)
    );
    let both = Command::new(env!("CARGO_BIN_EXE_cognito-identity-local"))
        .args(["--allow-unsigned", "--verify-sigv4", "AKID:secret"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&both.stderr);
    assert!(stderr.contains("exclude each other"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn aws_cli_against_the_local_server() {
    let server = Server::start(&[]);
    let created = aws(
        &server,
        &[
            "create-identity-pool",
            "--identity-pool-name",
            "cli pool",
            "--allow-unauthenticated-identities",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let pool: serde_json_value::Value = serde_json_value::from_slice(&created.stdout);
    let id = pool.get("IdentityPoolId").unwrap();
    let listed = aws(&server, &["list-identity-pools", "--max-results", "10"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains(&id),
        "{}",
        String::from_utf8_lossy(&listed.stdout)
    );
    let got = aws(&server, &["get-id", "--identity-pool-id", &id]);
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let missing = aws(
        &server,
        &[
            "describe-identity-pool",
            "--identity-pool-id",
            "us-east-1:00000000-0000-0000-0000-000000000000",
        ],
    );
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
    let invalid = aws(
        &server,
        &["describe-identity-pool", "--identity-pool-id", "nope"],
    );
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("(ValidationException)"));
}

#[test]
fn sigv4_verification_against_the_aws_cli() {
    let server = Server::start(&["--verify-sigv4", "AKIDCLI:cli-secret"]);
    let ok = aws(&server, &["list-identity-pools", "--max-results", "5"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let wrong = Command::new(venv_bin("aws"))
        .args([
            "--endpoint-url",
            &server.url,
            "--region",
            "us-east-1",
            "cognito-identity",
            "list-identity-pools",
            "--max-results",
            "5",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIDCLI")
        .env("AWS_SECRET_ACCESS_KEY", "wrong-secret")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("(InvalidSignatureException)"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let unknown = Command::new(venv_bin("aws"))
        .args([
            "--endpoint-url",
            &server.url,
            "--region",
            "us-east-1",
            "cognito-identity",
            "list-identity-pools",
            "--max-results",
            "5",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIDOTHER")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("(UnrecognizedClientException)"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    // Unsigned operations need no signature even with verification on.
    let created = aws(
        &server,
        &[
            "create-identity-pool",
            "--identity-pool-name",
            "p",
            "--allow-unauthenticated-identities",
        ],
    );
    let body = String::from_utf8_lossy(&created.stdout).to_string();
    let id = serde_json_value::from_slice(body.as_bytes())
        .get("IdentityPoolId")
        .unwrap();
    let anon = aws_unsigned(&server, &["get-id", "--identity-pool-id", &id]);
    assert!(
        anon.status.success(),
        "{}",
        String::from_utf8_lossy(&anon.stderr)
    );
    // With verification on, an unsigned signed operation is refused as without it.
    let refused = aws_unsigned(&server, &["list-identity-pools", "--max-results", "5"]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("(MissingAuthenticationTokenException)"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// Just enough JSON reading for the CLI's output, without another dependency.
mod serde_json_value {
    use awsgen_rt::codegen::serde_json;

    pub struct Value(serde_json::Value);

    pub fn from_slice(b: &[u8]) -> Value {
        Value(serde_json::from_slice(b).unwrap_or(serde_json::Value::Null))
    }

    impl Value {
        pub fn get(&self, k: &str) -> Option<String> {
            self.0.get(k).and_then(|v| v.as_str()).map(str::to_owned)
        }
    }
}
