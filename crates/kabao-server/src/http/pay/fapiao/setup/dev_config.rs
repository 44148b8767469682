//! development-config (F5 PATCH, F6 GET): where the caller's FAPIAO.*
//! callbacks go. Kept per calling merchant (the one that receives callbacks).

use super::urls::check_url;
use crate::domain::fapiao::setup::DevConfig;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kabao_protocol::apiv3::ErrorCode;
use serde::Deserialize;

/// The PATCH body; absent fields keep their current value.
#[derive(Debug, Deserialize)]
pub(crate) struct PatchBody {
    #[serde(default)]
    callback_url: Option<String>,
    #[serde(default)]
    sub_mch_code: Option<String>,
    #[serde(default)]
    show_fapiao_cell: Option<bool>,
    #[serde(default)]
    support_vat_fapiao: Option<bool>,
}

/// The caller's config: what it set, else its provisioned callback_url
/// with both switches off; None when it has neither.
async fn current(state: &AppState, request: &SignedRequest) -> Result<Option<DevConfig>, PayError> {
    let mchid = request.merchant.merchant.mchid.as_str();
    if let Some(config) = state.store.dev_config(mchid).await? {
        return Ok(Some(config));
    }
    Ok(request
        .merchant
        .merchant
        .callback_url
        .clone()
        .map(|callback_url| DevConfig {
            callback_url,
            show_fapiao_cell: false,
            support_vat_fapiao: false,
        }))
}

/// `GET merchant/development-config`; 404 RESOURCE_NOT_EXISTS naming
/// callback_url when the caller has no callback URL at all.
pub(super) async fn get_config(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let config = current(&state, &request).await?.ok_or_else(|| {
        PayError::new(
            ErrorCode::ResourceNotExists,
            "callback_url: no development-config yet; PATCH one with callback_url first",
        )
    })?;
    Ok(pay_json(StatusCode::OK, &config))
}

/// `PATCH` (documented) or `POST` (wechatpayv3) `merchant/development-config`: merges the given fields into the
/// caller's config and answers the result. `sub_mch_code`, when given, must
/// be a sub-merchant the caller may act for (the config stays the caller's).
pub(super) async fn patch_config(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let body: PatchBody = parse_body(&request.body)?;
    if let Some(url) = &body.callback_url {
        check_url("callback_url", url, false)?;
        crate::worker::callback_target::check_callback_url(
            url,
            state.settings.allow_link_local_callbacks,
        )
        .map_err(|issue| PayError::param("callback_url", "body", issue))?;
    }
    if let Some(code) = body.sub_mch_code.as_deref().filter(|c| !c.is_empty()) {
        resolve_party(&state, &request, Some(code))
            .await
            .map_err(|e| rename_field(e, "sub_mch_code"))?;
    }
    let before = current(&state, &request).await?;
    let callback_url = match (body.callback_url, &before) {
        (Some(url), _) => url,
        (None, Some(config)) => config.callback_url.clone(),
        (None, None) => {
            return Err(PayError::param(
                "callback_url",
                "body",
                "is required: no callback URL is configured yet",
            ))
        }
    };
    let config = DevConfig {
        callback_url,
        show_fapiao_cell: body
            .show_fapiao_cell
            .or(before.as_ref().map(|c| c.show_fapiao_cell))
            .unwrap_or(false),
        support_vat_fapiao: body
            .support_vat_fapiao
            .or(before.as_ref().map(|c| c.support_vat_fapiao))
            .unwrap_or(false),
    };
    let mchid = request.merchant.merchant.mchid.as_str();
    state
        .store
        .put_dev_config(mchid, &config, state.clock.now())
        .await?;
    Ok(pay_json(StatusCode::OK, &config))
}

/// The error resolve_party gave for `sub_mchid`, naming `field` instead.
fn rename_field(mut error: PayError, field: &str) -> PayError {
    error.message = error.message.replace("sub_mchid", field);
    if let Some(detail) = error.detail.as_mut() {
        detail.field = Some(field.to_owned());
    }
    error
}
