//! The title flow end to end: link, page or control API, callback, read-back.

use super::*;
use crate::fapiao_world::{DIRECT, PROVIDER, SUB};

/// user-title of the direct merchant's `fapiao_apply_id` (WITHOUT_WECHATPAY).
async fn direct_title(world: &FapiaoWorld, fapiao_apply_id: &str) -> (u16, Value) {
    let query = format!("scene=WITHOUT_WECHATPAY&fapiao_apply_id={fapiao_apply_id}");
    user_title(world, &world.direct, &query).await
}

#[tokio::test]
async fn a_title_filled_through_the_control_api_is_read_back_with_phone_and_email_encrypted() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let (status, answer) = title_url(&world, &world.direct, "TITLE-0001", BOTH_CELLS).await;
    assert_eq!(status, 200, "{answer}");
    let url = answer["title_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/_kabao/fapiao/title/", world.app.base_url)),
        "{url}"
    );
    assert!(answer.get("miniprogram_appid").is_none(), "WEB: {answer}");

    let (status, body) = direct_title(&world, "TITLE-0001").await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["code"], "RESOURCE_NOT_EXISTS");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("fapiao_apply_id"));

    let key = link_key(&answer);
    let (status, filled) = world
        .app
        .admin_post(&format!("/fapiao/titles/{key}"), &organization())
        .await;
    assert_eq!(status, 200, "{filled}");
    assert_eq!(filled["mchid"], DIRECT);
    assert_eq!(filled["title"]["name"], "深圳市南山区测试企业");

    let requests = world.receiver.wait_for(1).await;
    assert_eq!(requests[0].path(), "/direct");
    let (notification, resource) = open_callback(&world, &world.direct, &requests[0]).await;
    assert_eq!(notification.event_type, "FAPIAO.USER_APPLIED");
    assert_eq!(resource["mchid"], DIRECT);
    assert!(resource.get("sub_mchid").is_none(), "{resource}");
    assert_eq!(resource["fapiao_apply_id"], "TITLE-0001");
    assert!(resource["apply_time"].as_str().unwrap().ends_with("+08:00"));

    let (status, title) = direct_title(&world, "TITLE-0001").await;
    assert_eq!(status, 200, "{title}");
    assert_eq!(title["type"], "ORGANIZATION");
    assert_eq!(title["taxpayer_id"], "202003261233701778");
    assert_eq!(title["bank_account"], "62001234567890");
    assert_eq!(title["amount"], 382895);
    assert_eq!(title["fapiao_bill_type"], "VAT_FAPIAO");
    assert_eq!(title["user_apply_message"], "请尽快开具");
    assert_ne!(title["phone"], "13800138000", "phone goes encrypted");
    assert_eq!(decrypt(&world.direct, &title["phone"]), "13800138000");
    assert_eq!(decrypt(&world.direct, &title["email"]), "buyer@example.com");
}

#[tokio::test]
async fn the_title_page_is_a_form_a_person_can_fill_in() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let (_, answer) = title_url(
        &world,
        &world.direct,
        "TITLE-PAGE",
        "&show_phone_cell=true&must_input_phone=true",
    )
    .await;
    let url = answer["title_url"].as_str().unwrap().to_owned();
    let page = world.app.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for field in [
        "name=type",
        "name=name",
        "name=taxpayer_id",
        "name=phone",
        "name=fapiao_bill_type",
    ] {
        assert!(html.contains(field), "{field} missing from the page");
    }
    assert!(
        !html.contains("name=email"),
        "the email cell is not asked for"
    );
    assert!(html.contains("3828.95"), "the amount is shown");

    let form = [
        ("type", "ORGANIZATION"),
        ("name", "某公司"),
        ("taxpayer_id", ""),
        ("phone", "13800138000"),
        ("fapiao_bill_type", "COMM_FAPIAO"),
    ];
    let refused = world.app.submit_form(&url, &form).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("taxpayer_id"));
    let (status, _) = direct_title(&world, "TITLE-PAGE").await;
    assert_eq!(status, 404, "a refused form stores nothing");

    let form = [
        ("type", "INDIVIDUAL"),
        ("name", "张三"),
        ("taxpayer_id", ""),
        ("phone", "13900139000"),
        ("fapiao_bill_type", "COMM_FAPIAO"),
        ("user_apply_message", ""),
    ];
    let done = world.app.submit_form(&url, &form).await;
    assert_eq!(done.status(), 200);
    let requests = world.receiver.wait_for(1).await;
    let (notification, resource) = open_callback(&world, &world.direct, &requests[0]).await;
    assert_eq!(notification.event_type, "FAPIAO.USER_APPLIED");
    assert_eq!(resource["fapiao_apply_id"], "TITLE-PAGE");

    let (status, title) = direct_title(&world, "TITLE-PAGE").await;
    assert_eq!(status, 200, "{title}");
    assert_eq!(title["type"], "INDIVIDUAL");
    assert_eq!(title["name"], "张三");
    assert!(title.get("taxpayer_id").is_none(), "{title}");
    assert!(title.get("email").is_none(), "{title}");
    assert_eq!(decrypt(&world.direct, &title["phone"]), "13900139000");

    let again = world.app.page_text(&url).await;
    assert!(
        again.contains("value=\"张三\""),
        "the page shows the title to edit"
    );
}

