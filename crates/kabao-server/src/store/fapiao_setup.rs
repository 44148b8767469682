//! Fapiao merchant setup: capability and seller information,
//! development-config, card templates, the tax-code table, paid WeChat Pay
//! orders, user titles and partner invitations.

use super::StoreResult;
use async_trait::async_trait;

/// Fapiao merchant setup: capability and seller information,
/// development-config, card templates, the tax-code table, paid WeChat Pay
/// orders, user titles and partner invitations.
#[async_trait]
pub trait FapiaoSetupStore: Send + Sync {
    /// Whether sub-merchant `mchid` has accepted its service provider's
    /// fapiao invitation (true unless the control API or an invitation says
    /// otherwise).
    async fn provider_authorized(&self, mchid: &str) -> StoreResult<bool>;
}
