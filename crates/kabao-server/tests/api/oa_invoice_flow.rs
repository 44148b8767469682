//! The Official Account invoice flow end to end: platform, merchant, user,
//! insert, PDF, fiscal bills, and a restart in the middle; `card_package`
//! covers what happens to a card afterwards.

mod card_package;

use crate::helpers::*;
use crate::oa_world::*;
use serde_json::json;

#[tokio::test]
async fn vat_digital_and_fiscal_cards_and_their_pdfs_survive_a_restart() {
    let world = World::new().await;
    // An ordinary VAT invoice, type 1 with a company title.
    let set = world
        .call(
            "/card/invoice/setbizattr?action=set_auth_field",
            &world.merchant_token,
            &json!({"auth_field": {"user_field": {"show_title": 1, "show_phone": 1},
                                   "biz_field": {"show_title": 1, "show_tax_no": 1}}}),
        )
        .await;
    assert_eq!(set["errcode"], 0, "{set}");
    let opened = world.open_order("vat-1", 1).await;
    assert!(
        opened["auth_url"]
            .as_str()
            .unwrap()
            .contains("/_kabao/authorize/"),
        "{opened}"
    );
    let (status, refused) = world
        .authorize(
            MERCHANT,
            "vat-1",
            &world.alice,
            json!({"biz_field": {"title": "灌哥科技有限公司"}}),
        )
        .await;
    assert_eq!(status, 400, "tax_no is required by auth_field: {refused}");
    assert_eq!(refused["field"], "biz_field.tax_no");
    let (status, _) = world
        .authorize(
            MERCHANT,
            "vat-1",
            &world.alice,
            json!({"biz_field": {"title": "灌哥科技有限公司", "tax_no": "91440300MA5EXAMPLE"}}),
        )
        .await;
    assert_eq!(status, 200);
    let data = world
        .call(
            "/card/invoice/getauthdata",
            &world.merchant_token,
            &json!({"s_pappid": world.s_pappid, "order_id": "vat-1"}),
        )
        .await;
    assert_eq!(data["invoice_status"], "auth success", "{data}");
    assert_eq!(
        data["user_auth_info"]["biz_field"]["tax_no"],
        "91440300MA5EXAMPLE"
    );
    let pdf = world.pdf("vat-1").await;
    let vat = world.insert("vat-1", vat_invoice(&pdf, "12345678")).await;
    assert_eq!(vat["errcode"], 0, "{vat}");
    assert_eq!(vat["openid"], world.alice.as_str());
    assert_eq!(vat["unionid"], "uAlice", "the user's unionid is returned");
    assert_eq!(vat["code"].as_str().unwrap().len(), 12);

    // A 数电 invoice for Bob, then kabao restarts.
    world.authorised_order("digital-1", &world.bob).await;
    let pdf2 = world.pdf("digital-1").await;
    let digital = world
        .insert("digital-1", digital_invoice(&pdf2, "24442000000012345678"))
        .await;
    assert_eq!(digital["errcode"], 0, "{digital}");
    assert!(
        digital.get("unionid").is_none(),
        "no unionid for a user without one"
    );

    let world = world.restart().await;

    // A fiscal bill after the restart: the collecting unit asks, the bureau inserts.
    let ticket = world.ticket(&world.unit_token).await;
    let bill_url = world
        .call(
            "/nontax/getbillauthurl",
            &world.unit_token,
            &json!({"s_pappid": world.bureau_s_pappid, "order_id": "bill-1", "money": 123,
                    "timestamp": now(), "source": "web", "ticket": ticket}),
        )
        .await;
    assert_eq!(bill_url["expire_time"], 7200, "{bill_url}");
    let (status, body) = world
        .authorize(UNIT, "bill-1", &world.payer, json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let bill_pdf = world
        .upload_pdf(&world.bureau_token, pdf_bytes("bill"))
        .await;
    let bill = world
        .call(
            "/nontax/insertbill",
            &world.bureau_token,
            &json!({"order_id": "bill-1", "card_id": world.bill_card_id, "appid": UNIT,
                    "card_ext": {"user_card": {"invoice_user_data": {
                        "billing_time": "1511169724", "billing_code": "aabbccdd", "billing_no": "1511169724",
                        "s_pdf_media_id": bill_pdf["s_media_id"], "fee": 123, "title": "灌哥发票"}}}}),
        )
        .await;
    assert_eq!(bill["errcode"], 0, "{bill}");
    assert_eq!(bill["openid"], world.payer.as_str());

    // Every card is in its user's package with every field, and each PDF opens.
    let alice = world.cards_of(&world.alice).await;
    assert_eq!(alice.len(), 1);
    let card = &alice[0];
    assert_eq!(card["code"], vat["code"]);
    assert_eq!(card["kind"], "invoice");
    assert_eq!(card["reimburse_status"], "INVOICE_REIMBURSE_INIT");
    assert_eq!(card["user_data"]["info"][1]["name"], "牙刷");
    assert_eq!(card["user_data"]["check_code"], "12345678901234567890");
    assert_eq!(card["user_data"]["maker"], "李四");
    let bob = world.cards_of(&world.bob).await;
    assert_eq!(bob[0]["billing_code"], "");
    assert_eq!(bob[0]["billing_no"], "24442000000012345678");
    assert_eq!(bob[0]["user_data"]["info"][0]["num"], 1.5);
    let payer = world.cards_of(&world.payer).await;
    assert_eq!(payer[0]["kind"], "fiscal_bill");
    for (token, media, label) in [
        (&world.platform_token, &pdf, "vat-1"),
        (&world.platform_token, &pdf2, "digital-1"),
        (
            &world.bureau_token,
            &bill_pdf["s_media_id"].as_str().unwrap().to_owned(),
            "bill",
        ),
    ] {
        let link = world
            .call(
                "/card/invoice/platform/getpdf?action=get_url",
                token,
                &json!({"s_media_id": media}),
            )
            .await;
        assert_eq!(link["pdf_url_expire_time"], 7200, "{link}");
        let r = world
            .app
            .http
            .get(link["pdf_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf_bytes(label));
    }
}

#[tokio::test]
async fn the_seed_example_is_accepted_as_published_with_its_inconsistency_kept_as_a_warning() {
    let world = World::new().await;
    world.authorised_order("111163", &world.alice).await;
    let pdf = world.pdf("seed").await;
    // The seed's request example, with the comma the page lost restored.
    let seed = format!(
        r#"{{"order_id": "111163", "card_ext": {{"nonce_str": "j!Re1WxaHv", "user_card": {{"invoice_user_data": {{
            "info": [{{"price": 10000, "num": 3, "name": "牙膏", "unit": "个"}}],
            "billing_no": "4545145712", "billing_code": "4541212454512", "billing_time": "1468306058",
            "tax": 123, "s_pdf_media_id": "{pdf}", "fee": 123, "title": "灌哥发票", "fee_without_tax": 2345,
            "buyer_number":"123456789012345678"}}}}}},
            "card_id": "{}", "appid": "{MERCHANT}"}}"#,
        world.card_id
    );
    let answer = world
        .raw("/card/invoice/insert", &world.platform_token, seed)
        .await;
    assert_eq!(answer["errcode"], 0, "{answer}");
    assert_eq!(answer["errmsg"], "ok");
    let cards = world.cards_of(&world.alice).await;
    assert_eq!(
        cards[0]["billing_time"], 1468306058,
        "a numeric string is read as a number"
    );
    let warnings = cards[0]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("fee 123 is not fee_without_tax 2345 + tax 123")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn the_authorisation_page_is_a_form_a_person_can_submit() {
    let world = World::new().await;
    let opened = world.open_order("page-1", 0).await;
    let url = opened["auth_url"].as_str().unwrap();
    let page = world.app.http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=post"), "{html}");
    assert!(
        html.contains(&world.bob),
        "the merchant's users are offered"
    );
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let submitted = no_redirect
        .post(url)
        .form(&[("openid", world.bob.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        submitted.status(),
        303,
        "back to the merchant's redirect_url"
    );
    assert_eq!(submitted.headers()["location"], "https://example.com/done");
    let (_, order) = world
        .app
        .admin_get(&format!("/oa/orders/{MERCHANT}/page-1"))
        .await;
    assert_eq!(order["status"], "authorized");
    assert_eq!(order["openid"], world.bob.as_str());
    let again = world.app.page_text(url).await;
    assert!(
        again.contains("auth success"),
        "an answered order shows its outcome"
    );
}

#[tokio::test]
async fn concurrent_authorisations_all_succeed() {
    let world = World::new().await;
    let orders: Vec<String> = (0..24).map(|i| format!("c-{i}")).collect();
    for order in &orders {
        assert_eq!(world.open_order(order, 0).await["errcode"], 0);
    }
    let answers = futures_util::future::join_all(
        orders
            .iter()
            .map(|o| world.authorize(MERCHANT, o, &world.alice, json!({}))),
    )
    .await;
    for (status, body) in answers {
        assert_eq!(
            status, 200,
            "no authorisation fails under concurrency: {body}"
        );
    }
}
