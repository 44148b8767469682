//! N1 `/nontax/createbillcard` and N2 `/nontax/getbillauthurl`; N3
//! insertbill lives with insert. The bureau reuses seturl, setpdf, getpdf.

use super::merchant::open_order;
use super::{invalid, ok_with};
use crate::domain::invoice::{ids, CardKind, CardTemplate};
use crate::http::links::public_base;
use crate::http::oa::extract::{InvoiceJson, OaCaller};
use crate::http::oa::OaError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use kabao_protocol::oa::merchant::GetAuthUrlRequest;
use kabao_protocol::oa::OaErrcode;
use serde_json::{json, Value};

/// Seconds a bill authorisation link is valid (the seed example's 7200).
const BILL_AUTH_URL_TTL_SECS: i64 = 7200;

/// N1: a fiscal bill template. The field table puts `payee` and `base_info`
/// at the top level, the example wraps them in `invoice_info`: both are read.
pub async fn create_bill_card(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<Value>,
) -> Result<Response, OaError> {
    let info = body.value.get("invoice_info").unwrap_or(&body.value);
    let prefix = if body.value.get("invoice_info").is_some() {
        "invoice_info."
    } else {
        ""
    };
    check_types(info, prefix)?;
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let payee = text(info.get("payee"));
    let logo = text(info.get("base_info").and_then(|b| b.get("logo_url")));
    if logo.is_empty() {
        return Err(invalid(format!("{prefix}base_info.logo_url is missing")));
    }
    if payee.is_empty() {
        return Err(invalid(format!("{prefix}payee is missing")));
    }
    let template = CardTemplate {
        card_id: ids::card_id(),
        appid: caller.app.appid.to_string(),
        kind: CardKind::FiscalBill,
        payee,
        invoice_type: "财政电子票据".into(),
        title: text(info.get("base_info").and_then(|b| b.get("title"))),
        info: info.clone(),
        created_at: state.clock.now(),
    };
    state.store.put_card_template(&template).await?;
    Ok(ok_with(json!({ "card_id": template.card_id })))
}

/// A bill template read as JSON: the object fields are objects and the
/// text fields text (or absent), else 47001 naming the field, as a typed
/// body would be answered.
fn check_types(info: &Value, prefix: &str) -> Result<(), OaError> {
    let wrong = |field: &str, expected: &str| {
        OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("field {prefix}{field}: expected {expected}"),
        )
    };
    let object = |v: Option<&Value>| v.is_none_or(|v| v.is_object() || v.is_null());
    let text = |v: Option<&Value>| v.is_none_or(|v| v.is_string() || v.is_null());
    if !info.is_object() {
        return Err(OaError::with_detail(
            OaErrcode::DataFormatError,
            "field invoice_info: expected an object",
        ));
    }
    if !text(info.get("payee")) {
        return Err(wrong("payee", "a string"));
    }
    let base = info.get("base_info");
    if !object(base) {
        return Err(wrong("base_info", "an object"));
    }
    for field in ["logo_url", "title"] {
        if !text(base.and_then(|b| b.get(field))) {
            return Err(wrong(&format!("base_info.{field}"), "a string"));
        }
    }
    Ok(())
}

/// N2: the payer's authorisation link for a bill order (no `type`).
pub async fn get_bill_auth_url(
    State(state): State<AppState>,
    caller: OaCaller,
    headers: HeaderMap,
    body: InvoiceJson<GetAuthUrlRequest>,
) -> Result<Response, OaError> {
    let order = open_order(&state, &caller, body.value, CardKind::FiscalBill, 0).await?;
    let auth_url = format!(
        "{}/_kabao/authorize/{}",
        public_base(&state, &headers),
        order.auth_key
    );
    Ok(ok_with(
        json!({ "auth_url": auth_url, "expire_time": BILL_AUTH_URL_TTL_SECS }),
    ))
}
