//! Official Account event pushes: signed XML POSTs to the app's configured
//! URL, three attempts per round on kabao's clock, `no_url` without a config,
//! redelivery, and an outbox that survives restarts.
//!
//! Most tests put events into the outbox through the store itself (the same
//! SQLite file the running kabao uses), as a handler's transaction does, to
//! control exactly what is pushed; `flow` drives the whole flow through HTTP
//! (getauthurl, then the control API's stand-in for the user authorising).

mod control;
mod delivery;
mod flow;

use crate::helpers::*;
use crate::receiver::{Receiver, Recorded};
use kabao_protocol::oa::{parse_event_xml, push_signature, OaEvent, PushMessage};
use kabao_server::domain::ids::Appid;
use kabao_server::store::push::NewPush;
use serde_json::{json, Value};
use std::time::Duration;

pub const APPID: &str = "wxpush0000000001";
pub const OPENID: &str = "oZI8Fj040-be6rlDohc6gkoPOQTQ";
pub const TOKEN: &str = "AAAAA";

pub fn authorized(order_id: &str) -> OaEvent {
    OaEvent::UserAuthorizeInvoice {
        succ_order_id: order_id.into(),
        fail_order_id: String::new(),
        app_id: APPID.into(),
        source: "web".into(),
    }
}

/// Puts an event into the outbox of the kabao whose data folder is `dir`.
pub async fn emit_in(dir: &std::path::Path, appid: &str, event: OaEvent) -> i64 {
    let store = kabao_server::store::open(&crate::helpers::database_url(dir))
        .await
        .unwrap();
    store
        .enqueue_push(&NewPush {
            appid: Appid::parse("appid", appid).unwrap(),
            from_openid: OPENID.into(),
            event,
            created_at: now(),
        })
        .await
        .unwrap()
}

pub async fn emit(app: &TestApp, appid: &str, event: OaEvent) -> i64 {
    emit_in(app.dir.path(), appid, event).await
}

/// `PUT …/apps/{appid}/push-config` through the control API.
pub async fn put_config(app: &TestApp, appid: &str, body: &Value) -> (u16, Value) {
    app.admin_put(&format!("/apps/{appid}/push-config"), body)
        .await
}

/// Points APPID's pushes at `path` on `receiver`.
pub async fn point_at(app: &TestApp, receiver: &Receiver, path: &str) {
    let (status, body) = put_config(
        app,
        APPID,
        &json!({"url": receiver.url(path), "token": TOKEN, "original_id": "gh_fc0a06a20993"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// A merchant app whose pushes go to `receiver`.
pub async fn configured(app: &TestApp, receiver: &Receiver) {
    app.app(APPID, "merchant").await;
    point_at(app, receiver, "/wechat").await;
}

pub async fn push(app: &TestApp, id: i64) -> Value {
    let (status, list) = app.admin_get("/event-pushes?limit=1000").await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no push {id} in {list}"))
}

/// Polls the control API until push `id` satisfies `done`.
pub async fn wait_until(
    app: &TestApp,
    id: i64,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let p = push(app, id).await;
        if done(&p) {
            return p;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "push {id} never became {what}: {p:#}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn wait_attempts(app: &TestApp, id: i64, n: usize) -> Value {
    wait_until(app, id, &format!("{n} attempts"), |p| {
        p["attempts"].as_array().map(Vec::len) == Some(n)
    })
    .await
}

pub async fn wait_status(app: &TestApp, id: i64, status: &str) -> Value {
    wait_until(app, id, status, |p| p["status"] == status).await
}

/// The receiver's view: the signature recomputes with the token, and the
/// body is the event.
pub fn check_signed(request: &Recorded, event: &OaEvent) {
    assert_eq!(request.method, "POST");
    let q = |k: &str| {
        request
            .query(k)
            .unwrap_or_else(|| panic!("no {k} in {}", request.path_and_query))
    };
    assert_eq!(
        q("signature"),
        push_signature(TOKEN, &q("timestamp"), &q("nonce"))
    );
    assert_eq!(q("openid"), OPENID);
    assert_eq!(request.header("content-type"), Some("text/xml"));
    let message = parse_event_xml(&request.text()).unwrap();
    assert_eq!(
        message,
        PushMessage {
            to_user_name: "gh_fc0a06a20993".into(),
            from_user_name: OPENID.into(),
            create_time: message.create_time,
            event: event.clone(),
        }
    );
    assert!((message.create_time - now()).abs() < 60);
}
