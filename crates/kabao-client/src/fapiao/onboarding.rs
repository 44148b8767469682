//! Partner onboarding (F21–F22): a service provider invites a merchant to
//! authorise it, then lists how the invitations ended.

use super::enums::{AbilityType, FapiaoMode, InviteStatus};
use super::parties::Links;
use super::{Fapiao, BASE};
use crate::error::ClientError;
use crate::pay::Query;
use serde::{Deserialize, Serialize};

/// getspinviteurl (F21) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteUrlRequest {
    /// `AUTH_BINDING`.
    pub operation_type: String,
    /// The mode to authorise.
    pub fapiao_mode: FapiaoMode,
    /// The 数电 abilities asked for.
    pub fapiao_ability_type_list: Vec<AbilityType>,
    /// Where the invitation is sent (e.g. `miniprogram`).
    pub invite_channel: Option<String>,
    /// Who operates, plaintext (the SDK encrypts it).
    pub operate_user: Option<String>,
    /// The provider's code for this invitation.
    pub invite_code: String,
    /// The merchant invited, when known.
    pub sub_mchid: Option<String>,
}

/// getspinviteurl (F21) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteUrl {
    /// The invitation link.
    pub invite_url: String,
    /// The mini program that shows it.
    pub miniprogram_appid: String,
    /// Its path.
    pub miniprogram_path: String,
}

/// listspinvitemchinfo (F22) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitedMerchantsQuery {
    /// RFC 3339 start of the window.
    pub query_time_start: String,
    /// RFC 3339 end of the window.
    pub query_time_end: String,
    /// First row.
    pub offset: i64,
    /// Rows per page.
    pub limit: i64,
    /// Only this invitation code.
    pub invite_code: Option<String>,
    /// Accepted or failed invitations.
    pub mch_invite_status: InviteStatus,
}

/// listspinvitemchinfo (F22) page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitedMerchantsPage {
    /// Rows matching.
    pub total_count: i64,
    /// First row of this page.
    pub offset: i64,
    /// Page size.
    pub limit: i64,
    /// Neighbouring pages.
    #[serde(default)]
    pub links: Links,
    /// The rows.
    #[serde(default)]
    pub mch_invite_result_list: Vec<InvitedMerchant>,
}

/// How one invitation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitedMerchant {
    /// The merchant that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// Accepted or failed.
    pub mch_invite_status: InviteStatus,
    /// The company name.
    pub ep_name: String,
    /// Its taxpayer id.
    pub tax_id: String,
    /// The invitation code.
    pub invite_code: String,
    /// RFC 3339 time of the answer.
    pub operate_time: String,
    /// Why it failed (`NOT_MEET_ACCESS_CONDITION`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_failed_code: Option<String>,
    /// The failure's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_failed_reason: Option<String>,
}

impl Fapiao<'_> {
    /// `GET fapiaomerchant/getspinviteurl` (F21): an invitation link for a
    /// merchant to authorise this provider (`operate_user` is encrypted and
    /// its key named in `Wechatpay-Serial`).
    pub async fn invite_url(&self, request: &InviteUrlRequest) -> Result<InviteUrl, ClientError> {
        let mut query = Query::new()
            .push("operation_type", &request.operation_type)
            .push("fapiao_mode", &request.fapiao_mode);
        for ability in &request.fapiao_ability_type_list {
            query = query.push("fapiao_ability_type_list", ability);
        }
        let mut serial = None;
        let operate_user = match &request.operate_user {
            Some(plain) => {
                let field = self.pay.encrypt(plain).await?;
                serial = Some(field.serial);
                Some(field.ciphertext)
            }
            None => None,
        };
        let target = query
            .push_opt("invite_channel", request.invite_channel.as_deref())
            .push_opt("operate_user", operate_user)
            .push("invite_code", &request.invite_code)
            .push_opt("sub_mchid", request.sub_mchid.as_deref())
            .to_target(&format!("{BASE}/fapiaomerchant/getspinviteurl"));
        self.pay.get_json_with_serial(&target, serial).await
    }

    /// `GET fapiaomerchant/listspinvitemchinfo` (F22): one page of the
    /// invitations answered in a time window.
    pub async fn invited_merchants(
        &self,
        query: &InvitedMerchantsQuery,
    ) -> Result<InvitedMerchantsPage, ClientError> {
        let target = Query::new()
            .push("query_time_start", &query.query_time_start)
            .push("query_time_end", &query.query_time_end)
            .push("offset", query.offset)
            .push("limit", query.limit)
            .push_opt("invite_code", query.invite_code.as_deref())
            .push("mch_invite_status", &query.mch_invite_status)
            .to_target(&format!("{BASE}/fapiaomerchant/listspinvitemchinfo"));
        self.pay.get_json(&target, &[]).await
    }
}
