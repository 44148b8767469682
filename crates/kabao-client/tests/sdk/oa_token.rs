//! The Official Account token cache: reuse while valid, refetch before
//! expiry, one retry on 42001 and 40001, stable tokens, typed errors and
//! transport settings.

use crate::common::Kabao;
use kabao_client::oa::OaErrcode;
use kabao_client::{ClientError, OfficialAccount};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

const APPID: &str = "wxclient00000001";

async fn secret(k: &Kabao) -> String {
    let app = k
        .admin_ok(
            Method::POST,
            "/apps",
            Some(json!({"appid": APPID, "role": "merchant"})),
        )
        .await;
    app["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_token_is_cached_and_an_expired_one_is_refetched_once() {
    let k = Kabao::start().await;
    let secret = secret(&k).await;
    let oa = OfficialAccount::new(&k.base_url, APPID, &secret).unwrap();
    assert_eq!((oa.appid(), oa.base_url()), (APPID, k.base_url.as_str()));
    let first = oa.access_token().await.unwrap();
    assert_eq!(
        oa.access_token().await.unwrap(),
        first,
        "cached while valid"
    );
    let ticket = oa.get_ticket("wx_card").await.unwrap();
    assert!(ticket.ticket.len() > 20);
    assert_eq!(ticket.expires_in, 7200);

    // Past its end kabao answers 42001: the client refetches and retries once.
    k.advance_clock(7300).await;
    assert!(oa.get_ticket("wx_card").await.is_ok());
    assert_ne!(oa.access_token().await.unwrap(), first);

    // invalidate_token forces the next call to fetch.
    let current = oa.access_token().await.unwrap();
    oa.invalidate_token().await;
    assert_ne!(oa.access_token().await.unwrap(), current);
}

#[tokio::test]
async fn a_token_superseded_by_another_holder_of_the_secret_is_refetched_on_40001() {
    let k = Kabao::start().await;
    let secret = secret(&k).await;
    let a = OfficialAccount::new(&k.base_url, APPID, &secret).unwrap();
    let b = OfficialAccount::new(&k.base_url, APPID, &secret).unwrap();
    let a_token = a.access_token().await.unwrap();
    b.access_token().await.unwrap();
    // The replaced token keeps working for five minutes, then is 40001.
    k.advance_clock(301).await;
    let raw = reqwest::get(format!(
        "{}/cgi-bin/ticket/getticket?type=wx_card&access_token={a_token}",
        k.base_url
    ))
    .await
    .unwrap()
    .json::<serde_json::Value>()
    .await
    .unwrap();
    assert_eq!(raw["errcode"], 40001, "{raw}");
    let answer = a
        .get("/cgi-bin/ticket/getticket", &[("type", "jsapi")])
        .await
        .unwrap();
    assert!(answer["ticket"].is_string(), "{answer}");
    assert_ne!(a.access_token().await.unwrap(), a_token);
}

#[tokio::test]
async fn a_refresh_margin_covering_the_lifetime_refetches_before_every_call() {
    let k = Kabao::start().await;
    let secret = secret(&k).await;
    let eager = OfficialAccount::builder(APPID, &secret)
        .base_url(format!("{}/", k.base_url))
        .refresh_margin(Duration::from_secs(7200))
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let first = eager.access_token().await.unwrap();
    assert_ne!(
        eager.access_token().await.unwrap(),
        first,
        "refreshed before expiry"
    );
}

#[tokio::test]
async fn stable_tokens_stay_the_same_while_valid() {
    let k = Kabao::start().await;
    let secret = secret(&k).await;
    let one = OfficialAccount::builder(APPID, &secret)
        .base_url(&k.base_url)
        .stable_token(true)
        .build()
        .unwrap();
    let two = OfficialAccount::builder(APPID, &secret)
        .base_url(&k.base_url)
        .stable_token(true)
        .build()
        .unwrap();
    let token = one.access_token().await.unwrap();
    assert_eq!(
        two.access_token().await.unwrap(),
        token,
        "one stable token per app"
    );
    assert!(one.get_ticket("jsapi").await.is_ok());
}

#[tokio::test]
async fn wrong_credentials_and_unknown_paths_are_typed_errors() {
    let k = Kabao::start().await;
    let secret = secret(&k).await;
    let wrong = OfficialAccount::new(&k.base_url, APPID, "wrong-secret").unwrap();
    match wrong.access_token().await {
        Err(ClientError::Oa(e)) => {
            assert_eq!(e.errcode, 40125);
            assert_eq!(e.code(), Some(OaErrcode::InvalidAppsecret));
            assert!(!e.is_token_error());
        }
        other => panic!("expected 40125, got {other:?}"),
    }
    let oa = OfficialAccount::new(&k.base_url, APPID, secret).unwrap();
    let err = oa
        .post("/card/invoice/nosuchthing", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.as_oa().map(|e| e.errcode), Some(40066), "{err}");
    assert!(err.as_pay().is_none());
}

#[tokio::test]
async fn a_get_is_retried_on_transport_errors_then_fails_as_http() {
    // Nothing listens on this port: every attempt is a connection error.
    let unreachable = OfficialAccount::builder(APPID, "s")
        .base_url("http://127.0.0.1:9")
        .get_retries(1)
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    match unreachable.access_token().await {
        Err(ClientError::Http(e)) => assert!(e.is_connect(), "{e}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "one retry after a pause"
    );
}
