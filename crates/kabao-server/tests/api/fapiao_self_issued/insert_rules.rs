//! insert-cards (F20) rules: each refused call names its field and
//! stores nothing (the files it named stay usable).

use super::*;
use crate::fapiao_world::{DIRECT, SUB};

/// Posts `body` for `order` as the direct merchant.
async fn insert(world: &FapiaoWorld, order: &str, body: &Value) -> (u16, Value) {
    post_with_serial(world, &world.direct, &insert_path(order), body).await
}

/// Inserts `media` for `order` as the direct merchant, WITH_WECHATPAY.
async fn insert_media(world: &FapiaoWorld, order: &str, media: &[String]) -> (u16, Value) {
    insert(
        world,
        order,
        &insert_body(world, "WITH_WECHATPAY", media, None).await,
    )
    .await
}

/// After a refusal: nothing stored for the order, and `media` still inserts.
async fn nothing_stored(world: &FapiaoWorld, order: &str, media: &[String]) {
    let (status, found) = query(world, &world.direct, order, None).await;
    assert_eq!(status, 404, "{found}");
    let (status, answer) = insert_media(world, order, media).await;
    assert_eq!(status, 202, "{answer}");
}

#[tokio::test]
async fn more_than_five_fapiao_is_param_error() {
    let (world, order) = ready().await;
    let mut media = Vec::new();
    for i in 0..6 {
        media.push(media_id(&world, &world.direct, &pdf(&i.to_string()), None).await);
    }
    let (status, answer) = insert_media(&world, &order, &media).await;
    assert_error(
        status,
        &answer,
        400,
        "PARAM_ERROR",
        "fapiao_card_information",
    );
    nothing_stored(&world, &order, &media[..5]).await;
}

#[tokio::test]
async fn amounts_must_add_up_line_by_line_and_in_the_header() {
    let (world, order) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("m"), None).await];
    let cases: [(&str, Value, &str); 6] = [
        (
            "/items/0/tax_amount",
            json!(49457),
            "fapiao_card_information[0].items[0].total_amount",
        ),
        (
            "/items/0/unit_price",
            json!(380000000000i64),
            "fapiao_card_information[0].items[0].amount",
        ),
        (
            "/total_amount",
            json!(429901),
            "fapiao_card_information[0].total_amount",
        ),
        (
            "/amount",
            json!(380441),
            "fapiao_card_information[0].amount",
        ),
        (
            "/items/0/discount",
            json!(true),
            "fapiao_card_information[0].items[0].discount",
        ),
        (
            "/items/0/tax_prefer_mark",
            json!("FREE"),
            "fapiao_card_information[0].items[0].tax_prefer_mark",
        ),
    ];
    for (pointer, value, field) in cases {
        let mut body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
        *body["fapiao_card_information"][0]
            .pointer_mut(pointer)
            .unwrap() = value;
        let (status, answer) = insert(&world, &order, &body).await;
        assert_error(status, &answer, 400, "PARAM_ERROR", field);
    }
    // ±1 fen of rounding between unit_price × quantity and amount is fine.
    let mut body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    body["fapiao_card_information"][0]["items"][0]["unit_price"] = json!(380441000000i64);
    let (status, answer) = insert(&world, &order, &body).await;
    assert_eq!(status, 202, "{answer}");
}

#[tokio::test]
async fn tax_amount_in_the_header_must_be_the_sum_of_the_lines() {
    let (world, order) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("t"), None).await];
    let mut body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    body["fapiao_card_information"][0]["tax_amount"] = json!(49459);
    body["fapiao_card_information"][0]["amount"] = json!(380441);
    let (status, answer) = insert(&world, &order, &body).await;
    assert_error(
        status,
        &answer,
        400,
        "PARAM_ERROR",
        "fapiao_card_information[0].amount",
    );
    nothing_stored(&world, &order, &media).await;
}

