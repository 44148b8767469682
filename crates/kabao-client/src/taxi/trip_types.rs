//! Bodies of the trip endpoints (T8–T11): a passenger's trip orders, the
//! fapiao file upload, and the card insert in both published shapes.

use crate::fapiao::{BuyerInformation, ExtraInformation, FapiaoLine, Links, SellerInformation};
use serde::{Deserialize, Serialize};

/// user-taxi-orders (T8) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripOrdersQuery {
    /// The passenger.
    pub openid: String,
    /// The passenger's app.
    pub appid: String,
    /// First day, `yyyyMMdd` (at most half a year back).
    pub begin_date: String,
    /// Last day, `yyyyMMdd`.
    pub end_date: String,
    /// Region.
    pub region_id: i64,
    /// Page size.
    pub limit: Option<i64>,
    /// First row.
    pub offset: Option<i64>,
}

/// user-taxi-orders (T8) page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripOrdersPage {
    /// The trips, newest first.
    pub data: Vec<TripOrder>,
    /// First row of this page.
    pub offset: i64,
    /// Page size.
    pub limit: i64,
    /// Trips matching.
    pub total_count: i64,
    /// Neighbouring pages.
    #[serde(default)]
    pub links: Links,
}

/// One trip order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripOrder {
    /// The taxi.
    pub plate_number: String,
    /// The driver.
    pub driver_license: String,
    /// RFC 3339 time the passenger got in.
    pub up_time: String,
}

/// find-by-token (T9) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindTripQuery {
    /// The trip token from the payment.
    pub token: String,
    /// The passenger.
    pub openid: String,
    /// The passenger's app.
    pub appid: String,
    /// Region.
    pub region_id: Option<i64>,
    /// e.g. `ORDER_AUTH`.
    pub auth_mode: Option<String>,
}

/// find-by-token (T9) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripOrderDetail {
    /// The taxi.
    pub plate_number: String,
    /// The driver.
    pub driver_license: String,
    /// RFC 3339 time the passenger got in.
    pub up_time: String,
    /// Region.
    pub region_id: i64,
    /// e.g. `SOURCE_PAY`.
    pub source: String,
    /// RFC 3339 payment time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_time: Option<String>,
    /// Fare in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_amount: Option<i64>,
}

/// cards (T11) body. The official page (2024.11.18) names the trip by
/// `token` and requires `appid`; the older YAML shape names it by
/// `trade_number`, `driver_license` and `plate_number`. Set one or the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiCardRequest {
    /// The taxi company.
    pub company_mchid: String,
    /// The trip token (newer shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The passenger's app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// The passenger.
    pub openid: String,
    /// Region.
    pub region_id: i64,
    /// The payment (older shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_number: Option<String>,
    /// The driver (older shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_license: Option<String>,
    /// The taxi (older shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plate_number: Option<String>,
    /// The fapiao.
    pub fapiao_card_information: TaxiFapiaoCard,
}

/// The taxi fapiao to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiFapiaoCard {
    /// From [`crate::taxi::Taxi::upload_file`].
    pub fapiao_media_id: String,
    /// 发票号码.
    pub fapiao_number: String,
    /// 发票代码.
    pub fapiao_code: String,
    /// RFC 3339 issue time.
    pub fapiao_time: String,
    /// 校验码.
    pub check_code: String,
    /// 密码区.
    pub password: String,
    /// Σ of the lines' `total_amount`, in fen.
    pub total_amount: i64,
    /// Σ of the lines' `tax_amount`.
    pub tax_amount: i64,
    /// Σ of the lines' `amount`.
    pub amount: i64,
    /// 购买方.
    pub buyer_information: BuyerInformation,
    /// 销售方.
    pub seller_information: SellerInformation,
    /// The people on the face.
    pub extra_information: ExtraInformation,
    /// The priced lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FapiaoLine>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// cards (T11) answer in the YAML's 200 shape (the official page answers
/// 204 with no body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiCard {
    /// The card package app.
    pub card_appid: String,
    /// The holder.
    pub card_openid: String,
    /// The template.
    pub card_id: String,
    /// The card code.
    pub card_code: String,
}
