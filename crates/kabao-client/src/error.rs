//! Errors of the SDK: transport failures, and each family's wire error typed.

/// An Official Account error answer (`{errcode, errmsg}`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("errcode {errcode}: {errmsg}")]
pub struct OaApiError {
    /// The wire errcode (e.g. 40001).
    pub errcode: i64,
    /// The wire errmsg.
    pub errmsg: String,
}

/// An APIv3 error answer (`{code, message, detail}`) with its HTTP status.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("HTTP {status} {code}: {message}")]
pub struct PayApiError {
    /// HTTP status.
    pub status: u16,
    /// The wire code (e.g. `SIGN_ERROR`).
    pub code: String,
    /// The wire message.
    pub message: String,
    /// The optional detail object.
    pub detail: Option<serde_json::Value>,
}

/// Anything a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The Official Account API answered with an errcode.
    #[error(transparent)]
    Oa(#[from] OaApiError),
    /// The APIv3 API answered with an error.
    #[error(transparent)]
    Pay(#[from] PayApiError),
    /// The answer's signature did not verify (or named an unknown key).
    #[error("response signature: {0}")]
    Signature(String),
    /// Key material or decryption failed.
    #[error(transparent)]
    Crypto(#[from] kabao_protocol::CryptoError),
    /// The network or HTTP layer failed.
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    /// The answer was not what the API documents.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}
