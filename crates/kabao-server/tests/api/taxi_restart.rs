//! The taxi family's bar: from company onboarding to a card in the user's
//! card package through the APIs, then kabao restarts on the same database
//! and finds everything again — company, taxi, driver, trip order, card —
//! with the card's file still bound to it and the replay still answering
//! success without a second card.

use crate::fapiao_world::FapiaoWorld;
use crate::taxi_fleet::{company_path, driver_path, get, taxi_path};
use crate::taxi_steps::decrypt;
use crate::taxi_trips::{
    assert_error, assert_says, by_token, card_body, cards_of, insert_own, json, media_id, orders,
    ready, today_window, trip, Ready, Value, APPID, OPENID, REGION_ID,
};

/// What the provider reads back about one trip through the APIs.
#[derive(Debug, PartialEq)]
struct Seen {
    company: Value,
    taxi: Value,
    /// T6 without its name, which is encrypted afresh each time.
    driver: Value,
    driver_name: String,
    orders: Value,
    found: Value,
    cards: Vec<Value>,
}

/// Reads T2, T4, T6, T8, T9 and the card package as the world's provider.
async fn seen(world: &FapiaoWorld, ready: &Ready) -> Seen {
    let provider = &world.provider;
    let fleet = &ready.fleet;
    let mut answers = Vec::new();
    for path in [
        company_path(&fleet.company_mchid, REGION_ID),
        taxi_path(&fleet.plate_number, REGION_ID),
        driver_path(&fleet.driver_license, REGION_ID),
    ] {
        let (status, body) = get(world, provider, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        answers.push(body);
    }
    let mut driver = answers.pop().unwrap();
    let driver_name = decrypt(provider, &driver["driver_name"]);
    driver.as_object_mut().unwrap().remove("driver_name");
    let window = today_window(world).await;
    let (status, orders) = orders(world, provider, &window).await;
    assert_eq!(status, 200, "{orders}");
    let query = format!("token={}&openid={OPENID}&appid={APPID}", ready.token);
    let (status, found) = by_token(world, provider, &query).await;
    assert_eq!(status, 200, "{found}");
    Seen {
        taxi: answers.pop().unwrap(),
        company: answers.pop().unwrap(),
        driver,
        driver_name,
        orders,
        found,
        cards: cards_of(world, OPENID).await,
    }
}

#[tokio::test]
async fn taxi_onboarding_to_card_package_survives_a_restart() {
    let ready = ready().await;
    let body = card_body(&ready.fleet, &ready.token, &ready.media_id);
    let (status, answer) = insert_own(&ready.world, &body).await;
    assert_eq!(status, 204, "{answer}");
    let before = seen(&ready.world, &ready).await;
    assert_eq!(before.cards.len(), 1, "{:?}", before.cards);
    assert_eq!(before.orders["total_count"], 1, "{}", before.orders);
    assert_eq!(before.driver_name, "王师傅");

    let Ready {
        world,
        fleet,
        token,
        media_id: file,
    } = ready;
    let world = world.restart().await;
    let ready = Ready {
        world,
        fleet,
        token,
        media_id: file,
    };
    let world = &ready.world;
    assert_eq!(
        seen(world, &ready).await,
        before,
        "all found after the restart"
    );
    let card = &before.cards[0];
    assert_eq!(card["status"], "INSERTED");
    assert_eq!(card["fapiao_media_id"], ready.media_id.as_str());
    assert_eq!(card["trip"]["trip_order"]["token"], ready.token.as_str());

    // The replay still answers success, and makes no second card.
    let (status, answer) = insert_own(world, &body).await;
    assert_eq!(status, 204, "{answer}");
    assert_eq!(cards_of(world, OPENID).await, before.cards);

    // The file stays bound: another trip (the driver is still signed in)
    // cannot use it, but gets its card with a file of its own.
    let second = trip(world, &world.provider.mchid, &ready.fleet).await;
    let reused = insert_own(world, &card_body(&ready.fleet, &second, &ready.media_id)).await;
    assert_error(
        &reused,
        400,
        "PARAM_ERROR",
        Some("fapiao_card_information.fapiao_media_id"),
    );
    assert_says(&reused, "already");
    let fresh = media_id(world, &world.provider, &ready.fleet).await;
    let mut other = card_body(&ready.fleet, &second, &fresh);
    other["fapiao_card_information"]["fapiao_number"] = json!("12897795");
    let (status, answer) = insert_own(world, &other).await;
    assert_eq!(status, 204, "{answer}");
    let cards = cards_of(world, OPENID).await;
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[1], before.cards[0], "the first card is unchanged");
}
