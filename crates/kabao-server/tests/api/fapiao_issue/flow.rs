//! The whole issuing flow for both scenes, direct and through a service
//! provider: 202, ISSUE_ACCEPTED → ISSUED → card INSERT_ACCEPTED →
//! INSERTED, the callbacks, and F15 showing it all.

use super::*;
use crate::fapiao_steps::{cards, post_reverse};
use crate::fapiao_world::{DIRECT, PROVIDER, SUB};

/// The Official Account of the title users.
const TITLE_APPID: &str = "wxf1a0c0de00000391";
/// The person who fills in the title.
const TITLE_OPENID: &str = "oIssueTitleUser0000000000001";

#[tokio::test]
async fn with_wechatpay_issues_inserts_the_card_and_calls_back_twice() {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    let (phone, serial) = encrypt(&world, "13800138000").await;
    let (email, _) = encrypt(&world, "buyer@example.com").await;
    let mut body = classic(
        "WITH_WECHATPAY",
        &tx,
        vec![fapiao("F-1", vec![line(429_900)])],
    );
    body["buyer_information"]["phone"] = json!(phone);
    body["buyer_information"]["email"] = json!(email);

    let (status, answer) =
        call_with_serial(&world, &world.direct, ISSUE_PATH, &body, &serial).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer, Value::Null, "202 has no body");

    let done = direct_inserted(&world, &tx).await;
    assert_eq!(done["total_count"], 1);
    let f = &done["fapiao_information"][0];
    assert_eq!(f["fapiao_id"], "F-1");
    assert_eq!(
        (
            f["total_amount"].as_i64(),
            f["amount"].as_i64(),
            f["tax_amount"].as_i64()
        ),
        (Some(429_900), Some(380_442), Some(49_458))
    );
    assert_eq!(f["items"][0]["tax_amount"], 49_458);
    assert_eq!(f["items"][0]["unit_price"], 380_442_000_000i64);
    assert_eq!(f["blue_fapiao"]["fapiao_code"].as_str().unwrap().len(), 12);
    assert_eq!(f["blue_fapiao"]["fapiao_number"].as_str().unwrap().len(), 8);
    assert_eq!(f["blue_fapiao"]["check_code"].as_str().unwrap().len(), 20);
    assert!(f["blue_fapiao"]["fapiao_time"]
        .as_str()
        .unwrap()
        .ends_with("+08:00"));
    assert_eq!(f["card_information"]["card_appid"], CARD_APPID);
    assert_eq!(f["card_information"]["card_openid"], PAYER);
    assert_eq!(
        f["card_information"]["card_code"].as_str().unwrap().len(),
        12
    );
    assert!(f["seller_information"]["name"].is_string());
    assert!(f["extra_information"]["drawer"].is_string());
    let phone_back = f["buyer_information"]["phone"].as_str().unwrap();
    assert_ne!(phone_back, "13800138000", "phone goes back encrypted");
    let plain = world.direct.key.decrypt_oaep_sha1_b64(phone_back).unwrap();
    assert_eq!(plain, b"13800138000");

    let issued = callbacks(&world, &world.direct, "/direct", "FAPIAO.ISSUED", 1).await;
    assert_eq!(
        issued[0],
        json!({"mchid": DIRECT, "fapiao_apply_id": tx,
        "fapiao_information": [{"fapiao_id": "F-1", "fapiao_status": "ISSUED", "card_status": "INSERT_ACCEPTED"}]})
    );
    let inserted = callbacks(&world, &world.direct, "/direct", "FAPIAO.CARD_INSERTED", 1).await;
    assert_eq!(
        inserted[0]["fapiao_information"][0]["card_status"],
        "INSERTED"
    );
    assert_eq!(
        inserted[0]["fapiao_information"][0]["fapiao_status"],
        "ISSUED"
    );

    let (status, cards) = cards(&world, PAYER).await;
    assert_eq!(status, 200, "{cards}");
    assert_eq!(cards["cards"][0]["fapiao_apply_id"], tx);
    assert_eq!(cards["cards"][0]["card_status"], "INSERTED");
}

