//! Two kabao servers on one store behave as one service: each step of the
//! fapiao state machine is run by exactly one of them, so every fapiao is
//! issued and inserted once and each callback arrives once.

use crate::fapiao_issue::{callbacks, direct_inserted, direct_order, issue_one, paid_order};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::{config, spawn_with};
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test]
async fn two_servers_on_one_store_run_each_step_once() {
    let world = FapiaoWorld::start().await;
    // A second server on the same database, with its own worker.
    let second = spawn_with(tempfile::tempdir().unwrap(), config(world.app.dir.path())).await;
    let mut applications = vec![direct_order(&world).await];
    for _ in 1..8 {
        applications.push(paid_order(&world, DIRECT).await);
    }
    for tx in &applications {
        issue_one(&world, tx, 100).await;
    }
    for tx in &applications {
        direct_inserted(&world, tx).await;
    }
    let direct = &world.direct;
    let issued = callbacks(&world, direct, "/direct", "FAPIAO.ISSUED", 8).await;
    let inserted = callbacks(&world, direct, "/direct", "FAPIAO.CARD_INSERTED", 8).await;
    // Anything run twice would send its callback again by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let issued_again = callbacks(&world, direct, "/direct", "FAPIAO.ISSUED", 8).await;
    let inserted_again = callbacks(&world, direct, "/direct", "FAPIAO.CARD_INSERTED", 8).await;
    assert_eq!((issued_again.len(), inserted_again.len()), (8, 8));
    for events in [issued, inserted] {
        let mut per_application = BTreeMap::new();
        for event in events {
            let id = event["fapiao_apply_id"].as_str().unwrap().to_owned();
            *per_application.entry(id).or_insert(0) += 1;
        }
        let once: BTreeMap<String, i32> = applications.iter().map(|a| (a.clone(), 1)).collect();
        assert_eq!(per_application, once);
    }
    second.stop().await;
}
