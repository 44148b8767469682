//! Fapiao applications: each merchant's list, and one application with its
//! fapiao, the outcome in force, the steps not run yet (with a release
//! button) and its history as the callbacks it caused.

use super::session::Session;
use super::{control, notice, render, seconds, session, text, with_notice};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

/// How many applications a merchant's list shows.
const LIST_LIMIT: i64 = 200;

/// Routes of the fapiao pages.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_kabao/console/fapiao", get(list))
        .route("/_kabao/console/fapiao/{mchid}/{apply_id}", get(show))
        .route(
            "/_kabao/console/fapiao/{mchid}/{apply_id}/release",
            post(release),
        )
}

/// An application as a list line.
struct Line {
    fapiao_apply_id: String,
    caller_mchid: String,
    fapiao_count: i64,
    created_at: String,
}

#[derive(Template)]
#[template(path = "console/fapiao_list.html")]
struct ListPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    merchants: Vec<String>,
    mchid: Option<String>,
    lines: Vec<Line>,
}

/// `GET /_kabao/console/fapiao[?mchid=…]`
async fn list(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    let merchants: Vec<String> = control::get(&state, "/merchants")
        .await
        .unwrap_or_default()
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| text(&m["mchid"]))
        .collect();
    let mchid = crate::http::query::param(&uri, "mchid")
        .filter(|m| !m.is_empty())
        .or_else(|| merchants.first().cloned());
    let heads = match &mchid {
        Some(m) => match state.store.applications_of(m, LIST_LIMIT).await {
            Ok(heads) => heads,
            Err(e) => {
                tracing::error!(error = %e, "console: listing fapiao applications");
                return (StatusCode::INTERNAL_SERVER_ERROR, "store unavailable").into_response();
            }
        },
        None => Vec::new(),
    };
    render(&ListPage {
        title: "Fapiao applications",
        nav: "fapiao",
        notice: notice(&uri),
        merchants,
        mchid,
        lines: heads
            .into_iter()
            .map(|h| Line {
                created_at: seconds(&h.created_at.into()),
                fapiao_apply_id: h.fapiao_apply_id,
                caller_mchid: h.caller_mchid,
                fapiao_count: h.fapiao_count,
            })
            .collect(),
    })
}

/// One fapiao of the application.
struct FapiaoLine {
    fapiao_id: String,
    status: String,
    card_status: String,
    total_amount: String,
    number: String,
    error: String,
    updated_at: String,
}

/// One step not run yet.
struct Step {
    fapiao_id: String,
    action: String,
    due: String,
    fail_code: String,
}

/// One callback the application caused.
struct Event {
    id: String,
    event_type: String,
    create_time: String,
    status: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "console/fapiao_application.html")]
struct ApplicationPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    mchid: String,
    apply_id: String,
    caller_mchid: String,
    created_at: String,
    outcome: String,
    outcome_source: String,
    fapiaos: Vec<FapiaoLine>,
    steps: Vec<Step>,
    history: Vec<Event>,
    detail: String,
}

fn fapiao_line(f: &Value) -> FapiaoLine {
    let blue = &f["blue_fapiao"];
    FapiaoLine {
        fapiao_id: text(&f["fapiao_id"]),
        status: text(&f["status"]),
        card_status: text(&f["card_information"]["card_status"]),
        total_amount: text(&f["total_amount"]),
        number: format!(
            "{} {}",
            text(&blue["fapiao_code"]),
            text(&blue["fapiao_number"])
        )
        .trim()
        .to_owned(),
        error: text(&f["fapiao_error_code"]),
        updated_at: seconds(&f["updated_at"]),
    }
}

async fn history(state: &AppState, caller: &str, apply_id: &str) -> Vec<Event> {
    let callbacks = control::get(
        state,
        &format!("/callbacks?mchid={}&limit=1000", control::segment(caller)),
    )
    .await
    .unwrap_or_default();
    let mut events: Vec<Event> = callbacks
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["resource"]["fapiao_apply_id"].as_str() == Some(apply_id))
        .map(|c| Event {
            id: text(&c["id"]),
            event_type: text(&c["event_type"]),
            create_time: text(&c["create_time"]),
            status: text(&c["status"]),
            summary: text(&c["summary"]),
        })
        .collect();
    events.reverse();
    events
}

/// `GET /_kabao/console/fapiao/{mchid}/{apply_id}`
async fn show(
    _: Session,
    State(state): State<AppState>,
    Path((mchid, apply_id)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    let path = format!(
        "/fapiao/applications/{}/{}",
        control::segment(&mchid),
        control::segment(&apply_id)
    );
    let app = match control::get(&state, &path).await {
        Ok(app) => app,
        Err(e) => {
            let back = format!("/_kabao/console/fapiao?mchid={}", control::segment(&mchid));
            return session::see_other(&with_notice(&back, &e.message));
        }
    };
    let caller = text(&app["caller_mchid"]);
    let history = history(&state, &caller, &apply_id).await;
    render(&ApplicationPage {
        title: "Fapiao application",
        nav: "fapiao",
        notice: notice(&uri),
        caller_mchid: caller,
        created_at: seconds(&app["created_at"]),
        outcome: text(&app["outcome"]),
        outcome_source: text(&app["outcome_source"]),
        fapiaos: app["fapiao_information"]
            .as_array()
            .into_iter()
            .flatten()
            .map(fapiao_line)
            .collect(),
        steps: app["pending_steps"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| Step {
                fapiao_id: text(&s["fapiao_id"]),
                action: text(&s["action"]),
                due: match s["due_at"].as_i64() {
                    Some(_) => seconds(&s["due_at"]),
                    None => "held until released".to_owned(),
                },
                fail_code: text(&s["fail_code"]),
            })
            .collect(),
        history,
        detail: serde_json::to_string_pretty(&app).unwrap_or_default(),
        mchid,
        apply_id,
    })
}

/// `POST …/release`: `POST /_kabao/api/fapiao/applications/{mchid}/{id}/release`.
async fn release(
    _: Session,
    State(state): State<AppState>,
    Path((mchid, apply_id)): Path<(String, String)>,
) -> Response {
    let path = format!(
        "/fapiao/applications/{}/{}/release",
        control::segment(&mchid),
        control::segment(&apply_id)
    );
    let message = match control::call(&state, Method::POST, &path, None).await {
        Ok(answer) => format!("released: {}", text(&answer)),
        Err(e) => e.message,
    };
    let back = format!(
        "/_kabao/console/fapiao/{}/{}",
        control::segment(&mchid),
        control::segment(&apply_id)
    );
    session::see_other(&with_notice(&back, &message))
}
