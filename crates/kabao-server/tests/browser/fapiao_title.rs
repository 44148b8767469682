//! (c) A person fills in a fapiao title on the title page (a refused
//! value first, shown beside its field), the merchant issues the fapiao to
//! that title, the card appears in the person's card package with its PDF,
//! and discarding it sends FAPIAO.CARD_DISCARDED.

use crate::fapiao_world::FapiaoWorld;
use crate::harness::Browser;
use crate::steps::{
    issue_to_title, package_url, title_url, title_world, TITLE_APPID, TITLE_OPENID,
};
use kabao_protocol::notification::Notification;
use std::time::Duration;

#[tokio::test]
async fn a_person_fills_in_a_title_and_the_fapiao_arrives_in_the_card_package() {
    let Some(browser) = Browser::start("fapiao-title").await else {
        return;
    };
    let world = FapiaoWorld::start().await;
    let base = world.app.base_url.clone();
    title_world(&world).await;
    let url = title_url(&world, "TITLE-BROWSER-1").await;

    let page = browser.visit(&base, &url, "1-form").await;
    assert!(page.contains("¥350.00"), "the amount is shown");
    browser.choose("type", "ORGANIZATION").await;
    browser.fill("name", "深圳市南山区测试企业").await;
    browser.fill("phone", "13800138000").await;
    browser.click_and_wait("form button[type=submit]").await;
    browser.check_page(&base, "2-refused").await;
    let message = browser
        .find("#taxpayer_id-error")
        .await
        .text()
        .await
        .unwrap();
    assert!(message.contains("ORGANIZATION"), "{message}");
    assert_eq!(browser.value("type").await, "ORGANIZATION");
    assert_eq!(browser.value("name").await, "深圳市南山区测试企业");
    assert_eq!(browser.value("phone").await, "13800138000");

    browser.fill("taxpayer_id", "202003261233701778").await;
    browser.click_and_wait("form button[type=submit]").await;
    let done = browser.check_page(&base, "3-submitted").await;
    assert!(done.contains("Title submitted"), "{done}");
    let applied = world.receiver.wait_for(1).await;
    let event = Notification::parse(&applied[0].body).unwrap();
    assert_eq!(event.event_type, "FAPIAO.USER_APPLIED");

    let fapiao = issue_to_title(&world, "TITLE-BROWSER-1").await;
    let code = fapiao["card_information"]["card_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let package = package_url(&base, TITLE_APPID, TITLE_OPENID);
    browser.visit(&base, &package, "4-package").await;
    let card = browser
        .find(&format!("article[data-code=\"{code}\"]"))
        .await;
    let text = card.text().await.unwrap();
    for shown in [
        "电子发票 · Fapiao",
        "深圳市南山区测试企业",
        "¥350.00",
        "已入卡包 · Inserted",
    ] {
        assert!(
            text.contains(shown),
            "{shown} missing from the card: {text}"
        );
    }
    let href = browser
        .find(&format!("article[data-code=\"{code}\"] a.pdf"))
        .await
        .prop("href")
        .await
        .unwrap()
        .unwrap();
    let (kind, head) = browser.fetch_head(&href).await;
    assert_eq!(kind, "application/pdf");
    assert!(head.starts_with("%PDF"), "{head}");

    browser
        .click_and_wait(&format!(
            "article[data-code=\"{code}\"] form.discard button"
        ))
        .await;
    let mut discarded = false;
    for _ in 0..100 {
        let got = world.receiver.requests();
        discarded = got.iter().any(|r| {
            Notification::parse(&r.body).is_ok_and(|n| n.event_type == "FAPIAO.CARD_DISCARDED")
        });
        if discarded {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(discarded, "the merchant hears FAPIAO.CARD_DISCARDED");
    browser.visit(&base, &package, "5-discarded").await;
    let status = browser
        .find(&format!("article[data-code=\"{code}\"] .status"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(status, "已删除 · Discarded");
    browser.close().await;
}
