//! Outcome control on the control API: immediate (default), after N seconds
//! of kabao's clock, held until released, or failing; per merchant and per
//! application, set before or after the issuing call.

use crate::fapiao_issue::{callbacks, direct_inserted, direct_order, issue_one, query};
use crate::fapiao_steps::{application, release_one, set_outcome};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use serde_json::{json, Value};
use std::time::Duration;

/// A world whose direct merchant sent fapiao "F" for a new order, under
/// `outcome` set beforehand for that application or (`merchant_wide`) as
/// the merchant's default; the order's transaction_id.
async fn sent_under(outcome: Value, merchant_wide: bool) -> (FapiaoWorld, String) {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    let apply_id = (!merchant_wide).then_some(tx.as_str());
    set_outcome(&world, DIRECT, apply_id, &outcome).await;
    issue_one(&world, &tx, 100).await;
    (world, tx)
}

/// The status after giving the worker time to run anything due.
async fn settled_status(world: &FapiaoWorld, tx: &str) -> Value {
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (_, body) = query(world, &world.direct, tx, None).await;
    body["fapiao_information"][0].clone()
}

#[tokio::test]
async fn after_seconds_waits_for_kabaos_clock() {
    let (world, tx) = sent_under(json!({"mode": "after_seconds", "seconds": 60}), false).await;
    let waiting = settled_status(&world, &tx).await;
    assert_eq!(waiting["status"], "ISSUE_ACCEPTED");
    assert!(waiting.get("card_information").is_none());
    let (_, read) = application(&world, DIRECT, &tx).await;
    assert_eq!(
        read["outcome"],
        json!({"mode": "after_seconds", "seconds": 60})
    );
    assert_eq!(read["outcome_source"], "application");
    assert_eq!(read["pending_steps"][0]["action"], "ISSUE");
    assert!(read["pending_steps"][0]["due_at"].is_i64());

    world.app.advance_clock(61).await;
    direct_inserted(&world, &tx).await;
    let (_, read) = application(&world, DIRECT, &tx).await;
    assert_eq!(read["pending_steps"], json!([]));
}

#[tokio::test]
async fn manual_holds_every_step_until_released() {
    let (world, tx) = sent_under(json!({"mode": "manual"}), false).await;
    world.app.advance_clock(200).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );
    let (_, read) = application(&world, DIRECT, &tx).await;
    assert_eq!(read["pending_steps"][0]["due_at"], Value::Null, "held");

    release_one(&world, DIRECT, &tx).await;
    direct_inserted(&world, &tx).await;
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
    let (world, tx) = sent_under(json!({"mode": "manual"}), true).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );
    let (_, read) = application(&world, DIRECT, &tx).await;
    assert_eq!(read["outcome_source"], "merchant");

    let set = set_outcome(&world, DIRECT, Some(&tx), &json!({"mode": "immediate"})).await;
    assert_eq!(set["replanned_steps"], 1);
    direct_inserted(&world, &tx).await;
    let (_, default) = world
        .app
        .admin_get(&format!("/fapiao/outcomes/{DIRECT}"))
        .await;
    assert_eq!(default["outcome"], json!({"mode": "manual"}));
}

#[tokio::test]
async fn fail_leaves_a_classic_fapiao_issued() {
    let fail = json!({"mode": "fail", "code": "TAX_ERROR", "message": "税局异常"});
    let (world, tx) = sent_under(fail, true).await;
    let done = direct_inserted(&world, &tx).await;
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
    let (status, _) = application(&world, DIRECT, "NOPE").await;
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
    let (world, tx) = sent_under(json!({"mode": "manual"}), false).await;
    assert_eq!(
        settled_status(&world, &tx).await["status"],
        "ISSUE_ACCEPTED"
    );

    let world = world.restart().await;

    release_one(&world, DIRECT, &tx).await;
    direct_inserted(&world, &tx).await;
    let inserted = callbacks(&world, &world.direct, "/direct", "FAPIAO.CARD_INSERTED", 1).await;
    assert_eq!(inserted[0]["fapiao_apply_id"], tx);
}

#[tokio::test]
async fn an_applications_own_outcome_wins_over_the_merchants_default() {
    let world = FapiaoWorld::start().await;
    set_outcome(&world, DIRECT, None, &json!({"mode": "manual"})).await;
    let own = direct_order(&world).await;
    set_outcome(
        &world,
        DIRECT,
        Some(&own),
        &json!({"mode": "after_seconds", "seconds": 60}),
    )
    .await;
    let defaulted = direct_order(&world).await;
    issue_one(&world, &own, 100).await;
    issue_one(&world, &defaulted, 100).await;

    let (_, read) = application(&world, DIRECT, &own).await;
    assert_eq!(read["outcome_source"], "application");
    let due = read["pending_steps"][0]["due_at"].as_i64();
    assert!(due.is_some(), "scheduled by its own outcome: {read}");
    let (_, read) = application(&world, DIRECT, &defaulted).await;
    assert_eq!(read["pending_steps"][0]["action"], "ISSUE");
    assert_eq!(
        read["pending_steps"][0]["due_at"],
        Value::Null,
        "held by the merchant's default: {read}"
    );
}

#[tokio::test]
async fn more_steps_due_at_once_than_one_round_takes_all_run_and_report_once() {
    // The worker takes at most 32 due steps a round; 40 applications due at
    // the same moment need two rounds, and their card steps a third.
    const APPLICATIONS: usize = 40;
    let world = FapiaoWorld::start().await;
    set_outcome(
        &world,
        DIRECT,
        None,
        &json!({"mode": "after_seconds", "seconds": 60}),
    )
    .await;
    let mut orders = Vec::new();
    for _ in 0..APPLICATIONS {
        let tx = direct_order(&world).await;
        issue_one(&world, &tx, 100).await;
        orders.push(tx);
    }
    assert_eq!(
        settled_status(&world, &orders[0]).await["status"],
        "ISSUE_ACCEPTED"
    );

    world.app.advance_clock(61).await;
    for tx in &orders {
        direct_inserted(&world, tx).await;
    }
    for event in ["FAPIAO.ISSUED", "FAPIAO.CARD_INSERTED"] {
        let got = callbacks(&world, &world.direct, "/direct", event, APPLICATIONS).await;
        let mut reported: Vec<&str> = got
            .iter()
            .map(|c| c["fapiao_apply_id"].as_str().unwrap())
            .collect();
        reported.sort_unstable();
        let mut expected: Vec<&str> = orders.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(reported, expected, "one {event} for each application");
    }
}
