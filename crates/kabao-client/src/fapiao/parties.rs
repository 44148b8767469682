//! The parts every fapiao body shares: buyer, seller, the people on the
//! face, a fully priced line, and paging links.

use super::enums::{BuyerType, FapiaoBillType, TaxPreferMark};
use serde::{Deserialize, Serialize};

/// 购买方信息. `phone` and `email` are plaintext here: the SDK encrypts them
/// on the way out and decrypts them on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerInformation {
    /// A person or an organisation.
    #[serde(rename = "type")]
    pub buyer_type: BuyerType,
    /// The title (name of the person or organisation).
    pub name: String,
    /// Taxpayer id (organisations).
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
    /// Mobile phone (sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Email (sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Amount the title was asked for, in fen (数电, insert-cards).
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

impl BuyerInformation {
    /// A buyer with only its type and name.
    pub fn new(buyer_type: BuyerType, name: impl Into<String>) -> Self {
        Self {
            buyer_type,
            name: name.into(),
            taxpayer_id: None,
            address: None,
            telephone: None,
            bank_name: None,
            bank_account: None,
            phone: None,
            email: None,
            amount: None,
            out_trade_no: None,
            fapiao_bill_type: None,
            user_apply_message: None,
        }
    }
}

/// 销售方信息.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SellerInformation {
    /// Company name.
    pub name: String,
    /// Taxpayer id.
    pub taxpayer_id: String,
    /// Address.
    pub address: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// Bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// Bank account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
}

/// The people on the fapiao face.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExtraInformation {
    /// 收款人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// 复核人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// 开票人 (required).
    pub drawer: String,
}

/// A fully priced line (query answers, self-issued and taxi fapiao).
/// `quantity` is in 1e-8 units, `unit_price` in 1e-6 fen, `tax_rate` in
/// 1/10000, amounts in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoLine {
    /// 税收分类编码.
    pub tax_code: String,
    /// Goods or service name.
    pub goods_name: String,
    /// 规格型号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Quantity × 10^8.
    pub quantity: i64,
    /// Unit price in 10^-6 fen.
    pub unit_price: i64,
    /// Amount before tax (fen).
    pub amount: i64,
    /// Tax (fen).
    pub tax_amount: i64,
    /// Amount with tax (fen).
    pub total_amount: i64,
    /// Rate in 1/10000 (1300 = 13 %).
    pub tax_rate: i64,
    /// VAT treatment.
    pub tax_prefer_mark: TaxPreferMark,
    /// A discount line.
    pub discount: bool,
}

/// Paging links of a paged answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Links {
    /// The next page's target, absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The previous page's target, absent on the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// This page's target.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub this: Option<String>,
}
