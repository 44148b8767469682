//! User titles (抬头, F8–F9): the link where the user fills in the title,
//! and the title they filled in (phone and email decrypted).

use super::enums::{BuyerType, FapiaoBillType, Scene, TitleSource};
use super::{Fapiao, BASE};
use crate::error::ClientError;
use crate::pay::Query;
use serde::{Deserialize, Serialize};

/// title-url (F8) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleUrlRequest {
    /// For a service provider: the sub-merchant.
    pub sub_mchid: Option<String>,
    /// The application the title is for (reuse it when the link expires).
    pub fapiao_apply_id: String,
    /// H5 or mini program.
    pub source: TitleSource,
    /// The Official Account (WEB) or mini program (MINIPROGRAM) of the user.
    pub appid: String,
    /// The user.
    pub openid: String,
    /// The amount in fen.
    pub total_amount: i64,
    /// Seller shown on the page (default: the merchant's name).
    pub seller_name: Option<String>,
    /// Show the phone cell.
    pub show_phone_cell: Option<bool>,
    /// Require the phone (when shown).
    pub must_input_phone: Option<bool>,
    /// Show the email cell.
    pub show_email_cell: Option<bool>,
    /// Require the email (when shown).
    pub must_input_email: Option<bool>,
}

/// title-url (F8) answer: the H5 link, or the mini program to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleUrl {
    /// The page (valid 30 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_url: Option<String>,
    /// The mini program that shows the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miniprogram_appid: Option<String>,
    /// Its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miniprogram_path: Option<String>,
    /// Its user name (`gh_…@app`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miniprogram_user_name: Option<String>,
}

/// user-title (F9) answer: the title the user filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTitle {
    /// A person or an organisation.
    #[serde(rename = "type")]
    pub title_type: BuyerType,
    /// The title.
    pub name: String,
    /// Taxpayer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_id: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Landline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// Bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// Bank account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// Mobile phone, decrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Email, decrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Amount in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// The merchant's order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// 普票 or 专票.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_bill_type: Option<FapiaoBillType>,
    /// The user's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_apply_message: Option<String>,
}

impl Fapiao<'_> {
    /// `GET user-title/title-url` (F8): where the user fills in the title
    /// for `fapiao_apply_id` (FAPIAO.USER_APPLIED follows).
    pub async fn title_url(&self, request: &TitleUrlRequest) -> Result<TitleUrl, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", request.sub_mchid.as_deref())
            .push("fapiao_apply_id", &request.fapiao_apply_id)
            .push("source", &request.source)
            .push("appid", &request.appid)
            .push("openid", &request.openid)
            .push("total_amount", request.total_amount)
            .push_opt("seller_name", request.seller_name.as_deref())
            .push_opt("show_phone_cell", request.show_phone_cell)
            .push_opt("must_input_phone", request.must_input_phone)
            .push_opt("show_email_cell", request.show_email_cell)
            .push_opt("must_input_email", request.must_input_email)
            .to_target(&format!("{BASE}/user-title/title-url"));
        self.pay.get_json(&target, &[]).await
    }

    /// `GET user-title` (F9): the title the user filled in; 404
    /// RESOURCE_NOT_EXISTS before they did.
    pub async fn user_title(
        &self,
        sub_mchid: Option<&str>,
        scene: Scene,
        fapiao_apply_id: &str,
    ) -> Result<UserTitle, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", sub_mchid)
            .push("scene", scene)
            .push("fapiao_apply_id", fapiao_apply_id)
            .to_target(&format!("{BASE}/user-title"));
        self.pay.get_json(&target, &["phone", "email"]).await
    }
}
