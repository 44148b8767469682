//! `--tls`: HTTPS with the local CA, HTTP/1.1 only, for SDKs with hard-coded hosts.

use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn https_with_the_local_ca_speaks_http1() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.tls = true;
    let app = spawn_with(dir, cfg).await;
    assert!(app.base_url.starts_with("https://"));
    let ca = std::fs::read(app.dir.path().join("tls/ca.pem")).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .resolve(
            "api.mch.weixin.qq.com",
            app.base_url.trim_start_matches("https://").parse().unwrap(),
        )
        .build()
        .unwrap();
    let port = app.base_url.rsplit(':').next().unwrap();
    let r = client
        .get(format!(
            "https://api.mch.weixin.qq.com:{port}/_kabao/health"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_11);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "ok");
    let untrusted = reqwest::Client::new()
        .get(app.url("/_kabao/health"))
        .send()
        .await;
    assert!(
        untrusted.is_err(),
        "without the CA the certificate is not trusted"
    );
}

#[test]
fn tls_init_writes_a_ca_and_a_server_certificate_for_the_wechat_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args(["tls", "init", "--dir", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("api.mch.weixin.qq.com") && text.contains("api.weixin.qq.com"));
    let server = std::fs::read_to_string(dir.path().join("server.pem")).unwrap();
    assert_eq!(
        server.matches("BEGIN CERTIFICATE").count(),
        2,
        "chain of server and CA"
    );
}
