//! P5 `/card/invoice/insert` (the seed) and N3 `/nontax/insertbill`: put a
//! card into the user's card package. Field rules are checked here; the
//! order, template, PDF and uniqueness rules are checked atomically by the
//! store's group-commit writer.

use crate::domain::invoice::card::{CardContent, InsertOutcome, NewCard};
use crate::domain::invoice::rules::{check_bill, check_invoice, Refusal};
use crate::domain::invoice::{ids, CardKind};
use crate::http::oa::error::oa_json;
use crate::http::oa::extract::{InvoiceJson, OaCaller};
use crate::http::oa::OaError;
use crate::state::AppState;
use aws_lc_rs::digest::{digest, SHA256};
use axum::extract::State;
use axum::response::Response;
use kabao_protocol::oa::insert::{
    BillUserData, InsertBillRequest, InsertCardResponse, InsertInvoiceRequest,
};
use kabao_protocol::oa::OaErrcode;

/// Inserts an invoice card.
pub async fn insert_invoice(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<InsertInvoiceRequest>,
) -> Result<Response, OaError> {
    let req = &body.value;
    // The seed's field table marks nonce_str required (it guards against
    // duplicates); the protocol type keeps it optional for insertbill's sake.
    if req.card_ext.nonce_str.as_deref().is_none_or(str::is_empty) {
        return Err(OaError::with_detail(
            OaErrcode::InvalidParams,
            "card_ext.nonce_str is missing",
        ));
    }
    let data = &req.card_ext.user_card.invoice_user_data;
    let warnings = check_invoice(data, state.settings.strict).map_err(refused)?;
    let content = CardContent {
        billing_code: data.billing_code.clone(),
        billing_no: data.billing_no.clone(),
        fee: data.fee,
        title: data.title.clone(),
        billing_time: data.billing_time,
        s_pdf_media_id: data.s_pdf_media_id.clone(),
        s_trip_pdf_media_id: data.s_trip_pdf_media_id.clone().filter(|s| !s.is_empty()),
        user_data: serde_json::to_value(data).map_err(OaError::system)?,
    };
    let target = Target {
        kind: CardKind::Invoice,
        card_id: &req.card_id,
        appid: &req.appid,
        order_id: &req.order_id,
    };
    insert(&state, &caller, target, &body.raw, content, warnings).await
}

/// Inserts a fiscal bill card. The bill fields may sit in
/// `user_card.invoice_user_data` (the seed's example) or directly in
/// `user_card` (the seed's table).
pub async fn insert_bill(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<InsertBillRequest>,
) -> Result<Response, OaError> {
    let req = &body.value;
    let user_card = &req.card_ext.user_card;
    let (fields, prefix) = match user_card.get("invoice_user_data") {
        Some(nested) => (nested, "card_ext.user_card.invoice_user_data"),
        None => (user_card, "card_ext.user_card"),
    };
    let data: BillUserData = parse_value(fields, prefix)?;
    let warnings = check_bill(&data, state.settings.strict).map_err(refused)?;
    let content = CardContent {
        billing_code: data.billing_code.clone(),
        billing_no: data.billing_no.clone(),
        fee: data.fee,
        title: data.title.clone(),
        billing_time: data.billing_time,
        s_pdf_media_id: data.s_pdf_media_id.clone(),
        s_trip_pdf_media_id: None,
        user_data: serde_json::to_value(&data).map_err(OaError::system)?,
    };
    let target = Target {
        kind: CardKind::FiscalBill,
        card_id: &req.card_id,
        appid: &req.appid,
        order_id: &req.order_id,
    };
    insert(&state, &caller, target, &body.raw, content, warnings).await
}

fn parse_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    prefix: &str,
) -> Result<T, OaError> {
    let bytes = serde_json::to_vec(value).map_err(OaError::system)?;
    crate::http::oa::extract::parse_invoice_json_at(&bytes, prefix)
}

/// Which card an insert asks for: the request's envelope.
struct Target<'a> {
    kind: CardKind,
    card_id: &'a str,
    appid: &'a str,
    order_id: &'a str,
}

async fn insert(
    state: &AppState,
    caller: &OaCaller,
    target: Target<'_>,
    raw: &[u8],
    content: CardContent,
    warnings: Vec<String>,
) -> Result<Response, OaError> {
    let card = NewCard {
        code: ids::card_code(),
        kind: target.kind,
        card_id: target.card_id.to_owned(),
        platform_appid: caller.app.appid.to_string(),
        appid: target.appid.to_owned(),
        order_id: target.order_id.to_owned(),
        encrypt_code: ids::encrypt_code(),
        content,
        request_hash: hex::encode(digest(&SHA256, raw)),
        warnings,
        now: state.clock.now(),
    };
    if card.appid.trim().is_empty() {
        return Err(OaError::with_detail(
            OaErrcode::InvalidParams,
            "appid is empty",
        ));
    }
    let warnings = card.warnings.clone();
    let (order_id, appid) = (card.order_id.clone(), card.appid.clone());
    let receipt = match state.store.insert_card(card).await? {
        InsertOutcome::Inserted(receipt) => {
            for warning in &warnings {
                tracing::warn!(%appid, %order_id, warning, "insert accepted with an inconsistency");
            }
            receipt
        }
        InsertOutcome::Replayed(receipt) => receipt,
        InsertOutcome::Refused(refusal) => {
            let (code, detail) = refusal.wire();
            return Err(OaError::with_detail(code, detail));
        }
    };
    Ok(oa_json(&InsertCardResponse {
        errcode: 0,
        errmsg: "ok".into(),
        code: receipt.code,
        openid: receipt.openid,
        unionid: receipt.unionid,
    }))
}

fn refused(r: Refusal) -> OaError {
    OaError::with_detail(r.code, r.detail)
}
