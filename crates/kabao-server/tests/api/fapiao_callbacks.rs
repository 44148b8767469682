//! APIv3 callback delivery: encrypted with the merchant's APIv3 key, signed
//! by the platform key, retried on the fapiao schedule (compressed by the
//! time scale) with the same event id, listed with every attempt on the
//! control API, redelivered and duplicated on demand, and delivered after
//! a restart when it was due while kabao was down.

use crate::fapiao_titles::{fill_title, open_callback, provision_title_user};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::{config, spawn_with, TestApp, TestMerchant};
use crate::receiver::Receiver;
use serde_json::{json, Value};
use std::time::Duration;

/// Starts the fapiao world with `callback_time_scale` set, on `dir`.
pub(crate) async fn start_scaled(
    dir: tempfile::TempDir,
    scale: f64,
    receiver: Receiver,
) -> FapiaoWorld {
    let mut cfg = config(dir.path());
    cfg.settings.callback_time_scale = scale;
    let world = FapiaoWorld::provision(spawn_with(dir, cfg).await, receiver).await;
    provision_title_user(&world).await;
    world
}

/// Polls the control API until a callback of `mchid` (the newest such) satisfies `done`.
pub(crate) async fn wait_for_callback(
    app: &TestApp,
    mchid: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..200 {
        let (status, list) = app.admin_get(&format!("/callbacks?mchid={mchid}")).await;
        assert_eq!(status, 200, "{list}");
        if let Some(found) = list.as_array().and_then(|l| l.iter().find(|c| done(c))) {
            return found.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no callback of {mchid} reached the expected state");
}

/// The title of an individual named `name`.
pub(crate) fn individual(name: &str) -> Value {
    json!({"type": "INDIVIDUAL", "name": name})
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_with_the_same_event_id_until_it_answers() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 0.001, Receiver::start().await).await;
    world.receiver.reply_next(&[500, 503]);
    fill_title(&world, &world.direct, "CB-RETRY", "", &individual("周七")).await;
    let requests = world.receiver.wait_for(3).await;
    let mut ids = Vec::new();
    for request in &requests {
        assert_eq!(request.method, "POST");
        let (notification, resource) = open_callback(&world, &world.direct, request).await;
        assert_eq!(notification.event_type, "FAPIAO.USER_APPLIED");
        assert_eq!(notification.summary.as_deref(), Some("用户已填写发票抬头"));
        assert_eq!(resource["fapiao_apply_id"], "CB-RETRY");
        ids.push(notification.id);
    }
    assert!(ids[0].starts_with("EV-"));
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "same id on every retry: {ids:?}"
    );

    let callback = wait_for_callback(&world.app, DIRECT, |c| c["status"] == "delivered").await;
    assert_eq!(callback["event_id"], ids[0].as_str());
    assert_eq!(callback["event_type"], "FAPIAO.USER_APPLIED");
    assert_eq!(callback["resource"]["mchid"], DIRECT);
    let attempts = callback["attempts"].as_array().unwrap();
    let statuses: Vec<_> = attempts.iter().map(|a| a["http_status"].clone()).collect();
    assert_eq!(statuses, [json!(500), json!(503), json!(200)]);
    assert_eq!(attempts[0]["error"], "HTTP 500");
    assert_eq!(attempts[2]["error"], Value::Null);
    assert!(attempts
        .iter()
        .all(|a| a["latency_ms"].as_i64().unwrap() >= 0));
    assert_eq!(attempts[0]["url"], world.receiver.url("/direct"));
    let started = |i: usize| attempts[i]["started_at_ms"].as_i64().unwrap();
    assert!(
        started(1) - started(0) >= 15,
        "15 s × 0.001 between the first two sends"
    );

    let (status, list) = world
        .app
        .admin_get(&format!(
            "/callbacks?event_type=FAPIAO.USER_APPLIED&status=delivered&mchid={DIRECT}"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, list) = world.app.admin_get("/callbacks?status=failed").await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([]));
    let (status, body) = world.app.admin_get("/callbacks?status=lost").await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "status");
}

