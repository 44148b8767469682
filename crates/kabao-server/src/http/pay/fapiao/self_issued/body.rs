//! The insert-cards (F20) body as WeChat documents it. Each fapiao is the
//! card fapiao the taxi family inserts too ([`CardFapiao`]).

use crate::domain::fapiao::card::CardFapiao;
use crate::domain::fapiao::request::BuyerInformation;
use serde::Deserialize;

/// F20 body.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct InsertCardsBody {
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
