//! Shared by the tests that serve a generated server stub over loopback (cognito_sync,
//! eventbridge) and drive it with a boto3 peer script.

/// Serves a generated server stub on a loopback port (HTTP/1.1, hyper) until the test ends; its
/// URL.
pub async fn serve_stub<R: awsgen_rt::server::Router>(
    service: awsgen_rt::server::AwsJsonService<R>,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let service = service.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| {
                    let service = service.clone();
                    async move { Ok::<_, std::convert::Infallible>(service.handle(req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    url
}

/// Runs the boto3 peer `tests/python/<script>` against `url` with the project's virtualenv and
/// checks that it passed every check: its closing line must be `<closing>`.
pub async fn run_boto3_peer(script: &str, url: &str, closing: &str) {
    let script = super::common::root().join("tests/python").join(script);
    let out = tokio::process::Command::new(super::common::venv_bin("python"))
        .arg(&script)
        .arg(url)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(closing), "{stdout}");
}
