//! APIv3 request verification: each way a signature can be wrong gets its
//! own 401 SIGN_ERROR with a reason, and every answer is signed.

use crate::helpers::*;
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::rsa::PrivateKey;
use serde_json::{json, Value};

const PATH: &str = "/v3/certificates";

async fn sign_error(response: reqwest::Response, app: &TestApp, reason_has: &str) {
    assert_eq!(response.status(), 401);
    let keys = platform_public_keys(app).await;
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    verify_response(&headers, &bytes, &keys);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["code"], "SIGN_ERROR");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(reason_has),
        "{message:?} should mention {reason_has:?}"
    );
}

#[tokio::test]
async fn a_correctly_signed_request_is_served_and_the_answer_verifies() {
    let app = spawn_app().await;
    let m = app.merchant("1900000101", json!({})).await;
    let r = app.signed(&m, "GET", PATH, "", now()).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(r.headers().contains_key("request-id"));
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    verify_response(&headers, &body, &platform_public_keys(&app).await);
}

#[tokio::test]
async fn a_missing_or_malformed_header_is_refused() {
    let app = spawn_app().await;
    let r = app.http.get(app.url(PATH)).send().await.unwrap();
    sign_error(r, &app, "missing").await;
    let r = app
        .http
        .get(app.url(PATH))
        .header("Authorization", "Bearer abc")
        .send()
        .await
        .unwrap();
    sign_error(r, &app, "malformed").await;
    let r = app
        .http
        .get(app.url(PATH))
        .header(
            "Authorization",
            r#"WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="AB""#,
        )
        .send()
        .await
        .unwrap();
    sign_error(r, &app, "signature").await;
}

#[tokio::test]
async fn timestamps_more_than_five_minutes_away_are_stale() {
    let app = spawn_app().await;
    let m = app.merchant("1900000102", json!({})).await;
    assert_eq!(
        app.signed(&m, "GET", PATH, "", now() - 295).await.status(),
        200
    );
    sign_error(
        app.signed(&m, "GET", PATH, "", now() - 301).await,
        &app,
        "timestamp",
    )
    .await;
    sign_error(
        app.signed(&m, "GET", PATH, "", now() + 301).await,
        &app,
        "timestamp",
    )
    .await;
}

#[tokio::test]
async fn unknown_merchants_and_serials_are_refused() {
    let app = spawn_app().await;
    let m = app.merchant("1900000103", json!({})).await;
    let mut unknown_serial = TestMerchant {
        serial: "ABCDEF0123".into(),
        ..clone_merchant(&m)
    };
    sign_error(
        app.signed(&unknown_serial, "GET", PATH, "", now()).await,
        &app,
        "ABCDEF0123",
    )
    .await;
    unknown_serial.serial = m.serial.to_ascii_lowercase();
    assert_eq!(
        app.signed(&unknown_serial, "GET", PATH, "", now())
            .await
            .status(),
        200,
        "serials compare case-blind"
    );
    let stranger = TestMerchant {
        mchid: "1999999999".into(),
        ..clone_merchant(&m)
    };
    sign_error(
        app.signed(&stranger, "GET", PATH, "", now()).await,
        &app,
        "1999999999",
    )
    .await;
}

fn clone_merchant(m: &TestMerchant) -> TestMerchant {
    TestMerchant {
        mchid: m.mchid.clone(),
        serial: m.serial.clone(),
        key: PrivateKey::from_pkcs8_der(&m.key.pkcs8_der()).unwrap(),
        apiv3_key: m.apiv3_key.clone(),
    }
}

#[tokio::test]
async fn a_body_or_query_altered_after_signing_fails() {
    let app = spawn_app().await;
    let m = app.merchant("1900000104", json!({})).await;
    let auth = AuthorizationHeader::sign(
        &m.key,
        &m.mchid,
        &m.serial,
        "GET",
        PATH,
        now(),
        &nonce(),
        b"{}",
    );
    let send = |url: String, body: &'static str| {
        app.http
            .get(url)
            .header("Authorization", auth.to_header_value())
            .body(body)
            .send()
    };
    assert_eq!(
        send(app.url(PATH), "{}").await.unwrap().status(),
        200,
        "the signed bytes verify"
    );
    sign_error(
        send(app.url(PATH), "{ }").await.unwrap(),
        &app,
        "does not verify",
    )
    .await;
    let r = app
        .http
        .get(app.url("/v3/certificates?algorithm_type=RSA"))
        .header("Authorization", auth.to_header_value())
        .body("{}")
        .send()
        .await
        .unwrap();
    sign_error(r, &app, "/v3/certificates?algorithm_type=RSA").await;
}

