//! Replayed APIv3 requests: the same signed request sent again within the
//! signature window is refused because its nonce was used (kabao is
//! stricter than WeChat here), and after five minutes because it is stale.

use crate::helpers::*;
use kabao_protocol::auth::AuthorizationHeader;
use serde_json::{json, Value};

const PATH: &str = "/v3/certificates";

/// `GET /v3/certificates` with exactly this `Authorization` header.
async fn send(app: &TestApp, header: &str) -> (u16, Value) {
    let r = app
        .http
        .get(app.url(PATH))
        .header("Authorization", header)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn header(m: &TestMerchant, nonce: &str, timestamp: i64) -> String {
    AuthorizationHeader::sign(
        &m.key, &m.mchid, &m.serial, "GET", PATH, timestamp, nonce, b"",
    )
    .to_header_value()
}

#[tokio::test]
async fn a_request_replayed_within_the_window_is_refused_for_its_nonce() {
    let app = spawn_app().await;
    let m = app.merchant("1900000201", json!({})).await;
    let other = app.merchant("1900000202", json!({})).await;
    let nonce = nonce();
    let signed = header(&m, &nonce, now());

    assert_eq!(send(&app, &signed).await.0, 200);
    let (status, body) = send(&app, &signed).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "SIGN_ERROR");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("nonce_str") && message.contains(&nonce),
        "{message}"
    );

    // Re-signed with the same nonce at another second: still the same nonce.
    assert_eq!(send(&app, &header(&m, &nonce, now() - 1)).await.0, 401);
    // Nonces are per merchant, and a fresh nonce is served.
    assert_eq!(send(&app, &header(&other, &nonce, now())).await.0, 200);
    assert_eq!(
        send(&app, &header(&m, &super::helpers::nonce(), now()))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_request_that_failed_its_signature_does_not_use_up_the_nonce() {
    let app = spawn_app().await;
    let m = app.merchant("1900000203", json!({})).await;
    let nonce = nonce();
    let signed = header(&m, &nonce, now());
    let forged = signed.replace("signature=\"", "signature=\"AAAA");
    assert_eq!(send(&app, &forged).await.0, 401);
    assert_eq!(send(&app, &signed).await.0, 200);
}

#[tokio::test]
async fn a_request_replayed_after_five_minutes_is_stale() {
    let app = spawn_app().await;
    let m = app.merchant("1900000204", json!({})).await;
    let signed = header(&m, &nonce(), now());
    assert_eq!(send(&app, &signed).await.0, 200);
    app.advance_clock(301).await;
    let (status, body) = send(&app, &signed).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "SIGN_ERROR");
    assert!(
        body["message"].as_str().unwrap().contains("timestamp"),
        "{body}"
    );
}
