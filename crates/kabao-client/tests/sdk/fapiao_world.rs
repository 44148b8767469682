//! kabao with the fapiao merchants provisioned: a direct merchant, a service
//! provider with one sub-merchant, SDK clients for both, and a callback
//! receiver parsing with the SDK (`/direct`, `/provider`).

use crate::common::{eventually, Kabao, Merchant};
use crate::receiver::Receiver;
use kabao_client::fapiao::*;
use kabao_client::WechatPay;
use reqwest::Method;
use serde_json::json;

pub const DIRECT: &str = "1900000301";
pub const PROVIDER: &str = "1900000302";
pub const SUB: &str = "1900000303";
/// The card package app of templates and orders.
pub const CARD_APPID: &str = "wxb1170446a4c0a5a2";
/// The payer of the orders.
pub const PAYER: &str = "oC11eFapiaoPayer000000000001";
/// The 13 % tax code of the official example.
pub const TAX_CODE: &str = "3010101020203000000";

pub struct FapiaoWorld {
    pub k: Kabao,
    pub direct: WechatPay,
    pub provider: WechatPay,
    pub direct_merchant: Merchant,
    pub receiver: Receiver,
}

impl FapiaoWorld {
    pub async fn start() -> Self {
        let k = Kabao::start().await;
        let receiver = Receiver::start().await;
        let direct_merchant = k
            .merchant(
                DIRECT,
                json!({"kind": "direct", "callback_url": format!("{}/direct", receiver.base_url)}),
            )
            .await;
        let provider = k
            .merchant(
                PROVIDER,
                json!({"kind": "service_provider", "callback_url": format!("{}/provider", receiver.base_url)}),
            )
            .await;
        k.sub_merchant(SUB, PROVIDER).await;
        receiver.mount("direct", k.pay(&direct_merchant));
        receiver.mount("provider", k.pay(&provider));
        Self {
            direct: k.pay(&direct_merchant),
            provider: k.pay(&provider),
            direct_merchant,
            k,
            receiver,
        }
    }

    /// F7 for `pay` (for its `sub`).
    pub async fn card_template(&self, pay: &WechatPay, sub: Option<&str>) -> CardTemplate {
        pay.fapiao()
            .create_card_template(&CardTemplateRequest {
                sub_mchid: sub.map(str::to_owned),
                card_appid: CARD_APPID.into(),
                card_template_information: CardTemplateInformation {
                    payee_name: Some("测试商户".into()),
                    logo_url: "http://mmbiz.qpic.cn/mmbiz/logo/0".into(),
                    custom_cell: Some(CustomCell {
                        words: "电子发票".into(),
                        description: "查看发票".into(),
                        jump_url: Some("https://example.com/fapiao".into()),
                        ..Default::default()
                    }),
                },
            })
            .await
            .unwrap()
    }

    /// A paid order of `owner` by [`PAYER`] (control API); its transaction id.
    pub async fn paid_order(&self, owner: &str, amount: i64) -> String {
        let order = self
            .k
            .admin_ok(
                Method::POST,
                "/fapiao/pay-orders",
                Some(
                    json!({"mchid": owner, "appid": CARD_APPID, "openid": PAYER, "amount": amount}),
                ),
            )
            .await;
        order["transaction_id"].as_str().unwrap().to_owned()
    }

    /// Polls F15 until every fapiao has `status` and `card_status`.
    pub async fn reaches(
        &self,
        pay: &WechatPay,
        apply_id: &str,
        sub: Option<&str>,
        status: FapiaoStatus,
        card_status: Option<CardStatus>,
    ) -> ApplicationStatus {
        eventually(&format!("{apply_id} reaching {status}"), || async {
            let now = pay.fapiao().application(apply_id, sub, None).await.unwrap();
            let done = now.fapiao_information.iter().all(|f| {
                f.status == status
                    && f.card_information.as_ref().map(|c| c.card_status.clone()) == card_status
            });
            done.then_some(now)
        })
        .await
    }
}

/// One 13 % line of `total` fen, tax included.
pub fn line(total: i64) -> IssueItem {
    IssueItem {
        tax_code: TAX_CODE.into(),
        goods_category: None,
        goods_name: Some("出租汽车客运服务".into()),
        goods_id: None,
        specification: None,
        unit: Some("次".into()),
        quantity: 100_000_000,
        total_amount: total,
        tax_rate: Some(1300),
        tax_prefer_mark: Some(TaxPreferMark::NoFavorable),
        discount: false,
    }
}

/// A fapiao `id` with `lines`, its total their sum.
pub fn fapiao(id: &str, lines: Vec<IssueItem>) -> ApplicationFapiao {
    ApplicationFapiao {
        fapiao_id: id.into(),
        total_amount: lines.iter().map(|l| l.total_amount).sum(),
        need_list: false,
        remark: Some("备注".into()),
        items: lines,
    }
}
