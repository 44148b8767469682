//! Every refusal of the invoice endpoints: the real errcode, the field named
//! in errmsg, the server still serving and nothing stored changed.

use crate::helpers::*;
use crate::oa_world::*;
use serde_json::json;

async fn assert_refused(world: &World, answer: &serde_json::Value, errcode: i64, mentions: &str) {
    assert_eq!(answer["errcode"], errcode, "{answer}");
    let errmsg = answer["errmsg"].as_str().unwrap();
    assert!(
        errmsg.contains(mentions),
        "errmsg names {mentions}: {errmsg}"
    );
    assert!(
        world.cards_of(&world.bob).await.is_empty(),
        "nothing was inserted"
    );
}

#[tokio::test]
async fn insert_refuses_what_the_rules_forbid_and_stores_nothing() {
    let world = World::new().await;
    world.authorised_order("o-1", &world.bob).await;
    let pdf = world.pdf("o-1").await;
    let good = digital_invoice(&pdf, "24442000000000000001");

    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("fee");
    let a = world.insert("o-1", missing).await;
    assert_refused(
        &world,
        &a,
        72031,
        "card_ext.user_card.invoice_user_data.fee is missing",
    )
    .await;

    let mut wrong_type = good.clone();
    wrong_type["fee"] = json!("twelve");
    let a = world.insert("o-1", wrong_type).await;
    assert_refused(
        &world,
        &a,
        47001,
        "card_ext.user_card.invoice_user_data.fee",
    )
    .await;

    let mut null_title = good.clone();
    null_title["title"] = json!(null);
    let a = world.insert("o-1", null_title).await;
    assert_refused(&world, &a, 72031, "invoice_user_data.title is missing").await;

    let mut short = good.clone();
    short["billing_no"] = json!("2444200000000000001");
    let a = world.insert("o-1", short).await;
    assert_refused(&world, &a, 72043, "billing_no").await;

    let mut bad_time = good.clone();
    bad_time["billing_time"] = json!(171403650);
    let a = world.insert("o-1", bad_time).await;
    assert_refused(&world, &a, 72031, "billing_time").await;

    let mut bad_item = good.clone();
    bad_item["info"][0]["num"] = json!(0);
    let a = world.insert("o-1", bad_item).await;
    assert_refused(&world, &a, 72031, "info[0].num").await;

    let a = world.insert("never-opened", good.clone()).await;
    assert_refused(&world, &a, 72038, "never-opened").await;

    let mut foreign = world.insert_body("o-1", good.clone());
    foreign["card_id"] = json!("pNotATemplate00000000000000");
    let a = world
        .call("/card/invoice/insert", &world.platform_token, &foreign)
        .await;
    assert_refused(&world, &a, 40073, "card_id").await;

    let other_platform = world
        .call(
            "/card/invoice/insert",
            &world.bureau_token,
            &world.insert_body("o-1", good.clone()),
        )
        .await;
    assert_eq!(
        other_platform["errcode"], 40073,
        "the bureau does not own the template: {other_platform}"
    );

    let mut unknown_pdf = good.clone();
    unknown_pdf["s_pdf_media_id"] = json!("1234567890123456");
    let a = world.insert("o-1", unknown_pdf).await;
    assert_refused(&world, &a, 72040, "s_pdf_media_id").await;

    let a = world
        .raw(
            "/card/invoice/insert",
            &world.platform_token,
            "{not json".into(),
        )
        .await;
    assert_refused(&world, &a, 47001, "data format error").await;
    let a = world
        .raw("/card/invoice/insert", &world.platform_token, String::new())
        .await;
    assert_refused(&world, &a, 44002, "empty post data").await;
    let a = world
        .call(
            "/card/invoice/insert",
            "garbage-token",
            &world.insert_body("o-1", good.clone()),
        )
        .await;
    assert_refused(&world, &a, 40001, "invalid credential").await;
    let r = world
        .app
        .http
        .post(world.app.url("/card/invoice/insert"))
        .body("{}")
        .send()
        .await
        .unwrap();
    let a: serde_json::Value = r.json().await.unwrap();
    assert_refused(&world, &a, 41001, "access_token missing").await;
    let r = world
        .app
        .http
        .get(world.app.url("/card/invoice/insert"))
        .send()
        .await
        .unwrap();
    let a: serde_json::Value = r.json().await.unwrap();
    assert_refused(&world, &a, 43002, "require POST").await;

    // After all of that the same order still inserts.
    let ok = world.insert("o-1", good).await;
    assert_eq!(ok["errcode"], 0, "{ok}");
}

