//! Serde adapters for WeChat's loose JSON (null where a string is expected).

use serde::{Deserialize, Deserializer};

/// Deserializes a string that may be `null`, reading `null` as `""`.
///
/// WeChat samples send `associated_data` as `""`, omit it, or (in some
/// clients) `null`; Java SDKs then call `.getBytes()` on it, so the crate
/// always keeps and re-emits a string.
pub(crate) fn null_as_empty<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}
