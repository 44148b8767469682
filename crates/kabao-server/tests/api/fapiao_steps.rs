//! Steps the fapiao tests share: a card template, a paid order, F15, an
//! encrypted field, the control API's merchant settings and outcomes, and
//! the check of an APIv3 error answer.

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::{platform_public_keys, TestMerchant};
use serde_json::{json, Value};

/// The card package app of the test templates and orders.
pub const CARD_APPID: &str = "wxb1170446a4c0a5a2";
/// The issuing endpoint.
pub const ISSUE_PATH: &str = "/v3/new-tax-control-fapiao/fapiao-applications";

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

/// A paid order of `owner` by `openid` over `amount` fen (control API);
/// its transaction_id.
pub async fn paid_order(world: &FapiaoWorld, owner: &str, openid: &str, amount: i64) -> String {
    let (status, order) = world
        .app
        .admin_post(
            "/fapiao/pay-orders",
            &json!({"mchid": owner, "appid": CARD_APPID, "openid": openid, "amount": amount}),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    order["transaction_id"].as_str().unwrap().to_owned()
}

/// F15 for `apply_id` as `merchant` (for its `sub`) sees it.
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

/// POSTs a reverse (F16) `body` for `apply_id` as `merchant`.
pub async fn post_reverse(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    apply_id: &str,
    body: &Value,
) -> (u16, Value) {
    let path = format!("{ISSUE_PATH}/{apply_id}/reverse");
    world.call(merchant, "POST", &path, Some(body)).await
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

/// Changes `mchid`'s fapiao settings on the control API (`PUT`).
pub async fn merchant_settings(world: &FapiaoWorld, mchid: &str, body: &Value) -> (u16, Value) {
    world
        .app
        .admin_put(&format!("/fapiao/merchants/{mchid}"), body)
        .await
}

/// The control API's path of `owner`'s application `apply_id`.
pub fn application_path(owner: &str, apply_id: &str) -> String {
    format!("/fapiao/applications/{owner}/{apply_id}")
}

/// Reads `owner`'s application `apply_id` on the control API.
pub async fn application(world: &FapiaoWorld, owner: &str, apply_id: &str) -> (u16, Value) {
    world
        .app
        .admin_get(&application_path(owner, apply_id))
        .await
}

/// Sets `outcome` for `owner`'s application `apply_id`, or (None) as the
/// owner's default; asserts 200 and returns the answer.
pub async fn set_outcome(
    world: &FapiaoWorld,
    owner: &str,
    apply_id: Option<&str>,
    outcome: &Value,
) -> Value {
    let path = match apply_id {
        Some(apply_id) => format!("{}/outcome", application_path(owner, apply_id)),
        None => format!("/fapiao/outcomes/{owner}"),
    };
    let (status, body) = world.app.admin_post(&path, outcome).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Releases the held steps of `owner`'s application `apply_id`; asserts
/// that exactly one was released.
pub async fn release_one(world: &FapiaoWorld, owner: &str, apply_id: &str) {
    let (status, released) = world
        .app
        .admin_post(
            &format!("{}/release", application_path(owner, apply_id)),
            &json!({}),
        )
        .await;
    assert_eq!(
        (status, released["released_steps"].as_i64()),
        (200, Some(1))
    );
}

/// The cards of `openid` on the control API.
pub async fn cards(world: &FapiaoWorld, openid: &str) -> (u16, Value) {
    world
        .app
        .admin_get(&format!("/fapiao/cards?openid={openid}"))
        .await
}

/// Asserts an APIv3 error answer: status, code, and the field it names in
/// `detail.field` (when given) and in `message`.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, field: Option<&str>) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    if let Some(field) = field {
        assert_eq!(body["detail"]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(field), "{body}");
    }
}
