//! insert-cards (F20): the flow to INSERTED, replays and conflicts.

use super::*;
use crate::fapiao_world::{DIRECT, PROVIDER, SUB};
use crate::receiver::Recorded;

/// Waits for `n` FAPIAO.CARD_INSERTED callbacks on `path` and returns the
/// fapiao they report, decrypted with `apiv3_key`.
async fn card_inserted(world: &FapiaoWorld, path: &str, apiv3_key: &str, n: usize) -> Vec<Value> {
    let mut seen = Vec::new();
    for _ in 0..100 {
        let requests: Vec<Recorded> = world.receiver.requests();
        seen = requests
            .iter()
            .filter(|r| r.path() == path)
            .map(|r| callback_plaintext(r, apiv3_key))
            .filter(|(event, _)| event == "FAPIAO.CARD_INSERTED")
            .map(|(_, plain)| plain)
            .collect();
        let reported: usize = seen
            .iter()
            .map(|p| p["fapiao_information"].as_array().map_or(0, Vec::len))
            .sum();
        if reported >= n {
            return seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("expected {n} fapiao in FAPIAO.CARD_INSERTED on {path}, got {seen:?}");
}

#[tokio::test]
async fn inserted_fapiao_reach_inserted_with_a_callback_and_show_in_the_query() {
    let (world, order) = ready().await;
    let media = vec![
        media_id(&world, &world.direct, &pdf("1"), None).await,
        media_id(&world, &world.direct, &pdf("2"), None).await,
    ];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(&order), &body).await;
    assert_eq!(status, 202, "{answer}");

    let callbacks = card_inserted(&world, "/direct", &world.direct.apiv3_key, 2).await;
    let plain = &callbacks[0];
    assert_eq!(plain["mchid"], DIRECT);
    assert_eq!(plain["fapiao_apply_id"], order.as_str());
    assert_eq!(plain["fapiao_information"][0]["card_status"], "INSERTED");

    let (status, found) = query(&world, &world.direct, &order, None).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total_count"], 2, "{found}");
    let first = &found["fapiao_information"][0];
    assert_eq!(first["fapiao_id"], "04400191121112897794");
    assert_eq!(first["status"], "ISSUED");
    assert_eq!(first["card_information"]["card_status"], "INSERTED");
    assert_eq!(first["card_information"]["card_openid"], OPENID);
    assert_eq!(first["blue_fapiao"]["fapiao_number"], "12897794");
    assert_eq!(first["blue_fapiao"]["check_code"], "69001808340631374774");
    assert_eq!(first["total_amount"], 429900);
    assert_eq!(first["items"][0]["unit_price"], 380442000000i64);
    assert_eq!(
        found["fapiao_information"][1]["blue_fapiao"]["fapiao_number"],
        "12897795"
    );
}

#[tokio::test]
async fn the_same_request_again_is_accepted_and_changes_nothing() {
    let (world, order) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("r"), None).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    let (status, _) = post_with_serial(&world, &world.direct, &insert_path(&order), &body).await;
    assert_eq!(status, 202);
    card_inserted(&world, "/direct", &world.direct.apiv3_key, 1).await;

    // A retry re-encrypts the phone, so the bytes differ but the request is the same.
    let again = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    assert_ne!(again, body);
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(&order), &again).await;
    assert_eq!(status, 202, "{answer}");
    let (_, found) = query(&world, &world.direct, &order, None).await;
    assert_eq!(found["total_count"], 1, "{found}");
    assert_eq!(
        found["fapiao_information"][0]["card_information"]["card_status"],
        "INSERTED"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        card_inserted(&world, "/direct", &world.direct.apiv3_key, 1)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_different_request_for_an_inserted_order_is_resource_already_exists() {
    let (world, order) = ready().await;
    let first = vec![media_id(&world, &world.direct, &pdf("x"), None).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &first, None).await;
    let (status, _) = post_with_serial(&world, &world.direct, &insert_path(&order), &body).await;
    assert_eq!(status, 202);
    let second = vec![media_id(&world, &world.direct, &pdf("y"), None).await];
    let other = insert_body(&world, "WITH_WECHATPAY", &second, None).await;
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(&order), &other).await;
    assert_error(
        status,
        &answer,
        400,
        "RESOURCE_ALREADY_EXISTS",
        "fapiao_apply_id",
    );
    // The refused call bound nothing: the second file still goes into another order.
    let order2 = paid_order(&world, DIRECT).await;
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(&order2), &other).await;
    assert_eq!(status, 202, "{answer}");
}

