//! Limits against hostile or broken clients: a request that trickles in
//! (slow-loris) is cut off with 408 and its connection closed, and callback
//! URLs must be http(s) and, by default, not link-local (169.254.0.0/16,
//! fe80::/10) while loopback stays allowed.

use crate::fapiao_callbacks::{individual, start_scaled, wait_for_callback};
use crate::fapiao_titles::fill_title;
use crate::fapiao_world::FapiaoWorld;
use crate::helpers::*;
use crate::receiver::Receiver;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off_with_408_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.settings.request_timeout_secs = 2;
    let app = spawn_with(dir, cfg).await;
    let secret = app.app("wxslowloris00001", "merchant").await;
    let token = app.token("wxslowloris00001", &secret).await;
    let addr = app.base_url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(
            format!(
                "POST /card/invoice/insert?access_token={token} HTTP/1.1\r\nHost: {addr}\r\n\
                 Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{{"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // One byte a second: never a whole body, always some progress.
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => {
                let n = read.unwrap_or(0);
                if n == 0 { break; }
                answer.extend_from_slice(&buf[..n]);
            }
            () = tokio::time::sleep(Duration::from_secs(1)) => {
                let _ = stream.write_all(b" ").await;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never cut off");
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "cut off too early"
    );
    let health = app.get_json("/_kabao/health").await;
    assert_eq!(health["status"], "ok", "still serving");
}

#[tokio::test]
async fn a_link_local_callback_url_is_refused_and_loopback_is_taken() {
    let world = FapiaoWorld::start().await;
    let path = "/v3/new-tax-control-fapiao/merchant/development-config";
    for url in [
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/cb",
        "ftp://127.0.0.1/cb",
    ] {
        let (status, body) = world
            .call(
                &world.direct,
                "PATCH",
                path,
                Some(&json!({"callback_url": url})),
            )
            .await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["code"], "PARAM_ERROR", "{body}");
        assert_eq!(body["detail"]["field"], "callback_url", "{body}");
    }
    let loopback = world.receiver.url("/direct");
    let (status, body) = world
        .call(
            &world.direct,
            "PATCH",
            path,
            Some(&json!({"callback_url": loopback})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["callback_url"], loopback.as_str());
}

#[tokio::test]
async fn a_callback_to_a_link_local_address_is_never_sent() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 0.001, Receiver::start().await).await;
    let mchid = "1900000331";
    let merchant = world
        .app
        .merchant(
            mchid,
            json!({"kind": "direct", "callback_url": "http://169.254.169.254/cb"}),
        )
        .await;
    fill_title(&world, &merchant, "CB-LINKLOCAL", "", &individual("孙七")).await;
    let callback = wait_for_callback(&world.app, mchid, |c: &Value| {
        c["attempts"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    let error = callback["attempts"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("link-local"), "{callback}");
    assert_eq!(
        callback["attempts"][0]["http_status"],
        Value::Null,
        "{callback}"
    );
}

#[tokio::test]
async fn a_merchant_with_a_full_callback_outbox_gets_further_callbacks_as_failed_and_others_are_unaffected(
) {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.settings.callback_outbox_limit = 2;
    let world = FapiaoWorld::provision(spawn_with(dir, cfg).await, Receiver::start().await).await;
    crate::fapiao_titles::provision_title_user(&world).await;
    // A receiver that refuses connections keeps every callback pending
    // (the next try is 15 s away).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}/down", closed.local_addr().unwrap());
    drop(closed);
    let mchid = "1900000341";
    let failing = world
        .app
        .merchant(mchid, json!({"kind": "direct", "callback_url": down}))
        .await;
    for (i, name) in ["周一", "吴二", "郑三"].iter().enumerate() {
        fill_title(
            &world,
            &failing,
            &format!("CB-FULL-{i}"),
            "",
            &individual(name),
        )
        .await;
    }
    let (status, list) = world
        .app
        .admin_get(&format!("/callbacks?mchid={mchid}"))
        .await;
    assert_eq!(status, 200, "{list}");
    let mut statuses: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["last_error"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    statuses.sort();
    assert_eq!(statuses.len(), 3, "{list}");
    assert_eq!(statuses[0].0, "failed", "{list}");
    assert!(statuses[0].1.contains("callback_outbox_limit"), "{list}");
    assert_eq!(
        (statuses[1].0.as_str(), statuses[2].0.as_str()),
        ("pending", "pending")
    );

    // Another merchant's callbacks still go out.
    fill_title(&world, &world.direct, "CB-OTHER", "", &individual("王四")).await;
    wait_for_callback(&world.app, crate::fapiao_world::DIRECT, |c: &Value| {
        c["status"] == "delivered"
    })
    .await;
}
