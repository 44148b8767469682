//! Merchant setup of the fapiao family as other areas read it: the seller
//! printed on every fapiao, the card template, the tax-code table and the
//! paid WeChat Pay orders fapiao are issued against. Pure: no I/O.

mod invite;
mod tax_code_table;

pub use invite::{
    check_invite_answer, invite_failure, FapiaoInvite, InviteStatus, INVITE_FAILED_CODES,
};
pub use tax_code_table::shipped_tax_codes;

use serde::{Deserialize, Serialize};

/// `seller_information` of base-information (F3) and of every issued fapiao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerInformation {
    /// 销售方名称.
    pub name: String,
    /// 纳税人识别号 (unified social credit code).
    pub taxpayer_id: String,
    /// 地址.
    pub address: String,
    /// 电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// 开户银行.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// 银行账号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
}

/// `extra_information` of base-information (F3): who is printed as payee,
/// reviewer and drawer on the fapiao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraInformation {
    /// 收款人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// 复核人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// 开票人 (required on the wire).
    pub drawer: String,
}

/// The seller side of an owner's fapiao: what base-information answers and
/// what issuing prints. Always has a value (derived from the merchant's
/// provisioned name until the control API sets it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerInfo {
    /// The seller block.
    pub seller_information: SellerInformation,
    /// Payee, reviewer and drawer.
    pub extra_information: ExtraInformation,
}

impl SellerInfo {
    /// The seller kabao assumes for a merchant nobody configured: its
    /// provisioned name, a taxpayer id derived from the mchid, a Shenzhen
    /// address, and "kabao" as drawer.
    pub fn derived(mchid: &str, merchant_name: &str) -> Self {
        Self {
            seller_information: SellerInformation {
                name: merchant_name.to_owned(),
                taxpayer_id: derived_taxpayer_id(mchid),
                address: "深圳市南山区科技园".to_owned(),
                telephone: Some("0755-00000000".to_owned()),
                bank_name: None,
                bank_account: None,
            },
            extra_information: ExtraInformation {
                payee: None,
                reviewer: None,
                drawer: "kabao".to_owned(),
            },
        }
    }
}

/// An 18-character unified social credit code (统一社会信用代码) stable for
/// `mchid`: "914403" (enterprise, Shenzhen) followed by twelve characters
/// from the mchid's digits.
pub fn derived_taxpayer_id(mchid: &str) -> String {
    let digits: String = mchid.chars().filter(char::is_ascii_digit).collect();
    format!("914403{:0>12}", &digits[digits.len().saturating_sub(12)..])
}

/// The card template an owner created with card-template (F7); issuing
/// needs one (RULE_LIMIT otherwise) and prints its card_appid/card_id on
/// the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoCardTemplate {
    /// The merchant the template belongs to.
    pub owner_mchid: String,
    /// The appid whose card package holds the cards.
    pub card_appid: String,
    /// The card id kabao generated for the template.
    pub card_id: String,
    /// `card_template_information` as the merchant sent it.
    pub card_template_information: serde_json::Value,
    /// Last write (Unix seconds).
    pub updated_at: i64,
}

/// One row of the tax classification table (tax-codes, F4). Issuing only
/// accepts a line whose `tax_code` the owner's table holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxCode {
    /// 税收分类编码, 19 digits.
    pub tax_code: String,
    /// 货物或应税劳务、服务名称.
    pub goods_name: String,
    /// 税收分类名称 (e.g. 运输服务).
    pub goods_category: String,
    /// The merchant's goods number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_id: Option<i64>,
    /// Rate in 1/10000 (1300 = 13 %).
    pub tax_rate: i64,
    /// NO_FAVORABLE, OUTSIDE_VAT, VAT_EXEMPT, NORMAL_ZERO_RATED or EXPORT_ZERO_RATED.
    pub tax_prefer_mark: String,
}

/// The `tax_prefer_mark` values the reference lists.
pub const TAX_PREFER_MARKS: [&str; 5] = [
    "NO_FAVORABLE",
    "OUTSIDE_VAT",
    "VAT_EXEMPT",
    "NORMAL_ZERO_RATED",
    "EXPORT_ZERO_RATED",
];

/// A paid WeChat Pay order made through the control API; its
/// `transaction_id` is the `fapiao_apply_id` of the WITH_WECHATPAY scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayOrder {
    /// 微信支付订单号: 28 digits starting with 4200.
    pub transaction_id: String,
    /// The merchant the order belongs to (direct merchant or sub-merchant).
    pub mchid: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The app the payer paid in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// The payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openid: Option<String>,
    /// Paid amount in fen.
    pub amount: i64,
    /// 商品描述.
    pub description: String,
    /// When it was paid (Unix seconds).
    pub paid_at: i64,
}

/// development-config (F5/F6) of a calling merchant: where its FAPIAO.*
/// callbacks go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevConfig {
    /// 商户回调地址.
    pub callback_url: String,
    /// 全部账单展示开发票入口开关.
    pub show_fapiao_cell: bool,
    /// 商户是否支持开电子专票.
    pub support_vat_fapiao: bool,
}

/// The fapiao capability of a merchant (check-status, check, the control API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoMerchantSetup {
    /// The merchant.
    pub mchid: String,
    /// A sub-merchant accepted its provider's fapiao invitation.
    pub provider_authorized: bool,
    /// `digital_tax_mode.status` of check-status (ENABLED, DISABLED, …).
    pub digital_tax_status: String,
    /// The seller printed on its fapiao.
    pub seller: SellerInfo,
}

/// The `digital_tax_mode.status` values of check-status.
pub const DIGITAL_TAX_STATUSES: [&str; 10] = [
    "APPROVAL_PENDING",
    "ACCESS_CONFIRMED_PENDING",
    "ABILITY_CONFIRMED_PENDING",
    "BILLING_PERSON_REGISTER_PENDING",
    "BILLING_PERSON_CONFIRMED_PENDING",
    "SECURITY_SETTING_PENDING",
    "APPLY_FAILED",
    "DISABLED",
    "ENABLED",
    "RESOURCE_EXPIRED",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derived_taxpayer_id_is_eighteen_characters_and_stable() {
        let id = derived_taxpayer_id("1900000301");
        assert_eq!(id.len(), 18);
        assert_eq!(id, "914403001900000301");
        assert_eq!(derived_taxpayer_id("1900000301"), id);
    }

    #[test]
    fn optional_seller_fields_are_left_out_of_the_wire_form() {
        let info = SellerInfo::derived("1900000301", "测试商户");
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["seller_information"]["name"], "测试商户");
        assert!(json["seller_information"].get("bank_name").is_none());
        assert_eq!(json["extra_information"]["drawer"], "kabao");
    }
}
