//! Inserting a taxi fapiao card (T11): the official example succeeds as
//! published with 204 and the card shows up in the user's card package;
//! a trip gets one card, replays answer the same, and the YAML's 200 answer
//! and older body shape are served too.

use super::*;
use kabao_server::domain::taxi::card_package::TaxiCardResponse;

#[tokio::test]
async fn the_official_example_inserts_a_card_with_204() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let body = card_body(&fleet, &token, &media_id);
    let (status, answer) = insert_own(&world, &body).await;
    assert_eq!((status, &answer), (204, &Value::Null));

    let cards = cards_of(&world, OPENID).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    let card = &cards[0];
    assert_eq!(card["status"], "INSERTED");
    assert_eq!(card["card_appid"], APPID);
    assert_eq!(card["card_openid"], OPENID);
    assert_eq!(card["company_mchid"], fleet.company_mchid.as_str());
    assert_eq!(card["provider_mchid"], world.provider.mchid.as_str());
    assert_eq!(card["fapiao_media_id"], media_id.as_str());
    assert_eq!(card["card_code"].as_str().unwrap().len(), 12);
    assert!(card["card_id"].as_str().unwrap().starts_with('p'));
    let stored = &card["fapiao_card_information"];
    let sent = &body["fapiao_card_information"];
    for key in [
        "fapiao_number",
        "fapiao_code",
        "fapiao_time",
        "check_code",
        "password",
        "total_amount",
        "tax_amount",
        "amount",
        "seller_information",
        "extra_information",
        "items",
        "remark",
    ] {
        assert_eq!(stored[key], sent[key], "{key}");
    }
    assert_eq!(
        stored["buyer_information"]["type"], "ORGANIZATION",
        "CORPORATION is kept as ORGANIZATION"
    );
    assert_eq!(stored["buyer_information"]["name"], "深圳市南山区测试企业");
    // The example's header totals are not the sums of its line: accepted with warnings.
    let warnings = card["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0]
        .as_str()
        .unwrap()
        .starts_with("fapiao_card_information.total_amount"));
    let trip = &card["trip"];
    assert_eq!(trip["trip_order"]["token"], token.as_str());
    assert_eq!(trip["plate_number"], "沪A12345");
    assert_eq!(trip["trip_order"]["driver_license"], "6298416");
    // Another user has no card.
    assert!(cards_of(&world, "oSomeoneElse000000000000001")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_trip_gets_one_card_and_an_identical_replay_answers_the_same() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let body = card_body(&fleet, &token, &media_id);
    for _ in 0..2 {
        let (status, _) = insert_own(&world, &body).await;
        assert_eq!(status, 204);
    }
    let first = cards_of(&world, OPENID).await;
    assert_eq!(first.len(), 1);

    // A different body for the carded trip (even with a fresh file) is refused.
    let mut other = card_body(
        &fleet,
        &token,
        &super::media_id(&world, &world.provider, &fleet).await,
    );
    other["fapiao_card_information"]["remark"] = json!("另一张发票");
    let answer = insert_own(&world, &other).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("token"));
    assert_says(&answer, first[0]["card_code"].as_str().unwrap());
    assert_eq!(cards_of(&world, OPENID).await, first, "nothing changed");

    // The same trip named the older way is the same request.
    let ride_id = &first[0]["trip"]["transaction_id"];
    let older = older_shape(&body, ride_id, &fleet.plate_number, &fleet.driver_license);
    let (status, answer) = insert_own(&world, &older).await;
    assert_eq!(status, 204, "{answer}");
    assert_eq!(cards_of(&world, OPENID).await, first);

    // Discarded by the user, the card stays one card.
    let code = first[0]["card_code"].as_str().unwrap();
    let (status, discarded) = world
        .app
        .admin_post(&format!("/taxi/cards/{code}/discard"), &json!({}))
        .await;
    assert_eq!(status, 200, "{discarded}");
    assert_eq!(discarded["status"], "DISCARDED");
    let (status, again) = world
        .app
        .admin_post(&format!("/taxi/cards/{code}/discard"), &json!({}))
        .await;
    assert_eq!((status, &again["status"]), (200, &json!("DISCARDED")));
    assert_eq!(cards_of(&world, OPENID).await[0]["status"], "DISCARDED");
    let (status, _) = world
        .app
        .admin_post("/taxi/cards/000000000000/discard", &json!({}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_older_shape_inserts_by_trade_number_plate_and_driver() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let ride = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    let media_id = media_id(&world, &world.provider, &fleet).await;
    let mut body = older_shape(
        &card_body(&fleet, "", &media_id),
        &ride["transaction_id"],
        "沪A12345",
        "6298416",
    );
    body.as_object_mut().unwrap().remove("appid");
    let (status, answer) = insert_own(&world, &body).await;
    assert_eq!(status, 204, "{answer}");
    let cards = cards_of(&world, OPENID).await;
    assert_eq!(cards[0]["card_appid"], APPID, "the ride's AppID");
    assert_eq!(cards[0]["trip"]["transaction_id"], ride["transaction_id"]);
}

#[tokio::test]
async fn the_yaml_answer_carries_the_card_when_switched_on() {
    let world = world_with(|s| s.taxi_card_response = TaxiCardResponse::Card).await;
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready_on(world).await;
    let body = card_body(&fleet, &token, &media_id);
    let (status, answer) = insert_own(&world, &body).await;
    assert_eq!(status, 200, "{answer}");
    let card = &cards_of(&world, OPENID).await[0];
    assert_eq!(
        answer,
        json!({"card_appid": APPID, "card_openid": OPENID,
            "card_id": card["card_id"], "card_code": card["card_code"]})
    );
    let (status, replay) = insert_own(&world, &body).await;
    assert_eq!(
        (status, replay),
        (200, answer),
        "a replay answers the same card"
    );
}

#[tokio::test]
async fn strict_mode_refuses_totals_that_are_not_the_sums_of_the_lines() {
    let world = world_with(|s| s.strict = true).await;
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready_on(world).await;
    let body = card_body(&fleet, &token, &media_id);
    let answer = insert_own(&world, &body).await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_card_information.total_amount"),
    );
    assert!(cards_of(&world, OPENID).await.is_empty());
    let (status, answer) = insert_own(&world, &consistent(body)).await;
    assert_eq!(status, 204, "{answer}");
    assert_eq!(cards_of(&world, OPENID).await[0]["warnings"], json!([]));
}
