//! Key loading in every accepted PEM form, and error reporting.

use kabao_protocol::aead::{random_alphanumeric, random_nonce};
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use kabao_protocol::CryptoError;

fn vector_file(name: &str) -> String {
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

fn fixture(name: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/").to_owned() + name)
        .unwrap()
}

#[test]
fn pkcs1_and_pkcs8_private_keys_are_the_same_key() {
    let pkcs8 = PrivateKey::from_pem(&vector_file("go-sdk-test-key-A.private.pem")).unwrap();
    let pkcs1 = PrivateKey::from_pem(&fixture("go-sdk-test-key-A.pkcs1.pem")).unwrap();
    assert_eq!(pkcs1.public_key(), pkcs8.public_key());
    assert_eq!(
        pkcs1.sign_sha256_b64(b"source"),
        pkcs8.sign_sha256_b64(b"source")
    );
    assert_eq!(pkcs1.bits(), 2048);
}

#[test]
fn public_key_forms_agree() {
    let spki = PublicKey::from_pem(&vector_file("go-sdk-test-key-A.public.pem")).unwrap();
    let pkcs1 = PublicKey::from_pem(&fixture("go-sdk-test-key-A.pkcs1-public.pem")).unwrap();
    let cert =
        PublicKey::from_pem(&vector_file("go-sdk-platform-cert-D7CE59D1F522D701.pem")).unwrap();
    assert_eq!(pkcs1, spki);
    assert_eq!(cert, spki);
    assert_eq!(PublicKey::from_spki_der(&spki.spki_der()).unwrap(), spki);
    assert_eq!(PublicKey::from_pem(&spki.to_spki_pem()).unwrap(), spki);
    assert!(spki
        .to_spki_pem()
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));
}

#[test]
fn generated_key_exports_and_reloads() {
    let key = PrivateKey::generate_2048().unwrap();
    let pem = key.to_pkcs8_pem();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert!(!pem.contains('\r'));
    let again = PrivateKey::from_pem(&pem).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(
        PrivateKey::from_pkcs8_der(&key.pkcs8_der())
            .unwrap()
            .public_key(),
        key.public_key()
    );
    let debug = format!("{key:?}");
    assert!(
        debug.contains("2048") && !debug.contains(&pem[28..60]),
        "{debug}"
    );
}

#[test]
fn loading_errors_are_specific() {
    assert!(matches!(
        PrivateKey::from_pem("not pem"),
        Err(CryptoError::UnexpectedPemLabel { .. })
    ));
    let public = vector_file("go-sdk-test-key-A.public.pem");
    match PrivateKey::from_pem(&public) {
        Err(CryptoError::UnexpectedPemLabel { found, .. }) => assert_eq!(found, "PUBLIC KEY"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        PrivateKey::from_pkcs8_der(b"\x30\x00"),
        Err(CryptoError::KeyRejected(_))
    ));
    assert!(matches!(
        PublicKey::from_spki_der(b"junk"),
        Err(CryptoError::KeyRejected(_))
    ));
}

#[test]
fn verify_and_oaep_errors() {
    let key = PrivateKey::from_pem(&vector_file("go-sdk-test-key-A.private.pem")).unwrap();
    let public = key.public_key();
    assert_eq!(
        public.verify_sha256_b64(b"m", "not base64!"),
        Err(CryptoError::Base64 { what: "signature" })
    );
    let other = key.sign_sha256_b64(b"other");
    assert_eq!(
        public.verify_sha256_b64(b"m", &other),
        Err(CryptoError::SignatureMismatch)
    );
    assert_eq!(
        public.encrypt_oaep_sha1_b64(&[0u8; 215]),
        Err(CryptoError::PlaintextTooLong { len: 215, max: 214 })
    );
    assert_eq!(
        key.decrypt_oaep_sha1_b64("%%"),
        Err(CryptoError::Base64 { what: "ciphertext" })
    );
    assert_eq!(
        key.decrypt_oaep_sha1_b64("AAAA"),
        Err(CryptoError::OaepDecrypt)
    );
}

#[test]
fn nonces_are_alphanumeric() {
    let n = random_nonce();
    assert_eq!(n.len(), 12);
    assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_ne!(random_nonce(), n);
    assert_eq!(random_alphanumeric(32).len(), 32);
    assert_eq!(random_alphanumeric(0), "");
}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn keys_are_send_and_sync() {
    assert_send_sync::<PrivateKey>();
    assert_send_sync::<PublicKey>();
}
