//! Invoicing platform (开票平台): seturl, createcard, getpdf, updatestatus.

use super::{chars, invalid, ok, ok_with};
use crate::domain::invoice::card::InvoiceCard;
use crate::domain::invoice::reimburse::{Changer, ReimburseStatus};
use crate::domain::invoice::{ids, CardKind, CardTemplate};
use crate::flows::{card_package, pdf_link};
use crate::http::links::public_base;
use crate::http::oa::extract::{InvoiceJson, OaCaller};
use crate::http::oa::OaError;
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use kabao_protocol::oa::platform::{CreateCardRequest, GetPdfRequest, PlatformUpdateStatusRequest};
use kabao_protocol::oa::OaErrcode;
use serde_json::json;

/// P1: the platform's `s_pappid`, registered on its first call and the same
/// ever after, inside the real link's shape.
pub async fn set_url(
    State(state): State<AppState>,
    caller: OaCaller,
    body: bytes::Bytes,
) -> Result<Response, OaError> {
    // The body is `{}` (wechatpy) or nothing; anything else must still be a
    // JSON object within the size limit.
    let limit = state.settings.max_body_bytes;
    if body.len() > limit {
        return Err(OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("request body exceeds {limit} bytes"),
        ));
    }
    if !body.iter().all(u8::is_ascii_whitespace) {
        crate::http::oa::extract::parse_json::<serde_json::Value>(&body)?;
    }
    let appid = caller.app.appid.as_str();
    let s_pappid = state
        .store
        .register_platform(appid, &ids::s_pappid(appid), state.clock.now())
        .await?;
    Ok(ok_with(json!({
        "invoice_url": format!("https://mp.weixin.qq.com/bizmall/authinvoice?action=list&s_pappid={s_pappid}")
    })))
}

/// P2: a new invoice card template of this platform.
pub async fn create_card(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<CreateCardRequest>,
) -> Result<Response, OaError> {
    let info = &body.value.invoice_info;
    let base = &info.base_info;
    let required = [
        ("invoice_info.base_info.logo_url", &base.logo_url),
        ("invoice_info.base_info.title", &base.title),
        ("invoice_info.payee", &info.payee),
        ("invoice_info.type", &info.invoice_type),
    ];
    for (field, value) in required {
        if value.trim().is_empty() {
            return Err(invalid(format!("{field} is empty")));
        }
    }
    let limits = [
        ("invoice_info.base_info.title", Some(&base.title), 9),
        (
            "invoice_info.base_info.custom_url_name",
            base.custom_url_name.as_ref(),
            5,
        ),
        (
            "invoice_info.base_info.custom_url_sub_title",
            base.custom_url_sub_title.as_ref(),
            6,
        ),
    ];
    for (field, value, max) in limits {
        if value.is_some_and(|v| chars(v) > max) {
            return Err(invalid(format!("{field} must be at most {max} characters")));
        }
    }
    let template = CardTemplate {
        card_id: ids::card_id(),
        appid: caller.app.appid.to_string(),
        kind: CardKind::Invoice,
        payee: info.payee.clone(),
        invoice_type: info.invoice_type.clone(),
        title: base.title.clone(),
        info: serde_json::to_value(info).map_err(OaError::system)?,
        created_at: state.clock.now(),
    };
    state.store.put_card_template(&template).await?;
    Ok(ok_with(json!({ "card_id": template.card_id })))
}

/// P4: a download link for an upload of this platform, valid 7200 s.
/// `action` may come in the query (wechatpy) or the body (SKIT).
pub async fn get_pdf(
    State(state): State<AppState>,
    caller: OaCaller,
    uri: Uri,
    headers: HeaderMap,
    body: InvoiceJson<GetPdfRequest>,
) -> Result<Response, OaError> {
    let action = query::param(&uri, "action")
        .or(body.value.action.clone())
        .unwrap_or_else(|| "get_url".into());
    if action != "get_url" {
        return Err(OaError::with_detail(
            OaErrcode::InvalidArgs,
            format!("action must be get_url, got {action}"),
        ));
    }
    let id = body.value.s_media_id.trim();
    let media = state.store.pdf(id).await?;
    let usable = media
        .filter(|m| m.appid == caller.app.appid.as_str())
        .filter(|m| m.bound_code.is_some() || m.expires_at > state.clock.now());
    let Some(media) = usable else {
        return Err(OaError::with_detail(
            OaErrcode::InvoicePdfError,
            format!("s_media_id {id} is not a live upload of this app"),
        ));
    };
    let url = pdf_link::mint(&state, &public_base(&state, &headers), &media.s_media_id).await?;
    Ok(ok_with(json!({
        "pdf_url": url,
        "pdf_url_expire_time": crate::domain::invoice::PDF_URL_TTL_SECS,
    })))
}

/// P6: the platform sets a card's reimbursement status (red-lettering sets
/// `INVOICE_REIMBURSE_CANCEL`).
pub async fn update_status(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<PlatformUpdateStatusRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    let next = parse_status(&req.reimburse_status)?;
    let card = own_card(&state, &caller, &req.card_id, &req.code).await?;
    card_package::move_status(&state, &[card], next, Changer::Platform)
        .await
        .map_err(super::reimburse::move_error)?;
    Ok(ok())
}

/// A reimbursement status named on the wire, or 72031 naming the field.
pub(super) fn parse_status(value: &str) -> Result<ReimburseStatus, OaError> {
    ReimburseStatus::parse(value).ok_or_else(|| {
        invalid(format!(
            "reimburse_status must be INVOICE_REIMBURSE_INIT, _LOCK, _CLOSURE or _CANCEL, got {value}"
        ))
    })
}

async fn own_card(
    state: &AppState,
    caller: &OaCaller,
    card_id: &str,
    code: &str,
) -> Result<InvoiceCard, OaError> {
    let card = state.store.card(code).await?;
    card.filter(|c| c.card_id == card_id && c.platform_appid == caller.app.appid.as_str())
        .ok_or_else(|| {
            OaError::with_detail(
                OaErrcode::InvoiceOrderNeverAuth,
                "code is not the code of a card this platform inserted under card_id (use the code insert returned, not the invoice code)",
            )
        })
}
