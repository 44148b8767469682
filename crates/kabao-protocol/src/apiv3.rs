//! APIv3 wire constants and JSON shapes shared by every endpoint.

mod certificates;
mod error_body;
mod error_code;
mod time;

pub use certificates::{CertificateList, EncryptCertificate, PlatformCertificate, CERTIFICATE_AAD};
pub use error_body::{ErrorBody, ErrorDetail};
pub use error_code::ErrorCode;
pub use time::{parse_rfc3339, rfc3339_cst};

/// Response header carrying the signing time (Unix seconds); exact case, as Java looks it up.
pub const HEADER_TIMESTAMP: &str = "Wechatpay-Timestamp";
/// Response header carrying the signing nonce; exact case, as Java looks it up.
pub const HEADER_NONCE: &str = "Wechatpay-Nonce";
/// Response header carrying the base64 signature; exact case, as Java looks it up.
pub const HEADER_SIGNATURE: &str = "Wechatpay-Signature";
/// Header naming the platform certificate serial or public key id; exact case, as Java looks it up.
pub const HEADER_SERIAL: &str = "Wechatpay-Serial";
/// Response header naming the signature scheme; wechatpayv3 fails without it.
pub const HEADER_SIGNATURE_TYPE: &str = "Wechatpay-Signature-Type";
/// Response header carrying the opaque request id.
pub const HEADER_REQUEST_ID: &str = "Request-ID";
/// The value of [`HEADER_SIGNATURE_TYPE`].
pub const SIGNATURE_TYPE: &str = "WECHATPAY2-SHA256-RSA2048";
/// The `Content-Type` of JSON responses; Java requires the `application/json` prefix.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=utf-8";