#[tokio::test]
async fn without_wechatpay_a_provider_issues_for_its_sub_merchant_after_the_title() {
    let world = FapiaoWorld::start().await;
    world.app.app(TITLE_APPID, "merchant").await;
    let (status, user) = world
        .app
        .admin_post(
            "/users",
            &json!({"appid": TITLE_APPID, "openid": TITLE_OPENID}),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    card_template(&world, &world.provider, Some(SUB)).await;
    let apply_id = "NOPAY-0001";
    let mut body = classic(
        "WITHOUT_WECHATPAY",
        apply_id,
        vec![
            fapiao("A", vec![line(10_000)]),
            fapiao("B", vec![line(20_000), line(5_000)]),
        ],
    );
    body["sub_mchid"] = json!(SUB);

    let before = issue(&world, &world.provider, &body).await;
    assert_error(&before, 404, "RESOURCE_NOT_EXISTS", None);

    let title_url = format!(
        "/v3/new-tax-control-fapiao/user-title/title-url?sub_mchid={SUB}&fapiao_apply_id={apply_id}&source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=35000"
    );
    let (status, link) = world.call(&world.provider, "GET", &title_url, None).await;
    assert_eq!(status, 200, "{link}");
    let key = crate::fapiao_titles::link_key(&link);
    let (status, filled) = world
        .app
        .admin_post(
            &format!("/fapiao/titles/{key}"),
            &json!({"type": "INDIVIDUAL", "name": "张三", "fapiao_bill_type": "COMM_FAPIAO"}),
        )
        .await;
    assert_eq!(status, 200, "{filled}");

    let mut other = body.clone();
    other["buyer_information"]["name"] = json!("李四");
    let differs = issue(&world, &world.provider, &other).await;
    assert_error(&differs, 403, "RULE_LIMIT", Some("buyer_information.name"));

    let (status, answer) = issue(&world, &world.provider, &body).await;
    assert_eq!(status, 202, "{answer}");
    let done = wait_until(
        &world,
        &world.provider,
        apply_id,
        Some(SUB),
        "ISSUED",
        Some("INSERTED"),
    )
    .await;
    assert_eq!(done["total_count"], 2);
    assert_eq!(done["fapiao_information"][1]["total_amount"], 25_000);
    assert_eq!(
        done["fapiao_information"][1]["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        done["fapiao_information"][0]["card_information"]["card_openid"],
        TITLE_OPENID
    );

    let issued = callbacks(&world, &world.provider, "/provider", "FAPIAO.ISSUED", 2).await;
    let inserted = callbacks(
        &world,
        &world.provider,
        "/provider",
        "FAPIAO.CARD_INSERTED",
        2,
    )
    .await;
    for payload in issued.iter().chain(&inserted) {
        assert_eq!(payload["mchid"], PROVIDER);
        assert_eq!(payload["sub_mchid"], SUB);
        assert_eq!(payload["fapiao_apply_id"], apply_id);
    }
    let mut ids: Vec<_> = inserted
        .iter()
        .map(|p| p["fapiao_information"][0]["fapiao_id"].clone())
        .collect();
    ids.sort_by_key(|v| v.to_string());
    assert_eq!(ids, vec![json!("A"), json!("B")]);
}

#[tokio::test]
async fn a_merchant_never_sees_another_merchants_application() {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 100).await;
    direct_inserted(&world, &tx).await;

    let theirs = query(&world, &world.provider, &tx, Some(SUB)).await;
    assert_error(&theirs, 404, "RESOURCE_NOT_EXISTS", None);
    let files = world
        .call(
            &world.provider,
            "GET",
            &format!("{ISSUE_PATH}/{tx}/fapiao-files?sub_mchid={SUB}"),
            None,
        )
        .await;
    assert_error(&files, 404, "RESOURCE_NOT_EXISTS", None);
    let body = json!({"sub_mchid": SUB, "reverse_reason": "SALES_RETURN",
        "fapiao_information": [{"fapiao_id": "F", "fapiao_number": "00000000"}]});
    let reverse = post_reverse(&world, &world.provider, &tx, &body).await;
    assert_error(
        &reverse,
        404,
        "RESOURCE_NOT_EXISTS",
        Some("fapiao_apply_id"),
    );
    let missing = query(&world, &world.direct, "NO-SUCH-APPLY", None).await;
    assert_error(&missing, 404, "RESOURCE_NOT_EXISTS", None);
    let (status, one) = world
        .call(
            &world.direct,
            "GET",
            &format!("{ISSUE_PATH}/{tx}?fapiao_id=F"),
            None,
        )
        .await;
    assert_eq!((status, one["total_count"].as_i64()), (200, Some(1)));
    let unknown = world
        .call(
            &world.direct,
            "GET",
            &format!("{ISSUE_PATH}/{tx}?fapiao_id=G"),
            None,
        )
        .await;
    assert_error(&unknown, 404, "RESOURCE_NOT_EXISTS", Some("fapiao_id"));
}
