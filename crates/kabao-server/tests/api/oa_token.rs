//! `/cgi-bin/token`, `/cgi-bin/stable_token` and the token check of business
//! calls (`/cgi-bin/ticket/getticket`), with every documented error.

use crate::helpers::*;
use serde_json::{json, Value};

const APPID: &str = "wx0000000000000a01";

async fn oa_get_json(app: &TestApp, path: &str) -> Value {
    let r = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "Official Account answers are HTTP 200");
    r.json().await.unwrap()
}

async fn post_raw(app: &TestApp, path: &str, body: impl Into<reqwest::Body>) -> Value {
    let r = app
        .http
        .post(app.url(path))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn ticket(app: &TestApp, token: &str) -> Value {
    oa_get_json(
        app,
        &format!("/cgi-bin/ticket/getticket?type=wx_card&access_token={token}"),
    )
    .await
}

#[tokio::test]
async fn a_token_is_issued_for_the_right_secret_and_works_on_business_calls() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "invoicing_platform").await;
    let body = oa_get_json(
        &app,
        &format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={secret}"),
    )
    .await;
    assert_eq!(body["expires_in"], 7200);
    assert!(
        body.get("errcode").is_none(),
        "success has no errcode: {body}"
    );
    let token = body["access_token"].as_str().unwrap();
    let t = ticket(&app, token).await;
    assert_eq!(t["errcode"], 0, "{t}");
    assert_eq!(t["expires_in"], 7200);
    assert!(t["ticket"].as_str().unwrap().len() > 20);
}

#[tokio::test]
async fn wrong_credentials_get_their_documented_codes() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "merchant").await;
    let cases = [
        (
            format!("/cgi-bin/token?appid={APPID}&secret={secret}"),
            40002,
        ),
        (
            format!("/cgi-bin/token?grant_type=password&appid={APPID}&secret={secret}"),
            40002,
        ),
        (
            format!("/cgi-bin/token?grant_type=client_credential&secret={secret}"),
            41002,
        ),
        (
            format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}"),
            41004,
        ),
        (
            format!("/cgi-bin/token?grant_type=client_credential&appid=wxunknown&secret={secret}"),
            40013,
        ),
        (
            format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret=wrong"),
            40125,
        ),
    ];
    for (path, code) in cases {
        let body = oa_get_json(&app, &path).await;
        assert_eq!(body["errcode"], code, "{path}: {body}");
        assert!(body["errmsg"].as_str().unwrap().len() > 3);
    }
    let post = app
        .http
        .post(app.url("/cgi-bin/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.json::<Value>().await.unwrap()["errcode"], 43001);
    let get = oa_get_json(&app, "/cgi-bin/stable_token").await;
    assert_eq!(get["errcode"], 43002);
    assert_eq!(oa_get_json(&app, "/no/such/api").await["errcode"], 40066);
}

#[tokio::test]
async fn business_calls_check_the_token() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "merchant").await;
    assert_eq!(
        oa_get_json(&app, "/cgi-bin/ticket/getticket?type=wx_card").await["errcode"],
        41001
    );
    assert_eq!(ticket(&app, "not-a-token").await["errcode"], 40001);
    let token = app.token(APPID, &secret).await;
    app.advance_clock(7199).await;
    assert_eq!(
        ticket(&app, &token).await["errcode"],
        0,
        "valid until 7200 s"
    );
    app.advance_clock(1).await;
    assert_eq!(ticket(&app, &token).await["errcode"], 42001);
}

#[tokio::test]
async fn a_new_token_leaves_the_old_one_five_minutes() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "merchant").await;
    let first = app.token(APPID, &secret).await;
    let second = app.token(APPID, &secret).await;
    assert_ne!(first, second);
    app.advance_clock(299).await;
    assert_eq!(ticket(&app, &first).await["errcode"], 0);
    app.advance_clock(2).await;
    assert_eq!(
        ticket(&app, &first).await["errcode"],
        40001,
        "superseded: not latest"
    );
    assert_eq!(ticket(&app, &second).await["errcode"], 0);
}

