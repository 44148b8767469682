//! The file a card is inserted with: the company's own upload, used within
//! three days, once.

use super::*;

const MEDIA_FIELD: &str = "fapiao_card_information.fapiao_media_id";

#[tokio::test]
async fn an_expired_file_is_refused_and_a_fresh_one_accepted() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    world.app.advance_clock(3 * 24 * 3600 + 1).await;
    let answer = insert_own(&world, &card_body(&fleet, &token, &media_id)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some(MEDIA_FIELD));
    assert_says(&answer, "expired");
    assert!(cards_of(&world, OPENID).await.is_empty());
    let fresh = super::media_id(&world, &world.provider, &fleet).await;
    let (status, answer) = insert_own(&world, &card_body(&fleet, &token, &fresh)).await;
    assert_eq!(status, 204, "{answer}");
}

#[tokio::test]
async fn a_file_makes_one_card_only() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let (status, _) = insert_own(&world, &card_body(&fleet, &token, &media_id)).await;
    assert_eq!(status, 204);
    let second_trip = trip(&world, &world.provider.mchid, &fleet).await;
    let answer = insert_own(&world, &card_body(&fleet, &second_trip, &media_id)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some(MEDIA_FIELD));
    assert_says(&answer, "already");
    assert_eq!(cards_of(&world, OPENID).await.len(), 1);
}

#[tokio::test]
async fn another_companys_or_providers_file_is_refused() {
    let Ready {
        world,
        fleet,
        token,
        media_id: _,
    } = ready().await;
    let second = second_fleet(&world).await;
    let theirs = super::media_id(&world, &world.provider, &second).await;
    let answer = insert_own(&world, &card_body(&fleet, &token, &theirs)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some(MEDIA_FIELD));
    assert_says(&answer, &second.company_mchid);

    let other = other_provider(&world).await;
    let own = signed_in_fleet(&world, &other, "上海大众出租汽车", "沪C11111", "8400001").await;
    let foreign = super::media_id(&world, &other, &own).await;
    let answer = insert_own(&world, &card_body(&fleet, &token, &foreign)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some(MEDIA_FIELD));
    let unknown = insert_own(
        &world,
        &card_body(&fleet, &token, "ASNFZ4mrze/+3LqYdlQyEA=="),
    )
    .await;
    assert_error(&unknown, 400, "PARAM_ERROR", Some(MEDIA_FIELD));
    assert!(cards_of(&world, OPENID).await.is_empty());
}

#[tokio::test]
async fn a_provider_never_sees_another_providers_cards_or_trips() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let other = other_provider(&world).await;
    let own = signed_in_fleet(&world, &other, "上海大众出租汽车", "沪A12345", "6298416").await;
    let their_media = super::media_id(&world, &other, &own).await;
    // The other provider cannot insert this provider's trip, even for its own company.
    let answer = insert(&world, &other, &card_body(&own, &token, &their_media)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("token"));
    // This provider's card is its own; the other provider's trip gets its own card.
    let (status, _) = insert_own(&world, &card_body(&fleet, &token, &media_id)).await;
    assert_eq!(status, 204);
    let their_token = trip(&world, OTHER_PROVIDER, &own).await;
    let (status, answer) =
        insert(&world, &other, &card_body(&own, &their_token, &their_media)).await;
    assert_eq!(status, 204, "{answer}");
    let cards = cards_of(&world, OPENID).await;
    let providers: Vec<_> = cards
        .iter()
        .map(|c| c["provider_mchid"].as_str().unwrap())
        .collect();
    assert_eq!(providers, [OTHER_PROVIDER, world.provider.mchid.as_str()]);
    assert_ne!(
        cards[0]["card_id"], cards[1]["card_id"],
        "one card template per company"
    );
}
