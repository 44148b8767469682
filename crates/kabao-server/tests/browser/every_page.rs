//! (e) Every page answers, without errors and from kabao alone, with an
//! empty store and with a full one: the card package index, a user's card
//! package (full and empty), the authorisation page (pending and answered),
//! the title page, and the not-found pages of each.

use crate::fapiao_world::FapiaoWorld;
use crate::harness::Browser;
use crate::helpers::spawn_app;
use crate::oa_world::{World, MERCHANT};
use crate::steps::{alice_invoice, auth_url, package_url, title_url, title_world};

/// The HTTP status of `url` (the browser does not show it).
async fn status(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_page_answers_with_an_empty_store() {
    let Some(browser) = Browser::start("empty").await else {
        return;
    };
    let app = spawn_app().await;
    let base = app.base_url.clone();
    for (path, expected, shot, says) in [
        ("/_kabao/cards", 200, "index", "No users yet"),
        (
            "/_kabao/cards/wxnobody0000000001/oNobody",
            404,
            "unknown-user",
            "No such user",
        ),
        (
            "/_kabao/authorize/nokey",
            404,
            "unknown-authorisation",
            "No authorisation",
        ),
        (
            "/_kabao/fapiao/title/nokey",
            404,
            "unknown-title-link",
            "No title request",
        ),
        (
            "/_kabao/fapiao/invite/nokey",
            404,
            "unknown-invitation",
            "No invitation",
        ),
        (
            "/_kabao/media/pdf?media_key=nope",
            404,
            "unknown-pdf-link",
            "No PDF",
        ),
    ] {
        let url = format!("{base}{path}");
        assert_eq!(status(&url).await, expected, "{path}");
        let page = browser.visit(&base, &url, shot).await;
        assert!(page.contains(says), "{path}: {page}");
        let h1 = browser.find("h1").await.text().await.unwrap();
        assert!(!h1.is_empty(), "{path} has a heading");
    }
    browser.close().await;
}

#[tokio::test]
async fn every_page_answers_with_a_full_store() {
    let Some(browser) = Browser::start("full").await else {
        return;
    };
    let world = World::new().await;
    let base = world.app.base_url.clone();
    alice_invoice(&world, "full-1", "20240301").await;
    alice_invoice(&world, "full-2", "20240302").await;
    let pending = auth_url(&world, "full-3", 0).await;
    let answered = auth_url(&world, "full-4", 0).await;
    let (code, body) = world
        .authorize(MERCHANT, "full-4", &world.bob, serde_json::json!({}))
        .await;
    assert_eq!(code, 200, "{body}");

    let index = format!("{base}/_kabao/cards");
    let alice = package_url(&base, MERCHANT, &world.alice);
    let bob = package_url(&base, MERCHANT, &world.bob);
    for (url, shot, says) in [
        (index.as_str(), "index", world.alice.as_str()),
        (alice.as_str(), "package", "20240302"),
        (bob.as_str(), "package-empty", "No cards yet"),
        (pending.as_str(), "authorise-pending", "确认授权"),
        (answered.as_str(), "authorise-answered", "auth success"),
    ] {
        assert_eq!(status(url).await, 200, "{url}");
        let page = browser.visit(&base, url, shot).await;
        assert!(page.contains(says), "{url}: {page}");
    }
    browser.client.goto(&index).await.unwrap();
    let link = browser
        .find(&format!(
            "a[href=\"/_kabao/cards/{MERCHANT}/{}\"]",
            world.alice
        ))
        .await;
    link.click().await.unwrap();
    browser.find("article.wallet").await;
    assert_eq!(
        browser.client.current_url().await.unwrap().as_str(),
        alice,
        "the index links to the user's card package"
    );

    let fapiao = FapiaoWorld::start().await;
    title_world(&fapiao).await;
    let title = title_url(&fapiao, "TITLE-FULL-1").await;
    let fbase = fapiao.app.base_url.clone();
    assert_eq!(status(&title).await, 200);
    let page = browser.visit(&fbase, &title, "title-page").await;
    assert!(page.contains("¥350.00"), "{page}");
    browser.find("#taxpayer_id").await;
    browser.close().await;
}
