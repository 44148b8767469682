//! check-status (F1) and the legacy check (F2): whether a merchant can have
//! fapiao issued for it by the caller.

use crate::domain::fapiao::setup::FapiaoMerchantSetup;
use crate::domain::tenant::MerchantKind;
use crate::http::pay::fapiao::resolve_party;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::rfc3339_cst;
use kabao_protocol::apiv3::ErrorCode;
use serde_json::{json, Value};

/// `GET merchant/{sub_mchid}/check-status`: a service provider asks about
/// one of its sub-merchants (accepted or not); a direct merchant may ask
/// about itself. Anyone else's mchid is 403 NO_AUTH.
pub(super) async fn check_status(
    State(state): State<AppState>,
    Path(sub_mchid): Path<String>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let caller = &request.merchant.merchant;
    let caller_mchid = caller.mchid.as_str();
    let answers_for_sub_merchant = match caller.kind {
        MerchantKind::ServiceProvider => {
            let sub = state.keyring.merchant(&sub_mchid).await?;
            let belongs = sub.as_ref().is_some_and(|m| {
                m.merchant.parent_mchid.as_ref().map(|p| p.as_str()) == Some(caller_mchid)
            });
            if !belongs {
                return Err(no_auth_for(&sub_mchid, caller_mchid));
            }
            true
        }
        _ if sub_mchid == caller_mchid => false,
        _ => return Err(no_auth_for(&sub_mchid, caller_mchid)),
    };
    let setup = state
        .store
        .fapiao_merchant(&sub_mchid)
        .await?
        .ok_or_else(|| no_auth_for(&sub_mchid, caller_mchid))?;
    let enabled = !answers_for_sub_merchant || setup.provider_authorized;
    let created_at = state
        .keyring
        .merchant(&sub_mchid)
        .await?
        .map(|m| m.merchant.created_at)
        .unwrap_or_default();
    Ok(pay_json(
        StatusCode::OK,
        &status_body(&setup, enabled, created_at),
    ))
}

fn no_auth_for(sub_mchid: &str, caller_mchid: &str) -> PayError {
    PayError::new(
        ErrorCode::NoAuth,
        format!("sub_mchid {sub_mchid} is not a sub-merchant of merchant {caller_mchid}"),
    )
}

/// The check-status answer: both modes DISABLED until the sub-merchant has
/// accepted its provider; then third_mode ENABLED and digital_tax_mode as
/// the control API set it (ENABLED by default, with every ability authorised).
fn status_body(setup: &FapiaoMerchantSetup, enabled: bool, access_time: i64) -> Value {
    if !enabled {
        return json!({
            "sub_mchid": setup.mchid,
            "third_mode": {"status": "DISABLED"},
            "digital_tax_mode": {"status": "DISABLED"},
        });
    }
    let status = setup.digital_tax_status.as_str();
    let mut digital = json!({"status": status});
    match status {
        "ENABLED" => {
            digital["billing_person_info"] = json!({
                "id": format!("1877{}", setup.mchid),
                "name": setup.seller.extra_information.drawer,
            });
            digital["access_time"] = json!(rfc3339_cst(access_time));
            digital["ability_info"] = json!([
                "BASE_ABILITY",
                "PASSENGER_TRANSPORT_ABILITY",
                "REAL_ESTATE_ABILITY"
            ]
            .iter()
            .map(|t| json!({"type": t, "status": "AUTHORIZED"}))
            .collect::<Vec<_>>());
        }
        "APPLY_FAILED" => {
            digital["access_fail_reason"] = json!("税局申请不通过（由 kabao 控制 API 设置）");
        }
        _ => {}
    }
    json!({
        "sub_mchid": setup.mchid,
        "third_mode": {"status": "ENABLED"},
        "digital_tax_mode": digital,
    })
}

/// `POST` (documented) or `GET` (wechatpayv3) `merchant/{sub_mchid}/check`:
/// 204 when the caller may issue fapiao for `sub_mchid`, else the error
/// issuing would give (403 NO_AUTH naming the sub-merchant).
pub(super) async fn check(
    State(state): State<AppState>,
    Path(sub_mchid): Path<String>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    resolve_party(&state, &request, Some(&sub_mchid)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
