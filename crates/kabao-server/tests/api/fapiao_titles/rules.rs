//! Each bad parameter of title-url and user-title, and each bad title field, named.

use super::*;
use crate::fapiao_world::DIRECT;

#[tokio::test]
async fn title_url_and_user_title_name_each_bad_parameter() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let base = "/v3/new-tax-control-fapiao/user-title/title-url?fapiao_apply_id=T-BAD";
    let ok_rest = format!("&source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=100");
    let cases = [
        (format!("/v3/new-tax-control-fapiao/user-title/title-url?source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=100"), "fapiao_apply_id"),
        (format!("{base}&source=APP&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=100"), "source"),
        (format!("{base}&source=WEB&appid=wxnotprovisioned01&openid={TITLE_OPENID}&total_amount=100"), "appid"),
        (format!("{base}&source=WEB&appid={TITLE_APPID}&openid=oSomeoneElse&total_amount=100"), "openid"),
        (format!("{base}&source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=-5"), "total_amount"),
        (format!("{base}{ok_rest}&show_phone_cell=yes"), "show_phone_cell"),
        (format!("/v3/new-tax-control-fapiao/user-title/title-url?fapiao_apply_id={}{ok_rest}", "x".repeat(33)), "fapiao_apply_id"),
    ];
    for (path, field) in cases {
        let (status, body) = world.call(&world.direct, "GET", &path, None).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["code"], "PARAM_ERROR");
        assert_eq!(body["detail"]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(field));
    }
    let (status, body) = world
        .call(&world.direct, "GET", &format!("{base}&source=MINIPROGRAM&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=100"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["miniprogram_appid"]
        .as_str()
        .unwrap()
        .starts_with("wx"));
    assert!(body["miniprogram_path"]
        .as_str()
        .unwrap()
        .contains(&link_key(&body)));
    assert!(body["miniprogram_user_name"]
        .as_str()
        .unwrap()
        .ends_with("@app"));

    let (status, body) = user_title(
        &world,
        &world.direct,
        "scene=SOMETIMES&fapiao_apply_id=T-BAD",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["detail"]["field"], "scene");
    let (status, body) = user_title(&world, &world.direct, "scene=WITH_WECHATPAY").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["detail"]["field"], "fapiao_apply_id");
}

#[tokio::test]
async fn the_title_step_names_each_bad_field_and_stores_nothing() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    let (_, answer) = title_url(
        &world,
        &world.direct,
        "TITLE-RULES",
        "&show_phone_cell=true&must_input_phone=true",
    )
    .await;
    let key = link_key(&answer);
    let cases = [
        (json!({"name": "x", "phone": "13800138000"}), "type"),
        (
            json!({"type": "PERSON", "name": "x", "phone": "13800138000"}),
            "type",
        ),
        (
            json!({"type": "INDIVIDUAL", "phone": "13800138000"}),
            "name",
        ),
        (
            json!({"type": "ORGANIZATION", "name": "x", "phone": "13800138000"}),
            "taxpayer_id",
        ),
        (
            json!({"type": "ORGANIZATION", "name": "x", "taxpayer_id": "abc", "phone": "13800138000"}),
            "taxpayer_id",
        ),
        (json!({"type": "INDIVIDUAL", "name": "x"}), "phone"),
        (
            json!({"type": "INDIVIDUAL", "name": "x", "phone": "call me"}),
            "phone",
        ),
        (
            json!({"type": "INDIVIDUAL", "name": "x", "phone": "13800138000", "email": "a@b.com"}),
            "email",
        ),
        (
            json!({"type": "INDIVIDUAL", "name": "x", "phone": "13800138000", "fapiao_bill_type": "VAT_FAPIAO"}),
            "fapiao_bill_type",
        ),
        (
            json!({"type": "ORGANIZATION", "name": "x", "taxpayer_id": "202003261233701778", "phone": "13800138000", "fapiao_bill_type": "VAT_FAPIAO"}),
            "address",
        ),
    ];
    for (title, field) in cases {
        let (status, body) = world
            .app
            .admin_post(&format!("/fapiao/titles/{key}"), &title)
            .await;
        assert_eq!(status, 400, "{title}: {body}");
        assert_eq!(body["field"], field, "{title}: {body}");
    }
    let (_, view) = world.app.admin_get(&format!("/fapiao/titles/{key}")).await;
    assert_eq!(view["title"], Value::Null);
    let (status, _) = world
        .app
        .admin_post(
            "/fapiao/titles/nosuchkey",
            &json!({"type": "INDIVIDUAL", "name": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/merchants/{DIRECT}/titles/TITLE-RULES"),
            &json!({"type": "INDIVIDUAL", "name": "x", "phone": "13800138000"}),
        )
        .await;
    assert_eq!(status, 200, "by merchant and application id: {body}");
    assert_eq!(body["title"]["name"], "x");
    assert!(world.receiver.wait_for(1).await.len() == 1);
}
