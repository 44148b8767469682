//! Several kabao on one database deliver each APIv3 callback once: a claim
//! leases a callback to one of them, another takes it only when that lease
//! ends (its claimer died), and a kabao that starts while another is
//! sending does not take over what the other is sending.

use crate::fapiao_callbacks::{black_hole, individual, start_scaled, wait_for_callback};
use crate::fapiao_titles::fill_title;
use crate::fapiao_world::DIRECT;
use crate::helpers::{database_url, postgres, KabaoProcess, ADMIN_TOKEN};
use crate::receiver::Receiver;
use kabao_server::worker::CALLBACK_LEASE_MS;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_callback_claimed_by_one_kabao_is_claimed_by_another_only_when_the_lease_ends() {
    let receiver = Receiver::start().await;
    receiver.reply_next(&[500]);
    let world = start_scaled(tempfile::tempdir().unwrap(), 1.0, receiver).await;
    fill_title(&world, &world.direct, "CB-LEASE", "", &individual("冯十三")).await;
    // The failed attempt is listed and the callback row rescheduled (the
    // list reads the two apart, so wait for both).
    let pending = wait_for_callback(&world.app, DIRECT, |c| {
        c["attempts"].as_array().is_some_and(|a| a.len() == 1) && c["last_error"].is_string()
    })
    .await;
    let due = pending["next_attempt_at_ms"].as_i64().unwrap();
    let dir = world.app.stop().await;

    // Two kabao on one database, as their workers would call the store.
    let url = database_url(dir.path());
    let one = kabao_server::store::open(&url).await.unwrap();
    let other = kabao_server::store::open(&url).await.unwrap();
    let lease = CALLBACK_LEASE_MS;
    let (a, b) = tokio::join!(
        one.claim_due_callbacks(due, due + lease, 10),
        other.claim_due_callbacks(due, due + lease, 10)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 1, "claimed once: {a:?} {b:?}");
    let claimed = a.into_iter().chain(b).next().unwrap();
    assert_eq!(claimed.id, pending["id"].as_i64().unwrap());
    assert_eq!(claimed.attempts, 1);

    // The claimer dies without recording its attempt.
    drop(one);
    let before = other
        .claim_due_callbacks(due + lease - 1, due + 2 * lease, 10)
        .await
        .unwrap();
    assert!(before.is_empty(), "still leased: {before:?}");
    let after = other
        .claim_due_callbacks(due + lease, due + 2 * lease, 10)
        .await
        .unwrap();
    assert_eq!(after.len(), 1, "claimable once the lease ends");
    assert_eq!(after[0].id, claimed.id);
    assert_eq!(after[0].event.event_id, claimed.event.event_id);
    drop(other);
    crate::test_db::drop_database(dir.path());
}

#[tokio::test]
async fn a_kabao_starting_beside_another_leaves_the_callback_it_is_sending_alone() {
    if !postgres() {
        // Several processes on one database is the PostgreSQL setup.
        return;
    }
    let world = start_scaled(tempfile::tempdir().unwrap(), 1.0, Receiver::start().await).await;
    let (never, mut arrivals) = black_hole().await;
    let stuck = world
        .app
        .merchant(
            "1900000314",
            json!({"kind": "direct", "callback_url": never}),
        )
        .await;
    fill_title(&world, &stuck, "CB-ALIVE", "", &individual("卫十四")).await;
    tokio::time::timeout(Duration::from_secs(10), arrivals.recv())
        .await
        .expect("the first kabao's attempt is under way");

    let args = ["--admin-token", ADMIN_TOKEN];
    let second = KabaoProcess::start(world.app.dir.path(), &args, &[]).await;
    let again = tokio::time::timeout(Duration::from_secs(2), arrivals.recv()).await;
    assert!(
        again.is_err(),
        "the second kabao sent the callback the first is still sending"
    );
    drop(second);
}
