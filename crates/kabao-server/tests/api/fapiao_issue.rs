//! Issuing (fapiao-applications F10, the 数电 issue-* variants F11–F14) and
//! query (F15), end to end: the whole asynchronous flow with its callbacks,
//! and every rule with the code and field WeChat documents.

mod digital;
mod flow;
mod rules;

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::{nonce, now, platform_public_keys, verify_response, TestMerchant};
use crate::receiver::Recorded;
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::notification::Notification;
use serde_json::{json, Value};
use std::time::Duration;

/// The issuing endpoint.
pub const ISSUE_PATH: &str = "/v3/new-tax-control-fapiao/fapiao-applications";
/// The card package app of the test template.
pub const CARD_APPID: &str = "wxb1170446a4c0a5a2";
/// The payer of the test orders.
pub const PAYER: &str = "oIssuePayer00000000000000001";
/// The 13 % tax code of the official example.
pub const TAXI: &str = "3010101020203000000";

/// Gives `merchant` (or its `sub`) a card template (F7).
pub async fn card_template(world: &FapiaoWorld, merchant: &TestMerchant, sub: Option<&str>) {
    let mut body = json!({"card_appid": CARD_APPID,
        "card_template_information": {"payee_name": "测试商户", "logo_url": "http://mmbiz.qpic.cn/mmbiz/logo/0"}});
    if let Some(sub) = sub {
        body["sub_mchid"] = json!(sub);
    }
    let (status, answer) = world
        .call(
            merchant,
            "POST",
            "/v3/new-tax-control-fapiao/card-template",
            Some(&body),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

/// A paid order of `owner` by [`PAYER`] (control API); its transaction_id.
pub async fn paid_order(world: &FapiaoWorld, owner: &str) -> String {
    let (status, order) = world
        .app
        .admin_post(
            "/fapiao/pay-orders",
            &json!({"mchid": owner, "appid": CARD_APPID, "openid": PAYER, "amount": 429900}),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    order["transaction_id"].as_str().unwrap().to_owned()
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

/// Encrypts a sensitive field for kabao's platform key; returns the
/// ciphertext and the `Wechatpay-Serial` to send.
pub async fn encrypt(world: &FapiaoWorld, plaintext: &str) -> (String, String) {
    let keys = platform_public_keys(&world.app).await;
    let (serial, key_id, key) = &keys[0];
    let name = serial.clone().or(key_id.clone()).unwrap();
    (
        key.encrypt_oaep_sha1_b64(plaintext.as_bytes()).unwrap(),
        name,
    )
}

/// A signed call carrying `Wechatpay-Serial` (for encrypted fields).
pub async fn call_with_serial(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    body: &Value,
    serial: &str,
) -> (u16, Value) {
    let text = body.to_string();
    let auth = AuthorizationHeader::sign(
        &merchant.key,
        &merchant.mchid,
        &merchant.serial,
        "POST",
        path,
        now(),
        &nonce(),
        text.as_bytes(),
    );
    let response = world
        .app
        .http
        .post(world.app.url(path))
        .header("Authorization", auth.to_header_value())
        .header("Content-Type", "application/json")
        .header("Wechatpay-Serial", serial)
        .body(text)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    verify_response(&headers, &bytes, &platform_public_keys(&world.app).await);
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// POSTs an F10 body.
pub async fn issue(world: &FapiaoWorld, merchant: &TestMerchant, body: &Value) -> (u16, Value) {
    world.call(merchant, "POST", ISSUE_PATH, Some(body)).await
}

/// F15 as `merchant` sees it.
pub async fn query(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    apply_id: &str,
    sub: Option<&str>,
) -> (u16, Value) {
    let query = sub.map(|s| format!("?sub_mchid={s}")).unwrap_or_default();
    world
        .call(
            merchant,
            "GET",
            &format!("{ISSUE_PATH}/{apply_id}{query}"),
            None,
        )
        .await
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

/// Asserts an APIv3 error: status, code, and the field named in
/// `detail.field` and in `message`.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, field: Option<&str>) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    if let Some(field) = field {
        assert_eq!(body["detail"]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(field), "{body}");
    }
}
