//! Bodies of the merchant set-up endpoints (F1–F7).

use super::parties::{ExtraInformation, Links, SellerInformation};
use super::TaxPreferMark;
use serde::{Deserialize, Serialize};

/// check-status (F1) answer: whether fapiao can be issued for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckStatus {
    /// The merchant asked about.
    pub sub_mchid: String,
    /// Third-party / self-issued mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_mode: Option<ThirdMode>,
    /// 数电 mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_tax_mode: Option<DigitalTaxMode>,
}

/// The third-party mode's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdMode {
    /// `ENABLED` or `DISABLED`.
    pub status: String,
}

/// The 数电 mode's status and abilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalTaxMode {
    /// `ENABLED`, `DISABLED`, `APPLY_FAILED`, one of the `*_PENDING` steps…
    pub status: String,
    /// The registered drawer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_person_info: Option<BillingPersonInfo>,
    /// RFC 3339 time of access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_time: Option<String>,
    /// RFC 3339 end of access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_time: Option<String>,
    /// Why access failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_fail_reason: Option<String>,
    /// Each ability and its authorisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ability_info: Vec<AbilityInfo>,
}

/// A 数电 drawer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingPersonInfo {
    /// Drawer id (`billing_person_id` of the issue calls).
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
}

/// One 数电 ability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbilityInfo {
    /// The ability.
    #[serde(rename = "type")]
    pub ability_type: super::AbilityType,
    /// `AUTHORIZED`, `AUTHORIZE_PENDING`, `DEAUTHORIZED`, `AUTHORIZE_FAILED`.
    pub status: String,
    /// Why authorisation failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_fail_reason: Option<String>,
}

/// base-information (F3) answer: the seller and the people on the face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseInformation {
    /// 销售方.
    pub seller_information: SellerInformation,
    /// 收款人, 复核人, 开票人.
    pub extra_information: ExtraInformation,
}

/// tax-codes (F4) page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxCodePage {
    /// Where this page starts.
    pub offset: i64,
    /// Page size asked for.
    pub limit: i64,
    /// Codes in the table.
    pub total_count: i64,
    /// Targets of the neighbouring pages.
    #[serde(default)]
    pub links: Links,
    /// The codes of this page.
    pub data: Vec<TaxCode>,
}

/// One tax classification code the merchant may issue with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxCode {
    /// The merchant's goods name.
    pub goods_name: String,
    /// The merchant's goods id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_id: Option<i64>,
    /// The tax bureau's category name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_category: Option<String>,
    /// 税收分类编码.
    pub tax_code: String,
    /// Rate in 1/10000.
    pub tax_rate: i64,
    /// VAT treatment.
    pub tax_prefer_mark: TaxPreferMark,
}

/// development-config (F5) body: what to change (absent fields stay).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DevelopmentConfigPatch {
    /// Where FAPIAO.* callbacks go (HTTPS, no query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// A merchant of the same legal entity the configuration also applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mch_code: Option<String>,
    /// Show the fapiao entry on the payment voucher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_fapiao_cell: Option<bool>,
    /// Offer 专票.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_vat_fapiao: Option<bool>,
}

/// development-config (F5, F6) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevelopmentConfig {
    /// Where FAPIAO.* callbacks go.
    pub callback_url: String,
    /// Whether the payment voucher shows the fapiao entry.
    #[serde(default)]
    pub show_fapiao_cell: bool,
    /// Whether 专票 is offered.
    #[serde(default)]
    pub support_vat_fapiao: bool,
}

/// card-template (F7) body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTemplateRequest {
    /// For a service provider: the sub-merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// The app whose card package receives the fapiao.
    pub card_appid: String,
    /// The card face.
    pub card_template_information: CardTemplateInformation,
}

/// The card face of fapiao cards.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CardTemplateInformation {
    /// Payee name shown on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_name: Option<String>,
    /// Logo URL.
    pub logo_url: String,
    /// A custom entry on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_cell: Option<CustomCell>,
}

/// A custom entry on the card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomCell {
    /// The entry's label.
    pub words: String,
    /// Its description.
    pub description: String,
    /// A link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jump_url: Option<String>,
    /// A mini program to open instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miniprogram_user_name: Option<String>,
    /// The mini program page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miniprogram_path: Option<String>,
}

/// card-template (F7) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTemplate {
    /// The card package app.
    pub card_appid: String,
    /// The template.
    pub card_id: String,
}
