//! The APIv3 core through the SDK: platform certificates downloaded,
//! verified, cached and refreshed; public-key mode; a new platform key
//! picked up; typed APIv3 errors with detail; timeouts and GET retries.

use crate::common::Kabao;
use kabao_client::pay::Query;
use kabao_client::{ClientError, SignatureError, WechatPay};
use kabao_protocol::apiv3::ErrorCode;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// A file of the reference test vectors (`KABAO_TEST_VECTORS`, else
/// `../shared/reference/test-vectors` beside the workspace).
fn vector(name: &str) -> String {
    let dir = std::env::var_os("KABAO_TEST_VECTORS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/reference/test-vectors"
            )
            .into()
        });
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[tokio::test]
async fn certificates_are_downloaded_decrypted_and_every_answer_verified() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000701", json!({})).await;
    let pay = k.pay(&m);
    assert_eq!(
        (pay.mchid(), pay.base_url()),
        ("1900000701", k.base_url.as_str())
    );
    assert!(
        pay.platform_certificates().is_empty(),
        "nothing before the first call"
    );
    let certs = pay.certificates().await.unwrap();
    let keys = k.platform_keys().await;
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].serial_no, keys[0]["serial_no"].as_str().unwrap());
    assert!(certs[0].pem.contains("BEGIN CERTIFICATE"));
    assert!(certs[0].valid_at(k.now().await));
    assert_eq!(pay.platform_certificates().len(), 1);

    let target = Query::new()
        .push("algorithm_type", "SM2")
        .to_target("/v3/certificates");
    let answer = pay.request(Method::GET, &target, b"").await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json::<Value>().unwrap()["data"], json!([]));

    let err = pay
        .request(Method::GET, "/v3/certificates?algorithm_type=X", b"")
        .await
        .unwrap_err();
    let e = err.as_pay().expect("an APIv3 error");
    assert_eq!(
        (e.status, e.error_code()),
        (400, Some(ErrorCode::ParamError))
    );
    assert_eq!(e.field(), Some("algorithm_type"));
    assert_eq!(
        e.detail.as_ref().unwrap().location.as_deref(),
        Some("query")
    );
    assert!(e.request_id.as_deref().is_some_and(|id| id.ends_with("-0")));
}

#[tokio::test]
async fn a_wrong_merchant_serial_is_sign_error() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000704", json!({})).await;
    let wrong = WechatPay::new(
        &k.base_url,
        &m.mchid,
        "0123ABCD",
        &m.private_key_pem,
        &m.apiv3_key,
    )
    .unwrap();
    match wrong.certificates().await {
        Err(ClientError::Pay(e)) => {
            assert_eq!((e.status, e.code.as_str()), (401, "SIGN_ERROR"), "{e}");
            assert_eq!(e.error_code(), Some(ErrorCode::SignError));
        }
        other => panic!("expected SIGN_ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn public_key_mode_verifies_with_the_platform_public_key_and_refuses_another() {
    let k = Kabao::start().await;
    let keys = k.platform_keys().await;
    let key_id = keys[0]["public_key_id"].as_str().unwrap();
    let m = k.merchant("1900000702", json!({})).await;
    let pay = WechatPay::builder(&m.mchid, &m.serial_no, &m.private_key_pem, &m.apiv3_key)
        .base_url(&k.base_url)
        .platform_public_key(key_id, keys[0]["public_key_pem"].as_str().unwrap())
        .build()
        .unwrap();
    let answer = pay
        .request(Method::GET, "/v3/certificates", b"")
        .await
        .unwrap();
    assert_eq!(
        answer.headers["wechatpay-serial"], key_id,
        "signed with the public key"
    );
    let field = pay.encrypt("13800138000").await.unwrap();
    assert_eq!(
        field.serial, key_id,
        "fields are encrypted for the public key"
    );

    let other = kabao_protocol::rsa::PrivateKey::generate_2048()
        .unwrap()
        .public_key()
        .to_spki_pem();
    let m2 = k.merchant("1900000703", json!({})).await;
    let fooled = WechatPay::builder(&m2.mchid, &m2.serial_no, &m2.private_key_pem, &m2.apiv3_key)
        .base_url(&k.base_url)
        .platform_public_key(key_id, other)
        .build()
        .unwrap();
    match fooled.request(Method::GET, "/v3/certificates", b"").await {
        Err(ClientError::Signature(SignatureError::Mismatch { serial })) => {
            assert_eq!(serial, key_id)
        }
        other => panic!("expected a signature mismatch, got {other:?}"),
    }
}

#[tokio::test]
async fn a_new_platform_key_signing_answers_is_downloaded_on_first_sight() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000705", json!({})).await;
    let pay = k.pay(&m);
    pay.certificates().await.unwrap();
    let added = k
        .admin_ok(Method::POST, "/platform-keys", Some(json!({})))
        .await;
    let new_serial = added["serial_no"].as_str().unwrap();
    let answer = pay
        .request(Method::GET, "/v3/certificates", b"")
        .await
        .unwrap();
    assert_eq!(
        answer.headers["wechatpay-serial"], new_serial,
        "kabao signs with its newest key"
    );
    let cached: Vec<_> = pay
        .platform_certificates()
        .into_iter()
        .map(|c| c.serial_no)
        .collect();
    assert!(cached.iter().any(|s| s == new_serial), "{cached:?}");
}

#[tokio::test]
async fn certificates_older_than_the_refresh_interval_are_downloaded_again() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000706", json!({})).await;
    let lazy = k.pay(&m);
    let eager = WechatPay::builder(&m.mchid, &m.serial_no, &m.private_key_pem, &m.apiv3_key)
        .base_url(&k.base_url)
        .certificate_refresh(Duration::ZERO)
        .build()
        .unwrap();
    lazy.certificates().await.unwrap();
    eager.certificates().await.unwrap();
    // An older certificate: listed, but kabao keeps signing with its own.
    k.admin_ok(
        Method::POST,
        "/platform-keys",
        Some(
            json!({"private_key_pem": vector("go-sdk-test-key-A.private.pem"),
                    "certificate_pem": vector("go-sdk-platform-cert-D7CE59D1F522D701.pem")}),
        ),
    )
    .await;
    for pay in [&lazy, &eager] {
        let answer = pay
            .request(Method::GET, "/v3/certificates?algorithm_type=SM2", b"")
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
    }
    assert_eq!(
        lazy.platform_certificates().len(),
        1,
        "fresh enough: not downloaded"
    );
    let serials: Vec<_> = eager
        .platform_certificates()
        .into_iter()
        .map(|c| c.serial_no)
        .collect();
    assert!(
        serials.contains(&"D7CE59D1F522D701".to_owned()),
        "{serials:?}"
    );
}

#[tokio::test]
async fn timeouts_and_get_retries_surface_as_transport_errors() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000707", json!({})).await;
    let impatient = WechatPay::builder(&m.mchid, &m.serial_no, &m.private_key_pem, &m.apiv3_key)
        .base_url(&k.base_url)
        .timeout(Duration::from_nanos(1))
        .build()
        .unwrap();
    match impatient.certificates().await {
        Err(ClientError::Http(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let nowhere = WechatPay::builder(&m.mchid, &m.serial_no, &m.private_key_pem, &m.apiv3_key)
        .base_url("http://127.0.0.1:9/")
        .connect_timeout(Duration::from_millis(500))
        .get_retries(2)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    match nowhere.certificates().await {
        Err(ClientError::Http(e)) => assert!(e.is_connect(), "{e}"),
        other => panic!("expected a connection error, got {other:?}"),
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "two retries with pauses"
    );
}
