//! The body of `POST /v3/taxi-invoice/cards` (T11) in both published
//! shapes: the official page's (token + appid) and the YAML's older one
//! (trade_number + driver_license + plate_number). The fapiao is the card
//! fapiao the self-issued family inserts too.

use crate::domain::fapiao::card::CardFapiao;
use crate::domain::taxi::RegionId;
use serde::Deserialize;

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
    /// 发票卡券信息 (its buyer_information is required here).
    pub fapiao_card_information: CardFapiao,
}

/// The fapiao as kabao keeps it: buyer type CORPORATION (the taxi YAML's
/// example) stored as ORGANIZATION, as the rest of the family names it.
pub fn normalized(mut card: CardFapiao) -> CardFapiao {
    if let Some(buyer) = card
        .buyer_information
        .as_mut()
        .filter(|b| b.buyer_type == "CORPORATION")
    {
        buyer.buyer_type = "ORGANIZATION".to_owned();
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporation_is_kept_as_organization() {
        let card: CardFapiao = serde_json::from_value(serde_json::json!({
            "fapiao_media_id": "m", "fapiao_number": "1", "fapiao_code": "2",
            "fapiao_time": "2020-07-01T12:00:00+08:00", "check_code": "3", "password": "4",
            "total_amount": 1, "tax_amount": 0, "amount": 1,
            "buyer_information": {"type": "CORPORATION", "name": "测试企业"},
            "seller_information": {"name": "s", "taxpayer_id": "t", "address": "a"},
            "extra_information": {"drawer": "d"}
        }))
        .unwrap();
        assert_eq!(
            normalized(card).buyer_information.unwrap().buyer_type,
            "ORGANIZATION"
        );
    }
}
