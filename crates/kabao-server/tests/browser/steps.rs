//! Setup steps the browser flows share: an authorisation request whose
//! `redirect_url` stays on kabao, an inserted invoice, and the fapiao
//! title world (a user, a card template for their app, a title link).

use crate::fapiao_world::FapiaoWorld;
use crate::helpers::now;
use crate::oa_world::{vat_invoice, World, MERCHANT};
use serde_json::{json, Value};
use std::time::Duration;

/// The Official Account of the fapiao title flow.
pub const TITLE_APPID: &str = "wxf1a0c0de00000311";
/// Its user, who fills in the title.
pub const TITLE_OPENID: &str = "oTitlePerson0000000000000001";

/// A user's card package page on `base`.
pub fn package_url(base: &str, appid: &str, openid: &str) -> String {
    format!("{base}/_kabao/cards/{appid}/{openid}")
}

/// getauthurl for `order_id` of 113 yuan (`auth_type` 0 or 1) whose
/// redirect_url is Alice's card package on kabao; the auth_url.
pub async fn auth_url(world: &World, order_id: &str, auth_type: i64) -> String {
    let ticket = world.ticket(&world.merchant_token).await;
    let redirect = package_url(&world.app.base_url, MERCHANT, &world.alice);
    let opened = world
        .call(
            "/card/invoice/getauthurl",
            &world.merchant_token,
            &json!({"s_pappid": world.s_pappid, "order_id": order_id, "money": 11300, "timestamp": now(),
                    "source": "web", "redirect_url": redirect, "ticket": ticket, "type": auth_type}),
        )
        .await;
    assert_eq!(opened["errcode"], 0, "{opened}");
    opened["auth_url"].as_str().unwrap().to_owned()
}

/// The merchant asks for a title, a tax number and a phone (setbizattr).
pub async fn ask_for_titles(world: &World) {
    let set = world
        .call(
            "/card/invoice/setbizattr?action=set_auth_field",
            &world.merchant_token,
            &json!({"auth_field": {"user_field": {"show_title": 1, "show_phone": 1},
                                   "biz_field": {"show_title": 1, "show_tax_no": 1}}}),
        )
        .await;
    assert_eq!(set["errcode"], 0, "{set}");
}

/// The platform uploads a PDF and inserts the invoice of `order_id`; its code.
pub async fn insert_invoice(world: &World, order_id: &str, billing_no: &str) -> String {
    let pdf = world.pdf(order_id).await;
    let inserted = world.insert(order_id, vat_invoice(&pdf, billing_no)).await;
    assert_eq!(inserted["errcode"], 0, "{inserted}");
    inserted["code"].as_str().unwrap().to_owned()
}

/// An authorised and inserted invoice for Alice (control API step); its code.
pub async fn alice_invoice(world: &World, order_id: &str, billing_no: &str) -> String {
    world.authorised_order(order_id, &world.alice).await;
    insert_invoice(world, order_id, billing_no).await
}

/// The title person's app and user, and the direct merchant's card
/// template for that app (so the fapiao lands in their card package).
pub async fn title_world(world: &FapiaoWorld) {
    world.app.app(TITLE_APPID, "merchant").await;
    let (status, body) = world
        .app
        .admin_post(
            "/users",
            &json!({"appid": TITLE_APPID, "openid": TITLE_OPENID, "name": "张三"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let template = json!({"card_appid": TITLE_APPID,
        "card_template_information": {"payee_name": "测试商户", "logo_url": "http://mmbiz.qpic.cn/mmbiz/logo/0"}});
    let (status, body) = world
        .call(
            &world.direct,
            "POST",
            "/v3/new-tax-control-fapiao/card-template",
            Some(&template),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// title-url (F8) for `apply_id` over 350 yuan, the phone cell required.
pub async fn title_url(world: &FapiaoWorld, apply_id: &str) -> String {
    let path = format!(
        "/v3/new-tax-control-fapiao/user-title/title-url?fapiao_apply_id={apply_id}&source=WEB\
         &appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=35000&show_phone_cell=true&must_input_phone=true"
    );
    let (status, body) = world.call(&world.direct, "GET", &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["title_url"].as_str().unwrap().to_owned()
}

/// The merchant reads the title (F9) and issues one fapiao of 350 yuan to
/// that buyer (F10, WITHOUT_WECHATPAY), then waits for the card.
pub async fn issue_to_title(world: &FapiaoWorld, apply_id: &str) -> Value {
    let (status, title) = world
        .call(
            &world.direct,
            "GET",
            &format!(
                "/v3/new-tax-control-fapiao/user-title?fapiao_apply_id={apply_id}&scene=WITHOUT_WECHATPAY"
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{title}");
    let mut buyer = json!({"type": title["type"], "name": title["name"]});
    if let Some(id) = title["taxpayer_id"].as_str() {
        buyer["taxpayer_id"] = json!(id);
    }
    let line = json!({"tax_code": "3010101020203000000", "goods_name": "技术服务费", "quantity": 200000000,
        "total_amount": 35000, "tax_rate": 600, "tax_prefer_mark": "NO_FAVORABLE", "discount": false});
    let body = json!({"scene": "WITHOUT_WECHATPAY", "fapiao_apply_id": apply_id, "buyer_information": buyer,
        "fapiao_information": [{"fapiao_id": "F1", "total_amount": 35000, "need_list": false, "items": [line]}]});
    let (status, answer) = world
        .call(
            &world.direct,
            "POST",
            "/v3/new-tax-control-fapiao/fapiao-applications",
            Some(&body),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    for _ in 0..200 {
        let (status, state) = world
            .call(
                &world.direct,
                "GET",
                &format!("/v3/new-tax-control-fapiao/fapiao-applications/{apply_id}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{state}");
        let fapiao = &state["fapiao_information"][0];
        if fapiao["card_information"]["card_status"] == "INSERTED" {
            return fapiao.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the fapiao of {apply_id} never reached the card package");
}
