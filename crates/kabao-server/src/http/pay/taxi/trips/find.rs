//! T9 `GET /v3/taxi-invoice/user-taxi-order/find-by-token`: one trip order
//! by its token, for the passenger it belongs to.

use super::{region_query, required_query};
use crate::domain::taxi::trip::{ORDER_AUTH, SOURCE_PAY};
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::{rfc3339_cst, ErrorCode};
use serde_json::json;

/// T9 → 200 `{plate_number, driver_license, up_time, region_id, source,
/// pay_time, pay_amount}`. A token that is not a trip order of this
/// provider, openid and appid (and region, when given) is 404 NOT_FOUND
/// naming `token`.
pub(super) async fn by_token(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let token = required_query(&uri, "token")?;
    let openid = required_query(&uri, "openid")?;
    let appid = required_query(&uri, "appid")?;
    let region = region_query(&uri)?;
    if let Some(mode) = query::param(&uri, "auth_mode").filter(|m| !m.is_empty()) {
        if mode != ORDER_AUTH {
            return Err(PayError::param(
                "auth_mode",
                "query",
                format!("{mode} is not {ORDER_AUTH}"),
            ));
        }
    }
    let ride = state
        .store
        .trip_by_token(&provider, &token)
        .await?
        .filter(|r| r.openid == openid && r.appid == appid)
        .filter(|r| region.is_none_or(|g| g.get() == r.region_id))
        .ok_or_else(|| {
            PayError::field(
                ErrorCode::NotFound,
                "token",
                "query",
                "is not a trip order of this openid and appid with your taxis (in this region_id)",
            )
        })?;
    Ok(pay_json(
        StatusCode::OK,
        &json!({
            "plate_number": ride.plate_number,
            "driver_license": ride.driver_license,
            "up_time": rfc3339_cst(ride.up_time),
            "region_id": ride.region_id,
            "source": SOURCE_PAY,
            "pay_time": rfc3339_cst(ride.pay_time),
            "pay_amount": ride.pay_amount,
        }),
    ))
}
