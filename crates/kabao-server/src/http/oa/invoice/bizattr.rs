//! M4–M6 `setbizattr?action=…`: the merchant's authorisation fields,
//! payment merchant binding and contact, stored as sent.

use super::{invalid, ok, ok_with};
use crate::http::oa::extract::{parse_invoice_json, OaCaller};
use crate::http::oa::OaError;
use crate::http::query;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use kabao_protocol::oa::merchant::{AuthFieldConfig, ContactInfo, PayMchInfo};
use kabao_protocol::oa::OaErrcode;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub(crate) struct SetAuthField {
    auth_field: AuthFieldConfig,
}

#[derive(Deserialize)]
pub(crate) struct SetPayMch {
    paymch_info: PayMchInfo,
}

#[derive(Deserialize)]
pub(crate) struct SetContact {
    contact: ContactInfo,
}

/// Dispatches on `action`; an unknown action is `40097 invalid args`.
pub async fn set_biz_attr(
    State(state): State<AppState>,
    caller: OaCaller,
    uri: Uri,
    body: Bytes,
) -> Result<Response, OaError> {
    let action = query::param(&uri, "action").unwrap_or_default();
    let appid = caller.app.appid.as_str();
    let now = state.clock.now();
    let limit = state.settings.max_body_bytes;
    if body.len() > limit {
        return Err(OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("request body exceeds {limit} bytes"),
        ));
    }
    // The get_ actions take no body; a set_ action without one is 44002.
    let blank = body.iter().all(u8::is_ascii_whitespace);
    if blank && action.starts_with("set_") {
        return Err(OaError::new(OaErrcode::EmptyPostData));
    }
    let body: &[u8] = if blank { b"{}" } else { &body };
    let store = &state.store;
    match action.as_str() {
        "set_auth_field" => {
            let req: SetAuthField = parse_invoice_json(body)?;
            let value = serde_json::to_value(&req.auth_field).map_err(OaError::system)?;
            store.put_biz_attr(appid, "auth_field", &value, now).await?;
            Ok(ok())
        }
        "get_auth_field" => {
            let value = store.biz_attr(appid, "auth_field").await?;
            let value = value.ok_or_else(|| OaError::new(OaErrcode::InvoiceNeverSetAuthField))?;
            Ok(ok_with(json!({ "auth_field": value })))
        }
        "set_pay_mch" => {
            let req: SetPayMch = parse_invoice_json(body)?;
            let info = req.paymch_info;
            if info.mchid.is_empty() || !info.mchid.bytes().all(|b| b.is_ascii_digit()) {
                return Err(OaError::with_detail(
                    OaErrcode::InvalidMchid,
                    "paymch_info.mchid must be a WeChat Pay merchant id (digits)",
                ));
            }
            if store.platform_appid(&info.s_pappid).await?.is_none() {
                return Err(invalid("paymch_info.s_pappid is not the s_pappid of any invoicing platform"));
            }
            let value = serde_json::to_value(&info).map_err(OaError::system)?;
            store.put_biz_attr(appid, "pay_mch", &value, now).await?;
            Ok(ok())
        }
        "get_pay_mch" => {
            let value = store.biz_attr(appid, "pay_mch").await?;
            let value = value.ok_or_else(|| OaError::new(OaErrcode::InvoiceNeverSetPayMchInfo))?;
            Ok(ok_with(json!({ "paymch_info": value })))
        }
        "set_contact" => {
            let req: SetContact = parse_invoice_json(body)?;
            if req.contact.time_out <= 0 {
                return Err(invalid("contact.time_out must be a positive number of seconds"));
            }
            let value = serde_json::to_value(&req.contact).map_err(OaError::system)?;
            store.put_biz_attr(appid, "contact", &value, now).await?;
            Ok(ok())
        }
        "get_contact" | "query_contact" => {
            let value = store.biz_attr(appid, "contact").await?;
            let value = value.ok_or_else(|| OaError::new(OaErrcode::BizContactEmpty))?;
            Ok(ok_with(json!({ "contact": value })))
        }
        other => Err(OaError::with_detail(
            OaErrcode::InvalidArgs,
            format!(
                "action must be set_auth_field, get_auth_field, set_pay_mch, get_pay_mch, set_contact or get_contact, got \"{other}\""
            ),
        )),
    }
}
