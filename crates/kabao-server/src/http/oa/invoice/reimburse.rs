//! R1–R4 `/card/invoice/reimburse/*` and C4 `/card/code/decrypt`: a
//! reimburser reads and moves invoices the user chose (by `encrypt_code`).

use super::platform::parse_status;
use super::{ok, ok_with};
use crate::domain::invoice::card::InvoiceCard;
use crate::domain::invoice::reimburse::{Changer, ReimburseStatus};
use crate::flows::card_package::{self, MoveError};
use crate::flows::pdf_link;
use crate::http::links::public_base;
use crate::http::oa::extract::{InvoiceJson, OaCaller};
use crate::http::oa::OaError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use kabao_protocol::oa::reimburse::{
    CardRef, DecryptCodeRequest, InvoiceBatchRequest, UpdateInvoiceStatusRequest,
    UpdateStatusBatchRequest,
};
use kabao_protocol::oa::OaErrcode;
use serde_json::json;

/// Seconds an inserted card stays valid in the card package (the
/// `end_time` reimbursers see): five years, the usual retention of invoices.
const CARD_VALIDITY_SECS: i64 = 5 * 365 * 24 * 3600;

/// The card behind a chooser code, if `card_id` matches.
async fn chosen(state: &AppState, r: &CardRef, field: &str) -> Result<InvoiceCard, OaError> {
    let card = state.store.card_by_encrypt_code(&r.encrypt_code).await?;
    card.filter(|c| c.card_id == r.card_id).ok_or_else(|| {
        OaError::with_detail(
            OaErrcode::InvalidCode,
            format!(
                "{field}encrypt_code is not the code of a card of card_id {}",
                r.card_id
            ),
        )
    })
}

/// R1/R2 entry: the card with the template's fields and fresh PDF links.
async fn describe(
    state: &AppState,
    base: &str,
    card: &InvoiceCard,
) -> Result<serde_json::Value, OaError> {
    let template = state.store.card_template(&card.card_id).await?;
    let (invoice_type, payee, detail) = template
        .map(|t| {
            let detail = t
                .info
                .get("detail")
                .and_then(|d| d.as_str())
                .unwrap_or_default()
                .to_owned();
            (t.invoice_type, t.payee, detail)
        })
        .unwrap_or_default();
    let mut user_info = card.content.user_data.clone();
    let info = user_info
        .as_object_mut()
        .ok_or_else(|| OaError::system("card data is not an object"))?;
    info.remove("s_pdf_media_id");
    info.remove("s_trip_pdf_media_id");
    info.entry("fee_without_tax").or_insert(json!(0));
    info.entry("tax").or_insert(json!(0));
    info.entry("info").or_insert(json!([]));
    info.insert(
        "pdf_url".into(),
        json!(pdf_link::mint(state, base, &card.content.s_pdf_media_id).await?),
    );
    if let Some(trip) = &card.content.s_trip_pdf_media_id {
        info.insert(
            "trip_pdf_url".into(),
            json!(pdf_link::mint(state, base, trip).await?),
        );
    }
    info.insert("reimburse_status".into(), json!(card.reimburse_status));
    info.insert("order_id".into(), json!(card.order_id));
    Ok(json!({
        "card_id": card.card_id,
        "begin_time": card.inserted_at,
        "end_time": card.inserted_at + CARD_VALIDITY_SECS,
        "openid": card.openid,
        "type": invoice_type,
        "payee": payee,
        "detail": detail,
        "user_card_status": card.card_status,
        "user_info": user_info,
    }))
}

/// R1: one invoice's data and PDF link.
pub async fn get_invoice_info(
    State(state): State<AppState>,
    _caller: OaCaller,
    headers: HeaderMap,
    body: InvoiceJson<CardRef>,
) -> Result<Response, OaError> {
    let card = chosen(&state, &body.value, "").await?;
    let described = describe(&state, &public_base(&state, &headers), &card).await?;
    Ok(ok_with(described))
}

/// R2: several invoices at once.
pub async fn get_invoice_batch(
    State(state): State<AppState>,
    _caller: OaCaller,
    headers: HeaderMap,
    body: InvoiceJson<InvoiceBatchRequest>,
) -> Result<Response, OaError> {
    let base = public_base(&state, &headers);
    let mut items = Vec::with_capacity(body.value.item_list.len());
    for (i, r) in body.value.item_list.iter().enumerate() {
        let card = chosen(&state, r, &format!("item_list[{i}].")).await?;
        items.push(describe(&state, &base, &card).await?);
    }
    Ok(ok_with(json!({ "item_list": items })))
}

/// The wire answer to a refused reimbursement move.
pub(super) fn move_error(e: MoveError) -> OaError {
    match e {
        MoveError::Rule(code, card) => OaError::with_detail(code, format!("card {card}")),
        MoveError::Busy => OaError::new(OaErrcode::InvoiceBusy),
        MoveError::Store(e) => OaError::from(e),
    }
}

fn reimburser_status(value: &str) -> Result<ReimburseStatus, OaError> {
    let status = parse_status(value)?;
    if status == ReimburseStatus::Cancel {
        return Err(OaError::with_detail(
            OaErrcode::InvoiceStatusError,
            "reimburse_status INVOICE_REIMBURSE_CANCEL is set by the invoicing platform (platform/updatestatus)",
        ));
    }
    Ok(status)
}

/// R3: lock, unlock or close one invoice.
pub async fn update_invoice_status(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<UpdateInvoiceStatusRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    let next = reimburser_status(&req.reimburse_status)?;
    let card = chosen(
        &state,
        &CardRef {
            card_id: req.card_id,
            encrypt_code: req.encrypt_code,
        },
        "",
    )
    .await?;
    card_package::move_status(
        &state,
        &[card],
        next,
        Changer::Reimburser(caller.app.appid.as_str()),
    )
    .await
    .map_err(move_error)?;
    Ok(ok())
}

/// R4: the same move for several invoices of one user, all or nothing.
pub async fn update_status_batch(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<UpdateStatusBatchRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    let next = reimburser_status(&req.reimburse_status)?;
    let mut cards = Vec::with_capacity(req.invoice_list.len());
    for (i, r) in req.invoice_list.iter().enumerate() {
        let card = chosen(&state, r, &format!("invoice_list[{i}].")).await?;
        if card.openid != req.openid {
            return Err(OaError::with_detail(
                OaErrcode::InvoiceOwnerError,
                format!("invoice_list[{i}] does not belong to openid {}", req.openid),
            ));
        }
        cards.push(card);
    }
    card_package::move_status(
        &state,
        &cards,
        next,
        Changer::Reimburser(caller.app.appid.as_str()),
    )
    .await
    .map_err(move_error)?;
    Ok(ok())
}

/// C4: the card code behind a chooser code.
pub async fn decrypt_code(
    State(state): State<AppState>,
    _caller: OaCaller,
    body: InvoiceJson<DecryptCodeRequest>,
) -> Result<Response, OaError> {
    let card = state
        .store
        .card_by_encrypt_code(&body.value.encrypt_code)
        .await?;
    let card = card.ok_or_else(|| {
        OaError::with_detail(
            OaErrcode::InvalidCode,
            "encrypt_code was not handed out by kabao",
        )
    })?;
    Ok(ok_with(json!({ "code": card.code })))
}