#[tokio::test]
async fn an_order_is_inserted_once_and_an_exact_replay_gets_the_first_answer() {
    let world = World::new().await;
    world.authorised_order("dup-1", &world.bob).await;
    let pdf = world.pdf("dup-1").await;
    let body = world.insert_body("dup-1", digital_invoice(&pdf, "24442000000000000002"));
    let first = world
        .call("/card/invoice/insert", &world.platform_token, &body)
        .await;
    assert_eq!(first["errcode"], 0, "{first}");
    let replay = world
        .call("/card/invoice/insert", &world.platform_token, &body)
        .await;
    assert_eq!(
        replay, first,
        "the exact same request is answered with the same card"
    );
    let mut changed = body.clone();
    changed["card_ext"]["nonce_str"] = json!("another-nonce");
    let again = world
        .call("/card/invoice/insert", &world.platform_token, &changed)
        .await;
    assert_eq!(again["errcode"], 72018, "{again}");
    assert_eq!(
        world.cards_of(&world.bob).await.len(),
        1,
        "one card for one order"
    );

    // The bound PDF and the billing number cannot be used again.
    world.authorised_order("dup-2", &world.bob).await;
    let reused_pdf = world
        .insert("dup-2", digital_invoice(&pdf, "24442000000000000003"))
        .await;
    assert_eq!(reused_pdf["errcode"], 72040, "{reused_pdf}");
    assert!(reused_pdf["errmsg"]
        .as_str()
        .unwrap()
        .contains("already attached"));
    let pdf2 = world.pdf("dup-2").await;
    let repeated = world
        .insert("dup-2", digital_invoice(&pdf2, "24442000000000000002"))
        .await;
    assert_eq!(repeated["errcode"], 72042, "{repeated}");
    assert_eq!(world.cards_of(&world.bob).await.len(), 1);
}

#[tokio::test]
async fn rejected_unauthorised_and_expired_inputs_are_refused() {
    let world = World::new().await;
    // Opened but never authorised.
    world.open_order("wait-1", 0).await;
    let pdf = world.pdf("wait-1").await;
    let a = world
        .insert("wait-1", digital_invoice(&pdf, "24442000000000000010"))
        .await;
    assert_refused(&world, &a, 72038, "not authorised").await;

    // Rejected by the merchant.
    world.authorised_order("rej-1", &world.bob).await;
    let rejected = world
        .call("/card/invoice/rejectinsert", &world.merchant_token,
              &json!({"s_pappid": world.s_pappid, "order_id": "rej-1", "reason": "金额有误", "url": null}))
        .await;
    assert_eq!(rejected["errcode"], 0, "{rejected}");
    let a = world
        .insert("rej-1", digital_invoice(&pdf, "24442000000000000011"))
        .await;
    assert_refused(&world, &a, 72035, "rejectinsert").await;
    let data = world
        .call(
            "/card/invoice/getauthdata",
            &world.merchant_token,
            &json!({"s_pappid": world.s_pappid, "order_id": "rej-1"}),
        )
        .await;
    assert_eq!(data["invoice_status"], "reject insert");

    // A PDF older than three days.
    world.authorised_order("late-1", &world.bob).await;
    world.app.advance_clock(3 * 24 * 3600 + 1).await;
    let platform = world
        .app
        .token(PLATFORM, &secret_of(&world, PLATFORM).await)
        .await;
    let a = world
        .call(
            "/card/invoice/insert",
            &platform,
            &world.insert_body("late-1", digital_invoice(&pdf, "24442000000000000012")),
        )
        .await;
    assert_refused(&world, &a, 72040, "expired").await;
}

