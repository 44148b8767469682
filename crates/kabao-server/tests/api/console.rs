//! The console under /_kabao/console, as a person uses it over HTTP: the
//! admin-token login, every page on an empty and a full store, the
//! redeliver button, the clock form and refused input shown beside its field.

use crate::console_steps::{Console, PAGES};
use crate::fapiao_issue::{direct_inserted, direct_order, issue_one};
use crate::fapiao_titles::{fill_title, provision_title_user};
use crate::fapiao_world::{FapiaoWorld, DIRECT, PROVIDER};
use crate::helpers::spawn_app;
use reqwest::header::{COOKIE, ORIGIN};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn every_page_needs_the_admin_token_login() {
    let app = spawn_app().await;
    let mut stranger = Console::new(&app);
    for path in PAGES {
        let page = stranger.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/_kabao/console/login"));
    }
    let page = stranger
        .post(
            "/_kabao/console/controls/clock",
            &[("advance_seconds", "60")],
        )
        .await;
    assert_eq!(page.status, 303, "a form without a session does nothing");
    let (_, clock) = app.admin_get("/clock").await;
    assert_eq!(clock["offset_seconds"], 0.0);

    let refused = stranger.login("not-the-token").await;
    assert_eq!(refused.status, 401);
    assert!(stranger.cookie.is_none(), "a wrong token sets no cookie");
    assert!(
        refused.body.contains("is not the admin token") && refused.body.contains("aria-invalid"),
        "{}",
        refused.body
    );
    assert!(
        stranger.get("/_kabao/console").await.status == 303,
        "still logged out"
    );

    let console = Console::logged_in(&app).await;
    assert!(console.html("/_kabao/console").await.contains("Demo world"));

    // A form posted from another site is refused even with the cookie.
    let cross = console
        .http
        .post(app.url("/_kabao/console/controls/clock"))
        .header(COOKIE, console.cookie.clone().unwrap())
        .header(ORIGIN, "http://evil.example")
        .form(&[("advance_seconds", "60")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);

    let out = console.post("/_kabao/console/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/_kabao/console/login"));
}

#[tokio::test]
async fn every_page_answers_on_an_empty_store() {
    let app = spawn_app().await;
    let console = Console::logged_in(&app).await;
    for path in PAGES {
        let html = console.html(path).await;
        assert!(html.contains("<nav class=\"console-nav\""), "{path}");
        assert!(
            !html.contains("src=\"http"),
            "{path} loads nothing from outside"
        );
    }
    assert!(console
        .html("/_kabao/console/tenants")
        .await
        .contains("No apps yet"));
    assert!(console
        .html("/_kabao/console/callbacks")
        .await
        .contains("Nothing was sent yet"));
    let overview = console.html("/_kabao/console").await;
    assert_eq!(
        overview.matches("<svg class=\"chart\"").count(),
        2,
        "both charts"
    );
    assert!(
        overview.contains("control ("),
        "the request chart names the families"
    );
}

#[tokio::test]
async fn every_page_answers_on_a_full_store_and_shows_the_application() {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 1000).await;
    direct_inserted(&world, &tx).await;
    let console = Console::logged_in(&world.app).await;
    for path in PAGES {
        console.html(path).await;
    }
    let tenants = console.html("/_kabao/console/tenants").await;
    assert!(tenants.contains(DIRECT) && tenants.contains(PROVIDER));
    assert!(tenants.contains("service_provider"));

    let list = console
        .html(&format!("/_kabao/console/fapiao?mchid={DIRECT}"))
        .await;
    assert!(list.contains(&tx), "{list}");
    let application = console
        .html(&format!("/_kabao/console/fapiao/{DIRECT}/{tx}"))
        .await;
    assert!(application.contains("ISSUED"), "{application}");
    assert!(application.contains("INSERTED"), "{application}");
    assert!(
        application.contains("FAPIAO.ISSUED"),
        "history: {application}"
    );

    let callbacks = console.html("/_kabao/console/callbacks").await;
    assert!(callbacks.contains("FAPIAO.ISSUED"), "{callbacks}");
    assert!(
        callbacks.contains(&tx),
        "the resource is shown decrypted: {callbacks}"
    );
    assert!(callbacks.contains("class=\"attempt\""));
    let overview = console.html("/_kabao/console").await;
    assert!(overview.contains("delivered ("), "{overview}");
}

