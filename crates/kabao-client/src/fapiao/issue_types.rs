//! Bodies of the issuing endpoints: the classic application (F10) and the
//! 数电 variants (F11–F14) with their industry blocks.

use super::enums::{FapiaoBillType, Scene, TaxPreferMark};
use super::parties::BuyerInformation;
use serde::{Deserialize, Serialize};

/// fapiao-applications (F10) body: up to five fapiao for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoApplication {
    /// For a service provider: the sub-merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// With or without a WeChat Pay payment.
    pub scene: Scene,
    /// The transaction id (WITH_WECHATPAY) or the title-url id (WITHOUT).
    pub fapiao_apply_id: String,
    /// The buyer (`phone`/`email` plaintext; the SDK encrypts them).
    pub buyer_information: BuyerInformation,
    /// The fapiao to issue.
    pub fapiao_information: Vec<ApplicationFapiao>,
}

/// One fapiao of a classic application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFapiao {
    /// The merchant's id of this fapiao, unique in the application.
    pub fapiao_id: String,
    /// Σ of the lines' `total_amount`, in fen.
    pub total_amount: i64,
    /// Issue as a list (清单) fapiao.
    pub need_list: bool,
    /// Remark on the face.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The lines.
    pub items: Vec<IssueItem>,
}

/// A line of a classic application: WeChat Pay computes amount and tax
/// from `total_amount` and `tax_rate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueItem {
    /// 税收分类编码 (one of the merchant's tax codes).
    pub tax_code: String,
    /// The tax bureau's category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_category: Option<String>,
    /// Goods or service name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_name: Option<String>,
    /// The merchant's goods id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_id: Option<i64>,
    /// 规格型号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// Unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Quantity × 10^8.
    pub quantity: i64,
    /// Amount with tax, in fen (negative for a discount line).
    pub total_amount: i64,
    /// Rate in 1/10000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate: Option<i64>,
    /// VAT treatment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_prefer_mark: Option<TaxPreferMark>,
    /// A discount line (directly after the line it discounts).
    pub discount: bool,
}

/// issue-general / issue-passenger-transport / issue-refined-oil /
/// real-estate-leasing (F11–F14) body: one 数电 fapiao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalApplication {
    /// The sub-merchant.
    pub sub_mchid: String,
    /// The application id.
    pub fapiao_apply_id: String,
    /// The buyer (`phone`/`email` plaintext; the SDK encrypts them).
    pub buyer_information: BuyerInformation,
    /// The fapiao.
    pub fapiao_information: DigitalFapiao,
}

/// The 数电 fapiao of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalFapiao {
    /// The merchant's id of this fapiao (new for each retry after a failure).
    pub fapiao_id: String,
    /// Σ of the lines, in fen.
    pub total_amount: i64,
    /// Issue as a list (清单) fapiao (issue-general lists it as required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_list: Option<bool>,
    /// The lines.
    pub items: Vec<DigitalItem>,
    /// 出口业务适用政策代码 (1–3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_business_policy_code: Option<i64>,
    /// 增值税退(免)税办法代码 (1–12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_refund_levy_code: Option<i64>,
    /// The drawer's id (check-status `billing_person_info.id`).
    pub billing_person_id: String,
    /// The drawer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_person: Option<String>,
    /// 普票 or 专票.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_bill_type: Option<FapiaoBillType>,
    /// The payments the fapiao covers (they must exist).
    pub transaction_information: Vec<TransactionInformation>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// A 数电 line, with its industry block when the endpoint needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalItem {
    /// 税收分类编码.
    pub tax_code: String,
    /// Goods or service name.
    pub goods_name: String,
    /// 规格型号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// Unit (`TON`/`LETER` for refined oil).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Quantity × 10^8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// Amount with tax, in fen.
    pub total_amount: i64,
    /// Rate in 1/10000.
    pub tax_rate: i64,
    /// A discount line.
    pub discount: bool,
    /// 优惠政策 (1–18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferential_policy_code: Option<i64>,
    /// Passenger transport (issue-passenger-transport).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passenger_information: Option<PassengerInformation>,
    /// Refined oil (issue-refined-oil).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refined_oil_information: Option<RefinedOilInformation>,
    /// Real-estate leasing (real-estate-leasing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_estate_leasing_information: Option<RealEstateLeasingInformation>,
}

/// The traveller of a passenger-transport line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassengerInformation {
    /// Name.
    pub name: String,
    /// `IDENTITY_CARD`, `PASSPORT`, … (14 values).
    pub certificate_type: String,
    /// The certificate number, plaintext (the SDK encrypts it).
    pub certificate_number: String,
    /// RFC 3339 departure.
    pub departure_date: String,
    /// From.
    pub departure_place: String,
    /// To.
    pub destination: String,
    /// `LONG_DISTANCE_BUS`, `PUBLIC_TRANSPORTATION`, `CAR`, `SHIP`, `OTHER_TRANSPORTATION`.
    pub transportation_type: String,
    /// Ship cabin class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transportation_classes: Option<String>,
}

/// The sale of a refined-oil line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefinedOilInformation {
    /// The station.
    pub station: String,
    /// RFC 3339 time of the sale.
    pub trade_time: String,
    /// The pump.
    pub gun_number: String,
}

/// The property of a real-estate-leasing line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealEstateLeasingInformation {
    /// Province.
    pub province: String,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Address.
    pub address: String,
    /// RFC 3339 start of the lease.
    pub lease_period_start: String,
    /// RFC 3339 end of the lease.
    pub lease_period_end: String,
    /// Whether the property is in another city.
    pub cross_city_flag: bool,
    /// Property certificate number, plaintext (the SDK encrypts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_no: Option<String>,
    /// Plate numbers (parking spaces).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plate_no: Vec<String>,
}

/// A payment a 数电 fapiao covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionInformation {
    /// `WECHAT_PAY`.
    pub pay_channel: String,
    /// The WeChat Pay transaction id.
    pub transaction_id: String,
    /// The merchant's order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// Amount in fen.
    pub amount: i64,
}
