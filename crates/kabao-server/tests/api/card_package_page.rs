//! The card package page over plain HTTP (no browser): what a user sees of
//! each family's cards, the PDF each opens, the Discard button doing what
//! the control API's discard does, and the pages of an empty store.

use crate::helpers::*;
use crate::oa_world::*;
use serde_json::json;

/// A client that does not follow redirects (to see a form's 303).
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Every `href="…"` and `action="…"` of a page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["href=\"", "action=\""] {
        for part in html.split(marker).skip(1) {
            if let Some(end) = part.find('"') {
                found.push(part[..end].replace("&#38;", "&").replace("&amp;", "&"));
            }
        }
    }
    found
}

/// The one link of `html` ending with `suffix` under the card `code`.
pub fn card_link(html: &str, code: &str, suffix: &str) -> String {
    links(html)
        .into_iter()
        .find(|l| l.contains(&format!("/{code}/")) && l.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} link for {code} in {html}"))
}

/// GETs `url` following redirects; the status, content type and bytes.
pub async fn fetch(app: &TestApp, url: &str) -> (u16, String, Vec<u8>) {
    let r = app.http.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// POSTs the Discard form at `action`; asserts the 303 back to `package`.
pub async fn press_discard(app: &TestApp, action: &str, package: &str) {
    let r = no_redirects()
        .post(app.url(action))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{action}");
    assert_eq!(r.headers()["location"], package);
}

#[tokio::test]
async fn an_empty_store_answers_every_page_and_the_stylesheet() {
    let app = spawn_app().await;
    let (status, kind, body) = fetch(&app, &app.url("/_kabao/cards")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("No users yet"), "{html}");
    assert!(html.contains("name=\"viewport\""));

    let nobody = app.url("/_kabao/cards/wxnobody000000001/oNobody");
    let r = app.http.get(&nobody).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("No such user"));
    let r = no_redirects()
        .post(format!("{nobody}/oa/123456789012/discard"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "nothing to discard");

    let css = app
        .http
        .get(app.url("/_kabao/static/kabao.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    let etag = css.headers()["etag"].to_str().unwrap().to_owned();
    assert!(css.text().await.unwrap().contains(".card"));
    let again = app
        .http
        .get(app.url("/_kabao/static/kabao.css"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304, "revalidated by its ETag");
}

#[tokio::test]
async fn invoice_and_fiscal_bill_cards_show_open_their_pdf_and_can_be_discarded() {
    let world = World::new().await;
    world.authorised_order("wallet-1", &world.alice).await;
    let pdf = world.pdf("wallet-1").await;
    let vat = world
        .insert("wallet-1", vat_invoice(&pdf, "20240001"))
        .await;
    assert_eq!(vat["errcode"], 0, "{vat}");
    let code = vat["code"].as_str().unwrap().to_owned();

    let index = world.app.page_text(&world.app.url("/_kabao/cards")).await;
    let package = format!("/_kabao/cards/{MERCHANT}/{}", world.alice);
    assert!(index.contains(&format!("href=\"{package}\"")), "{index}");

    let html = world.app.page_text(&world.app.url(&package)).await;
    for shown in [
        "电子发票 · Invoice",
        "灌哥科技有限公司",
        "¥113.00",
        "2024-04-25 17:15",
        "20240001",
        "12345678901234567890",
        "牙膏",
        "牙刷",
        "已入卡包 · Inserted",
        "<details",
    ] {
        assert!(html.contains(shown), "{shown} missing from {html}");
    }
    let (status, kind, bytes) =
        fetch(&world.app, &world.app.url(&card_link(&html, &code, "/pdf"))).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert_eq!(bytes, pdf_bytes("wallet-1"), "the uploaded PDF opens");

    let bob = world
        .app
        .page_text(
            &world
                .app
                .url(&format!("/_kabao/cards/{MERCHANT}/{}", world.bob)),
        )
        .await;
    assert!(bob.contains("id=\"empty\""), "Bob has no card: {bob}");

    press_discard(&world.app, &card_link(&html, &code, "/discard"), &package).await;
    let cards = world.cards_of(&world.alice).await;
    assert_eq!(
        cards[0]["card_status"], "DELETE",
        "as the control API's discard"
    );
    let html = world.app.page_text(&world.app.url(&package)).await;
    assert!(html.contains("已删除 · Discarded"), "{html}");
    assert!(
        !links(&html).iter().any(|l| l.ends_with("/discard")),
        "a discarded card has no Discard button"
    );
    let stranger = no_redirects()
        .post(world.app.url(&format!(
            "/_kabao/cards/{MERCHANT}/{}/oa/{code}/discard",
            world.bob
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 404, "Bob cannot discard Alice's card");

    // A fiscal bill in the payer's package.
    let ticket = world.ticket(&world.unit_token).await;
    let url = world
        .call(
            "/nontax/getbillauthurl",
            &world.unit_token,
            &json!({"s_pappid": world.bureau_s_pappid, "order_id": "bill-w", "money": 123,
                    "timestamp": now(), "source": "web", "ticket": ticket}),
        )
        .await;
    assert_eq!(url["errcode"], 0, "{url}");
    let (status, body) = world
        .authorize(UNIT, "bill-w", &world.payer, json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let bill_pdf = world
        .upload_pdf(&world.bureau_token, pdf_bytes("bill-w"))
        .await;
    let bill = world
        .call(
            "/nontax/insertbill",
            &world.bureau_token,
            &json!({"order_id": "bill-w", "card_id": world.bill_card_id, "appid": UNIT,
                    "card_ext": {"user_card": {"invoice_user_data": {
                        "billing_time": 1511169724, "billing_code": "aabbccdd", "billing_no": "1511169724",
                        "s_pdf_media_id": bill_pdf["s_media_id"], "fee": 123, "title": "灌哥发票"}}}}),
        )
        .await;
    assert_eq!(bill["errcode"], 0, "{bill}");
    let html = world
        .app
        .page_text(
            &world
                .app
                .url(&format!("/_kabao/cards/{UNIT}/{}", world.payer)),
        )
        .await;
    for shown in [
        "财政电子票据 · Fiscal bill",
        "某市财政局",
        "¥1.23",
        "灌哥发票",
        "aabbccdd",
    ] {
        assert!(html.contains(shown), "{shown} missing from {html}");
    }
}

#[tokio::test]
async fn a_fapiao_card_shows_its_face_and_a_discard_sends_card_discarded() {
    use crate::fapiao_issue::{callbacks, direct_inserted, direct_order, issue_one, PAYER};
    use crate::fapiao_steps::CARD_APPID;
    let world = crate::fapiao_world::FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 429_900).await;
    let issued = direct_inserted(&world, &tx).await;
    let fapiao = &issued["fapiao_information"][0];
    let code = fapiao["card_information"]["card_code"]
        .as_str()
        .unwrap()
        .to_owned();

    let package = format!("/_kabao/cards/{CARD_APPID}/{PAYER}");
    let html = world.app.page_text(&world.app.url(&package)).await;
    let number = fapiao["blue_fapiao"]["fapiao_number"]
        .as_str()
        .unwrap_or_default();
    for shown in [
        "电子发票 · Fapiao",
        "¥4299.00",
        "张三",
        "出租汽车客运服务",
        "已入卡包 · Inserted",
        number,
    ] {
        assert!(html.contains(shown), "{shown} missing from {html}");
    }
    let (status, kind, bytes) =
        fetch(&world.app, &world.app.url(&card_link(&html, &code, "/pdf"))).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(bytes.starts_with(b"%PDF"), "the fapiao face as a PDF");

    press_discard(&world.app, &card_link(&html, &code, "/discard"), &package).await;
    let discarded = callbacks(&world, &world.direct, "/direct", "FAPIAO.CARD_DISCARDED", 1).await;
    assert_eq!(discarded[0]["fapiao_apply_id"], tx.as_str());
    assert_eq!(
        discarded[0]["fapiao_information"][0]["card_status"],
        "DISCARDED"
    );
    let (status, cards) = world
        .app
        .admin_get(&format!("/fapiao/cards?openid={PAYER}"))
        .await;
    assert_eq!(status, 200, "{cards}");
    assert_eq!(cards["cards"][0]["card_status"], "DISCARDED");
    let html = world.app.page_text(&world.app.url(&package)).await;
    assert!(html.contains("已删除 · Discarded"), "{html}");

    let fapiao_id = fapiao["fapiao_id"].as_str().unwrap();
    let path = format!(
        "/fapiao/cards/{}/{tx}/{fapiao_id}/discard",
        world.direct.mchid
    );
    let (status, body) = world.app.admin_post(&path, &json!({})).await;
    assert_eq!(status, 409, "discarding again changes nothing: {body}");
    let (status, _) = world
        .app
        .admin_post(
            &format!("/fapiao/cards/{}/{tx}/nope/discard", world.direct.mchid),
            &json!({}),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_taxi_card_shows_its_trip_opens_the_uploaded_file_and_can_be_discarded() {
    use crate::taxi_trips::{card_body, cards_of, insert_own, ready, APPID, OPENID};
    let ready = ready().await;
    let world = &ready.world;
    let (status, answer) = insert_own(
        world,
        &card_body(&ready.fleet, &ready.token, &ready.media_id),
    )
    .await;
    assert_eq!(status, 204, "{answer}");
    let code = cards_of(world, OPENID).await[0]["card_code"]
        .as_str()
        .unwrap()
        .to_owned();

    let package = format!("/_kabao/cards/{APPID}/{OPENID}");
    let html = world.app.page_text(&world.app.url(&package)).await;
    for shown in [
        "出租车电子发票 · Taxi fapiao",
        "深圳市南山区测试公司",
        "深圳市南山区测试企业",
        "¥3828.95",
        "2020-07-01 12:00",
        "12897794",
        "出租汽车客运服务",
        ready.fleet.plate_number.as_str(),
    ] {
        assert!(html.contains(shown), "{shown} missing from {html}");
    }
    let (status, kind, bytes) =
        fetch(&world.app, &world.app.url(&card_link(&html, &code, "/pdf"))).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(
        bytes.starts_with(b"%PDF-1.4\n% taxi fapiao"),
        "the uploaded file"
    );

    press_discard(&world.app, &card_link(&html, &code, "/discard"), &package).await;
    assert_eq!(cards_of(world, OPENID).await[0]["status"], "DISCARDED");
    let html = world.app.page_text(&world.app.url(&package)).await;
    assert!(html.contains("已删除 · Discarded"), "{html}");
}
