//! Fapiao merchant setup: capability and seller information,
//! development-config, card templates, the tax-code table, paid WeChat Pay
//! orders and partner invitations.

use super::StoreResult;
use crate::domain::fapiao::setup::{
    DevConfig, FapiaoCardTemplate, FapiaoInvite, FapiaoMerchantSetup, InviteStatus, PayOrder,
    SellerInfo, TaxCode,
};
use async_trait::async_trait;

/// What the control API may change about a merchant's fapiao capability;
/// `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FapiaoMerchantUpdate {
    /// The sub-merchant accepted its provider.
    pub provider_authorized: Option<bool>,
    /// `digital_tax_mode.status` of check-status.
    pub digital_tax_status: Option<String>,
    /// The seller printed on its fapiao.
    pub seller: Option<SellerInfo>,
}

/// A new invitation made by getspinviteurl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvite {
    /// The service provider.
    pub provider_mchid: String,
    /// Its `invite_code`.
    pub invite_code: String,
    /// Key of the invite page URL.
    pub link_key: String,
    /// The query as received (operate_user decrypted).
    pub request: serde_json::Value,
    /// The `sub_mchid` the provider named, if any.
    pub sub_mchid: Option<String>,
    /// Now (Unix seconds).
    pub created_at: i64,
}

/// How a merchant answered an invitation (already checked with
/// `check_invite_answer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteAnswer {
    /// The merchant that answered.
    pub sub_mchid: String,
    /// Company name entered.
    pub ep_name: String,
    /// Taxpayer id entered.
    pub tax_id: String,
    /// `Some((invite_failed_code, reason))` forces a failure (control API);
    /// otherwise `invite_failure` decides.
    pub forced_failure: Option<(String, String)>,
    /// Now (Unix seconds).
    pub operate_time: i64,
}

/// The filter of listspinvitemchinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteQuery {
    /// The service provider listing its invitations.
    pub provider_mchid: String,
    /// operate_time lower bound, inclusive (Unix seconds).
    pub start: i64,
    /// operate_time upper bound, inclusive (Unix seconds).
    pub end: i64,
    /// Only this status.
    pub status: InviteStatus,
    /// Only this invite_code.
    pub invite_code: Option<String>,
    /// Rows skipped.
    pub offset: i64,
    /// Most rows returned.
    pub limit: i64,
}

/// Fapiao merchant setup: capability and seller information,
/// development-config, card templates, the tax-code table, paid WeChat Pay
/// orders and partner invitations.
#[async_trait]
pub trait FapiaoSetupStore: Send + Sync {
    /// Whether sub-merchant `mchid` has accepted its service provider's
    /// fapiao invitation (true unless the control API or an invitation says
    /// otherwise).
    async fn provider_authorized(&self, mchid: &str) -> StoreResult<bool>;

    /// The fapiao capability of a provisioned merchant (`None` when the
    /// mchid is not provisioned); defaults apply until something is set.
    async fn fapiao_merchant(&self, mchid: &str) -> StoreResult<Option<FapiaoMerchantSetup>>;
    /// Changes a provisioned merchant's capability; `None` when it is not
    /// provisioned.
    async fn update_fapiao_merchant(
        &self,
        mchid: &str,
        update: &FapiaoMerchantUpdate,
        now: i64,
    ) -> StoreResult<Option<FapiaoMerchantSetup>>;
    /// The seller printed on `owner_mchid`'s fapiao: as set through the
    /// control API, else derived from its provisioned name (or its mchid).
    async fn seller_information(&self, owner_mchid: &str) -> StoreResult<SellerInfo>;

    /// The development-config a calling merchant set (None: never set).
    async fn dev_config(&self, mchid: &str) -> StoreResult<Option<DevConfig>>;
    /// Saves a calling merchant's development-config.
    async fn put_dev_config(&self, mchid: &str, config: &DevConfig, now: i64) -> StoreResult<()>;

    /// The owner's card template (None until card-template is called).
    async fn fapiao_card_template(
        &self,
        owner_mchid: &str,
    ) -> StoreResult<Option<FapiaoCardTemplate>>;
    /// Creates or overwrites the owner's card template. The stored card_id
    /// is kept when the card_appid does not change, else `new_card_id` is used.
    async fn put_fapiao_card_template(
        &self,
        owner_mchid: &str,
        card_appid: &str,
        template: &serde_json::Value,
        new_card_id: &str,
        now: i64,
    ) -> StoreResult<FapiaoCardTemplate>;

    /// One code of the owner's tax-code table (its additions first, then
    /// the shipped table).
    async fn tax_code(&self, owner_mchid: &str, tax_code: &str) -> StoreResult<Option<TaxCode>>;
    /// One page of the owner's tax-code table, ordered by tax code, and the
    /// total number of codes.
    async fn tax_codes_page(
        &self,
        owner_mchid: &str,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(i64, Vec<TaxCode>)>;
    /// The codes added for the owner (not the shipped ones).
    async fn owner_tax_codes(&self, owner_mchid: &str) -> StoreResult<Vec<TaxCode>>;
    /// Adds or replaces codes in the owner's table.
    async fn add_tax_codes(&self, owner_mchid: &str, codes: &[TaxCode]) -> StoreResult<()>;

    /// Records a paid order; Conflict when the merchant already has its
    /// out_trade_no (or the transaction_id exists).
    async fn create_pay_order(&self, order: &PayOrder) -> StoreResult<()>;
    /// One paid order by transaction_id.
    async fn pay_order(&self, transaction_id: &str) -> StoreResult<Option<PayOrder>>;
    /// A merchant's paid orders, newest first.
    async fn pay_orders(&self, mchid: &str) -> StoreResult<Vec<PayOrder>>;

    /// Records a new invitation.
    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<FapiaoInvite>;
    /// An invitation by the key of its page.
    async fn invite_by_key(&self, link_key: &str) -> StoreResult<Option<FapiaoInvite>>;
    /// Closes a PENDING invitation with `answer`: it fails with the forced
    /// failure or the one `invite_failure` finds (reading the merchant's
    /// provider in the same transaction); on success the sub-merchant's
    /// provider_authorized becomes true, also in that transaction. None
    /// when the key is unknown; Conflict when it was already answered.
    async fn answer_invite(
        &self,
        link_key: &str,
        answer: &InviteAnswer,
    ) -> StoreResult<Option<FapiaoInvite>>;
    /// One page of a provider's acted-on invitations and the total count.
    async fn invites_page(&self, query: &InviteQuery) -> StoreResult<(i64, Vec<FapiaoInvite>)>;
}
