//! Structured logs: `--log-json` writes one JSON object per line, and no
//! secret (AppSecret, access token) reaches them, even at debug level.

use crate::helpers::*;
use serde_json::Value;

#[cfg(unix)]
#[tokio::test]
async fn json_logs_carry_paths_but_never_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let kabao = KabaoProcess::start(dir.path(), &["--log-json"], &[("KABAO_LOG", "debug")]).await;
    let http = reqwest::Client::new();
    // Provisioned through the CLI on the running server's store, then called as an integrator would.
    let db = crate::helpers::database_url(dir.path());
    let secret = "s3cretNeverLogged0123456789abcd";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args([
            "app",
            "add",
            "--database-url",
            &db,
            "--appid",
            "wxlogs0000000001",
            "--role",
            "merchant",
            "--secret",
            secret,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let get = |path: String| {
        let request = http.get(format!("{}{path}", kabao.base_url)).send();
        async move { request.await.unwrap().json::<Value>().await.unwrap() }
    };
    let token = get(format!(
        "/cgi-bin/token?grant_type=client_credential&appid=wxlogs0000000001&secret={secret}"
    ))
    .await;
    let token = token["access_token"].as_str().unwrap().to_owned();
    let ticket = get(format!(
        "/cgi-bin/ticket/getticket?type=wx_card&access_token={token}"
    ))
    .await;
    assert_eq!(ticket["errcode"], 0);
    assert!(kabao.terminate().await.success());

    let logs = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 3, "{logs}");
    for line in &lines {
        serde_json::from_str::<Value>(line)
            .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
    }
    assert!(
        logs.contains("/cgi-bin/token") && logs.contains("/cgi-bin/ticket/getticket"),
        "requests are logged by path"
    );
    assert!(!logs.contains(secret), "the AppSecret reached the logs");
    assert!(!logs.contains(&token), "an access token reached the logs");
}
