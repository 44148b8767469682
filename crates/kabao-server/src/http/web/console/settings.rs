//! The controls page: kabao's clock (show, advance, reset), the fapiao
//! outcome of each merchant, and the forms that create a paid order and
//! record a taxi ride; each form is one control API call.

use super::form::{forms, FormState};
use super::session::Session;
use super::{control, notice, render, seconds, session, text, with_notice};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const PAGE: &str = "/_kabao/console/controls";
const FORMS: [&str; 4] = ["clock", "outcome", "order", "ride"];
const OUTCOME_FIELDS: [&str; 5] = ["mchid", "mode", "seconds", "code", "message"];
const ORDER_FIELDS: [&str; 6] = [
    "mchid",
    "amount",
    "appid",
    "openid",
    "description",
    "out_trade_no",
];
const RIDE_FIELDS: [&str; 8] = [
    "provider_mchid",
    "region_id",
    "plate_number",
    "appid",
    "openid",
    "amount",
    "pay_time",
    "up_time",
];

/// Routes of the controls page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(show))
        .route("/_kabao/console/controls/clock", post(clock))
        .route("/_kabao/console/controls/outcome", post(outcome))
        .route("/_kabao/console/controls/order", post(order))
        .route("/_kabao/console/controls/ride", post(ride))
}

#[derive(Template)]
#[template(path = "console/controls.html")]
struct ControlsPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    now: String,
    offset_seconds: String,
    outcomes: Vec<(String, String)>,
    merchants: Vec<(String, String)>,
    modes: Vec<(String, String)>,
    forms: HashMap<String, FormState>,
}

async fn page(state: &AppState, notice: Option<String>, refused: Option<FormState>) -> Response {
    let clock = control::get(state, "/clock").await.unwrap_or_default();
    let list = control::get(state, "/merchants").await.unwrap_or_default();
    let mut merchants = Vec::new();
    let mut outcomes = Vec::new();
    for m in list.as_array().into_iter().flatten() {
        let mchid = text(&m["mchid"]);
        let outcome = control::get(
            state,
            &format!("/fapiao/outcomes/{}", control::segment(&mchid)),
        )
        .await
        .map(|o| text(&o["outcome"]))
        .unwrap_or_default();
        merchants.push((mchid.clone(), format!("{mchid} {}", text(&m["name"]))));
        outcomes.push((mchid, outcome));
    }
    let was_refused = refused.is_some();
    let mut response = render(&ControlsPage {
        title: "Clock and forms",
        nav: "controls",
        notice,
        now: seconds(&clock["now"]),
        offset_seconds: text(&clock["offset_seconds"]),
        outcomes,
        merchants,
        modes: [
            ("immediate", "at once"),
            ("after_seconds", "after some seconds"),
            ("manual", "when released"),
            ("fail", "fail with a code"),
        ]
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect(),
        forms: forms(&FORMS, refused),
    });
    if was_refused {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// `GET /_kabao/console/controls`
async fn show(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    page(&state, notice(&uri), None).await
}

/// Sends `body` to `method path`; back to the page with `done` or the form
/// with the refusal beside its field.
async fn submit(
    state: &AppState,
    (method, path): (Method, String),
    body: Value,
    mut form: FormState,
    fields: &[&str],
    done: impl FnOnce(&Value) -> String,
) -> Response {
    if form.refused() {
        return page(state, None, Some(form)).await;
    }
    match control::call(state, method, &path, Some(&body)).await {
        Ok(answer) => session::see_other(&with_notice(PAGE, &done(&answer))),
        Err(e) => {
            form.control_error(e, fields);
            page(state, None, Some(form)).await
        }
    }
}

/// `POST …/controls/clock` with `advance_seconds=N`, or `reset=yes`.
async fn clock(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let mut form = FormState::filled("clock", values);
    let body = if form.get("reset").is_some() {
        json!({"reset": true})
    } else {
        json!({"advance_seconds": form.integer("advance_seconds")})
    };
    let target = (Method::POST, "/clock".to_owned());
    submit(&state, target, body, form, &["advance_seconds"], |c| {
        format!("the clock reads {}", text(&c["now_rfc3339"]))
    })
    .await
}

/// `POST …/controls/outcome`: `PUT /_kabao/api/fapiao/outcomes/{mchid}`.
async fn outcome(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let mut form = FormState::filled("outcome", values);
    let mchid = form.get("mchid").unwrap_or_default().to_owned();
    let mode = form.get("mode").unwrap_or("immediate").to_owned();
    let mut body = json!({"mode": mode});
    match mode.as_str() {
        "after_seconds" => body["seconds"] = json!(form.integer("seconds")),
        "fail" => {
            body["code"] = json!(form.get("code").unwrap_or_default());
            body["message"] = json!(form.get("message").unwrap_or_default());
        }
        _ => {}
    }
    if mchid.is_empty() {
        form.refuse("mchid", "is required");
    }
    let target = (
        Method::PUT,
        format!("/fapiao/outcomes/{}", control::segment(&mchid)),
    );
    submit(&state, target, body, form, &OUTCOME_FIELDS, |_| {
        format!("outcome of {mchid} set to {mode}")
    })
    .await
}

/// The typed `fields` as JSON, numbers for `numbers`, blanks left out.
fn typed(form: &mut FormState, fields: &[&str], numbers: &[&str]) -> Value {
    let mut object = Map::new();
    for field in fields {
        if numbers.contains(field) {
            object.insert(field.to_string(), json!(form.integer(field)));
        } else if let Some(value) = form.get(field) {
            object.insert(field.to_string(), json!(value));
        }
    }
    Value::Object(object)
}

/// `POST …/controls/order`: `POST /_kabao/api/fapiao/pay-orders`.
async fn order(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let mut form = FormState::filled("order", values);
    let body = typed(&mut form, &ORDER_FIELDS, &["amount"]);
    let target = (Method::POST, "/fapiao/pay-orders".to_owned());
    submit(&state, target, body, form, &ORDER_FIELDS, |o| {
        format!("paid order {}", text(&o["transaction_id"]))
    })
    .await
}

/// `POST …/controls/ride`: `POST /_kabao/api/taxi/rides`.
async fn ride(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let mut form = FormState::filled("ride", values);
    let body = typed(&mut form, &RIDE_FIELDS, &["amount", "region_id"]);
    let target = (Method::POST, "/taxi/rides".to_owned());
    submit(&state, target, body, form, &RIDE_FIELDS, |r| {
        format!("ride recorded: transaction {}", text(&r["transaction_id"]))
    })
    .await
}
