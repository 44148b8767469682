//! The insert-cards (F20) body as WeChat documents it. The same structs
//! serialise the stored fapiao face, so F15 shows what the merchant sent.

use crate::domain::fapiao::request::BuyerInformation;
use crate::domain::fapiao::setup::{ExtraInformation, SellerInformation};
use serde::{Deserialize, Serialize};

/// F20 body.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct InsertCardsBody {
    /// The sub-merchant a service provider acts for.
    #[serde(default)]
    pub sub_mchid: Option<String>,
    /// WITH_WECHATPAY or WITHOUT_WECHATPAY.
    pub scene: String,
    /// 购买方信息; phone and email arrive encrypted.
    pub buyer_information: BuyerInformation,
    /// The fapiao to insert, at most five.
    pub fapiao_card_information: Vec<CardFapiao>,
}

/// One self-issued fapiao to insert.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct CardFapiao {
    /// The uploaded file (upload-fapiao-file).
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
    pub total_amount: i64,
    /// 税额, fen.
    pub tax_amount: i64,
    /// 金额, fen.
    pub amount: i64,
    /// 销售方信息.
    pub seller_information: SellerInformation,
    /// 附加信息.
    pub extra_information: ExtraInformation,
    /// 发票行.
    pub items: Vec<CardItem>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// One line of a self-issued fapiao; the merchant supplies every amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct CardItem {
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
    /// 数量, in 1e-8 units.
    pub quantity: i64,
    /// 单价, in 1e-6 fen.
    pub unit_price: i64,
    /// 单行金额 (tax excluded), fen.
    pub amount: i64,
    /// 单行税额, fen.
    pub tax_amount: i64,
    /// 单行金额合计, fen.
    pub total_amount: i64,
    /// 税率, ten-thousandths.
    pub tax_rate: i64,
    /// 税收优惠政策标识.
    pub tax_prefer_mark: String,
    /// 是否折扣行.
    pub discount: bool,
}
