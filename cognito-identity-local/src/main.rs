//! `cognito-identity-local`: Amazon Cognito Identity on your machine.
//!
//! ```text
//! cargo run --release -p cognito-identity-local -- --listen 127.0.0.1:4566 [--region us-east-1] [--verify-sigv4 AKID:SECRET | --allow-unsigned]
//! ```
//!
//! All 23 operations, in memory, behind the generated awsJson service: boto3, the AWS CLI and
//! the generated client work against it unchanged (`--endpoint-url http://127.0.0.1:4566`).
//!
//! As AWS does, the signed operations (all but GetId, GetCredentialsForIdentity, GetOpenIdToken
//! and UnlinkIdentity) need a SigV4 signature: by default a well-formed one with any key (no
//! secret is known), with `--verify-sigv4` one that verifies with a given key, and with
//! `--allow-unsigned` none.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use cognito_identity_server::SigV4Verifier;
use hyper_util::rt::TokioIo;

struct Args {
    listen: SocketAddr,
    region: String,
    keys: BTreeMap<String, String>,
    allow_unsigned: bool,
}

const USAGE: &str = "usage: cognito-identity-local [--listen ADDR:PORT] [--region REGION] [--verify-sigv4 ACCESS_KEY_ID:SECRET]... [--allow-unsigned]
  signed operations need a well-formed SigV4 signature (any key) unless --verify-sigv4 names the
  keys whose signatures are verified, or --allow-unsigned serves them without one";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 4566)),
        region: "us-east-1".to_owned(),
        keys: BTreeMap::new(),
        allow_unsigned: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--listen" => {
                let v = value("--listen")?;
                args.listen = v
                    .parse()
                    .map_err(|e| format!("--listen {v}: {e} (expected ADDR:PORT)"))?;
            }
            "--region" => args.region = value("--region")?,
            "--verify-sigv4" => {
                let v = value("--verify-sigv4")?;
                let (id, secret) = v
                    .split_once(':')
                    // The value is not repeated: it may be a secret missing its key id.
                    .ok_or("--verify-sigv4: expected ACCESS_KEY_ID:SECRET")?;
                args.keys.insert(id.to_owned(), secret.to_owned());
            }
            "--allow-unsigned" => args.allow_unsigned = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.allow_unsigned && !args.keys.is_empty() {
        return Err(format!(
            "--allow-unsigned and --verify-sigv4 exclude each other\n{USAGE}"
        ));
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let emulator = match cognito_identity_local::Emulator::new(&args.region) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot create the token signing key: {e}");
            return ExitCode::FAILURE;
        }
    };
    let jwk = emulator.jwk();
    let mut service = cognito_identity_server::service(emulator);
    let signatures = if args.allow_unsigned {
        service = service.allow_unsigned();
        "not required"
    } else if !args.keys.is_empty() {
        let keys = args.keys.clone();
        service = service.with_sigv4(SigV4Verifier::new(move |id| keys.get(id).cloned()));
        "verified"
    } else {
        "required (well-formed, any key)"
    };
    let service = Arc::new(service);
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.listen);
    println!(
        "cognito-identity-local listening on http://{addr} (region {}; SigV4 signatures on signed operations {signatures})",
        args.region
    );
    println!("OpenID tokens are ES256 JWTs; their public key: {jwk}");
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = tokio::signal::ctrl_c() => return ExitCode::SUCCESS,
        };
        let (stream, _) = match accepted {
            Ok(a) => a,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        let service = service.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let service = service.clone();
                async move { Ok::<_, Infallible>(service.handle(req).await) }
            });
            // A connection that fails (a client going away) ends only itself.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}
