//! User titles (抬头) of the fapiao family: title-url, the title page a
//! person fills in, the control API's title step, FAPIAO.USER_APPLIED and
//! user-title with phone and email encrypted for the merchant.

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::{platform_public_keys, verify_response, TestMerchant};
use crate::receiver::Recorded;
use kabao_protocol::notification::Notification;
use serde_json::{json, Value};

mod flow;
mod rules;

/// The Official Account the titles' users belong to.
pub const TITLE_APPID: &str = "wxf1a0c0de00000301";
/// A user of [`TITLE_APPID`].
pub const TITLE_OPENID: &str = "oTitleUser000000000000000001";

/// Provisions [`TITLE_APPID`] and its user [`TITLE_OPENID`].
pub async fn provision_title_user(world: &FapiaoWorld) {
    world.app.app(TITLE_APPID, "merchant").await;
    let (status, body) = world
        .app
        .admin_post(
            "/users",
            &json!({"appid": TITLE_APPID, "openid": TITLE_OPENID}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

/// Calls title-url for `fapiao_apply_id` with the standard query plus `extra`.
pub async fn title_url(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    fapiao_apply_id: &str,
    extra: &str,
) -> (u16, Value) {
    let path = format!(
        "/v3/new-tax-control-fapiao/user-title/title-url?fapiao_apply_id={fapiao_apply_id}&source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=382895{extra}"
    );
    world.call(merchant, "GET", &path, None).await
}

/// The link key at the end of a `title_url`.
pub fn link_key(title_url: &Value) -> String {
    title_url["title_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// Gets a link for `fapiao_apply_id` and fills it through the control API;
/// returns the link key.
pub async fn fill_title(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    fapiao_apply_id: &str,
    extra: &str,
    title: &Value,
) -> String {
    let (status, answer) = title_url(world, merchant, fapiao_apply_id, extra).await;
    assert_eq!(status, 200, "{answer}");
    let key = link_key(&answer);
    let (status, body) = world
        .app
        .admin_post(&format!("/fapiao/titles/{key}"), title)
        .await;
    assert_eq!(status, 200, "{body}");
    key
}

/// Checks a callback's signature with the platform key, parses it with
/// kabao-protocol's notification parsing and decrypts it with `merchant`'s
/// APIv3 key; returns the envelope and the decrypted resource.
pub async fn open_callback(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    recorded: &Recorded,
) -> (Notification, Value) {
    let keys = platform_public_keys(&world.app).await;
    verify_response(&recorded.headers, &recorded.body, &keys);
    for header in ["Request-ID", "Wechatpay-Timestamp", "Wechatpay-Nonce"] {
        assert!(recorded.header(header).is_some(), "missing {header}");
    }
    assert!(recorded
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let notification = Notification::parse(&recorded.body).expect("a callback envelope");
    assert_eq!(notification.resource_type, "encrypt-resource");
    assert_eq!(notification.resource.algorithm, "AEAD_AES_256_GCM");
    assert_eq!(notification.resource.associated_data, "");
    assert_eq!(notification.resource.original_type, None);
    let plain = notification
        .resource
        .open(merchant.apiv3_key.as_bytes())
        .expect("decrypts with the merchant's APIv3 key");
    let resource = serde_json::from_slice(&plain).unwrap();
    (notification, resource)
}

/// A complete organization title asking for a 专票.
pub fn organization() -> Value {
    json!({"type": "ORGANIZATION", "name": "深圳市南山区测试企业", "taxpayer_id": "202003261233701778",
           "address": "深圳市南山区深南大道10000号", "telephone": "075512345678",
           "bank_name": "测试银行", "bank_account": "62001234567890",
           "phone": "13800138000", "email": "buyer@example.com",
           "fapiao_bill_type": "VAT_FAPIAO", "user_apply_message": "请尽快开具"})
}

/// Calls user-title with `query`.
pub async fn user_title(world: &FapiaoWorld, merchant: &TestMerchant, query: &str) -> (u16, Value) {
    world
        .call(
            merchant,
            "GET",
            &format!("/v3/new-tax-control-fapiao/user-title?{query}"),
            None,
        )
        .await
}

/// Decrypts a sensitive answer field with the merchant's private key.
pub fn decrypt(merchant: &TestMerchant, value: &Value) -> String {
    String::from_utf8(
        merchant
            .key
            .decrypt_oaep_sha1_b64(value.as_str().expect("an encrypted field"))
            .expect("decrypts with the merchant's private key"),
    )
    .unwrap()
}

/// title-url flags: phone shown and required, email shown and optional.
pub const BOTH_CELLS: &str =
    "&show_phone_cell=true&must_input_phone=true&show_email_cell=true&must_input_email=false";