#[tokio::test]
async fn media_must_be_the_owners_live_and_unused() {
    let (world, order) = ready().await;
    let field = "fapiao_card_information[1].fapiao_media_id";
    let mine = media_id(&world, &world.direct, &pdf("mine"), None).await;
    let unknown = "ASNFZ4mrze/+3LqYdlQyEA==".to_owned();
    let (status, answer) = insert_media(&world, &order, &[mine.clone(), unknown]).await;
    assert_error(status, &answer, 400, "PARAM_ERROR", field);

    let theirs = media_id(&world, &world.provider, &pdf("theirs"), Some(SUB)).await;
    let (status, answer) = insert_media(&world, &order, &[mine.clone(), theirs]).await;
    assert_error(status, &answer, 400, "PARAM_ERROR", field);

    let (status, answer) = insert_media(&world, &order, &[mine.clone(), mine.clone()]).await;
    assert_error(status, &answer, 400, "PARAM_ERROR", field);

    let used = media_id(&world, &world.direct, &pdf("used"), None).await;
    let other_order = paid_order(&world, DIRECT).await;
    let (status, _) = insert_media(&world, &other_order, std::slice::from_ref(&used)).await;
    assert_eq!(status, 202);
    let (status, answer) = insert_media(&world, &order, &[mine.clone(), used]).await;
    assert_error(status, &answer, 400, "PARAM_ERROR", field);
    nothing_stored(&world, &order, &[mine]).await;
}

#[tokio::test]
async fn a_file_expires_three_days_after_upload() {
    let (world, order) = ready().await;
    let early = media_id(&world, &world.direct, &pdf("early"), None).await;
    let late = media_id(&world, &world.direct, &pdf("late"), None).await;
    world.app.advance_clock(3 * 24 * 3600 - 60).await;
    let (status, answer) = insert_media(&world, &order, &[early]).await;
    assert_eq!(
        status, 202,
        "a minute before expiry the file is usable: {answer}"
    );
    world.app.advance_clock(60).await;
    let order = paid_order(&world, DIRECT).await;
    let (status, answer) = insert_media(&world, &order, &[late]).await;
    assert_error(
        status,
        &answer,
        400,
        "PARAM_ERROR",
        "fapiao_card_information[0].fapiao_media_id",
    );
    assert!(
        answer["message"].as_str().unwrap().contains("expired"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_card_template_is_required() {
    let world = FapiaoWorld::start().await;
    let order = paid_order(&world, DIRECT).await;
    let media = vec![media_id(&world, &world.direct, &pdf("n"), None).await];
    let (status, answer) = insert_media(&world, &order, &media).await;
    assert_error(status, &answer, 403, "RULE_LIMIT", "card_template");
    card_template(&world, &world.direct, None).await;
    nothing_stored(&world, &order, &media).await;
}

#[tokio::test]
async fn with_wechatpay_the_order_must_be_the_owners() {
    let (world, _) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("o"), None).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    let theirs = paid_order(&world, SUB).await;
    let (status, answer) = insert(&world, &theirs, &body).await;
    assert_error(status, &answer, 403, "RULE_LIMIT", "fapiao_apply_id");
    let (status, answer) = insert(&world, "4200000000202001011234567890", &body).await;
    assert_error(
        status,
        &answer,
        404,
        "RESOURCE_NOT_EXISTS",
        "fapiao_apply_id",
    );
}

#[tokio::test]
async fn without_wechatpay_the_user_must_have_filled_the_title() {
    let (world, _) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("w"), None).await];
    let body = insert_body(&world, "WITHOUT_WECHATPAY", &media, None).await;
    let (status, answer) = insert(&world, "self_issued_no_title", &body).await;
    assert_error(
        status,
        &answer,
        404,
        "RESOURCE_NOT_EXISTS",
        "fapiao_apply_id",
    );
}

#[tokio::test]
async fn an_encrypted_phone_needs_wechatpay_serial() {
    let (world, order) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("s"), None).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    let (status, answer) = world
        .call(&world.direct, "POST", &insert_path(&order), Some(&body))
        .await;
    assert_error(status, &answer, 400, "PARAM_ERROR", "Wechatpay-Serial");
    let mut bad = body.clone();
    bad["buyer_information"]["phone"] = json!("bm90IGVuY3J5cHRlZA==");
    let (status, answer) = insert(&world, &order, &bad).await;
    assert_error(
        status,
        &answer,
        400,
        "PARAM_ERROR",
        "buyer_information.phone",
    );
    let mut bad = body;
    bad["scene"] = json!("IN_STORE");
    let (status, answer) = insert(&world, &order, &bad).await;
    assert_error(status, &answer, 400, "PARAM_ERROR", "scene");
    nothing_stored(&world, &order, &media).await;
}
