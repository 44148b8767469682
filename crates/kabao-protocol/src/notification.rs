//! The callback envelope WeChat Pay POSTs to merchants, and its encrypted resource.

mod error;
mod parse;
mod resource;

pub use error::NotificationError;
pub use resource::EncryptedResource;

use serde::{Deserialize, Serialize};

/// The only `resource.algorithm` WeChat Pay uses (also for 16-byte keys, which give AES-128).
pub const ALGORITHM: &str = "AEAD_AES_256_GCM";

/// The `resource_type` of every encrypted callback; wechatpayv3 rejects any other value.
pub const RESOURCE_TYPE: &str = "encrypt-resource";

/// The callback envelope WeChat Pay POSTs to merchants (e.g. `FAPIAO.ISSUED`).
///
/// The server builds and signs it; the SDK parses and decrypts it. Field
/// order here is the serialization order: id, create_time, resource_type,
/// event_type, summary, resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Event id, kept identical across retries so merchants can deduplicate.
    pub id: String,
    /// RFC 3339 time with offset, e.g. "2015-05-20T13:29:35+08:00".
    pub create_time: String,
    /// Normally [`RESOURCE_TYPE`].
    pub resource_type: String,
    /// Event type such as "FAPIAO.ISSUED".
    pub event_type: String,
    /// Human-readable summary; the official fapiao samples omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The encrypted event payload.
    pub resource: EncryptedResource,
}

impl Notification {
    /// Parses a callback body; the error names the missing or invalid field
    /// (as a dotted path such as `resource.nonce`).
    pub fn parse(body: &[u8]) -> Result<Self, NotificationError> {
        parse::parse(body)
    }

    /// Serializes the envelope as compact JSON in field order (the exact bytes to sign and send).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a struct of strings always serializes")
    }
}
