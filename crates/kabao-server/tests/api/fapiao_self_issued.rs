//! Self-issued fapiao (upload-fapiao-file F19, insert-cards F20), end to
//! end: uploads signed over their `meta` part as each SDK sends them, and
//! insertions that end with the card INSERTED and FAPIAO.CARD_INSERTED.

mod insert;
mod insert_rules;
mod upload;

use crate::fapiao_steps::{card_template, encrypt, query};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::{nonce, platform_public_keys, TestMerchant};
use serde_json::{json, Value};
use sm3::{Digest, Sm3};

/// The upload endpoint.
pub const UPLOAD_PATH: &str = "/v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file";

/// The SM3 digest of `bytes`, lower-case hex, as the SDKs compute it.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// A small PDF (kabao's own renderer would do; any `%PDF-` file is fine).
pub fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% self-issued fapiao {tag}\n%%EOF\n").into_bytes()
}

/// The `meta` of an upload of `file`, with the right digest.
pub fn meta_for(file: &[u8], sub_mchid: Option<&str>) -> Value {
    let mut meta = json!({"file_type": "PDF", "digest_alogrithm": "SM3", "digest": sm3_hex(file)});
    if let Some(sub) = sub_mchid {
        meta["sub_mchid"] = json!(sub);
    }
    meta
}

/// Sends an upload the way wechatpay-go does (boundary in the Content-Type,
/// `application/json` meta part), signed over `signed_meta`, and returns
/// the status and body after verifying the answer's signature.
pub async fn upload_signed(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    meta: &str,
    signed_meta: &str,
    file: &[u8],
) -> (u16, Value) {
    let boundary = format!("kabaoBoundary{}", nonce());
    let body = multipart_body(&boundary, meta, Some("application/json"), file);
    send_upload(
        world,
        merchant,
        signed_meta,
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
    .await
}

/// Uploads `file` with a correct meta; returns status and body.
pub async fn upload(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    file: &[u8],
    sub_mchid: Option<&str>,
) -> (u16, Value) {
    let meta = meta_for(file, sub_mchid).to_string();
    upload_signed(world, merchant, &meta, &meta, file).await
}

/// Uploads `file` and returns its `fapiao_media_id`.
pub async fn media_id(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    file: &[u8],
    sub: Option<&str>,
) -> String {
    let (status, body) = upload(world, merchant, file, sub).await;
    assert_eq!(status, 200, "{body}");
    body["fapiao_media_id"].as_str().unwrap().to_owned()
}

/// A multipart body with a `meta` part and a `file` part.
pub fn multipart_body(boundary: &str, meta: &str, meta_type: Option<&str>, file: &[u8]) -> Vec<u8> {
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"meta\";\r\n").into_bytes();
    if let Some(t) = meta_type {
        body.extend_from_slice(format!("Content-Type: {t}\r\n").as_bytes());
    }
    body.extend_from_slice(format!("\r\n{meta}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fapiao.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// Posts a prepared multipart body signed over `signed_meta`.
pub async fn send_upload(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    signed_meta: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let request = world
        .app
        .signed_request(
            merchant,
            "POST",
            UPLOAD_PATH,
            signed_meta.as_bytes(),
            kabao_now(world).await,
        )
        .header("Content-Type", content_type)
        .header("Accept", "application/json")
        .body(body);
    world.send(request).await
}

/// Asserts a PARAM_ERROR (or another code) naming `field`.
pub fn assert_error(status: u16, body: &Value, want_status: u16, code: &str, field: &str) {
    crate::fapiao_steps::assert_error(&(status, body.clone()), want_status, code, Some(field));
}

/// The insert-cards path of `fapiao_apply_id`.
pub fn insert_path(fapiao_apply_id: &str) -> String {
    format!("/v3/new-tax-control-fapiao/fapiao-applications/{fapiao_apply_id}/insert-cards")
}

/// One self-issued fapiao on `media_id`: one 13 % line of 4299.00 yuan
/// (amount 380442 + tax 49458 = 429900 fen), numbered after `n`.
pub fn card(media_id: &str, n: u32) -> Value {
    json!({
        "fapiao_media_id": media_id,
        "fapiao_number": format!("{:08}", 12897794 + n),
        "fapiao_code": "044001911211",
        "fapiao_time": "2020-07-01T12:00:00+08:00",
        "check_code": "69001808340631374774",
        "password": "006>299-375/326>2+7/*0-+<3510",
        "total_amount": 429900,
        "tax_amount": 49458,
        "amount": 380442,
        "seller_information": {"name": "深圳市南山区测试公司", "taxpayer_id": "202003261233701778",
            "address": "深圳市南山区深南大道10000号"},
        "extra_information": {"drawer": "王五"},
        "items": [{
            "tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务",
            "quantity": 100000000, "unit_price": 380442000000i64,
            "amount": 380442, "tax_amount": 49458, "total_amount": 429900,
            "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE", "discount": false
        }],
        "remark": "备注"
    })
}

/// An insert-cards body for `media_ids`, buyer phone encrypted for kabao.
pub async fn insert_body(
    world: &FapiaoWorld,
    scene: &str,
    media_ids: &[String],
    sub: Option<&str>,
) -> Value {
    let cards: Vec<Value> = media_ids
        .iter()
        .enumerate()
        .map(|(i, m)| card(m, i as u32))
        .collect();
    let mut body = json!({
        "scene": scene,
        "buyer_information": {"type": "INDIVIDUAL", "name": "张三",
            "phone": encrypt(world, "13800138000").await.0},
        "fapiao_card_information": cards,
    });
    if let Some(sub) = sub {
        body["sub_mchid"] = json!(sub);
    }
    body
}

/// The serial of kabao's platform certificate, for `Wechatpay-Serial`.
pub async fn platform_serial(world: &FapiaoWorld) -> String {
    let keys = platform_public_keys(&world.app).await;
    keys.iter()
        .find_map(|(serial, _, _)| serial.clone())
        .unwrap()
}

/// A signed POST carrying `Wechatpay-Serial` (as SDKs do after encrypting
/// a field) at kabao's time; returns status and body after verifying the
/// answer.
pub async fn post_with_serial(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let serial = platform_serial(world).await;
    let timestamp = kabao_now(world).await;
    world
        .call_with_serial(merchant, "POST", path, Some(body), &serial, timestamp)
        .await
}

/// The payer of the test orders.
pub const OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

/// A paid order of `owner` by [`OPENID`] (control API); its transaction_id.
pub async fn paid_order(world: &FapiaoWorld, owner: &str) -> String {
    crate::fapiao_steps::paid_order(world, owner, OPENID, 859800).await
}

/// A direct merchant with a card template and a paid order.
pub async fn ready() -> (FapiaoWorld, String) {
    let world = FapiaoWorld::start().await;
    card_template(&world, &world.direct, None).await;
    let order = paid_order(&world, DIRECT).await;
    (world, order)
}

/// Decrypts the `resource` of a recorded callback with `apiv3_key`.
pub fn callback_plaintext(request: &crate::receiver::Recorded, apiv3_key: &str) -> (String, Value) {
    let notification = kabao_protocol::notification::Notification::parse(&request.body).unwrap();
    let plain = notification.resource.open(apiv3_key.as_bytes()).unwrap();
    (
        notification.event_type.clone(),
        serde_json::from_slice(&plain).unwrap(),
    )
}

/// kabao's clock (which tests may have moved), to sign requests with.
pub async fn kabao_now(world: &FapiaoWorld) -> i64 {
    let (status, clock) = world.app.admin_get("/clock").await;
    assert_eq!(status, 200, "{clock}");
    clock["now"].as_i64().unwrap()
}
