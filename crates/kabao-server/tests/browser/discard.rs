//! (d) The user discards an invoice card from the card package page: the
//! card shows as discarded, its Discard button is gone, and the control API
//! sees what its own discard does (`DELETE`).

use crate::harness::Browser;
use crate::oa_world::{World, MERCHANT};
use crate::steps::{alice_invoice, package_url};

#[tokio::test]
async fn the_user_discards_a_card_from_the_card_package() {
    let Some(browser) = Browser::start("discard").await else {
        return;
    };
    let world = World::new().await;
    let base = world.app.base_url.clone();
    let kept = alice_invoice(&world, "discard-1", "20240201").await;
    let gone = alice_invoice(&world, "discard-2", "20240202").await;
    let package = package_url(&base, MERCHANT, &world.alice);
    browser.visit(&base, &package, "1-before").await;
    let order: Vec<String> = browser
        .client
        .execute(
            "return [...document.querySelectorAll('article')].map(a => a.dataset.code)",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, [gone.clone(), kept.clone()], "newest first");

    browser
        .click_and_wait(&format!(
            "article[data-code=\"{gone}\"] form.discard button"
        ))
        .await;
    assert_eq!(
        browser.client.current_url().await.unwrap().as_str(),
        package,
        "back to the card package"
    );
    browser.check_page(&base, "2-after").await;
    let status = browser
        .find(&format!("article[data-code=\"{gone}\"] .status"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(status, "已删除 · Discarded");
    let buttons = browser
        .script(&format!(
            "return document.querySelectorAll('article[data-code=\"{gone}\"] form.discard').length"
        ))
        .await;
    assert_eq!(buttons, "0", "no Discard button on a discarded card");
    let cards = world.cards_of(&world.alice).await;
    let status_of = |code: &str| {
        cards
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["card_status"].clone())
            .unwrap()
    };
    assert_eq!(status_of(&gone), "DELETE");
    assert_eq!(status_of(&kept), "NORMAL");
    browser.close().await;
}
