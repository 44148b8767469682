//! Errors of the SDK: transport failures, signature failures, and each
//! family's wire error typed, so callers can match on what went wrong.

use kabao_protocol::apiv3::{ErrorCode, ErrorDetail};
use kabao_protocol::oa::OaErrcode;

/// An Official Account error answer (`{errcode, errmsg}`, sent with HTTP 200).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("errcode {errcode}: {errmsg}")]
pub struct OaApiError {
    /// The wire errcode (e.g. 72038).
    pub errcode: i64,
    /// The wire errmsg, with whatever detail or trace the service appended.
    pub errmsg: String,
}

impl OaApiError {
    /// The typed code, when kabao-protocol knows it (`None` for codes it does not).
    pub fn code(&self) -> Option<OaErrcode> {
        OaErrcode::from_code(self.errcode)
    }

    /// Whether the access token was refused (40001 superseded, 42001 expired):
    /// the two codes the client answers with one refetch and one retry.
    pub fn is_token_error(&self) -> bool {
        matches!(self.errcode, 40001 | 42001)
    }
}

/// An APIv3 error answer (`{code, message, detail}`) with its HTTP status.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("HTTP {status} {code}: {message}")]
pub struct PayApiError {
    /// HTTP status (400, 401, 403, 404, 429, 500…).
    pub status: u16,
    /// The wire code (e.g. `PARAM_ERROR`).
    pub code: String,
    /// The wire message.
    pub message: String,
    /// Which field was wrong and why, when the service says.
    pub detail: Option<ErrorDetail>,
    /// The `Request-ID` header, to quote when asking WeChat Pay support.
    pub request_id: Option<String>,
}

impl PayApiError {
    /// The typed code, when kabao-protocol knows it.
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }

    /// The offending field named in `detail`, if any.
    pub fn field(&self) -> Option<&str> {
        self.detail.as_ref()?.field.as_deref()
    }
}

/// Why a signed answer or callback was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A `Wechatpay-*` header the signature needs is absent or not text.
    #[error("missing {0} header")]
    MissingHeader(&'static str),
    /// `Wechatpay-Timestamp` is not decimal Unix seconds.
    #[error("Wechatpay-Timestamp {0:?} is not a Unix time")]
    BadTimestamp(String),
    /// The timestamp is five minutes or more away from local time.
    #[error("Wechatpay-Timestamp {timestamp} is outside the 5-minute window around {now}")]
    OutsideWindow {
        /// The signed time.
        timestamp: i64,
        /// Local time when checked.
        now: i64,
    },
    /// `Wechatpay-Serial` names no platform certificate or public key the
    /// client has (even after downloading the certificates again).
    #[error("no platform key with serial {0}")]
    UnknownSerial(String),
    /// The signature does not verify with the key named by `Wechatpay-Serial`.
    #[error("the signature does not verify with platform key {serial}")]
    Mismatch {
        /// The serial or public key id that was tried.
        serial: String,
    },
    /// `Wechatpay-Signature-Type` names a scheme other than `WECHATPAY2-SHA256-RSA2048`.
    #[error("unsupported Wechatpay-Signature-Type {0:?}")]
    UnsupportedType(String),
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
    /// An answer's or a callback's signature was not accepted.
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    /// A callback body is not a WeChat Pay notification envelope.
    #[error(transparent)]
    Notification(#[from] kabao_protocol::notification::NotificationError),
    /// Key material, encryption or decryption failed.
    #[error(transparent)]
    Crypto(#[from] kabao_protocol::CryptoError),
    /// The network or HTTP layer failed (connection, timeout, TLS).
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    /// A downloaded file does not match its `sm3-digest` header.
    #[error("the file's SM3 digest {actual} is not the announced {announced}")]
    Digest {
        /// The `sm3-digest` header.
        announced: String,
        /// The digest of the bytes received.
        actual: String,
    },
    /// The answer was not what the API documents (wrong shape, wrong status).
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

impl ClientError {
    /// The APIv3 error, if this is one.
    pub fn as_pay(&self) -> Option<&PayApiError> {
        match self {
            Self::Pay(e) => Some(e),
            _ => None,
        }
    }

    /// The Official Account error, if this is one.
    pub fn as_oa(&self) -> Option<&OaApiError> {
        match self {
            Self::Oa(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn unexpected(what: impl std::fmt::Display) -> Self {
        Self::Unexpected(what.to_string())
    }
}