#[tokio::test]
async fn a_signature_by_another_key_fails() {
    let app = spawn_app().await;
    let m = app.merchant("1900000105", json!({})).await;
    let other = app.merchant("1900000106", json!({})).await;
    let forged = TestMerchant {
        key: PrivateKey::from_pkcs8_der(&other.key.pkcs8_der()).unwrap(),
        ..clone_merchant(&m)
    };
    sign_error(
        app.signed(&forged, "GET", PATH, "", now()).await,
        &app,
        "does not verify",
    )
    .await;
}

#[tokio::test]
async fn an_expired_merchant_certificate_is_refused() {
    // The wechatpay-java test certificate expired on 2025-05-09.
    let app = spawn_app().await;
    let vectors = test_vectors();
    let cert = std::fs::read_to_string(vectors.join("java-sdk-merchant_certificate.pem")).unwrap();
    let key = std::fs::read_to_string(vectors.join("java-sdk-merchant_private_key.pem")).unwrap();
    let (status, body) = app
        .admin_post(
            "/merchants",
            &json!({"mchid": "1234567891", "certificates": [{"certificate_pem": cert}]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["certificates"][0]["serial_no"],
        "5F1C72E2A8931B72A2E13AF8DEE92471EB397115"
    );
    let m = TestMerchant {
        mchid: "1234567891".into(),
        serial: "5F1C72E2A8931B72A2E13AF8DEE92471EB397115".into(),
        key: PrivateKey::from_pem(&key).unwrap(),
        apiv3_key: String::new(),
    };
    sign_error(
        app.signed(&m, "GET", PATH, "", now()).await,
        &app,
        "expired",
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_get_a_param_error() {
    let app = spawn_app().await;
    let m = app.merchant("1900000107", json!({})).await;
    let body = "x".repeat(1024 * 1024 + 1);
    let r = app.signed(&m, "GET", PATH, &body, now()).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "PARAM_ERROR");
    assert_eq!(
        app.signed(&m, "GET", PATH, "", now()).await.status(),
        200,
        "still serving"
    );
}

#[tokio::test]
async fn a_query_signed_before_percent_encoding_is_accepted() {
    // wechatpayv3 signs the raw query text while requests sends it encoded.
    let app = spawn_app().await;
    let m = app.merchant("1900000108", json!({})).await;
    let signed_form = "/v3/certificates?algorithm_type=深圳";
    let wire_form = "/v3/certificates?algorithm_type=%E6%B7%B1%E5%9C%B3";
    let auth = AuthorizationHeader::sign(
        &m.key,
        &m.mchid,
        &m.serial,
        "GET",
        signed_form,
        now(),
        &nonce(),
        b"",
    );
    let r = app
        .http
        .get(app.url(wire_form))
        .header("Authorization", auth.to_header_value())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        400,
        "past the signature check, the bad algorithm_type is reported"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["detail"]["field"], "algorithm_type");
}

#[tokio::test]
async fn public_key_mode_signs_with_the_key_id() {
    let app = spawn_app().await;
    let keys = platform_public_keys(&app).await;
    let key_id = keys
        .iter()
        .find_map(|k| k.1.clone())
        .expect("a platform key id");
    let pk = app
        .merchant("1900000109", json!({"platform_mode": "public_key"}))
        .await;
    let r = app.signed(&pk, "GET", PATH, "", now()).await;
    assert_eq!(
        r.status(),
        404,
        "no platform certificate in public-key mode"
    );
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    assert_eq!(verify_response(&headers, &body, &keys), key_id);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["code"],
        "NOT_FOUND"
    );

    // A certificate-mode merchant that names the key id in Wechatpay-Serial gets it too.
    let cm = app.merchant("1900000110", json!({})).await;
    let auth = AuthorizationHeader::sign(
        &cm.key,
        &cm.mchid,
        &cm.serial,
        "GET",
        PATH,
        now(),
        &nonce(),
        b"",
    );
    let r = app
        .http
        .get(app.url(PATH))
        .header("Authorization", auth.to_header_value())
        .header("Wechatpay-Serial", &key_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    assert_eq!(verify_response(&headers, &body, &keys), key_id);
}
