//! AES-GCM round trips with 16- and 32-byte keys, and tamper detection.

use base64::Engine as _;
use kabao_protocol::aead::{decrypt_b64, encrypt_b64};
use kabao_protocol::CryptoError;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 16),
        prop::collection::vec(any::<u8>(), 32),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn round_trip(
        key in key(),
        nonce in prop::array::uniform12(any::<u8>()),
        aad in prop::collection::vec(any::<u8>(), 0..64),
        plaintext in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let ciphertext = encrypt_b64(&key, &nonce, &aad, &plaintext).unwrap();
        prop_assert_eq!(decrypt_b64(&key, &nonce, &aad, &ciphertext).unwrap(), plaintext);
    }

    #[test]
    fn flipped_ciphertext_byte_fails(
        key in key(),
        nonce in prop::array::uniform12(any::<u8>()),
        aad in prop::collection::vec(any::<u8>(), 0..64),
        plaintext in prop::collection::vec(any::<u8>(), 0..512),
        index in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let engine = base64::engine::general_purpose::STANDARD;
        let mut raw = engine.decode(encrypt_b64(&key, &nonce, &aad, &plaintext).unwrap()).unwrap();
        let i = index.index(raw.len());
        raw[i] ^= mask;
        prop_assert_eq!(
            decrypt_b64(&key, &nonce, &aad, &engine.encode(&raw)),
            Err(CryptoError::AeadDecrypt)
        );
    }
}
