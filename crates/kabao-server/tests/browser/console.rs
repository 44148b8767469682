//! (e) The console in a real browser: the admin logs in with the token,
//! every console page renders with kabao's own stylesheet and nothing from
//! outside, and pressing Redeliver on a callback shows its new attempt.

use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::harness::Browser;
use crate::helpers::ADMIN_TOKEN;
use crate::steps::{issue_to_title, title_url, title_world};
use serde_json::{json, Value};
use std::time::Duration;

const APPLY_ID: &str = "CONSOLE-BROWSER-1";

/// A title filled in through the control API and a fapiao issued to it:
/// callbacks, an application and a card; waits until every callback is
/// delivered (so one can be redelivered).
async fn full_world() -> (FapiaoWorld, Value) {
    let world = FapiaoWorld::start().await;
    title_world(&world).await;
    let url = title_url(&world, APPLY_ID).await;
    let key = url.rsplit('/').next().unwrap();
    let (status, body) = world
        .app
        .admin_post(
            &format!("/fapiao/titles/{key}"),
            &json!({"type": "INDIVIDUAL", "name": "张三", "phone": "13800138000"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    issue_to_title(&world, APPLY_ID).await;
    for _ in 0..200 {
        let (_, list) = world
            .app
            .admin_get(&format!("/callbacks?mchid={DIRECT}"))
            .await;
        let all = list.as_array().unwrap();
        if all.len() >= 3 && all.iter().all(|c| c["status"] == "delivered") {
            let oldest = all.last().unwrap().clone();
            return (world, oldest);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the callbacks of {APPLY_ID} were never all delivered");
}

/// How many attempt rows the callback `#callback-{id}` shows.
async fn attempts_shown(browser: &Browser, id: i64) -> String {
    browser
        .script(&format!(
            "return String(document.querySelectorAll('#callback-{id} tr.attempt').length)"
        ))
        .await
}

#[tokio::test]
async fn the_admin_logs_in_sees_every_page_and_redelivers_a_callback() {
    let Some(browser) = Browser::start("console").await else {
        return;
    };
    let (world, callback) = full_world().await;
    let base = world.app.base_url.clone();
    let id = callback["id"].as_i64().unwrap();

    // Without the cookie every page leads to the login form.
    browser
        .visit(
            &base,
            &format!("{base}/_kabao/console/callbacks"),
            "1-login",
        )
        .await;
    assert!(browser
        .client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .ends_with("/_kabao/console/login"));
    browser.fill("login-token", "wrong").await;
    browser.click_and_wait("form button[type=submit]").await;
    browser.check_page(&base, "2-wrong-token").await;
    assert!(browser
        .find("#login-token-error")
        .await
        .text()
        .await
        .unwrap()
        .contains("not the admin token"));
    browser.fill("login-token", ADMIN_TOKEN).await;
    browser.click_and_wait("form button[type=submit]").await;
    let overview = browser.check_page(&base, "3-overview").await;
    assert!(overview.contains("Demo world") && overview.contains("<svg"));

    for (path, shot) in [
        ("/_kabao/console/tenants", "4-tenants"),
        (
            &format!("/_kabao/console/fapiao?mchid={DIRECT}") as &str,
            "5-fapiao",
        ),
        (
            &format!("/_kabao/console/fapiao/{DIRECT}/{APPLY_ID}"),
            "6-application",
        ),
        ("/_kabao/console/pushes", "7-pushes"),
        ("/_kabao/console/controls", "8-controls"),
    ] {
        let page = browser.visit(&base, &format!("{base}{path}"), shot).await;
        assert!(page.contains("console-nav"), "{path}");
    }

    let page = browser
        .visit(
            &base,
            &format!("{base}/_kabao/console/callbacks"),
            "9-callbacks",
        )
        .await;
    assert!(page.contains("FAPIAO.ISSUED"), "the callbacks are listed");
    assert_eq!(attempts_shown(&browser, id).await, "1");
    browser
        .click_and_wait(&format!(
            "#callback-{id} form[action$=\"/redeliver\"] button"
        ))
        .await;
    let notice = browser.find("p.notice").await.text().await.unwrap();
    assert!(notice.contains(&format!("#{id}")), "{notice}");
    for _ in 0..100 {
        if attempts_shown(&browser, id).await == "2" {
            browser.check_page(&base, "10-redelivered").await;
            browser.close().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        browser.client.refresh().await.unwrap();
    }
    panic!("the new attempt of callback {id} never showed");
}