#[tokio::test]
async fn submitting_again_replaces_the_title_and_sends_another_callback() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let key = fill_title(
        &world,
        &world.direct,
        "TITLE-EDIT",
        "",
        &json!({"type": "INDIVIDUAL", "name": "李四"}),
    )
    .await;
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/titles/{key}"),
            &json!({"type": "INDIVIDUAL", "name": "李四四"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let requests = world.receiver.wait_for(2).await;
    let first = open_callback(&world, &world.direct, &requests[0]).await.0;
    let second = open_callback(&world, &world.direct, &requests[1]).await.0;
    assert_ne!(first.id, second.id, "a new submission is a new event");
    let (_, title) = direct_title(&world, "TITLE-EDIT").await;
    assert_eq!(title["name"], "李四四");
}

#[tokio::test]
async fn an_expired_link_says_so_and_stores_nothing() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let (_, answer) = title_url(&world, &world.direct, "TITLE-LATE", "").await;
    let url = answer["title_url"].as_str().unwrap().to_owned();
    let key = link_key(&answer);
    world.app.advance_clock(30 * 60).await;
    let page = world.app.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 410);
    assert!(page.text().await.unwrap().contains("expired"));
    let posted = world
        .app
        .submit_form(&url, &[("type", "INDIVIDUAL"), ("name", "王五")])
        .await;
    assert_eq!(posted.status(), 410);
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/titles/{key}"),
            &json!({"type": "INDIVIDUAL", "name": "王五"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("expired"));
    let (status, view) = world.app.admin_get(&format!("/fapiao/titles/{key}")).await;
    assert_eq!(status, 200);
    assert_eq!(view["title"], Value::Null, "nothing was stored");

    let (status, _) = world
        .app
        .admin_post("/clock", &json!({"reset": true}))
        .await;
    assert_eq!(status, 200);
    let (status, fresh) = title_url(&world, &world.direct, "TITLE-LATE", "").await;
    assert_eq!(status, 200, "{fresh}");
    let fresh_key = link_key(&fresh);
    assert_ne!(fresh_key, key, "a fresh link for the same application");
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/titles/{fresh_key}"),
            &json!({"type": "INDIVIDUAL", "name": "王五"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = world.app.admin_get(&format!("/fapiao/titles/{key}")).await;
    assert_eq!(status, 404, "the old link is replaced");
    let requests = world.receiver.wait_for(1).await;
    let (_, resource) = open_callback(&world, &world.direct, &requests[0]).await;
    assert_eq!(resource["fapiao_apply_id"], "TITLE-LATE");
}

#[tokio::test]
async fn a_provider_asks_titles_for_its_sub_merchant_and_reads_them_with_or_without_sub_mchid() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    fill_title(
        &world,
        &world.provider,
        "TITLE-SUB",
        &format!("&sub_mchid={SUB}&show_email_cell=true"),
        &json!({"type": "INDIVIDUAL", "name": "赵六", "email": "zhao@example.com"}),
    )
    .await;
    let requests = world.receiver.wait_for(1).await;
    assert_eq!(requests[0].path(), "/provider");
    let (_, resource) = open_callback(&world, &world.provider, &requests[0]).await;
    assert_eq!(resource["mchid"], PROVIDER);
    assert_eq!(resource["sub_mchid"], SUB);

    let query = "scene=WITHOUT_WECHATPAY&fapiao_apply_id=TITLE-SUB";
    let (status, title) =
        user_title(&world, &world.provider, &format!("sub_mchid={SUB}&{query}")).await;
    assert_eq!(status, 200, "{title}");
    assert_eq!(
        decrypt(&world.provider, &title["email"]),
        "zhao@example.com"
    );
    let (status, title) = user_title(&world, &world.provider, query).await;
    assert_eq!(
        status, 200,
        "without sub_mchid, as wechatpayv3 calls it: {title}"
    );
    assert_eq!(title["name"], "赵六");

    let (status, body) =
        user_title(&world, &world.direct, &format!("sub_mchid={SUB}&{query}")).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "NO_AUTH");
    let (status, body) = user_title(
        &world,
        &world.provider,
        &format!("sub_mchid=1900000399&{query}"),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "NO_AUTH");
    let (status, body) = user_title(&world, &world.direct, query).await;
    assert_eq!(status, 404, "another merchant never sees it: {body}");
    let (status, body) = title_url(
        &world,
        &world.provider,
        "TITLE-SUB2",
        "&sub_mchid=1900000399",
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "NO_AUTH");
}
