//! Outcome control on the control API: immediate (default), after N seconds
//! of kabao's clock, held until released, or failing; per merchant and per
//! application, set before or after the issuing call.

use crate::fapiao_issue::{
    card_template, classic, fapiao, issue, line, paid_order, query, wait_until,
};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use serde_json::{json, Value};
use std::time::Duration;

async fn issued_order(world: &FapiaoWorld) -> String {
    card_template(world, &world.direct, None).await;
    paid_order(world, DIRECT).await
}

async fn send(world: &FapiaoWorld, tx: &str) {
    let (status, answer) = issue(
        world,
        &world.direct,
        &classic("WITH_WECHATPAY", tx, vec![fapiao("F", vec![line(100)])]),
    )
    .await;
    assert_eq!(status, 202, "{answer}");
}

/// The status after giving the worker time to run anything due.
async fn settled_status(world: &FapiaoWorld, tx: &str) -> Value {
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (_, body) = query(world, &world.direct, tx, None).await;
    body["fapiao_information"][0].clone()
}

async fn set_outcome(world: &FapiaoWorld, path: &str, outcome: Value) -> Value {
    let (status, body) = world.app.admin_post(path, &outcome).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn after_seconds_waits_for_kabaos_clock() {
    let world = FapiaoWorld::start().await;
    let tx = issued_order(&world).await;
    set_outcome(
        &world,
        &format!("/fapiao/applications/{DIRECT}/{tx}/outcome"),
        json!({"mode": "after_seconds", "seconds": 60}),
    )
    .await;
    send(&world, &tx).await;
    let waiting = settled_status(&world, &tx).await;
    assert_eq!(waiting["status"], "ISSUE_ACCEPTED");
    assert!(waiting.get("card_information").is_none());
    let (_, read) = world
        .app
        .admin_get(&format!("/fapiao/applications/{DIRECT}/{tx}"))
        .await;
    assert_eq!(
        read["outcome"],
        json!({"mode": "after_seconds", "seconds": 60})
    );
    assert_eq!(read["outcome_source"], "application");
    assert_eq!(read["pending_steps"][0]["action"], "ISSUE");
    assert!(read["pending_steps"][0]["due_at"].is_i64());

    world.app.advance_clock(61).await;
    wait_until(&world, &world.direct, &tx, None, "ISSUED", Some("INSERTED")).await;
    let (_, read) = world
        .app
        .admin_get(&format!("/fapiao/applications/{DIRECT}/{tx}"))
        .await;
    assert_eq!(read["pending_steps"], json!([]));
}

#[tokio::test]
async fn manual_holds_every_step_until_released() {
    let world = FapiaoWorld::start().await;
    let tx = issued_order(&world).await;
    set_outcome(
        &world,
        &format!("/fapiao/applications/{DIRECT}/{tx}/outcome"),
        json!({"mode": "manual"}),
    )
    .await;
    send(&world, &tx).await;
    world.app.advance_clock(200).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );
    let (_, read) = world
        .app
        .admin_get(&format!("/fapiao/applications/{DIRECT}/{tx}"))
        .await;
    assert_eq!(read["pending_steps"][0]["due_at"], Value::Null, "held");

    let (status, released) = world
        .app
        .admin_post(
            &format!("/fapiao/applications/{DIRECT}/{tx}/release"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (status, released["released_steps"].as_i64()),
        (200, Some(1))
    );
    wait_until(&world, &world.direct, &tx, None, "ISSUED", Some("INSERTED")).await;
    let (status, _) = world
        .app
        .admin_post(
            &format!("/fapiao/applications/{DIRECT}/NOPE/release"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_outcome_set_after_the_call_replans_the_waiting_steps() {
    let world = FapiaoWorld::start().await;
    let tx = issued_order(&world).await;
    set_outcome(
        &world,
        &format!("/fapiao/outcomes/{DIRECT}"),
        json!({"mode": "manual"}),
    )
    .await;
    send(&world, &tx).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );
    let (_, read) = world
        .app
        .admin_get(&format!("/fapiao/applications/{DIRECT}/{tx}"))
        .await;
    assert_eq!(read["outcome_source"], "merchant");

    let set = set_outcome(
        &world,
        &format!("/fapiao/applications/{DIRECT}/{tx}/outcome"),
        json!({"mode": "immediate"}),
    )
    .await;
    assert_eq!(set["replanned_steps"], 1);
    wait_until(&world, &world.direct, &tx, None, "ISSUED", Some("INSERTED")).await;
    let (_, default) = world
        .app
        .admin_get(&format!("/fapiao/outcomes/{DIRECT}"))
        .await;
    assert_eq!(default["outcome"], json!({"mode": "manual"}));
}

#[tokio::test]
async fn fail_leaves_a_classic_fapiao_issued() {
    let world = FapiaoWorld::start().await;
    let tx = issued_order(&world).await;
    set_outcome(
        &world,
        &format!("/fapiao/outcomes/{DIRECT}"),
        json!({"mode": "fail", "code": "TAX_ERROR", "message": "税局异常"}),
    )
    .await;
    send(&world, &tx).await;
    let done = wait_until(&world, &world.direct, &tx, None, "ISSUED", Some("INSERTED")).await;
    assert!(done["fapiao_information"][0]
        .get("fapiao_error_code")
        .is_none());
}

#[tokio::test]
async fn outcome_bodies_and_reads_are_checked() {
    let world = FapiaoWorld::start().await;
    let (status, default) = world
        .app
        .admin_get(&format!("/fapiao/outcomes/{DIRECT}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (default["configured"].as_bool(), default["outcome"].clone()),
        (Some(false), json!({"mode": "immediate"}))
    );
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/outcomes/{DIRECT}"),
            &json!({"mode": "sometimes"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/outcomes/{DIRECT}"),
            &json!({"mode": "after_seconds", "seconds": -1}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("seconds")),
        "{body}"
    );
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/outcomes/{DIRECT}"),
            &json!({"mode": "fail", "code": "", "message": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("code")),
        "{body}"
    );
    let (status, _) = world
        .app
        .admin_post("/fapiao/outcomes/1999999999", &json!({"mode": "manual"}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = world
        .app
        .admin_get(&format!("/fapiao/applications/{DIRECT}/NOPE"))
        .await;
    assert_eq!(status, 404);
    let (status, body) = world.app.admin_get("/fapiao/cards").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("openid")),
        "{body}"
    );
    let (status, body) = world.app.admin_get("/fapiao/cards?openid=nobody").await;
    assert_eq!((status, body["total_count"].as_i64()), (200, Some(0)));
}

#[tokio::test]
async fn scheduled_steps_survive_a_restart() {
    let world = FapiaoWorld::start().await;
    let tx = issued_order(&world).await;
    set_outcome(
        &world,
        &format!("/fapiao/applications/{DIRECT}/{tx}/outcome"),
        json!({"mode": "manual"}),
    )
    .await;
    send(&world, &tx).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );

    let FapiaoWorld {
        app,
        direct,
        provider,
        receiver,
    } = world;
    let dir = app.stop().await;
    let config = crate::helpers::config(dir.path());
    let app = crate::helpers::spawn_with(dir, config).await;
    let world = FapiaoWorld {
        app,
        direct,
        provider,
        receiver,
    };

    let (status, released) = world
        .app
        .admin_post(
            &format!("/fapiao/applications/{DIRECT}/{tx}/release"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (status, released["released_steps"].as_i64()),
        (200, Some(1))
    );
    wait_until(&world, &world.direct, &tx, None, "ISSUED", Some("INSERTED")).await;
    let inserted =
        crate::fapiao_issue::callbacks(&world, &world.direct, "/direct", "FAPIAO.CARD_INSERTED", 1)
            .await;
    assert_eq!(inserted[0]["fapiao_apply_id"], tx);
}
