//! `AEAD_AES_256_GCM` as WeChat Pay uses it for callbacks and certificate downloads.
//!
//! The key is the APIv3 key's raw bytes: 32 bytes select AES-256-GCM (real
//! keys); 16 bytes select AES-128-GCM, which the official SDKs silently do and
//! their test vectors rely on. The nonce is the `nonce` string's bytes and must
//! be exactly 12 bytes; the wire form is base64(ciphertext || 16-byte tag).

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM, AES_256_GCM, NONCE_LEN};

use crate::rsa::{decode_b64, encode_b64};
use crate::CryptoError;

const TAG_LEN: usize = 16;
const ALPHANUMERIC: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Encrypts `plaintext` and returns base64(ciphertext || tag).
pub fn encrypt_b64(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<String, CryptoError> {
    let key = aead_key(key)?;
    let nonce = aead_nonce(nonce)?;
    let mut in_out = plaintext.to_vec();
    key.seal_in_place_append_tag(nonce, Aad::from(aad), &mut in_out)
        .map_err(|_| CryptoError::AeadEncrypt)?;
    Ok(encode_b64(&in_out))
}

/// Decrypts base64(ciphertext || tag) and checks the tag against `aad`.
pub fn decrypt_b64(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    ciphertext_b64: &str,
) -> Result<Vec<u8>, CryptoError> {
    let key = aead_key(key)?;
    let nonce = aead_nonce(nonce)?;
    let mut in_out = decode_b64("ciphertext", ciphertext_b64)?;
    if in_out.len() < TAG_LEN {
        return Err(CryptoError::AeadDecrypt);
    }
    let len = key
        .open_in_place(nonce, Aad::from(aad), &mut in_out)
        .map_err(|_| CryptoError::AeadDecrypt)?
        .len();
    in_out.truncate(len);
    Ok(in_out)
}

/// A random 12-character nonce from `[0-9a-zA-Z]`, the form WeChat puts in `resource.nonce`.
pub fn random_nonce() -> String {
    random_alphanumeric(NONCE_LEN)
}

/// A random string of `len` characters from `[0-9a-zA-Z]`.
///
/// Also serves `Wechatpay-Nonce` and `nonce_str` values (32 characters).
/// Uses rejection sampling so every character is equally likely.
pub fn random_alphanumeric(len: usize) -> String {
    // 248 = 4 * 62: bytes at or above it would bias the modulo.
    const LIMIT: u8 = 248;
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        aws_lc_rs::rand::fill(&mut buf).expect("the system random generator is available");
        for &b in buf.iter().filter(|&&b| b < LIMIT) {
            if out.len() == len {
                break;
            }
            out.push(char::from(ALPHANUMERIC[usize::from(b % 62)]));
        }
    }
    out
}

fn aead_key(key: &[u8]) -> Result<LessSafeKey, CryptoError> {
    let algorithm = match key.len() {
        16 => &AES_128_GCM,
        32 => &AES_256_GCM,
        n => return Err(CryptoError::InvalidAeadKeyLength(n)),
    };
    let key = UnboundKey::new(algorithm, key)
        .map_err(|_| CryptoError::InvalidAeadKeyLength(key.len()))?;
    Ok(LessSafeKey::new(key))
}

fn aead_nonce(nonce: &[u8]) -> Result<Nonce, CryptoError> {
    Nonce::try_assume_unique_for_key(nonce)
        .map_err(|_| CryptoError::InvalidNonceLength(nonce.len()))
}
