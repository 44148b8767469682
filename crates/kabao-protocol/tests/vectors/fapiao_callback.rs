//! The derived FAPIAO.ISSUED callback: what the server must produce byte for byte.

use kabao_protocol::apiv3::rfc3339_cst;
use kabao_protocol::message::response_message;
use kabao_protocol::notification::{EncryptedResource, Notification, RESOURCE_TYPE};

use crate::support::{derived, private_key, public_key, s};

#[test]
fn seal_gives_the_exact_ciphertext() {
    let v = derived("callback_fapiao_issued");
    let resource = EncryptedResource::seal(
        s(v, "apiv3_key_ascii").as_bytes(),
        s(v, "resource_nonce"),
        s(v, "resource_associated_data"),
        None,
        s(v, "plaintext").as_bytes(),
    )
    .unwrap();
    assert_eq!(resource.ciphertext, s(v, "ciphertext_b64"));
    assert_eq!(
        resource.open(s(v, "apiv3_key_ascii").as_bytes()).unwrap(),
        s(v, "plaintext").as_bytes()
    );
}

#[test]
fn built_envelope_serializes_to_the_exact_body() {
    let v = derived("callback_fapiao_issued");
    let h = &v["headers"];
    let timestamp: i64 = s(h, "Wechatpay-Timestamp").parse().unwrap();
    let notification = Notification {
        id: "EV-2018022511223320873".into(),
        create_time: rfc3339_cst(timestamp),
        resource_type: RESOURCE_TYPE.into(),
        event_type: "FAPIAO.ISSUED".into(),
        summary: Some("发票开具成功".into()),
        resource: EncryptedResource::seal(
            s(v, "apiv3_key_ascii").as_bytes(),
            s(v, "resource_nonce"),
            "",
            None,
            s(v, "plaintext").as_bytes(),
        )
        .unwrap(),
    };
    assert_eq!(notification.to_json(), s(v, "body_utf8"));
    assert_eq!(
        Notification::parse(s(v, "body_utf8").as_bytes()).unwrap(),
        notification
    );
}

#[test]
fn header_signature_is_exact_and_verifies() {
    let v = derived("callback_fapiao_issued");
    let h = &v["headers"];
    assert_eq!(
        s(h, "Wechatpay-Signature-Type"),
        kabao_protocol::apiv3::SIGNATURE_TYPE
    );
    let message = response_message(
        s(h, "Wechatpay-Timestamp"),
        s(h, "Wechatpay-Nonce"),
        s(v, "body_utf8").as_bytes(),
    );
    let key = private_key(s(v, "private_key_file"));
    assert_eq!(key.sign_sha256_b64(&message), s(h, "Wechatpay-Signature"));
    let cert = format!("go-sdk-platform-cert-{}.pem", s(h, "Wechatpay-Serial"));
    public_key(&cert)
        .verify_sha256_b64(&message, s(h, "Wechatpay-Signature"))
        .expect("verifies with the platform certificate");
}
