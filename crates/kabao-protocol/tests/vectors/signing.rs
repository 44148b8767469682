//! The two SDK signing vectors, and the key material around them.

use kabao_protocol::certificate::parse_certificate_pem;

use crate::support::{file, private_key, public_key, s, shipped};

#[test]
fn go_key_a_signs_source_exactly() {
    let v = shipped("rsa_sha256_sign_source");
    let key = private_key(s(v, "private_key_file"));
    let message = s(v, "message_utf8").as_bytes();
    assert_eq!(key.sign_sha256_b64(message), s(v, "signature_b64"));
}

#[test]
fn go_signature_verifies_with_both_platform_certificates() {
    let v = shipped("rsa_sha256_sign_source");
    let message = s(v, "message_utf8").as_bytes();
    let certs = v["verifies_with"].as_array().expect("list");
    assert_eq!(certs.len(), 2);
    for cert in certs {
        let name = cert.as_str().expect("file name");
        public_key(name)
            .verify_sha256_b64(message, s(v, "signature_b64"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        parse_certificate_pem(&file(name))
            .expect("certificate parses")
            .public_key
            .verify_sha256_b64(message, s(v, "signature_b64"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    public_key("go-sdk-test-key-A.public.pem")
        .verify_sha256_b64(message, s(v, "signature_b64"))
        .expect("verifies with the SPKI key");
}

#[test]
fn go_platform_certificates_carry_key_a() {
    let key_a = private_key("go-sdk-test-key-A.private.pem").public_key();
    assert_eq!(key_a, public_key("go-sdk-test-key-A.public.pem"));
    for (name, serial) in [
        (
            "go-sdk-platform-cert-D7CE59D1F522D701.pem",
            "D7CE59D1F522D701",
        ),
        (
            "go-sdk-platform-cert-F5765756002FDD77.pem",
            "F5765756002FDD77",
        ),
    ] {
        let info = parse_certificate_pem(&file(name)).expect("certificate parses");
        assert_eq!(info.serial_hex, serial);
        assert_eq!(info.public_key, key_a);
    }
}

#[test]
fn java_merchant_key_signs_message_exactly() {
    let v = shipped("rsa_sha256_sign_message_java");
    let key = private_key(s(v, "private_key_file"));
    let message = s(v, "message_utf8").as_bytes();
    let signature = key.sign_sha256_b64(message);
    assert_eq!(signature, s(v, "signature_b64"));
    public_key("java-sdk-merchant_certificate.pem")
        .verify_sha256_b64(message, &signature)
        .expect("verifies with the Java merchant certificate");
}

#[test]
fn java_key_material_matches_its_serials() {
    let v = shipped("java_key_material");
    let merchant = parse_certificate_pem(&file("java-sdk-merchant_certificate.pem")).unwrap();
    assert_eq!(merchant.serial_hex, s(v, "merchant_certificate_serial"));
    assert_eq!(
        merchant.public_key,
        private_key("java-sdk-merchant_private_key.pem").public_key()
    );

    let platform = parse_certificate_pem(&file("java-sdk-wechat_pay_certificate.pem")).unwrap();
    assert_eq!(platform.serial_hex, s(v, "wechat_pay_certificate_serial"));
    let platform_key = private_key("java-sdk-wechat_pay_private_key.pem").public_key();
    assert_eq!(platform.public_key, platform_key);
    assert_eq!(
        public_key("java-sdk-wechat_pay_public_key.pem"),
        platform_key
    );
    // Both certificates expired on 2025-05-09.
    assert_eq!(
        kabao_protocol::apiv3::rfc3339_cst(platform.not_after),
        "2025-05-09T10:04:30+08:00"
    );
}
