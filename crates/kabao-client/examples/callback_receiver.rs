//! A fapiao callback endpoint with axum: every POST to `/fapiao/notify` is
//! verified (signature, 5-minute window) and decrypted by
//! `WechatPay::parse_notification`, then answered 204; anything that does not
//! verify is answered 500 with `{"code":"FAIL","message":…}` so that WeChat
//! Pay (or kabao) sends it again.
//!
//! ```text
//! KABAO_PAY_BASE_URL=http://127.0.0.1:8080 \
//! MCHID=1900000109 SERIAL_NO=… PRIVATE_KEY_FILE=apiclient_key.pem APIV3_KEY=… \
//! BIND=127.0.0.1:3000 cargo run -p kabao-client --example callback_receiver
//! ```
//!
//! Point the merchant's `development-config` `callback_url` at
//! `http://127.0.0.1:3000/fapiao/notify`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use kabao_client::{FapiaoEvent, WechatPay};
use serde_json::{json, Value};
use std::sync::Arc;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("set {name}"))
}

/// Verifies and decrypts one callback; 204 when handled, 500 otherwise.
async fn notify(
    State(pay): State<Arc<WechatPay>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    match pay.parse_notification(&headers, &body).await {
        Ok(notification) => {
            // Deduplicate on notification.id: redeliveries keep it.
            match &notification.event {
                FapiaoEvent::UserApplied(u) => {
                    println!(
                        "{}: title filled in for {}",
                        notification.id, u.fapiao_apply_id
                    )
                }
                FapiaoEvent::Issued(c)
                | FapiaoEvent::Reversed(c)
                | FapiaoEvent::CardInserted(c)
                | FapiaoEvent::CardDiscarded(c) => {
                    for f in &c.fapiao_information {
                        println!(
                            "{} {}: {} {} card {:?}",
                            notification.event_type,
                            c.fapiao_apply_id,
                            f.fapiao_id,
                            f.fapiao_status,
                            f.card_status
                        );
                    }
                }
                FapiaoEvent::Other(resource) => {
                    println!("{}: {resource}", notification.event_type)
                }
            }
            (StatusCode::NO_CONTENT, Json(Value::Null))
        }
        Err(e) => {
            eprintln!("refused a callback: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"code": "FAIL", "message": e.to_string()})),
            )
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url =
        std::env::var("KABAO_PAY_BASE_URL").unwrap_or_else(|_| kabao_client::PAY_BASE_URL.into());
    let key = std::fs::read_to_string(env("PRIVATE_KEY_FILE"))?;
    let pay = WechatPay::builder(env("MCHID"), env("SERIAL_NO"), key, env("APIV3_KEY"))
        .base_url(base_url)
        .build()?;
    let app = Router::new()
        .route("/fapiao/notify", post(notify))
        .with_state(Arc::new(pay));
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("listening on http://{bind}/fapiao/notify");
    axum::serve(listener, app).await?;
    Ok(())
}
