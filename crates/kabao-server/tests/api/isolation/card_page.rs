//! The card package page is the user's own view (README: it needs no admin
//! token): one user's page shows only their cards, and another user's path
//! opens and discards none of them.

use crate::oa_world::*;

#[tokio::test]
async fn one_user_cannot_see_open_or_discard_another_users_card() {
    let world = World::new().await;
    world.authorised_order("iso-page", &world.alice).await;
    let pdf = world.pdf("iso-page").await;
    let card = world
        .insert("iso-page", vat_invoice(&pdf, "30000009"))
        .await;
    assert_eq!(card["errcode"], 0, "{card}");
    let code = card["code"].as_str().unwrap();

    let alice = world
        .app
        .page_text(
            &world
                .app
                .url(&format!("/_kabao/cards/{MERCHANT}/{}", world.alice)),
        )
        .await;
    assert!(alice.contains("30000009"), "{alice}");
    let bob_package = format!("/_kabao/cards/{MERCHANT}/{}", world.bob);
    let bob = world.app.page_text(&world.app.url(&bob_package)).await;
    assert!(!bob.contains("30000009") && !bob.contains(code), "{bob}");

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let pdf_as_bob = client
        .get(world.app.url(&format!("{bob_package}/oa/{code}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf_as_bob.status(), 404, "Bob cannot open Alice's PDF");
    let discard_as_bob = client
        .post(world.app.url(&format!("{bob_package}/oa/{code}/discard")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        discard_as_bob.status(),
        404,
        "Bob cannot discard Alice's card"
    );
    let cards = world.cards_of(&world.alice).await;
    assert_eq!(cards[0]["card_status"], "NORMAL", "{:?}", cards[0]);
}
