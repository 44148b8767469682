//! The complete signed PAYSCORE callback from the Go SDK tests.

use kabao_protocol::message::response_message;
use kabao_protocol::notification::{Notification, ALGORITHM, RESOURCE_TYPE};

use crate::support::{file, private_key, public_key, s, sha256_hex, shipped};

fn body() -> &'static str {
    s(shipped("signed_callback_payscore"), "body_utf8")
}

#[test]
fn body_is_the_published_one() {
    let v = shipped("signed_callback_payscore");
    assert_eq!(sha256_hex(body().as_bytes()), s(v, "body_sha256_hex"));
    assert_eq!(body().len(), 568);
}

#[test]
fn header_signature_verifies_and_is_reproduced() {
    let v = shipped("signed_callback_payscore");
    let h = &v["headers"];
    let message = response_message(
        s(h, "Wechatpay-Timestamp"),
        s(h, "Wechatpay-Nonce"),
        body().as_bytes(),
    );
    public_key(s(v, "platform_certificate_file"))
        .verify_sha256_b64(&message, s(h, "Wechatpay-Signature"))
        .expect("callback signature verifies");
    let key = private_key(s(v, "platform_private_key_file"));
    assert_eq!(key.sign_sha256_b64(&message), s(h, "Wechatpay-Signature"));
}

#[test]
fn body_parses_and_resource_decrypts_with_aes_128() {
    let v = shipped("signed_callback_payscore");
    let n = Notification::parse(body().as_bytes()).expect("body parses");
    assert_eq!(n.id, "3119dfba-e649-5eec-ab1e-3412bc4d2e17");
    assert_eq!(n.create_time, "2021-06-24T16:37:26+08:00");
    assert_eq!(n.resource_type, RESOURCE_TYPE);
    assert_eq!(n.event_type, "PAYSCORE.USER_OPEN_SERVICE");
    assert_eq!(n.summary.as_deref(), Some("签约成功"));
    assert_eq!(n.resource.original_type.as_deref(), Some("payscore"));
    assert_eq!(n.resource.algorithm, ALGORITHM);
    assert_eq!(n.resource.nonce, "Kj7QIyUiYx1q");
    assert_eq!(n.resource.associated_data, "payscore");

    let key = s(v, "apiv3_key_ascii").as_bytes();
    assert_eq!(key.len(), 16);
    let plaintext = n.resource.open(key).expect("resource decrypts");
    assert_eq!(plaintext, s(v, "plaintext").as_bytes());
}

#[test]
fn platform_key_file_matches_certificate() {
    let v = shipped("signed_callback_payscore");
    assert_eq!(
        private_key(s(v, "platform_private_key_file")).public_key(),
        public_key(s(v, "platform_certificate_file"))
    );
    assert!(file(s(v, "platform_certificate_file")).contains("BEGIN CERTIFICATE"));
}
