//! The kill test of issue 9: real `kabao` processes take fapiao
//! applications from concurrent clients while they are SIGKILLed again and
//! again (on PostgreSQL two processes share the database and are killed in
//! turn; on SQLite the one process is restarted in place). Afterwards every
//! application that was answered 202 is stored exactly once and issued into
//! exactly one card, and every callback that came due reached the
//! merchant, duplicates only under their first event id.

use crate::fapiao_crash::{open, provision, Kabao};
use crate::fapiao_issue::{classic, fapiao, line, ISSUE_PATH};
use crate::fapiao_world::DIRECT;
use crate::helpers::{nonce, now, TestMerchant};
use crate::receiver::{Receiver, Reply};
use crate::test_db::postgres;
use kabao_protocol::auth::AuthorizationHeader;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Applications prepared (each on its own paid order); the load stops
/// after the last kill, long before they are used up.
const ORDERS: usize = 1000;
/// Clients sending at once.
const CLIENTS: usize = 8;
/// SIGKILLs during the load.
const KILLS: usize = 4;

/// The processes' addresses, replaced when one is restarted.
type Addresses = Arc<Mutex<Vec<String>>>;

/// How one application ended for its client.
enum Outcome {
    /// Answered 202.
    Accepted,
    /// Answered otherwise, or the answer was lost after it was sent.
    Unknown,
    /// Never reached a kabao (it was down): try again.
    Unreached,
}

/// Sends one application for `order` to `base`.
async fn apply(http: &reqwest::Client, base: &str, m: &TestMerchant, order: &str) -> Outcome {
    let body = classic(
        "WITH_WECHATPAY",
        order,
        vec![fapiao("F", vec![line(11_300)])],
    )
    .to_string();
    let (t, n) = (now(), nonce());
    let auth = AuthorizationHeader::sign(
        &m.key,
        &m.mchid,
        &m.serial,
        "POST",
        ISSUE_PATH,
        t,
        &n,
        body.as_bytes(),
    );
    let sent = http
        .post(format!("{base}{ISSUE_PATH}"))
        .header("Authorization", auth.to_header_value())
        .header("Content-Type", "application/json")
        .timeout(Duration::from_secs(5))
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().as_u16() == 202 => Outcome::Accepted,
        Err(e) if e.is_connect() => Outcome::Unreached,
        _ => Outcome::Unknown,
    }
}

/// What the clients share.
#[derive(Clone)]
struct Load {
    queue: Arc<Mutex<Vec<String>>>,
    answered: Arc<Mutex<BTreeSet<String>>>,
    addresses: Addresses,
    merchant: Arc<TestMerchant>,
    done: Arc<AtomicBool>,
}

