//! The body of `POST /v3/taxi-invoice/cards` (T11) in both published
//! shapes: the official page's (token + appid) and the YAML's older one
//! (trade_number + driver_license + plate_number). The same structs
//! serialise the stored card, so the control API shows what was accepted.

use crate::domain::fapiao::request::BuyerInformation;
use crate::domain::fapiao::setup::{ExtraInformation, SellerInformation};
use crate::domain::taxi::RegionId;
use serde::{Deserialize, Deserializer, Serialize};

/// T11 body. Which fields are required depends on the shape, which
/// [`super::card_rules::check_card_body`] decides.
#[derive(Debug, Clone, Deserialize)]
pub struct TaxiCardBody {
    /// 出租车经营主体商户号.
    pub company_mchid: String,
    /// 获取乘客行程单详情的凭证 (required in the official shape).
    #[serde(default)]
    pub token: Option<String>,
    /// The AppID the user applied under (required in the official shape).
    #[serde(default)]
    pub appid: Option<String>,
    /// The user whose card package receives the card.
    pub openid: String,
    /// 行政区划代码, an integer (a string of digits is accepted too).
    pub region_id: RegionId,
    /// 面对面付款单号 (older shape): the ride's transaction_id.
    #[serde(default)]
    pub trade_number: Option<String>,
    /// 营运资格证号 (older shape).
    #[serde(default)]
    pub driver_license: Option<String>,
    /// 车牌号 (older shape).
    #[serde(default)]
    pub plate_number: Option<String>,
    /// 发票卡券信息.
    pub fapiao_card_information: TaxiFapiaoCard,
}

/// `fapiao_card_information`: the fapiao the provider issued for the trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiFapiaoCard {
    /// The uploaded file (T10).
    pub fapiao_media_id: String,
    /// 发票号码.
    pub fapiao_number: String,
    /// 发票代码.
    pub fapiao_code: String,
    /// 开票时间, RFC 3339.
    pub fapiao_time: String,
    /// 校验码.
    pub check_code: String,
    /// 密码.
    pub password: String,
    /// 总价税合计, fen.
    #[serde(deserialize_with = "integral")]
    pub total_amount: i64,
    /// 总税额, fen.
    #[serde(deserialize_with = "integral")]
    pub tax_amount: i64,
    /// 总金额, fen.
    #[serde(deserialize_with = "integral")]
    pub amount: i64,
    /// 购买方信息 (type INDIVIDUAL, ORGANIZATION, or CORPORATION read as ORGANIZATION).
    pub buyer_information: BuyerInformation,
    /// 销售方信息.
    pub seller_information: SellerInformation,
    /// 附加信息.
    pub extra_information: ExtraInformation,
    /// 发票行 (optional; an empty list counts as none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<TaxiCardItem>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// One line of a taxi fapiao; the provider supplies every amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiCardItem {
    /// 货物或应税劳务、服务编码.
    pub tax_code: String,
    /// 货物或应税劳务、服务名称.
    pub goods_name: String,
    /// 规格型号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// 单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// 数量, in 1e-8 units (100000000 = 1).
    #[serde(deserialize_with = "integral")]
    pub quantity: i64,
    /// 单价, in 1e-6 fen (100000000 = 1 yuan).
    #[serde(deserialize_with = "integral")]
    pub unit_price: i64,
    /// 单行金额 (tax excluded), fen.
    #[serde(deserialize_with = "integral")]
    pub amount: i64,
    /// 单行税额, fen.
    #[serde(deserialize_with = "integral")]
    pub tax_amount: i64,
    /// 单行金额合计, fen.
    #[serde(deserialize_with = "integral")]
    pub total_amount: i64,
    /// 税率 in ten-thousandths (1300 = 13 %).
    #[serde(deserialize_with = "integral")]
    pub tax_rate: i64,
    /// 税收优惠政策标识.
    pub tax_prefer_mark: String,
    /// 是否折扣行 (it follows the line it discounts).
    pub discount: bool,
}

impl TaxiFapiaoCard {
    /// The card as kabao keeps it: buyer type CORPORATION (the taxi
    /// YAML's example) stored as ORGANIZATION, as the rest of the family
    /// names it.
    pub fn normalized(mut self) -> Self {
        if self.buyer_information.buyer_type == "CORPORATION" {
            self.buyer_information.buyer_type = "ORGANIZATION".to_owned();
        }
        self
    }
}

/// An integral JSON number written as `1300` or `1300.0`.
pub fn integral<'de, D: Deserializer<'de>>(de: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(de)?;
    whole(&n).ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number")))
}

fn whole(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporation_is_kept_as_organization() {
        let card: TaxiFapiaoCard = serde_json::from_value(serde_json::json!({
            "fapiao_media_id": "m", "fapiao_number": "1", "fapiao_code": "2",
            "fapiao_time": "2020-07-01T12:00:00+08:00", "check_code": "3", "password": "4",
            "total_amount": 1, "tax_amount": 0, "amount": 1,
            "buyer_information": {"type": "CORPORATION", "name": "测试企业"},
            "seller_information": {"name": "s", "taxpayer_id": "t", "address": "a"},
            "extra_information": {"drawer": "d"}
        }))
        .unwrap();
        assert_eq!(
            card.normalized().buyer_information.buyer_type,
            "ORGANIZATION"
        );
    }
}
