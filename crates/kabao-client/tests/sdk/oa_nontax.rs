//! The fiscal-bill flow through the SDK: the bureau's s_pappid and bill
//! template, the collecting unit's authorisation link, the payer's
//! authorisation, the bureau's PDF and insertbill (the seed call).

use crate::common::{pdf, Kabao};
use kabao_client::oa::*;
use reqwest::Method;
use serde_json::json;

const BUREAU: &str = "wxc11e0b0000000003";
const UNIT: &str = "wxc11e0b0000000004";
const PAYER: &str = "oC11ePayer00000000000000000";

#[tokio::test]
async fn a_bureau_inserts_a_bill_the_payer_authorised_with_the_unit() {
    let k = Kabao::start().await;
    let bureau = k.oa_app(BUREAU, "fiscal_bureau").await;
    let unit = k.oa_app(UNIT, "merchant").await;
    k.user(UNIT, PAYER, None).await;
    let s_pappid = bureau.s_pappid().await.unwrap();
    let card = bureau
        .create_bill_card(&CreateBillCardRequest {
            invoice_info: BillInvoiceInfo {
                payee: "某市财政局".into(),
                base_info: BillBaseInfo {
                    logo_url: "https://example.com/b.png".into(),
                    title: None,
                },
            },
        })
        .await
        .unwrap();
    assert!(card.card_id.starts_with('p'));

    let ticket = unit.get_ticket("wx_card").await.unwrap();
    let link = unit
        .get_bill_auth_url(&GetAuthUrlRequest {
            s_pappid: s_pappid.clone(),
            order_id: "bill-1".into(),
            money: 123,
            timestamp: k.now().await,
            source: "web".into(),
            redirect_url: None,
            ticket: ticket.ticket,
            auth_type: Some(0),
        })
        .await
        .unwrap();
    assert_eq!(link.expire_time, Some(7200));
    assert!(link.auth_url.contains("/_kabao/authorize/"));
    k.admin_ok(
        Method::POST,
        "/oa/authorizations",
        Some(json!({"appid": UNIT, "order_id": "bill-1", "openid": PAYER})),
    )
    .await;
    let status = unit
        .get_auth_data(&GetAuthDataRequest {
            s_pappid,
            order_id: "bill-1".into(),
        })
        .await
        .unwrap();
    assert_eq!(status.invoice_status, "auth success");

    let media = bureau.set_pdf("bill.pdf", pdf("bill")).await.unwrap();
    let bill = BillUserData {
        fee: 123,
        title: "灌哥发票".into(),
        billing_time: 1511169724,
        billing_no: "1511169724".into(),
        billing_code: "aabbccdd".into(),
        s_pdf_media_id: media.s_media_id,
    };
    let inserted = bureau
        .insert_bill(&bill_request("bill-1", &card.card_id, UNIT, &bill))
        .await
        .unwrap();
    assert_eq!(inserted.openid, PAYER);
    assert_eq!(inserted.code.len(), 12);
    let cards = k
        .admin_ok(Method::GET, &format!("/users/{PAYER}/cards"), None)
        .await;
    assert_eq!(cards[0]["kind"], "fiscal_bill");
    assert_eq!(cards[0]["billing_code"], "aabbccdd");

    // The bureau's template is not the unit's: its insert is refused, typed.
    let err = unit
        .insert_bill(&bill_request("bill-1", &card.card_id, UNIT, &bill))
        .await
        .unwrap_err();
    assert!(err.as_oa().is_some_and(|e| e.errcode != 0), "{err}");
}
