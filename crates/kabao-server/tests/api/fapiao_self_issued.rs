//! Self-issued fapiao (upload-fapiao-file F19, insert-cards F20), end to
//! end: uploads signed over their `meta` part as each SDK sends them, and
//! insertions that end with the card INSERTED and FAPIAO.CARD_INSERTED.

mod insert;
mod insert_rules;
mod upload;

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::{nonce, platform_public_keys, verify_response, TestMerchant};
use kabao_protocol::auth::AuthorizationHeader;
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
    let auth = AuthorizationHeader::sign(
        &merchant.key,
        &merchant.mchid,
        &merchant.serial,
        "POST",
        UPLOAD_PATH,
        kabao_now(world).await,
        &nonce(),
        signed_meta.as_bytes(),
    );
    let response = world
        .app
        .http
        .post(world.app.url(UPLOAD_PATH))
        .header("Authorization", auth.to_header_value())
        .header("Content-Type", content_type)
        .header("Accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let keys = platform_public_keys(&world.app).await;
    verify_response(&headers, &bytes, &keys);
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Asserts a PARAM_ERROR (or another code) naming `field`.
pub fn assert_error(status: u16, body: &Value, want_status: u16, code: &str, field: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["detail"]["field"], field, "{body}");
    assert!(body["message"].as_str().unwrap().contains(field), "{body}");
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
            "phone": encrypt_for_kabao(world, "13800138000").await},
        "fapiao_card_information": cards,
    });
    if let Some(sub) = sub {
        body["sub_mchid"] = json!(sub);
    }
    body
}

/// The serial of kabao's platform certificate and `plaintext` RSA-OAEP
/// encrypted with it, as an SDK encrypts a sensitive field.
pub async fn platform_serial(world: &FapiaoWorld) -> String {
    let keys = platform_public_keys(&world.app).await;
    keys.iter()
        .find_map(|(serial, _, _)| serial.clone())
        .unwrap()
}

/// `plaintext` encrypted for kabao's platform certificate (base64).
pub async fn encrypt_for_kabao(world: &FapiaoWorld, plaintext: &str) -> String {
    let keys = platform_public_keys(&world.app).await;
    let (_, _, key) = keys.iter().find(|(serial, _, _)| serial.is_some()).unwrap();
    key.encrypt_oaep_sha1_b64(plaintext.as_bytes()).unwrap()
}

/// A signed POST carrying `Wechatpay-Serial` (as SDKs do after encrypting
/// a field); returns status and body after verifying the answer.
pub async fn post_with_serial(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let text = body.to_string();
    let auth = AuthorizationHeader::sign(
        &merchant.key,
        &merchant.mchid,
        &merchant.serial,
        "POST",
        path,
        kabao_now(world).await,
        &nonce(),
        text.as_bytes(),
    );
    let response = world
        .app
        .http
        .post(world.app.url(path))
        .header("Authorization", auth.to_header_value())
        .header("Content-Type", "application/json")
        .header("Wechatpay-Serial", platform_serial(world).await)
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

/// The payer of the test orders.
pub const OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

/// Gives `merchant` (or its `sub`) a fapiao card template (F7).
pub async fn card_template(world: &FapiaoWorld, merchant: &TestMerchant, sub: Option<&str>) {
    let mut body = json!({
        "card_appid": "wxb1170446a4c0a5a2",
        "card_template_information": {"payee_name": "某公司",
            "logo_url": "http://mmbiz.qpic.cn/mmbiz/logo/0"}
    });
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

/// A paid order of `owner` (control API); returns its transaction_id.
pub async fn paid_order(world: &FapiaoWorld, owner: &str) -> String {
    let (status, order) = world
        .app
        .admin_post(
            "/fapiao/pay-orders",
            &json!({"mchid": owner, "appid": "wxb1170446a4c0a5a2", "openid": OPENID, "amount": 859800}),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    order["transaction_id"].as_str().unwrap().to_owned()
}

/// F15 for `fapiao_apply_id` as `merchant` sees it.
pub async fn query(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    fapiao_apply_id: &str,
    sub: Option<&str>,
) -> (u16, Value) {
    let mut path = format!("/v3/new-tax-control-fapiao/fapiao-applications/{fapiao_apply_id}");
    if let Some(sub) = sub {
        path.push_str(&format!("?sub_mchid={sub}"));
    }
    world.call(merchant, "GET", &path, None).await
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
