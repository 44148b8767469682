//! The two RSA-OAEP-SHA1 decryption vectors (OAEP is randomized, so decryption only).

use crate::support::{derived, private_key, s, shipped};

fn check(v: &serde_json::Value) {
    let key = private_key(s(v, "private_key_file"));
    let plaintext = key
        .decrypt_oaep_sha1_b64(s(v, "ciphertext_b64"))
        .expect("decrypts");
    assert_eq!(plaintext, s(v, "plaintext").as_bytes());
}

#[test]
fn java_merchant_key_decrypts() {
    check(shipped("rsa_oaep_sha1_decrypt_java"));
}

#[test]
fn key_a_decrypts() {
    check(derived("rsa_oaep_sha1_decrypt_keyA"));
}
