//! Callback parsing of real callbacks kabao sent to a receiver: a good one
//! parsed and typed; the same bytes with a changed body, signature or key
//! refused; a callback signed six minutes off refused for its window; and
//! public-key mode.

use crate::common::eventually;
use crate::fapiao_world::*;
use crate::receiver::Seen;
use kabao_client::fapiao::*;
use kabao_client::{ClientError, FapiaoEvent, SignatureError, WechatPay};
use kabao_protocol::CryptoError;
use reqwest::header::HeaderValue;
use reqwest::Method;
use serde_json::json;

const TITLE_APPID: &str = "wxc11e0d0000000001";
const TITLE_OPENID: &str = "oC11eCallbackUser00000000001";

/// Asks `pay` for a title link for `apply_id` and fills it in (control
/// API), which makes kabao send FAPIAO.USER_APPLIED.
async fn user_applied(w: &FapiaoWorld, pay: &WechatPay, apply_id: &str) {
    let link = pay
        .fapiao()
        .title_url(&TitleUrlRequest {
            sub_mchid: None,
            fapiao_apply_id: apply_id.into(),
            source: TitleSource::Web,
            appid: TITLE_APPID.into(),
            openid: TITLE_OPENID.into(),
            total_amount: 100,
            seller_name: None,
            show_phone_cell: None,
            must_input_phone: None,
            show_email_cell: None,
            must_input_email: None,
        })
        .await
        .unwrap();
    let key = link
        .title_url
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    w.k.admin_ok(
        Method::POST,
        &format!("/fapiao/titles/{key}"),
        Some(json!({"type": "INDIVIDUAL", "name": "张三"})),
    )
    .await;
}

async fn world() -> FapiaoWorld {
    let w = FapiaoWorld::start().await;
    w.k.oa_app(TITLE_APPID, "merchant").await;
    w.k.user(TITLE_APPID, TITLE_OPENID, None).await;
    w
}

#[tokio::test]
async fn a_real_callback_parses_and_altered_copies_are_refused() {
    let w = world().await;
    user_applied(&w, &w.direct, "CB-0001").await;
    let parsed = w
        .receiver
        .wait_parsed("/direct", "FAPIAO.USER_APPLIED", 1)
        .await;
    let n = &parsed[0];
    assert!(n.id.len() > 8 && n.create_time.ends_with("+08:00"), "{n:?}");
    let FapiaoEvent::UserApplied(applied) = &n.event else {
        panic!("{n:?}")
    };
    assert_eq!(
        (applied.mchid.as_str(), applied.fapiao_apply_id.as_str()),
        (DIRECT, "CB-0001")
    );
    let Seen { headers, body, .. } = w.receiver.seen()[0].clone();

    // The receiver's own client would accept it again; this one has never
    // seen a certificate and downloads them for the serial.
    assert_eq!(
        w.direct.parse_notification(&headers, &body).await.unwrap(),
        n.clone()
    );

    let mut changed = body.to_vec();
    let at = changed.iter().position(|b| *b == b'"').unwrap() + 1;
    changed[at] = b'X';
    match w.direct.parse_notification(&headers, &changed).await {
        Err(ClientError::Signature(SignatureError::Mismatch { .. })) => {}
        other => panic!("a changed body must not verify: {other:?}"),
    }
    let mut forged = headers.clone();
    let other_signature = kabao_protocol::rsa::PrivateKey::generate_2048()
        .unwrap()
        .sign_sha256_b64(b"anything");
    forged.insert(
        "Wechatpay-Signature",
        HeaderValue::from_str(&other_signature).unwrap(),
    );
    assert!(matches!(
        w.direct.parse_notification(&forged, &body).await,
        Err(ClientError::Signature(SignatureError::Mismatch { .. }))
    ));
    let mut unsigned = headers.clone();
    unsigned.remove("Wechatpay-Signature");
    assert!(matches!(
        w.direct.parse_notification(&unsigned, &body).await,
        Err(ClientError::Signature(SignatureError::MissingHeader(
            "Wechatpay-Signature"
        )))
    ));
    let mut unknown = headers.clone();
    unknown.insert("Wechatpay-Serial", HeaderValue::from_static("1234ABCD"));
    assert!(matches!(
        w.direct.parse_notification(&unknown, &body).await,
        Err(ClientError::Signature(SignatureError::UnknownSerial(s))) if s == "1234ABCD"
    ));

    // Someone else's APIv3 key verifies the signature but cannot decrypt.
    let m = &w.direct_merchant;
    let wrong_key = WechatPay::new(
        &w.k.base_url,
        &m.mchid,
        &m.serial_no,
        &m.private_key_pem,
        "0".repeat(32),
    )
    .unwrap();
    assert!(matches!(
        wrong_key.parse_notification(&headers, &body).await,
        Err(ClientError::Crypto(CryptoError::AeadDecrypt))
    ));
    assert!(matches!(
        w.direct.parse_notification(&headers, b"not json").await,
        Err(ClientError::Signature(_))
    ));
}

