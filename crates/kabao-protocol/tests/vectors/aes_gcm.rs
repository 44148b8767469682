//! The Java (AES-256) and Go (AES-128) AES-GCM vectors.

use kabao_protocol::aead::{decrypt_b64, encrypt_b64};

use crate::support::{s, shipped};

fn check(name: &str, key_len: usize) {
    let v = shipped(name);
    let key = s(v, "key_ascii").as_bytes();
    assert_eq!(key.len(), key_len);
    let nonce = s(v, "nonce_ascii").as_bytes();
    let aad = s(v, "associated_data").as_bytes();
    let plaintext = s(v, "plaintext").as_bytes();
    assert_eq!(
        encrypt_b64(key, nonce, aad, plaintext).unwrap(),
        s(v, "ciphertext_b64")
    );
    assert_eq!(
        decrypt_b64(key, nonce, aad, s(v, "ciphertext_b64")).unwrap(),
        plaintext
    );
}

#[test]
fn java_aes_256_gcm() {
    check("aes_gcm_java", 32);
}

#[test]
fn go_aes_128_gcm() {
    check("aes_gcm_go", 16);
}
