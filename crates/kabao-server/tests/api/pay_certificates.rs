//! `GET /v3/certificates`: what each SDK downloads and decrypts.

use crate::helpers::*;
use kabao_protocol::aead;
use kabao_protocol::apiv3::{parse_rfc3339, CertificateList};
use kabao_protocol::certificate::parse_certificate_pem;
use kabao_protocol::rsa::PrivateKey;
use serde_json::{json, Value};

#[tokio::test]
async fn certificates_decrypt_with_the_apiv3_key_to_the_published_serial() {
    let app = spawn_app().await;
    let m = app.merchant("1900000201", json!({})).await;
    let r = app.signed(&m, "GET", "/v3/certificates", "", now()).await;
    assert_eq!(r.status(), 200);
    let list: CertificateList = r.json().await.unwrap();
    assert!(!list.data.is_empty());
    for cert in &list.data {
        let e = &cert.encrypt_certificate;
        assert_eq!(e.algorithm, "AEAD_AES_256_GCM");
        assert_eq!(e.associated_data, "certificate");
        assert_eq!(e.nonce.len(), 12, "Go's GCM panics on other nonce lengths");
        let pem = aead::decrypt_b64(
            m.apiv3_key.as_bytes(),
            e.nonce.as_bytes(),
            b"certificate",
            &e.ciphertext,
        )
        .unwrap();
        let info = parse_certificate_pem(std::str::from_utf8(&pem).unwrap()).unwrap();
        assert_eq!(
            info.serial_hex, cert.serial_no,
            "Wechatpay-Serial lookups are by exact string"
        );
        assert!(u8::from_str_radix(&cert.serial_no[..2], 16).unwrap() >= 0x10);
        assert_eq!(parse_rfc3339(&cert.effective_time), Some(info.not_before));
        assert_eq!(parse_rfc3339(&cert.expire_time), Some(info.not_after));
        assert!(cert.effective_time.ends_with("+08:00"));
    }
}

#[tokio::test]
async fn algorithm_type_is_checked() {
    let app = spawn_app().await;
    let m = app.merchant("1900000202", json!({})).await;
    let rsa: Value = app
        .signed(&m, "GET", "/v3/certificates?algorithm_type=RSA", "", now())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rsa["data"].as_array().unwrap().len(), 1);
    let sm2: Value = app
        .signed(&m, "GET", "/v3/certificates?algorithm_type=SM2", "", now())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sm2["data"], json!([]));
    let r = app
        .signed(&m, "GET", "/v3/certificates?algorithm_type=DSA", "", now())
        .await;
    assert_eq!(r.status(), 400);
    let bad: Value = r.json().await.unwrap();
    assert_eq!(bad["code"], "PARAM_ERROR");
    assert_eq!(bad["detail"]["field"], "algorithm_type");
    assert_eq!(bad["detail"]["location"], "query");
}

#[tokio::test]
async fn unknown_paths_and_methods_get_signed_errors() {
    let app = spawn_app().await;
    let keys = platform_public_keys(&app).await;
    let r = app
        .http
        .get(app.url("/v3/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    verify_response(&headers, &body, &keys);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["code"],
        "NOT_FOUND"
    );
    let r = app
        .http
        .post(app.url("/v3/certificates"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "INVALID_REQUEST");
}

#[tokio::test]
async fn the_go_sdk_mock_merchant_downloads_the_go_test_certificate() {
    // The Go SDK's own mock: merchant 1234567890 (serial BE6DCDA7A5931FA0,
    // APIv3 key mockAPIv3Key1234) and platform certificate D7CE59D1F522D701.
    let app = spawn_app().await;
    let v = test_vectors();
    let read = |f: &str| std::fs::read_to_string(v.join(f)).unwrap();
    let (status, body) = app
        .admin_post(
            "/platform-keys",
            &json!({"private_key_pem": read("go-sdk-test-key-A.private.pem"),
                    "certificate_pem": read("go-sdk-platform-cert-D7CE59D1F522D701.pem")}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["serial_no"], "D7CE59D1F522D701");
    let (status, body) = app
        .admin_post(
            "/merchants",
            &json!({"mchid": "1234567890", "apiv3_key": "mockAPIv3Key1234",
                    "certificates": [{"serial_no": "BE6DCDA7A5931FA0", "public_key_pem": read("go-sdk-mock-merchant-BE6DCDA7A5931FA0.public.pem")}]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let m = TestMerchant {
        mchid: "1234567890".into(),
        serial: "BE6DCDA7A5931FA0".into(),
        key: PrivateKey::from_pem(&read("go-sdk-mock-merchant-BE6DCDA7A5931FA0.private.pem"))
            .unwrap(),
        apiv3_key: "mockAPIv3Key1234".into(),
    };
    let r = app.signed(&m, "GET", "/v3/certificates", "", now()).await;
    assert_eq!(r.status(), 200);
    let list: CertificateList = r.json().await.unwrap();
    let go = list
        .data
        .iter()
        .find(|c| c.serial_no == "D7CE59D1F522D701")
        .expect("the Go test certificate is listed");
    let e = &go.encrypt_certificate;
    let pem = aead::decrypt_b64(
        b"mockAPIv3Key1234",
        e.nonce.as_bytes(),
        b"certificate",
        &e.ciphertext,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(pem).unwrap(),
        read("go-sdk-platform-cert-D7CE59D1F522D701.pem")
    );

    // With the Go certificate named in Wechatpay-Serial, kabao signs with key A.
    let auth = kabao_protocol::auth::AuthorizationHeader::sign(
        &m.key,
        &m.mchid,
        &m.serial,
        "GET",
        "/v3/certificates",
        now(),
        &nonce(),
        b"",
    );
    let r = app
        .http
        .get(app.url("/v3/certificates"))
        .header("Authorization", auth.to_header_value())
        .header("Wechatpay-Serial", "D7CE59D1F522D701")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["wechatpay-serial"], "D7CE59D1F522D701");
    let go_cert =
        parse_certificate_pem(&read("go-sdk-platform-cert-D7CE59D1F522D701.pem")).unwrap();
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    verify_response(
        &headers,
        &body,
        &[(Some("D7CE59D1F522D701".into()), None, go_cert.public_key)],
    );
}
