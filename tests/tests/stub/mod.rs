//! Shared by the tests that serve a generated server stub over loopback (cognito_sync,
//! eventbridge).

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