#[tokio::test]
async fn the_redeliver_button_sends_the_callback_again() {
    let world = FapiaoWorld::start().await;
    provision_title_user(&world).await;
    fill_title(
        &world,
        &world.direct,
        "CONSOLE-AGAIN",
        "",
        &json!({"type": "INDIVIDUAL", "name": "吴八"}),
    )
    .await;
    world.receiver.wait_for(1).await;
    let (_, list) = world
        .app
        .admin_get(&format!("/callbacks?mchid={DIRECT}"))
        .await;
    let id = list[0]["id"].as_i64().unwrap();
    let console = Console::logged_in(&world.app).await;
    let page = console
        .submit(&format!("/_kabao/console/callbacks/{id}/redeliver"), &[])
        .await;
    assert!(
        page.contains(&format!("redelivering callback #{id}")),
        "{page}"
    );
    world.receiver.wait_for(2).await;
    for _ in 0..100 {
        let html = console.html("/_kabao/console/callbacks").await;
        if html.matches("class=\"attempt\"").count() == 2 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the second attempt never showed on the callbacks page");
}

#[tokio::test]
async fn the_clock_form_moves_and_resets_the_clock() {
    let app = spawn_app().await;
    let console = Console::logged_in(&app).await;
    let page = console
        .submit(
            "/_kabao/console/controls/clock",
            &[("advance_seconds", "3600")],
        )
        .await;
    assert!(page.contains("the clock reads"), "{page}");
    let (_, clock) = app.admin_get("/clock").await;
    assert_eq!(clock["offset_seconds"], 3600.0);
    assert!(page.contains("offset 3600"), "{page}");
    console
        .submit("/_kabao/console/controls/clock", &[("reset", "yes")])
        .await;
    let (_, clock) = app.admin_get("/clock").await;
    assert_eq!(clock["offset_seconds"], 0.0);
}

#[tokio::test]
async fn refused_input_is_shown_beside_its_field_and_kept() {
    let world = FapiaoWorld::start().await;
    let console = Console::logged_in(&world.app).await;

    let page = console
        .post(
            "/_kabao/console/controls/order",
            &[("mchid", DIRECT), ("amount", "12.5x")],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("id=\"order-amount-error\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"12.5x\""), "the input is kept");

    // A refusal of the control API lands beside the field it names.
    let page = console
        .post(
            "/_kabao/console/controls/order",
            &[("mchid", PROVIDER), ("amount", "100")],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("id=\"order-mchid-error\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("is a service provider"), "{}", page.body);

    let page = console
        .post(
            "/_kabao/console/tenants/apps",
            &[("appid", "not an appid"), ("role", "merchant")],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("id=\"apps-appid-error\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"not an appid\""));

    // Good input goes through the control API.
    let page = console
        .submit(
            "/_kabao/console/controls/order",
            &[
                ("mchid", DIRECT),
                ("amount", "100"),
                ("openid", "oConsolePayer000000000000001"),
            ],
        )
        .await;
    assert!(page.contains("paid order"), "{page}");
    let (_, orders) = world
        .app
        .admin_get(&format!("/fapiao/pay-orders?mchid={DIRECT}"))
        .await;
    assert!(
        orders.to_string().contains("oConsolePayer000000000000001"),
        "{orders}"
    );
    let page = console
        .submit(
            "/_kabao/console/tenants/apps",
            &[("appid", "wxc0501e0000000001"), ("role", "merchant")],
        )
        .await;
    assert!(page.contains("created wxc0501e0000000001"), "{page}");
    let page = console
        .submit(
            "/_kabao/console/controls/outcome",
            &[("mchid", DIRECT), ("mode", "manual")],
        )
        .await;
    assert!(page.contains("manual"), "{page}");
    let (_, outcome) = world
        .app
        .admin_get(&format!("/fapiao/outcomes/{DIRECT}"))
        .await;
    assert_eq!(outcome["outcome"]["mode"], "manual");
}

#[tokio::test]
async fn the_pushes_page_shows_each_attempt_and_redelivers() {
    use crate::event_push::{authorized, configured, emit, wait_attempts, APPID};
    let app = spawn_app().await;
    let receiver = crate::receiver::Receiver::start().await;
    configured(&app, &receiver).await;
    let id = emit(&app, APPID, authorized("CONSOLE-PUSH")).await;
    wait_attempts(&app, id, 1).await;
    let console = Console::logged_in(&app).await;
    let html = console.html("/_kabao/console/pushes").await;
    assert!(html.contains(&format!("id=\"push-{id}\"")), "{html}");
    assert!(
        html.contains("CONSOLE-PUSH"),
        "the XML body is shown: {html}"
    );
    assert_eq!(html.matches("class=\"attempt\"").count(), 1, "{html}");
    let page = console
        .submit(&format!("/_kabao/console/pushes/{id}/redeliver"), &[])
        .await;
    assert!(
        page.contains(&format!("redelivering event push #{id}")),
        "{page}"
    );
    wait_attempts(&app, id, 2).await;
}
