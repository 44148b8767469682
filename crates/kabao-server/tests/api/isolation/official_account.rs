//! Official Account tenants: a second invoicing platform holding a valid
//! token cannot use the first one's card template, PDF or cards, and a
//! merchant cannot read another merchant's order.

use crate::oa_world::*;
use serde_json::json;

const OTHER_PLATFORM: &str = "wxf1a7f0a000000009";

#[tokio::test]
async fn another_platform_cannot_use_a_platforms_template_pdf_order_or_card() {
    let world = World::new().await;
    world.authorised_order("iso-1", &world.alice).await;
    let pdf = world.pdf("iso-1").await;
    let card = world.insert("iso-1", vat_invoice(&pdf, "30000001")).await;
    assert_eq!(card["errcode"], 0, "{card}");
    let code = card["code"].as_str().unwrap().to_owned();
    world.authorised_order("iso-2", &world.alice).await;
    let secret = world.app.app(OTHER_PLATFORM, "invoicing_platform").await;
    let token = world.app.token(OTHER_PLATFORM, &secret).await;
    let before = world.cards_of(&world.alice).await;

    let refused = |answer: &serde_json::Value, what: &str| {
        assert_ne!(answer["errcode"], 0, "{what}: {answer}");
        assert!(
            answer.get("pdf_url").is_none() && answer.get("code").is_none(),
            "{what}: {answer}"
        );
    };
    let media = world
        .call(
            "/card/invoice/platform/getpdf?action=get_url",
            &token,
            &json!({"s_media_id": pdf}),
        )
        .await;
    refused(&media, "getpdf of another platform's PDF");
    let stolen = world
        .call(
            "/card/invoice/insert",
            &token,
            &world.insert_body("iso-2", vat_invoice(&pdf, "30000002")),
        )
        .await;
    refused(&stolen, "insert with another platform's template and PDF");

    // Its own template and PDF, for an order authorised through the first platform.
    let own = world
        .call(
            "/card/invoice/platform/createcard",
            &token,
            &json!({"invoice_info": {"base_info": {"logo_url": "https://example.com/o.png", "title": "别家"},
                    "payee": "别家科技", "type": "增值税普通发票"}}),
        )
        .await;
    let own_card_id = own["card_id"].as_str().unwrap();
    let own_pdf = world.upload_pdf(&token, pdf_bytes("own")).await;
    let own_pdf = own_pdf["s_media_id"].as_str().unwrap();
    let mut body = world.insert_body("iso-2", vat_invoice(own_pdf, "30000003"));
    body["card_id"] = json!(own_card_id);
    let foreign_order = world.call("/card/invoice/insert", &token, &body).await;
    refused(
        &foreign_order,
        "insert for an order authorised through another platform",
    );

    let status = world
        .call(
            "/card/invoice/platform/updatestatus",
            &token,
            &json!({"card_id": world.card_id, "code": code, "reimburse_status": "INVOICE_REIMBURSE_CLOSURE"}),
        )
        .await;
    refused(&status, "updatestatus of another platform's card");

    assert_eq!(
        world.cards_of(&world.alice).await,
        before,
        "Alice's cards are unchanged"
    );
}

#[tokio::test]
async fn a_merchant_cannot_read_another_merchants_order() {
    let world = World::new().await;
    world.authorised_order("iso-3", &world.alice).await;
    let own = world
        .call(
            "/card/invoice/getauthdata",
            &world.merchant_token,
            &json!({"s_pappid": world.s_pappid, "order_id": "iso-3"}),
        )
        .await;
    assert_eq!(own["invoice_status"], "auth success", "{own}");
    let other = world
        .call(
            "/card/invoice/getauthdata",
            &world.unit_token,
            &json!({"s_pappid": world.s_pappid, "order_id": "iso-3"}),
        )
        .await;
    assert_ne!(other["invoice_status"], "auth success", "{other}");
    assert!(other.get("user_auth_info").is_none(), "{other}");
}
