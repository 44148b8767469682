//! The error type shared by every cryptographic operation of the crate.

/// Why a key could not be loaded or a cryptographic operation failed.
///
/// One type serves RSA, AES-GCM and certificate parsing so that callers
/// (request verification, callback decryption) can map failures to wire
/// errors in one place. Variants carry only strings and numbers, never key
/// material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The text is not a well-formed PEM document.
    #[error("invalid PEM: {0}")]
    Pem(String),
    /// The PEM document holds no block with an accepted label.
    #[error("no PEM block labelled {expected} (found: {found})")]
    UnexpectedPemLabel {
        /// The labels that would have been accepted.
        expected: &'static str,
        /// The labels that were present, comma-separated, or "none".
        found: String,
    },
    /// aws-lc rejected the key bytes (not RSA, malformed, or outside 2048..=8192 bits).
    #[error("key rejected: {0}")]
    KeyRejected(String),
    /// Generating a fresh RSA key failed.
    #[error("RSA key generation failed")]
    KeyGeneration,
    /// An input that must be standard padded base64 is not.
    #[error("{what} is not valid base64")]
    Base64 {
        /// Which input was malformed, e.g. "signature" or "ciphertext".
        what: &'static str,
    },
    /// The signature is well-formed base64 but does not verify over the message.
    #[error("signature does not match the message")]
    SignatureMismatch,
    /// AES-GCM keys must be 16 (AES-128) or 32 (AES-256) bytes.
    #[error("AES-GCM key must be 16 or 32 bytes, got {0}")]
    InvalidAeadKeyLength(usize),
    /// AES-GCM nonces must be exactly 12 bytes.
    #[error("AES-GCM nonce must be exactly 12 bytes, got {0}")]
    InvalidNonceLength(usize),
    /// AES-GCM authentication failed: wrong key, nonce or associated data, or a corrupted ciphertext.
    #[error(
        "AES-GCM decryption failed (wrong key, nonce or associated data, or corrupted ciphertext)"
    )]
    AeadDecrypt,
    /// AES-GCM sealing failed inside aws-lc.
    #[error("AES-GCM encryption failed")]
    AeadEncrypt,
    /// RSA-OAEP decryption failed: wrong key, wrong padding or a corrupted ciphertext.
    #[error("RSA-OAEP-SHA1 decryption failed (wrong key or corrupted ciphertext)")]
    OaepDecrypt,
    /// RSA-OAEP encryption failed inside aws-lc.
    #[error("RSA-OAEP-SHA1 encryption failed")]
    OaepEncrypt,
    /// The plaintext exceeds what RSA-OAEP-SHA1 can carry with this key (214 bytes for RSA-2048).
    #[error("plaintext of {len} bytes exceeds the RSA-OAEP-SHA1 limit of {max} bytes")]
    PlaintextTooLong {
        /// Length of the offered plaintext.
        len: usize,
        /// Largest plaintext this key accepts.
        max: usize,
    },
    /// An encrypted resource names an algorithm other than `AEAD_AES_256_GCM`.
    #[error("unsupported algorithm {0:?}, expected \"AEAD_AES_256_GCM\"")]
    UnsupportedAlgorithm(String),
    /// The certificate could not be parsed or holds no usable RSA key.
    #[error("invalid certificate: {0}")]
    Certificate(String),
}