#[tokio::test]
async fn a_callback_signed_six_minutes_ago_is_refused_for_its_window() {
    let w = world().await;
    user_applied(&w, &w.direct, "CB-STALE").await;
    w.receiver
        .wait_parsed("/direct", "FAPIAO.USER_APPLIED", 1)
        .await;
    let list =
        w.k.admin_ok(Method::GET, &format!("/callbacks?mchid={DIRECT}"), None)
            .await;
    let id = list[0]["id"].as_i64().unwrap();

    // kabao's clock six minutes behind: the redelivery is signed then.
    w.k.advance_clock(-360).await;
    w.k.admin_ok(Method::POST, &format!("/callbacks/{id}/redeliver"), None)
        .await;
    let stale = eventually("the stale redelivery", || async {
        w.receiver.seen().into_iter().find(|s| s.outcome.is_err())
    })
    .await;
    w.k.reset_clock().await;
    let err = stale.outcome.unwrap_err();
    assert!(err.contains("outside the 5-minute window"), "{err}");
    match w
        .direct
        .parse_notification(&stale.headers, &stale.body)
        .await
    {
        Err(ClientError::Signature(SignatureError::OutsideWindow { timestamp, now })) => {
            assert!((now - timestamp - 360).abs() < 30, "{timestamp} vs {now}");
        }
        other => panic!("expected OutsideWindow, got {other:?}"),
    }
    // The refusal (HTTP 500) is what kabao records for that attempt.
    let path = format!("/callbacks/{id}");
    eventually("kabao recording the refusal", || async {
        let record = w.k.admin_ok(Method::GET, &path, None).await;
        let attempts = record["attempts"].as_array().unwrap().clone();
        attempts
            .iter()
            .any(|a| a["http_status"] == 500)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn public_key_mode_callbacks_are_verified_with_the_public_key() {
    let w = world().await;
    let keys = w.k.platform_keys().await;
    let key_id = keys[0]["public_key_id"].as_str().unwrap().to_owned();
    let pem = keys[0]["public_key_pem"].as_str().unwrap().to_owned();
    let m = w
        .k
        .merchant(
            "1900000309",
            json!({"platform_mode": "public_key", "callback_url": format!("{}/pk", w.receiver.base_url)}),
        )
        .await;
    let client = |m: &crate::common::Merchant| {
        WechatPay::builder(&m.mchid, &m.serial_no, &m.private_key_pem, &m.apiv3_key)
            .base_url(&w.k.base_url)
            .platform_public_key(&key_id, &pem)
            .build()
            .unwrap()
    };
    w.receiver.mount("pk", client(&m));
    user_applied(&w, &client(&m), "CB-PK").await;
    w.receiver
        .wait_parsed("/pk", "FAPIAO.USER_APPLIED", 1)
        .await;
    let seen = w.receiver.seen();
    let pk = seen.iter().find(|s| s.path == "/pk").unwrap();
    assert_eq!(pk.headers["wechatpay-serial"], key_id.as_str());
}