#[tokio::test]
async fn redeliver_and_duplicate_send_the_same_event_again() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 0.001, Receiver::start().await).await;
    fill_title(&world, &world.direct, "CB-AGAIN", "", &individual("吴八")).await;
    let delivered = wait_for_callback(&world.app, DIRECT, |c| c["status"] == "delivered").await;
    let id = delivered["id"].as_i64().unwrap();

    let (status, body) = world
        .app
        .admin_post(&format!("/callbacks/{id}/redeliver"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "pending");
    let (status, body) = world
        .app
        .admin_post(&format!("/callbacks/{id}/duplicate"), &json!({}))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["duplicate_of"], id);
    assert_eq!(body["event_id"], delivered["event_id"]);

    let requests = world.receiver.wait_for(3).await;
    for request in &requests {
        let (notification, _) = open_callback(&world, &world.direct, request).await;
        assert_eq!(notification.id, delivered["event_id"].as_str().unwrap());
    }
    // kabao records an attempt just after the receiver answered it.
    let again = wait_for_callback(&world.app, DIRECT, |c| {
        c["id"] == id && c["status"] == "delivered"
    })
    .await;
    assert_eq!(again["attempts"].as_array().unwrap().len(), 2, "{again}");
    let (_, list) = world
        .app
        .admin_get(&format!("/callbacks?mchid={DIRECT}"))
        .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the original and its duplicate"
    );

    let (status, _) = world
        .app
        .admin_post("/callbacks/999999/redeliver", &json!({}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = world
        .app
        .admin_post("/callbacks/999999/duplicate", &json!({}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_schedule_gives_up_after_ten_sends() {
    let world = start_scaled(
        tempfile::tempdir().unwrap(),
        0.0001,
        Receiver::start().await,
    )
    .await;
    world.receiver.reply_by_default(crate::receiver::Reply::new(
        500,
        "{\"code\":\"FAIL\",\"message\":\"失败\"}",
    ));
    fill_title(&world, &world.direct, "CB-FAIL", "", &individual("郑九")).await;
    let failed = wait_for_callback(&world.app, DIRECT, |c| c["status"] == "failed").await;
    let attempts = failed["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 10, "{failed}");
    assert_eq!(
        attempts[9]["response_body"],
        "{\"code\":\"FAIL\",\"message\":\"失败\"}"
    );
    assert_eq!(failed["last_error"], "HTTP 500");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(world.receiver.requests().len(), 10, "no eleventh send");
}

#[tokio::test]
async fn a_merchant_without_a_callback_url_gets_no_url_and_development_config_wins() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 0.001, Receiver::start().await).await;
    let lonely = world
        .app
        .merchant("1900000311", json!({"kind": "direct"}))
        .await;
    fill_title(&world, &lonely, "CB-NOURL", "", &individual("钱十")).await;
    let callback = wait_for_callback(&world.app, "1900000311", |c| c["status"] == "no_url").await;
    assert!(callback["last_error"]
        .as_str()
        .unwrap()
        .contains("callback"));
    assert_eq!(callback["attempts"], json!([]));

    let (status, body) = world
        .call(
            &lonely,
            "PATCH",
            "/v3/new-tax-control-fapiao/merchant/development-config",
            Some(&json!({"callback_url": world.receiver.url("/configured")})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = callback["id"].as_i64().unwrap();
    let (status, _) = world
        .app
        .admin_post(&format!("/callbacks/{id}/redeliver"), &json!({}))
        .await;
    assert_eq!(status, 200);
    let requests = world.receiver.wait_for(1).await;
    assert_eq!(requests[0].path(), "/configured");
    let (_, resource) = open_callback(&world, &lonely, &requests[0]).await;
    assert_eq!(resource["fapiao_apply_id"], "CB-NOURL");
}

#[tokio::test]
async fn a_callback_due_while_kabao_was_down_is_sent_after_it_starts_again() {
    let receiver = Receiver::start().await;
    receiver.reply_next(&[500]);
    let world = start_scaled(tempfile::tempdir().unwrap(), 1.0, receiver).await;
    fill_title(
        &world,
        &world.direct,
        "CB-RESTART",
        "",
        &individual("孙十一"),
    )
    .await;
    let pending = wait_for_callback(&world.app, DIRECT, |c| {
        c["attempts"].as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    assert_eq!(pending["status"], "pending", "retried in 15 s: {pending}");
    let FapiaoWorld {
        app,
        direct,
        receiver,
        ..
    } = world;
    let dir = app.stop().await;
    assert_eq!(receiver.requests().len(), 1);

    let cfg = config(dir.path());
    let app = spawn_with(dir, cfg).await;
    app.advance_clock(16).await;
    let requests = receiver.wait_for(2).await;
    let keys = crate::helpers::platform_public_keys(&app).await;
    crate::helpers::verify_response(&requests[1].headers, &requests[1].body, &keys);
    let first = kabao_protocol::notification::Notification::parse(&requests[0].body).unwrap();
    let second = kabao_protocol::notification::Notification::parse(&requests[1].body).unwrap();
    assert_eq!(first.id, second.id, "the same event after the restart");
    let plain = second.resource.open(direct.apiv3_key.as_bytes()).unwrap();
    let resource: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(resource["fapiao_apply_id"], "CB-RESTART");
    // kabao records the delivery just after the receiver answered.
    let delivered = wait_for_callback(&app, DIRECT, |c| c["status"] == "delivered").await;
    assert_eq!(
        delivered["attempts"].as_array().map(Vec::len),
        Some(2),
        "{delivered}"
    );
}

/// A server that accepts connections and never answers; each accepted
/// connection is reported on the channel.
pub(crate) async fn black_hole() -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/never", listener.local_addr().unwrap());
    let (accepted, arrivals) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            let _ = accepted.send(());
        }
    });
    (url, arrivals)
}

/// A direct merchant `mchid` whose callback server accepts and never
/// answers, once its callback for a title of `fapiao_apply_id` (filled in
/// by `name`) is under way.
async fn stuck_merchant(
    world: &FapiaoWorld,
    mchid: &str,
    fapiao_apply_id: &str,
    name: &str,
) -> TestMerchant {
    let (never, mut arrivals) = black_hole().await;
    let stuck = world
        .app
        .merchant(mchid, json!({"kind": "direct", "callback_url": never}))
        .await;
    fill_title(world, &stuck, fapiao_apply_id, "", &individual(name)).await;
    tokio::time::timeout(Duration::from_secs(10), arrivals.recv())
        .await
        .expect("the first attempt reaches the silent server");
    stuck
}

#[tokio::test]
async fn a_callback_in_flight_when_kabao_stopped_goes_out_as_soon_as_it_starts_again() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 1.0, Receiver::start().await).await;
    let stuck = stuck_merchant(&world, "1900000312", "CB-INFLIGHT", "李十二").await;
    let (status, body) = world
        .call(
            &stuck,
            "PATCH",
            "/v3/new-tax-control-fapiao/merchant/development-config",
            Some(&json!({"callback_url": world.receiver.url("/after-restart")})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let FapiaoWorld { app, receiver, .. } = world;
    let dir = app.stop().await;
    assert_eq!(receiver.requests().len(), 0);

    let cfg = config(dir.path());
    let app = spawn_with(dir, cfg).await;
    let requests = receiver.wait_for(1).await;
    assert_eq!(requests[0].path(), "/after-restart");
    let notification =
        kabao_protocol::notification::Notification::parse(&requests[0].body).unwrap();
    let plain = notification
        .resource
        .open(stuck.apiv3_key.as_bytes())
        .unwrap();
    let resource: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(resource["fapiao_apply_id"], "CB-INFLIGHT");
    let callback = wait_for_callback(&app, "1900000312", |c| c["status"] == "delivered").await;
    assert_eq!(callback["event_id"], notification.id.as_str());
}

#[tokio::test]
async fn a_merchant_whose_server_hangs_does_not_hold_back_another_merchants_callbacks() {
    let world = start_scaled(tempfile::tempdir().unwrap(), 1.0, Receiver::start().await).await;
    stuck_merchant(&world, "1900000313", "CB-HANG", "甲").await;
    let started = std::time::Instant::now();
    fill_title(&world, &world.direct, "CB-FREE", "", &individual("乙")).await;
    let requests = world.receiver.wait_for(1).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "delivered while the other waits out its 5 s: {:?}",
        started.elapsed()
    );
    let (_, resource) = open_callback(&world, &world.direct, &requests[0]).await;
    assert_eq!(resource["fapiao_apply_id"], "CB-FREE");
}

#[test]
fn kabao_refuses_a_negative_callback_time_scale() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args(["serve", "--no-demo", "--callback-time-scale=-1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--callback-time-scale"), "{stderr}");
    assert!(stderr.contains("not a number from 0 up"), "{stderr}");
}
