//! Wire bodies of the issuing calls: fapiao-applications (classic, F10) and
//! the 数电 issue-* variants (F11–F14). Field names are WeChat's; sensitive
//! fields (phone, email, certificate numbers) arrive encrypted and are
//! replaced by their plaintext before anything is stored.

use serde::{Deserialize, Deserializer, Serialize};

/// 购买方信息 (the invoice title), as sent and as stored (plaintext): the
/// buyer of issuing and insert-cards bodies, the title a person fills in
/// behind a title-url link (bill type always set, no amount or order) and
/// the user-title answer (with amount and order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerInformation {
    /// INDIVIDUAL or ORGANIZATION.
    #[serde(rename = "type")]
    pub buyer_type: String,
    /// 名称.
    pub name: String,
    /// 纳税人识别号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_id: Option<String>,
    /// 地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// 电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// 开户银行.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// 银行账号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// 手机号 (encrypted on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 邮箱 (encrypted on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 数电: 交易金额.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// 数电: 商户订单号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// 数电: COMM_FAPIAO or VAT_FAPIAO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fapiao_bill_type: Option<String>,
    /// 数电: 用户备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_apply_message: Option<String>,
}

impl BuyerInformation {
    /// The first title field (type, name, taxpayer id, address, telephone,
    /// bank, account) in which `self` differs from `title`, ignoring
    /// surrounding spaces: its name, `self`'s value and the title's value.
    pub fn first_difference_from<'a>(
        &'a self,
        title: &'a BuyerInformation,
    ) -> Option<(&'static str, &'a str, &'a str)> {
        let fields = |b: &'a BuyerInformation| {
            [
                ("type", Some(b.buyer_type.as_str())),
                ("name", Some(b.name.as_str())),
                ("taxpayer_id", b.taxpayer_id.as_deref()),
                ("address", b.address.as_deref()),
                ("telephone", b.telephone.as_deref()),
                ("bank_name", b.bank_name.as_deref()),
                ("bank_account", b.bank_account.as_deref()),
            ]
        };
        fields(self)
            .into_iter()
            .zip(fields(title))
            .map(|((name, ours), (_, theirs))| {
                (name, ours.unwrap_or("").trim(), theirs.unwrap_or("").trim())
            })
            .find(|(_, ours, theirs)| ours != theirs)
    }
}

/// F10 body.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassicApplicationBody {
    /// The sub-merchant a service provider acts for.
    #[serde(default)]
    pub sub_mchid: Option<String>,
    /// WITH_WECHATPAY or WITHOUT_WECHATPAY.
    pub scene: String,
    /// 发票申请单号.
    pub fapiao_apply_id: String,
    /// The title.
    pub buyer_information: BuyerInformation,
    /// 1 to 5 fapiao.
    pub fapiao_information: Vec<ClassicFapiaoBody>,
}

/// One fapiao of an F10 body.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassicFapiaoBody {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// Tax-included total in fen.
    pub total_amount: i64,
    /// Issue as a list (清单) fapiao.
    pub need_list: bool,
    /// 备注.
    #[serde(default)]
    pub remark: Option<String>,
    /// The lines.
    pub items: Vec<ClassicItemBody>,
}

/// One line of an F10 fapiao; rate and mark default to the tax-code table's.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassicItemBody {
    /// 税收分类编码.
    pub tax_code: String,
    /// 商品类别.
    #[serde(default)]
    pub goods_category: Option<String>,
    /// 商品名称.
    #[serde(default)]
    pub goods_name: Option<String>,
    /// 商品编号.
    #[serde(default)]
    pub goods_id: Option<i64>,
    /// 规格型号.
    #[serde(default)]
    pub specification: Option<String>,
    /// 单位.
    #[serde(default)]
    pub unit: Option<String>,
    /// Quantity in 1e-8 units.
    pub quantity: i64,
    /// Tax-included total in fen.
    pub total_amount: i64,
    /// Rate in ten-thousandths (1300 or 1300.0).
    #[serde(default, deserialize_with = "optional_integral")]
    pub tax_rate: Option<i64>,
    /// NO_FAVORABLE, OUTSIDE_VAT, VAT_EXEMPT, NORMAL_ZERO_RATED, EXPORT_ZERO_RATED.
    #[serde(default)]
    pub tax_prefer_mark: Option<String>,
    /// A discount line.
    pub discount: bool,
}

/// F11–F14 body: one fapiao per call.
#[derive(Debug, Clone, Deserialize)]
pub struct DigitalApplicationBody {
    /// The sub-merchant (required by WeChat; a direct merchant may name itself).
    #[serde(default)]
    pub sub_mchid: Option<String>,
    /// 发票申请单号.
    pub fapiao_apply_id: String,
    /// The title.
    pub buyer_information: BuyerInformation,
    /// The one fapiao.
    pub fapiao_information: DigitalFapiaoBody,
}

