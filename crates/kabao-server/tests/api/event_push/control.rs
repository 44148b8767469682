//! The control API and provisioning of pushes: push configs, the list,
//! redelivery.

use super::*;

#[tokio::test]
async fn redelivery_sends_a_finished_push_again() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    configured(&app, &receiver).await;
    let id = emit(&app, APPID, authorized("again")).await;
    wait_status(&app, id, "delivered").await;

    let (status, p) = app
        .admin_post(&format!("/event-pushes/{id}/redeliver"), &json!({}))
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["status"], "pending");
    let p = wait_until(&app, id, "delivered twice", |p| {
        p["status"] == "delivered" && p["attempts"].as_array().unwrap().len() == 2
    })
    .await;
    assert_eq!(p["attempts"][1]["attempt"], 2);
    let seen = receiver.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].body, seen[1].body,
        "the same event, CreateTime included"
    );

    for missing in ["999999", "abc"] {
        let (status, body) = app
            .admin_post(&format!("/event-pushes/{missing}/redeliver"), &json!({}))
            .await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"], "not_found");
    }

    receiver.reply_next(&[500]);
    let pending = emit(&app, APPID, authorized("pending")).await;
    wait_attempts(&app, pending, 1).await;
    let (status, body) = app
        .admin_post(&format!("/event-pushes/{pending}/redeliver"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
}

#[tokio::test]
async fn push_config_is_validated_and_read_back() {
    let app = spawn_app().await;
    app.app(APPID, "merchant").await;
    let (status, unset) = app.admin_get(&format!("/apps/{APPID}/push-config")).await;
    assert_eq!(status, 200);
    assert_eq!(unset["configured"], false);
    assert_eq!(unset["url"], Value::Null);
    let default_id = unset["original_id"].as_str().unwrap().to_owned();
    assert!(default_id.starts_with("gh_") && default_id.len() == 15);
    assert!(default_id[3..].bytes().all(|b| b.is_ascii_hexdigit()));

    for (body, field) in [
        (json!({"url": "ftp://example.com/x", "token": TOKEN}), "url"),
        (json!({"url": "not a url", "token": TOKEN}), "url"),
        (
            json!({"url": "https://example.com/x", "token": "ab"}),
            "token",
        ),
        (
            json!({"url": "https://example.com/x", "token": "has space"}),
            "token",
        ),
        (
            json!({"url": "https://example.com/x", "token": TOKEN, "original_id": "bad id!"}),
            "original_id",
        ),
        (json!({"token": TOKEN}), "url"),
        (json!({"url": "https://example.com/x"}), "token"),
        (json!({"url": "https://example.com/x", "token": 5}), "token"),
        (
            json!({"url": "https://example.com/x", "token": TOKEN, "extra": 1}),
            "extra",
        ),
    ] {
        let (status, err) = put_config(&app, APPID, &body).await;
        assert_eq!(status, 400, "{body} -> {err}");
        assert_eq!(err["field"], field, "{body} -> {err}");
        let named = ["url", "token", "original_id", "extra"]
            .iter()
            .any(|f| err["message"].as_str().unwrap().contains(f));
        assert!(named, "the message names the field: {err}");
    }
    assert_eq!(
        app.admin_get(&format!("/apps/{APPID}/push-config")).await.1["configured"],
        false,
        "nothing stored"
    );

    let (status, set) = put_config(
        &app,
        APPID,
        &json!({"url": "https://example.com/wechat", "token": "Token123"}),
    )
    .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["original_id"], default_id.as_str());
    let (_, read) = app.admin_get(&format!("/apps/{APPID}/push-config")).await;
    assert_eq!(read, set);
    assert_eq!(read["configured"], true);
    assert_eq!(read["token"], "Token123");

    let (status, _) = put_config(
        &app,
        "wxunknown",
        &json!({"url": "https://e.com", "token": TOKEN}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(app.admin_get("/apps/wxunknown/push-config").await.0, 404);
    let r = app
        .http
        .put(app.url(&format!("/_kabao/api/apps/{APPID}/push-config")))
        .json(&json!({"url": "https://evil.example", "token": TOKEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        app.admin_get(&format!("/apps/{APPID}/push-config")).await.1["url"],
        "https://example.com/wechat"
    );
}

#[tokio::test]
async fn the_list_filters_by_app_and_event_newest_first() {
    let app = spawn_app().await;
    app.app(APPID, "merchant").await;
    app.app("wxpush0000000002", "invoicing_platform").await;
    let first = emit(&app, APPID, authorized("a")).await;
    let status = OaEvent::UpdateInvoiceStatus {
        status: "INVOICE_REIMBURSE_CLOSURE".into(),
        card_id: "pcard".into(),
        code: "123".into(),
    };
    let second = emit(&app, "wxpush0000000002", status).await;
    let third = emit(&app, APPID, authorized("b")).await;

    let ids = |v: Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(app.admin_get("/event-pushes").await.1),
        [third, second, first]
    );
    assert_eq!(
        ids(app
            .admin_get(&format!("/event-pushes?appid={APPID}"))
            .await
            .1),
        [third, first]
    );
    assert_eq!(
        ids(app
            .admin_get("/event-pushes?event=update_invoice_status")
            .await
            .1),
        [second]
    );
    assert_eq!(ids(app.admin_get("/event-pushes?limit=1").await.1), [third]);
    let (_, listed) = app
        .admin_get("/event-pushes?event=update_invoice_status")
        .await;
    assert_eq!(listed[0]["fields"]["status"], "INVOICE_REIMBURSE_CLOSURE");
    for bad in ["limit=0", "limit=x", "limit=1001"] {
        let (status, err) = app.admin_get(&format!("/event-pushes?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(err["field"], "limit");
    }
}

#[tokio::test]
async fn push_config_comes_from_the_provisioning_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kabao.toml"),
        format!(
            "[[apps]]\nappid = \"{APPID}\"\nrole = \"merchant\"\npush_url = \"https://example.com/oa\"\npush_token = \"{TOKEN}\"\npush_original_id = \"gh_0123456789ab\"\n"
        ),
    )
    .unwrap();
    let mut cfg = config(dir.path());
    cfg.provision_file = Some(dir.path().join("kabao.toml"));
    let app = spawn_with(dir, cfg).await;
    let (status, read) = app.admin_get(&format!("/apps/{APPID}/push-config")).await;
    assert_eq!(status, 200);
    assert_eq!(read["url"], "https://example.com/oa");
    assert_eq!(read["token"], TOKEN);
    assert_eq!(read["original_id"], "gh_0123456789ab");

    let bad = tempfile::tempdir().unwrap();
    std::fs::write(
        bad.path().join("kabao.toml"),
        format!("[[apps]]\nappid = \"{APPID}\"\nrole = \"merchant\"\npush_url = \"https://example.com/oa\"\n"),
    )
    .unwrap();
    let mut cfg = config(bad.path());
    cfg.provision_file = Some(bad.path().join("kabao.toml"));
    let err = kabao_server::Application::build(cfg)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("apps[0].push_token"), "{err}");
}
