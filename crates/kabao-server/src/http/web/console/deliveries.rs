//! Callback deliveries (APIv3, resource decrypted) and event-push
//! deliveries (Official Account XML), each with every attempt, and the
//! redeliver / duplicate buttons, which call the control API's own routes.

use super::session::Session;
use super::{control, millis, notice, render, seconds, session, text, with_notice};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{Method, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

const CALLBACKS: &str = "/_kabao/console/callbacks";
const PUSHES: &str = "/_kabao/console/pushes";

/// Routes of the delivery pages.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(CALLBACKS, get(callbacks))
        .route("/_kabao/console/callbacks/{id}/redeliver", post(redeliver))
        .route("/_kabao/console/callbacks/{id}/duplicate", post(duplicate))
        .route(PUSHES, get(pushes))
        .route(
            "/_kabao/console/pushes/{id}/redeliver",
            post(redeliver_push),
        )
}

/// One delivery attempt.
struct Attempt {
    attempt: String,
    started_at: String,
    url: String,
    status: String,
    latency_ms: String,
    error: String,
    response_body: String,
}

/// One callback or push with its attempts.
struct Delivery {
    id: String,
    title: String,
    who: String,
    created: String,
    status: String,
    note: String,
    body: String,
    attempts: Vec<Attempt>,
}

#[derive(Template)]
#[template(path = "console/deliveries.html")]
struct DeliveriesPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    action_base: &'static str,
    can_duplicate: bool,
    deliveries: Vec<Delivery>,
}

fn attempts(entry: &Value) -> Vec<Attempt> {
    entry["attempts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| Attempt {
            attempt: text(&a["attempt"]),
            started_at: millis(&a["started_at_ms"]),
            url: text(&a["url"]),
            status: text(&a["http_status"]),
            latency_ms: text(&a["latency_ms"]),
            error: text(&a["error"]),
            response_body: text(&a["response_body"]),
        })
        .collect()
}

fn callback(c: &Value) -> Delivery {
    let mut note = text(&c["last_error"]);
    if let Some(of) = c["duplicate_of"].as_i64() {
        note = format!("duplicate of #{of} {note}");
    }
    Delivery {
        id: text(&c["id"]),
        title: format!("{} — {}", text(&c["event_type"]), text(&c["summary"])),
        who: text(&c["mchid"]),
        created: text(&c["create_time"]),
        status: text(&c["status"]),
        note,
        body: serde_json::to_string_pretty(&c["resource"]).unwrap_or_default(),
        attempts: attempts(c),
    }
}

fn push(p: &Value) -> Delivery {
    Delivery {
        id: text(&p["id"]),
        title: format!("{} from {}", text(&p["event"]), text(&p["from_openid"])),
        who: text(&p["appid"]),
        created: seconds(&p["created_at"]),
        status: text(&p["status"]),
        note: text(&p["last_error"]),
        body: match p["xml"].as_str() {
            Some(xml) => xml.to_owned(),
            None => serde_json::to_string_pretty(&p["fields"]).unwrap_or_default(),
        },
        attempts: attempts(p),
    }
}

async fn list(
    state: &AppState,
    uri: &Uri,
    path: &str,
    view: fn(&Value) -> Delivery,
) -> Vec<Delivery> {
    let mut query = String::from("limit=100");
    for key in ["mchid", "appid", "status", "event_type", "event"] {
        if let Some(v) = crate::http::query::param(uri, key).filter(|v| !v.is_empty()) {
            let v: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
            query.push_str(&format!("&{key}={v}"));
        }
    }
    control::get(state, &format!("{path}?{query}"))
        .await
        .unwrap_or_default()
        .as_array()
        .into_iter()
        .flatten()
        .map(view)
        .collect()
}

/// `GET /_kabao/console/callbacks[?mchid=][&status=][&event_type=]`
async fn callbacks(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    let deliveries = list(&state, &uri, "/callbacks", callback).await;
    render(&DeliveriesPage {
        nav: "callbacks",
        notice: notice(&uri),
        title: "Callbacks (APIv3)",
        action_base: CALLBACKS,
        can_duplicate: true,
        deliveries,
    })
}

/// `GET /_kabao/console/pushes[?appid=][&event=]`
async fn pushes(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    let deliveries = list(&state, &uri, "/event-pushes", push).await;
    render(&DeliveriesPage {
        nav: "pushes",
        notice: notice(&uri),
        title: "Event pushes (Official Account)",
        action_base: PUSHES,
        can_duplicate: false,
        deliveries,
    })
}

/// Runs a control API button and goes back to `page` saying what it did.
async fn button(state: &AppState, path: String, done: &str, page: &str) -> Response {
    let message = match control::call(state, Method::POST, &path, None).await {
        Ok(answer) => format!("{done} #{}", text(&answer["id"])),
        Err(e) => e.message,
    };
    session::see_other(&with_notice(page, &message))
}

/// `POST …/callbacks/{id}/redeliver`: `POST /_kabao/api/callbacks/{id}/redeliver`.
async fn redeliver(_: Session, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let path = format!("/callbacks/{}/redeliver", control::segment(&id));
    button(&state, path, "redelivering callback", CALLBACKS).await
}

/// `POST …/callbacks/{id}/duplicate`: `POST /_kabao/api/callbacks/{id}/duplicate`.
async fn duplicate(_: Session, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let path = format!("/callbacks/{}/duplicate", control::segment(&id));
    button(&state, path, "sending a duplicate as callback", CALLBACKS).await
}

/// `POST …/pushes/{id}/redeliver`: `POST /_kabao/api/event-pushes/{id}/redeliver`.
async fn redeliver_push(
    _: Session,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/event-pushes/{}/redeliver", control::segment(&id));
    button(&state, path, "redelivering event push", PUSHES).await
}
