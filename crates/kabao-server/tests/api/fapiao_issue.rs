//! Issuing (fapiao-applications F10, the 数电 issue-* variants F11–F14) and
//! query (F15), end to end: the whole asynchronous flow with its callbacks,
//! and every rule with the code and field WeChat documents.

mod digital;
mod flow;
mod rules;

pub use crate::fapiao_steps::{
    assert_error, card_template, encrypt, query, CARD_APPID, ISSUE_PATH,
};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::{now, platform_public_keys, verify_response, TestMerchant};
use crate::receiver::Recorded;
use kabao_protocol::notification::Notification;
use serde_json::{json, Value};
use std::time::Duration;

/// The payer of the test orders.
pub const PAYER: &str = "oIssuePayer00000000000000001";
/// The 13 % tax code of the official example.
pub const TAXI: &str = "3010101020203000000";

/// A paid order of `owner` by [`PAYER`] (control API); its transaction_id.
pub async fn paid_order(world: &FapiaoWorld, owner: &str) -> String {
    crate::fapiao_steps::paid_order(world, owner, PAYER, 429900).await
}

/// Gives the direct merchant a card template; a paid order of its.
pub async fn direct_order(world: &FapiaoWorld) -> String {
    card_template(world, &world.direct, None).await;
    paid_order(world, DIRECT).await
}

/// Issues one fapiao "F" of `total` for `tx` as the direct merchant
/// (classic, WITH_WECHATPAY); asserts 202.
pub async fn issue_one(world: &FapiaoWorld, tx: &str, total: i64) {
    let (status, answer) = issue(
        world,
        &world.direct,
        &classic("WITH_WECHATPAY", tx, vec![fapiao("F", vec![line(total)])]),
    )
    .await;
    assert_eq!(status, 202, "{answer}");
}

/// One line of 13 % tax, tax included.
pub fn line(total: i64) -> Value {
    json!({"tax_code": TAXI, "goods_name": "出租汽车客运服务", "quantity": 100000000,
           "total_amount": total, "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE", "discount": false})
}

/// A fapiao with `lines`, its total their sum.
pub fn fapiao(id: &str, lines: Vec<Value>) -> Value {
    let total: i64 = lines
        .iter()
        .map(|l| l["total_amount"].as_i64().unwrap())
        .sum();
    json!({"fapiao_id": id, "total_amount": total, "need_list": false, "remark": "备注", "items": lines})
}

/// An F10 body for `scene` with an individual buyer and `fapiaos`.
pub fn classic(scene: &str, apply_id: &str, fapiaos: Vec<Value>) -> Value {
    json!({"scene": scene, "fapiao_apply_id": apply_id,
           "buyer_information": {"type": "INDIVIDUAL", "name": "张三"},
           "fapiao_information": fapiaos})
}

/// POSTs `body` to `path` with `Wechatpay-Serial` (for encrypted fields).
pub async fn call_with_serial(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    body: &Value,
    serial: &str,
) -> (u16, Value) {
    world
        .call_with_serial(merchant, "POST", path, Some(body), serial, now())
        .await
}

/// POSTs an F10 body.
pub async fn issue(world: &FapiaoWorld, merchant: &TestMerchant, body: &Value) -> (u16, Value) {
    world.call(merchant, "POST", ISSUE_PATH, Some(body)).await
}

/// Polls F15 until every fapiao has `status` and `card_status` (None: no
/// card information); returns the last answer.
pub async fn wait_until(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    apply_id: &str,
    sub: Option<&str>,
    status: &str,
    card_status: Option<&str>,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (code, body) = query(world, merchant, apply_id, sub).await;
        assert_eq!(code, 200, "{body}");
        let done = body["fapiao_information"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| {
                f["status"] == status
                    && f["card_information"]["card_status"].as_str() == card_status
            });
        if done {
            return body;
        }
        last = body;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{apply_id} never reached {status}/{card_status:?}: {last}");
}

/// Waits until every fapiao of the direct merchant's `tx` is ISSUED with
/// its card INSERTED; returns the last F15 answer.
pub async fn direct_inserted(world: &FapiaoWorld, tx: &str) -> Value {
    wait_until(world, &world.direct, tx, None, "ISSUED", Some("INSERTED")).await
}

/// The decrypted callbacks of `event_type` the receiver got at `path`
/// (after checking each one's signature and envelope).
pub async fn callbacks(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    event_type: &str,
    expected: usize,
) -> Vec<Value> {
    for _ in 0..100 {
        let got = opened(world, merchant, path, event_type).await;
        if got.len() >= expected {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {expected} {event_type} callbacks arrived at {path}");
}

async fn opened(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    event_type: &str,
) -> Vec<Value> {
    let keys = platform_public_keys(&world.app).await;
    let recorded: Vec<Recorded> = world.receiver.requests();
    recorded
        .iter()
        .filter(|r| r.path() == path)
        .filter_map(|r| {
            verify_response(&r.headers, &r.body, &keys);
            let notification = Notification::parse(&r.body).expect("a callback envelope");
            (notification.event_type == event_type).then(|| {
                let plain = notification
                    .resource
                    .open(merchant.apiv3_key.as_bytes())
                    .unwrap();
                serde_json::from_slice(&plain).unwrap()
            })
        })
        .collect()
}
