//! Bodies of the query (F15), reverse (F16) and file (F17) endpoints.

use super::enums::{CardStatus, FapiaoStatus, ReverseReason};
use super::parties::{BuyerInformation, ExtraInformation, FapiaoLine, SellerInformation};
use serde::{Deserialize, Serialize};

/// fapiao-applications/{id} (F15) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatus {
    /// How many fapiao are listed.
    pub total_count: i64,
    /// Each fapiao of the application.
    pub fapiao_information: Vec<IssuedFapiao>,
}

/// One fapiao as F15 shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedFapiao {
    /// The merchant's id of the fapiao.
    pub fapiao_id: String,
    /// Where it stands.
    pub status: FapiaoStatus,
    /// The blue fapiao, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blue_fapiao: Option<FapiaoFace>,
    /// The red fapiao, once reversed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub red_fapiao: Option<FapiaoFace>,
    /// The card in the user's card package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_information: Option<CardInformation>,
    /// Amount with tax, in fen.
    pub total_amount: i64,
    /// Tax, in fen.
    pub tax_amount: i64,
    /// Amount before tax, in fen.
    pub amount: i64,
    /// 销售方.
    pub seller_information: SellerInformation,
    /// 购买方 (phone and email decrypted).
    pub buyer_information: BuyerInformation,
    /// The people on the face.
    pub extra_information: ExtraInformation,
    /// The priced lines.
    pub items: Vec<FapiaoLine>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// Why issuing failed (数电).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_error_code: Option<String>,
    /// The failure's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_error_message: Option<String>,
}

/// The numbers printed on a blue or red fapiao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoFace {
    /// 发票代码.
    pub fapiao_code: String,
    /// 发票号码.
    pub fapiao_number: String,
    /// 校验码.
    pub check_code: String,
    /// 密码区.
    pub password: String,
    /// RFC 3339 issue time.
    pub fapiao_time: String,
}

/// Where a fapiao's card is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInformation {
    /// The card package app.
    pub card_appid: String,
    /// The holder.
    pub card_openid: String,
    /// The template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
    /// The card code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_code: Option<String>,
    /// Where the card stands.
    pub card_status: CardStatus,
}

/// reverse (F16) body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReverseRequest {
    /// For a service provider: the sub-merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// Why.
    pub reverse_reason: ReverseReason,
    /// Which fapiao.
    pub fapiao_information: Vec<ReverseTarget>,
}

/// A fapiao to reverse, by id and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReverseTarget {
    /// The merchant's id of the fapiao.
    pub fapiao_id: String,
    /// Its 发票代码 (empty for 数电).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_code: Option<String>,
    /// Its 发票号码.
    pub fapiao_number: String,
}

/// fapiao-files (F17) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoFiles {
    /// One link per fapiao.
    #[serde(default)]
    pub fapiao_download_info_list: Vec<FapiaoDownloadInfo>,
}

/// Where to download one fapiao (the link lives 30 seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoDownloadInfo {
    /// The merchant's id of the fapiao.
    pub fapiao_id: String,
    /// The link, for [`crate::fapiao::Fapiao::download_file`].
    pub download_url: String,
    /// The fapiao's status.
    pub status: FapiaoStatus,
}
