//! A person on the authorisation page: (a) authorises, the platform
//! inserts the invoice, the card is in the card package and its PDF opens;
//! (b) a bad value comes back with its message beside the field and
//! everything typed kept.

use crate::harness::Browser;
use crate::oa_world::{World, MERCHANT};
use crate::steps::{ask_for_titles, auth_url, insert_invoice, package_url};

#[tokio::test]
async fn a_person_authorises_an_invoice_and_finds_the_card_with_its_pdf() {
    let Some(browser) = Browser::start("authorise").await else {
        return;
    };
    let world = World::new().await;
    let base = world.app.base_url.clone();
    ask_for_titles(&world).await;
    let url = auth_url(&world, "browser-1", 1).await;

    let page = browser.visit(&base, &url, "1-form").await;
    assert!(page.contains("¥113.00"), "the amount is shown");
    browser.choose("openid", &world.alice).await;
    browser.choose("title_type", "user").await;
    browser.fill("title", "张三").await;
    browser.fill("phone", "13800138000").await;
    browser.click_and_wait("form button[type=submit]").await;
    let package = package_url(&base, MERCHANT, &world.alice);
    assert_eq!(
        browser.client.current_url().await.unwrap().as_str(),
        package,
        "back to the merchant's redirect_url"
    );
    let (_, order) = world
        .app
        .admin_get(&format!("/oa/orders/{MERCHANT}/browser-1"))
        .await;
    assert_eq!(order["status"], "authorized", "{order}");
    assert_eq!(
        order["user_auth_info"]["user_field"]["title"], "张三",
        "{order}"
    );
    let empty = browser.check_page(&base, "2-package-before-insert").await;
    assert!(empty.contains("id=\"empty\""), "no card before the insert");

    let code = insert_invoice(&world, "browser-1", "20240101").await;
    let page = browser.visit(&base, &package, "3-package").await;
    assert!(page.contains(&format!("data-code=\"{code}\"")));
    let card = browser
        .find(&format!("article[data-code=\"{code}\"]"))
        .await;
    let text = card.text().await.unwrap();
    for shown in [
        "灌哥科技有限公司",
        "¥113.00",
        "已入卡包 · Inserted",
        "20240101",
    ] {
        assert!(
            text.contains(shown),
            "{shown} missing from the card: {text}"
        );
    }
    browser
        .find(&format!("article[data-code=\"{code}\"] details summary"))
        .await
        .click()
        .await
        .unwrap();
    let items = browser
        .find(&format!("article[data-code=\"{code}\"] details table"))
        .await
        .text()
        .await
        .unwrap();
    assert!(items.contains("牙膏") && items.contains("牙刷"), "{items}");
    browser.screenshot("4-package-items").await;

    let link = browser
        .find(&format!("article[data-code=\"{code}\"] a.pdf"))
        .await;
    let href = link.prop("href").await.unwrap().unwrap();
    let (kind, head) = browser.fetch_head(&href).await;
    assert_eq!(kind, "application/pdf");
    assert!(head.starts_with("%PDF"), "{head}");
    link.click().await.unwrap();
    let mut opened = String::new();
    for _ in 0..100 {
        opened = browser
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .to_owned();
        if opened == "/_kabao/media/pdf" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(opened, "/_kabao/media/pdf", "the PDF opens in the browser");
    browser.close().await;
}

#[tokio::test]
async fn a_bad_title_is_refused_beside_its_field_and_what_was_typed_stays() {
    let Some(browser) = Browser::start("authorise-refused").await else {
        return;
    };
    let world = World::new().await;
    let base = world.app.base_url.clone();
    ask_for_titles(&world).await;
    let url = auth_url(&world, "browser-2", 1).await;

    browser.visit(&base, &url, "1-form").await;
    browser.choose("openid", &world.bob).await;
    browser.choose("title_type", "biz").await;
    browser.fill("title", "深圳市灌哥科技有限公司").await;
    browser.fill("tax_no", "9144-bad").await;
    browser.click_and_wait("form button[type=submit]").await;

    let page = browser.check_page(&base, "2-refused").await;
    let message = browser.find("#tax_no-error").await.text().await.unwrap();
    assert!(message.contains("taxpayer id"), "{message}");
    assert_eq!(
        browser
            .find("#tax_no")
            .await
            .attr("aria-describedby")
            .await
            .unwrap()
            .as_deref(),
        Some("tax_no-error"),
        "the message belongs to the field"
    );
    assert_eq!(browser.value("tax_no").await, "9144-bad");
    assert_eq!(browser.value("title").await, "深圳市灌哥科技有限公司");
    assert_eq!(browser.value("title_type").await, "biz");
    assert_eq!(browser.value("openid").await, world.bob);
    assert!(
        !page.contains("title-error"),
        "only the bad field has a message"
    );
    let (_, order) = world
        .app
        .admin_get(&format!("/oa/orders/{MERCHANT}/browser-2"))
        .await;
    assert_eq!(order["status"], "pending", "a refused form stores nothing");

    browser.fill("tax_no", "91440300MA5EXAMPLE").await;
    browser.click_and_wait("form button[type=submit]").await;
    let (_, order) = world
        .app
        .admin_get(&format!("/oa/orders/{MERCHANT}/browser-2"))
        .await;
    assert_eq!(order["status"], "authorized", "{order}");
    assert_eq!(
        order["user_auth_info"]["biz_field"]["tax_no"],
        "91440300MA5EXAMPLE"
    );
    browser.close().await;
}