#[tokio::test]
async fn a_provider_inserts_for_its_sub_merchant_and_gets_the_callback() {
    let world = FapiaoWorld::start().await;
    card_template(&world, &world.provider, Some(SUB)).await;
    let order = paid_order(&world, SUB).await;
    let media = vec![media_id(&world, &world.provider, &pdf("p"), Some(SUB)).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, Some(SUB)).await;
    let (status, answer) =
        post_with_serial(&world, &world.provider, &insert_path(&order), &body).await;
    assert_eq!(status, 202, "{answer}");
    let callbacks = card_inserted(&world, "/provider", &world.provider.apiv3_key, 1).await;
    assert_eq!(callbacks[0]["mchid"], PROVIDER);
    assert_eq!(callbacks[0]["sub_mchid"], SUB);
    let (status, found) = query(&world, &world.provider, &order, Some(SUB)).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found["fapiao_information"][0]["card_information"]["card_status"],
        "INSERTED"
    );
    // The direct merchant sees nothing of it.
    let (status, _) = query(&world, &world.direct, &order, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn without_wechatpay_the_cards_go_to_the_user_who_filled_the_title() {
    use crate::fapiao_titles::{
        fill_title, organization, provision_title_user, title_url, BOTH_CELLS, TITLE_OPENID,
    };
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    card_template(&world, &world.direct, None).await;
    let apply_id = "self_issued_title_0001";
    let media = vec![media_id(&world, &world.direct, &pdf("t"), None).await];
    let body = insert_body(&world, "WITHOUT_WECHATPAY", &media, None).await;

    // A link the user has not filled in yet is not enough.
    let (status, _) = title_url(&world, &world.direct, apply_id, BOTH_CELLS).await;
    assert_eq!(status, 200);
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(apply_id), &body).await;
    assert_error(
        status,
        &answer,
        404,
        "RESOURCE_NOT_EXISTS",
        "fapiao_apply_id",
    );

    fill_title(&world, &world.direct, apply_id, BOTH_CELLS, &organization()).await;
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(apply_id), &body).await;
    assert_eq!(status, 202, "{answer}");
    let callbacks = card_inserted(&world, "/direct", &world.direct.apiv3_key, 1).await;
    assert_eq!(callbacks[0]["fapiao_apply_id"], apply_id);
    let (status, found) = query(&world, &world.direct, apply_id, None).await;
    assert_eq!(status, 200, "{found}");
    let card = &found["fapiao_information"][0]["card_information"];
    assert_eq!(card["card_status"], "INSERTED");
    assert_eq!(card["card_openid"], TITLE_OPENID);
}

#[tokio::test]
async fn two_identical_calls_at_once_store_one_application() {
    let (world, order) = ready().await;
    let media = vec![media_id(&world, &world.direct, &pdf("race"), None).await];
    let body = insert_body(&world, "WITH_WECHATPAY", &media, None).await;
    let path = insert_path(&order);
    let (a, b) = tokio::join!(
        post_with_serial(&world, &world.direct, &path, &body),
        post_with_serial(&world, &world.direct, &path, &body),
    );
    assert_eq!((a.0, b.0), (202, 202), "{} {}", a.1, b.1);
    card_inserted(&world, "/direct", &world.direct.apiv3_key, 1).await;
    let (_, found) = query(&world, &world.direct, &order, None).await;
    assert_eq!(found["total_count"], 1, "{found}");
}
