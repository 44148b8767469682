//! The tenants page: apps, merchants (kind, parent provider), platform keys,
//! and the forms that create an app or a merchant through the control API.

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

const PAGE: &str = "/_kabao/console/tenants";
const APP_FIELDS: [&str; 4] = ["appid", "role", "name", "secret"];
const MERCHANT_FIELDS: [&str; 6] = [
    "mchid",
    "kind",
    "name",
    "parent_mchid",
    "callback_url",
    "apiv3_key",
];

/// Routes of the tenants page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(show))
        .route("/_kabao/console/tenants/apps", post(create_app))
        .route("/_kabao/console/tenants/merchants", post(create_merchant))
}

/// A row of a table, already text.
type Row = Vec<String>;

#[derive(Template)]
#[template(path = "console/tenants.html")]
struct TenantsPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    apps: Vec<Row>,
    merchants: Vec<Row>,
    keys: Vec<Row>,
    forms: HashMap<String, FormState>,
    generated_key: Option<String>,
    roles: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    certificate_choices: Vec<(String, String)>,
}

fn rows(list: &Value, columns: &[&str]) -> Vec<Row> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            columns
                .iter()
                .map(|c| match *c {
                    "created_at" | "not_after" => seconds(&item[*c]),
                    "certificates" => item[*c]
                        .as_array()
                        .map(|certs| {
                            certs
                                .iter()
                                .map(|cert| text(&cert["serial_no"]))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default(),
                    _ => text(&item[*c]),
                })
                .collect()
        })
        .collect()
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// What a page shows beyond the lists: a notice, a refused form, or the
/// private key just generated for a new merchant (shown this once).
#[derive(Default)]
struct Extra {
    notice: Option<String>,
    refused: Option<FormState>,
    generated_key: Option<String>,
}

async fn page(state: &AppState, extra: Extra) -> Response {
    let Extra {
        notice,
        refused: current,
        generated_key,
    } = extra;
    let apps = control::get(state, "/apps").await.unwrap_or_default();
    let merchants = control::get(state, "/merchants").await.unwrap_or_default();
    let keys = control::get(state, "/platform-keys")
        .await
        .unwrap_or_default();
    let was_refused = current.is_some();
    let mut response = render(&TenantsPage {
        title: "Tenants",
        nav: "tenants",
        notice,
        apps: rows(&apps, &["appid", "role", "name", "created_at"]),
        merchants: rows(
            &merchants,
            &[
                "mchid",
                "name",
                "kind",
                "parent_mchid",
                "platform_mode",
                "callback_url",
                "certificates",
            ],
        ),
        keys: rows(
            &keys,
            &["serial_no", "public_key_id", "not_before", "not_after"],
        ),
        forms: forms(&["apps", "merchants"], current),
        generated_key,
        roles: options(&[
            ("merchant", "merchant (商户公众号)"),
            ("invoicing_platform", "invoicing platform (开票平台)"),
            ("fiscal_bureau", "fiscal bureau (财政局)"),
        ]),
        kinds: options(&[
            ("direct", "direct merchant"),
            ("service_provider", "service provider"),
            ("sub_merchant", "sub-merchant (needs a parent)"),
        ]),
        certificate_choices: options(&[("yes", "generate one"), ("no", "none")]),
    });
    if was_refused {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// `GET /_kabao/console/tenants`
async fn show(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    let notice = notice(&uri);
    page(
        &state,
        Extra {
            notice,
            ..Extra::default()
        },
    )
    .await
}

/// The typed fields of `names` as a JSON object, blanks left out.
fn spec(form: &FormState, names: &[&str]) -> Value {
    let mut object = Map::new();
    for name in names {
        if let Some(value) = form.get(name) {
            object.insert(name.to_string(), json!(value));
        }
    }
    Value::Object(object)
}

async fn create(
    state: &AppState,
    name: &str,
    fields: &[&str],
    mut body: Value,
    form: FormState,
) -> Response {
    let mut form = form;
    if let Some(first) = fields.first() {
        if form.get(first).is_none() {
            form.refuse(first, "is required");
            return refused(state, form).await;
        }
    }
    if name == "merchants" && form.get("generate_certificate") == Some("yes") {
        body["generate_certificate"] = json!(true);
    }
    match control::call(state, Method::POST, &format!("/{name}"), Some(&body)).await {
        Ok(created) => {
            let id = text(&created["appid"]) + &text(&created["mchid"]);
            match created["generated_private_key_pem"].as_str() {
                Some(key) => {
                    let extra = Extra {
                        notice: Some(format!("created {id}; keep its private key now")),
                        generated_key: Some(key.to_owned()),
                        ..Extra::default()
                    };
                    page(state, extra).await
                }
                None => session::see_other(&with_notice(PAGE, &format!("created {id}"))),
            }
        }
        Err(e) => {
            form.control_error(e, fields);
            refused(state, form).await
        }
    }
}

async fn refused(state: &AppState, form: FormState) -> Response {
    let extra = Extra {
        refused: Some(form),
        ..Extra::default()
    };
    page(state, extra).await
}

/// `POST /_kabao/console/tenants/apps`: `POST /_kabao/api/apps`.
async fn create_app(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let form = FormState::filled("apps", values);
    let body = spec(&form, &APP_FIELDS);
    create(&state, "apps", &APP_FIELDS, body, form).await
}

/// `POST /_kabao/console/tenants/merchants`: `POST /_kabao/api/merchants`
/// (with a generated certificate, so the merchant can call at once).
async fn create_merchant(
    _: Session,
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let form = FormState::filled("merchants", values);
    let body = spec(&form, &MERCHANT_FIELDS);
    create(&state, "merchants", &MERCHANT_FIELDS, body, form).await
}
