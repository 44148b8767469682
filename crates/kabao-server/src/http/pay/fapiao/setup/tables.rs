//! base-information (F3) and tax-codes (F4): what kabao prints as seller
//! and which tax codes an owner may issue with.

use super::paging::{links, parse_page};
use crate::http::pay::fapiao::resolve_party;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

/// Most rows one tax-codes page answers (wechatpayv3 documents 20).
const MAX_TAX_CODES_LIMIT: i64 = 20;

const TAX_CODES_PATH: &str = "/v3/new-tax-control-fapiao/merchant/tax-codes";

/// `GET merchant/base-information?sub_mchid`: the seller and the
/// payee/reviewer/drawer printed on the owner's fapiao.
pub(super) async fn base_information(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let sub_mchid = query::param(&uri, "sub_mchid");
    let party = resolve_party(&state, &request, sub_mchid.as_deref()).await?;
    let info = state.store.seller_information(&party.owner_mchid).await?;
    Ok(pay_json(StatusCode::OK, &info))
}

/// `GET merchant/tax-codes?sub_mchid&offset&limit`: one page of the shipped
/// table merged with the owner's additions, ordered by tax code.
pub(super) async fn tax_codes(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let sub_mchid = query::param(&uri, "sub_mchid");
    let party = resolve_party(&state, &request, sub_mchid.as_deref()).await?;
    let page = parse_page(&uri, MAX_TAX_CODES_LIMIT)?;
    let (total, data) = state
        .store
        .tax_codes_page(&party.owner_mchid, page.offset, page.limit)
        .await?;
    let keep: Vec<(&str, String)> = party
        .sub_mchid
        .iter()
        .map(|s| ("sub_mchid", s.clone()))
        .collect();
    Ok(pay_json(
        StatusCode::OK,
        &json!({
            "offset": page.offset,
            "limit": page.limit,
            "total_count": total,
            "links": links(TAX_CODES_PATH, &keep, page, total),
            "data": data,
        }),
    ))
}