/// One client: takes orders until told to stop, each sent to the next
/// process in turn (again, after a pause, while none is up).
async fn client(load: Load, mut turn: usize) {
    let http = reqwest::Client::new();
    while !load.done.load(Ordering::Acquire) {
        let Some(order) = load.queue.lock().unwrap().pop() else {
            break;
        };
        loop {
            let base = {
                let addresses = load.addresses.lock().unwrap();
                addresses[turn % addresses.len()].clone()
            };
            turn += 1;
            match apply(&http, &base, &load.merchant, &order).await {
                Outcome::Accepted => {
                    load.answered.lock().unwrap().insert(order);
                    break;
                }
                Outcome::Unknown => break,
                Outcome::Unreached => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn kill_load_answered_applications_survive_repeated_sigkills_exactly_once() {
    let receiver = Receiver::start().await;
    receiver.reply_by_default(Reply::new(200, ""));
    let dirs: Vec<tempfile::TempDir> = (0..if postgres() { 2 } else { 1 })
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let first = Kabao::start(dirs[0].path()).await;
    let [direct, provider] = provision(&first, &receiver).await;
    let mut orders = Vec::with_capacity(ORDERS);
    for _ in 0..ORDERS {
        orders.push(first.paid_order().await);
    }
    let mut processes = vec![first];
    for dir in &dirs[1..] {
        // The second process's folder names the same PostgreSQL database.
        std::fs::copy(
            dirs[0].path().join("postgres-url"),
            dir.path().join("postgres-url"),
        )
        .unwrap();
        processes.push(Kabao::start(dir.path()).await);
    }
    let addresses: Addresses = Arc::new(Mutex::new(
        processes.iter().map(|p| p.base_url().to_owned()).collect(),
    ));

    let load = Load {
        queue: Arc::new(Mutex::new(orders.clone())),
        answered: Arc::new(Mutex::new(BTreeSet::new())),
        addresses: addresses.clone(),
        merchant: Arc::new(direct),
        done: Arc::new(AtomicBool::new(false)),
    };
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| tokio::spawn(client(load.clone(), c)))
        .collect();

    // Kill one process after another while the clients send.
    let mut kills = 0;
    let mut left_at_last_kill = 0;
    while kills < KILLS {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let victim = kills % processes.len();
        let dir: PathBuf = dirs[victim].path().to_owned();
        left_at_last_kill = load.queue.lock().unwrap().len();
        processes.remove(victim).kill().await;
        kills += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let restarted = Kabao::start(&dir).await;
        addresses.lock().unwrap()[victim] = restarted.base_url().to_owned();
        processes.insert(victim, restarted);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    load.done.store(true, Ordering::Release);
    for client in clients {
        client.await.unwrap();
    }
    assert!(left_at_last_kill > 0, "the load outlasted every kill");
    let answered = load.answered.lock().unwrap().clone();
    assert!(
        answered.len() >= 50,
        "the load went on: {} answered",
        answered.len()
    );

    // One process finishes the work: leases of killed processes end once
    // kabao's clock passes them.
    while processes.len() > 1 {
        processes.pop().unwrap().kill().await;
    }
    let kabao = processes.pop().unwrap();
    kabao
        .post("/clock", json!({"advance_seconds": 120}), 200)
        .await;
    let mut stored = BTreeMap::new();
    for order in &orders {
        let path = format!("/fapiao/applications/{DIRECT}/{order}");
        let (status, body) = kabao.get_status(&path).await;
        if answered.contains(order) {
            assert_eq!(status, 200, "answered 202 but not stored: {order}");
        }
        if status == 200 {
            stored.insert(order.clone(), body);
        }
    }
    for order in stored.keys() {
        let app = kabao.reaches(DIRECT, order, "ISSUED", "INSERTED").await;
        assert!(app["card_information"]["card_code"].is_string(), "{app}");
    }
    for (order, app) in &stored {
        let fapiaos = app["fapiao_information"].as_array().unwrap();
        assert_eq!(fapiaos.len(), 1, "{order} holds one fapiao: {app}");
    }
    kabao
        .until("/callbacks?status=pending", |l| l == &json!([]))
        .await;
    eprintln!(
        "{kills} SIGKILLs: {} applications answered 202, {} stored",
        answered.len(),
        stored.len()
    );

    let keys = kabao.platform_keys().await;
    let direct = Arc::try_unwrap(load.merchant).unwrap_or_else(|_| panic!("the clients are done"));
    let merchants = [direct, provider];
    let mut ids: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for request in receiver.requests() {
        let (id, event) = open(&request, &keys, &merchants);
        ids.entry(event).or_default().insert(id);
    }
    for order in stored.keys() {
        for event in ["FAPIAO.ISSUED", "FAPIAO.CARD_INSERTED"] {
            let sent = ids.get(&(event.to_owned(), order.clone()));
            let sent = sent.unwrap_or_else(|| panic!("{event} of {order} never arrived"));
            assert_eq!(
                sent.len(),
                1,
                "{event} of {order} arrived under one event id: {sent:?}"
            );
        }
    }
    let unexpected: Vec<_> = ids
        .keys()
        .filter(|(_, order)| !stored.contains_key(order))
        .collect();
    assert!(
        unexpected.is_empty(),
        "callbacks of applications never stored: {unexpected:?}"
    );
    kabao.kill().await;
}
