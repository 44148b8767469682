//! The Official Account invoice flow through the SDK: the platform's
//! s_pappid, template and PDF; the merchant's settings, authorisation link
//! and refusal; the insert (the seed call); reimbursement and the platform's
//! cancel; typed errcodes.

use crate::common::{pdf, Kabao};
use kabao_client::oa::*;
use kabao_client::{ClientError, OfficialAccount};
use reqwest::Method;
use serde_json::json;

pub const PLATFORM: &str = "wxc11e0a0000000001";
pub const MERCHANT: &str = "wxc11e0a0000000002";
pub const ALICE: &str = "oC11eAlice00000000000000000";

/// kabao with an invoicing platform, a merchant (contact set) and Alice.
pub struct OaWorld {
    pub k: Kabao,
    pub platform: OfficialAccount,
    pub merchant: OfficialAccount,
    pub s_pappid: String,
    pub card_id: String,
}

impl OaWorld {
    pub async fn start() -> Self {
        let k = Kabao::start().await;
        let platform = k.oa_app(PLATFORM, "invoicing_platform").await;
        let merchant = k.oa_app(MERCHANT, "merchant").await;
        k.user(MERCHANT, ALICE, Some("uAlice")).await;
        let s_pappid = platform.s_pappid().await.unwrap();
        let card = platform
            .create_card(&CreateCardRequest {
                invoice_info: InvoiceInfo {
                    base_info: InvoiceBaseInfo {
                        logo_url: "https://example.com/logo.png".into(),
                        title: "灌哥开票".into(),
                        custom_url_name: Some("查看".into()),
                        ..Default::default()
                    },
                    payee: "灌哥科技有限公司".into(),
                    invoice_type: "广东省增值税普通发票".into(),
                    detail: Some("测试".into()),
                },
            })
            .await
            .unwrap();
        merchant
            .set_contact(&ContactInfo {
                phone: "13800000000".into(),
                time_out: 7200,
            })
            .await
            .unwrap();
        Self {
            k,
            platform,
            merchant,
            s_pappid,
            card_id: card.card_id,
        }
    }

    /// getauthurl for `order_id` of `auth_type`.
    pub async fn open_order(&self, order_id: &str, auth_type: i64) -> GetAuthUrlResponse {
        let ticket = self.merchant.get_ticket("wx_card").await.unwrap();
        self.merchant
            .get_auth_url(&GetAuthUrlRequest {
                s_pappid: self.s_pappid.clone(),
                order_id: order_id.into(),
                money: 11300,
                timestamp: self.k.now().await,
                source: "web".into(),
                redirect_url: Some("https://example.com/done".into()),
                ticket: ticket.ticket,
                auth_type: Some(auth_type),
            })
            .await
            .unwrap()
    }

    /// Alice authorises `order_id` (the control API plays her part).
    pub async fn authorize(&self, order_id: &str, title: serde_json::Value) {
        let mut body = json!({"appid": MERCHANT, "order_id": order_id, "openid": ALICE});
        body.as_object_mut()
            .unwrap()
            .extend(title.as_object().unwrap().clone());
        self.k
            .admin_ok(Method::POST, "/oa/authorizations", Some(body))
            .await;
    }

    /// An ordinary VAT invoice on `media` numbered `billing_no`.
    pub fn vat(&self, order_id: &str, media: &str, billing_no: &str) -> InsertInvoiceRequest {
        let mut data = invoice_data(
            11300,
            "灌哥科技有限公司",
            1714036504,
            billing_no,
            "044002300111",
            media,
        );
        data.fee_without_tax = Some(10000);
        data.tax = Some(1300);
        data.check_code = Some("12345678901234567890".into());
        data.info = vec![InvoiceItem {
            name: "牙膏".into(),
            num: 2.into(),
            unit: Some("支".into()),
            price: 5650,
        }];
        data.maker = Some("李四".into());
        invoice_request(order_id, &self.card_id, MERCHANT, data)
    }

