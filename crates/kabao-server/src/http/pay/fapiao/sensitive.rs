//! Sensitive fields (phone, email, ID numbers): callers encrypt them with
//! the platform public key named by `Wechatpay-Serial` (RSA-OAEP SHA-1);
//! kabao encrypts those it returns with the caller's API certificate key.

use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use axum::http::HeaderMap;

/// Decrypts one sensitive request field (`field` names it in errors) with
/// the platform private key the request's `Wechatpay-Serial` header names.
/// A missing header or a value that does not decrypt is 400 PARAM_ERROR.
pub async fn decrypt_sensitive(
    state: &AppState,
    headers: &HeaderMap,
    field: &str,
    ciphertext_b64: &str,
) -> Result<String, PayError> {
    let serial = headers
        .get("wechatpay-serial")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            PayError::param(
                "Wechatpay-Serial",
                "header",
                format!("{field} is encrypted, so the request must name the platform key in Wechatpay-Serial"),
            )
        })?;
    let keys = state.keyring.platform_keys().await?;
    let key = crate::keyring::requested_key(&keys, serial, state.clock.now())
        .map(|signer| signer.key)
        .ok_or_else(|| {
            PayError::param(
                "Wechatpay-Serial",
                "header",
                format!("{serial} is not a platform public key id or a valid platform certificate serial of this kabao"),
            )
        })?;
    let plain = key
        .private_key
        .decrypt_oaep_sha1_b64(ciphertext_b64)
        .map_err(|_| {
            PayError::param(
                field,
                "body",
                format!(
                    "does not decrypt with platform key {serial} (RSA-OAEP with SHA-1, base64)"
                ),
            )
        })?;
    String::from_utf8(plain)
        .map_err(|_| PayError::param(field, "body", "decrypts to bytes that are not UTF-8"))
}

/// Encrypts a sensitive answer field for the caller: RSA-OAEP SHA-1 with the
/// public key of the API certificate that signed the request, base64.
pub fn encrypt_for_merchant(request: &SignedRequest, plaintext: &str) -> Result<String, PayError> {
    let serial = crate::domain::ids::SerialNo::normalise(&request.auth.serial_no)
        .ok_or_else(|| PayError::system("signed request without a hex serial"))?;
    let key = request
        .merchant
        .key(&serial)
        .ok_or_else(|| PayError::system("signed request's certificate vanished"))?;
    key.public_key
        .encrypt_oaep_sha1_b64(plaintext.as_bytes())
        .map_err(PayError::system)
}
