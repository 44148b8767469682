//! RSA keys as WeChat Pay APIv3 uses them.
//!
//! * Signatures: RSASSA-PKCS1-v1_5 with SHA-256, base64 (`WECHATPAY2-SHA256-RSA2048`).
//! * Sensitive fields: RSA-OAEP with SHA-1 and MGF1-SHA-1, empty label, base64.

mod private_key;
mod public_key;

pub use crate::CryptoError;
pub use private_key::PrivateKey;
pub use public_key::PublicKey;

/// Decodes standard padded base64, naming the input in the error.
pub(crate) fn decode_b64(what: &'static str, text: &str) -> Result<Vec<u8>, CryptoError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| CryptoError::Base64 { what })
}

/// Encodes bytes as standard padded base64.
pub(crate) fn encode_b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
