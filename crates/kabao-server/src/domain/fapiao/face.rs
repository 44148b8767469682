//! What kabao stores about an application and each of its fapiao: the kind
//! of issuing call, the printed face (lines with computed amounts), the
//! card it goes into, and how the control API decides its outcome.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which call created an application (`fapiao_applications.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationKind {
    /// fapiao-applications (classic tax-control fapiao).
    Classic,
    /// issue-general (数电).
    General,
    /// issue-passenger-transport (数电).
    PassengerTransport,
    /// issue-refined-oil (数电).
    RefinedOil,
    /// real-estate-leasing (数电).
    RealEstateLeasing,
    /// insert-cards (the merchant issued the fapiao itself).
    SelfIssued,
}

impl ApplicationKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "CLASSIC",
            Self::General => "GENERAL",
            Self::PassengerTransport => "PASSENGER_TRANSPORT",
            Self::RefinedOil => "REFINED_OIL",
            Self::RealEstateLeasing => "REAL_ESTATE_LEASING",
            Self::SelfIssued => "SELF_ISSUED",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Classic,
            Self::General,
            Self::PassengerTransport,
            Self::RefinedOil,
            Self::RealEstateLeasing,
            Self::SelfIssued,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }

    /// 数电 fapiao: the only ones whose issuing or reversal can fail.
    pub fn is_digital(self) -> bool {
        matches!(
            self,
            Self::General | Self::PassengerTransport | Self::RefinedOil | Self::RealEstateLeasing
        )
    }
}

/// One printed line, with amount and tax computed (or, for self-issued
/// fapiao, as given). Serialises as F15's `items[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceItem {
    /// 税收分类编码.
    pub tax_code: String,
    /// 商品名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_name: Option<String>,
    /// 规格型号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// 单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Quantity in 1e-8 units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// Unit price in 1e-6 fen (tax excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<i64>,
    /// 金额 (fen, tax excluded).
    pub amount: i64,
    /// 税额 (fen).
    pub tax_amount: i64,
    /// 价税合计 (fen).
    pub total_amount: i64,
    /// Rate in ten-thousandths.
    pub tax_rate: i64,
    /// 税收优惠标识.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_prefer_mark: Option<String>,
    /// A discount line.
    pub discount: bool,
}

/// The face of one fapiao as issued (`fapiaos.fapiao_json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FapiaoFace {
    /// 销售方 (F3's seller_information).
    pub seller_information: Value,
    /// 开票人/收款人/复核人 (F3's extra_information).
    pub extra_information: Value,
    /// The lines.
    pub items: Vec<FaceItem>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// A list (清单) fapiao.
    #[serde(default)]
    pub need_list: bool,
    /// What a 数电 call added (billing person, bill type, transactions,
    /// industry blocks), kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital: Option<Value>,
}

impl FapiaoFace {
    /// Σ amount, Σ tax_amount and Σ total_amount of the lines.
    pub fn totals(&self) -> (i64, i64, i64) {
        self.items.iter().fold((0, 0, 0), |(a, t, s), i| {
            (a + i.amount, t + i.tax_amount, s + i.total_amount)
        })
    }
}

/// The card a fapiao goes into (`fapiaos.card_json`): the owner's card
/// template and the buyer's openid; `card_code` once inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInformation {
    /// The app of the card package.
    pub card_appid: String,
    /// The user's openid under that app.
    pub card_openid: String,
    /// The card template id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
    /// The card's code in the package, once inserted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_code: Option<String>,
}

/// Unit price in 1e-6 fen from an amount in fen and a quantity in 1e-8
/// units (`amount = unit_price × quantity / 10^14`), rounded half up.
pub fn unit_price(amount: i64, quantity: Option<i64>) -> Option<i64> {
    let quantity = i128::from(quantity.filter(|q| *q > 0)?);
    let scaled = i128::from(amount) * 100_000_000_000_000;
    i64::try_from((2 * scaled + quantity.signum() * quantity) / (2 * quantity)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_price_reproduces_the_reference_example() {
        assert_eq!(
            unit_price(380_442, Some(100_000_000)),
            Some(380_442_000_000)
        );
        assert_eq!(unit_price(100, Some(300_000_000)), Some(33_333_333));
        assert_eq!(unit_price(100, None), None);
    }

    #[test]
    fn kinds_round_trip() {
        for k in [
            "CLASSIC",
            "GENERAL",
            "PASSENGER_TRANSPORT",
            "REFINED_OIL",
            "REAL_ESTATE_LEASING",
            "SELF_ISSUED",
        ] {
            assert_eq!(
                ApplicationKind::parse(k).map(ApplicationKind::as_str),
                Some(k)
            );
        }
        assert!(!ApplicationKind::Classic.is_digital());
        assert!(ApplicationKind::RefinedOil.is_digital());
    }
}
