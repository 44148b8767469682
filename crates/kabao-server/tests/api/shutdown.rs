//! Graceful shutdown: a request in flight when the stop comes is answered.

use crate::helpers::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_request_in_flight_is_finished_before_the_server_stops() {
    let app = spawn_app().await;
    let addr = app.base_url.trim_start_matches("http://").to_owned();
    let body = r#"{"grant_type":"client_credential","appid":"wxnone","secret":"x"}"#;
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let stopping = tokio::spawn(app.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "no new connections once stopping"
    );
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("40013"), "{answer}");
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .unwrap()
        .unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_binary_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let kabao = KabaoProcess::start(dir.path(), &[], &[]).await;
    let status = kabao.terminate().await;
    assert!(status.success(), "{status:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn kabao_keeps_serving_when_nobody_reads_its_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = crate::helpers::database_url(dir.path());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &db,
            "--data-dir",
            &dir.path().display().to_string(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the demo guide is written to a closed pipe
    let health = format!("http://127.0.0.1:{port}/_kabao/health");
    let mut healthy = false;
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(&health).await {
            healthy = r.status() == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        healthy,
        "kabao answers after writing its guide to a closed pipe"
    );
    let kabao = KabaoProcess {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    };
    assert!(kabao.terminate().await.success());
}