/// The fapiao of a 数电 body.
#[derive(Debug, Clone, Deserialize)]
pub struct DigitalFapiaoBody {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// Tax-included total in fen.
    pub total_amount: i64,
    /// Issue as a list fapiao (documented as required by issue-general only).
    #[serde(default)]
    pub need_list: Option<bool>,
    /// The lines.
    pub items: Vec<DigitalItemBody>,
    /// 出口业务适用政策代码.
    #[serde(default)]
    pub export_business_policy_code: Option<i64>,
    /// 增值税退(免)税方法代码.
    #[serde(default)]
    pub vat_refund_levy_code: Option<i64>,
    /// 开票人 id.
    pub billing_person_id: String,
    /// 开票人.
    #[serde(default)]
    pub billing_person: Option<String>,
    /// COMM_FAPIAO or VAT_FAPIAO.
    pub fapiao_bill_type: String,
    /// The payments the fapiao is for.
    pub transaction_information: Vec<TransactionInformation>,
    /// 备注.
    #[serde(default)]
    pub remark: Option<String>,
}

/// One payment a 数电 fapiao is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransactionInformation {
    /// WECHAT_PAY.
    pub pay_channel: String,
    /// The WeChat Pay transaction id.
    pub transaction_id: String,
    /// 商户订单号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// Amount in fen.
    pub amount: i64,
}

/// One line of a 数电 fapiao, with its industry block when the variant has one.
#[derive(Debug, Clone, Deserialize)]
pub struct DigitalItemBody {
    /// 税收分类编码.
    pub tax_code: String,
    /// 商品名称.
    pub goods_name: String,
    /// 规格型号.
    #[serde(default)]
    pub specification: Option<String>,
    /// 单位.
    #[serde(default)]
    pub unit: Option<String>,
    /// Quantity in 1e-8 units.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Tax-included total in fen.
    pub total_amount: i64,
    /// Rate in ten-thousandths.
    #[serde(deserialize_with = "integral")]
    pub tax_rate: i64,
    /// A discount line.
    pub discount: bool,
    /// 优惠政策代码 1..18.
    #[serde(default)]
    pub preferential_policy_code: Option<i64>,
    /// issue-passenger-transport's block.
    #[serde(default)]
    pub passenger_information: Option<PassengerInformation>,
    /// issue-refined-oil's block.
    #[serde(default)]
    pub refined_oil_information: Option<RefinedOilInformation>,
    /// real-estate-leasing's block.
    #[serde(default)]
    pub real_estate_leasing_information: Option<RealEstateLeasingInformation>,
}

/// issue-passenger-transport's per-line block (出行人信息), typed so that a
/// missing or mistyped field is refused naming its path.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PassengerInformation {
    /// 出行人名称.
    pub name: String,
    /// IDENTITY_CARD, PASSPORT, … (14 values).
    pub certificate_type: String,
    /// 证件号码 (encrypted on the wire).
    pub certificate_number: String,
    /// 出行日期.
    pub departure_date: String,
    /// 出发地.
    pub departure_place: String,
    /// 目的地.
    pub destination: String,
    /// LONG_DISTANCE_BUS, PUBLIC_TRANSPORTATION, CAR, SHIP, OTHER_TRANSPORTATION.
    pub transportation_type: String,
    /// Ship cabin class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transportation_classes: Option<String>,
}

/// issue-refined-oil's per-line block (成品油信息).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefinedOilInformation {
    /// 加油站.
    pub station: String,
    /// 交易时间 (RFC 3339).
    pub trade_time: String,
    /// 油枪号.
    pub gun_number: String,
}

/// real-estate-leasing's per-line block (不动产租赁信息).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RealEstateLeasingInformation {
    /// 省份.
    pub province: String,
    /// 城市.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// 详细地址.
    pub address: String,
    /// 租赁期起 (RFC 3339).
    pub lease_period_start: String,
    /// 租赁期止 (RFC 3339).
    pub lease_period_end: String,
    /// 跨地市标志.
    pub cross_city_flag: bool,
    /// 产权证书编号 (encrypted on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_no: Option<String>,
    /// 车牌号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plate_no: Option<Vec<String>>,
}

/// An integral JSON number written as `1300` or `1300.0` (some SDKs send
/// whole numbers as floats).
pub fn integral<'de, D: Deserializer<'de>>(de: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(de)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a whole number")))
}

fn optional_integral<'de, D: Deserializer<'de>>(de: D) -> Result<Option<i64>, D::Error> {
    integral(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tax_rate_may_be_written_as_a_float_with_no_fraction() {
        let item: DigitalItemBody = serde_json::from_str(
            r#"{"tax_code":"1","goods_name":"x","total_amount":1,"tax_rate":1300.0,"discount":false}"#,
        )
        .unwrap();
        assert_eq!(item.tax_rate, 1300);
        assert!(serde_json::from_str::<DigitalItemBody>(
            r#"{"tax_code":"1","goods_name":"x","total_amount":1,"tax_rate":13.5,"discount":false}"#,
        )
        .is_err());
    }
}