async fn secret_of(world: &World, appid: &str) -> String {
    let (_, app) = world.app.admin_get(&format!("/apps/{appid}")).await;
    app["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn strict_mode_refuses_what_default_mode_warns_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.settings.strict = true;
    let world = World::on(spawn_with(dir, cfg).await).await;
    world.authorised_order("s-1", &world.bob).await;
    let pdf = world.pdf("s-1").await;
    let mut data = vat_invoice(&pdf, "30000001");
    data["fee"] = json!(11299);
    let a = world.insert("s-1", data).await;
    assert_refused(
        &world,
        &a,
        72031,
        "fee 11299 is not fee_without_tax 10000 + tax 1300",
    )
    .await;
    let mut no_check = vat_invoice(&pdf, "30000001");
    no_check.as_object_mut().unwrap().remove("check_code");
    let a = world.insert("s-1", no_check).await;
    assert_refused(&world, &a, 72045, "check_code").await;
    let ok = world.insert("s-1", vat_invoice(&pdf, "30000001")).await;
    assert_eq!(
        ok["errcode"], 0,
        "a consistent invoice passes strict mode: {ok}"
    );
}

#[tokio::test]
async fn getauthurl_needs_a_contact_a_ticket_a_known_platform_and_auth_fields_for_type_1() {
    let world = World::new().await;
    let ticket = world.ticket(&world.merchant_token).await;
    let w = &world;
    let ask = |token: String, body: serde_json::Value| async move {
        w.call("/card/invoice/getauthurl", &token, &body).await
    };
    let body = |s_pappid: &str, ticket: &str, auth_type: i64| json!({"s_pappid": s_pappid, "order_id": "a-1", "money": 100, "timestamp": now(), "source": "app", "ticket": ticket, "type": auth_type});
    let a = ask(
        world.unit_token.clone(),
        body(&world.s_pappid, &world.ticket(&world.unit_token).await, 0),
    )
    .await;
    assert_eq!(a["errcode"], 72063, "the unit never set its contact: {a}");
    let a = ask(
        world.merchant_token.clone(),
        body(&world.s_pappid, &ticket, 1),
    )
    .await;
    assert_eq!(a["errcode"], 72029, "{a}");
    let a = ask(world.merchant_token.clone(), body("", &ticket, 0)).await;
    assert_eq!(a["errcode"], 72031, "{a}");
    assert!(a["errmsg"].as_str().unwrap().contains("s_pappid is empty"));
    let a = ask(
        world.merchant_token.clone(),
        body(&world.s_pappid, "not-a-ticket", 0),
    )
    .await;
    assert_eq!(a["errcode"], 72025, "{a}");
    let mut bad_source = body(&world.s_pappid, &ticket, 0);
    bad_source["source"] = json!("email");
    let a = ask(world.merchant_token.clone(), bad_source).await;
    assert_eq!(a["errcode"], 72031, "{a}");
    assert!(a["errmsg"].as_str().unwrap().contains("source"));
    let a = ask(
        world.merchant_token.clone(),
        body(&world.s_pappid, &ticket, 0),
    )
    .await;
    assert_eq!(a["errcode"], 0, "{a}");
    let a = world
        .call(
            "/card/invoice/setbizattr?action=nope",
            &world.merchant_token,
            &json!({}),
        )
        .await;
    assert_eq!(a["errcode"], 40097, "{a}");
    let a = world
        .call(
            "/card/invoice/setbizattr?action=get_contact",
            &world.merchant_token,
            &json!({}),
        )
        .await;
    assert_eq!(a["contact"]["time_out"], 7200, "{a}");
}

#[tokio::test]
async fn setpdf_takes_only_a_pdf_in_a_part_named_pdf() {
    let world = World::new().await;
    let a = world
        .upload_pdf(&world.platform_token, b"hello, not a pdf".to_vec())
        .await;
    assert_eq!(a["errcode"], 72040, "{a}");
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(pdf_bytes("x")));
    let r = world
        .app
        .http
        .post(world.app.url(&format!(
            "/card/invoice/platform/setpdf?access_token={}",
            world.platform_token
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let a: serde_json::Value = r.json().await.unwrap();
    assert_eq!(a["errcode"], 72031, "{a}");
    assert!(a["errmsg"].as_str().unwrap().contains("pdf"));
    let ok = world
        .upload_pdf(&world.platform_token, pdf_bytes("ok"))
        .await;
    assert_eq!(ok["s_media_id"].as_str().unwrap().len(), 16, "{ok}");
}

#[tokio::test]
async fn concurrent_inserts_of_one_order_make_one_card() {
    let world = World::new().await;
    world.authorised_order("race-1", &world.bob).await;
    let pdf = world.pdf("race-1").await;
    let body = world.insert_body("race-1", digital_invoice(&pdf, "24442000000000000090"));
    let replays = futures_util::future::join_all(
        (0..8).map(|_| world.call("/card/invoice/insert", &world.platform_token, &body)),
    )
    .await;
    assert_eq!(replays[0]["errcode"], 0, "{}", replays[0]);
    for answer in &replays {
        assert_eq!(answer, &replays[0], "every copy gets the one card");
    }

    world.authorised_order("race-2", &world.bob).await;
    let pdf = world.pdf("race-2").await;
    let bodies: Vec<_> = (0..8)
        .map(|i| {
            let billing_no = format!("244420000000000001{i:02}");
            world.insert_body("race-2", digital_invoice(&pdf, &billing_no))
        })
        .collect();
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| world.call("/card/invoice/insert", &world.platform_token, b)),
    )
    .await;
    let codes: Vec<_> = answers.iter().map(|a| a["errcode"].clone()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == 0).count(),
        1,
        "one insert wins: {codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == 72018).count(),
        7,
        "the others are told the order has a card: {codes:?}"
    );
    assert_eq!(world.cards_of(&world.bob).await.len(), 2);
}
