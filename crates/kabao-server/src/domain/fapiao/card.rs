//! A fapiao whose issuer states every amount, as the calls that put one
//! into a user's card package take it: self-issued insert-cards (F20) and
//! taxi cards (T11). One shape, and one set of rules for what the amounts
//! must satisfy: each line's tax_prefer_mark, amount + tax_amount =
//! total_amount, amount = unit_price (1e-6 fen) × quantity (1e-8) ± 1 fen,
//! and the header totals against the sums of the lines. Errors name the
//! field path relative to the fapiao.

use super::request::{integral, BuyerInformation};
use super::rules::LineFacts;
use super::setup::{ExtraInformation, SellerInformation, TAX_PREFER_MARKS};
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 10^14: `amount (fen) = unit_price (1e-6 fen) × quantity (1e-8) / 10^14`.
pub const PRICE_SCALE: i128 = 100_000_000_000_000;

/// The rounding an issuer's own system may differ by, in fen.
const ROUNDING_FEN: i128 = 1;

/// One fapiao to put into a card package. The same struct serialises the
/// stored fapiao, so what was accepted is what is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardFapiao {
    /// The uploaded file.
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
    /// 价税合计, fen.
    #[serde(deserialize_with = "integral")]
    pub total_amount: i64,
    /// 税额, fen.
    #[serde(deserialize_with = "integral")]
    pub tax_amount: i64,
    /// 金额, fen.
    #[serde(deserialize_with = "integral")]
    pub amount: i64,
    /// 购买方信息: each taxi card carries its own (required there); F20
    /// names the buyer once for the whole call instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_information: Option<BuyerInformation>,
    /// 销售方信息.
    pub seller_information: SellerInformation,
    /// 附加信息.
    pub extra_information: ExtraInformation,
    /// 发票行 (F20 requires lines; a taxi card may have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<CardItem>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// One line; the issuer supplies every amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardItem {
    /// 税收分类编码.
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

impl CardFapiao {
    /// `fapiao_time` is an RFC 3339 time.
    pub fn check_time(&self) -> Result<(), FieldError> {
        if OffsetDateTime::parse(&self.fapiao_time, &Rfc3339).is_ok() {
            return Ok(());
        }
        Err(FieldError::new(
            "fapiao_time",
            format!(
                "{} is not an RFC 3339 time such as 2020-07-01T12:00:00+08:00",
                self.fapiao_time
            ),
        ))
    }

    /// The header's amount + tax_amount = total_amount.
    pub fn check_header_total(&self) -> Result<(), FieldError> {
        amount_plus_tax(self.amount, self.tax_amount, self.total_amount)
    }

    /// What the structural line rules ([`super::rules::check_lines`]) read.
    pub fn line_facts(&self) -> Vec<LineFacts> {
        self.items
            .iter()
            .map(|i| LineFacts {
                tax_code: i.tax_code.clone(),
                tax_rate: i.tax_rate,
                total_amount: i.total_amount,
                discount: i.discount,
            })
            .collect()
    }

    /// Each header total (total_amount, amount, tax_amount, in that order)
    /// that is not the sum of the lines'.
    pub fn header_differences(&self) -> Vec<FieldError> {
        let sum = |f: fn(&CardItem) -> i64| self.items.iter().map(f).sum::<i64>();
        [
            ("total_amount", self.total_amount, sum(|i| i.total_amount)),
            ("amount", self.amount, sum(|i| i.amount)),
            ("tax_amount", self.tax_amount, sum(|i| i.tax_amount)),
        ]
        .into_iter()
        .filter(|(_, declared, sum)| declared != sum)
        .map(|(field, declared, sum)| {
            FieldError::new(
                field,
                format!("is {declared} but the lines' {field} add up to {sum}"),
            )
        })
        .collect()
    }
}

impl CardItem {
    /// The line's own arithmetic: a known tax_prefer_mark, amount +
    /// tax_amount = total_amount, and on a line that is not a discount a
    /// positive quantity and amount = unit_price × quantity (± 1 fen).
    pub fn check_amounts(&self) -> Result<(), FieldError> {
        if !TAX_PREFER_MARKS.contains(&self.tax_prefer_mark.as_str()) {
            return Err(FieldError::new(
                "tax_prefer_mark",
                format!(
                    "{} is not one of {}",
                    self.tax_prefer_mark,
                    TAX_PREFER_MARKS.join(", ")
                ),
            ));
        }
        amount_plus_tax(self.amount, self.tax_amount, self.total_amount)?;
        if self.discount {
            return Ok(());
        }
        if self.quantity <= 0 {
            return Err(FieldError::new(
                "quantity",
                "must be positive (1e-8 units: 100000000 = 1)",
            ));
        }
        if self.unit_price < 0 {
            return Err(FieldError::new(
                "unit_price",
                "must not be negative (1e-6 fen: 100000000 = 1 yuan)",
            ));
        }
        let expected = i128::from(self.unit_price) * i128::from(self.quantity);
        let given = i128::from(self.amount) * PRICE_SCALE;
        if (expected - given).abs() > ROUNDING_FEN * PRICE_SCALE {
            return Err(FieldError::new(
                "amount",
                format!(
                    "is {} fen but unit_price {} × quantity {} / 10^14 = {:.2} fen (±1 fen allowed)",
                    self.amount,
                    self.unit_price,
                    self.quantity,
                    expected as f64 / PRICE_SCALE as f64
                ),
            ));
        }
        Ok(())
    }
}

/// `total_amount` is `amount` + `tax_amount`.
fn amount_plus_tax(amount: i64, tax_amount: i64, total_amount: i64) -> Result<(), FieldError> {
    if amount + tax_amount == total_amount {
        return Ok(());
    }
    Err(FieldError::new(
        "total_amount",
        format!(
            "is {total_amount} but amount {amount} + tax_amount {tax_amount} = {}",
            amount + tax_amount
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> CardItem {
        serde_json::from_value(serde_json::json!({
            "tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务",
            "quantity": 100000000, "unit_price": 380442000000i64, "amount": 380442,
            "tax_amount": 49458, "total_amount": 429900, "tax_rate": 1300.0,
            "tax_prefer_mark": "NO_FAVORABLE", "discount": false
        }))
        .unwrap()
    }

    #[test]
    fn the_official_line_adds_up_and_one_fen_of_rounding_is_allowed() {
        let mut item = line();
        assert_eq!(item.tax_rate, 1300, "a whole float is read as an integer");
        assert_eq!(item.check_amounts(), Ok(()));
        item.unit_price = 380_441_000_000;
        assert_eq!(item.check_amounts(), Ok(()));
        item.unit_price = 380_440_000_000;
        assert_eq!(item.check_amounts().unwrap_err().field, "amount");
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        type Break = fn(&mut CardItem);
        let cases: [(Break, &str); 4] = [
            (|i| i.tax_prefer_mark = "FREE".into(), "tax_prefer_mark"),
            (|i| i.tax_amount += 1, "total_amount"),
            (|i| i.quantity = 0, "quantity"),
            (|i| i.unit_price = -1, "unit_price"),
        ];
        for (break_it, field) in cases {
            let mut item = line();
            break_it(&mut item);
            assert_eq!(item.check_amounts().unwrap_err().field, field);
        }
        let mut discount = line();
        discount.discount = true;
        discount.quantity = 0;
        assert_eq!(
            discount.check_amounts(),
            Ok(()),
            "no price rule on a discount"
        );
    }
}
