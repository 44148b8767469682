//! Fapiao tenants: a service provider cannot insert self-issued cards into
//! a direct merchant's paid order by naming its transaction id, nor reverse
//! or fetch the files of the application that order becomes.

use crate::fapiao_self_issued::{insert_body, insert_path, media_id, pdf, post_with_serial, ready};
use crate::fapiao_steps::{post_reverse, query};
use crate::fapiao_world::SUB;
use serde_json::json;

#[tokio::test]
async fn a_provider_cannot_insert_into_reverse_or_read_a_direct_merchants_order() {
    let (world, order) = ready().await;
    crate::fapiao_steps::card_template(&world, &world.provider, Some(SUB)).await;
    let theirs = media_id(&world, &world.provider, &pdf("theirs"), Some(SUB)).await;
    let body = insert_body(&world, "WITH_WECHATPAY", &[theirs], Some(SUB)).await;
    let (status, answer) =
        post_with_serial(&world, &world.provider, &insert_path(&order), &body).await;
    assert!(status >= 400, "{status} {answer}");
    let (status, found) = query(&world, &world.direct, &order, None).await;
    assert_eq!(
        status, 404,
        "the direct merchant's order has no application: {found}"
    );

    // Once the owner has inserted, the application is still not the provider's.
    let mine = media_id(&world, &world.direct, &pdf("mine"), None).await;
    let body = insert_body(&world, "WITH_WECHATPAY", &[mine], None).await;
    let (status, answer) =
        post_with_serial(&world, &world.direct, &insert_path(&order), &body).await;
    assert_eq!(status, 202, "{answer}");
    let (status, _) = query(&world, &world.provider, &order, Some(SUB)).await;
    assert_eq!(status, 404);
    // The buyer's phone is encrypted anew (RSA-OAEP) on every answer.
    let unchanged_part = |(status, mut found): (u16, serde_json::Value)| {
        found["fapiao_information"][0]["buyer_information"]["phone"].take();
        (status, found)
    };
    // Settled first: the self-issued card moves on to INSERTED by itself.
    crate::fapiao_issue::wait_until(
        &world,
        &world.direct,
        &order,
        None,
        "ISSUED",
        Some("INSERTED"),
    )
    .await;
    let before = unchanged_part(query(&world, &world.direct, &order, None).await);
    assert_eq!(before.0, 200, "{}", before.1);
    assert_eq!(
        before.1["fapiao_information"][0]["status"], "ISSUED",
        "{}",
        before.1
    );
    let reverse = json!({"sub_mchid": SUB, "reverse_reason": "SALES_RETURN",
        "fapiao_information": [{"fapiao_id": "F", "fapiao_number": "00000000"}]});
    let (status, answer) = post_reverse(&world, &world.provider, &order, &reverse).await;
    assert_eq!(status, 404, "{answer}");
    let after = unchanged_part(query(&world, &world.direct, &order, None).await);
    assert_eq!(after, before, "the owner's application is unchanged");
}
