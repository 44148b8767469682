//! The derived response signatures for a 200 JSON body and a 204 empty body.

use kabao_protocol::message::response_message;

use crate::support::{derived, private_key, public_key, s};

fn check(name: &str) -> Vec<u8> {
    let v = derived(name);
    let key = private_key(s(v, "private_key_file"));
    let message = response_message(
        s(v, "Wechatpay-Timestamp"),
        s(v, "Wechatpay-Nonce"),
        s(v, "body_utf8").as_bytes(),
    );
    assert_eq!(key.sign_sha256_b64(&message), s(v, "Wechatpay-Signature"));
    let cert = format!("go-sdk-platform-cert-{}.pem", s(v, "Wechatpay-Serial"));
    public_key(&cert)
        .verify_sha256_b64(&message, s(v, "Wechatpay-Signature"))
        .expect("verifies with the platform certificate");
    message
}

#[test]
fn response_200() {
    check("response_200_signature");
}

#[test]
fn response_204_signs_an_empty_body() {
    let message = check("response_204_signature");
    assert_eq!(message, b"1700000000\nWxPayEmulatorNonce00000000000001\n\n");
}