#[tokio::test]
async fn the_daily_token_quota_answers_45009() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.settings.token_daily_limit = 2;
    let app = spawn_with(dir, cfg).await;
    let secret = app.app(APPID, "merchant").await;
    let path = format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={secret}");
    assert!(oa_get_json(&app, &path).await["access_token"].is_string());
    assert!(oa_get_json(&app, &path).await["access_token"].is_string());
    assert_eq!(oa_get_json(&app, &path).await["errcode"], 45009);
    app.advance_clock(86_400).await;
    assert!(
        oa_get_json(&app, &path).await["access_token"].is_string(),
        "the quota resets the next day"
    );
}

#[tokio::test]
async fn the_stable_token_stays_the_same_until_refreshed() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "fiscal_bureau").await;
    let req = |force: bool| json!({"grant_type": "client_credential", "appid": APPID, "secret": secret, "force_refresh": force});
    let a: Value = post_raw(&app, "/cgi-bin/stable_token", req(false).to_string()).await;
    let b: Value = post_raw(&app, "/cgi-bin/stable_token", req(false).to_string()).await;
    assert_eq!(a["access_token"], b["access_token"]);
    let basic = app.token(APPID, &secret).await;
    assert_ne!(
        basic,
        a["access_token"].as_str().unwrap(),
        "stable and basic tokens are separate"
    );
    assert_eq!(
        ticket(&app, a["access_token"].as_str().unwrap()).await["errcode"],
        0,
        "a basic fetch does not retire the stable token"
    );

    app.advance_clock(7200 - 300).await;
    let c: Value = post_raw(&app, "/cgi-bin/stable_token", req(false).to_string()).await;
    assert_ne!(
        c["access_token"], a["access_token"],
        "renewed in the last five minutes"
    );
    assert_eq!(c["expires_in"], 7200);
    assert_eq!(
        ticket(&app, a["access_token"].as_str().unwrap()).await["errcode"],
        0,
        "old one still valid to its end"
    );

    let d: Value = post_raw(&app, "/cgi-bin/stable_token", req(true).to_string()).await;
    assert_ne!(d["access_token"], c["access_token"]);
    assert_eq!(
        ticket(&app, c["access_token"].as_str().unwrap()).await["errcode"],
        40001,
        "force_refresh retires it at once"
    );
}

#[tokio::test]
async fn malformed_stable_token_bodies_get_format_errors_and_change_nothing() {
    let app = spawn_app().await;
    let secret = app.app(APPID, "fiscal_bureau").await;
    let good =
        json!({"grant_type": "client_credential", "appid": APPID, "secret": secret}).to_string();
    let token: Value = post_raw(&app, "/cgi-bin/stable_token", good.clone()).await;

    assert_eq!(
        post_raw(&app, "/cgi-bin/stable_token", "").await["errcode"],
        44002
    );
    assert_eq!(
        post_raw(&app, "/cgi-bin/stable_token", "{not json").await["errcode"],
        47001
    );
    let wrong_type = post_raw(
        &app,
        "/cgi-bin/stable_token",
        r#"{"grant_type":"client_credential","appid":12,"secret":"x"}"#,
    )
    .await;
    assert_eq!(wrong_type["errcode"], 47001);
    assert!(
        wrong_type["errmsg"].as_str().unwrap().contains("appid"),
        "names the field: {wrong_type}"
    );
    let huge = format!(r#"{{"appid":"{}"}}"#, "a".repeat(1024 * 1024 + 10));
    let big = post_raw(&app, "/cgi-bin/stable_token", huge).await;
    assert_eq!(big["errcode"], 47001, "{big}");
    let bad_flag = post_raw(&app, "/cgi-bin/stable_token", json!({"grant_type": "client_credential", "appid": APPID, "secret": secret, "force_refresh": "yes"}).to_string()).await;
    assert_eq!(bad_flag["errcode"], 40097);

    let again: Value = post_raw(&app, "/cgi-bin/stable_token", good).await;
    assert_eq!(
        again["access_token"], token["access_token"],
        "the stored token is unchanged and the server still serves"
    );
}
