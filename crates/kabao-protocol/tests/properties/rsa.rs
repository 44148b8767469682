//! RSA sign/verify and OAEP round trips, and tamper detection.

use std::sync::OnceLock;

use base64::Engine as _;
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use kabao_protocol::CryptoError;
use proptest::prelude::*;

fn key() -> &'static (PrivateKey, PublicKey) {
    static KEY: OnceLock<(PrivateKey, PublicKey)> = OnceLock::new();
    KEY.get_or_init(|| {
        let private = PrivateKey::generate_2048().expect("key generation");
        let public = private.public_key();
        (private, public)
    })
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn sign_then_verify(message in prop::collection::vec(any::<u8>(), 0..512)) {
        let (private, public) = key();
        let signature = private.sign_sha256_b64(&message);
        prop_assert_eq!(public.verify_sha256_b64(&message, &signature), Ok(()));
    }

    #[test]
    fn flipped_message_byte_fails(
        message in prop::collection::vec(any::<u8>(), 1..512),
        index in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let (private, public) = key();
        let signature = private.sign_sha256_b64(&message);
        let mut tampered = message.clone();
        tampered[index.index(message.len())] ^= mask;
        prop_assert_eq!(
            public.verify_sha256_b64(&tampered, &signature),
            Err(CryptoError::SignatureMismatch)
        );
    }

    #[test]
    fn flipped_signature_byte_fails(
        message in prop::collection::vec(any::<u8>(), 0..512),
        index in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let (private, public) = key();
        let mut signature = b64().decode(private.sign_sha256_b64(&message)).unwrap();
        let i = index.index(signature.len());
        signature[i] ^= mask;
        prop_assert_eq!(
            public.verify_sha256_b64(&message, &b64().encode(&signature)),
            Err(CryptoError::SignatureMismatch)
        );
    }

    #[test]
    fn oaep_round_trip(plaintext in prop::collection::vec(any::<u8>(), 0..=214)) {
        let (private, public) = key();
        let ciphertext = public.encrypt_oaep_sha1_b64(&plaintext).unwrap();
        prop_assert_eq!(private.decrypt_oaep_sha1_b64(&ciphertext).unwrap(), plaintext);
    }
}