    /// An authorised, inserted invoice; its card code and chooser code.
    pub async fn inserted(&self, order_id: &str, billing_no: &str) -> (String, String) {
        self.open_order(order_id, 0).await;
        self.authorize(order_id, json!({})).await;
        let media = self
            .platform
            .set_pdf("invoice.pdf", pdf(order_id))
            .await
            .unwrap();
        let answer = self
            .platform
            .insert(&self.vat(order_id, &media.s_media_id, billing_no))
            .await
            .unwrap();
        let cards = self
            .k
            .admin_ok(Method::GET, &format!("/users/{ALICE}/cards"), None)
            .await;
        let card = cards
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == answer.code.as_str())
            .unwrap()
            .clone();
        (
            answer.code,
            card["encrypt_code"].as_str().unwrap().to_owned(),
        )
    }
}

#[tokio::test]
async fn a_type_one_order_is_authorised_and_its_invoice_inserted_with_the_pdf() {
    let w = OaWorld::start().await;
    assert!(w
        .platform
        .set_url()
        .await
        .unwrap()
        .invoice_url
        .contains(&w.s_pappid));
    let contact = w.merchant.get_contact().await.unwrap();
    assert_eq!(
        (contact.phone.as_str(), contact.time_out),
        ("13800000000", 7200)
    );
    let fields = AuthFieldConfig {
        user_field: AuthUserFieldFlags {
            show_title: 1,
            show_phone: 1,
            ..Default::default()
        },
        biz_field: AuthBizFieldFlags {
            show_title: 1,
            show_tax_no: 1,
            ..Default::default()
        },
    };
    w.merchant.set_auth_field(&fields).await.unwrap();
    assert_eq!(w.merchant.get_auth_field().await.unwrap(), fields);
    let bind = PayMchInfo {
        mchid: "1900000109".into(),
        s_pappid: w.s_pappid.clone(),
    };
    w.merchant.set_pay_mch(&bind).await.unwrap();
    assert_eq!(w.merchant.get_pay_mch().await.unwrap(), bind);

    let link = w.open_order("vat-1", 1).await;
    assert!(
        link.auth_url.contains("/_kabao/authorize/"),
        "{}",
        link.auth_url
    );
    let before = w
        .merchant
        .get_auth_data(&GetAuthDataRequest {
            s_pappid: w.s_pappid.clone(),
            order_id: "vat-1".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (before.invoice_status.as_str(), before.auth_time),
        ("never auth", 0)
    );
    w.authorize(
        "vat-1",
        json!({"biz_field": {"title": "灌哥科技有限公司", "tax_no": "91440300MA5EXAMPLE"}}),
    )
    .await;
    let data = w
        .merchant
        .get_auth_data(&GetAuthDataRequest {
            s_pappid: w.s_pappid.clone(),
            order_id: "vat-1".into(),
        })
        .await
        .unwrap();
    assert_eq!(data.invoice_status, "auth success");
    let title = data.user_auth_info.unwrap().biz_field.unwrap();
    assert_eq!(title.tax_no, "91440300MA5EXAMPLE");

    let media = w.platform.set_pdf("vat-1.pdf", pdf("vat-1")).await.unwrap();
    let link = w.platform.get_pdf(&media.s_media_id).await.unwrap();
    assert_eq!(link.pdf_url_expire_time, 7200);
    assert_eq!(w.k.fetch(&link.pdf_url).await, (200, pdf("vat-1")));
    let inserted = w
        .platform
        .insert(&w.vat("vat-1", &media.s_media_id, "12345678"))
        .await
        .unwrap();
    assert_eq!(inserted.openid, ALICE);
    assert_eq!(inserted.unionid.as_deref(), Some("uAlice"));
    assert_eq!(inserted.code.len(), 12);
    let cards =
        w.k.admin_ok(Method::GET, &format!("/users/{ALICE}/cards"), None)
            .await;
    assert_eq!(cards[0]["user_data"]["maker"], "李四");

    // The same order again is a typed errcode.
    let again = w
        .platform
        .insert(&w.vat("vat-1", &media.s_media_id, "12345679"))
        .await;
    let err = again.unwrap_err();
    let oa = err.as_oa().expect("an OA error");
    assert_eq!(oa.code(), Some(OaErrcode::DuplicateOrderId), "{oa}");
}

#[tokio::test]
async fn a_refused_order_and_a_never_authorised_one_cannot_be_inserted() {
    let w = OaWorld::start().await;
    w.open_order("no-1", 0).await;
    w.authorize("no-1", json!({})).await;
    w.merchant
        .reject_insert(&RejectInsertRequest {
            s_pappid: w.s_pappid.clone(),
            order_id: "no-1".into(),
            reason: "订单已退款".into(),
            url: None,
        })
        .await
        .unwrap();
    let media = w.platform.set_pdf("x.pdf", pdf("no-1")).await.unwrap();
    let refused = w
        .platform
        .insert(&w.vat("no-1", &media.s_media_id, "30000001"))
        .await;
    match refused {
        Err(ClientError::Oa(e)) => assert_eq!(e.code(), Some(OaErrcode::BizRejectInsert), "{e}"),
        other => panic!("expected 72035, got {other:?}"),
    }
    let never = w
        .platform
        .insert(&w.vat("never-1", &media.s_media_id, "30000002"))
        .await;
    let e = never.unwrap_err();
    assert_eq!(e.as_oa().unwrap().errcode, 72038, "{e}");
    assert!(e
        .as_oa()
        .unwrap()
        .errmsg
        .contains("invoice order never auth"));
}

#[tokio::test]
async fn reimbursers_read_lock_and_close_while_the_platform_cancels() {
    let w = OaWorld::start().await;
    let (first_code, first) = w.inserted("r-1", "10000001").await;
    let (second_code, second) = w.inserted("r-2", "10000002").await;
    let reimburser = &w.merchant;
    assert_eq!(reimburser.decrypt_code(&first).await.unwrap(), first_code);
    let info = reimburser
        .get_invoice_info(&CardRef {
            card_id: w.card_id.clone(),
            encrypt_code: first.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        (info.payee.as_str(), info.openid.as_str()),
        ("灌哥科技有限公司", ALICE)
    );
    assert_eq!(info.user_info.billing_no, "10000001");
    assert_eq!(info.user_info.reimburse_status, "INVOICE_REIMBURSE_INIT");
    assert_eq!(w.k.fetch(&info.user_info.pdf_url).await, (200, pdf("r-1")));
    let both = reimburser
        .get_invoice_batch(&InvoiceBatchRequest {
            item_list: vec![
                CardRef {
                    card_id: w.card_id.clone(),
                    encrypt_code: first.clone(),
                },
                CardRef {
                    card_id: w.card_id.clone(),
                    encrypt_code: second.clone(),
                },
            ],
        })
        .await
        .unwrap();
    let numbers: Vec<_> = both
        .iter()
        .map(|i| i.user_info.billing_no.as_str())
        .collect();
    assert_eq!(numbers, ["10000001", "10000002"]);

    let status = |code: &str, s: &str| UpdateInvoiceStatusRequest {
        card_id: w.card_id.clone(),
        encrypt_code: code.to_owned(),
        reimburse_status: s.to_owned(),
    };
    let early = reimburser
        .update_invoice_status(&status(&first, "INVOICE_REIMBURSE_CLOSURE"))
        .await;
    assert_eq!(
        early.unwrap_err().as_oa().unwrap().code(),
        Some(OaErrcode::InvoiceMustBeLockFirst)
    );
    reimburser
        .update_status_batch(&UpdateStatusBatchRequest {
            openid: ALICE.into(),
            reimburse_status: "INVOICE_REIMBURSE_LOCK".into(),
            invoice_list: vec![CardRef {
                card_id: w.card_id.clone(),
                encrypt_code: first.clone(),
            }],
        })
        .await
        .unwrap();
    reimburser
        .update_invoice_status(&status(&first, "INVOICE_REIMBURSE_CLOSURE"))
        .await
        .unwrap();

    w.platform
        .platform_update_status(&PlatformUpdateStatusRequest {
            card_id: w.card_id.clone(),
            code: second_code.clone(),
            reimburse_status: "INVOICE_REIMBURSE_CANCEL".into(),
        })
        .await
        .unwrap();
    let cancelled = reimburser
        .update_invoice_status(&status(&second, "INVOICE_REIMBURSE_LOCK"))
        .await;
    assert_eq!(
        cancelled.unwrap_err().as_oa().unwrap().code(),
        Some(OaErrcode::InvoiceCancelled)
    );
    let after = reimburser
        .get_invoice_info(&CardRef {
            card_id: w.card_id.clone(),
            encrypt_code: second,
        })
        .await
        .unwrap();
    assert_eq!(after.user_info.reimburse_status, "INVOICE_REIMBURSE_CANCEL");
}
